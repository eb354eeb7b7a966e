"""framebridge.asyncio's connection: a socket read and written from the running event loop,
with the blocking Connection's reassembly (MessageBuffer) and error texts, and the handshake
awaited."""

import asyncio
import contextlib
import socket
import weakref
from typing import List, Optional, Type, TypeVar

from . import _protocol as P
from ._connection import answered, connect_error, gone, no_answer
from ._deadline import deadline_of, past, remaining_s
from ._handshake import checked_welcome, hello, not_a_server
from ._session import MessageBuffer
from .errors import ProtocolMismatch, ServerGone

_Answer = TypeVar("_Answer")


class AioConnection:
    """A TCP connection to a server, read and written from the event loop.

    Reads: what has arrived is taken at once. Otherwise, on a selector loop (asyncio's on
    Linux and macOS, uvloop), callers wait until the socket is readable and then read it
    themselves, in one step with no await between the read and the buffer: a cancelled wait
    has read nothing. On a loop that cannot watch a socket (Windows' proactor), one read task
    (sock_recv_into) fills the buffer; callers wait for it and never cancel it, so the bytes
    it reads are kept whatever happens to them. Either way several callers may wait at once.
    Writes: sent at once when the socket takes them (it nearly always does); the rest goes
    out from a write task, in order.
    """

    def __init__(self, sock: socket.socket, address: str) -> None:
        self._sock = sock
        # As the blocking Connection: a client dropped without close() ends its connection
        # quietly, whatever order the garbage collector finalizes its objects in.
        weakref.finalize(self, sock.close)
        self.address = address
        self._in = MessageBuffer(address)
        self._out = bytearray()
        self._reading: "Optional[asyncio.Task[None]]" = None
        self._writing: "Optional[asyncio.Task[None]]" = None
        self._failure: Optional[ServerGone] = None
        self._closed = False
        self._readable: "List[asyncio.Future[None]]" = []  # callers waiting for bytes
        self._watched: Optional[asyncio.AbstractEventLoop] = None  # the loop watching the socket
        self._proactor = False  # the loop cannot watch a socket: read with a task

    @classmethod
    async def open(cls, host: str, port: int, timeout: Optional[float]) -> "AioConnection":
        address = f"{host}:{port}"
        try:
            sock = await asyncio.wait_for(_connected_socket(host, port), timeout)
        except asyncio.TimeoutError:
            raise connect_error(address, TimeoutError(), timeout) from None
        except OSError as exc:
            raise connect_error(address, exc, timeout) from None
        return cls(sock, address)

    def unread(self) -> bytes:
        return self._in.unread()

    def _gone(self, exc: OSError) -> ServerGone:
        self._failure = gone(self.address, exc.strerror or str(exc))
        return self._failure

    def send_encoded(self, data: bytes) -> None:
        """Queue whole messages and send what the socket takes now, without waiting."""
        if self._failure is not None:
            raise self._failure
        if not data:
            return
        self._out += data
        if self._writing is not None:
            return  # the write task sends it after what it is sending
        try:
            sent = self._sock.send(self._out)
        except BlockingIOError:
            sent = 0
        except OSError as exc:
            raise self._gone(exc) from None
        del self._out[:sent]
        if self._out:
            self._start_writing()

    def _start_writing(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # outside the loop (a frame released after it): the next call sends it
        self._writing = loop.create_task(self._write_rest(loop))

    async def _write_rest(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            while self._out:
                data = bytes(self._out)
                self._out.clear()
                await loop.sock_sendall(self._sock, data)
        except OSError as exc:
            self._gone(exc)
        finally:
            self._writing = None

    async def drain(self) -> None:
        """Wait until everything queued is sent (ServerGone if the connection broke)."""
        if self._out and self._writing is None:
            self._start_writing()
        writing = self._writing
        if writing is not None:
            await asyncio.wait({writing})
        if self._failure is not None:
            raise self._failure

    def _collect(self) -> None:
        """Take the end of a read task that has finished: its failure is raised here."""
        task = self._reading
        if task is not None and task.done():
            self._reading = None
            if task.cancelled():  # by close(), while another task waited for it
                raise self._failure or gone(self.address, "closed by this client")
            task.result()

    def _read_now(self) -> bool:
        """Take bytes that have already arrived; False if none have. Callers waiting for
        bytes wake: what this caller reads may be what they wait for (a FRAME it routes)."""
        try:
            count = self._sock.recv_into(self._in.free())
        except (BlockingIOError, InterruptedError):
            return False
        except OSError as exc:
            self._on_readable()
            raise self._gone(exc) from None
        self._on_readable()
        if count == 0:
            self._failure = gone(self.address, "end of stream")
            raise self._failure
        self._in.received(count)
        return True

    async def _read(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            count = await loop.sock_recv_into(self._sock, self._in.free())
        except OSError as exc:
            raise self._gone(exc) from None
        if count == 0:
            self._failure = gone(self.address, "end of stream")
            raise self._failure
        self._in.received(count)

    async def receive(self, deadline: Optional[float]) -> Optional[P.Message]:
        """The next message, or None: the deadline (time.perf_counter()) passed, or bytes
        came that made no message for this caller (another task waiting on this connection
        took it: the caller looks at what it changed, then asks again). What has already
        arrived is taken even past the deadline."""
        while True:
            if self._failure is not None:
                raise self._failure
            self._collect()
            message = self._in.next_message()
            if message is not None:
                return message
            remaining = remaining_s(deadline)
            if self._reading is None:
                if self._out and self._writing is None:
                    self._start_writing()
                if self._read_now():
                    continue
                if remaining is not None and remaining <= 0:
                    return None
                if not self._proactor and await self._readable_or_late(remaining):
                    if self._failure is not None:
                        raise self._failure
                    if not self._read_now():
                        return None  # late, or another caller took the bytes
                    continue
                self._reading = asyncio.get_running_loop().create_task(self._read())
            elif remaining is not None and remaining <= 0:
                return None
            task = self._reading
            await asyncio.wait({task}, timeout=remaining)
            if self._reading is not task or not task.done():
                return None
            self._collect()
            return self._in.next_message()

    async def _readable_or_late(self, remaining: Optional[float]) -> bool:
        """Wait until the socket has bytes or remaining seconds pass, reading nothing; False
        (at once) when the loop cannot watch a socket."""
        loop = asyncio.get_running_loop()
        if self._watched is None:
            try:
                loop.add_reader(self._sock.fileno(), self._on_readable)
            except NotImplementedError:
                self._proactor = True
                return False
            self._watched = loop
        waiter = loop.create_future()
        self._readable.append(waiter)
        timer = None if remaining is None else loop.call_later(remaining, _wake, waiter)
        try:
            await waiter
        finally:
            if timer is not None:
                timer.cancel()
            if waiter in self._readable:
                self._readable.remove(waiter)
            if not self._readable:
                self._stop_watching()
        return True

    def _on_readable(self) -> None:
        self._stop_watching()
        waiters, self._readable = self._readable, []
        for waiter in waiters:
            _wake(waiter)

    def _stop_watching(self) -> None:
        if self._watched is not None:
            if not self._watched.is_closed():
                self._watched.remove_reader(self._sock.fileno())
            self._watched = None

    async def answer(self, expected: Type[_Answer], deadline: Optional[float],
                     asked: str) -> _Answer:
        """As the blocking Connection.answer(): the answer, notices passed over."""
        while True:
            message = await self.receive(deadline)
            if message is None:
                if past(deadline):
                    raise no_answer(self.address, asked)
                continue
            answer = answered(message, expected, self.address, asked)
            if answer is not None:
                return answer

    def close(self) -> None:
        """Close the socket now; a read or write the loop still had in progress is
        cancelled, and the loop stops watching the socket first, so its number may be
        used again at once."""
        if self._closed:
            return
        self._closed = True
        self._failure = self._failure or gone(self.address, "closed by this client")
        self._on_readable()  # waiting callers wake and find the failure
        for task in (self._reading, self._writing):
            if task is not None:
                task.add_done_callback(_retrieve)
                task.cancel()
                _unwatch(task.get_loop(), self._sock)
        self._sock.close()


def _wake(waiter: "asyncio.Future[None]") -> None:
    if not waiter.done():
        waiter.set_result(None)


def _retrieve(task: "asyncio.Task[None]") -> None:
    """Mark a finished task's exception as seen: the connection it read from is closed."""
    if not task.cancelled():
        task.exception()


def _unwatch(loop: asyncio.AbstractEventLoop, sock: socket.socket) -> None:
    """Make a selector loop (asyncio's default on Linux and macOS, uvloop) forget sock at
    once, not when the cancelled task ends; a proactor loop (Windows) has nothing to
    forget: its pending operation ends with the socket."""
    if loop.is_closed():
        return
    with contextlib.suppress(NotImplementedError):
        loop.remove_reader(sock.fileno())
        loop.remove_writer(sock.fileno())


async def _connected_socket(host: str, port: int) -> socket.socket:
    loop = asyncio.get_running_loop()
    failure: Optional[OSError] = None
    for family, kind, proto, _, address in await loop.getaddrinfo(
            host, port, type=socket.SOCK_STREAM):
        sock = socket.socket(family, kind, proto)
        try:
            sock.setblocking(False)
            await loop.sock_connect(sock, address)
        except OSError as exc:
            sock.close()
            failure = exc
            continue
        except BaseException:
            sock.close()
            raise
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    raise failure or OSError(f"{host} has no address")


async def handshake(conn: AioConnection, name: str, token: str, stream: str,
                    timeout: Optional[float]) -> P.Welcome:
    """As the blocking handshake(): HELLO, and the WELCOME checked."""
    deadline = deadline_of(timeout)
    conn.send_encoded(P.encode(hello(name, token, stream)))
    try:
        message = await conn.receive(deadline)
        while message is None and not past(deadline):  # the first bytes of WELCOME
            message = await conn.receive(deadline)
    except ProtocolMismatch:
        raise not_a_server(conn.address, conn.unread()) from None
    return checked_welcome(message, conn.address, stream, timeout)
