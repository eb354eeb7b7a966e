"""A message goes out whole even after a wait left the socket non-blocking."""

import socket
import threading
import time
from typing import List

import pytest

from framebridge._connection import Connection

MESSAGE_BYTES = 4 << 20  # far more than loopback buffers hold while the peer does not read
SMALL_BUFFER = 4096


@pytest.mark.parametrize("spin", [False, True])
def test_a_large_send_after_a_wait_that_timed_out_goes_out_whole(spin: bool) -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_BUFFER)
        conn = Connection("127.0.0.1", listener.getsockname()[1], timeout=5.0, spin=spin)
        peer, _ = listener.accept()
    got: List[int] = []

    def read_later() -> None:
        time.sleep(0.3)  # the sender must wait for room meanwhile, not fail
        while sum(got) < MESSAGE_BYTES:
            chunk = peer.recv(1 << 16)
            if not chunk:
                return
            got.append(len(chunk))

    reader = threading.Thread(target=read_later)
    reader.start()
    try:
        assert conn.receive(time.perf_counter()) is None  # nothing came: the wait gave up
        conn.send_encoded(b"\x07" * MESSAGE_BYTES)
        reader.join(timeout=30)
        assert sum(got) == MESSAGE_BYTES
    finally:
        peer.close()
        conn.close()
        reader.join(timeout=30)
