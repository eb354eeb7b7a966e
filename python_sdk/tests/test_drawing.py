"""Drawing on a frame's array with OpenCV: the script survives, its drawing stays its own."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import framebridge as fb
from conftest import REPO_DIR, RunningServer
from test_server_e2e import PY, read_line, sdk_env

sys.path.insert(0, str(REPO_DIR / "tests" / "soak"))
from frame_check import SyntheticPattern  # noqa: E402

DRAW_CLIENT = Path(__file__).with_name("draw_client.py")
FRAMES = 12  # 4 rounds of a 3-slot ring: each slot is drawn on, then used again


def shared_slot(client: fb.Client, slot: int) -> np.ndarray:
    """Slot's pixels as another client's mapping shows them, (480, 640, 3)."""
    seg = client._segment
    flat = np.frombuffer(seg.mm, np.uint8, count=640 * 480 * 3, offset=seg.slot_offset(slot))
    return flat.reshape(480, 640, 3)


@pytest.mark.server_args(size="640x480", fps=30, slots=3)
def test_cv2_drawing_in_place_changes_only_the_drawing_process(server: RunningServer) -> None:
    drawer = subprocess.Popen([PY, str(DRAW_CLIENT), "--port", str(server.port),
                               "--frames", str(FRAMES)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=sdk_env())
    pattern = SyntheticPattern(640, 480, 3)
    try:
        with fb.connect(port=server.port) as other:
            for _ in range(FRAMES):
                line = read_line(drawer, 10)
                assert line.startswith("drew "), line + drawer.stderr.read()  # type: ignore
                seq, slot = (int(word) for word in line.split()[1:])

                problems = pattern.problems(shared_slot(other, slot), seq, range(480))

                assert not problems, f"frame {seq} as another client sees it: {problems[:3]}"
                drawer.stdin.write("\n")  # type: ignore[union-attr]
                drawer.stdin.flush()  # type: ignore[union-attr]
            assert read_line(drawer, 10) == "done\n"
        assert drawer.wait(10) == 0, drawer.stderr.read()  # type: ignore[union-attr]
    finally:
        if drawer.poll() is None:
            drawer.kill()
            drawer.wait()
