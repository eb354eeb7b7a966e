"""FrameBridge benchmark: the C++ client beside the Python client, on one real server each.

Two figures per client: publish->ready latency at 4K 30 fps (as bench.py measures it), and
the cost of a frame to the client (its CPU time per frame) with the server at full rate, at
1080p. Prints a table, then one JSON line. Figures only: a slow run still exits 0; exit 1 if
a frame did not carry its own seq, 2 if something broke.

    PYTHONPATH=python_sdk /usr/bin/python3 tests/bench/cpp_client_bench.py --build-dir build
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import numpy as np

import bench_cli
import client_probe
from server_process import ServerProcess

LATENCY = ("3840x2160", 30.0)
COST = ("1920x1080", 0.0)
PROBE_TIMEOUT_S = 60


def stream_name(label: str) -> str:
    return f"fb-bench-{os.getpid()}-cpp-{label}"[:30]


def python_client(port: int, warmup_s: float, window_s: float) -> Dict[str, Any]:
    window = client_probe.measure(port, warmup_s, window_s)
    ms = np.array(window.latencies_ms) if window.latencies_ms else np.zeros(1)
    return {"frames": window.frames, "fps": window.fps,
            "p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99)),
            "cpu_us_per_frame": 1e6 * window.client_cpu_s / max(window.frames, 1),
            "seq_mismatches": window.seq_mismatches}


def cpp_client(probe: Path, port: int, warmup_s: float, window_s: float) -> Dict[str, Any]:
    done = subprocess.run([str(probe), str(port), str(warmup_s), str(window_s)],
                          capture_output=True, text=True, timeout=PROBE_TIMEOUT_S)
    if done.returncode != 0:
        raise RuntimeError(f"{probe} exited with status {done.returncode}: {done.stderr}")
    row = json.loads(done.stdout.splitlines()[-1])
    frames = row["frames"]
    return {"frames": frames, "fps": frames / row["elapsed_s"] if row["elapsed_s"] else 0.0,
            "p50_ms": row["p50_ms"], "p99_ms": row["p99_ms"],
            "cpu_us_per_frame": 1e6 * row["client_cpu_s"] / max(frames, 1),
            "seq_mismatches": row["seq_mismatches"]}


def both_clients(server_binary: str, probe: Path, size: str, fps: float, label: str,
                 warmup_s: float, window_s: float) -> Dict[str, Any]:
    """Each client alone on a server of its own, so neither takes frames from the other."""
    rows = {}
    with ServerProcess(server_binary, size=size, fps=fps, name=stream_name(label)) as server:
        rows["python"] = python_client(server.port, warmup_s, window_s)
    with ServerProcess(server_binary, size=size, fps=fps, name=stream_name(label)) as server:
        rows["cpp"] = cpp_client(probe, server.port, warmup_s, window_s)
    return rows


def run(args: argparse.Namespace) -> Dict[str, Any]:
    bin_dir = Path(args.build_dir) / "bin"
    server_binary = os.environ.get("FRAMEBRIDGE_SERVER") or str(bin_dir / "framebridge-server")
    probe = bin_dir / "framebridge-cpp-client-probe"
    warmup_s, window_s = (0.2, 1.0) if args.quick else (0.5, 5.0)
    figures: Dict[str, Any] = {
        "latency_4k30": both_clients(server_binary, probe, *LATENCY, "lat", warmup_s, window_s),
        "cost_1080p_fps0": both_clients(server_binary, probe, *COST, "cost", warmup_s,
                                        window_s),
        "quick": args.quick,
    }
    figures["seq_mismatches"] = sum(row["seq_mismatches"]
                                    for scenario in ("latency_4k30", "cost_1080p_fps0")
                                    for row in figures[scenario].values())
    return figures


def table(figures: Dict[str, Any]) -> List[str]:
    lat, cost = figures["latency_4k30"], figures["cost_1080p_fps0"]
    lines = ["| | Python client | C++ client |", "|---|---|---|"]
    lines.append("| 4K 30 fps: publish→ready p50 / p99 | "
                 + " | ".join(f"{lat[c]['p50_ms']:.2f} / {lat[c]['p99_ms']:.2f} ms"
                              for c in ("python", "cpp")) + " |")
    lines.append("| 1080p `--fps 0`: frames/s the client gets | "
                 + " | ".join(f"{cost[c]['fps']:.0f}" for c in ("python", "cpp")) + " |")
    lines.append("| 1080p `--fps 0`: client CPU per frame | "
                 + " | ".join(f"{cost[c]['cpu_us_per_frame']:.1f} µs" for c in ("python", "cpp"))
                 + " |")
    return lines


if __name__ == "__main__":
    sys.exit(bench_cli.main("cpp_client_bench.py", __doc__.splitlines()[0],
                            "~1 s windows, for a smoke test", run, table))
