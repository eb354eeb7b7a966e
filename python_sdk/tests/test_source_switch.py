"""A new source or size while clients are connected: they follow it without reconnecting."""

import os
import subprocess
from pathlib import Path
from typing import Iterator, List

import pytest

import framebridge as fb
from conftest import REPO_DIR, free_port
from fakes import unique_name
from test_server_e2e import stamp_ok

BUILD_DIR = Path(os.environ.get("FRAMEBRIDGE_BUILD_DIR", REPO_DIR / "build"))
PROBE = BUILD_DIR / "bin" / "framebridge-switch-probe"
TIMEOUT_S = 10


class Probe:
    """framebridge-switch-probe: a synthetic 320x240 pipeline resized through its stdin."""

    def __init__(self) -> None:
        self.name, self.port = unique_name(), free_port()
        self.process = subprocess.Popen(
            [str(PROBE), "--port", str(self.port), "--name", self.name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.answer().startswith("serving on port")

    def answer(self) -> str:
        return self.process.stdout.readline().strip()  # type: ignore[union-attr]

    def switch(self, size: str) -> str:
        self.process.stdin.write(size + "\n")  # type: ignore[union-attr]
        self.process.stdin.flush()  # type: ignore[union-attr]
        return self.answer()

    def stop(self) -> None:
        self.process.stdin.close()  # type: ignore[union-attr]
        self.process.wait(TIMEOUT_S)


@pytest.fixture
def probe() -> Iterator[Probe]:
    if not PROBE.exists():
        pytest.fail(f"{PROBE} is missing: build the project first", pytrace=False)
    running = Probe()
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.stop()
    assert running.process.returncode == 0
    assert not os.path.exists("/dev/shm/" + running.name)


def test_a_connected_client_follows_a_new_size_without_noticing(probe: Probe) -> None:
    shapes: List[tuple] = []
    with fb.connect(port=probe.port) as client:
        first_session = client.session_id
        kept = client.latest(timeout=TIMEOUT_S)
        kept_pixels = kept.array
        assert kept_pixels.shape == (240, 320, 3)
        kept.release()
        assert probe.switch("640x360") == "switched 640x360"
        last_seq = kept.seq
        for frame in client:
            assert frame.seq > last_seq and stamp_ok(frame)
            last_seq = frame.seq
            shapes.append(frame.array.shape)
            if frame.array.shape == (360, 640, 3) and len(shapes) >= 3:
                break
        assert client.session_id != first_session
        assert client.segment_name == probe.name
        # The array from before the switch still reads its frame's pixels, in the old mapping.
        first_stamp = int.from_bytes(kept_pixels[0].reshape(-1)[:8].tobytes(), "little")
        assert kept_pixels.shape == (240, 320, 3) and first_stamp == kept.seq
    assert shapes[-1] == (360, 640, 3)


def test_a_client_holding_a_frame_across_a_switch_can_still_give_it_back(probe: Probe) -> None:
    with fb.connect(port=probe.port) as client:
        held = client.latest(timeout=TIMEOUT_S)
        assert probe.switch("160x120") == "switched 160x120"
        with client.latest(timeout=TIMEOUT_S) as frame:
            assert frame.array.shape == (120, 160, 3) and stamp_ok(frame)
        held.release()
        with client.latest(timeout=TIMEOUT_S) as frame:
            assert frame.array.shape == (120, 160, 3)
    assert probe.switch("1x1").startswith("error: ")
