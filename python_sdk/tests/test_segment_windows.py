"""The SDK's Windows path to the segment, run here with Windows' two calls faked.

OpenFileMappingW is faked by a table of mapping names; mmap.mmap(-1, size, tagname=...) by
a mapping of the fake segment's file. The real calls, under Wine, are made for the SDK by
tests/windows/sdk_e2e_test.py, against the real server.
"""

import mmap
import os
import subprocess
import sys
from typing import Callable, Dict, Iterator, List

import pytest

from fakes import FakeSegment
from windows_calls import use_windows_calls
from framebridge._segment import Segment, is_valid_windows_name
from framebridge.errors import FrameBridgeError

MakeSegment = Callable[..., FakeSegment]
REAL_MMAP = mmap.mmap


class FakeWindows:
    """Named mappings by full name, and a record of what the SDK asked of Windows."""

    def __init__(self) -> None:
        self.mappings: Dict[str, FakeSegment] = {}
        self.mmap_calls: List[dict] = []
        self.open_access: List[int] = []
        self.open_handles = 0
        self.last_error = 0

    # kernel32
    def OpenFileMappingW(self, access: int, inherit: bool, name: str) -> int:
        self.open_access.append(access)
        if name not in self.mappings:
            self.last_error = 2  # ERROR_FILE_NOT_FOUND
            return 0
        self.open_handles += 1
        return 0x1234

    def CloseHandle(self, handle: int) -> bool:
        self.open_handles -= 1
        return True

    def mmap(self, fileno: int, length: int, tagname: str = "", access: int = 0) -> mmap.mmap:
        if fileno != -1:  # a file's mapping, as FakeSegment makes
            return REAL_MMAP(fileno, length)
        self.mmap_calls.append(dict(fileno=fileno, length=length, tagname=tagname,
                                    access=access))
        writable = access == mmap.ACCESS_WRITE
        fd = os.open(self.mappings[tagname].path, os.O_RDWR if writable else os.O_RDONLY)
        try:
            return REAL_MMAP(fd, length, access=access)
        finally:
            os.close(fd)


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWindows]:
    fake = FakeWindows()
    use_windows_calls(monkeypatch, fake)
    yield fake


def open_as(fake: FakeSegment, name: str, **welcome: int) -> Segment:
    w = fake.welcome(segment_name=name, **welcome)
    return Segment(w.segment_name, w.segment_size, w.session_id, w.slot_count)


@pytest.mark.parametrize("name, valid", [
    ("Local\\framebridge", True),
    ("Global\\cam-0_left.v2", True),
    ("Local\\framebridge@1", True),
    ("Local\\framebridge@9", True),
    ("Local\\framebridge@10", True),
    ("Local\\framebridge@63", True),
    ("Local\\framebridge@64", False),
    ("Local\\framebridge@99", False),
    ("Local\\framebridge@01", False),
    ("Local\\framebridge@", False),
    ("framebridge", False),
    ("Session\\framebridge", False),
    ("Local\\framebridge@0", False),
    ("Local\\framebridge@owner", False),
    ("Local\\a\\b", False),
    ("Local\\.hidden", False),
    ("Local\\" + "a" * 31, False),
])
def test_windows_names_are_the_mappings_full_names(name: str, valid: bool) -> None:
    assert is_valid_windows_name(name) is valid


def test_a_stream_maps_by_the_name_welcome_gives(windows: FakeWindows,
                                                 make_segment: MakeSegment) -> None:
    fake = make_segment()
    windows.mappings["Local\\cam@1"] = fake

    sut = open_as(fake, "Local\\cam@1")

    assert windows.mmap_calls == [dict(fileno=-1, length=fake.size, tagname="Local\\cam@1",
                                       access=mmap.ACCESS_COPY)]
    assert windows.open_handles == 0
    assert sut.slot_count == fake.slot_count
    sut.close()


def test_a_publisher_maps_its_stream_writable_after_the_same_existence_check(
        windows: FakeWindows, make_segment: MakeSegment) -> None:
    fake = make_segment()
    windows.mappings["Local\\edges@1"] = fake

    sut = Segment("Local\\edges@1", fake.size, fake.session_id, fake.slot_count, writable=True)
    sut.mm[sut.slot_offset(0)] = 7

    assert windows.open_access == [0x0002]  # FILE_MAP_WRITE
    assert windows.mmap_calls == [dict(fileno=-1, length=fake.size, tagname="Local\\edges@1",
                                       access=mmap.ACCESS_WRITE)]
    assert fake.mm[fake.data_offset] == 7  # written into the shared mapping
    assert windows.open_handles == 0
    sut.close()
    with pytest.raises(FrameBridgeError, match=r"no FrameBridge stream named Local\\gone"):
        Segment("Local\\gone", fake.size, fake.session_id, fake.slot_count, writable=True)


def test_a_missing_mapping_is_reported_and_never_created(windows: FakeWindows,
                                                         make_segment: MakeSegment) -> None:
    fake = make_segment()

    with pytest.raises(FrameBridgeError, match=r"no FrameBridge stream named Local\\gone"):
        open_as(fake, "Local\\gone")

    assert windows.mmap_calls == []


def test_the_header_is_checked_before_it_is_trusted(windows: FakeWindows,
                                                    make_segment: MakeSegment) -> None:
    fake = make_segment()
    windows.mappings["Local\\cam"] = fake

    with pytest.raises(FrameBridgeError, match="session_id .* differs"):
        open_as(fake, "Local\\cam", session_id=99)
    fake.set_header(magic=0)
    with pytest.raises(FrameBridgeError, match="no FrameBridge stream named Local"):
        open_as(fake, "Local\\cam")
    assert windows.open_handles == 0


def test_a_linux_style_name_is_refused_on_windows(windows: FakeWindows,
                                                  make_segment: MakeSegment) -> None:
    fake = make_segment()

    with pytest.raises(FrameBridgeError, match="not a valid FrameBridge stream name"):
        open_as(fake, fake.name)


def test_the_sdk_imports_where_there_is_no_fcntl() -> None:
    """Windows has no fcntl: a module-level import of it would make the SDK unusable there."""
    code = "import sys; sys.modules['fcntl'] = None; import framebridge; print('ok')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "ok", done.stderr
