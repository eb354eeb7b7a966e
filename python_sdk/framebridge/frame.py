"""A leased frame: slot metadata and a zero-copy NumPy view of the slot's pixels."""

import time
import weakref
from typing import Any, Callable, Deque, List, Optional, Tuple

import numpy as np

from ._layout import BYTES_PER_PIXEL, PixelFormat
from ._protocol import FrameMsg
from ._segment import Segment, read_sequence
from .errors import FrameOverwritten, ProtocolMismatch

# (slot, seq, receive_ns, done_ns) of leases whose Frame and arrays are all garbage.
PendingReleases = Deque[Tuple[int, int, int, int]]


class _Lease:
    """The client's hold on one slot; given back exactly once.

    Its Frame and the memoryview under the Frame's arrays each hold a token. When
    both are garbage the lease is queued for release; the queue is drained by the
    client, because a finalizer may run at any point and must not touch the socket.
    list.pop is atomic under the GIL, so no lock is needed (a lock could deadlock when
    a garbage collection runs a finalizer while it is held).
    """

    def __init__(self, slot: int, seq: int, receive_ns: int,
                 pending: PendingReleases) -> None:
        self.slot = slot
        self.seq = seq
        self.receive_ns = receive_ns
        self._pending = pending
        self._holders: List[bool] = [True, True]
        self._live: List[bool] = [True]

    @property
    def released(self) -> bool:
        return not self._live

    def take(self) -> bool:
        """Mark the lease given back; True for the one caller that did it."""
        try:
            self._live.pop()
        except IndexError:
            return False
        return True

    def holder_gone(self) -> None:
        self._holders.pop()
        if not self._holders and self.take():
            self._pending.append((self.slot, self.seq, self.receive_ns,
                                  time.perf_counter_ns()))


def check_frame(msg: FrameMsg, segment: Segment) -> PixelFormat:
    """Refuse a FRAME whose geometry does not fit the segment (ProtocolMismatch)."""
    try:
        pixel_format = PixelFormat(msg.pixel_format)
    except ValueError:
        raise ProtocolMismatch(f"FRAME seq {msg.seq}: unknown pixel_format "
                               f"{msg.pixel_format}") from None
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


def _slot_array(segment: Segment, msg: FrameMsg,
                pixel_format: PixelFormat) -> Tuple[np.ndarray, Any]:
    """A read-only array over the slot, and the object whose death means no array is left.

    np.frombuffer holds a buffer export of the mmap through a memoryview it creates, so
    the mapping cannot be closed under the array. (np.ndarray(buffer=memoryview) would
    keep only the mmap object and no export: mmap.close() would then succeed and the
    array would read unmapped memory.)
    """
    flat = np.frombuffer(segment.mm, np.uint8, count=msg.stride * msg.height,
                         offset=segment.slot_offset(msg.slot))
    bpp = BYTES_PER_PIXEL[pixel_format]
    if pixel_format == PixelFormat.GRAY8:
        shape: Tuple[int, ...] = (msg.height, msg.width)
        strides: Tuple[int, ...] = (msg.stride, 1)
    else:
        shape, strides = (msg.height, msg.width, bpp), (msg.stride, bpp, 1)
    array: np.ndarray = np.ndarray(shape, np.uint8, buffer=flat, strides=strides)
    # Every array derived from `array` keeps `flat` (and so its memoryview) alive.
    owner = flat.base if isinstance(flat.base, memoryview) else flat
    return array, owner


class Frame:
    """A frame leased from the server; its pixels stay in shared memory.

    Release it with release() or `with frame:`; otherwise it is released when the
    Frame and every array derived from it are garbage.
    """

    def __init__(self, segment: Segment, msg: FrameMsg, receive_ns: int,
                 pending: PendingReleases,
                 on_release: Optional[Callable[[_Lease, int], None]] = None) -> None:
        pixel_format = check_frame(msg, segment)
        self._msg = msg
        self._format = pixel_format
        self._mm = segment.mm
        self._array, owner = _slot_array(segment, msg, pixel_format)
        self._lease = _Lease(msg.slot, msg.seq, receive_ns, pending)
        self._on_release = on_release
        for holder in (self, owner):
            weakref.finalize(holder, self._lease.holder_gone).atexit = False

    @property
    def array(self) -> np.ndarray:
        """The pixels, (H, W, 3) / (H, W) / (H, W, 4) uint8, read-only, not a copy."""
        return self._array

    @property
    def seq(self) -> int:
        return self._msg.seq

    @property
    def slot(self) -> int:
        return self._msg.slot

    @property
    def width(self) -> int:
        return self._msg.width

    @property
    def height(self) -> int:
        return self._msg.height

    @property
    def stride(self) -> int:
        return self._msg.stride

    @property
    def format(self) -> PixelFormat:
        return self._format

    @property
    def capture_ns(self) -> int:
        """Capture time, time.perf_counter_ns() domain."""
        return self._msg.capture_ns

    @property
    def publish_ns(self) -> int:
        """Publish time, time.perf_counter_ns() domain."""
        return self._msg.publish_ns

    @property
    def receive_ns(self) -> int:
        """When this client read the FRAME message, time.perf_counter_ns() domain."""
        return self._lease.receive_ns

    @property
    def released(self) -> bool:
        return self._lease.released

    def valid(self) -> bool:
        """True while the slot still holds this frame (its seqlock word equals seq)."""
        try:
            return read_sequence(self._mm, self._msg.slot) == self._msg.seq
        except ValueError:  # the mapping is closed
            return False

    def copy(self) -> np.ndarray:
        """A private copy of the pixels; FrameOverwritten if the slot changed meanwhile."""
        pixels = self._array.copy()
        if not self.valid():
            raise FrameOverwritten(f"frame {self.seq} in slot {self.slot} was overwritten "
                                   f"while it was copied")
        return pixels

    def release(self) -> None:
        """Give the frame back to the server; safe to call more than once."""
        if self._lease.take() and self._on_release is not None:
            self._on_release(self._lease, time.perf_counter_ns())

    def __enter__(self) -> "Frame":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return (f"<Frame seq={self.seq} {self.width}x{self.height} {self._format.name} "
                f"slot={self.slot}{' released' if self.released else ''}>")
