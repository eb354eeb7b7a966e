"""The client's TCP connection: connect, send messages, receive whole messages."""

import socket
import time
import weakref
from typing import Callable, List, Optional, Tuple, Type, TypeVar

from . import _protocol as P
from ._session import MessageBuffer, error_for
from .errors import FrameBridgeError, ProtocolMismatch, ServerGone, ServerUnavailable, Timeout

_Answer = TypeVar("_Answer")
# Spinning with another way for the answer to come (a grant cell): how often the socket is
# still asked, for notices and a server that has gone.
_SOCKET_EVERY_S = 20e-6


def _remaining_s(deadline: Optional[float]) -> Optional[float]:
    return None if deadline is None else max(0.0, deadline - time.perf_counter())


def connect_error(address: str, exc: OSError, timeout: Optional[float]) -> FrameBridgeError:
    """What failing to connect to address means for people."""
    if isinstance(exc, TimeoutError):
        return Timeout(f"connecting to a FrameBridge server at {address} took more than "
                       f"{timeout} s")
    reason = "connection refused" if isinstance(exc, ConnectionRefusedError) \
        else (exc.strerror or str(exc))
    return ServerUnavailable(f"no FrameBridge server at {address} ({reason}); start one with "
                             f"`make run` or build/bin/framebridge-server")


def gone(address: str, reason: str) -> ServerGone:
    return ServerGone(f"FrameBridge server at {address} closed the connection ({reason}); "
                      f"the server stopped or crashed")


def answered(message: P.Message, expected: Type[_Answer], address: str,
             asked: str) -> Optional[_Answer]:
    """message if it answers what was asked; None for a notice of the stream this connection
    reads (STREAM, SEGMENT), passed over; an ERROR is raised as its exception."""
    if isinstance(message, expected):
        return message
    if isinstance(message, P.Error):
        raise error_for(address, message)
    if not isinstance(message, (P.Stream, P.Segment)):
        raise ProtocolMismatch(f"FrameBridge server at {address} answered {asked} "
                               f"with {type(message).__name__}")
    return None


def no_answer(address: str, asked: str) -> Timeout:
    return Timeout(f"FrameBridge server at {address} did not answer {asked} in time")


class Connection:
    """A connected socket plus a receive buffer that reassembles messages.

    spin: wait for bytes by asking the socket again and again without blocking, rather than
    sleeping in recv: no thread wake-up between the server's send and this process seeing the
    bytes, for one core kept busy the whole time it waits."""

    def __init__(self, host: str, port: int, timeout: Optional[float],
                 spin: bool = False) -> None:
        self.address = f"{host}:{port}"
        try:
            self._sock = socket.create_connection((host, port), timeout=timeout)
        except OSError as exc:
            raise connect_error(self.address, exc, timeout) from None
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # A client dropped without close() still ends its connection, and quietly: a socket
        # left to the garbage collector warns (ResourceWarning under -X dev), and when the
        # client is in a reference cycle the socket may be finalized before a __del__ of
        # ours could close it. A finalizer's callback runs before any object of the cycle is.
        weakref.finalize(self, self._sock.close)
        self._in = MessageBuffer(self.address)
        self._waiting = False
        self._arrived: List[int] = []
        self._spin = spin

    def unread(self, limit: int = 24) -> bytes:
        """The first bytes received and not yet taken as a message (for error messages)."""
        return self._in.unread(limit)

    def idle(self) -> bool:
        """True if the exception that just came out of receive() was raised while it waited,
        before anything arrived (Ctrl+C in a blocking wait): no message was lost. Asking
        again says False until receive() is interrupted that way again."""
        idle, self._waiting = self._waiting and not self._arrived, False
        return idle

    def _gone(self, reason: str) -> ServerGone:
        return gone(self.address, reason)

    def send(self, *messages: P.Message) -> None:
        """Send the messages in one system call (e.g. DONE and the WRITE that follows it)."""
        self.send_encoded(b"".join(P.encode(message) for message in messages))

    def send_encoded(self, data: bytes) -> None:
        """Send whole messages, already encoded, in one system call."""
        try:
            # Waiting for bytes leaves the socket non-blocking (spin, a deadline passed): a
            # message must still go out whole, however full the buffer, or the stream breaks.
            self._sock.settimeout(None)
            self._sock.sendall(data)
        except OSError as exc:
            raise self._gone(exc.strerror or str(exc)) from None

    def receive(self, deadline: Optional[float],
                ready: Optional[Callable[[], bool]] = None) -> Optional[P.Message]:
        """The next message, or None when the deadline (time.perf_counter()) passes, or,
        spinning, once ready() says what was awaited came by another way (a grant cell)."""
        self._waiting = False
        while True:
            message = self._in.next_message()
            if message is not None:
                return message
            free = (self._in.free(),)
            try:
                # extend(map(...)) records the count in the same C call that read the bytes, so
                # idle() can tell an exception raised in the wait from one that came after.
                self._arrived = []
                self._waiting = True
                if self._spin:
                    if not self._spin_for_bytes(deadline, free, ready):
                        self._waiting = False
                        return None
                else:
                    remaining = _remaining_s(deadline)
                    # Past the deadline, still take what has already arrived, without waiting.
                    self._sock.settimeout(max(remaining, 0.0) if remaining is not None else None)
                    self._arrived.extend(map(self._sock.recv_into, free))
                self._waiting = False
            except (TimeoutError, BlockingIOError):
                self._waiting = False
                return None
            except OSError as exc:
                self._waiting = False
                raise self._gone(exc.strerror or str(exc)) from None
            count = self._arrived[0]
            if count == 0:
                raise self._gone("end of stream")
            self._in.received(count)

    def _spin_for_bytes(self, deadline: Optional[float], free: Tuple[memoryview],
                        ready: Optional[Callable[[], bool]]) -> bool:
        """Ask for bytes until some come (recorded in self._arrived, as receive() does: True)
        or ready() says True (False); raises BlockingIOError once the deadline has passed
        with neither. Asks the socket at least once."""
        self._sock.settimeout(0.0)
        clock = time.perf_counter
        while True:
            try:
                self._arrived.extend(map(self._sock.recv_into, free))
                return True
            except BlockingIOError:
                pass
            if ready is not None:
                # ready() costs a fraction of a socket call: ask it many times in between.
                ask_socket_at = clock() + _SOCKET_EVERY_S
                while clock() < ask_socket_at:
                    if ready():
                        return False
            if deadline is not None and clock() >= deadline:
                raise BlockingIOError

    def error(self, message: P.Error) -> FrameBridgeError:
        """The exception for an ERROR message the server sent before closing."""
        return error_for(self.address, message)

    def answer(self, expected: Type[_Answer], deadline: Optional[float], asked: str) -> _Answer:
        """Wait for the answer to what was asked: an ERROR is raised as its exception, notices
        of the stream this connection reads (STREAM, SEGMENT) are passed over, Timeout after
        the deadline (time.perf_counter())."""
        while True:
            message = self.receive(deadline)
            if message is None:
                raise no_answer(self.address, asked)
            answer = answered(message, expected, self.address, asked)
            if answer is not None:
                return answer

    def close(self) -> None:
        try:
            self._sock.close()
        except OSError:
            pass
