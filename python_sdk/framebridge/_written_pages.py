"""Find and drop the pages of a slot that this process wrote into its copy-on-write mapping.

The segment is mapped copy-on-write (mmap.ACCESS_COPY: MAP_PRIVATE on Linux, FILE_MAP_COPY
on Windows), so a script may draw on a frame's array (OpenCV ignores NumPy's read-only flag)
and only its own copy of those pages changes. A written page no longer follows the shared
segment, though: before the client hands out another frame in the same slot, the pages it
wrote must go back to the shared ones, or the new frame would show the old drawing.

Linux: /proc/self/pagemap says which pages of the range are this process's own (present
or swapped, and not file pages); madvise(MADV_DONTNEED) on exactly those drops them, and the
next read sees the shared page again. Pages only read stay mapped, so a client that reads
every pixel pays no page faults for frames after the first few (dropping whole slots would
cost about 10 ms of faults per 4K frame). The kernel's PAGEMAP_SCAN ioctl (Linux 6.7)
answers with the written ranges alone; older kernels give one 8-byte entry per page.

Even so, asking costs about 1 ms of CPU per 4K slot, as much as reading every pixel. Asking is
skipped when it cannot find anything: a page of a private mapping becomes this process's own
only through a page fault, taken by one of its threads (a write by the CPU, or by the kernel
on its behalf: read(2) into the array), so if the process's fault count has not moved since
the range was last made clean, nothing in it was written. Only another process writing into
this one (a debugger, process_vm_writev) goes unseen.

Windows: a page written in a copy-on-write view changes from PAGE_WRITECOPY to
PAGE_READWRITE (VirtualQuery tells); a view cannot drop it, so the caller maps anew.
"""

import ctypes
import mmap
import os
import struct
import sys
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

_PAGE = mmap.PAGESIZE
_PAGEMAP_SCAN = 0xC0606610  # _IOWR('f', 16, struct pm_scan_arg), linux/fs.h
_PAGE_IS_FILE = 1 << 2
_PAGE_IS_PRESENT = 1 << 3
_PAGE_IS_SWAPPED = 1 << 4
_SCAN_ARG = struct.Struct("<12Q")
_REGION = struct.Struct("<3Q")
_REGIONS = 64
_PM_PRESENT = np.uint64(1 << 63)
_PM_SWAPPED = np.uint64(1 << 62)
_PM_FILE = np.uint64(1 << 61)

Range = Tuple[int, int]  # (offset, length) within the mapping, page-aligned


def mapping_address(mm: mmap.mmap) -> int:
    """The address at which mm is mapped in this process (mm is writable: ACCESS_COPY or
    ACCESS_WRITE; NumPy's .ctypes would cost ten times as much, once per frame)."""
    return ctypes.addressof(ctypes.c_char.from_buffer(mm))  # type: ignore[arg-type]


def _runs(pages: np.ndarray) -> List[Range]:
    """Sorted page numbers as (first page, page count) runs."""
    if pages.size == 0:
        return []
    breaks = [int(b) for b in np.flatnonzero(np.diff(pages) != 1) + 1]
    starts, ends = [0, *breaks], [*breaks, int(pages.size)]
    return [(int(pages[s]), e - s) for s, e in zip(starts, ends)]


class _Pagemap:
    """This process's /proc/self/pagemap, opened again after a fork (it names the opener)."""

    def __init__(self) -> None:
        self._fd: Optional[int] = None
        self._pid = 0
        self._scan = True

    def fd(self) -> Optional[int]:
        if self._pid != os.getpid():
            self._pid = os.getpid()
            try:
                self._fd = os.open("/proc/self/pagemap", os.O_RDONLY | os.O_CLOEXEC)
            except OSError:
                self._fd = None
        return self._fd

    def written(self, address: int, length: int) -> Optional[List[Range]]:
        """Written (address, length) runs in the range, or None if /proc cannot say."""
        fd = self.fd()
        if fd is None:
            return None
        if self._scan:
            try:
                return self._written_by_scan(fd, address, length)
            except OSError:
                self._scan = False  # before Linux 6.7: read the entries
        first = address // _PAGE
        entries = np.frombuffer(os.pread(fd, length // _PAGE * 8, first * 8), np.uint64)
        own = np.flatnonzero(((entries & (_PM_PRESENT | _PM_FILE)) == _PM_PRESENT)
                             | ((entries & _PM_SWAPPED) != 0))
        return [((first + page) * _PAGE, count * _PAGE) for page, count in _runs(own)]

    @staticmethod
    def _written_by_scan(fd: int, address: int, length: int) -> List[Range]:
        import fcntl  # Linux only: the module must import on Windows too
        found: List[Range] = []
        start, end = address, address + length
        regions = bytearray(_REGION.size * _REGIONS)
        vec = ctypes.addressof(ctypes.c_char.from_buffer(regions))
        while start < end:
            arg = bytearray(_SCAN_ARG.pack(
                _SCAN_ARG.size, 0, start, end, 0, vec, _REGIONS, 0,
                _PAGE_IS_FILE, _PAGE_IS_FILE, _PAGE_IS_PRESENT | _PAGE_IS_SWAPPED,
                _PAGE_IS_PRESENT | _PAGE_IS_SWAPPED | _PAGE_IS_FILE))
            count = fcntl.ioctl(fd, _PAGEMAP_SCAN, arg)
            for i in range(count):
                lo, hi, _ = _REGION.unpack_from(regions, i * _REGION.size)
                found.append((lo, hi - lo))
            walk_end = _SCAN_ARG.unpack(arg)[4]
            if count < _REGIONS or walk_end <= start:
                break
            start = walk_end
        return found


_pagemap = _Pagemap()


if sys.platform != "win32":  # the module must import on Windows too
    import resource


def _fault_count() -> int:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread's faults, dead ones too
    return usage.ru_minflt + usage.ru_majflt


class _CleanRanges:
    """The process's fault count when each range was last made clean."""

    LIMIT = 256  # ranges of segments long unmapped are forgotten: asking again is always right

    def __init__(self) -> None:
        self._at: Dict[Range, int] = {}

    def unchanged(self, key: Range, faults: int) -> bool:
        return self._at.get(key) == faults

    def mark(self, key: Range, faults: int) -> None:
        if len(self._at) >= self.LIMIT:
            self._at.clear()
        self._at[key] = faults

    def forget(self) -> None:
        self._at.clear()


_clean = _CleanRanges()


def _forget_after_fork() -> None:
    # A child's fault count starts again from zero, so a count recorded by its parent could
    # come round again while pages are written: the child asks afresh. (Told by the fork
    # itself rather than by comparing os.getpid() on every frame: one system call less.)
    _clean.forget()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_forget_after_fork)

_MEM_COMMIT = 0x1000
_PAGE_WRITECOPY = 0x08


class _MemoryBasicInformation(ctypes.Structure):
    _fields_ = [("BaseAddress", ctypes.c_void_p), ("AllocationBase", ctypes.c_void_p),
                ("AllocationProtect", ctypes.c_uint32), ("PartitionId", ctypes.c_uint16),
                ("RegionSize", ctypes.c_size_t), ("State", ctypes.c_uint32),
                ("Protect", ctypes.c_uint32), ("Type", ctypes.c_uint32)]


def _virtual_query() -> Any:
    from . import _segment  # the one place the SDK's Windows calls come from
    return _segment._kernel32().VirtualQuery


def written_windows(address: int, length: int, query: Any = None) -> bool:
    """True if any page of the range is no longer copy-on-write (this process wrote it)."""
    query = query or _virtual_query()
    info = _MemoryBasicInformation()
    at, end = address, address + length
    while at < end:
        if not query(at, ctypes.byref(info), ctypes.sizeof(info)):
            return True  # cannot tell: map anew, which is always right
        if info.State == _MEM_COMMIT and info.Protect != _PAGE_WRITECOPY:
            return True
        at = int(info.BaseAddress) + int(info.RegionSize)
    return False


def revert(mm: mmap.mmap, address: int, offset: int, length: int) -> bool:
    """Give back this process's written copies of mm's pages in [offset, offset+length), so
    they show the shared segment again. False if they remain (Windows): map anew."""
    length = -(-length // _PAGE) * _PAGE
    if sys.platform == "win32":
        return not written_windows(address + offset, length)
    key = (address + offset, length)
    faults = _fault_count()  # before asking: a write while we ask moves it for next time
    if _clean.unchanged(key, faults):
        return True
    runs = _pagemap.written(address + offset, length)
    if runs is None:  # /proc hides pagemap: dropping every page of the range is also right
        mm.madvise(mmap.MADV_DONTNEED, offset, length)
    else:
        for run_address, run_length in runs:
            mm.madvise(mmap.MADV_DONTNEED, run_address - address, run_length)
    _clean.mark(key, faults)
    return True
