"""A leased frame: slot metadata and a zero-copy NumPy view of the slot's pixels."""

import time
import weakref
from typing import Any, Callable, Dict, Optional, Set, Tuple

import numpy as np

from ._layout import BYTES_PER_PIXEL, PixelFormat, descriptor_offset, read_sequenced_metadata
from ._protocol import FrameMsg
from ._segment import Segment, read_sequence
from .errors import FrameReleased, FrameTakenBack, ProtocolMismatch

TAKE_BACK_AFTER_MS = 100  # the server takes a lease back once its ring has been full this long


class _Hold(weakref.ref):  # type: ignore[type-arg]
    """A weak reference hashed by identity: a writable buffer, its referent, has no hash."""

    __slots__ = ()
    __hash__ = object.__hash__


class _Lease:
    """The client's hold on one slot, as long as its Frame or any array made from it needs it.

    `holders` has a weak reference to the Frame (until release()) and one to the buffer
    under its arrays. Each one's callback is set.discard, a single C call: a garbage
    collection may run it at any moment, even inside the client's own code, and an exception
    raised at any point (Ctrl+C) can never leave a holder counted twice or not at all. The
    client gives the lease back once `holders` is empty.
    """

    __slots__ = ("slot", "seq", "receive_ns", "holders", "frame_ref", "connection")  # one a frame

    def __init__(self, slot: int, seq: int, receive_ns: int) -> None:
        self.slot = slot
        self.seq = seq
        self.receive_ns = receive_ns
        self.holders: Set["weakref.ref[Any]"] = set()
        self.frame_ref: Optional["weakref.ref[Any]"] = None
        self.connection = 0  # which of its client's connections received it (reconnects)

    def hold(self, holder: object) -> "weakref.ref[Any]":
        ref = _Hold(holder, self.holders.discard)
        self.holders.add(ref)
        return ref

    @property
    def free(self) -> bool:
        """Neither the Frame nor any array made from it needs the slot any more."""
        return not self.holders

    @property
    def kept_by_arrays(self) -> bool:
        """The Frame was released, but arrays made from it are still in use."""
        return bool(self.holders) and self.frame_ref not in self.holders


_FORMATS: Dict[int, PixelFormat] = {int(f): f for f in PixelFormat}  # PixelFormat(n) costs more


def check_frame(msg: FrameMsg, segment: Segment) -> PixelFormat:
    """Refuse a FRAME whose geometry does not fit the segment (ProtocolMismatch)."""
    pixel_format = _FORMATS.get(msg.pixel_format)
    if pixel_format is None:
        raise ProtocolMismatch(f"FRAME seq {msg.seq}: unknown pixel_format "
                               f"{msg.pixel_format}")
    capacity = segment.slot_capacity
    bpp = BYTES_PER_PIXEL[pixel_format]
    problem = None
    if msg.slot >= segment.slot_count:
        problem = f"slot {msg.slot} is not below slot_count {segment.slot_count}"
    elif msg.width == 0 or msg.height == 0:
        problem = f"size {msg.width}x{msg.height} is empty"
    elif msg.stride < msg.width * bpp:
        problem = f"stride {msg.stride} is less than width {msg.width} x {bpp} bytes"
    elif msg.stride * msg.height > capacity:
        problem = (f"stride {msg.stride} x height {msg.height} exceeds slot_capacity "
                   f"{capacity}")
    elif msg.payload_size > capacity:
        problem = f"payload_size {msg.payload_size} exceeds slot_capacity {capacity}"
    if problem is not None:
        raise ProtocolMismatch(f"FRAME seq {msg.seq}: {problem}")
    return pixel_format


def pixel_view(mm: Any, offset: int, width: int, height: int, stride: int,
               pixel_format: PixelFormat) -> Tuple[np.ndarray, Any]:
    """An array over the pixels at offset of mm, shaped as a reader's frame.array is, and the
    object whose death means no array made from it is left.

    np.frombuffer holds a buffer export of the mmap through a memoryview it creates, so
    the mapping cannot be closed under the array. (np.ndarray(buffer=memoryview) would
    keep only the mmap object and no export: mmap.close() would then succeed and the
    array would read unmapped memory.)
    """
    flat = np.frombuffer(mm, np.uint8, count=stride * height, offset=offset)
    bpp = BYTES_PER_PIXEL[pixel_format]
    if pixel_format == PixelFormat.GRAY8:
        shape: Tuple[int, ...] = (height, width)
        strides: Tuple[int, ...] = (stride, 1)
    else:
        shape, strides = (height, width, bpp), (stride, bpp, 1)
    array: np.ndarray = np.ndarray(shape, np.uint8, buffer=flat, strides=strides)
    # Every array derived from `array` keeps `flat` (and so its memoryview) alive.
    owner = flat.base if isinstance(flat.base, memoryview) else flat
    return array, owner


def read_frame_metadata(mm: Any, slot: int, seq: int) -> Optional[Dict[str, float]]:
    """Frame seq's metadata, read from slot's descriptor under its seqlock (the metadata is
    not in the FRAME message); None if the slot no longer holds the frame."""
    sequence, metadata = read_sequenced_metadata(mm, descriptor_offset(slot))
    if sequence != seq:
        return None
    return metadata if read_sequence(mm, slot) == seq else None


class Frame:
    """A frame leased from the server; its pixels stay in shared memory.

    Frames come from Client.latest() and iterating a Client, never from this constructor.
    Release a frame with release(), `with frame:`, or by moving on in `for frame in client`;
    arrays made from it keep its slot until they are garbage too, so they always show this
    frame's pixels (unless the server takes the frame back: see valid()).
    """

    transport = "shm"  # how the pixels came: a frame read over RTSP says "rtsp"

    def _start(self, segment: Segment, msg: FrameMsg, receive_ns: int,
               on_release: Optional[Callable[[_Lease], None]]) -> None:
        pixel_format = check_frame(msg, segment)
        mm = segment.mm
        self._msg = msg
        self._format = pixel_format
        self._mm = mm
        array, owner = pixel_view(mm, segment.slot_offset(msg.slot), msg.width, msg.height,
                                  msg.stride, pixel_format)
        self._array: Optional[np.ndarray] = array  # copy-on-write: writes stay here
        self._metadata = read_frame_metadata(mm, msg.slot, msg.seq)
        lease = self._lease = _Lease(msg.slot, msg.seq, receive_ns)
        lease.frame_ref = lease.hold(self)
        lease.hold(owner)
        self._on_release = on_release

    @property
    def array(self) -> np.ndarray:
        """The pixels, (H, W, 3) BGR / (H, W) gray / (H, W, 4) BGRA uint8, not a copy.

        Draw on it freely (cv2.rectangle(frame.array, ...)): the segment is mapped
        copy-on-write, so what you write stays in this process and no other client sees it.
        Keep the array as long as you like: the frame stays leased until it is garbage.
        Raises FrameReleased after release(): keep the array, or frame.copy(), from before.
        """
        array = self._array
        if array is None:
            raise FrameReleased(f"frame {self.seq} was released, so its pixels are no longer "
                                f"this client's; keep frame.array or frame.copy() from before "
                                f"release() (or the end of `with frame:` / the loop step)")
        return array

    @property
    def seq(self) -> int:
        """The frame's sequence number: 1 for the server's first frame, one more for each."""
        return self._msg.seq

    @property
    def slot(self) -> int:
        """The ring slot that holds the frame."""
        return self._msg.slot

    @property
    def width(self) -> int:
        """Width in pixels."""
        return self._msg.width

    @property
    def height(self) -> int:
        """Height in pixels."""
        return self._msg.height

    @property
    def stride(self) -> int:
        """Bytes from one row to the next (a multiple of 64; array.strides[0])."""
        return self._msg.stride

    @property
    def format(self) -> PixelFormat:
        """The pixel format: PixelFormat.BGR8, GRAY8 or BGRA8."""
        return self._format

    @property
    def capture_ns(self) -> int:
        """Capture time, time.perf_counter_ns() domain."""
        return self._msg.capture_ns

    @property
    def capture_unix_ns(self) -> int:
        """Capture time on the wall clock, nanoseconds since the Unix epoch (for logs and
        people; compare frames with capture_ns, which no clock adjustment moves)."""
        return self._msg.capture_ns + time.time_ns() - time.perf_counter_ns()

    @property
    def publish_ns(self) -> int:
        """Publish time, time.perf_counter_ns() domain."""
        return self._msg.publish_ns

    @property
    def source_seq(self) -> int:
        """The seq of the frame of another stream this one was made from (a publisher's
        out.frame(source=...)), 0 for none. Its capture_ns is then that source frame's, so
        receive_ns - capture_ns is the latency of the whole loop."""
        return self._msg.source_seq

    @property
    def metadata(self) -> Dict[str, float]:
        """What the source reported with this frame, as a new dict of only the keys it reported:
        a camera's "exposure", "gain", "brightness", "contrast", "saturation", "hue",
        "sharpness", "gamma", "white_balance_temperature", "focus", "zoom", "backlight",
        "iso_speed", "auto_exposure", "auto_white_balance", "fps" (as OpenCV reads them, in the
        driver's units); a video file's "fps"; on a published stream, what its publisher gave
        out.frame(metadata=...); {} for the synthetic source. Read with the frame,
        so it stays after release(). Raises FrameTakenBack if the server took the frame back
        before this client could read it.
        """
        if self._metadata is None:
            raise self._taken_back("before its metadata could be read")
        return dict(self._metadata)

    @property
    def receive_ns(self) -> int:
        """When this client read the FRAME message, time.perf_counter_ns() domain."""
        return self._lease.receive_ns

    @property
    def released(self) -> bool:
        """True once release() was called (arrays made before may still hold the slot)."""
        return self._array is None

    def valid(self) -> bool:
        """True while the slot still holds this frame (its seqlock word equals seq).

        False once the server took the frame back: it does so when this client holds frames
        while every slot is in use for 100 ms, rather than stall the capture.
        """
        try:
            return read_sequence(self._mm, self._msg.slot) == self._msg.seq
        except ValueError:  # the mapping is closed
            return False

    def _taken_back(self, when: str) -> FrameTakenBack:
        held_ms = (time.perf_counter_ns() - self.receive_ns) / 1e6
        return FrameTakenBack(
            f"frame {self.seq} (slot {self.slot}) was taken back by the server {when}, "
            f"{held_ms:.0f} ms after this client received it: the server takes back a frame "
            f"held while every slot has been in use for {TAKE_BACK_AFTER_MS} ms. Copy "
            f"sooner, hold fewer frames, or start the server with more --slots")

    def copy(self) -> np.ndarray:
        """A private copy of the pixels, yours to keep after release.

        Raises FrameTakenBack if the server took the frame back before or while it was
        copied, FrameReleased after release().
        """
        array = self.array
        if not self.valid():
            raise self._taken_back("before copy()")
        pixels = array.copy()
        if not self.valid():
            raise self._taken_back("while copy() read it")
        return pixels

    def release(self) -> None:
        """Give the frame back to the server; safe to call more than once.

        Arrays made from the frame keep its slot until they are garbage; frame.array then
        raises FrameReleased.
        """
        self._let_go()
        if self._on_release is not None:
            self._on_release(self._lease)

    def _let_go(self) -> None:
        """release(), but the client gives the frame back only with its next request (one
        send for both: `for frame in client` moving on)."""
        self._array = None
        if self._lease.frame_ref is not None:
            self._lease.holders.discard(self._lease.frame_ref)

    def __enter__(self) -> "Frame":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    async def __aenter__(self) -> "Frame":  # `async with frame:` in framebridge.asyncio code
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return (f"<Frame seq={self.seq} {self.width}x{self.height} {self._format.name} "
                f"slot={self.slot}{' released' if self.released else ''}>")


def new_frame(segment: Segment, msg: FrameMsg, receive_ns: int,
              on_release: Optional[Callable[[_Lease], None]] = None) -> Frame:
    """A Frame over msg's slot (ProtocolMismatch if it does not fit the segment)."""
    frame = Frame.__new__(Frame)  # Frame has no public constructor: help(Frame) stays clean
    frame._start(segment, msg, receive_ns, on_release)
    return frame
