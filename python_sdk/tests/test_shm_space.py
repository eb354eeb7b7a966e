"""A /dev/shm too small for the ring (Docker's default is 64 MB; a 4K ring is 75 MB) is a clear
error at start, never a SIGBUS later. Run for real: a 64 MB tmpfs on /dev/shm in a private
mount namespace, as root."""

import os
import shutil
import signal
import subprocess
import time

import pytest

from conftest import SERVER_BIN, free_port
from fakes import unique_name

needs_root = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                                reason="mounting a small /dev/shm needs root and unshare")


def in_small_shm(*server_args: str) -> "subprocess.Popen[str]":
    script = 'mount -t tmpfs -o size=64m tmpfs /dev/shm && exec "$@"'
    return subprocess.Popen(["unshare", "--mount", "sh", "-c", script, "sh", SERVER_BIN,
                             "--name", unique_name(), "--port", str(free_port()),
                             *server_args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


@needs_root
def test_a_4k_ring_in_64_mb_is_refused_naming_both_sizes() -> None:
    server = in_small_shm()
    _, err = server.communicate(timeout=30)
    assert server.returncode == 2, err
    assert "not enough shared memory" in err
    assert "it needs 71.2 MiB and /dev/shm has 64.0 MiB free" in err, err
    assert "--slots" in err


@needs_root
def test_a_ring_that_fits_starts_in_the_same_space() -> None:
    server = in_small_shm("--size", "1920x1080")
    try:
        deadline = time.monotonic() + 10
        line = ""
        while "serving" not in line:
            assert time.monotonic() < deadline and server.poll() is None, line
            line = server.stderr.readline()  # type: ignore[union-attr]
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(10)
    assert server.returncode == 0
