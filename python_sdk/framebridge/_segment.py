"""A stream's shared-memory segment, mapped copy-on-write (layout: docs/segment-layout.md), or
writable by the publisher that fills it.

Copy-on-write (ACCESS_COPY) so that a script drawing on a frame (OpenCV writes even into
NumPy arrays flagged read-only) changes only its own copy of the pages: the segment itself
is never written, and _written_pages drops those copies before a slot is used again.

A publisher (fb.publish) maps its own stream's segment shared and writable: the server lends
it one slot at a time and writes every descriptor and seqlock word itself.

The segment is opened with os.open + mmap, never with multiprocessing.shared_memory:
its resource tracker would unlink the producer's segment when this process exits.
The SDK never unlinks the segment. On Windows it is a named file mapping (docs/windows.md),
opened only if it exists, then mapped with mmap's tagname.
"""

import ctypes
import mmap
import os
import re
import struct
import sys
from typing import Any, Callable, Optional, Tuple

from . import _layout as L
from .errors import FrameBridgeError

_U64 = struct.Struct("<Q")
_NEWEST_SEQ_OFFSET = L.HEADER_FIELDS["newest_seq"][0]
_SEQUENCE_BASE = L.descriptor_offset(0) + L.DESCRIPTOR_FIELDS["sequence"][0]
# A descriptor's fields before its metadata, in DESCRIPTOR_FIELDS' order (which has no gaps),
# read in one go.
_DESCRIPTOR = struct.Struct("<" + "".join({4: "I", 8: "Q"}[size] for _, size in
                                          sorted(L.DESCRIPTOR_FIELDS.values())))


def _map_linux(name: str, size: int, writable: bool) -> mmap.mmap:
    path = "/dev/shm/" + name
    try:
        fd = os.open(path, (os.O_RDWR if writable else os.O_RDONLY) | os.O_CLOEXEC
                     | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise FrameBridgeError(f"no FrameBridge stream named {name} ({path} does not exist)"
                               ) from None
    except OSError as exc:
        raise FrameBridgeError(f"cannot open FrameBridge stream {name} ({path}): "
                               f"{exc.strerror}") from None
    try:
        file_size = os.fstat(fd).st_size
        if file_size < size:
            raise FrameBridgeError(f"segment {name} is {file_size} bytes, smaller than the "
                                   f"segment_size {size} the server announced")
        return mmap.mmap(fd, size, access=_access(writable))
    finally:
        os.close(fd)


def _access(writable: bool) -> int:
    return mmap.ACCESS_WRITE if writable else mmap.ACCESS_COPY


# What the server's WELCOME names on Windows: the mapping's full name, Local\NAME or
# Global\NAME, with @1 to @63 when it serves a later generation of the stream
# (shm/src/segment_windows.cpp keeps 64 generations).
_WINDOWS_NAME_RE = re.compile(
    r"(?:Local|Global)\\(?P<stream>[^\\@]+)(?:@(?:[1-9]|[1-5][0-9]|6[0-3]))?")
_FILE_MAP_WRITE = 0x0002  # read and write
_FILE_MAP_READ = 0x0004
_ERROR_FILE_NOT_FOUND = 2


def is_valid_windows_name(name: str) -> bool:
    """True for Local\\NAME or Global\\NAME, optionally @1..@63, NAME a valid stream name."""
    match = _WINDOWS_NAME_RE.fullmatch(name)
    return match is not None and L.is_valid_stream_name(match["stream"])


def _kernel32() -> Any:
    """Every Windows call the SDK makes goes through here (and tests stand in here)."""
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.OpenFileMappingW.restype = ctypes.c_void_p
    kernel32.OpenFileMappingW.argtypes = [ctypes.c_uint32, ctypes.c_int, ctypes.c_wchar_p]
    kernel32.CloseHandle.argtypes = [ctypes.c_void_p]
    kernel32.VirtualQuery.restype = ctypes.c_size_t
    kernel32.VirtualQuery.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
    return kernel32


def _map_windows(name: str, size: int, writable: bool) -> mmap.mmap:
    # mmap.mmap(-1, size, tagname=NAME) silently creates an empty mapping when none has the
    # name, so the SDK first opens the name with OpenFileMappingW, which never creates. Holding
    # that handle across the mmap call keeps the mapping alive in between, so mmap opens it.
    kernel32 = _kernel32()
    handle = kernel32.OpenFileMappingW(_FILE_MAP_WRITE if writable else _FILE_MAP_READ, False,
                                       name)
    if not handle:
        error = ctypes.get_last_error()  # type: ignore[attr-defined]  # Windows only
        if error == _ERROR_FILE_NOT_FOUND:
            raise FrameBridgeError(f"no FrameBridge stream named {name} (no file mapping has "
                                   f"that name)")
        raise FrameBridgeError(f"cannot open FrameBridge stream {name}: Windows error {error}")
    try:
        return mmap.mmap(-1, size, tagname=name,  # type: ignore[call-arg]  # Windows only
                         access=_access(writable))
    except OSError as exc:
        raise FrameBridgeError(f"cannot map FrameBridge stream {name} ({size} bytes): "
                               f"{exc}") from None
    finally:
        kernel32.CloseHandle(handle)


def read_newest_seq(mm: mmap.mmap) -> int:
    """The header's newest_seq."""
    return int(_U64.unpack_from(mm, _NEWEST_SEQ_OFFSET)[0])


def read_sequence(mm: mmap.mmap, slot: int) -> int:
    """Slot's seqlock word: 0 while it is written, else the sequence of the frame it holds."""
    sequence: int = _U64.unpack_from(mm, _SEQUENCE_BASE + L.DESCRIPTOR_SIZE * slot)[0]
    return sequence


def read_descriptor(mm: mmap.mmap, slot: int) -> Tuple[int, ...]:
    """Slot's sequence, width, height, stride, pixel_format, payload_size, capture_ns,
    publish_ns and source_seq."""
    return _DESCRIPTOR.unpack_from(mm, L.descriptor_offset(slot))


class Segment:
    """A stream's segment, mapped copy-on-write (or writable, for its publisher) and checked
    against the server's WELCOME (or PUBLISHING)."""

    def __init__(self, name: str, segment_size: int, session_id: int, slot_count: int,
                 writable: bool = False) -> None:
        windows = sys.platform == "win32"
        if not (is_valid_windows_name(name) if windows else L.is_valid_stream_name(name)):
            raise FrameBridgeError(f"{name!r} is not a valid FrameBridge stream name")
        if segment_size < L.HEADER_SIZE:
            raise FrameBridgeError(f"segment {name}: segment_size {segment_size} is smaller "
                                   f"than the {L.HEADER_SIZE}-byte header")
        self.name = name
        mapper = _map_windows if windows else _map_linux
        self._mm: Optional[mmap.mmap] = mapper(name, segment_size, writable)
        try:
            header = L.read_fields(self._mm, L.HEADER_FIELDS)
            self._check(header, segment_size, session_id, slot_count)
        except BaseException:
            self.close()
            raise
        self.slot_count = header["slot_count"]
        self.slot_capacity = header["slot_capacity"]
        self.data_offset = header["data_offset"]
        self.segment_size = header["segment_size"]
        self.session_id = header["session_id"]
        self.grant_offset = header["grant_offset"]

    def _check(self, h: dict, size: int, session_id: int, slot_count: int) -> None:
        name = self.name

        def fail(what: str) -> FrameBridgeError:
            return FrameBridgeError(f"segment {name}: {what}")

        if h["magic"] != L.MAGIC:
            raise FrameBridgeError(f"no FrameBridge stream named {name} "
                                   f"(bad magic 0x{h['magic']:016x})")
        if h["layout_version"] != L.LAYOUT_VERSION:
            raise fail(f"layout_version {h['layout_version']}, this SDK reads "
                       f"{L.LAYOUT_VERSION}")
        if h["header_size"] != L.HEADER_SIZE or h["descriptor_size"] != L.DESCRIPTOR_SIZE \
                or h["descriptor_offset"] != L.DESCRIPTOR_OFFSET:
            raise fail(f"header_size {h['header_size']}, descriptor_size "
                       f"{h['descriptor_size']}, descriptor_offset {h['descriptor_offset']}; "
                       f"expected {L.HEADER_SIZE}, {L.DESCRIPTOR_SIZE}, {L.DESCRIPTOR_OFFSET}")
        if h["segment_size"] != size:
            raise fail(f"segment_size {h['segment_size']} differs from the server's {size}")
        if h["session_id"] == 0 or h["session_id"] != session_id:
            raise fail(f"session_id {h['session_id']:#x} differs from the server's "
                       f"{session_id:#x} (the server restarted?)")
        count = h["slot_count"]
        if not L.MIN_SLOTS <= count <= L.MAX_SLOTS or count != slot_count:
            raise fail(f"slot_count {count} (server says {slot_count}, "
                       f"allowed {L.MIN_SLOTS} to {L.MAX_SLOTS})")
        capacity, data = h["slot_capacity"], h["data_offset"]
        if capacity == 0 or capacity % L.PAGE_SIZE:
            raise fail(f"slot_capacity {capacity} is not a positive multiple of {L.PAGE_SIZE}")
        if data % L.PAGE_SIZE or data < L.descriptor_offset(count):
            raise fail(f"data_offset {data} is not a multiple of {L.PAGE_SIZE} past the "
                       f"{count} descriptors")
        grants = h["grant_offset"]
        if h["grant_cells"] != L.GRANT_CELLS or grants % L.GRANT_CELL_SIZE \
                or grants < L.descriptor_offset(count) \
                or grants + L.GRANT_CELLS * L.GRANT_CELL_SIZE > data:
            raise fail(f"{h['grant_cells']} grant cells at offset {grants} do not fit "
                       f"between the {count} descriptors and data_offset {data}")
        if data + count * capacity != size:
            raise fail(f"data_offset {data} + {count} slots x {capacity} bytes does not "
                       f"equal segment_size {size}")

    @property
    def mm(self) -> mmap.mmap:
        if self._mm is None:
            raise FrameBridgeError(f"segment {self.name} is closed")
        return self._mm

    def slot_offset(self, slot: int) -> int:
        return self.data_offset + slot * self.slot_capacity

    def newest_seq(self) -> int:
        return read_newest_seq(self.mm)

    def grant_probe(self, cell: int, after_seq: int) -> Callable[[], bool]:
        """A call that says whether grant cell holds a frame newer than after_seq: one read
        and one comparison of the word (seq > after_seq <=> word > after_seq's last word)."""
        unpack, mm, at = _U64.unpack_from, self.mm, self._grant_at(cell)
        last = (after_seq + 1 << L.GRANT_SLOT_BITS) - 1
        return lambda: unpack(mm, at)[0] > last  # type: ignore[no-any-return]

    def granted(self, cell: int) -> int:
        """Grant cell's word: seq << GRANT_SLOT_BITS | slot of the frame last leased to the
        reader lent that cell, 0 for none."""
        word: int = _U64.unpack_from(self.mm, self._grant_at(cell))[0]
        return word

    def _grant_at(self, cell: int) -> int:
        return self.grant_offset + L.GRANT_CELL_SIZE * cell

    def close(self) -> None:
        """Unmap now if no array uses the mapping, else when the last one is gone."""
        mm, self._mm = self._mm, None
        if mm is not None:
            try:
                mm.close()
            except BufferError:
                pass  # live arrays hold the mmap; it unmaps when the last one dies
