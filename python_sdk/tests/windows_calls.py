"""The SDK's Windows path, run on Linux with something else making its Windows calls."""

import ctypes
import mmap
import sys
from typing import Any

import pytest

from framebridge import _segment


def use_windows_calls(monkeypatch: pytest.MonkeyPatch, windows: Any) -> None:
    """Put the SDK on its Windows path (sys.platform "win32"), with windows making the calls
    _segment.py makes to Windows: kernel32's OpenFileMappingW and CloseHandle, ctypes'
    get_last_error (windows.last_error), and mmap.mmap(-1, size, tagname=NAME, access=...)."""
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(_segment, "_kernel32", lambda: windows)
    monkeypatch.setattr(ctypes, "get_last_error", lambda: windows.last_error, raising=False)
    monkeypatch.setattr(mmap, "mmap", windows.mmap)
