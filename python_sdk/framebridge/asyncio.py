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

Cancellation is safe at every await: waiting for the server reads nothing (a task waits
until the socket is readable, then reads into the client's buffer with no await between;
_aio_connection.py), so a cancelled wait loses no byte and a message that came in part waits
in the buffer for the next call; and what the client decides to send is queued whole before
any await. A cancelled latest() holds no lease it does not return and leaves no message half
read or half sent.

Many clients may share one loop, and several tasks one client (frames in one, results() in
another): whichever task reads a message acts on it for all of them.
"""

import asyncio
import contextlib
import threading
import time
from typing import (Any, AsyncIterator, Awaitable, Callable, Generator, List, Mapping, Optional,
                    Tuple, TypeVar)

import numpy as np

from . import _protocol as P
from ._aio_connection import AioConnection, handshake
from ._deadline import deadline_of, past, remaining_s
from ._handshake import checked_token, default_name
from ._layout import PixelFormat, metadata_block
from ._segment import Segment
from ._session import Session
from .client import RETRIED, SessionView
from .errors import FrameBridgeError, ProtocolMismatch, ServerGone, StreamEnded, Timeout
from .frame import Frame, _Lease
from .publisher import PublisherBase
from .results import Result
from .streams import StreamInfo, stream_info

__all__ = ["Client", "Publisher", "connect", "list_streams", "publish"]

_Opened = TypeVar("_Opened")


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
        self._reconnect_waiters = 0  # tasks awaiting _reconnecting

    async def _start(self) -> "Client":
        """Connect and say HELLO (what awaiting fba.connect() does)."""
        if not self._closed:
            return self
        self._conn, welcome, segment = await self._open(self._timeout)
        self._stream_name = welcome.stream  # reconnect=True: the same stream, by name
        self._s = Session(self._conn.address, welcome, segment, reconnect=self._reconnect,
                          on_release=self._release_now, on_close=self._close_connection)
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._closed = False
        return self

    async def _open(self, timeout: Optional[float]
                    ) -> Tuple[AioConnection, P.Welcome, Segment]:
        conn = await AioConnection.open(self._host, self._port, timeout)
        try:
            w = await handshake(conn, self._name, self._token, self._stream_name, timeout)
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
                self._check_usable()  # another task closed this client meanwhile
                self._s.fail(exc)
        except ServerGone:
            if not self._reconnect or self._s.failure is not None:
                raise

    def _release_now(self, lease: _Lease) -> None:
        """Frame.release(): give the frame back now (sent without waiting). Called from
        another thread (`with frame:` in asyncio.to_thread), it is handed to the loop: the
        session and the connection are the loop thread's alone."""
        if threading.get_ident() != self._loop_thread:
            with contextlib.suppress(RuntimeError):  # the loop is closed: so is the socket
                self._loop.call_soon_threadsafe(self._release_now, lease)
            return
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
        it), at most until the deadline (Timeout). The task runs only while someone waits:
        when the last waiter leaves (timed out or cancelled) it is cancelled, so no
        connection is made that nobody asked for; the next call goes on trying, at the pace
        Session.tried() keeps."""
        if self._reconnecting is None:
            self._reconnecting = asyncio.get_running_loop().create_task(self._connect_again())
            self._reconnecting.add_done_callback(self._reconnect_done)
            self._reconnect_waiters = 0
        task = self._reconnecting
        self._reconnect_waiters += 1
        try:
            await asyncio.wait({task}, timeout=remaining_s(deadline))
        finally:
            if self._reconnecting is task:
                self._reconnect_waiters -= 1
                if self._reconnect_waiters == 0 and not task.done():
                    task.cancel()
                    self._reconnecting = None  # the next call starts afresh, not in this one
        self._check_usable()  # another task closed this client meanwhile
        if not task.done():
            raise self._s.reconnect_timeout(timeout)
        task.result()

    def _reconnect_done(self, task: "asyncio.Task[None]") -> None:
        """The reconnecting task ended: the next wait starts another; its exception is
        raised by the tasks that waited for it (retrieved here so asyncio does not log it
        as never retrieved)."""
        if self._reconnecting is task:
            self._reconnecting = None
        if not task.cancelled():
            task.exception()

    async def latest(self, timeout: Optional[float] = None) -> Frame:
        """As framebridge.Client.latest(): the newest frame, newer than any this client
        received before; Timeout after timeout seconds (the request stays open)."""
        self._check_usable()
        deadline = deadline_of(timeout)
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
            elif past(wait_until):
                s.no_frame(timeout)

    async def __aiter__(self) -> AsyncIterator[Frame]:
        """Frames until the stream ends, as `for frame in client`: each step releases the
        previous frame, then waits for the newest, at most frame_timeout seconds."""
        previous: Optional[Frame] = None
        while True:
            if previous is not None:
                previous._let_go()  # given back with the next REQUEST, in the same send
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
            result = await self._wait_result(deadline_of(timeout), timeout)
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
            elif past(deadline):
                return None
        return self._s.next_result()

    async def close(self) -> None:
        """Give back every frame and disconnect; arrays still in use stay readable."""
        if self._closed:
            return
        self._closed = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
            self._reconnecting = None
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

    async def listed(conn: AioConnection) -> List[StreamInfo]:
        await handshake(conn, default_name(), checked, "", timeout)
        conn.send_encoded(P.encode(P.ListStreams()))
        streams = await conn.answer(P.Streams, deadline_of(timeout), "LIST")
        return [stream_info(entry, conn.address) for entry in streams.streams]

    conn = await AioConnection.open(host, port, timeout)
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
        conn = await AioConnection.open(self._host, self._port, self._timeout)
        try:
            await handshake(conn, default_name(), self._token, "", self._timeout)
            conn.send_encoded(P.encode(self._request))
            answer = await conn.answer(P.Publishing, deadline_of(self._timeout), "PUBLISH")
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
            lent = await self._conn.answer(P.Slot, deadline_of(timeout), "WRITE")
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
