"""Load held: 1,000 connect/disconnect cycles, raw connections that send nothing or garbage,
and 32 clients at once at 1080p leave the server's descriptors, memory and /dev/shm
entries where they began, and its statistics at 0 clients.

Checks counts and whole frames, never speed; every wait is bounded.
"""

import os
import re
import socket
import struct
import subprocess
import sys
import time
from typing import List, Optional

import pytest

import framebridge as fb
from conftest import REPO_DIR, RunningServer

SOAK_DIR = REPO_DIR / "tests" / "soak"
sys.path.insert(0, str(SOAK_DIR))

import proc_resources  # noqa: E402
from frame_check import SyntheticPattern  # noqa: E402

PY = "/usr/bin/python3"
CYCLES = 1000
RAW_CONNECTS = 50  # of each kind
CONCURRENT = 32
TAKE_S = 3.0  # how long each of the 32 takes frames
READY_TIMEOUT_S = 90.0  # 32 Pythons importing NumPy on a shared 2-core machine
SETTLE_TIMEOUT_S = 10.0
FRAME_TIMEOUT_S = 5.0
MIB = proc_resources.MIB
RSS_TOLERANCE_MIB = proc_resources.ANON_GROWTH_TOLERANCE_MIB  # why: see there
CLIENTS_LINE = re.compile(r"(\d+) client\(s\)")


def settled(server: RunningServer, want_fds: Optional[int] = None) -> proc_resources.Resources:
    """The server's resources once its fd count is want_fds (None: steady), or after a
    bounded wait."""
    proc_resources.settled_fds(server.process.pid, want_fds, SETTLE_TIMEOUT_S)
    return proc_resources.read(server.process.pid, server.name)


def cycle(server: RunningServer, pattern: SyntheticPattern) -> None:
    """connect → latest() → close, checking the frame's two stamps."""
    with fb.connect(port=server.port, name="load-cycle", timeout=FRAME_TIMEOUT_S) as client:
        with client.latest(timeout=FRAME_TIMEOUT_S) as frame:
            problems = pattern.problems(frame.array, frame.seq, [0, frame.height - 1])
            assert not problems or not frame.valid(), f"frame {frame.seq}: {problems}"


def raw_connects(port: int) -> None:
    """Connections that are closed at once: silent, garbage, a HELLO cut short, a HELLO
    whose WELCOME is never read."""
    hello = struct.pack("<IHHIIII", 16 + 4, 1, 0, 0x50524246, 1, os.getpid(), 4) + b"load"
    for payload in (b"", os.urandom(64), b"GET / HTTP/1.1\r\n\r\n", hello[:13], hello):
        for _ in range(RAW_CONNECTS):
            with socket.create_connection(("127.0.0.1", port), timeout=FRAME_TIMEOUT_S) as s:
                if payload:
                    s.sendall(payload)


def run_concurrent(server: RunningServer) -> List[str]:
    """CONCURRENT client processes connect, wait until all have, take frames for TAKE_S
    and report; their output lines ('ready', 'progress', ...), all exited."""
    argv = [PY, str(SOAK_DIR / "soak_client.py"), "--port", str(server.port), "--wait-go",
            "--seconds", str(TAKE_S), "--progress-s", "60", "--hold-chance", "0.2",
            "--hold-max-ms", "50"]
    children = [subprocess.Popen(argv + ["--seed", str(i)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for i in range(CONCURRENT)]
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        ready = []
        for child in children:
            assert child.stdout is not None
            # readline() is bounded by the child's own connect timeout and by its exit
            ready.append(child.stdout.readline().strip())
            assert time.monotonic() < deadline, f"clients not ready within {READY_TIMEOUT_S} s"
        assert all(r.startswith("ready ") for r in ready), f"not all clients connected: {ready}"
        connected_fds = proc_resources.open_fds(server.process.pid)
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.close()
        outputs = []
        for child in children:
            assert child.stdout is not None
            out = child.stdout.read()  # until it exits: bounded by its --seconds and timeouts
            child.wait(SETTLE_TIMEOUT_S)
            outputs.append(f"exit {child.returncode}: {out.strip()}")
        return [f"fds with all {CONCURRENT} connected: {connected_fds}", *outputs]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()


@pytest.mark.server_args(size="1920x1080", fps=30, stats_every=1)
def test_connect_cycles_and_32_clients_leave_the_server_as_it_began(
        server: RunningServer) -> None:
    pattern = SyntheticPattern(1920, 1080, 3)
    for _ in range(20):  # warm up: the first sessions' allocations are not a leak
        cycle(server, pattern)
    before = settled(server)
    assert before.segments == [server.name], f"segments at start: {before.segments}"

    started = time.monotonic()
    for _ in range(CYCLES):
        cycle(server, pattern)
    raw_connects(server.port)
    cycles_s = time.monotonic() - started
    after_cycles = settled(server, before.fds)

    report = run_concurrent(server)
    after = settled(server, before.fds)

    checked = sum(int(n) for n in re.findall(r"checked=(\d+)", "\n".join(report)))
    taken_back = sum(int(n) for n in re.findall(r"taken_back=(\d+)", "\n".join(report)))
    print(f"load: {CYCLES} cycles + {5 * RAW_CONNECTS} raw connects in {cycles_s:.1f} s; "
          f"{CONCURRENT} clients checked {checked} frames ({taken_back} taken back); "
          f"before {before.describe()}; after the cycles {after_cycles.describe()}; "
          f"after {CONCURRENT} clients {after.describe()}")
    assert after_cycles.fds == before.fds, \
        f"server fds {before.fds} before {CYCLES} connect/close cycles, {after_cycles.fds} " \
        f"{SETTLE_TIMEOUT_S:g} s after"
    connected_fds = int(report[0].rsplit(" ", 1)[1])
    assert connected_fds >= before.fds + CONCURRENT, \
        f"with {CONCURRENT} clients connected the server had {connected_fds} fds, " \
        f"{before.fds} without: they were not all connected at once"
    failed = [line for line in report[1:] if not line.startswith("exit 0:")
              or "torn=0" not in line or "checked=0 " in line]
    assert not failed, f"{len(failed)} of {CONCURRENT} clients failed: {failed[:3]}"
    assert after.fds == before.fds, \
        f"server fds {before.fds} before, {after.fds} {SETTLE_TIMEOUT_S:g} s after " \
        f"{CONCURRENT} clients closed"
    growth = (after.rss_anon - before.rss_anon) / MIB
    assert growth <= RSS_TOLERANCE_MIB, \
        f"server anonymous memory {before.rss_anon / MIB:.1f} MiB before, " \
        f"{after.rss_anon / MIB:.1f} MiB after (VmRSS {before.rss / MIB:.1f} -> " \
        f"{after.rss / MIB:.1f} MiB): grew {growth:.1f} MiB, over {RSS_TOLERANCE_MIB:g}"
    assert after.segments == before.segments, \
        f"/dev/shm FrameBridge entries {before.segments} before, {after.segments} after"
    assert after.threads == before.threads, \
        f"server threads {before.threads} before, {after.threads} after"

    peak = max(int(n) for n in CLIENTS_LINE.findall(server.log()))
    assert peak >= CONCURRENT, f"the server's statistics never showed {CONCURRENT} clients " \
                               f"(at most {peak})"
    deadline = time.monotonic() + SETTLE_TIMEOUT_S  # the next statistics line, 1 s apart
    while CLIENTS_LINE.findall(server.log())[-1] != "0" and time.monotonic() < deadline:
        time.sleep(0.2)
    last = CLIENTS_LINE.findall(server.log())[-1]
    assert last == "0", f"the server's last statistics line shows {last} clients, expected 0"
