"""Shared fixtures: fake segments for unit tests, the real server for end-to-end tests."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator, List, Mapping, Optional, Sequence, Union

import pytest

SDK_DIR = Path(__file__).resolve().parents[1]
REPO_DIR = SDK_DIR.parent
sys.path.insert(0, str(SDK_DIR))  # test the sources, not an installed copy

from both_clients import Async, Blocking  # noqa: E402
from fakes import FakeSegment, FakeServer, Peer, unique_name  # noqa: E402

SERVER_BIN = os.environ.get("FRAMEBRIDGE_SERVER",
                            str(REPO_DIR / "build" / "bin" / "framebridge-server"))
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "server_args(size=, fps=, slots=): options for the "
                            "`server` fixture's framebridge-server")


@pytest.fixture
def make_segment() -> Iterator[Callable[..., FakeSegment]]:
    """Factory of fake segment files in /dev/shm, removed after the test."""
    made: List[FakeSegment] = []

    def make(**kwargs: int) -> FakeSegment:
        segment = FakeSegment(unique_name(), **kwargs)
        made.append(segment)
        return segment

    yield make
    for segment in made:
        segment.remove()


@pytest.fixture(params=["blocking", "asyncio"])
def api(request: pytest.FixtureRequest) -> Iterator[Union[Blocking, Async]]:
    """The calls of the blocking client, then of framebridge.asyncio's (both_clients.py):
    a test that takes `api` checks both."""
    if request.param == "blocking":
        yield Blocking()
        return
    driver = Async()
    try:
        yield driver
    finally:
        driver.shut()


@pytest.fixture
def serve() -> Iterator[Callable[..., FakeServer]]:
    """Factory of fake servers: serve(script, connections=1) runs script(peer) for each
    connection; each server is stopped (and its script's errors raised) after the test."""
    servers: List[FakeServer] = []

    def start(script: Callable[[Peer], None], connections: int = 1) -> FakeServer:
        servers.append(FakeServer(script, connections))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


class RunningServer:
    """A started framebridge-server. name is its --name (its one stream), or its first
    --stream when it was started with streams=."""

    def __init__(self, port: int, name: str, process: "subprocess.Popen[bytes]",
                 log_path: Path, streams: Sequence[str] = ()) -> None:
        self.port = port
        self.name = name
        self.process = process
        self.log_path = log_path
        self.shm_path = "/dev/shm/" + name
        self.shm_paths = ["/dev/shm/" + stream for stream in streams or [name]]

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError as exc:
            return f"(no log: {exc})"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_accepting(server: RunningServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"framebridge-server exited with {server.process.returncode} at "
                        f"start:\n{server.log()}", pytrace=False)
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"framebridge-server did not accept connections on port {server.port} "
                f"within {START_TIMEOUT_S} s:\n{server.log()}", pytrace=False)


def stop(server: RunningServer) -> None:
    process = server.process
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    problems: List[str] = []
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT_S)
        problems.append(f"it did not exit within {STOP_TIMEOUT_S} s (killed)")
    else:
        if process.returncode != 0:
            problems.append(f"it exited with {process.returncode}, expected 0")
    for path in server.shm_paths:
        if os.path.exists(path):
            os.unlink(path)  # leave no stale segment behind, then report it
            problems.append(f"it left {path} behind")
    if problems:
        pytest.fail(f"framebridge-server after SIGINT: {'; '.join(problems)}\n{server.log()}",
                    pytrace=False)


def _require_binary() -> None:
    if not os.access(SERVER_BIN, os.X_OK):
        pytest.fail(f"the end-to-end tests need the FrameBridge server binary, not found at "
                    f"{SERVER_BIN}: build it first (build/bin/framebridge-server) or set "
                    f"FRAMEBRIDGE_SERVER", pytrace=False)


def launch(log_path: Path, name: str, port: int, *extra: str,
           streams: Mapping[str, str] = {}) -> RunningServer:
    """Start framebridge-server (no waiting); its stdout and stderr go to log_path.

    streams: NAME -> SPEC, one --stream NAME=SPEC each, in order, instead of --name.
    """
    _require_binary()
    args = [SERVER_BIN, "--port", str(port)]
    for stream, spec in streams.items():
        args += ["--stream", f"{stream}={spec}"]
    if not streams:
        args += ["--name", name]
    with open(log_path, "wb") as log:
        process = subprocess.Popen([*args, *extra], stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT)
    return RunningServer(port, next(iter(streams), name), process, log_path, list(streams))


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningServer]:
    """A real framebridge-server on a free port with a unique stream name.

    Options come from @pytest.mark.server_args(size="640x480", fps=30, slots=3).
    """
    marker = request.node.get_closest_marker("server_args")
    options = dict(marker.kwargs) if marker else {}
    extra: List[str] = []
    for option in ("size", "fps", "slots", "stats_every"):
        if option in options:
            extra += [f"--{option.replace('_', '-')}", str(options.pop(option))]
    assert not options, f"unknown server_args {options}"
    running = launch(tmp_path / "server.log", unique_name(), free_port(), *extra)
    request.node.framebridge_server = running
    try:
        wait_accepting(running)
        yield running
    finally:
        stop(running)


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., RunningServer]]:
    """Factory of further servers for tests that need more than one or must kill one:
    start_server(name=None, port=None, *extra_args, wait=True, streams={}). Each is stopped
    after the test if it still runs, and its segments removed if left behind."""
    started: List[RunningServer] = []

    def start(name: Optional[str] = None, port: Optional[int] = None, *extra: str,
              wait: bool = True, streams: Mapping[str, str] = {}) -> RunningServer:
        log_path = tmp_path / f"server-{len(started)}.log"
        running = launch(log_path, name or unique_name(), port or free_port(), *extra,
                         streams=streams)
        started.append(running)
        if wait:
            wait_accepting(running)
        return running

    yield start
    for running in started:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait(STOP_TIMEOUT_S)
    for running in started:
        if running.process.returncode is not None and running.process.returncode < 0:
            for path in running.shm_paths:
                if os.path.exists(path):
                    os.unlink(path)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    running = getattr(item, "framebridge_server", None)
    if running is not None and report.failed:
        report.sections.append((f"framebridge-server log ({report.when})", running.log()))
