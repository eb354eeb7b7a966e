"""FrameBridge benchmark: what one Python client gets from a real framebridge-server.

Prints a table, then, as the last line, one JSON object with every figure. Figures only:
a slow run still exits 0. Exit status 1 if a frame did not carry its own seq (a torn or
wrong frame), 2 if something broke (a server did not start or stop, a client failed).

    PYTHONPATH=python_sdk /usr/bin/python3 tests/bench/bench.py --build-dir build [--quick]
"""

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Dict, List

import numpy as np

import bench_cli
import client_probe
import full_read_bench
import micro_bench
import report_table
import source_bench
from server_process import ServerProcess

SIZES = ("3840x2160", "1920x1080", "640x480")
LATENCY_SIZE = "3840x2160"
LATENCY_FPS = 30


def frame_bytes(size: str) -> int:
    width, height = (int(side) for side in size.split("x"))
    return width * height * 3


def stream_name(label: str) -> str:
    return f"fb-bench-{os.getpid()}-{label}"[:30]


def cpu_percent(window: client_probe.Window) -> Dict[str, float]:
    """CPU time over the window, in % of one core (100 = one core busy all the time)."""
    return {"server": 100 * window.server_cpu_s / window.elapsed_s,
            "client": 100 * window.client_cpu_s / window.elapsed_s}


def throughput(server_binary: str, size: str, memcpy_gbps: float, warmup_s: float,
               window_s: float) -> Dict[str, Any]:
    with ServerProcess(server_binary, size=size, fps=0, name=stream_name(size)) as server:
        window = client_probe.measure(server.port, warmup_s, window_s,
                                      server_cpu_s=server.cpu_seconds)
    mbps = window.fps * frame_bytes(size) / 1e6
    return {"fps": window.fps, "mbps": mbps, "ratio_to_memcpy": mbps / (memcpy_gbps * 1e3),
            "published_fps": window.published_fps, "cpu_percent": cpu_percent(window),
            "seq_mismatches": window.seq_mismatches}


def latency(server_binary: str, warmup_s: float, window_s: float) -> Dict[str, Any]:
    with ServerProcess(server_binary, size=LATENCY_SIZE, fps=LATENCY_FPS,
                       name=stream_name("latency")) as server:
        window = client_probe.measure(server.port, warmup_s, window_s,
                                      server_cpu_s=server.cpu_seconds)
    ms = np.array(window.latencies_ms)
    with ServerProcess(server_binary, size=LATENCY_SIZE, fps=LATENCY_FPS,
                       name=stream_name("full")) as server:
        full_read = full_read_bench.measure(server.port, warmup_s, window_s)
    return {
        "full_read_4k30": full_read,
        "latency_4k30_ms": {"p50": float(np.percentile(ms, 50)),
                            "p99": float(np.percentile(ms, 99)),
                            "max": float(ms.max()), "frames": len(ms)},
        "cpu_4k30_percent": cpu_percent(window),
        "seq_mismatches": window.seq_mismatches,
    }


def run(args: argparse.Namespace) -> Dict[str, Any]:
    bin_dir = Path(args.build_dir) / "bin"
    server_binary = os.environ.get("FRAMEBRIDGE_SERVER") or str(bin_dir / "framebridge-server")
    warmup_s = 0.2 if args.quick else 0.5
    figures: Dict[str, Any] = micro_bench.run(str(bin_dir / "framebridge-memcpy-bench"),
                                              args.quick)
    figures["throughput"] = {
        size: throughput(server_binary, size, figures["memcpy_gbps"], warmup_s,
                         1.0 if args.quick else 3.0)
        for size in SIZES}
    figures.update(latency(server_binary, warmup_s, 1.0 if args.quick else 5.0))
    figures["sources"] = source_bench.run(server_binary, bin_dir / "framebridge-sample-video",
                                          stream_name("src"), args.quick)
    figures["seq_mismatches"] += sum(row.pop("seq_mismatches")
                                     for row in figures["throughput"].values())
    figures["targets"] = report_table.TARGETS
    figures["targets_met"] = report_table.targets_met(figures)
    figures["quick"] = args.quick
    return figures


def table(figures: Dict[str, Any]) -> List[str]:
    return report_table.table(figures) + [""] + source_bench.table(figures["sources"])


if __name__ == "__main__":
    sys.exit(bench_cli.main("bench.py", __doc__.splitlines()[0],
                            "~1 s windows, for a smoke test", run, table))
