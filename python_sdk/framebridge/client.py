"""The client: handshake, frame requests, leases, results."""

import logging
import time
from typing import Any, Callable, Iterator, Optional, Tuple, TypeVar, Union

from . import _protocol as P
from ._connection import Connection
from ._deadline import deadline_of
from ._handshake import checked_stream_name, checked_token, default_name, handshake
from ._segment import Segment
from ._session import Session
from .errors import (FrameBridgeError, ServerGone, ServerUnavailable, StreamEnded,
                     StreamNotFound, Timeout)
from .frame import Frame, _Lease
from .results import Result
from .rtsp import RtspClient, is_this_machine, open_rtsp

_log = logging.getLogger("framebridge")
_Result = TypeVar("_Result")
# What connecting again may meet and go on trying after: a published stream comes back when
# its publisher does.
RETRIED = (ServerUnavailable, ServerGone, Timeout, StreamNotFound)
_WAITS = ("block", "spin")  # Client(wait=...)


class SessionView:
    """What a reading client shows of its Session: the same properties on the blocking Client
    and on framebridge.asyncio's."""

    _s: Session

    def _configure(self, host: str, port: int, stream: Optional[str], name: Optional[str],
                   token: Optional[str], timeout: Optional[float], reconnect: bool,
                   frame_timeout: Optional[float]) -> None:
        """Check and keep connect()'s arguments (ValueError, FrameBridgeError before any
        connection is made)."""
        self._host = host
        self._port = port
        self._stream_name = "" if stream is None else checked_stream_name(stream, "stream")
        self._name = name or default_name()
        self._token = checked_token(token)
        self._timeout = timeout
        self._reconnect = reconnect
        self._frame_timeout = frame_timeout

    @property
    def reconnects(self) -> int:
        """How many times this client has connected again after losing its server."""
        return self._s.reconnects

    @property
    def stream(self) -> str:
        """The name of the stream this client reads (the server's first when none was
        asked for)."""
        return self._s.welcome.stream

    @property
    def segment_name(self) -> str:
        """The stream's shared-memory segment (/dev/shm/NAME; Local\\NAME on Windows)."""
        return self._s.welcome.segment_name

    @property
    def session_id(self) -> int:
        """The segment's random session id: a new one each time the server makes a segment."""
        return self._s.welcome.session_id

    @property
    def max_leases(self) -> int:
        """How many frames this client may hold at once."""
        return self._s.welcome.max_leases

    @property
    def slot_count(self) -> int:
        """Slots in the server's ring (its --slots)."""
        return self._s.welcome.slot_count

    @property
    def client_id(self) -> int:
        """This connection's number in the server's statistics."""
        return self._s.welcome.client_id

    @property
    def results_skipped(self) -> int:
        """Results on this client's stream that results() did not yield because it read
        them too slowly (the server's count and this client's, which keeps the newest 8)."""
        return self._s.inbox.skipped

    @property
    def stream_state(self) -> P.StreamState:
        """LIVE, ENDED (no more frames) or LOST (the server is reopening its source), as the
        server last said."""
        return P.StreamState(self._s.stream.state)

    @property
    def newest_seq(self) -> int:
        """Sequence number of the newest published frame, read from shared memory."""
        return self._s.segment.newest_seq()

    @property
    def _segment(self) -> Segment:
        """The mapping of the stream's current segment generation."""
        return self._s.segment


class Client(SessionView):
    """A connection to a FrameBridge server and a view of one of its streams (fb.connect()
    makes one).

    The arguments are fb.connect()'s, all but rtsp_port: help(fb.connect) says what each
    does.

    An exception at any point (Ctrl+C included) leaves the client usable: if it came while
    the client was between two halves of an exchange with the server, the next call starts
    a new connection, and the frames held on the old one are given back with it.
    Not thread-safe: use one Client per thread.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 7600, *,
                 stream: Optional[str] = None, name: Optional[str] = None,
                 token: Optional[str] = None, timeout: Optional[float] = 5.0,
                 reconnect: bool = False, frame_timeout: Optional[float] = 10.0,
                 wait: str = "block") -> None:
        self._closed = True
        if wait not in _WAITS:
            raise ValueError(f"wait={wait!r} is not a way to wait: pass one of "
                             f"{', '.join(repr(w) for w in _WAITS)}")
        self._spin = wait == "spin"
        self._configure(host, port, stream, name, token, timeout, reconnect, frame_timeout)
        self._unsure = False  # an exception came mid-exchange: the next call reconnects
        self._conn, welcome, segment = self._open(timeout)
        self._stream_name = welcome.stream  # reconnect=True: the same stream, by name
        # The protocol's state: this class only moves its bytes and waits.
        self._s = Session(self._conn.address, welcome, segment, reconnect=reconnect,
                          on_release=self._release_now, on_close=self._close_connection,
                          spin=self._spin)
        self._closed = False
        self._flush_unless_lost()  # SPIN

    def _open(self, timeout: Optional[float]) -> Tuple[Connection, P.Welcome, Segment]:
        conn = Connection(self._host, self._port, timeout, spin=self._spin)
        try:
            w = handshake(conn, self._name, self._token, self._stream_name, timeout)
            return conn, w, Segment(w.segment_name, w.segment_size, w.session_id, w.slot_count)
        except BaseException:
            conn.close()
            raise

    def _close_connection(self) -> None:
        self._conn.close()

    def _connect_again(self, deadline: Optional[float], timeout: Optional[float]) -> None:
        """Connect to host:port again, until the deadline; a new session (the header's
        session id differs) starts its frame numbers again. Tries are spaced as
        Session.tried() says; one try may take the connect timeout."""
        while True:
            if self._s.retry_due():
                try:
                    conn, welcome, segment = self._open(self._timeout)
                    break
                except RETRIED:
                    pass
                finally:
                    self._s.tried()
            time.sleep(self._s.retry_pause(deadline, timeout))
        self._conn = conn
        self._s.reconnected(conn.address, welcome, segment)
        self._send_greeting_again()

    def _resync(self) -> None:
        """An exception came between two halves of an exchange with the server (a message
        read but not acted on, a REQUEST sent but not noted): what the server believes is
        unknown, so start a new connection. Closing the old one gives back its frames."""
        self._conn.close()
        self._s.let_go_of_leases()
        try:
            conn, welcome, segment = self._open(self._timeout)
        except FrameBridgeError as exc:
            lost = ServerGone(f"an exception interrupted this client mid-exchange with the "
                              f"FrameBridge server at {self._conn.address}, and connecting "
                              f"again failed: {exc}")
            if self._reconnect:
                self._s.lost = lost  # the next latest() goes on trying
            else:
                self._s.failure = lost
            raise lost from None
        self._conn = conn
        self._s.adopt(conn.address, welcome, segment)
        self._send_greeting_again()
        _log.info("connected again to the FrameBridge server at %s after an exception "
                  "interrupted an exchange with it", conn.address)

    def _send_greeting_again(self) -> None:
        """A new connection says again what the client said on its first: SPIN when it spins,
        WATCH when it watches results."""
        data = self._s.data_to_send()
        try:
            if data:
                self._conn.send_encoded(data)
        except ServerGone:
            pass  # the next read finds the connection gone

    def _guarded(self, action: Callable[..., _Result], *args: Any) -> _Result:
        """Run one exchange with the server so that no exception can leave it half done.

        The SDK's own errors are raised where the client is consistent, and so is an
        exception raised while it waited for the server with nothing received (Ctrl+C in
        `for frame in client`). Any other exception may have come between two halves of the
        exchange: the client is marked unsure first and cleared only after, so the next
        call starts a new connection (_resync).
        """
        if self._unsure and self._s.lost is None:
            self._resync()
        self._unsure = True
        try:
            result = action(*args)
        except FrameBridgeError:
            self._unsure = False
            raise
        except BaseException:
            if self._conn.idle():
                self._unsure = False
            raise
        self._unsure = False
        return result

    def _flush(self) -> None:
        """Send what the session queued."""
        data = self._s.data_to_send()
        if not data:
            return
        try:
            self._conn.send_encoded(data)
        except ServerGone as exc:
            self._s.fail(exc)

    def _flush_unless_lost(self, action: Optional[Callable[..., None]] = None,
                           *args: Any) -> None:
        """Send messages that need no answer (what action queues and sends, or what is
        queued); with reconnect=True a lost server is not an error here: the next latest()
        or results() connects again (and watches again)."""
        if self._s.lost is not None:
            return
        try:
            self._guarded(action or self._flush, *args)
        except ServerGone:
            if not self._reconnect or self._s.failure is not None:
                raise

    def _check_usable(self) -> None:
        if self._closed:
            raise FrameBridgeError("this FrameBridge client is closed")
        self._s.check_usable()

    def _give_back_free(self) -> None:
        self._s.give_back_free()
        self._flush()

    def _release_now(self, lease: _Lease) -> None:
        """Frame.release(): give the frame back now, unless arrays made from it still hold
        it (then the first call after they are gone does)."""
        if self._closed or not self._s.may_release(lease):
            return
        try:
            self._guarded(self._give_back_free)
        except ServerGone:
            pass  # fail() noted it: reported or replaced by the next latest()

    def latest(self, timeout: Optional[float] = None) -> Frame:
        """The newest frame, newer than any this client received before.

        Waits at most timeout seconds (None: forever) and raises Timeout after; the
        request stays open, so the next call goes on waiting for the same answer. With
        reconnect=True a lost server is waited for within the same timeout.
        """
        self._check_usable()
        deadline = deadline_of(timeout)
        while True:
            if self._s.lost is not None:
                self._connect_again(deadline, timeout)
            try:
                return self._guarded(self._latest, deadline, timeout)
            except ServerGone:
                if not self._reconnect or self._s.failure is not None:
                    raise

    def _latest(self, deadline: Optional[float], timeout: Optional[float]) -> Frame:
        s = self._s
        frame = s.take_answer()  # it came while results() read
        if frame is not None:
            self._give_back_free()
            return frame
        # Frames given back go with the REQUEST: one send, one wake-up of the server a frame.
        s.give_back_free()
        if s.needs_notices():
            self._take_notices()
        try:
            s.request()
        finally:
            self._flush()  # the RELEASEs go even when every lease is in use (LeaseLimit)
        ready = None
        while True:
            if self._spin:
                frame = s.take_grant(time.perf_counter_ns())
                if frame is not None:
                    return frame
                ready = s.grant_probe()
            message = self._receive(s.frame_deadline(deadline), ready)
            if message is None and ready is not None and ready():
                continue
            frame = s.frame_or_notice(message, time.perf_counter_ns(), timeout)
            if frame is not None:
                return frame

    def _receive(self, deadline: Optional[float],
                 ready: Optional[Callable[[], bool]] = None) -> Optional[P.Message]:
        try:
            return self._conn.receive(deadline, ready)
        except FrameBridgeError as exc:
            self._s.fail(exc)

    def _take_notices(self) -> None:
        """Act on every message that has arrived, without waiting."""
        while True:
            message = self._receive(time.perf_counter())
            if message is None:
                return
            self._s.route(message)

    def __iter__(self) -> Iterator[Frame]:
        """Frames until the stream ends; each step releases the previous frame (arrays made
        from it keep it until they are gone), then waits for the newest, at most
        frame_timeout seconds (Timeout)."""
        previous: Optional[Frame] = None
        while True:
            if previous is not None:
                previous._let_go()  # given back with the next REQUEST, in the same send
            try:
                previous = self.latest(timeout=self._frame_timeout)
            except StreamEnded:
                return
            yield previous

    def send_result(self, frame: Frame, *, boxes: Any = (), labels: Any = (),
                    scores: Any = (), points: Any = (), polylines: Any = (),
                    text: str = "") -> None:
        """Tell the server, and every client watching this stream (results()), what you found
        in frame, a frame this client received (released or not).

        boxes: (x, y, w, h); points: (x, y); polylines: lists of (x, y), e.g. OpenCV's
            contours. Lists, tuples or NumPy arrays of any int or float dtype, in the frame's
            own pixels (floats are rounded to whole pixels; every value fits an int32; w and
            h are 0 or more).
        labels (str, at most 64 UTF-8 bytes) and scores (finite numbers): none, or one per
            box. text: one line, at most 1024 UTF-8 bytes.
        At most 1024 boxes, 4096 points, 256 polylines of 4096 points in all, and 65536
        bytes in all (a box takes 16 bytes, a point 8).
        Everything is checked before anything is sent: ValueError names the field, the item
        and its value. Sent at once, in one message; no answer is awaited. With
        reconnect=True a result for a server that has gone is dropped, and so is one for a
        frame received before the client reconnected (its seq would name another frame).
        """
        data = self._s.result_data(frame, dict(boxes=boxes, labels=labels, scores=scores,
                                               points=points, polylines=polylines, text=text))
        self._check_usable()
        # Queued within the guarded exchange: a new connection started by _resync() (which
        # drops what was queued for the old one) still sends it.
        self._flush_unless_lost(self._queue_and_flush_result, frame, data)

    def _queue_and_flush_result(self, frame: Frame, data: bytes) -> None:
        if self._s.queue_result(frame, data):
            self._flush()

    def results(self, timeout: Optional[float] = None) -> Iterator[Result]:
        """The results clients send for frames of this stream (send_result()), this client's
        own included, from now on, in the order the server got them.

        Iterate it: `for result in client.results(timeout=1.0):`. It ends when no result
        comes for timeout seconds (None: it waits forever) and when the stream ends. Results
        that come while nobody reads them (frames are read, or nothing is) wait, the newest
        8 of them; a reader that falls behind skips to the newest, and Result.skipped and
        client.results_skipped count what it skipped. latest() and results() may take turns
        on one client.
        """
        self._check_usable()
        if self._s.watch():
            self._flush_unless_lost()
        return self._results(timeout)

    def _results(self, timeout: Optional[float]) -> Iterator[Result]:
        while True:
            deadline = deadline_of(timeout)
            result = self._wait_result(deadline, timeout)
            if result is None:
                return
            yield result

    def _wait_result(self, deadline: Optional[float],
                     timeout: Optional[float]) -> Optional[Result]:
        """The next result; None at the deadline or when the stream has ended."""
        self._check_usable()
        while True:
            if self._s.lost is not None:
                if self._s.has_results():
                    return self._s.next_result()
                try:
                    self._connect_again(deadline, timeout)
                except Timeout:
                    return None
            try:
                return self._guarded(self._next_result, deadline)
            except ServerGone:
                if not self._reconnect or self._s.failure is not None:
                    raise

    def _next_result(self, deadline: Optional[float]) -> Optional[Result]:
        # What has already arrived goes in first, so a reader that fell behind skips to the
        # newest instead of reading a backlog.
        self._take_notices()
        while not self._s.has_results():
            if self._s.stream_ended():
                return None
            message = self._receive(deadline)
            if message is None:
                return None
            self._s.route(message)
        return self._s.next_result()

    def close(self) -> None:
        """Give back every frame and disconnect; arrays still in use stay readable."""
        if self._closed:
            return
        self._closed = True
        s = self._s
        if s.failure is None and s.lost is None and not self._unsure:
            try:
                self._give_back_free()
            except (FrameBridgeError, OSError):
                pass
        s.close()
        self._conn.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"client_id={self.client_id}"
        return f"<framebridge.Client {self._conn.address} {self.stream} {state}>"


def connect(host: str = "127.0.0.1", port: int = 7600, *, stream: Optional[str] = None,
            name: Optional[str] = None, token: Optional[str] = None,
            timeout: Optional[float] = 5.0, reconnect: bool = False,
            frame_timeout: Optional[float] = 10.0, wait: str = "block",
            rtsp_port: Optional[int] = None) -> "Union[Client, RtspClient]":
    """Connect to a FrameBridge server and map one of its streams.

    host, port: the server's address (framebridge-server --listen, --port).
    stream: the name of the stream to read (fb.list_streams() lists them); None reads the
        server's first stream. A name the server does not have raises StreamNotFound, whose
        .names lists the streams it has; a name that breaks the stream-name rule, ValueError.
    name: shown in the server's statistics (default: the script's file name).
    token: the server's --token; None reads $FRAMEBRIDGE_TOKEN (unset: no token).
    timeout: seconds to connect and for the handshake; None waits forever.
    reconnect: when the server goes (stops, crashes, restarts), latest() waits for one at
        the same address with the same stream (by name) instead of raising ServerGone, and
        goes on with its frames.
    frame_timeout: seconds `for frame in client` waits for a frame before it raises Timeout;
        None waits forever.
    wait: "block" (the default) sleeps until the server's message comes; "spin" watches,
        without sleeping, the grant cell the server lends this client in shared memory and
        takes each frame the moment the server has leased it (no thread wake-up, nothing
        crossing the socket first; the socket is still read every 20 µs), at the cost of
        one CPU core kept busy for as long as the client waits. Frames, leases and timeouts
        are the same either way, and Ctrl+C interrupts a spinning wait as it does a
        sleeping one.
    rtsp_port: the server's --rtsp-port; used when host is another machine, whose shared
        memory this one cannot map. host may also be an rtsp://HOST:PORT/STREAM URL. Either
        way frames come decoded over RTSP (framebridge.rtsp; frame.transport == "rtsp"), and
        name, reconnect and wait do not apply: an RtspClient has no results, no publishing
        and no reconnecting (docs/rtsp.md).
    """
    if host.startswith("rtsp://") or (rtsp_port is not None and not is_this_machine(host)):
        return open_rtsp(host, stream=stream, port=rtsp_port, token=token, timeout=timeout,
                         frame_timeout=frame_timeout)
    return Client(host, port, stream=stream, name=name, token=token, timeout=timeout,
                  reconnect=reconnect, frame_timeout=frame_timeout, wait=wait)
