"""End-to-end: the real framebridge-server and real clients (see the `server` fixture)."""

import os
import re
import select
import signal
import socket
import stat
import struct
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, List

import cv2
import numpy as np
import pytest

import framebridge as fb
from conftest import SDK_DIR, RunningServer
from fakes import unique_name
from framebridge import _protocol as P

SMALL = "640x480"
PY = "/usr/bin/python3"
EXAMPLES = sorted((SDK_DIR / "examples").glob("*.py"))


def stamp_ok(frame: fb.Frame) -> bool:
    """The synthetic source's stamp: seq as LE u64 at the start and end of the frame."""
    a = frame.array
    row_bytes = frame.width * a.itemsize * (a.shape[2] if a.ndim == 3 else 1)
    first = a[0].reshape(-1)[:8].tobytes()
    last = a[frame.height - 1].reshape(-1)[row_bytes - 8:row_bytes].tobytes()
    return struct.unpack("<Q", first)[0] == frame.seq == struct.unpack("<Q", last)[0]


def sdk_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SDK_DIR), env.get("PYTHONPATH", "")])
    return env


def read_line(process: "subprocess.Popen[str]", timeout_s: float) -> str:
    ready, _, _ = select.select([process.stdout], [], [], timeout_s)
    assert ready, f"no output from the client process within {timeout_s} s"
    return process.stdout.readline()  # type: ignore[union-attr]


def test_receives_100_4k_frames_zero_copy(server: RunningServer) -> None:
    last_seq = 0
    with fb.connect(port=server.port) as client:
        for _ in range(100):
            with client.latest(timeout=5) as frame:
                a = frame.array
                assert (a.shape, a.dtype) == ((2160, 3840, 3), np.uint8)
                assert a.flags.writeable and not a.flags.owndata  # copy-on-write
                assert frame.format == fb.PixelFormat.BGR8 and frame.stride >= 3840 * 3
                assert stamp_ok(frame), f"frame {frame.seq} is not stamped with its seq"
                assert frame.valid()
                assert frame.seq > last_seq
                last_seq = frame.seq
                assert frame.capture_ns <= frame.publish_ns <= frame.receive_ns
                assert frame.metadata == {}, "the synthetic source reports no metadata"


@pytest.mark.server_args(size=SMALL, fps=60)
def test_cv2_accepts_the_array_without_a_copy(server: RunningServer) -> None:
    with fb.connect(port=server.port) as client, client.latest(timeout=5) as frame:
        a = frame.array

        gray = cv2.cvtColor(a, cv2.COLOR_BGR2GRAY)

        assert gray.shape == (480, 640) and gray.dtype == np.uint8
        assert a.flags.writeable
        expected = np.round(a[..., 0] * 0.114 + a[..., 1] * 0.587 + a[..., 2] * 0.299)
        assert np.abs(gray.astype(int) - expected).max() <= 1
        assert frame.valid()


@pytest.mark.server_args(size=SMALL, fps=30)
def test_a_slow_client_gets_the_newest_frame_and_does_not_slow_the_producer(
        server: RunningServer) -> None:
    with fb.connect(port=server.port) as client:
        client.latest(timeout=5).release()
        start_seq, start = client.newest_seq, time.monotonic()
        while time.monotonic() - start < 2.0:
            newest_before = client.newest_seq
            with client.latest(timeout=5) as frame:
                assert frame.seq >= newest_before
                assert stamp_ok(frame)
                time.sleep(0.1)
        elapsed = time.monotonic() - start
        published = client.newest_seq - start_seq
    assert published >= 0.8 * 30 * elapsed, f"{published} frames in {elapsed:.2f} s"


@pytest.mark.server_args(size=SMALL, fps=60, slots=4)
def test_two_clients_at_once_both_receive_stamped_frames(server: RunningServer) -> None:
    results: List[List[int]] = [[], []]
    errors: List[BaseException] = []

    def run(seqs: List[int]) -> None:
        try:
            with fb.connect(port=server.port) as client:
                for _ in range(30):
                    with client.latest(timeout=5) as frame:
                        assert stamp_ok(frame)
                        seqs.append(frame.seq)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(seqs,)) for seqs in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert not any(t.is_alive() for t in threads), "a client did not finish in 15 s"
    assert not errors, errors
    for seqs in results:
        assert len(seqs) == 30 and seqs == sorted(set(seqs))


def published_in(client: fb.Client, seconds: float) -> int:
    before = client.newest_seq
    time.sleep(seconds)
    return client.newest_seq - before


HOLD_TWO_FRAMES = """
import sys, time, framebridge as fb
c = fb.connect(port=int(sys.argv[1]))
first = c.latest(timeout=5)
second = c.latest(timeout=5)
print(first.seq, second.seq, flush=True)
time.sleep(float(sys.argv[2]))
print(first.valid(), second.valid(), flush=True)
time.sleep(60)
"""


def hold_two_frames(server: RunningServer, check_after_s: float) -> "subprocess.Popen[str]":
    """A client process that takes two frames, never gives them back, and reports after a
    while whether they are still intact."""
    return subprocess.Popen([PY, "-c", HOLD_TWO_FRAMES, str(server.port), str(check_after_s)],
                            stdout=subprocess.PIPE, text=True, env=sdk_env())


@pytest.mark.server_args(size=SMALL, fps=30, slots=4)
def test_a_killed_client_gives_its_frames_back_at_once(server: RunningServer) -> None:
    child = hold_two_frames(server, 60)
    try:
        read_line(child, 10)
        child.send_signal(signal.SIGKILL)
        child.wait(5)
        deadline = time.monotonic() + 5
        while "2 frame(s) given back" not in server.log():
            assert time.monotonic() < deadline, server.log()
            time.sleep(0.05)
        with fb.connect(port=server.port) as client, client.latest(timeout=5) as frame:
            assert stamp_ok(frame)
    finally:
        child.kill()
        child.wait(5)
        child.stdout.close()  # type: ignore[union-attr]


@pytest.mark.server_args(size=SMALL, fps=30, slots=3, stats_every=0.5)
def test_a_client_keeping_two_of_three_slots_never_starves_another(
        server: RunningServer) -> None:
    child = hold_two_frames(server, 1.5)
    try:
        held = [int(seq) for seq in read_line(child, 10).split()]
        receive_times: List[float] = []
        with fb.connect(port=server.port) as client:
            start = time.monotonic()
            for frame in client:
                assert stamp_ok(frame) and frame.seq >= held[1]
                receive_times.append(time.monotonic())
                if receive_times[-1] - start > 3.0:
                    break
        gaps = [b - a for a, b in zip(receive_times, receive_times[1:])]
        assert max(gaps) < 1.0, f"a gap of {max(gaps):.2f} s"
        assert len(receive_times) > 30
        # The keeper lost its oldest frame rather than stopping everyone: it can tell.
        assert read_line(child, 10).split()[0] == "False"
        assert re.search(r"holding 2, taken back [1-9]", server.log()), server.log()
    finally:
        child.kill()
        child.wait(5)
        child.stdout.close()  # type: ignore[union-attr]


@pytest.mark.server_args(size=SMALL, fps=30)
def test_a_client_exit_leaves_the_segment_private_and_in_place(server: RunningServer) -> None:
    with fb.connect(port=server.port) as client:
        client.latest(timeout=5).release()
        assert client.segment_name == server.name
    code = (f"import framebridge as fb\nwith fb.connect(port={server.port}) as c:\n"
            "    print(c.latest(timeout=5).seq)\n")
    done = subprocess.run([PY, "-c", code], env=sdk_env(), capture_output=True, text=True,
                          timeout=15)
    assert done.returncode == 0, done.stderr

    assert os.path.exists(server.shm_path)
    assert stat.S_IMODE(os.stat(server.shm_path).st_mode) == 0o600
    with fb.connect(port=server.port) as client:
        assert client.latest(timeout=5).seq >= int(done.stdout)


@pytest.mark.server_args(size=SMALL, fps=30)
def test_a_bad_handshake_gets_an_error_and_the_server_goes_on(server: RunningServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(b"GET / HTTP/1.1\r\n\r\n")
        data = b""
        while chunk := raw.recv(4096):  # the server closes after its ERROR
            data += chunk

    message, used = P.decode(data)
    assert isinstance(message, P.Error) and used == len(data), data
    assert message.code == P.ErrorCode.BAD_MESSAGE and message.text
    with fb.connect(port=server.port) as client, client.latest(timeout=5) as frame:
        assert stamp_ok(frame)


@pytest.mark.server_args(size=SMALL, fps=30)
def test_a_misbehaving_client_does_not_disturb_another(server: RunningServer) -> None:
    with fb.connect(port=server.port) as client:
        first = client.latest(timeout=5)
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
            raw.sendall(P.encode(P.Hello(os.getpid(), "rogue")) +
                        P.encode(P.Request(2**63)) + P.encode(P.Request(2**63)))
            data = b""
            while chunk := raw.recv(4096):
                data += chunk
        welcome, used = P.decode(data)
        error, _ = P.decode(data[used:])
        assert isinstance(welcome, P.Welcome) and isinstance(error, P.Error), data
        assert error.code == P.ErrorCode.BAD_MESSAGE

        assert first.valid()
        first.release()
        with client.latest(timeout=5) as frame:
            assert frame.seq > first.seq and stamp_ok(frame)


@pytest.mark.server_args(size=SMALL, fps=30)
def test_a_wrong_protocol_version_is_a_protocol_mismatch(server: RunningServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(P.encode(P.Hello(os.getpid(), "future", protocol_version=99)))
        data = b""
        while chunk := raw.recv(4096):
            data += chunk

    message, _ = P.decode(data)
    assert isinstance(message, P.Error) and message.code == P.ErrorCode.VERSION_MISMATCH


@pytest.mark.server_args(size=SMALL, fps=30)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_against_the_server(server: RunningServer, example: Path) -> None:
    # canny_edges.py publishes a stream, named "edges" unless told: unique here, since other
    # servers on this machine may run its test at the same time.
    publish = ["--publish", unique_name("edges")] if example.name == "canny_edges.py" else []
    done = subprocess.run([PY, str(example), "--port", str(server.port), "--count", "5",
                           *publish], env=sdk_env(), capture_output=True, text=True, timeout=15)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 5 and all(line.startswith("seq ") for line in lines), done.stdout


@pytest.mark.server_args(size=SMALL, fps=30)
def test_server_exit_is_server_gone_not_a_hang(server: RunningServer) -> None:
    with fb.connect(port=server.port) as client:
        frame = client.latest(timeout=5)
        array = frame.array
        server.process.send_signal(signal.SIGINT)
        server.process.wait(10)

        with pytest.raises(fb.ServerGone, match=f"127.0.0.1:{server.port}"):
            frame.release()
            client.latest(timeout=5)
        assert array.shape == (480, 640, 3) and int(array[0, 0, 0]) >= 0


def test_a_killed_server_is_server_gone_within_a_second_not_a_hang(
        start_server: Callable[..., RunningServer]) -> None:
    server = start_server(None, None, "--size", SMALL)
    with fb.connect(port=server.port) as client:
        failures: List[BaseException] = []

        def read_until_it_fails() -> None:
            try:
                while True:
                    client.latest(timeout=30).release()
            except BaseException as exc:
                failures.append(exc)

        thread = threading.Thread(target=read_until_it_fails)
        thread.start()
        time.sleep(0.3)
        killed_at = time.monotonic()
        server.process.kill()
        thread.join(5)
        assert not thread.is_alive(), "latest() hung after the server died"
        assert time.monotonic() - killed_at < 1.0
        assert len(failures) == 1 and isinstance(failures[0], fb.ServerGone), failures
