"""Publish -> client-ready latency, each figure beside the bare TCP wake-up floor of the same run.

The floor: one process sends an 8-byte timestamp over a loopback TCP_NODELAY connection, at the
stream's rate, to each of N receiver processes blocked in recv (one thread woken per message,
the least any notification over TCP can cost). Then N Python clients read a real
framebridge-server at the same size and rate, each in its own process, blocking (the default),
with wait="spin", and with framebridge.asyncio (4K30, one client: `async for frame in client`
in asyncio's own loop, and in uvloop's when it is installed, beside the blocking row of the
same case, with the floor measured again by a receiver waiting in that loop: what the loop
itself adds). Every latency is printed
as a ratio to the floor measured just before it, so a loaded machine moves both. Last, the cost
per frame at 640x480 with --fps 0 (frames as fast as one client takes them), blocking and
spinning.

    PYTHONPATH=python_sdk /usr/bin/python3 tests/bench/latency_bench.py --build-dir build [--quick]
"""

import argparse
import asyncio
import multiprocessing
import os
import socket
import struct
import sys
import time
from pathlib import Path
from typing import Any, Callable, Coroutine, Dict, List, Tuple, TypeVar

import numpy as np

import bench_cli
import client_probe
import framebridge as fb
import framebridge.asyncio as fba
from server_process import ServerProcess

# (size, fps, clients): the four cases.
CASES = (("3840x2160", 30, 1), ("3840x2160", 30, 8), ("1920x1080", 60, 1), ("1920x1080", 60, 8))
SPIN_CASE = ("1920x1080", 60)
ASYNC_CASE = ("3840x2160", 30)  # the first of CASES: the async rows beside the blocking one
PACE_SIZE = "640x480"
STAMP = struct.Struct("<Q")
CONNECT_TIMEOUT_S = 5.0
JOIN_TIMEOUT_S = 30.0


T = TypeVar("T")


def _event_loops() -> Dict[str, Callable[[], asyncio.AbstractEventLoop]]:
    """The event loops to measure the asyncio client in, by the name its row goes under:
    asyncio's own, and uvloop's if it is installed."""
    loops: Dict[str, Callable[[], asyncio.AbstractEventLoop]] = {
        "asyncio": asyncio.new_event_loop}
    try:
        import uvloop
    except ImportError:
        return loops
    loops["uvloop"] = uvloop.new_event_loop
    return loops


EVENT_LOOPS = _event_loops()


def run_in_loop(loop_name: str, main: Coroutine[Any, Any, T]) -> T:
    """asyncio.run(main), with its cleanup, in a new loop of the kind loop_name names (a key
    of EVENT_LOOPS)."""
    with asyncio.Runner(loop_factory=EVENT_LOOPS[loop_name]) as runner:
        return runner.run(main)


def _summary(latencies_us: List[float]) -> Dict[str, float]:
    us = np.array(latencies_us) if latencies_us else np.zeros(1)
    return {"p50": float(np.percentile(us, 50)), "p99": float(np.percentile(us, 99)),
            "count": len(latencies_us)}


def _receive_stamps(listener: socket.socket, results: "multiprocessing.Queue[Any]") -> None:
    connection, _ = listener.accept()
    latencies: List[float] = []
    buffer = bytearray(STAMP.size)
    with connection:
        while True:
            got = connection.recv_into(buffer, STAMP.size, socket.MSG_WAITALL)
            now = time.perf_counter_ns()
            if got < STAMP.size:
                break
            latencies.append((now - STAMP.unpack(buffer)[0]) / 1e3)
    results.put(latencies)


async def _await_stamps(connection: socket.socket) -> List[float]:
    """_receive_stamps()'s loop in an asyncio event loop: wait until readable, then read."""
    loop = asyncio.get_running_loop()
    connection.setblocking(False)
    latencies: List[float] = []
    buffer = bytearray(STAMP.size)
    while True:
        readable = loop.create_future()
        loop.add_reader(connection.fileno(), readable.set_result, None)
        await readable
        loop.remove_reader(connection.fileno())
        got = connection.recv_into(buffer)
        now = time.perf_counter_ns()
        if got < STAMP.size:
            return latencies
        latencies.append((now - STAMP.unpack(buffer)[0]) / 1e3)


def _receive_stamps_in_loop(listener: socket.socket, results: "multiprocessing.Queue[Any]",
                            loop_name: str) -> None:
    connection, _ = listener.accept()
    with connection:
        results.put(run_in_loop(loop_name, _await_stamps(connection)))


def floor(fps: float, receivers: int, warmup_s: float, window_s: float,
          in_loop: str = "") -> Dict[str, float]:
    """The bare TCP wake-up: a timestamp sent at `fps` to `receivers` blocked receivers (with
    in_loop, the name of an event loop in EVENT_LOOPS, receivers each waiting in such a loop:
    the loop's own floor)."""
    context = multiprocessing.get_context("fork")
    results: "multiprocessing.Queue[Any]" = context.Queue()
    with socket.create_server(("127.0.0.1", 0), backlog=receivers) as listener:
        children = [context.Process(target=_receive_stamps_in_loop,
                                    args=(listener, results, in_loop), daemon=True)
                    if in_loop else
                    context.Process(target=_receive_stamps, args=(listener, results),
                                    daemon=True)
                    for _ in range(receivers)]
        for child in children:
            child.start()
        socks = [socket.create_connection(listener.getsockname()) for _ in range(receivers)]
        try:
            for sock in socks:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            period = 1.0 / fps
            start = time.perf_counter()
            sends = int((warmup_s + window_s) * fps)
            warm_sends = int(warmup_s * fps)
            for n in range(sends):
                time.sleep(max(0.0, start + n * period - time.perf_counter()))
                for sock in socks:
                    if n < warm_sends:
                        sock.sendall(STAMP.pack(0))  # far in the past: dropped below
                    else:
                        sock.sendall(STAMP.pack(time.perf_counter_ns()))
        finally:
            for sock in socks:
                sock.close()
        latencies = [us for _ in children for us in results.get(timeout=JOIN_TIMEOUT_S)
                     if us < 1e6]
        for child in children:
            child.join(JOIN_TIMEOUT_S)
    return _summary(latencies)


class _Tally:
    """One client's window: each frame's latency, the frames without their own stamp, and
    the client's CPU over the window, from its creation."""

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self.latencies: List[float] = []
        self.mismatches = 0
        self.cpu_start = time.process_time()
        self.start = time.perf_counter()

    def add(self, frame: fb.Frame) -> bool:
        """Count frame; True once the window is over."""
        self.latencies.append((frame.receive_ns - frame.publish_ns) / 1e3)
        if not client_probe.stamp_matches(frame):
            self.mismatches += 1
        return time.perf_counter() - self.start >= self.window_s

    def figures(self) -> Tuple[List[float], int, float]:
        """Latencies (µs), stamp mismatches, CPU in % of one core."""
        cpu = 100 * (time.process_time() - self.cpu_start) / (time.perf_counter() - self.start)
        return self.latencies, self.mismatches, cpu


def _read_frames(port: int, wait: str, warmup_s: float, window_s: float,
                 results: "multiprocessing.Queue[Any]") -> None:
    if wait in EVENT_LOOPS:
        results.put(run_in_loop(wait, _read_frames_async(port, wait, warmup_s, window_s)))
        return
    with fb.connect(port=port, name=f"latency-{wait}", timeout=CONNECT_TIMEOUT_S,
                    wait=wait) as client:
        frames = iter(client)
        warm_until = time.perf_counter() + warmup_s
        frame = next(frames)
        while time.perf_counter() < warm_until:
            frame = next(frames)
        tally = _Tally(window_s)
        for frame in frames:
            if tally.add(frame):
                break
    results.put(tally.figures())


async def _read_frames_async(port: int, loop_name: str, warmup_s: float,
                             window_s: float) -> Tuple[List[float], int, float]:
    """_read_frames() with framebridge.asyncio: what it puts in results."""
    async with fba.connect(port=port, name=f"latency-{loop_name}",
                           timeout=CONNECT_TIMEOUT_S) as client:
        frames = client.__aiter__()
        warm_until = time.perf_counter() + warmup_s
        await frames.__anext__()
        while time.perf_counter() < warm_until:
            await frames.__anext__()
        tally = _Tally(window_s)
        async for frame in frames:
            if tally.add(frame):
                break
        await frames.aclose()
    return tally.figures()


def clients(binary: str, size: str, fps: float, count: int, wait: str, warmup_s: float,
            window_s: float) -> Tuple[Dict[str, float], int, float, float]:
    """`count` clients of one server, each in its own process: their latencies together, the
    frames that did not carry their own seq, the clients' mean CPU and the server's, in % of
    one core."""
    context = multiprocessing.get_context("fork")
    results: "multiprocessing.Queue[Any]" = context.Queue()
    name = f"fb-lat-{os.getpid()}-{size}-{count}"[:30]
    with ServerProcess(binary, size=size, fps=fps, name=name) as server:
        children = [context.Process(target=_read_frames,
                                    args=(server.port, wait, warmup_s, window_s, results),
                                    daemon=True) for _ in range(count)]
        server_cpu_start = server.cpu_seconds()
        started = time.perf_counter()
        for child in children:
            child.start()
        gathered = [results.get(timeout=JOIN_TIMEOUT_S + warmup_s + window_s) for _ in children]
        server_cpu = 100 * (server.cpu_seconds() - server_cpu_start) / (
            time.perf_counter() - started)
        for child in children:
            child.join(JOIN_TIMEOUT_S)
            if child.exitcode != 0:
                raise RuntimeError(f"a client reading {size} exited with {child.exitcode}")
    latencies = [us for got in gathered for us in got[0]]
    return (_summary(latencies), sum(got[1] for got in gathered),
            sum(got[2] for got in gathered) / count, server_cpu)


def pace(binary: str, warmup_s: float, window_s: float, wait: str) -> Dict[str, float]:
    """µs per frame for one client, frames published as fast as it takes them."""
    with ServerProcess(binary, size=PACE_SIZE, fps=0,
                       name=f"fb-lat-{os.getpid()}-pace"[:30]) as server:
        window = client_probe.measure(server.port, warmup_s, window_s, wait=wait)
    return {"fps": window.fps, "us_per_frame": 1e6 / window.fps if window.fps else 0.0,
            "seq_mismatches": window.seq_mismatches}


def _ratios(row: Dict[str, Any]) -> None:
    row["p50_ratio"] = row["latency_us"]["p50"] / row["floor_us"]["p50"]
    row["p99_ratio"] = row["latency_us"]["p99"] / row["floor_us"]["p99"]


def run(args: argparse.Namespace) -> Dict[str, Any]:
    binary = os.environ.get("FRAMEBRIDGE_SERVER") or str(Path(args.build_dir) / "bin" /
                                                         "framebridge-server")
    warmup_s = 0.3 if args.quick else 1.0
    window_s = 1.0 if args.quick else 5.0
    figures: Dict[str, Any] = {"cases": [], "seq_mismatches": 0}
    cases = CASES[:1] if args.quick else CASES
    for size, fps, count in cases:
        row: Dict[str, Any] = {"size": size, "fps": fps, "clients": count, "wait": "block",
                               "floor_us": floor(fps, count, warmup_s, window_s)}
        (row["latency_us"], mismatches, row["client_cpu_percent"],
         row["server_cpu_percent"]) = clients(binary, size, fps, count, "block", warmup_s,
                                              window_s)
        figures["seq_mismatches"] += mismatches
        _ratios(row)
        figures["cases"].append(row)
    singles = [("spin", SPIN_CASE)] + [(loop_name, ASYNC_CASE) for loop_name in EVENT_LOOPS]
    for wait, (size, fps) in singles:
        one: Dict[str, Any] = {"size": size, "fps": fps, "clients": 1, "wait": wait,
                               "floor_us": floor(fps, 1, warmup_s, window_s)}
        if wait in EVENT_LOOPS:  # what the loop itself adds to a wake-up, measured alike
            one["loop_floor_us"] = floor(fps, 1, warmup_s, window_s, in_loop=wait)
        (one["latency_us"], mismatches, one["client_cpu_percent"],
         one["server_cpu_percent"]) = clients(binary, size, fps, 1, wait, warmup_s, window_s)
        figures["seq_mismatches"] += mismatches
        _ratios(one)
        figures["cases"].append(one)
    for wait in ("block", "spin"):
        figures[f"pace_640x480_{wait}"] = pace(binary, warmup_s, window_s, wait)
        figures["seq_mismatches"] += figures[f"pace_640x480_{wait}"].pop("seq_mismatches")
    figures["quick"] = args.quick
    return figures


def table(figures: Dict[str, Any]) -> List[str]:
    lines = ["publish -> client-ready beside the bare TCP wake-up floor of the same run "
             "(µs; ratio = FrameBridge / floor; CPU in % of one core, per client):",
             f"  {'case':<22}{'wait':>8}{'floor p50':>10}{'p99':>8}{'p50':>9}{'p99':>8}"
             f"{'x floor p50':>12}{'p99':>6}{'client CPU':>11}{'server CPU':>11}"]
    for row in figures["cases"]:
        case = f"{row['size']} {row['fps']} fps x{row['clients']}"
        lines.append(f"  {case:<22}{row['wait']:>8}{row['floor_us']['p50']:10.0f}"
                     f"{row['floor_us']['p99']:8.0f}{row['latency_us']['p50']:9.1f}"
                     f"{row['latency_us']['p99']:8.0f}{row['p50_ratio']:12.2f}"
                     f"{row['p99_ratio']:6.2f}{row['client_cpu_percent']:11.1f}"
                     f"{row['server_cpu_percent']:11.1f}")
    blocking = figures["cases"][0]
    for row in figures["cases"]:
        if "loop_floor_us" in row:
            lines.append(f"  {row['wait']} beside blocking at {row['size']} {row['fps']} fps: "
                         f"p50 {row['latency_us']['p50'] - blocking['latency_us']['p50']:+.0f} "
                         f"µs ({row['latency_us']['p50'] / blocking['latency_us']['p50']:.2f}×);"
                         f" a bare receiver in {row['wait']}'s loop: p50 "
                         f"{row['loop_floor_us']['p50']:.0f} µs, "
                         f"{row['loop_floor_us']['p50'] - row['floor_us']['p50']:+.0f} µs over "
                         f"the blocking floor")
    lines.append("")
    for wait in ("block", "spin"):
        pace_row = figures[f"pace_640x480_{wait}"]
        lines.append(f"640x480 at --fps 0, one client, wait={wait}: {pace_row['fps']:.0f} fps, "
                     f"{pace_row['us_per_frame']:.1f} µs per frame")
    lines.append(f"seq mismatches: {figures['seq_mismatches']}")
    return lines


if __name__ == "__main__":
    sys.exit(bench_cli.main("latency_bench.py", __doc__.splitlines()[0],
                            "one case, ~1 s windows, for a smoke test", run, table))
