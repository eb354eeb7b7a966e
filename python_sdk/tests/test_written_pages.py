"""Pages a script writes into its copy-on-write mapping are found, and dropped before reuse."""

import ctypes
import mmap
import os
import sys
import threading
from typing import Callable, Iterator, List, Optional, Tuple

import numpy as np
import pytest

from fakes import FakeSegment
from framebridge import _written_pages as W

PAGE = mmap.PAGESIZE
SLOT = 3 * PAGE


@pytest.fixture
def fake(make_segment) -> FakeSegment:  # type: ignore[no-untyped-def]
    made: FakeSegment = make_segment(slot_capacity=8 * PAGE)
    made.mm[made.data_offset:made.data_offset + 8 * PAGE] = bytes(range(256)) * (8 * PAGE // 256)
    return made


@pytest.fixture
def private(fake: FakeSegment) -> Iterator[mmap.mmap]:
    fd = os.open(fake.path, os.O_RDONLY)
    try:
        mapped = mmap.mmap(fd, fake.size, access=mmap.ACCESS_COPY)
    finally:
        os.close(fd)
    yield mapped
    mapped.close()


@pytest.fixture(params=["PAGEMAP_SCAN", "pagemap entries"])
def pagemap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> W._Pagemap:
    """Both ways of reading /proc/self/pagemap (the ioctl exists from Linux 6.7 on)."""
    sut = W._Pagemap()
    if request.param == "pagemap entries":
        sut._scan = False
    else:
        probe = mmap.mmap(-1, PAGE)
        try:
            sut._written_by_scan(sut.fd() or -1, W.mapping_address(probe), PAGE)
        except OSError:
            pytest.skip("PAGEMAP_SCAN needs Linux 6.7")
        finally:
            probe.close()
    monkeypatch.setattr(W, "_pagemap", sut)
    return sut


@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/pagemap")
def test_only_the_pages_written_are_found(fake: FakeSegment, private: mmap.mmap,
                                          pagemap: W._Pagemap) -> None:
    base = W.mapping_address(private)
    slot = fake.data_offset
    view = np.frombuffer(private, np.uint8, count=8 * PAGE, offset=slot)
    assert int(view.sum()) > 0  # every page read, so every page is mapped

    view[PAGE + 5] = 1
    view[4 * PAGE:6 * PAGE] = 2

    found = pagemap.written(base + slot, 8 * PAGE)
    assert found == [(base + slot + PAGE, PAGE), (base + slot + 4 * PAGE, 2 * PAGE)] or \
        found == [(base + slot + PAGE, PAGE), (base + slot + 4 * PAGE, PAGE),
                  (base + slot + 5 * PAGE, PAGE)]


@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/pagemap")
def test_revert_shows_the_segment_again_where_the_script_drew(
        fake: FakeSegment, private: mmap.mmap, pagemap: W._Pagemap) -> None:
    slot = fake.data_offset
    view = np.frombuffer(private, np.uint8, count=8 * PAGE, offset=slot)
    view[PAGE:3 * PAGE] = 0xEE  # the script draws on frame 1
    fake.mm[slot:slot + 8 * PAGE] = b"\x11" * (8 * PAGE)  # the server writes frame 2 there
    assert (view[PAGE:3 * PAGE] == 0xEE).all()  # the drawing hides frame 2

    assert W.revert(private, W.mapping_address(private), slot, 8 * PAGE)

    assert (view == 0x11).all()
    assert pagemap.written(W.mapping_address(private) + slot, 8 * PAGE) == []
    assert fake.mm[slot:slot + 8 * PAGE] == b"\x11" * (8 * PAGE)


def _count_asks(monkeypatch: pytest.MonkeyPatch) -> List[int]:
    asked: List[int] = []
    written = W._pagemap.written

    def counting(address: int, length: int) -> Optional[List[W.Range]]:
        asked.append(address)
        return written(address, length)

    monkeypatch.setattr(W._pagemap, "written", counting)
    monkeypatch.setattr(W, "_clean", W._CleanRanges())
    return asked


@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/pagemap")
def test_a_range_nothing_wrote_since_it_was_clean_is_not_asked_about_again(
        fake: FakeSegment, private: mmap.mmap, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _count_asks(monkeypatch)
    base, slot = W.mapping_address(private), fake.data_offset
    np.frombuffer(private, np.uint8, count=8 * PAGE, offset=slot).sum()  # map every page

    for _ in range(50):
        assert W.revert(private, base, slot, 8 * PAGE)

    # Any page fault in the process (the interpreter's own allocations) means asking again.
    assert 1 <= len(asked) < 25


def _kernel_write(view: np.ndarray, data: bytes) -> None:
    """The kernel writes into the array on the process's behalf, as read(2) into it does."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, data)
        assert os.readv(read_end, [view]) == len(data)
    finally:
        os.close(read_end)
        os.close(write_end)


def _thread_write(view: np.ndarray, data: bytes) -> None:
    writer = threading.Thread(target=view.__setitem__, args=(slice(None), 0xEE))
    writer.start()
    writer.join()


@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/pagemap")
@pytest.mark.parametrize("write", [_kernel_write, _thread_write])
def test_a_write_after_the_range_was_made_clean_is_still_dropped(
        fake: FakeSegment, private: mmap.mmap, monkeypatch: pytest.MonkeyPatch,
        write: Callable[[np.ndarray, bytes], None]) -> None:
    _count_asks(monkeypatch)
    base, slot = W.mapping_address(private), fake.data_offset
    view = np.frombuffer(private, np.uint8, count=8 * PAGE, offset=slot)
    view.sum()
    assert W.revert(private, base, slot, 8 * PAGE)  # clean now

    write(view[2 * PAGE:3 * PAGE], b"\xee" * PAGE)
    assert (view[2 * PAGE:3 * PAGE] == 0xEE).all()

    assert W.revert(private, base, slot, 8 * PAGE)
    assert bytes(view) == fake.mm[slot:slot + 8 * PAGE]


def test_revert_without_pagemap_drops_the_whole_range(
        fake: FakeSegment, private: mmap.mmap, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(W._pagemap, "written", lambda address, length: None)
    slot = fake.data_offset
    view = np.frombuffer(private, np.uint8, count=8 * PAGE, offset=slot)
    view[:] = 0xEE

    assert W.revert(private, W.mapping_address(private), slot, 8 * PAGE)

    assert bytes(view) == fake.mm[slot:slot + 8 * PAGE]


class FakeVirtualQuery:
    """VirtualQuery over a made-up view: regions of (size, protection)."""

    def __init__(self, base: int, regions: List[Tuple[int, int]]) -> None:
        self.base = base
        self.regions = regions

    def __call__(self, address: int, info: object, size: int) -> int:
        mbi = ctypes.cast(info, ctypes.POINTER(W._MemoryBasicInformation)).contents
        start = self.base
        for length, protect in self.regions:
            if start <= address < start + length:
                mbi.BaseAddress, mbi.RegionSize = start, length
                mbi.State, mbi.Protect = W._MEM_COMMIT, protect
                return size
            start += length
        return 0


@pytest.mark.parametrize("regions, written", [
    ([(8 * PAGE, W._PAGE_WRITECOPY)], False),
    ([(2 * PAGE, W._PAGE_WRITECOPY), (PAGE, 0x04), (5 * PAGE, W._PAGE_WRITECOPY)], True),
    ([(4 * PAGE, W._PAGE_WRITECOPY)], True),  # the query fails past the view: assume written
])
def test_windows_tells_written_pages_by_their_protection(regions: List[Tuple[int, int]],
                                                         written: bool) -> None:
    query = FakeVirtualQuery(0x10000, regions)

    assert W.written_windows(0x10000, 8 * PAGE, query) is written


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_a_forked_child_asks_afresh_about_a_range_its_parent_made_clean() -> None:
    key = (1 << 40, 8 * PAGE)
    W._clean.mark(key, 12345)
    assert W._clean.unchanged(key, 12345)
    child = os.fork()
    if child == 0:  # the child's fault count starts again and may come round to 12345
        os._exit(0 if not W._clean.unchanged(key, 12345) else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    W._clean.forget()
