"""Runs framebridge-memcpy-bench (tests/bench/memcpy_bench.cpp) and reads its medians."""

import json
import subprocess
from typing import Dict

FIGURES = {  # JSON key -> (benchmark run name, counter)
    "memcpy_gbps": ("memcpyOne4kFrame/real_time", "bytes_per_second"),
    "synthetic_fps_4k": ("syntheticSourceFills4kFrame/slots:1/real_time", "items_per_second"),
    "synthetic_fps_4k_3slots": ("syntheticSourceFills4kFrame/slots:3/real_time",
                                "items_per_second"),
}


def run(binary: str, quick: bool) -> Dict[str, float]:
    """The FIGURES, each the median of 3 repetitions, measured in wall time."""
    argv = [binary, "--benchmark_format=json", "--benchmark_repetitions=3",
            "--benchmark_report_aggregates_only=true"]
    if quick:
        argv.append("--benchmark_min_time=0.05")
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          check=True, timeout=120)
    medians = {entry["run_name"]: entry for entry in json.loads(done.stdout)["benchmarks"]
               if entry.get("aggregate_name") == "median"}
    figures = {key: medians[name][counter] for key, (name, counter) in FIGURES.items()}
    figures["memcpy_gbps"] /= 1e9
    return figures
