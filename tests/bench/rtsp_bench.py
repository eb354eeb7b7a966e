"""FrameBridge benchmark: RTSP, what serving a stream to another host costs.

For each size (1080p30 and 4K30; --quick: 640x480 only) one server runs the synthetic source
with --rtsp-port, and the SDK reads it over loopback with fb.connect("rtsp://...") (cv2's
FFmpeg backend decodes):
- Encode CPU: the server's CPU time per second while one RTSP client reads, minus the same
  server's with none (capture alone), in % of one core; beside it the server's own
  "convert+encode ms/frame" and the frames it skipped while the encoder was busy.
- Latency: capture (the frame's capture_ns, carried in the stamp band) -> decoded in Python
  (the reader's receive_ns), p50/p99/max over the reading seconds; and the rate the reader got.
Prints a table, then one JSON line. Figures only: a slow run still exits 0; exit 1 if a frame
came with a seq not above the one before, 2 if something broke.

    PYTHONPATH=python_sdk /usr/bin/python3 tests/bench/rtsp_bench.py --build-dir build
"""

import argparse
import os
import re
import socket
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Sequence

import framebridge as fb

import bench_cli
from server_process import ServerProcess

SIZES = ("1920x1080", "3840x2160")
QUICK_SIZES = ("640x480",)
FPS = 30.0
SECONDS = 6.0
QUICK_SECONDS = 2.0
WARM_UP_S = 1.5  # the encoder's and decoder's first frames, and a key frame
FRAME_TIMEOUT_S = 30.0  # a 4K encode on a busy 2-core machine takes a while
ENCODE = re.compile(r"rtsp: .*?(\d+) skipped while it was busy.*?convert\+encode ([\d.]+) "
                    r"ms/frame")


class RtspServerProcess(ServerProcess):
    """A ServerProcess that also serves RTSP on `rtsp_port`."""

    def __init__(self, binary: str, rtsp_port: int, **kwargs: Any) -> None:
        super().__init__(binary, **kwargs)
        self._argv += ["--rtsp-port", str(rtsp_port)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def wait_for_rtsp(port: int) -> None:
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no RTSP server on port {port} within 10 s") from None
            time.sleep(0.05)


def measure(binary: str, size: str, seconds: float) -> Dict[str, Any]:
    rtsp_port = free_port()
    name = f"fb-bench-{os.getpid()}-rtsp"
    with RtspServerProcess(binary, rtsp_port, fps=FPS, name=name, size=size,
                           stats_every_s=1.0) as server:
        wait_for_rtsp(rtsp_port)
        time.sleep(WARM_UP_S)
        cpu_before = server.cpu_seconds()
        time.sleep(seconds)
        idle_cores = (server.cpu_seconds() - cpu_before) / seconds

        latencies_ms: List[float] = []
        mismatches = 0
        with fb.connect(f"rtsp://127.0.0.1:{rtsp_port}/{name}", timeout=FRAME_TIMEOUT_S,
                        frame_timeout=FRAME_TIMEOUT_S) as reader:
            end_warm_up = time.perf_counter() + WARM_UP_S
            while time.perf_counter() < end_warm_up:
                reader.latest(timeout=FRAME_TIMEOUT_S).release()
            last_seq = 0
            cpu_before = server.cpu_seconds()
            start = time.perf_counter()
            while time.perf_counter() - start < seconds:
                with reader.latest(timeout=FRAME_TIMEOUT_S) as frame:
                    latencies_ms.append((frame.receive_ns - frame.capture_ns) / 1e6)
                    mismatches += frame.seq <= last_seq
                    last_seq = frame.seq
            elapsed = time.perf_counter() - start
            reading_cores = (server.cpu_seconds() - cpu_before) / elapsed
        server.stop()
        encode = ENCODE.findall(server.log)
    skipped, encode_ms = (int(encode[-1][0]), float(encode[-1][1])) if encode else (0, 0.0)
    return {
        "size": size,
        "encode_cpu_pct": round(100 * (reading_cores - idle_cores), 1),
        "server_cpu_pct_idle": round(100 * idle_cores, 1),
        "convert_encode_ms": encode_ms,
        "skipped": skipped,
        "fps_read": round(len(latencies_ms) / elapsed, 1),
        "latency_p50_ms": round(percentile(latencies_ms, 0.5), 1),
        "latency_p99_ms": round(percentile(latencies_ms, 0.99), 1),
        "latency_max_ms": round(max(latencies_ms, default=0.0), 1),
        "seq_mismatches": mismatches,
    }


def run(args: argparse.Namespace) -> Dict[str, Any]:
    binary = str(Path(args.build_dir) / "bin" / "framebridge-server")
    sizes = QUICK_SIZES if args.quick else SIZES
    seconds = QUICK_SECONDS if args.quick else SECONDS
    rows = [measure(binary, size, seconds) for size in sizes]
    return {"rtsp": rows, "seq_mismatches": sum(row["seq_mismatches"] for row in rows)}


def table(figures: Dict[str, Any]) -> List[str]:
    lines = ["RTSP over loopback, synthetic source at 30 fps, read by fb.connect('rtsp://...')",
             f"{'size':>10} {'encode CPU':>11} {'conv+enc':>9} {'skipped':>8} {'read fps':>9} "
             f"{'capture->decoded p50/p99/max':>30}"]
    for row in figures["rtsp"]:
        latency = (f"{row['latency_p50_ms']:.1f}/{row['latency_p99_ms']:.1f}/"
                   f"{row['latency_max_ms']:.1f} ms")
        lines.append(f"{row['size']:>10} {row['encode_cpu_pct']:>10.1f}% "
                     f"{row['convert_encode_ms']:>6.1f} ms {row['skipped']:>8} "
                     f"{row['fps_read']:>9.1f} {latency:>30}")
    return lines


if __name__ == "__main__":
    sys.exit(bench_cli.main("rtsp_bench", __doc__.splitlines()[0], "640x480 only, 2 s",
                            run, table))
