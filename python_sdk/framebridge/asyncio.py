"""framebridge.asyncio: the same client, awaited in an event loop.

    import framebridge.asyncio as fba

    async with fba.connect(port=7600, stream="front") as client:
        async for frame in client:
            async with frame:
                boxes = await asyncio.to_thread(detect, frame.array)
                await client.send_result(frame, boxes=boxes)

The names and arguments are the blocking API's (framebridge.connect, list_streams, publish),
awaitable. The socket lives in the running event loop; the client starts no thread. The
protocol itself is the blocking client's (framebridge._session): this module only moves
bytes and waits.

Cancellation is safe at every await: a read the loop started finishes into the client's
buffer even if the task that waited for it is cancelled (the next call takes the message),
and what the client decided to send waits in its queue until it is sent, so a cancelled
latest() holds no lease it does not return and leaves no message half read or half sent.
Many clients may share one loop, and several tasks one client (frames in one, results() in
another): whichever task reads a message acts on it for all of them.
"""

import asyncio
import contextlib
import socket
import time
from typing import (Any, AsyncIterator, Awaitable, Callable, Generator, List, Mapping, Optional,
                    Tuple, Type, TypeVar)

import numpy as np

from . import _protocol as P
from ._connection import answered, connect_error, gone, no_answer
from ._handshake import checked_token, checked_welcome, default_name, hello, not_a_server
from ._layout import PixelFormat, metadata_block
from ._segment import Segment
from ._session import MessageBuffer, Session
from .client import RETRIED, SessionView
from .errors import FrameBridgeError, ProtocolMismatch, ServerGone, StreamEnded, Timeout
from .frame import Frame, _Lease
from .publisher import PublisherBase
from .results import Result
from .streams import StreamInfo, stream_info

__all__ = ["Client", "Publisher", "connect", "list_streams", "publish"]

_Answer = TypeVar("_Answer")
_Opened = TypeVar("_Opened")


def _remaining_s(deadline: Optional[float]) -> Optional[float]:
    return None if deadline is None else max(0.0, deadline - time.perf_counter())


def _past(deadline: Optional[float]) -> bool:
    return deadline is not None and time.perf_counter() >= deadline


def _deadline(timeout: Optional[float]) -> Optional[float]:
    return None if timeout is None else time.perf_counter() + timeout


class _Connection:
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
    async def open(cls, host: str, port: int, timeout: Optional[float]) -> "_Connection":
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
            remaining = _remaining_s(deadline)
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
                if _past(deadline):
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

    def __del__(self) -> None:
        # As the blocking Connection: a client dropped without close() ends its connection
        # quietly (a socket left to the garbage collector warns under -X dev).
        sock = getattr(self, "_sock", None)
        if sock is not None:
            sock.close()


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


async def _handshake(conn: _Connection, name: str, token: str, stream: str,
                     timeout: Optional[float]) -> P.Welcome:
    """As the blocking handshake(): HELLO, and the WELCOME checked."""
    deadline = _deadline(timeout)
    conn.send_encoded(P.encode(hello(name, token, stream)))
    try:
        message = await conn.receive(deadline)
        while message is None and not _past(deadline):  # the first bytes of WELCOME
            message = await conn.receive(deadline)
    except ProtocolMismatch:
        raise not_a_server(conn.address, conn.unread()) from None
    return checked_welcome(message, conn.address, stream, timeout)


class Client(SessionView):
    """framebridge.Client in an event loop: `async with fba.connect(...) as client:` or
    `client = await fba.connect(...)`, then `await client.latest()`, `async for frame in
    client`, `async for result in client.results()`, `await client.send_result(...)`,
    `await client.close()`. The arguments and properties are framebridge.Client's (wait=
    is not: the loop waits)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 7600, *,
                 stream: Optional[str] = None, name: Optional[str] = None,
                 token: Optional[str] = None, timeout: Optional[float] = 5.0,
                 reconnect: bool = False, frame_timeout: Optional[float] = 10.0) -> None:
        self._closed = True
        self._configure(host, port, stream, name, token, timeout, reconnect, frame_timeout)
        self._reconnecting: "Optional[asyncio.Task[None]]" = None

    async def _start(self) -> "Client":
        """Connect and say HELLO (what awaiting fba.connect() does)."""
        if not self._closed:
            return self
        self._conn, welcome, segment = await self._open(self._timeout)
        self._stream_name = welcome.stream  # reconnect=True: the same stream, by name
        self._s = Session(self._conn.address, welcome, segment, reconnect=self._reconnect,
                          on_release=self._release_now, on_close=self._close_connection)
        self._closed = False
        return self

    async def _open(self, timeout: Optional[float]
                    ) -> Tuple[_Connection, P.Welcome, Segment]:
        conn = await _Connection.open(self._host, self._port, timeout)
        try:
            w = await _handshake(conn, self._name, self._token, self._stream_name, timeout)
            return conn, w, Segment(w.segment_name, w.segment_size, w.session_id, w.slot_count)
        except BaseException:  # a cancelled connect included
            conn.close()
            raise

    def _close_connection(self) -> None:
        self._conn.close()

    def _check_usable(self) -> None:
        if self._closed:
            raise FrameBridgeError("this FrameBridge client is closed")
        self._s.check_usable()

    def _flush(self) -> None:
        """Send what the session queued, without waiting."""
        try:
            self._conn.send_encoded(self._s.data_to_send())
        except ServerGone as exc:
            self._check_usable()  # another task closed this client
            self._s.fail(exc)

    async def _flush_unless_lost(self) -> None:
        """Send messages that need no answer; with reconnect=True a lost server is not an
        error here: the next latest() or results() connects again (and watches again)."""
        if self._s.lost is not None:
            return
        try:
            self._flush()
            try:
                await self._conn.drain()
            except ServerGone as exc:
                self._s.fail(exc)
        except ServerGone:
            if not self._reconnect or self._s.failure is not None:
                raise

    def _release_now(self, lease: _Lease) -> None:
        """Frame.release(): give the frame back now (sent without waiting)."""
        if self._closed or not self._s.may_release(lease):
            return
        self._s.give_back_free()
        try:
            self._flush()
        except ServerGone:
            pass  # fail() noted it: reported or replaced by the next latest()

    async def _receive(self, deadline: Optional[float]) -> Optional[P.Message]:
        try:
            return await self._conn.receive(deadline)
        except FrameBridgeError as exc:
            self._check_usable()  # another task closed this client
            self._s.fail(exc)

    async def _take_notices(self) -> None:
        """Act on every message that has arrived, without waiting."""
        while True:
            message = await self._receive(time.perf_counter())
            if message is None:
                return
            self._s.route(message)

    async def _connect_again(self) -> None:
        """reconnect=True: connect to host:port again, as often as Session.tried() allows,
        until a server answers; a new session starts its frame numbers again."""
        s = self._s
        while True:
            if s.retry_due():
                try:
                    conn, welcome, segment = await self._open(self._timeout)
                    break
                except RETRIED:
                    pass
                finally:
                    s.tried()
            await asyncio.sleep(s.retry_pause(None, None))
        self._conn = conn
        s.reconnected(conn.address, welcome, segment)
        try:
            self._conn.send_encoded(s.data_to_send())  # WATCH again
        except ServerGone:
            pass  # the next read finds the connection gone

    async def _find_server_again(self, deadline: Optional[float],
                                 timeout: Optional[float]) -> None:
        """Wait for the one reconnecting task of this client (tasks waiting at once share
        it), at most until the deadline (Timeout; it goes on for the next call)."""
        if self._reconnecting is None:
            self._reconnecting = asyncio.get_running_loop().create_task(self._connect_again())
        task = self._reconnecting
        await asyncio.wait({task}, timeout=_remaining_s(deadline))
        self._check_usable()  # another task closed this client meanwhile
        if not task.done():
            raise self._s.reconnect_timeout(timeout)
        if self._reconnecting is task:
            self._reconnecting = None
        task.result()

    async def latest(self, timeout: Optional[float] = None) -> Frame:
        """As framebridge.Client.latest(): the newest frame, newer than any this client
        received before; Timeout after timeout seconds (the request stays open)."""
        self._check_usable()
        deadline = _deadline(timeout)
        while True:
            if self._s.lost is not None:
                await self._find_server_again(deadline, timeout)
            try:
                return await self._latest(deadline, timeout)
            except ServerGone:
                if not self._reconnect or self._s.failure is not None:
                    raise

    async def _latest(self, deadline: Optional[float], timeout: Optional[float]) -> Frame:
        s = self._s
        while True:
            self._check_usable()  # another task may have closed this client meanwhile
            frame = s.take_answer()  # read by this task, another one, or while results() read
            if frame is not None:
                return frame
            s.give_back_free()
            if s.needs_notices():
                await self._take_notices()
            s.request()
            self._flush()
            wait_until = s.frame_deadline(deadline)
            message = await self._receive(wait_until)
            if message is not None:
                s.route(message)
            elif _past(wait_until):
                s.no_frame(timeout)

    async def __aiter__(self) -> AsyncIterator[Frame]:
        """Frames until the stream ends, as `for frame in client`: each step releases the
        previous frame, then waits for the newest, at most frame_timeout seconds."""
        previous: Optional[Frame] = None
        while True:
            if previous is not None:
                previous.release()
            try:
                previous = await self.latest(timeout=self._frame_timeout)
            except StreamEnded:
                return
            yield previous

    async def send_result(self, frame: Frame, *, boxes: Any = (), labels: Any = (),
                          scores: Any = (), points: Any = (), polylines: Any = (),
                          text: str = "") -> None:
        """As framebridge.Client.send_result(); returns once the message is sent."""
        data = self._s.result_data(frame, dict(boxes=boxes, labels=labels, scores=scores,
                                               points=points, polylines=polylines, text=text))
        self._check_usable()
        if self._s.queue_result(frame, data):
            await self._flush_unless_lost()

    def results(self, timeout: Optional[float] = None) -> AsyncIterator[Result]:
        """As framebridge.Client.results(), iterated with `async for`: the results sent for
        frames of this stream from now on; ends after timeout seconds without one, or when
        the stream ends."""
        self._check_usable()
        if self._s.watch() and self._s.lost is None:
            try:
                self._flush()
            except ServerGone:
                if not self._reconnect or self._s.failure is not None:
                    raise
        return self._results(timeout)

    async def _results(self, timeout: Optional[float]) -> AsyncIterator[Result]:
        while True:
            result = await self._wait_result(_deadline(timeout), timeout)
            if result is None:
                return
            yield result

    async def _wait_result(self, deadline: Optional[float],
                           timeout: Optional[float]) -> Optional[Result]:
        """The next result; None at the deadline or when the stream has ended."""
        self._check_usable()
        while True:
            if self._s.lost is not None:
                if self._s.has_results():
                    return self._s.next_result()
                try:
                    await self._find_server_again(deadline, timeout)
                except Timeout:
                    return None
            try:
                return await self._next_result(deadline)
            except ServerGone:
                if not self._reconnect or self._s.failure is not None:
                    raise

    async def _next_result(self, deadline: Optional[float]) -> Optional[Result]:
        # What has already arrived goes in first, so a reader that fell behind skips to the
        # newest instead of reading a backlog.
        await self._take_notices()
        while not self._s.has_results():
            if self._s.stream_ended():
                return None
            message = await self._receive(deadline)
            if message is not None:
                self._s.route(message)
            elif _past(deadline):
                return None
        return self._s.next_result()

    async def close(self) -> None:
        """Give back every frame and disconnect; arrays still in use stay readable."""
        if self._closed:
            return
        self._closed = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        s = self._s
        if s.failure is None and s.lost is None:
            s.give_back_free()
            with contextlib.suppress(FrameBridgeError, OSError):
                self._conn.send_encoded(s.data_to_send())
        s.close()
        self._conn.close()

    async def __aenter__(self) -> "Client":
        return await self._start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def __repr__(self) -> str:
        if self._closed:
            return f"<framebridge.asyncio.Client {self._host}:{self._port} closed>"
        return (f"<framebridge.asyncio.Client {self._conn.address} {self.stream} "
                f"client_id={self.client_id}>")


class _Opening(Awaitable[_Opened]):
    """What fba.connect() and fba.publish() return: await it, or use it in `async with`
    (closed at the end of the block)."""

    def __init__(self, start: Callable[[], Awaitable[_Opened]],
                 close: Callable[[_Opened], Awaitable[None]]) -> None:
        self._start = start
        self._close = close
        self._opened: Optional[_Opened] = None

    def __await__(self) -> Generator[Any, None, _Opened]:
        return self._start().__await__()

    async def __aenter__(self) -> _Opened:
        self._opened = await self._start()
        return self._opened

    async def __aexit__(self, *exc_info: object) -> None:
        if self._opened is not None:
            await self._close(self._opened)


async def _close_client(client: Client) -> None:
    await client.close()


def connect(host: str = "127.0.0.1", port: int = 7600, *, stream: Optional[str] = None,
            name: Optional[str] = None, token: Optional[str] = None,
            timeout: Optional[float] = 5.0, reconnect: bool = False,
            frame_timeout: Optional[float] = 10.0) -> _Opening[Client]:
    """As framebridge.connect(), in an event loop: `async with fba.connect(...) as client:`
    or `client = await fba.connect(...)` (then `await client.close()`). The arguments are
    framebridge.connect()'s, less wait=. Bad arguments raise at once (ValueError)."""
    client = Client(host, port, stream=stream, name=name, token=token, timeout=timeout,
                    reconnect=reconnect, frame_timeout=frame_timeout)
    return _Opening(client._start, _close_client)


async def list_streams(host: str = "127.0.0.1", port: int = 7600, *,
                       token: Optional[str] = None,
                       timeout: Optional[float] = 5.0) -> List[StreamInfo]:
    """As framebridge.list_streams(), awaited."""
    checked = checked_token(token)

    async def listed(conn: _Connection) -> List[StreamInfo]:
        await _handshake(conn, default_name(), checked, "", timeout)
        conn.send_encoded(P.encode(P.ListStreams()))
        streams = await conn.answer(P.Streams, _deadline(timeout), "LIST")
        return [stream_info(entry, conn.address) for entry in streams.streams]

    conn = await _Connection.open(host, port, timeout)
    try:
        return await listed(conn)
    finally:
        conn.close()


class Publisher(PublisherBase):
    """framebridge.Publisher in an event loop (fba.publish() makes one): write each frame
    into `async with out.frame(source=frame) as dst:`; `await out.close()` ends the stream.
    A task cancelled while it waits for a slot leaves the request open (the next
    out.frame() goes on waiting); one cancelled inside the block gives the slot back
    unpublished, as any exception there does."""

    _shown_as = "framebridge.asyncio.Publisher"

    def __init__(self, name: str, width: int, height: int,
                 format: PixelFormat = PixelFormat.BGR8, *, host: str = "127.0.0.1",
                 port: int = 7600, token: Optional[str] = None,
                 timeout: Optional[float] = 5.0, fps: float = 0.0, slots: int = 0) -> None:
        self._request = self._configure(name, width, height, format, fps, slots)
        self._token = checked_token(token)
        self._host, self._port, self._timeout = host, port, timeout
        self._failure = None

    async def _start(self) -> "Publisher":
        conn = await _Connection.open(self._host, self._port, self._timeout)
        try:
            await _handshake(conn, default_name(), self._token, "", self._timeout)
            conn.send_encoded(P.encode(self._request))
            answer = await conn.answer(P.Publishing, _deadline(self._timeout), "PUBLISH")
            self._segment = self._map(answer, conn.address)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        self._closed = False
        return self

    @contextlib.asynccontextmanager
    async def frame(self, source: Optional[Frame] = None, timeout: Optional[float] = 5.0,
                    metadata: Optional[Mapping[str, float]] = None
                    ) -> AsyncIterator[np.ndarray]:
        """As framebridge.Publisher.frame(), with `async with`."""
        block = metadata_block(metadata or {})
        slot = await self._borrow(timeout)
        dst = self._view(slot)
        try:
            yield dst
        except BaseException:
            dst.flags.writeable = False
            self._cancel(slot)
            raise
        dst.flags.writeable = False
        self._check_usable()
        self._send(self._done(slot, block, source), P.Write())
        self._write_outstanding = True
        self._frames_published += 1

    async def _borrow(self, timeout: Optional[float]) -> int:
        self._check_usable()
        self._borrowing()
        if not self._write_outstanding:
            self._send(P.Write())
            self._write_outstanding = True
        try:
            lent = await self._conn.answer(P.Slot, _deadline(timeout), "WRITE")
        except Timeout:
            raise self._no_slot(self._conn.address, timeout) from None
        except FrameBridgeError as exc:
            raise self._fail(exc) from None
        try:
            return self._lent_slot(lent, self._conn.address)
        except ProtocolMismatch as exc:
            raise self._fail(exc) from None

    async def close(self) -> None:
        """End the stream, as framebridge.Publisher.close()."""
        if self._closed:
            return
        self._closed = True
        self._conn.close()
        self._segment.close()

    async def __aenter__(self) -> "Publisher":
        return await self._start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


async def _close_publisher(out: Publisher) -> None:
    await out.close()


def publish(name: str, width: int, height: int, format: PixelFormat = PixelFormat.BGR8, *,
            host: str = "127.0.0.1", port: int = 7600, token: Optional[str] = None,
            timeout: Optional[float] = 5.0, fps: float = 0.0,
            slots: int = 0) -> _Opening[Publisher]:
    """As framebridge.publish(), in an event loop: `async with fba.publish(...) as out:` or
    `out = await fba.publish(...)` (then `await out.close()`). Bad arguments raise at once
    (ValueError)."""
    out = Publisher(name, width, height, format, host=host, port=port, token=token,
                    timeout=timeout, fps=fps, slots=slots)
    return _Opening(out._start, _close_publisher)
