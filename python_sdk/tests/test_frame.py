import gc
import time
import weakref
from typing import Callable, Iterator, List, Tuple

import numpy as np
import pytest

from fakes import FakeSegment
from framebridge import PixelFormat
from framebridge._protocol import FrameMsg
from framebridge._segment import Segment
from framebridge.errors import (FrameOverwritten, FrameReleased, FrameTakenBack,
                                ProtocolMismatch)
from framebridge.frame import Frame, _Lease, new_frame

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
def test_array_is_a_view_of_the_slot(fake: FakeSegment, segment: Segment,
                                     pixel_format: PixelFormat, shape: tuple,
                                     strides: tuple) -> None:
    msg, pixels = publish(fake, pixel_format)

    sut = new_frame(segment, msg, 300)

    array = sut.array
    assert (array.shape, array.strides, array.dtype) == (shape, strides, np.uint8)
    assert array.flags.writeable and not array.flags.owndata
    rows = np.frombuffer(pixels, np.uint8).reshape(HEIGHT, STRIDE)
    expected = rows[:, :WIDTH * int(np.prod(shape[2:]))].reshape(shape)
    np.testing.assert_array_equal(array, expected)
    assert (sut.seq, sut.slot, sut.width, sut.height, sut.stride, sut.format) == \
        (5, 1, WIDTH, HEIGHT, STRIDE, pixel_format)
    assert (sut.capture_ns, sut.publish_ns, sut.receive_ns) == (100, 200, 300)


def test_drawing_on_the_array_leaves_the_segment_as_it_was(fake: FakeSegment,
                                                           segment: Segment) -> None:
    msg, pixels = publish(fake)
    sut = new_frame(segment, msg, 0)

    sut.array[:] = 7

    assert fake.mm[fake.data_offset + fake.slot_capacity:][:len(pixels)] == pixels
    assert (sut.array == 7).all()


def test_array_sees_the_slot_not_a_copy(fake: FakeSegment, segment: Segment) -> None:
    msg, _ = publish(fake)
    sut = new_frame(segment, msg, 0)

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
        new_frame(segment, FrameMsg(**fields), 0)


def test_valid_is_false_once_the_slot_is_rewritten(fake: FakeSegment, segment: Segment) -> None:
    msg, _ = publish(fake)
    sut = new_frame(segment, msg, 0)
    assert sut.valid()

    fake.set_sequence(1, 0)

    assert not sut.valid()
    with pytest.raises(FrameTakenBack, match=r"frame 5 \(slot 1\) was taken back by the "
                                             r"server before copy\(\), \d+ ms after"):
        sut.copy()
    assert issubclass(FrameTakenBack, FrameOverwritten)


def test_copy_is_a_private_copy(fake: FakeSegment, segment: Segment) -> None:
    msg, _ = publish(fake)
    sut = new_frame(segment, msg, 0)

    copied = sut.copy()

    assert copied.flags.owndata and copied.flags.writeable
    np.testing.assert_array_equal(copied, sut.array)


def lease_of(frame: Frame) -> _Lease:
    lease: _Lease = frame._lease
    return lease


def test_the_lease_is_free_once_the_frame_and_every_array_are_gone(
        fake: FakeSegment, segment: Segment) -> None:
    msg, _ = publish(fake)
    sut = new_frame(segment, msg, 300)
    lease = lease_of(sut)
    view = sut.array[10:20, 5:9]
    column = view[:, 1]

    del sut, view
    gc.collect()
    assert not lease.free  # `column` still points into the slot

    del column
    gc.collect()
    assert lease.free and (lease.slot, lease.seq, lease.receive_ns) == (1, 5, 300)


def test_an_array_alone_keeps_the_lease(fake: FakeSegment, segment: Segment) -> None:
    msg, _ = publish(fake)
    sut = new_frame(segment, msg, 0)
    lease = lease_of(sut)
    array = sut.array
    del sut
    gc.collect()
    assert not lease.free and lease.kept_by_arrays

    del array
    gc.collect()
    assert lease.free


def test_release_with_arrays_in_use_keeps_the_lease_until_they_are_gone(
        fake: FakeSegment, segment: Segment) -> None:
    msg, pixels = publish(fake)
    told: List[bool] = []
    sut = new_frame(segment, msg, 0, lambda lease: told.append(lease.free))
    kept = sut.array

    sut.release()

    assert told == [False] and lease_of(sut).kept_by_arrays and sut.released
    assert kept[0, 0, 0] == pixels[0]
    with pytest.raises(FrameReleased, match="frame 5 was released.*frame.copy"):
        sut.array
    with pytest.raises(FrameReleased):
        sut.copy()
    del kept
    gc.collect()
    assert lease_of(sut).free


def test_release_without_arrays_frees_the_lease_at_once(fake: FakeSegment,
                                                        segment: Segment) -> None:
    msg, _ = publish(fake)
    told: List[Tuple[int, bool]] = []
    sut = new_frame(segment, msg, 0, lambda lease: told.append((lease.seq, lease.free)))

    with sut:
        pass
    sut.release()

    assert told == [(5, True), (5, True)]


def test_frame_has_no_public_constructor() -> None:
    assert "__init__" not in vars(Frame)


def test_closing_the_segment_under_a_live_array_is_safe(fake: FakeSegment) -> None:
    w = fake.welcome()
    sut = Segment(w.segment_name, w.segment_size, w.session_id, w.slot_count)
    msg, pixels = publish(fake)
    frame = new_frame(sut, msg, 0)
    array = frame.array
    mapping = weakref.ref(frame._mm)
    del frame

    sut.close()
    sut.close()

    assert array[0, 0, 0] == pixels[0] and int(array.sum()) > 0
    del array
    gc.collect()
    assert mapping() is None  # the mapping went with the last array


def test_capture_time_is_also_given_on_the_wall_clock(fake: FakeSegment,
                                                      segment: Segment) -> None:
    captured = time.perf_counter_ns() - 2_000_000_000
    msg = fake.publish(1, 5, WIDTH, HEIGHT, STRIDE, PixelFormat.BGR8, None, captured, captured)
    sut = new_frame(segment, msg, 0)

    two_seconds_ago = time.time_ns() - 2_000_000_000

    assert abs(sut.capture_unix_ns - two_seconds_ago) < 100_000_000


def test_metadata_has_only_the_keys_the_source_reported(fake: FakeSegment,
                                                        segment: Segment) -> None:
    reported = {"exposure": 156.0, "gain": 0.0, "white_balance_temperature": 4600.0}
    msg = fake.publish(1, 5, WIDTH, HEIGHT, STRIDE, PixelFormat.BGR8, None, metadata=reported)
    sut = new_frame(segment, msg, 0)

    assert sut.metadata == reported
    sut.metadata["gain"] = 3.0  # a dict of the caller's own
    sut.release()
    assert sut.metadata == reported  # read with the frame: still there after release()


def test_a_frame_whose_source_reports_nothing_has_empty_metadata(fake: FakeSegment,
                                                                 segment: Segment) -> None:
    msg, _ = publish(fake)

    assert new_frame(segment, msg, 0).metadata == {}


def test_metadata_of_a_frame_taken_back_before_it_was_read_says_so(fake: FakeSegment,
                                                                   segment: Segment) -> None:
    msg = fake.publish(1, 5, WIDTH, HEIGHT, STRIDE, PixelFormat.BGR8, None,
                       metadata={"exposure": 1.0})
    fake.publish(1, 9, WIDTH, HEIGHT, STRIDE, PixelFormat.BGR8, None, metadata={"gain": 2.0})
    sut = new_frame(segment, msg, 0)

    with pytest.raises(FrameTakenBack, match=r"frame 5 \(slot 1\) was taken back by the server "
                                             r"before its metadata could be read"):
        sut.metadata
