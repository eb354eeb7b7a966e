import os
from typing import Callable

import pytest

from fakes import FakeSegment, unique_name
from framebridge._segment import Segment
from framebridge.errors import FrameBridgeError

MakeSegment = Callable[..., FakeSegment]


def open_segment(fake: FakeSegment, **welcome: int) -> Segment:
    w = fake.welcome(**welcome)
    return Segment(w.segment_name, w.segment_size, w.session_id, w.slot_count)


def test_a_good_segment_opens_and_reports_its_geometry(make_segment: MakeSegment) -> None:
    fake = make_segment(slot_count=4)
    fake.publish(1, 17, 8, 8, 64)

    sut = open_segment(fake)

    assert (sut.slot_count, sut.slot_capacity, sut.data_offset) == (4, 3 * 4096, 8192)
    assert sut.newest_seq() == 17
    sut.close()


def test_closing_never_unlinks_the_segment(make_segment: MakeSegment) -> None:
    fake = make_segment()
    sut = open_segment(fake)

    sut.close()
    sut.close()

    assert os.path.exists(fake.path)


def test_a_missing_segment_names_the_stream() -> None:
    name = unique_name()

    with pytest.raises(FrameBridgeError, match=f"no FrameBridge stream named {name}"):
        Segment(name, 40960, 1, 3)


@pytest.mark.parametrize("header, message", [
    ({"magic": 0}, "no FrameBridge stream named .*bad magic 0x0000000000000000"),
    ({"magic": int.from_bytes(b"FRAMEBRX", "little")}, "no FrameBridge stream named"),
    ({"layout_version": 1}, "layout_version 1"),
    ({"header_size": 64}, "header_size 64"),
    ({"descriptor_size": 32}, "descriptor_size 32"),
    ({"segment_size": 45056 + 4096}, "segment_size 49152"),
    ({"session_id": 0}, "session_id 0x0"),
    ({"session_id": 99}, "session_id 0x63 differs"),
    ({"slot_count": 4}, "slot_count 4"),
    ({"slot_capacity": 1000}, "slot_capacity 1000"),
    ({"data_offset": 100}, "data_offset 100"),
    ({"data_offset": 0}, "data_offset 0"),
    ({"grant_cells": 1}, "1 grant cells at offset 704"),
    ({"grant_offset": 128}, "64 grant cells at offset 128 do not fit"),
    ({"grant_offset": 712}, "64 grant cells at offset 712"),
    ({"grant_offset": 4160}, "64 grant cells at offset 4160 do not fit between the 3 "
                             "descriptors and data_offset 8192"),
])
def test_a_bad_header_is_refused_with_the_bad_value(make_segment: MakeSegment, header: dict,
                                                    message: str) -> None:
    fake = make_segment()
    fake.set_header(**header)

    with pytest.raises(FrameBridgeError, match=message) as raised:
        open_segment(fake)
    assert fake.name in str(raised.value)


def test_segment_size_that_differs_from_welcome_is_refused(make_segment: MakeSegment) -> None:
    fake = make_segment()

    with pytest.raises(FrameBridgeError, match=f"segment {fake.name}: segment_size 45056"):
        open_segment(fake, segment_size=fake.size - 4096)


def test_a_file_smaller_than_the_announced_size_is_refused(make_segment: MakeSegment) -> None:
    fake = make_segment(file_size=4096)

    with pytest.raises(FrameBridgeError, match=f"segment {fake.name} is 4096 bytes, smaller "
                                               f"than the segment_size 45056"):
        open_segment(fake)


def test_a_session_id_that_differs_from_welcome_is_refused(make_segment: MakeSegment) -> None:
    fake = make_segment()

    with pytest.raises(FrameBridgeError, match="differs from the server's 0x1.*restarted"):
        open_segment(fake, session_id=1)


@pytest.mark.parametrize("name", ["", "../../etc/passwd", ".hidden", "a/b", "x" * 31,
                                  "caf\u00e9", "Local\\framebridge", "fb@1"])
def test_an_unsafe_or_foreign_name_is_refused_before_any_file_is_opened(name: str) -> None:
    with pytest.raises(FrameBridgeError, match="not a valid FrameBridge stream name"):
        Segment(name, 40960, 1, 3)


def test_a_mapping_too_small_for_the_header_is_refused() -> None:
    with pytest.raises(FrameBridgeError, match="smaller than the 128-byte header"):
        Segment("tiny", 64, 1, 3)
