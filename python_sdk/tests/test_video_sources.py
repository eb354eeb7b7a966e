"""framebridge-server on real sources: files the tests make, GStreamer pipelines, bad input."""

import os
import subprocess
from pathlib import Path
from typing import Callable, Iterator, List

import numpy as np
import pytest

import framebridge as fb
from conftest import REPO_DIR, SERVER_BIN, RunningServer, free_port
from fakes import unique_name

BUILD_DIR = Path(os.environ.get("FRAMEBRIDGE_BUILD_DIR", REPO_DIR / "build"))
SAMPLE_TOOL = BUILD_DIR / "bin" / "framebridge-sample-video"
FRAMES = 20
COUNTER_BITS, COUNTER_BLOCK_PX = 16, 16  # tests/media/sample_video.hpp


def read_counter(bgr: np.ndarray) -> int:
    """The frame index the sample video drew as blocks into row 0 (-1 if unreadable)."""
    index = 0
    for bit in range(COUNTER_BITS):
        x = bit * COUNTER_BLOCK_PX
        level = float(bgr[4:12, x + 4:x + 12, 1].mean())
        if 96 < level < 160:
            return -1
        index |= (level >= 160) << bit
    return index


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SAMPLE_TOOL.exists():
        pytest.fail(f"{SAMPLE_TOOL} is missing: build the project (it needs OpenCV)",
                    pytrace=False)
    path = tmp_path_factory.mktemp("media") / "counter.avi"
    subprocess.run([str(SAMPLE_TOOL), str(path), "MJPG", "320x240", str(FRAMES), "25"],
                   check=True, timeout=60)
    return path


def frames_of(port: int, limit: int) -> Iterator[fb.Frame]:
    with fb.connect(port=port) as client:
        for frame in client:
            yield frame
            limit -= 1
            if limit == 0:
                return


def test_a_file_plays_its_frames_in_order_then_ends(
        sample: Path, start_server: Callable[..., RunningServer]) -> None:
    server = start_server(None, None, "--source", str(sample))
    counters: List[int] = []
    with fb.connect(port=server.port) as client:
        for frame in client:
            assert (frame.width, frame.height) == (320, 240)
            counter = read_counter(frame.array)
            assert counter == frame.seq - 1, "a frame's pixels are not the frame it claims"
            assert frame.metadata == {"fps": 25.0}, "a file reports its own rate, nothing else"
            counters.append(counter)
        assert client.stream_state == fb.StreamState.ENDED
    # A client gets the newest frame from when it asks: it may join after the first.
    assert counters == list(range(counters[0], FRAMES)), counters

    # Joining after the end, a client gets no stale last frame: just the end.
    with fb.connect(port=server.port) as late:
        assert [frame.seq for frame in late] == []
        with pytest.raises(fb.StreamEnded):
            late.latest(timeout=5)
    assert server.process.poll() is None, "the server must stay up after the end of a file"
    assert "is ended: the source has no more frames" in server.log()


def test_a_looped_file_starts_again_at_its_first_frame(
        sample: Path, start_server: Callable[..., RunningServer]) -> None:
    server = start_server(None, None, "--source", str(sample), "--loop", "--fps", "200")
    counters = [read_counter(frame.array) for frame in frames_of(server.port, 3 * FRAMES)]
    assert -1 not in counters
    wraps = sum(1 for a, b in zip(counters, counters[1:]) if b < a)
    assert wraps >= 1, counters


@pytest.mark.parametrize("width, height", [(1920, 1080), (3840, 2160)])
def test_a_gstreamer_pipeline_serves_its_size(
        start_server: Callable[..., RunningServer], width: int, height: int) -> None:
    pipeline = f"gst:videotestsrc ! video/x-raw,width={width},height={height},framerate=30/1"
    server = start_server(None, None, "--source", pipeline)
    seqs = []
    for frame in frames_of(server.port, 5):
        assert frame.array.shape == (height, width, 3)
        seqs.append(frame.seq)
    assert seqs == sorted(set(seqs))


@pytest.mark.parametrize("source, says", [
    ("{dir}/missing.avi", "no such file"),
    ("{dir}/corrupt.avi", "corrupt.avi"),
    ("camera:7", "camera:7: no such camera"),
    ("gst:no_such_element ! appsink", "no element \"no_such_element\" (not installed"),
    ("gst:videotestsrc ! no_such_filter", "no element \"no_such_filter\""),
    ("rtsp://127.0.0.1:1/nothing", "rtsp://127.0.0.1:1/nothing"),
])
def test_a_bad_source_exits_2_with_one_line_and_holds_nothing(
        tmp_path: Path, start_server: Callable[..., RunningServer], source: str,
        says: str) -> None:
    (tmp_path / "corrupt.avi").write_bytes(b"RIFF but not really a video" * 10)
    name, port = unique_name(), free_port()
    done = subprocess.run([SERVER_BIN, "--source", source.format(dir=tmp_path), "--name", name,
                           "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and says in errors[0], done.stderr
    assert "CRITICAL" not in done.stderr  # no GLib noise around the one line
    assert not os.path.exists("/dev/shm/" + name)
    # Name and port are free again: a server takes both at once.
    again = start_server(name, port, "--size", "320x240")
    with fb.connect(port=again.port) as client:
        assert client.segment_name == name


def test_list_cameras_says_what_it_found_and_where_it_looked() -> None:
    done = subprocess.run([SERVER_BIN, "--list-cameras"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines == ["no cameras found (tried camera:0 to camera:9)"] or \
        all(line.startswith("camera:") for line in lines), done.stdout
