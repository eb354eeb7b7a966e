import collections
import gc
import weakref
from typing import Callable, Iterator, List, Tuple

import numpy as np
import pytest

from fakes import FakeSegment
from framebridge import PixelFormat
from framebridge._protocol import FrameMsg
from framebridge._segment import Segment
from framebridge.errors import FrameOverwritten, ProtocolMismatch
from framebridge.frame import Frame, _Lease

MakeSegment = Callable[..., FakeSegment]
WIDTH, HEIGHT, STRIDE = 64, 48, 256  # stride > width * 4: every format has row padding


@pytest.fixture
def fake(make_segment: MakeSegment) -> FakeSegment:
    return make_segment()


@pytest.fixture
def segment(fake: FakeSegment) -> Iterator[Segment]:
    w = fake.welcome()
    opened = Segment(w.segment_name, w.segment_size, w.session_id, w.slot_count)
    yield opened
    opened.close()


def pattern(seed: int) -> bytes:
    return bytes((seed + i * 7) % 251 for i in range(STRIDE * HEIGHT))


def publish(fake: FakeSegment, pixel_format: PixelFormat = PixelFormat.BGR8, slot: int = 1,
            seq: int = 5) -> Tuple[FrameMsg, bytes]:
    pixels = pattern(seq)
    msg = fake.publish(slot, seq, WIDTH, HEIGHT, STRIDE, pixel_format, pixels, 100, 200)
    return msg, pixels


@pytest.mark.parametrize("pixel_format, shape, strides", [
    (PixelFormat.BGR8, (HEIGHT, WIDTH, 3), (STRIDE, 3, 1)),
    (PixelFormat.GRAY8, (HEIGHT, WIDTH), (STRIDE, 1)),
    (PixelFormat.BGRA8, (HEIGHT, WIDTH, 4), (STRIDE, 4, 1)),
])
def test_array_is_a_read_only_view_of_the_slot(fake: FakeSegment, segment: Segment,
                                               pixel_format: PixelFormat, shape: tuple,
                                               strides: tuple) -> None:
    msg, pixels = publish(fake, pixel_format)

    sut = Frame(segment, msg, 300, collections.deque())

    array = sut.array
    assert (array.shape, array.strides, array.dtype) == (shape, strides, np.uint8)
    assert not array.flags.writeable and not array.flags.owndata
    with pytest.raises(ValueError):
        array.flags.writeable = True
    rows = np.frombuffer(pixels, np.uint8).reshape(HEIGHT, STRIDE)
    expected = rows[:, :WIDTH * int(np.prod(shape[2:]))].reshape(shape)
    np.testing.assert_array_equal(array, expected)
    assert (sut.seq, sut.slot, sut.width, sut.height, sut.stride, sut.format) == \
        (5, 1, WIDTH, HEIGHT, STRIDE, pixel_format)
    assert (sut.capture_ns, sut.publish_ns, sut.receive_ns) == (100, 200, 300)


def test_array_sees_the_slot_not_a_copy(fake: FakeSegment, segment: Segment) -> None:
    msg, _ = publish(fake)
    sut = Frame(segment, msg, 0, collections.deque())

    fake.mm[fake.data_offset + fake.slot_capacity] = 0xAB

    assert sut.array[0, 0, 0] == 0xAB


@pytest.mark.parametrize("change, message", [
    ({"slot": 3}, "slot 3 is not below slot_count 3"),
    ({"pixel_format": 9}, "unknown pixel_format 9"),
    ({"stride": WIDTH * 3 - 1}, f"stride {WIDTH * 3 - 1} is less than width"),
    ({"height": 3 * 4096 // STRIDE + 1}, "exceeds slot_capacity 12288"),
    ({"payload_size": 12289}, "payload_size 12289 exceeds slot_capacity"),
    ({"width": 0}, "size 0x48 is empty"),
])
def test_a_frame_that_does_not_fit_the_segment_is_refused(fake: FakeSegment,
                                                          segment: Segment, change: dict,
                                                          message: str) -> None:
    msg, _ = publish(fake)
    fields = dict(msg.__dict__, **change)

    with pytest.raises(ProtocolMismatch, match=message):
        Frame(segment, FrameMsg(**fields), 0, collections.deque())


def test_valid_is_false_once_the_slot_is_rewritten(fake: FakeSegment, segment: Segment) -> None:
    msg, _ = publish(fake)
    sut = Frame(segment, msg, 0, collections.deque())
    assert sut.valid()

    fake.set_sequence(1, 0)

    assert not sut.valid()
    with pytest.raises(FrameOverwritten, match="frame 5 in slot 1"):
        sut.copy()


def test_copy_is_a_private_copy(fake: FakeSegment, segment: Segment) -> None:
    msg, _ = publish(fake)
    sut = Frame(segment, msg, 0, collections.deque())

    copied = sut.copy()

    assert copied.flags.owndata and copied.flags.writeable
    np.testing.assert_array_equal(copied, sut.array)


def test_dropping_the_frame_and_its_arrays_queues_exactly_one_release(
        fake: FakeSegment, segment: Segment) -> None:
    msg, _ = publish(fake)
    pending: "collections.deque[Tuple[int, int, int, int]]" = collections.deque()
    sut = Frame(segment, msg, 300, pending)
    view = sut.array[10:20, 5:9]
    column = view[:, 1]

    del sut, view
    gc.collect()
    assert not pending  # `column` still points into the slot

    del column
    gc.collect()
    assert len(pending) == 1
    slot, seq, receive_ns, done_ns = pending[0]
    assert (slot, seq, receive_ns) == (1, 5, 300) and done_ns > receive_ns


def test_an_array_alone_keeps_the_lease(fake: FakeSegment, segment: Segment) -> None:
    msg, _ = publish(fake)
    pending: "collections.deque[Tuple[int, int, int, int]]" = collections.deque()
    array = Frame(segment, msg, 0, pending).array
    gc.collect()
    assert not pending

    del array
    gc.collect()
    assert len(pending) == 1


def test_an_explicit_release_is_sent_once_and_never_queued(fake: FakeSegment,
                                                           segment: Segment) -> None:
    msg, _ = publish(fake)
    pending: "collections.deque[Tuple[int, int, int, int]]" = collections.deque()
    sent: List[Tuple[int, int]] = []
    sut = Frame(segment, msg, 0, pending, lambda lease, done_ns: sent.append(
        (lease.seq, done_ns)))

    with sut:
        pass
    sut.release()
    del sut
    gc.collect()

    assert [seq for seq, _ in sent] == [5]
    assert not pending


def test_closing_the_segment_under_a_live_array_is_safe(fake: FakeSegment) -> None:
    w = fake.welcome()
    sut = Segment(w.segment_name, w.segment_size, w.session_id, w.slot_count)
    msg, pixels = publish(fake)
    frame = Frame(sut, msg, 0, collections.deque())
    array = frame.array
    mapping = weakref.ref(frame._mm)
    del frame

    sut.close()
    sut.close()

    assert array[0, 0, 0] == pixels[0] and int(array.sum()) > 0
    del array
    gc.collect()
    assert mapping() is None  # the mapping went with the last array


def test_lease_is_taken_once() -> None:
    pending: "collections.deque[Tuple[int, int, int, int]]" = collections.deque()
    sut = _Lease(0, 1, 0, pending)

    assert sut.take() and not sut.take()
    sut.holder_gone()
    sut.holder_gone()
    assert sut.released and not pending
