"""The limit for a client's sending rate: a bare loopback TCP send of N bytes per message.

One Python loop sends the same prebuilt message with socket.sendall, as fast as it can, over
a TCP_NODELAY connection (as the SDK's) to a child process that only reads and counts. Each
send is one system call and one TCP segment, as one send_result is: what is left is the
price of building and checking the message in Python, and of the server reading it.
"""

import multiprocessing
import socket
from dataclasses import dataclass

from rate_loop import Repeated, repeat

DRAIN_CHUNK_BYTES = 1 << 16
JOIN_TIMEOUT_S = 10.0


@dataclass
class Sends:
    """The sends over the window; the bytes of the whole connection, warm-up included."""

    sends: Repeated
    bytes_sent: int
    bytes_read: int


def _drain(listener: socket.socket, read_bytes: "multiprocessing.Value[int]") -> None:
    connection, _ = listener.accept()
    total = 0
    with connection:
        while True:
            chunk = connection.recv(DRAIN_CHUNK_BYTES)
            if not chunk:
                break
            total += len(chunk)
    read_bytes.value = total


def measure(message_bytes: int, warmup_s: float, window_s: float) -> Sends:
    """Sends message_bytes-byte messages for warmup_s, then counts them for window_s."""
    message = bytes(message_bytes)
    context = multiprocessing.get_context("fork")  # the child inherits the listening socket
    read_bytes = context.Value("q", 0)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        reader = context.Process(target=_drain, args=(listener, read_bytes), daemon=True)
        reader.start()
        try:
            with socket.create_connection(listener.getsockname()) as sock:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sends = repeat(lambda: sock.sendall(message), warmup_s, window_s)
        finally:
            reader.join(JOIN_TIMEOUT_S)
            if reader.is_alive():
                reader.kill()
                reader.join()
    return Sends(sends, sends.all_calls * message_bytes, int(read_bytes.value))
