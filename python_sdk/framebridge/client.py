"""The client: handshake, frame requests, leases, results."""

import dataclasses
import logging
import time
from typing import Any, Callable, Dict, Iterator, NoReturn, Optional, Tuple, TypeVar, Union

from . import _protocol as P
from ._connection import Connection
from ._handshake import checked_stream_name, checked_token, default_name, handshake
from ._layout import LAYOUT_VERSION
from ._segment import Segment, read_sequence
from ._written_pages import mapping_address, revert
from .errors import (FrameBridgeError, LeaseLimit, ProtocolMismatch, ServerGone,
                     ServerUnavailable, StreamEnded, StreamNotFound, Timeout)
from .frame import Frame, _Lease, check_frame, new_frame
from .results import Result, ResultInbox, result_message
from .rtsp import RtspClient, is_this_machine, open_rtsp

_log = logging.getLogger("framebridge")
_RETRY_FIRST_S = 0.05  # reconnect=True: the first pause between tries, doubled up to the last
_RETRY_LAST_S = 1.0
_Result = TypeVar("_Result")
_WAITS = ("block", "spin")  # Client(wait=...)


class Client:
    """A connection to a FrameBridge server and a view of one of its streams (fb.connect()
    makes one).

    host, port: the server's address (framebridge-server --listen, --port).
    stream: the name of the stream to read (fb.list_streams() lists them); None reads the
        server's first stream. A name the server does not have is StreamNotFound.
    name: shown in the server's statistics (default: the script's file name).
    token: the server's --token; None reads $FRAMEBRIDGE_TOKEN (unset: no token).
    timeout: seconds to connect and for the handshake; None waits forever.
    reconnect: when the server goes (stops, crashes, restarts), latest() waits for one at
        the same address with the same stream (by name) instead of raising ServerGone, and
        goes on with its frames.
    frame_timeout: seconds `for frame in client` waits for a frame before it raises Timeout;
        None waits forever.
    wait: "block" (the default) sleeps until the server's message comes; "spin" keeps asking
        for it without sleeping, which saves the wake-up of a sleeping thread (tens of µs on
        a quiet machine, more on a busy one) at the cost of one CPU core kept busy for as
        long as the client waits. Frames, leases and timeouts are the same either way, and
        Ctrl+C interrupts a spinning wait as it does a sleeping one.

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
        self._host = host
        self._port = port
        self._stream_name = "" if stream is None else checked_stream_name(stream, "stream")
        self._name = name or default_name()
        self._token = checked_token(token)
        self._timeout = timeout
        self._reconnect = reconnect
        self._frame_timeout = frame_timeout
        self._unsure = False  # an exception came mid-exchange: the next call reconnects
        self._conn, self._welcome, self._segment = self._open(timeout)
        self._stream_name = self._welcome.stream  # reconnect=True: the same stream, by name
        self._closed = False
        self._failure: Optional[FrameBridgeError] = None
        self._lost: Optional[ServerGone] = None  # reconnect=True: gone, not yet replaced
        self._reconnects = 0
        self._retry_s = 0.0  # reconnect=True: the pause before the next try (0: at once)
        self._next_try = 0.0  # time.perf_counter() of the next try
        self._held: Dict[int, _Lease] = {}  # seq -> lease whose RELEASE is not sent yet
        self._last_seq = 0
        self._request_outstanding = False
        self._stream = P.Stream(P.StreamState.LIVE, "")
        self._retired: Dict[int, _Lease] = {}  # held frames of an older segment generation
        # The frame that answered the REQUEST while results() read, for the next latest():
        # taken at once, so its lease is tracked and follows a new segment generation.
        self._answer: Optional[Frame] = None
        self._watching = False  # results() was called: every connection sends WATCH
        self._inbox = ResultInbox()

    def _open(self, timeout: Optional[float]) -> Tuple[Connection, P.Welcome, Segment]:
        conn = Connection(self._host, self._port, timeout, spin=self._spin)
        try:
            w = handshake(conn, self._name, self._token, self._stream_name, timeout)
            return conn, w, Segment(w.segment_name, w.segment_size, w.session_id, w.slot_count)
        except BaseException:
            conn.close()
            raise

    @property
    def reconnects(self) -> int:
        """How many times this client has connected again after losing its server."""
        return self._reconnects

    @property
    def stream(self) -> str:
        """The name of the stream this client reads (the server's first when none was
        asked for)."""
        return self._welcome.stream

    @property
    def segment_name(self) -> str:
        """The stream's shared-memory segment (/dev/shm/NAME; Local\\NAME on Windows)."""
        return self._welcome.segment_name

    @property
    def session_id(self) -> int:
        """The segment's random session id: a new one each time the server makes a segment."""
        return self._welcome.session_id

    @property
    def max_leases(self) -> int:
        """How many frames this client may hold at once."""
        return self._welcome.max_leases

    @property
    def slot_count(self) -> int:
        """Slots in the server's ring (its --slots)."""
        return self._welcome.slot_count

    @property
    def client_id(self) -> int:
        """This connection's number in the server's statistics."""
        return self._welcome.client_id

    @property
    def results_skipped(self) -> int:
        """Results on this client's stream that results() did not yield because it read
        them too slowly (the server's count and this client's, which keeps the newest 8)."""
        return self._inbox.skipped

    @property
    def stream_state(self) -> P.StreamState:
        """LIVE, ENDED (no more frames) or LOST (the server is reopening its source), as the
        server last said."""
        return P.StreamState(self._stream.state)

    @property
    def newest_seq(self) -> int:
        """Sequence number of the newest published frame, read from shared memory."""
        return self._segment.newest_seq()

    def _fail(self, exc: FrameBridgeError) -> NoReturn:
        self._lose(exc)
        raise exc

    def _lose(self, exc: FrameBridgeError) -> None:
        """The connection is unusable: with reconnect=True a lost server is replaced by the
        next latest(); any other failure is raised by it from now on."""
        if self._reconnect and isinstance(exc, ServerGone):
            self._drop_connection(exc)
        else:
            self._failure = exc
            self._conn.close()  # the server takes back every lease of a closed connection

    def _let_go_of_leases(self) -> None:
        """Stop tracking every lease: their RELEASE is never sent (the connection that
        holds them closes, or is gone)."""
        self._held.clear()
        self._retired.clear()
        self._answer = None

    def _drop_connection(self, exc: ServerGone) -> None:
        """reconnect=True lost the server: forget its leases; the next latest() reconnects."""
        _log.warning("%s; reconnecting", exc)
        self._conn.close()
        self._lost = exc
        self._let_go_of_leases()  # no server knows them any more
        self._request_outstanding = False

    def _connect_again(self, deadline: Optional[float], timeout: Optional[float]) -> None:
        """Connect to host:port again, until the deadline; a new session (the header's
        session id differs) starts its frame numbers again.

        Tries are spaced by a pause that doubles up to 1 s, across calls and across
        connections that die before a frame (reset by the next frame), so polling with
        timeout=0 still reconnects and a server that accepts and drops does not spin us. One
        try may take the connect timeout.
        """
        while True:
            if time.perf_counter() >= self._next_try:
                try:
                    conn, welcome, segment = self._open(self._timeout)
                    break
                except (ServerUnavailable, ServerGone, Timeout, StreamNotFound):
                    pass  # a published stream comes back when its publisher does
                finally:
                    self._retry_s = min(max(2 * self._retry_s, _RETRY_FIRST_S), _RETRY_LAST_S)
                    self._next_try = time.perf_counter() + self._retry_s
            remaining = None if deadline is None else deadline - time.perf_counter()
            if remaining is not None and remaining <= 0:
                raise Timeout(f"{self._lost}; no server answered there again within "
                              f"{timeout} s (the next latest() goes on trying)")
            wait = max(0.0, self._next_try - time.perf_counter())
            time.sleep(wait if remaining is None else min(wait, remaining))
        new_session = self._adopt(conn, welcome, segment)
        self._lost = None
        self._reconnects += 1
        _log.warning("reconnected to the FrameBridge server at %s (%s)", conn.address,
                     "a new session" if new_session else "the same session")

    def _adopt(self, conn: Connection, welcome: P.Welcome, segment: Segment) -> bool:
        """Go on with a new connection; True if it is a new session (frame numbers restart)."""
        new_session = welcome.session_id != self._welcome.session_id
        self._segment.close()  # frames still in use keep their own mapping
        self._conn, self._welcome, self._segment = conn, welcome, segment
        if new_session:
            self._last_seq = 0
        self._stream = P.Stream(P.StreamState.LIVE, "")
        if self._watching:
            try:
                conn.send(P.Watch(True))
            except ServerGone:
                pass  # the next read finds the connection gone
        return new_session

    def _resync(self) -> None:
        """An exception came between two halves of an exchange with the server (a message
        read but not acted on, a REQUEST sent but not noted): what the server believes is
        unknown, so start a new connection. Closing the old one gives back its frames."""
        self._conn.close()
        self._let_go_of_leases()
        self._request_outstanding = False
        try:
            conn, welcome, segment = self._open(self._timeout)
        except FrameBridgeError as exc:
            lost = ServerGone(f"an exception interrupted this client mid-exchange with the "
                              f"FrameBridge server at {self._conn.address}, and connecting "
                              f"again failed: {exc}")
            if self._reconnect:
                self._lost = lost  # the next latest() goes on trying
            else:
                self._failure = lost
            raise lost from None
        self._adopt(conn, welcome, segment)
        _log.info("connected again to the FrameBridge server at %s after an exception "
                  "interrupted an exchange with it", conn.address)

    def _guarded(self, action: Callable[..., _Result], *args: Any) -> _Result:
        """Run one exchange with the server so that no exception can leave it half done.

        The SDK's own errors are raised where the client is consistent, and so is an
        exception raised while it waited for the server with nothing received (Ctrl+C in
        `for frame in client`). Any other exception may have come between two halves of the
        exchange: the client is marked unsure first and cleared only after, so the next
        call starts a new connection (_resync).
        """
        if self._unsure and self._lost is None:
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

    def _send(self, message: P.Message) -> None:
        self._send_encoded(P.encode(message))

    def _send_encoded(self, data: bytes) -> None:
        try:
            self._conn.send_encoded(data)
        except ServerGone as exc:
            self._fail(exc)

    def _send_unless_lost(self, data: bytes) -> None:
        """Messages that need no answer; with reconnect=True a lost server is not an error
        here: the next latest() or results() connects again (and watches again)."""
        if self._lost is not None:
            return
        try:
            self._guarded(self._send_encoded, data)
        except ServerGone:
            if not self._reconnect or self._failure is not None:
                raise

    def _check_usable(self) -> None:
        if self._closed:
            raise FrameBridgeError("this FrameBridge client is closed")
        if self._failure is not None:
            raise self._failure

    def _forget(self, seq: int) -> bool:
        """Stop tracking the lease of frame seq; True if this client still held it."""
        return (self._held.pop(seq, None) or self._retired.pop(seq, None)) is not None

    def _give_back_free(self) -> None:
        """Send RELEASE for every frame whose Frame and arrays are all done with it."""
        done_ns = time.perf_counter_ns()
        for lease in [*self._held.values(), *self._retired.values()]:
            if lease.free and self._forget(lease.seq):
                self._send(P.Release(lease.slot, lease.seq, lease.receive_ns, done_ns))

    def _release_now(self, lease: _Lease) -> None:
        """Frame.release(): give the frame back now, unless arrays made from it still hold
        it (then the first call after they are gone does)."""
        if self._closed or self._failure is not None or self._lost is not None \
                or not lease.free:
            return
        try:
            self._guarded(self._give_back_free)
        except ServerGone:
            pass  # _fail noted it: reported or replaced by the next latest()

    def _lease_limit_error(self) -> FrameBridgeError:
        held = ", ".join(str(seq) for seq in sorted(self._held))
        kept = sorted(seq for seq, lease in self._held.items() if lease.kept_by_arrays)
        why = (f"; frame(s) {', '.join(map(str, kept))} were released, but arrays made from "
               f"them are still referenced (kept in a list or a variable), and an array keeps "
               f"its frame: keep frame.copy() instead of frame.array, or del the arrays"
               if kept else "; release one (frame.release() or `with frame:`) first")
        return LeaseLimit(
            f"this client holds {len(self._held)} frame(s) (seq {held}), the server allows "
            f"{self.max_leases}{why}, or start the server with more --slots")

    def latest(self, timeout: Optional[float] = None) -> Frame:
        """The newest frame, newer than any this client received before.

        Waits at most timeout seconds (None: forever) and raises Timeout after; the
        request stays open, so the next call goes on waiting for the same answer. With
        reconnect=True a lost server is waited for within the same timeout.
        """
        self._check_usable()
        deadline = None if timeout is None else time.perf_counter() + timeout
        while True:
            if self._lost is not None:
                self._connect_again(deadline, timeout)
            try:
                return self._guarded(self._latest, deadline, timeout)
            except ServerGone:
                if not self._reconnect or self._failure is not None:
                    raise

    def _latest(self, deadline: Optional[float], timeout: Optional[float]) -> Frame:
        if self._answer is not None:  # it came while results() read
            frame, self._answer = self._answer, None
            return frame
        self._give_back_free()
        if not self._request_outstanding:
            if len(self._held) >= self.max_leases:
                self._take_notices()  # a new segment generation frees the old frames' count
            if len(self._held) >= self.max_leases:
                raise self._lease_limit_error()
            self._send(P.Request(self._last_seq))
            self._request_outstanding = True
        message: Optional[P.Message]
        while True:
            # An ended stream answers at once, unless the server has said more meanwhile.
            ended = self._stream.state == P.StreamState.ENDED
            message = self._receive(time.perf_counter() if ended else deadline)
            receive_ns = time.perf_counter_ns()
            if not self._take_notice(message):
                break
        if message is None:
            if self._stream.state == P.StreamState.ENDED:
                raise StreamEnded(f"the stream '{self.stream}' of the FrameBridge server "
                                  f"at {self._conn.address} has ended: {self._stream.text}")
            lost = (f"; the source is lost: {self._stream.text}"
                    if self._stream.state == P.StreamState.LOST else "")
            raise Timeout(f"no frame from the FrameBridge server at {self._conn.address} "
                          f"within {timeout} s (newest_seq {self.newest_seq}){lost}")
        if isinstance(message, P.Error):
            self._fail(self._conn.error(message))
        if not isinstance(message, P.FrameMsg):
            self._fail(ProtocolMismatch(f"FrameBridge server at {self._conn.address} sent "
                                        f"{type(message).__name__} instead of FRAME"))
        self._request_outstanding = False
        return self._accept(message, receive_ns)

    def _receive(self, deadline: Optional[float]) -> Optional[P.Message]:
        try:
            return self._conn.receive(deadline)
        except FrameBridgeError as exc:
            self._fail(exc)

    def _take_notices(self) -> None:
        """Act on every message that has arrived, without waiting."""
        while True:
            message = self._receive(time.perf_counter())
            if message is None:
                return
            self._route(message)

    def _route(self, message: P.Message) -> None:
        """Act on a message that came while no FRAME was awaited: a notice, a result, or
        the FRAME answering a REQUEST (kept for the next latest())."""
        if self._take_notice(message):
            return
        if isinstance(message, P.FrameMsg) and self._request_outstanding \
                and self._answer is None:
            self._request_outstanding = False
            self._answer = self._accept(message, time.perf_counter_ns())
            return
        if isinstance(message, P.Error):
            self._fail(self._conn.error(message))
        self._fail(ProtocolMismatch(f"FrameBridge server at {self._conn.address} sent "
                                    f"{type(message).__name__} unasked"))

    def _take_notice(self, message: Optional[P.Message]) -> bool:
        """Act on a SEGMENT, STREAM or RESULT_FROM message; False for any other message."""
        if isinstance(message, P.Segment):
            self._follow(message)
        elif isinstance(message, P.Stream):
            self._stream = message
        elif isinstance(message, P.ResultFrom):
            self._inbox.add(message)
        else:
            return False
        return True

    def _follow(self, msg: P.Segment) -> None:
        """Move to the server's new segment generation (a new source or size).

        Frames of the old one stay readable (their arrays keep the old mapping alive) and
        are still given back, but no longer count against max_leases.
        """
        if msg.layout_version != LAYOUT_VERSION:
            self._fail(ProtocolMismatch(f"FrameBridge server at {self._conn.address} moved to "
                                        f"layout version {msg.layout_version}; this SDK reads "
                                        f"{LAYOUT_VERSION}"))
        try:
            segment = Segment(msg.segment_name, msg.segment_size, msg.session_id,
                              msg.slot_count)
        except FrameBridgeError as exc:
            self._fail(exc)
        self._segment.close()
        self._segment = segment
        self._welcome = dataclasses.replace(
            self._welcome, segment_name=msg.segment_name, segment_size=msg.segment_size,
            session_id=msg.session_id, slot_count=msg.slot_count, max_leases=msg.max_leases)
        self._retired.update(self._held)
        self._held.clear()

    def _accept(self, msg: P.FrameMsg, receive_ns: int) -> Frame:
        if msg.seq <= self._last_seq:
            self._fail(ProtocolMismatch(f"FRAME seq {msg.seq} is not above the requested "
                                        f"after_seq {self._last_seq}"))
        # A frame this client still holds in the same slot is fine if its lease was taken
        # back (the seqlock moved on): the server may hand that slot to it again at once.
        if any(lease.slot == msg.slot and read_sequence(self._segment.mm, msg.slot) == lease.seq
               for lease in self._held.values()):
            self._fail(ProtocolMismatch(f"FRAME seq {msg.seq}: slot {msg.slot} is already "
                                        f"leased to this client"))
        try:
            check_frame(msg, self._segment)
            self._forget_drawing(msg.slot)
            frame = new_frame(self._segment, msg, receive_ns, self._release_now)
        except FrameBridgeError as exc:
            self._fail(exc)
        frame._lease.connection = self._reconnects
        self._held[msg.seq] = frame._lease
        self._last_seq = msg.seq
        self._retry_s = self._next_try = 0.0  # a server that gives frames: next time, at once
        return frame

    def _forget_drawing(self, slot: int) -> None:
        """Drop what this process drew into the slot under an earlier frame, so the next frame
        there shows the shared pixels (_written_pages); on Windows, map the segment anew."""
        seg = self._segment
        if not revert(seg.mm, mapping_address(seg.mm), seg.slot_offset(slot),
                      seg.slot_capacity):
            self._segment = Segment(seg.name, seg.segment_size, seg.session_id,
                                    seg.slot_count)
            seg.close()

    def __iter__(self) -> Iterator[Frame]:
        """Frames until the stream ends; each step releases the previous frame (arrays made
        from it keep it until they are gone), then waits for the newest, at most
        frame_timeout seconds (Timeout)."""
        previous: Optional[Frame] = None
        while True:
            if previous is not None:
                previous.release()
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
        if not isinstance(frame, Frame):
            raise TypeError(f"frame={frame!r}: give the fb.Frame the result is about")
        if frame._on_release != self._release_now:
            raise ValueError(f"frame {frame.seq} came from another client: send its result "
                             f"with the client that received it")
        data = result_message(frame.seq, frame.capture_ns, time.perf_counter_ns(),
                              boxes=boxes, labels=labels, scores=scores, points=points,
                              polylines=polylines, text=text)
        self._check_usable()
        if frame._lease.connection != self._reconnects:
            return
        self._send_unless_lost(data)

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
        if not self._watching:
            self._watching = True
            self._send_unless_lost(P.encode(P.Watch(True)))
        return self._results(timeout)

    def _results(self, timeout: Optional[float]) -> Iterator[Result]:
        while True:
            deadline = None if timeout is None else time.perf_counter() + timeout
            result = self._wait_result(deadline, timeout)
            if result is None:
                return
            yield result

    def _wait_result(self, deadline: Optional[float],
                     timeout: Optional[float]) -> Optional[Result]:
        """The next result; None at the deadline or when the stream has ended."""
        self._check_usable()
        while True:
            if self._lost is not None:
                if len(self._inbox):
                    return self._inbox.take()
                try:
                    self._connect_again(deadline, timeout)
                except Timeout:
                    return None
            try:
                return self._guarded(self._next_result, deadline)
            except ServerGone:
                if not self._reconnect or self._failure is not None:
                    raise

    def _next_result(self, deadline: Optional[float]) -> Optional[Result]:
        # What has already arrived goes in first, so a reader that fell behind skips to the
        # newest instead of reading a backlog.
        self._take_notices()
        while not len(self._inbox):
            if self._stream.state == P.StreamState.ENDED:
                return None
            message = self._receive(deadline)
            if message is None:
                return None
            self._route(message)
        return self._inbox.take()

    def close(self) -> None:
        """Give back every frame and disconnect; arrays still in use stay readable."""
        if self._closed:
            return
        self._closed = True
        if self._failure is None and self._lost is None and not self._unsure:
            try:
                self._give_back_free()
            except (FrameBridgeError, OSError):
                pass
        self._let_go_of_leases()  # closing the connection gives them back
        self._conn.close()
        self._segment.close()

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
    wait: "block" (the default) sleeps until the server's message comes; "spin" keeps asking
        for it without sleeping, which saves the wake-up of a sleeping thread (tens of µs on
        a quiet machine, more on a busy one) at the cost of one CPU core kept busy for as
        long as the client waits. Frames, leases and timeouts are the same either way, and
        Ctrl+C interrupts a spinning wait as it does a sleeping one.
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
