"""The benchmarks' server harness: a server that exits 0 but leaves its segment fails."""

import os
import subprocess
from pathlib import Path

import pytest

from server_process import ServerFailed, ServerProcess


def test_a_server_that_exits_0_but_leaves_its_segment_fails_and_the_segment_goes() -> None:
    name = f"fb-harness-{os.getpid()}"
    segment = Path("/dev/shm") / name
    server = ServerProcess("framebridge-server", fps=30, name=name)
    # What such a server leaves behind: a process that exited 0, and its segment.
    server._process = subprocess.Popen(["true"])
    server._process.wait()
    segment.write_bytes(b"FRAMEBRG")
    try:
        with pytest.raises(ServerFailed, match=f"exited 0 but left its segment /dev/shm/{name}"):
            server.stop()
        assert not segment.exists()
    finally:
        segment.unlink(missing_ok=True)
