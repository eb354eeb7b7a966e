"""--pace clients: a file read only as fast as its slowest client, so no client misses a frame."""

import threading
import time
from pathlib import Path
from typing import Callable, Dict, List

import framebridge as fb
from conftest import RunningServer
from test_video_sources import FRAMES, read_counter, sample  # noqa: F401 (a fixture)


def read_all(client: fb.Client, name: str, pause_s: float, got: Dict[str, List[int]]) -> None:
    with client:
        for frame in client:
            with frame:
                assert read_counter(frame.array) == frame.seq - 1
                got[name].append(frame.seq)
            time.sleep(pause_s)


def test_slow_clients_get_every_frame_of_a_file_from_the_first(
        sample: Path, start_server: Callable[..., RunningServer]) -> None:  # noqa: F811
    server = start_server(None, None, "--source", str(sample), "--pace", "clients")
    # Frames are not read before a client comes: joining late loses nothing.
    time.sleep(0.5)
    got: Dict[str, List[int]] = {"slow": [], "slower": []}
    # Both are greeted before either asks for a frame: the first frame waits for both. (A
    # client that comes once frame 1 has been sent to the others starts at the newest.)
    readers = [threading.Thread(target=read_all,
                                args=(fb.connect(port=server.port, name=name), name, pause, got))
               for name, pause in (("slow", 0.01), ("slower", 0.04))]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=60)
        assert not reader.is_alive(), "the stream never ended"
    assert got["slow"] == list(range(1, FRAMES + 1)), got["slow"]
    assert got["slower"] == list(range(1, FRAMES + 1)), got["slower"]
    assert "paced by its clients" in server.log()


def test_pace_clients_is_refused_for_a_source_that_cannot_wait(
        start_server: Callable[..., RunningServer]) -> None:
    server = start_server(None, None, "--pace", "clients", wait=False)
    assert server.process.wait(timeout=30) == 2
    assert "--pace clients works with video files only" in server.log()
