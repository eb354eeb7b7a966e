"""The Python SDK against the real framebridge-server.exe, under Wine (docs/windows.md).

This is the SDK itself, on its Windows path (sys.platform "win32"): fb.connect, every message
the .exe sends decoded by the SDK, the name checked by the Windows rule, OpenFileMappingW
before mmap, the header checked against WELCOME, whole frames read through NumPy. Linux cannot
make Windows calls, so only those are stood in: OpenFileMappingW, CloseHandle and
mmap.mmap(-1, size, tagname=NAME, access=ACCESS_COPY) are made for real, under Wine, by
framebridge-mapping-proxy.exe (the calls CPython makes, tests/windows/cpython_mmap.hpp), which
receives exactly what the SDK asked; the test then maps the very pages of that view (the file
Wine backs it with, found through /proc), so the SDK reads the server's live ring.

Run by scripts/test-windows.sh (CTest windows_sdk_e2e in build-windows/), which sets
FRAMEBRIDGE_WINDOWS_BIN_DIR, FRAMEBRIDGE_WINE and the Wine prefix.
"""

import mmap
import os
import re
import secrets
import socket
import subprocess
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import numpy as np
import pytest

import framebridge as fb
from framebridge import _protocol as P
from framebridge import _segment
from framebridge._written_pages import mapping_address
from framebridge.errors import FrameBridgeError
from windows_calls import use_windows_calls

BIN_DIR = Path(os.environ.get("FRAMEBRIDGE_WINDOWS_BIN_DIR", "build-windows/bin"))
WINE = os.environ.get("FRAMEBRIDGE_WINE", "/usr/lib/wine/wine64")
START_TIMEOUT_S = 60.0  # Wine takes seconds to start a process on a loaded machine
FRAME_TIMEOUT_S = 10.0
FRAMES_TO_CHECK = 40
STAMP_BYTES = 8
FILE_MAP_READ = 0x0004
ERROR_FILE_NOT_FOUND = 2
REAL_MMAP = mmap.mmap


def windows_program(name: str) -> List[str]:
    program = BIN_DIR / name
    if not program.is_file():
        pytest.fail(f"{program} is not built: run scripts/test-windows.sh (or set "
                    f"FRAMEBRIDGE_WINDOWS_BIN_DIR)", pytrace=False)
    return [WINE, str(program)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def linux_view(pid: int, address: int, size: int) -> mmap.mmap:
    """The pages of process pid's view at address, mapped read-only into this process.

    Wine backs a named mapping with a (deleted) file that the process holding it keeps open;
    /proc/PID/maps names the file and the view's offset in it, /proc/PID/fd opens it.
    """
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        fields = line.split()
        start, end = (int(x, 16) for x in fields[0].split("-"))
        if start <= address < end:
            break
    else:
        raise AssertionError(f"no mapping at 0x{address:x} in process {pid}")
    if address + size > end or len(fields) < 6:
        raise AssertionError(f"the view at 0x{address:x} ({size} bytes) is not one file "
                             f"mapping in process {pid}: {line}")
    inode = int(fields[4])
    offset = int(fields[2], 16) + address - start
    for fd in os.listdir(f"/proc/{pid}/fd"):
        path = f"/proc/{pid}/fd/{fd}"
        try:
            if os.stat(path).st_ino != inode:
                continue
            opened = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            return REAL_MMAP(opened, size, access=mmap.ACCESS_COPY, offset=offset)
        finally:
            os.close(opened)
    raise AssertionError(f"process {pid} holds no descriptor of the file behind its view "
                         f"({line})")


class MappingProxy:
    """kernel32 and mmap.mmap for the SDK, made real by framebridge-mapping-proxy.exe."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(windows_program("framebridge-mapping-proxy.exe"),
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, bufsize=1)
        self.last_error = 0
        self.open_calls: List[Dict[str, Any]] = []
        self.mmap_calls: List[Dict[str, Any]] = []
        self.open_handles: List[int] = []
        # (address in this process, address in the proxy, length) of each view mapped
        self.views: List[Tuple[int, int, int]] = []

    def _call(self, *words: object) -> List[str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(" ".join(str(w) for w in words) + "\n")
        answer = self.process.stdout.readline().split()
        if not answer:
            raise AssertionError(f"framebridge-mapping-proxy.exe ended "
                                 f"(exit code {self.process.poll()})")
        return answer

    # kernel32, as _segment._kernel32() returns it
    def OpenFileMappingW(self, access: int, inherit: bool, name: str) -> int:
        self.open_calls.append(dict(access=access, inherit=inherit, name=name))
        answer = self._call("open", access, int(inherit), name.encode().hex())
        if answer[0] == "error":
            self.last_error = int(answer[1])
            return 0
        handle = int(answer[1])
        self.open_handles.append(handle)
        return handle

    def CloseHandle(self, handle: int) -> bool:
        assert self._call("close", handle) == ["ok"]
        self.open_handles.remove(handle)
        return True

    def mmap(self, fileno: int, length: int, tagname: Optional[str] = None,
             access: int = mmap.ACCESS_WRITE) -> mmap.mmap:
        call = dict(fileno=fileno, length=length, tagname=tagname, access=access)
        self.mmap_calls.append(call)
        # Copy-on-write, as the SDK maps: a script's writes stay in its own pages.
        assert (fileno, access) == (-1, mmap.ACCESS_COPY) and tagname, call
        answer = self._call("mmap", length, "copy", tagname.encode().hex())
        if answer[0] == "error":
            raise OSError(f"[WinError {answer[1]}] mmap of {tagname!r} failed")
        call["existed"] = answer[2] == "1"
        view = linux_view(self.process.pid, int(answer[1]), length)
        self.views.append((mapping_address(view), int(answer[1]), length))
        return view

    def VirtualQuery(self, address: int, info: Any, size: int) -> int:
        """Asked of the proxy's own view at the same offset; the answer is moved back."""
        for here, there, length in self.views:
            if here <= address < here + length:
                answer = self._call("query", there + address - here)
                break
        else:
            raise AssertionError(f"VirtualQuery of 0x{address:x}, which no view holds")
        if answer[0] == "error":
            self.last_error = int(answer[1])
            return 0
        region = info._obj
        base, region_size, state, protect = (int(x) for x in answer[1:])
        region.BaseAddress = base - there + here
        region.RegionSize = region_size
        region.State = state
        region.Protect = protect
        return size

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> Iterator[MappingProxy]:
    """The SDK on its Windows path, with the Windows calls made by the proxy under Wine."""
    proxy = MappingProxy()
    use_windows_calls(monkeypatch, proxy)
    yield proxy
    proxy.stop()


class WindowsServer:
    """framebridge-server.exe under Wine, serving the synthetic source."""

    def __init__(self, name: str, port: int, log_path: Path) -> None:
        self.name = name
        self.port = port
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                windows_program("framebridge-server.exe") + [
                    "--source", "synthetic", "--size", "320x240", "--fps", "60",
                    "--slots", "3", "--stats-every", "0", "--log-level", "warn",
                    "--name", name, "--port", str(port)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"framebridge-server.exe exited with {self.process.returncode}:"
                            f"\n{log_path.read_text(errors='replace')}", pytrace=False)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                assert time.monotonic() < deadline, f"no server on port {port}"
                time.sleep(0.2)

    def kill(self) -> None:
        """Ends it at once, as a crash or Task Manager would."""
        self.process.kill()
        self.process.wait()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Any]:
    started: List[WindowsServer] = []

    def start(name: str, port: int = 0) -> WindowsServer:
        server = WindowsServer(name, port or free_port(), tmp_path / "server.log")
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()


def stream_name() -> str:
    return f"fbw{os.getpid()}-{secrets.token_hex(3)}"


def first_answer(port: int, hello: P.Hello) -> P.Message:
    """The real server's answer to hello, decoded by the SDK's decoder."""
    with socket.create_connection(("127.0.0.1", port), timeout=FRAME_TIMEOUT_S) as sock:
        sock.sendall(P.encode(hello))
        data = b""
        while True:
            message, _ = P.decode(data)
            if message is not None:
                return message
            chunk = sock.recv(4096)
            assert chunk, f"the server closed the connection after {data!r}"
            data += chunk


def welcome_of(port: int) -> P.Welcome:
    welcome = first_answer(port, P.Hello(os.getpid(), "welcome-probe"))
    assert isinstance(welcome, P.Welcome), welcome
    return welcome


def check_frames(client: fb.Client, count: int) -> int:
    """Takes count frames, each whole: its seq stamped at both ends. Returns the last seq."""
    seq = 0
    for _ in range(count):
        with client.latest(timeout=FRAME_TIMEOUT_S) as frame:
            pixels = frame.array
            first = int.from_bytes(pixels[0].reshape(-1)[:STAMP_BYTES].tobytes(), "little")
            last = int.from_bytes(pixels[-1].reshape(-1)[-STAMP_BYTES:].tobytes(), "little")
            assert (first, last) == (frame.seq, frame.seq), f"frame {frame.seq} is torn"
            assert frame.seq > seq and frame.valid()
            assert pixels.shape == (240, 320, 3) and pixels.dtype == np.uint8
            seq = frame.seq
    return seq


@pytest.mark.parametrize("wait", ["block", "spin"])
def test_the_sdk_reads_whole_frames_from_the_real_windows_server(
        windows: MappingProxy, start_server: Any, wait: str) -> None:
    server = start_server(stream_name())
    welcome = welcome_of(server.port)
    assert welcome.segment_name == "Local\\" + server.name

    with fb.connect(port=server.port, timeout=FRAME_TIMEOUT_S, wait=wait) as client:
        last = check_frames(client, FRAMES_TO_CHECK)
        # wait="spin": frames taken from the grant cell lent in the mapping
        assert (client._s._cell_seen > 0) == (wait == "spin")

    assert last >= FRAMES_TO_CHECK
    assert windows.open_calls == [dict(access=FILE_MAP_READ, inherit=False,
                                       name=welcome.segment_name)]
    assert windows.mmap_calls == [dict(fileno=-1, length=welcome.segment_size,
                                       tagname=welcome.segment_name, access=mmap.ACCESS_COPY,
                                       existed=True)]
    assert windows.open_handles == []


def test_a_missing_stream_is_reported_and_no_mapping_is_made(windows: MappingProxy) -> None:
    name = "Local\\" + stream_name()

    expected = f"no FrameBridge stream named {name} (no file mapping has that name)"
    with pytest.raises(FrameBridgeError, match=re.escape(expected)):
        _segment.Segment(name, 3 * 4096, 1, 3)

    assert windows.last_error == ERROR_FILE_NOT_FOUND  # what Windows itself said
    assert windows.mmap_calls == []  # mmap would have made an empty mapping of that name


def test_a_new_server_on_the_next_generation_is_followed_while_the_old_is_still_mapped(
        windows: MappingProxy, start_server: Any) -> None:
    name = stream_name()
    first = start_server(name)

    with fb.connect(port=first.port, timeout=FRAME_TIMEOUT_S, reconnect=True) as client:
        check_frames(client, 3)
        first.kill()  # the proxy still maps Local\NAME, as an SDK holding frames would
        second = start_server(name, first.port)
        check_frames(client, FRAMES_TO_CHECK)

        assert client.reconnects == 1
        assert client.segment_name == f"Local\\{name}@1"
    assert welcome_of(second.port).segment_name == f"Local\\{name}@1"
    tagnames = [call["tagname"] for call in windows.mmap_calls]
    assert tagnames == [f"Local\\{name}", f"Local\\{name}@1"]


def test_a_server_in_the_global_namespace_is_read_by_its_full_name(
        windows: MappingProxy, start_server: Any) -> None:
    server = start_server("Global\\" + stream_name())

    with fb.connect(port=server.port, timeout=FRAME_TIMEOUT_S) as client:
        check_frames(client, 3)
        assert client.segment_name == server.name
    assert windows.mmap_calls[0]["tagname"] == server.name


def test_an_error_the_server_sends_is_decoded(start_server: Any) -> None:
    server = start_server(stream_name())

    answer = first_answer(server.port, P.Hello(os.getpid(), "old", protocol_version=1))

    assert isinstance(answer, P.Error) and answer.code == P.ErrorCode.VERSION_MISMATCH
