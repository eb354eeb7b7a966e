"""A reading client's protocol state, with no I/O: bytes in, frames, results and bytes to
send out.

The blocking Client (client.py) and the asyncio one (asyncio.py) are two drivers over it.
They own a socket and the waiting; this module owns what the messages mean: the REQUEST
that is open, the leases held and their RELEASE, the notices (SEGMENT, STREAM, RESULT_FROM),
the FRAME that came while results() read, the results kept, and whether a lost server is
replaced (reconnect=True) or fatal. It never blocks and never touches a socket: what it
decides to send waits in data_to_send() for its driver, so a driver interrupted while it
sends or waits (Ctrl+C, a cancelled task) finds every decision kept.
"""

import collections
import dataclasses
import logging
import platform
import re
import time
from typing import Any, Callable, Deque, Dict, List, NoReturn, Optional

from . import _protocol as P
from ._layout import GRANT_SLOT_BITS, LAYOUT_VERSION, is_valid_stream_name
from ._segment import Segment, read_descriptor, read_sequence
from ._written_pages import mapping_address, revert
from .errors import (AccessDenied, FrameBridgeError, LeaseLimit, ProtocolMismatch, ServerGone,
                     StreamEnded, StreamExists, StreamNotFound, Timeout)
from .frame import Frame, _Lease, check_frame, new_frame
from .results import Result, ResultInbox, result_message

_log = logging.getLogger("framebridge")
# A grant cell is read with plain loads (Python has no acquire load): right only where the
# CPU keeps loads in order, as x86-64 does. Elsewhere a spinning client spins on its socket.
CELL_LOADS_IN_ORDER = platform.machine().lower() in ("x86_64", "amd64")
_RETRY_FIRST_S = 0.05  # reconnect=True: the first pause between tries, doubled up to the last
_RETRY_LAST_S = 1.0

_BUFFER_BYTES = 2 * P.MAX_MESSAGE_SIZE  # holds any whole message
_NAMES_IN_TEXT = re.compile(r"it has: (?P<names>.*)$")  # ERROR 5's text ends with the names


class MessageBuffer:
    """Bytes received, reassembled into whole messages. A driver reads into free() and says
    how much came with received(); next_message() takes the messages out, one at a time."""

    def __init__(self, address: str) -> None:
        self.address = address
        self._buf = bytearray(_BUFFER_BYTES)
        self._start = 0
        self._end = 0

    def unread(self, limit: int = 24) -> bytes:
        """The first bytes received and not yet taken as a message (for error messages)."""
        return bytes(self._buf[self._start:min(self._end, self._start + limit)])

    def next_message(self) -> Optional[P.Message]:
        """The next whole message received, or None until more bytes come."""
        try:
            message, used = P.decode(memoryview(self._buf)[self._start:self._end])
        except ProtocolMismatch as exc:
            raise ProtocolMismatch(f"FrameBridge server at {self.address} sent a bad "
                                   f"message: {exc}") from None
        self._start += used
        if self._start == self._end:
            self._start = self._end = 0
        return message

    def free(self) -> memoryview:
        """Where the next bytes go (never empty: a message is at most half the buffer)."""
        if self._start and self._end == len(self._buf):
            self._buf[:self._end - self._start] = self._buf[self._start:self._end]
            self._end -= self._start
            self._start = 0
        return memoryview(self._buf)[self._end:]

    def received(self, count: int) -> None:
        """count bytes came into free()."""
        self._end += count


class Session:
    """What a reading client and its server have said to each other, for one client across
    its connections.

    address: "host:port", for error messages. on_release: what Frame.release() calls (the
    driver gives the frame back from there). on_close: closes the driver's connection, which
    gives back every lease it holds; called when the connection becomes unusable.
    Methods raise the SDK's errors; fail() first notes a lost server (reconnect=True: the
    next call connects again, lost is set) or a failure (every later call raises it).
    spin: every connection asks for a grant cell (SPIN), where the server writes each frame
    it leases to this client before it sends the FRAME: take_grant() reads it from there,
    and the FRAME that follows is passed over.
    """

    def __init__(self, address: str, welcome: P.Welcome, segment: Segment, *, reconnect: bool,
                 on_release: Callable[[_Lease], None], on_close: Callable[[], None],
                 spin: bool = False) -> None:
        self.address = address
        self.welcome = welcome
        self.segment = segment
        self.reconnect = reconnect
        self._on_release = on_release
        self._on_close = on_close
        self.failure: Optional[FrameBridgeError] = None
        self.lost: Optional[ServerGone] = None  # reconnect=True: gone, not yet replaced
        self.reconnects = 0
        self._retry_s = 0.0  # reconnect=True: the pause before the next try (0: at once)
        self.next_try = 0.0  # time.perf_counter() of the next try
        self.held: Dict[int, _Lease] = {}  # seq -> lease whose RELEASE is not sent yet
        self._retired: Dict[int, _Lease] = {}  # held frames of an older segment generation
        self.last_seq = 0
        self.request_outstanding = False
        self.stream = P.Stream(P.StreamState.LIVE, "")
        # The frame that answered the REQUEST while results() read, for the next latest():
        # taken at once, so its lease is tracked and follows a new segment generation.
        self._answer: Optional[Frame] = None
        self.watching = False  # results() was called: every connection sends WATCH
        self.inbox = ResultInbox()
        self._outbox = bytearray()
        self.spin = spin
        self.cell: Optional[int] = None  # the grant cell this connection was lent (CELL)
        self._cell_seen = 0  # the newest seq taken from the cell, or passed over there
        self._granted: Deque[int] = collections.deque()  # taken from the cell, FRAME to come
        self._ask_for_cell()

    @property
    def max_leases(self) -> int:
        return self.welcome.max_leases

    def data_to_send(self) -> bytes:
        """What the driver must send now, in this order; taken out of the session."""
        data = bytes(self._outbox)
        self._outbox.clear()
        return data

    def _queue(self, message: P.Message) -> None:
        self._outbox += P.encode(message)

    def _ask_for_cell(self) -> None:
        """A new connection has no cell yet: a spinning client asks for one."""
        self.cell = None
        self._cell_seen = 0
        self._granted.clear()
        if self.spin and CELL_LOADS_IN_ORDER:
            self._queue(P.Spin())

    # -- failures and connections -----------------------------------------------------------

    def check_usable(self) -> None:
        if self.failure is not None:
            raise self.failure

    def fail(self, exc: FrameBridgeError) -> NoReturn:
        self.lose(exc)
        raise exc

    def lose(self, exc: FrameBridgeError) -> None:
        """The connection is unusable: with reconnect=True a lost server is replaced by the
        next latest(); any other failure is raised by it from now on."""
        if self.reconnect and isinstance(exc, ServerGone):
            _log.warning("%s; reconnecting", exc)
            self._on_close()
            self.lost = exc
            self.let_go_of_leases()  # no server knows them any more
        else:
            self.failure = exc
            self._on_close()  # the server takes back every lease of a closed connection

    def let_go_of_leases(self) -> None:
        """Stop tracking every lease: their RELEASE is never sent (the connection that
        holds them closes, or is gone), and nothing queued for it is sent either."""
        self.held.clear()
        self._retired.clear()
        self._answer = None
        self.request_outstanding = False
        self._outbox.clear()
        self._granted.clear()

    def adopt(self, address: str, welcome: P.Welcome, segment: Segment) -> bool:
        """Go on with a new connection; True if it is a new session (frame numbers restart).
        Queues WATCH when results() was called."""
        new_session = welcome.session_id != self.welcome.session_id
        self.segment.close()  # frames still in use keep their own mapping
        self.address, self.welcome, self.segment = address, welcome, segment
        if new_session:
            self.last_seq = 0
        self.stream = P.Stream(P.StreamState.LIVE, "")
        self._outbox.clear()
        self._ask_for_cell()
        if self.watching:
            self._queue(P.Watch(True))
        return new_session

    def reconnected(self, address: str, welcome: P.Welcome, segment: Segment) -> None:
        """reconnect=True found a server again (what the driver's reconnect loop ends with)."""
        new_session = self.adopt(address, welcome, segment)
        self.lost = None
        self.reconnects += 1
        _log.warning("reconnected to the FrameBridge server at %s (%s)", address,
                     "a new session" if new_session else "the same session")

    def retry_due(self) -> bool:
        """reconnect=True: time for the next try to connect."""
        return time.perf_counter() >= self.next_try

    def tried(self) -> None:
        """A try to connect again was made: the next one waits twice as long, up to 1 s,
        across calls and across connections that die before a frame (reset by the next
        frame), so polling with timeout=0 still reconnects and a server that accepts and
        drops does not spin us."""
        self._retry_s = min(max(2 * self._retry_s, _RETRY_FIRST_S), _RETRY_LAST_S)
        self.next_try = time.perf_counter() + self._retry_s

    def retry_pause(self, deadline: Optional[float], timeout: Optional[float]) -> float:
        """Seconds to wait before the next try; Timeout if the deadline has passed."""
        remaining = None if deadline is None else deadline - time.perf_counter()
        if remaining is not None and remaining <= 0:
            raise self.reconnect_timeout(timeout)
        wait = max(0.0, self.next_try - time.perf_counter())
        return wait if remaining is None else min(wait, remaining)

    def reconnect_timeout(self, timeout: Optional[float]) -> Timeout:
        return Timeout(f"{self.lost}; no server answered there again within {timeout} s "
                       f"(the next latest() goes on trying)")

    # -- leases -----------------------------------------------------------------------------

    def _forget(self, seq: int) -> bool:
        """Stop tracking the lease of frame seq; True if this client still held it."""
        return (self.held.pop(seq, None) or self._retired.pop(seq, None)) is not None

    def give_back_free(self) -> None:
        """Queue RELEASE for every frame whose Frame and arrays are all done with it."""
        done_ns = time.perf_counter_ns()
        for lease in [*self.held.values(), *self._retired.values()]:
            if lease.free and self._forget(lease.seq):
                self._queue(P.Release(lease.slot, lease.seq, lease.receive_ns, done_ns))

    def may_release(self, lease: _Lease) -> bool:
        """Frame.release() may give the frame back now: the connection is there and no
        array made from the frame still holds it (else the first call after they are gone
        does)."""
        return self.failure is None and self.lost is None and lease.free

    def lease_limit_error(self) -> FrameBridgeError:
        held = ", ".join(str(seq) for seq in sorted(self.held))
        kept = sorted(seq for seq, lease in self.held.items() if lease.kept_by_arrays)
        why = (f"; frame(s) {', '.join(map(str, kept))} were released, but arrays made from "
               f"them are still referenced (kept in a list or a variable), and an array keeps "
               f"its frame: keep frame.copy() instead of frame.array, or del the arrays"
               if kept else "; release one (frame.release() or `with frame:`) first")
        return LeaseLimit(
            f"this client holds {len(self.held)} frame(s) (seq {held}), the server allows "
            f"{self.max_leases}{why}, or start the server with more --slots")

    # -- latest() ---------------------------------------------------------------------------

    def take_answer(self) -> Optional[Frame]:
        """The FRAME that came while results() read, if one did."""
        frame, self._answer = self._answer, None
        return frame

    def needs_notices(self) -> bool:
        """A REQUEST is due but every lease is used: the driver should pass in what has
        arrived (a new segment generation frees the old frames' count) before request()."""
        return not self.request_outstanding and len(self.held) >= self.max_leases

    def request(self) -> None:
        """Queue the REQUEST for the next frame unless one is open (LeaseLimit when every
        lease is used)."""
        if self.request_outstanding:
            return
        if len(self.held) >= self.max_leases:
            raise self.lease_limit_error()
        self._queue(P.Request(self.last_seq))
        self.request_outstanding = True

    def frame_deadline(self, deadline: Optional[float]) -> Optional[float]:
        """When to stop waiting for the FRAME: an ended stream answers at once, unless the
        server has said more meanwhile."""
        return time.perf_counter() if self.stream.state == P.StreamState.ENDED else deadline

    def frame_or_notice(self, message: Optional[P.Message], receive_ns: int,
                        timeout: Optional[float]) -> Optional[Frame]:
        """latest() received message (None: none came in time): the Frame that answers the
        REQUEST, or None for a notice taken (wait on). Timeout, StreamEnded or the error
        the message says."""
        if self._take_notice(message):
            return None
        if message is None:
            self.no_frame(timeout)
        if isinstance(message, P.Error):
            self.fail(error_for(self.address, message))
        if not isinstance(message, P.FrameMsg):
            self.fail(ProtocolMismatch(f"FrameBridge server at {self.address} sent "
                                       f"{type(message).__name__} instead of FRAME"))
        self.request_outstanding = False
        return self._accept(message, receive_ns)

    def no_frame(self, timeout: Optional[float]) -> NoReturn:
        """No FRAME came in time: StreamEnded if the stream has ended, else Timeout."""
        if self.stream.state == P.StreamState.ENDED:
            raise StreamEnded(f"the stream '{self.welcome.stream}' of the FrameBridge "
                              f"server at {self.address} has ended: {self.stream.text}")
        lost = (f"; the source is lost: {self.stream.text}"
                if self.stream.state == P.StreamState.LOST else "")
        raise Timeout(f"no frame from the FrameBridge server at {self.address} "
                      f"within {timeout} s (newest_seq {self.segment.newest_seq()}){lost}")

    def route(self, message: P.Message) -> None:
        """Act on a message that came while no FRAME was awaited: a notice, a result, or
        the FRAME answering a REQUEST (kept for the next latest())."""
        if self._take_notice(message):
            return
        if isinstance(message, P.FrameMsg) and self.request_outstanding \
                and self._answer is None:
            self.request_outstanding = False
            self._answer = self._accept(message, time.perf_counter_ns())
            return
        if isinstance(message, P.Error):
            self.fail(error_for(self.address, message))
        self.fail(ProtocolMismatch(f"FrameBridge server at {self.address} sent "
                                   f"{type(message).__name__} unasked"))

    def _take_notice(self, message: Optional[P.Message]) -> bool:
        """Act on a SEGMENT, STREAM, RESULT_FROM or CELL message, or pass over the FRAME of a
        frame taken from the grant cell; False for any other message."""
        if isinstance(message, P.FrameMsg) and self._granted \
                and message.seq == self._granted[0]:
            self._granted.popleft()
        elif isinstance(message, P.Segment):
            self._follow(message)
        elif isinstance(message, P.Stream):
            self.stream = message
        elif isinstance(message, P.ResultFrom):
            self.inbox.add(message)
        elif isinstance(message, P.Cell):
            self.cell = message.cell
        else:
            return False
        return True

    # -- the grant cell (spin) --------------------------------------------------------------

    def grant_probe(self) -> Optional[Callable[[], bool]]:
        """A call that says whether the grant cell holds the frame that answers the open
        REQUEST, as cheap as can be for a spinning wait to ask again and again; None when
        nothing can come by the cell (no cell, no REQUEST). Ask for a new one after each
        message taken: a notice may change what it reads."""
        if self.cell is None or not self.request_outstanding:
            return None
        return self.segment.grant_probe(self.cell, self._newest_taken())

    def _newest_taken(self) -> int:
        """The newest seq this client received or passed over in the cell: a grant of no
        newer a frame is not for the open REQUEST."""
        return max(self.last_seq, self._cell_seen)

    def take_grant(self, receive_ns: int) -> Optional[Frame]:
        """The frame the grant cell says the server leased to this client for the open
        REQUEST, or None. The cell is written after the lease is taken and before the FRAME
        is sent, so the frame is this client's already; its FRAME is passed over when it
        comes (by then any SEGMENT sent before it has been followed, and the cell read is
        the current generation's)."""
        if self.cell is None or not self.request_outstanding:
            return None
        word = self.segment.granted(self.cell)
        seq, slot = word >> GRANT_SLOT_BITS, word & ((1 << GRANT_SLOT_BITS) - 1)
        if seq <= self._newest_taken():
            return None
        self._cell_seen = seq
        if slot >= self.segment.slot_count:
            self.fail(ProtocolMismatch(f"grant cell {self.cell} of segment "
                                       f"{self.segment.name} names slot {slot}, past its "
                                       f"{self.segment.slot_count} slots"))
        sequence, *fields = read_descriptor(self.segment.mm, slot)
        if sequence != seq:
            return None  # taken back already: its FRAME says so when it comes
        width, height, stride, pixel_format, payload_size, capture_ns, publish_ns, \
            source_seq = fields
        msg = P.FrameMsg(slot, pixel_format, seq, width, height, stride, payload_size,
                         capture_ns, publish_ns, source_seq)
        self.request_outstanding = False
        self._granted.append(seq)
        return self._accept(msg, receive_ns)

    def _follow(self, msg: P.Segment) -> None:
        """Move to the server's new segment generation (a new source or size).

        Frames of the old one stay readable (their arrays keep the old mapping alive) and
        are still given back, but no longer count against max_leases.
        """
        if msg.layout_version != LAYOUT_VERSION:
            self.fail(ProtocolMismatch(f"FrameBridge server at {self.address} moved to "
                                       f"layout version {msg.layout_version}; this SDK reads "
                                       f"{LAYOUT_VERSION}"))
        try:
            segment = Segment(msg.segment_name, msg.segment_size, msg.session_id,
                              msg.slot_count)
        except FrameBridgeError as exc:
            self.fail(exc)
        self.segment.close()
        self.segment = segment
        self.welcome = dataclasses.replace(
            self.welcome, segment_name=msg.segment_name, segment_size=msg.segment_size,
            session_id=msg.session_id, slot_count=msg.slot_count, max_leases=msg.max_leases)
        self._retired.update(self.held)
        self.held.clear()

    def _accept(self, msg: P.FrameMsg, receive_ns: int) -> Frame:
        if msg.seq <= self.last_seq:
            self.fail(ProtocolMismatch(f"FRAME seq {msg.seq} is not above the requested "
                                       f"after_seq {self.last_seq}"))
        # A frame this client still holds in the same slot is fine if its lease was taken
        # back (the seqlock moved on): the server may hand that slot to it again at once.
        if any(lease.slot == msg.slot and read_sequence(self.segment.mm, msg.slot) == lease.seq
               for lease in self.held.values()):
            self.fail(ProtocolMismatch(f"FRAME seq {msg.seq}: slot {msg.slot} is already "
                                       f"leased to this client"))
        try:
            check_frame(msg, self.segment)
            self._forget_drawing(msg.slot)
            frame = new_frame(self.segment, msg, receive_ns, self._on_release)
        except FrameBridgeError as exc:
            self.fail(exc)
        frame._lease.connection = self.reconnects
        self.held[msg.seq] = frame._lease
        self.last_seq = msg.seq
        self._retry_s = self.next_try = 0.0  # a server that gives frames: next time, at once
        return frame

    def _forget_drawing(self, slot: int) -> None:
        """Drop what this process drew into the slot under an earlier frame, so the next frame
        there shows the shared pixels (_written_pages); on Windows, map the segment anew."""
        seg = self.segment
        if not revert(seg.mm, mapping_address(seg.mm), seg.slot_offset(slot),
                      seg.slot_capacity):
            self.segment = Segment(seg.name, seg.segment_size, seg.session_id,
                                   seg.slot_count)
            seg.close()

    # -- results ----------------------------------------------------------------------------

    def watch(self) -> bool:
        """results() was called: queue WATCH the first time (True then)."""
        if self.watching:
            return False
        self.watching = True
        if self.lost is None:
            self._queue(P.Watch(True))
        return True

    def result_data(self, frame: Frame, fields: Dict[str, Any]) -> bytes:
        """send_result(frame, **fields) as a RESULT message, everything checked first."""
        if not isinstance(frame, Frame):
            raise TypeError(f"frame={frame!r}: give the fb.Frame the result is about")
        if frame._on_release != self._on_release:
            raise ValueError(f"frame {frame.seq} came from another client: send its result "
                             f"with the client that received it")
        return result_message(frame.seq, frame.capture_ns, time.perf_counter_ns(), **fields)

    def queue_result(self, frame: Frame, data: bytes) -> bool:
        """Queue the RESULT made by result_data(); False when it is dropped (reconnect=True:
        the server is gone, or the frame came from an earlier connection, where its seq
        would name another frame)."""
        self.check_usable()
        if frame._lease.connection != self.reconnects or self.lost is not None:
            return False
        self._outbox += data
        return True

    def next_result(self) -> Optional[Result]:
        """The oldest result kept, or None."""
        return self.inbox.take()

    def has_results(self) -> bool:
        return len(self.inbox) > 0

    def stream_ended(self) -> bool:
        return self.stream.state == P.StreamState.ENDED

    def close(self) -> None:
        self.let_go_of_leases()  # closing the connection gives them back
        self.segment.close()


def _names_in(text: str) -> List[str]:
    """The stream names ERROR 5's text lists ("...; it has: front, back")."""
    match = _NAMES_IN_TEXT.search(text)
    names = match["names"].split(", ") if match else []
    return [name for name in names if is_valid_stream_name(name)]


def error_for(address: str, message: P.Error) -> FrameBridgeError:
    """The exception for an ERROR message the server at address sent before closing."""
    text = (f"FrameBridge server at {address} closed the connection: "
            f"{message.text} (error code {message.code})")
    if message.code == P.ErrorCode.VERSION_MISMATCH:
        return ProtocolMismatch(text)
    if message.code == P.ErrorCode.ACCESS_DENIED:
        return AccessDenied(text)
    if message.code == P.ErrorCode.STREAM_NOT_FOUND:
        return StreamNotFound(f"{text}; pass one of its streams as stream= "
                              f"(fb.list_streams() lists them)", _names_in(message.text))
    if message.code == P.ErrorCode.STREAM_EXISTS:
        return StreamExists(text)
    return FrameBridgeError(text)
