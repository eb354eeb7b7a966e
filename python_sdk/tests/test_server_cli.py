"""framebridge-server as a user runs it: flags, refusals, signals, stale segments, logs."""

import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Callable

import pytest

import framebridge as fb
from conftest import SERVER_BIN, RunningServer, free_port, stop, wait_accepting
from fakes import unique_name

EXIT_TIMEOUT_S = 10.0
REFUSED = 2


def run_to_exit(*args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([SERVER_BIN, *args], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=EXIT_TIMEOUT_S)


def exit_code(running: RunningServer) -> int:
    return running.process.wait(EXIT_TIMEOUT_S)


def take_frame(port: int) -> int:
    with fb.connect(port=port) as client, client.latest(timeout=5.0) as frame:
        return frame.seq


def test_help_lists_every_flag_and_exits_zero() -> None:
    result = run_to_exit("--help")
    assert result.returncode == 0
    for flag in ("--source", "--size", "--fps", "--port", "--name", "--slots", "--help"):
        assert flag in result.stdout


@pytest.mark.parametrize("args, mentions", [
    (["--size", "4k"], "4k"),
    (["--fps", "-3"], "-3"),
    (["--slots", "99"], "99"),
    (["--name", "../etc"], "../etc"),
    (["--source", "camera:0"], "camera:0"),
])
def test_bad_options_exit_2_naming_the_value_and_leave_nothing(
        args: list, mentions: str) -> None:
    name_args = [] if "--name" in args else ["--name", unique_name()]
    all_args = [*name_args, "--port", str(free_port()), *args]
    result = run_to_exit(*all_args)
    assert result.returncode == REFUSED, result.stderr
    assert mentions in result.stderr
    name = all_args[all_args.index("--name") + 1]
    assert not os.path.exists("/dev/shm/" + name)


@pytest.mark.server_args(size="320x240", fps=30)
def test_a_second_server_on_the_same_name_is_refused_and_the_first_goes_on(
        server: RunningServer, start_server: Callable[..., RunningServer]) -> None:
    with fb.connect(port=server.port) as client:
        session = client.session_id
    second = start_server(server.name, None, "--size", "320x240", wait=False)
    assert exit_code(second) == REFUSED
    assert f"already served by process {server.process.pid}" in second.log()
    with fb.connect(port=server.port) as client:
        assert client.session_id == session
    assert take_frame(server.port) > 0


@pytest.mark.server_args(size="320x240", fps=30)
def test_a_second_server_on_the_same_port_is_refused_and_leaves_no_segment(
        server: RunningServer, start_server: Callable[..., RunningServer]) -> None:
    second = start_server(None, server.port, "--size", "320x240", wait=False)
    assert exit_code(second) == REFUSED
    assert f"port {server.port} on 127.0.0.1 is already in use" in second.log()
    assert not os.path.exists(second.shm_path)
    assert take_frame(server.port) > 0


def test_a_killed_servers_segment_is_replaced_on_the_next_start(
        start_server: Callable[..., RunningServer]) -> None:
    first = start_server(None, None, "--size", "320x240")
    with fb.connect(port=first.port) as client:
        old_session = client.session_id
    first.process.kill()
    first.process.wait(EXIT_TIMEOUT_S)
    assert os.path.exists(first.shm_path), "SIGKILL cannot clean up; the next start must"

    second = start_server(first.name, None, "--size", "320x240")
    assert f"left behind by process {first.process.pid}" in second.log()
    with fb.connect(port=second.port) as client, client.latest(timeout=5.0) as frame:
        assert client.session_id != old_session
        assert frame.seq > 0
    stop(second)


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_the_server_cleanly_and_removes_its_segment(
        start_server: Callable[..., RunningServer], signal_number: int) -> None:
    running = start_server(None, None, "--size", "320x240")
    assert take_frame(running.port) > 0
    running.process.send_signal(signal_number)
    assert exit_code(running) == 0
    assert not os.path.exists(running.shm_path)
    assert "stopped; stream" in running.log()


def test_the_log_has_a_start_line_and_statistics_with_each_client(tmp_path: Path) -> None:
    name, port = unique_name(), free_port()
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [SERVER_BIN, "--port", str(port), "--name", name, "--size", "640x480",
             "--fps", "30", "--stats-every", "0.3"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    running = RunningServer(port, name, process, log_path)
    try:
        wait_accepting(running)
        with fb.connect(port=port, name="stats-reader") as client:
            deadline = time.monotonic() + 1.5
            for frame in client:
                if time.monotonic() > deadline:
                    break
    finally:
        stop(running)
    text = running.log()
    assert (f"serving synthetic 640x480 BGR8 at 30 fps on 127.0.0.1:{port} as stream "
            f"'{name}'") in text
    assert re.search(r"capture \d+\.\d fps, published \d+, dropped \d+, copies/frame 0\.00, "
                     r"1 client\(s\)", text), text
    assert re.search(r"client \d+ 'stats-reader' \(pid \d+\) reads '" + re.escape(name)
                     + r"': frames \d+, skipped \d+, "
                     r"holding \d, taken back \d+; "
                     r"publish->ready p50 [\d.]+ ms p99 [\d.]+ ms max [\d.]+ ms; "
                     r"hold p50", text), text


def test_a_signal_while_the_server_starts_still_leaves_nothing_behind() -> None:
    for _ in range(5):
        name = unique_name()
        process = subprocess.Popen([SERVER_BIN, "--name", name, "--port", str(free_port())],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        # Killed before it set anything up, or stopped cleanly: never a leftover segment.
        assert process.wait(EXIT_TIMEOUT_S) in (0, -signal.SIGINT)
        assert not os.path.exists("/dev/shm/" + name)
