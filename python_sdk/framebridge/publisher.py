"""fb.publish(): a stream this process fills, written straight into the server's segment.

The server owns the segment (it creates, sizes, guards and removes it) and lends the
publisher one slot at a time (WRITE, SLOT). The publisher writes the pixels into a writable
NumPy view of the slot and says DONE; only then does the server write the slot's descriptor
and seqlock word, so no reader ever sees half a frame, whatever happens to the publisher.
docs/wire-protocol.md, "Publishing".
"""

import contextlib
import math
import operator
from typing import Any, Callable, Iterator, Mapping, Optional, TypeVar

import numpy as np

from . import _protocol as P
from ._connection import Connection
from ._deadline import deadline_of
from ._handshake import checked_stream_name, checked_token, default_name, handshake
from ._layout import BYTES_PER_PIXEL, LAYOUT_VERSION, MAX_SLOTS, MIN_SLOTS, STRIDE_ALIGNMENT
from ._layout import METADATA_REPORTED_OFFSET, PixelFormat, descriptor_offset, metadata_block
from ._segment import Segment
from .errors import FrameBridgeError, ProtocolMismatch, ServerGone, Timeout
from .frame import Frame, pixel_view

MAX_SIDE = 32768  # the largest width or height a stream may have
_MAX_FPS_MILLI = 2**32 - 1
_Result = TypeVar("_Result")


def _side(value: Any, argument: str) -> int:
    try:
        side = operator.index(value)
    except TypeError:
        side = 0
    if isinstance(value, bool) or not 1 <= side <= MAX_SIDE:
        raise ValueError(f"{argument}={value!r}: a stream's {argument} is a whole number of "
                         f"pixels from 1 to {MAX_SIDE}")
    return int(side)


def _pixel_format(value: Any) -> PixelFormat:
    try:
        return PixelFormat(value)
    except ValueError:
        names = ", ".join(f"fb.PixelFormat.{f.name}" for f in PixelFormat)
        raise ValueError(f"format={value!r} is not a pixel format: use {names}") from None


def _fps_milli(fps: float) -> int:
    milli = round(fps * 1000) if isinstance(fps, (int, float)) and math.isfinite(fps) else -1
    if not 0 <= milli <= _MAX_FPS_MILLI:
        raise ValueError(f"fps={fps!r}: give the rate you expect, 0.0 to "
                         f"{_MAX_FPS_MILLI / 1000:.0f} frames per second (0.0: unknown)")
    return milli


def _slot_count(slots: int) -> int:
    if slots != 0 and not MIN_SLOTS <= slots <= MAX_SLOTS:
        raise ValueError(f"slots={slots!r}: use {MIN_SLOTS} to {MAX_SLOTS}, or 0 for the "
                         f"server's --slots")
    return slots


def row_stride(width: int, pixel_format: PixelFormat) -> int:
    """Bytes from one row to the next in a slot: the row's pixels, rounded up to 64."""
    row = width * BYTES_PER_PIXEL[pixel_format]
    return -(-row // STRIDE_ALIGNMENT) * STRIDE_ALIGNMENT


class PublisherBase:
    """What the blocking Publisher and framebridge.asyncio's share: the checked arguments,
    the PUBLISH request, the mapping of the segment the server made, the view of a lent slot,
    the DONE for it, CANCEL, and the properties. They differ only in how they wait for an
    answer (_conn.send_encoded() never waits on the asyncio side)."""

    _segment: Segment
    _conn: Any  # a connection with send_encoded() and close(): the driver's
    _failure: Optional[FrameBridgeError]
    _shown_as = "framebridge.Publisher"

    def _configure(self, name: str, width: int, height: int, format: PixelFormat, fps: float,
                   slots: int) -> P.Publish:
        """Check the arguments (ValueError names the bad one); the PUBLISH to send."""
        self._closed = True
        self._name = checked_stream_name(name, "name")
        self._width = _side(width, "width")
        self._height = _side(height, "height")
        self._format = _pixel_format(format)
        self._stride = row_stride(self._width, self._format)
        self._lent: Optional[int] = None  # the slot the server lent, until DONE or CANCEL
        self._write_outstanding = False  # a WRITE sent, its SLOT not yet received
        self._frames_published = 0
        return P.Publish(self._width, self._height, self._format, _fps_milli(fps),
                         _slot_count(slots), self._name)

    def _map(self, p: P.Publishing, address: str) -> Segment:
        where = f"FrameBridge server at {address}"
        if p.layout_version != LAYOUT_VERSION:
            raise ProtocolMismatch(f"{where} made stream '{self._name}' in layout version "
                                   f"{p.layout_version}; this SDK writes {LAYOUT_VERSION}")
        segment = Segment(p.segment_name, p.segment_size, p.session_id, p.slot_count,
                          writable=True)
        if self._stride * self._height > segment.slot_capacity:
            segment.close()
            raise ProtocolMismatch(f"{where} made stream '{self._name}' with slots of "
                                   f"{segment.slot_capacity} bytes, too small for "
                                   f"{self._height} rows of {self._stride} bytes")
        return segment

    @property
    def name(self) -> str:
        """The stream's name: what readers pass to fb.connect(stream=...)."""
        return self._name

    @property
    def width(self) -> int:
        """Width of the stream's frames in pixels."""
        return self._width

    @property
    def height(self) -> int:
        """Height of the stream's frames in pixels."""
        return self._height

    @property
    def format(self) -> PixelFormat:
        """The stream's pixel format: PixelFormat.BGR8, GRAY8 or BGRA8."""
        return self._format

    @property
    def stride(self) -> int:
        """Bytes from one row to the next in a slot (dst.strides[0] in out.frame())."""
        return self._stride

    @property
    def slot_count(self) -> int:
        """Slots in the stream's ring."""
        return self._segment.slot_count

    @property
    def segment_name(self) -> str:
        """The stream's shared-memory segment (/dev/shm/NAME; Local\\NAME on Windows)."""
        return self._segment.name

    @property
    def frames_published(self) -> int:
        """Frames published so far (out.frame() blocks that ended without an exception)."""
        return self._frames_published

    @property
    def closed(self) -> bool:
        """True after close(): the stream has ended."""
        return self._closed

    def _borrowing(self) -> None:
        """A slot is about to be asked for: refuse a second one while one is lent."""
        if self._lent is not None:
            raise FrameBridgeError(f"out.frame() of stream '{self._name}' is already open: "
                                   f"leave its `with` block before asking for the next frame")

    def _lent_slot(self, lent: P.Slot, address: str) -> int:
        """The slot SLOT lends, checked (ProtocolMismatch), now lent."""
        if lent.slot >= self._segment.slot_count:
            raise ProtocolMismatch(
                f"FrameBridge server at {address} lent slot {lent.slot} of stream "
                f"'{self._name}', which has {self._segment.slot_count}")
        self._write_outstanding = False
        self._lent = lent.slot
        return lent.slot

    def _no_slot(self, address: str, timeout: Optional[float]) -> Timeout:
        return Timeout(f"the FrameBridge server at {address} lent no slot of stream "
                       f"'{self._name}' within {timeout} s; the next out.frame() goes on "
                       f"waiting")

    def _view(self, slot: int) -> np.ndarray:
        """The writable view of a lent slot, shaped as readers' frame.array."""
        dst, _owner = pixel_view(self._segment.mm, self._segment.slot_offset(slot), self._width,
                                 self._height, self._stride, self._format)
        return dst

    def _done(self, slot: int, block: bytes, source: Optional[Frame]) -> P.Done:
        """The slot was written: its metadata goes in, and the DONE that publishes it out."""
        at = descriptor_offset(slot) + METADATA_REPORTED_OFFSET
        self._segment.mm[at:at + len(block)] = block
        self._lent = None
        return P.Done(slot, source.seq, source.capture_ns) if source is not None \
            else P.Done(slot, 0, 0)

    def _check_usable(self) -> None:
        if self._closed:
            raise FrameBridgeError(f"the publisher of stream '{self._name}' is closed")
        if self._failure is not None:
            raise self._failure

    def _fail(self, exc: FrameBridgeError) -> FrameBridgeError:
        """The connection is unusable, so the stream has ended: every later call raises."""
        self._failure = exc
        self._conn.close()
        return exc

    def _send(self, *messages: P.Message) -> None:
        try:
            self._conn.send_encoded(b"".join(P.encode(m) for m in messages))
        except ServerGone as exc:
            raise self._fail(exc) from None

    def _cancel(self, slot: int) -> None:
        """Give the slot back unpublished; a connection already gone has given it back."""
        self._lent = None
        if self._closed or self._failure is not None:
            return
        try:
            self._send(P.Cancel(slot))
        except FrameBridgeError:
            pass  # _fail noted it; the exception from the caller's block is the one to see

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"{self._frames_published} frames"
        return (f"<{self._shown_as} '{self._name}' {self._width}x{self._height} "
                f"{self._format.name} {state}>")


class Publisher(PublisherBase):
    """A stream this process publishes on a FrameBridge server (fb.publish() makes one).

    Write each frame into `with out.frame() as dst:`; readers get the stream with
    fb.connect(stream=out.name), the same way they read a capture source. Closing the
    publisher (close(), the end of its `with`, or the process ending in any way, SIGKILL
    included) ends the stream: readers see StreamEnded, `for frame in client` stops, and the
    server removes the segment.
    Not thread-safe: use one Publisher per thread.
    """

    def __init__(self, name: str, width: int, height: int,
                 format: PixelFormat = PixelFormat.BGR8, *, host: str = "127.0.0.1",
                 port: int = 7600, token: Optional[str] = None,
                 timeout: Optional[float] = 5.0, fps: float = 0.0, slots: int = 0) -> None:
        request = self._configure(name, width, height, format, fps, slots)
        token = checked_token(token)
        self._conn = Connection(host, port, timeout)
        try:
            handshake(self._conn, default_name(), token, "", timeout)
            self._conn.send(request)
            deadline = deadline_of(timeout)
            self._segment = self._map(self._conn.answer(P.Publishing, deadline, "PUBLISH"),
                                      self._conn.address)
        except BaseException:
            self._conn.close()
            raise
        self._closed = False
        self._failure: Optional[FrameBridgeError] = None

    @contextlib.contextmanager
    def frame(self, source: Optional[Frame] = None, timeout: Optional[float] = 5.0,
              metadata: Optional[Mapping[str, float]] = None) -> Iterator[np.ndarray]:
        """A context manager whose value is the next frame to publish: a writable NumPy view
        of the slot the server lends, shaped as readers' frame.array is ((H, W, 3) BGR8,
        (H, W) GRAY8, (H, W, 4) BGRA8, uint8, rows `stride` bytes apart). Write into it in
        place (e.g. cv2.Canny(src, 100, 200, edges=dst)); nothing is copied.

        On a clean exit the frame is published; on an exception it is not (the slot goes
        back, readers never see it) and the exception goes on. The view belongs to the
        server again after the block: it is made read-only then, and it must not be used,
        nor anything made from it (copy what you want to keep).
        source: the received frame this one was made from; readers see its seq as
            frame.source_seq and its capture_ns as theirs, to measure the whole loop.
        timeout: seconds to wait for a slot (Timeout after; the request stays open and the
            next out.frame() goes on waiting). A slot comes at once unless readers hold all
            but the newest, then within about 100 ms.
        metadata: what readers see as frame.metadata, e.g. {"exposure": 156.0}; the keys are
            those of Frame.metadata (ValueError names one that is not).
        """
        block = metadata_block(metadata or {})
        slot = self._guarded(self._borrow, timeout)
        dst = self._view(slot)
        try:
            yield dst
        except BaseException:
            dst.flags.writeable = False
            self._cancel(slot)
            raise
        dst.flags.writeable = False
        self._guarded(self._publish, slot, block, source)

    def _guarded(self, action: Callable[..., _Result], *args: Any) -> _Result:
        """Run one exchange with the server. An exception other than the SDK's own that came
        in the middle of it (Ctrl+C after a message arrived) leaves what the server believes
        unknown: the publisher closes its connection, which ends the stream."""
        try:
            return action(*args)
        except FrameBridgeError:
            raise
        except BaseException:
            if not self._conn.idle():
                self._fail(FrameBridgeError(f"an exception interrupted the publisher of "
                                            f"stream '{self._name}' mid-exchange with the "
                                            f"server, so it closed the stream; publish again"))
            raise

    def _borrow(self, timeout: Optional[float]) -> int:
        self._check_usable()
        self._borrowing()
        if not self._write_outstanding:
            self._send(P.Write())
            self._write_outstanding = True
        deadline = deadline_of(timeout)
        try:
            lent = self._conn.answer(P.Slot, deadline, "WRITE")
        except Timeout:
            raise self._no_slot(self._conn.address, timeout) from None
        except FrameBridgeError as exc:
            raise self._fail(exc) from None
        try:
            return self._lent_slot(lent, self._conn.address)
        except ProtocolMismatch as exc:
            raise self._fail(exc) from None

    def _publish(self, slot: int, block: bytes, source: Optional[Frame]) -> None:
        """DONE, and the WRITE for the next frame in the same send: its SLOT comes back while
        the caller makes the next frame."""
        self._check_usable()
        self._send(self._done(slot, block, source), P.Write())
        self._write_outstanding = True
        self._frames_published += 1

    def close(self) -> None:
        """End the stream: readers see StreamEnded and the server removes the segment. Views
        still referenced keep the mapping until they are gone."""
        if self._closed:
            return
        self._closed = True
        self._conn.close()
        self._segment.close()

    def __enter__(self) -> "Publisher":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def publish(name: str, width: int, height: int, format: PixelFormat = PixelFormat.BGR8, *,
            host: str = "127.0.0.1", port: int = 7600, token: Optional[str] = None,
            timeout: Optional[float] = 5.0, fps: float = 0.0, slots: int = 0) -> Publisher:
    """Make the stream `name` on the server at host:port and return its Publisher.

    The server creates the stream's segment; the publisher writes frames into it with
    `with out.frame(source=frame) as dst:`. Readers read it with fb.connect(stream=name).
    width, height: 1 to 32768 pixels; format: fb.PixelFormat.BGR8, GRAY8 or BGRA8.
    token: the server's --token; None reads $FRAMEBRIDGE_TOKEN (unset: no token).
    timeout: seconds to connect, for the handshake, and for the answer; None waits forever.
    fps: the rate you expect, shown by fb.list_streams() (0.0: unknown).
    slots: slots of the stream's ring, 2 to 64; 0 for the server's --slots.
    Raises ValueError for a bad argument (before anything is sent), StreamExists when the
    server has a stream of that name, and ServerUnavailable, AccessDenied, Timeout as
    fb.connect() does.
    """
    return Publisher(name, width, height, format, host=host, port=port, token=token,
                     timeout=timeout, fps=fps, slots=slots)
