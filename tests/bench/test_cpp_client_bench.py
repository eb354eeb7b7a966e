"""`make bench`'s C++ client figures: a --quick pass reports them and leaves nothing behind.

Checks that the figures exist and the frames were whole, never how fast anything was.
"""

import glob
import json
import os
import subprocess
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]
BUILD_DIR = Path(os.environ.get("FRAMEBRIDGE_BUILD_DIR", REPO_DIR / "build"))
RUN_TIMEOUT_S = 120


def test_a_quick_run_reports_both_clients_and_cleans_up() -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO_DIR / "python_sdk"))
    done = subprocess.run([sys.executable, str(REPO_DIR / "tests" / "bench" /
                                               "cpp_client_bench.py"),
                           "--build-dir", str(BUILD_DIR), "--quick"],
                          env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert done.returncode == 0, done.stderr

    figures = json.loads(done.stdout.splitlines()[-1])
    assert figures["seq_mismatches"] == 0
    for scenario in ("latency_4k30", "cost_1080p_fps0"):
        for client in ("python", "cpp"):
            row = figures[scenario][client]
            assert row["frames"] > 0 and row["cpu_us_per_frame"] >= 0, (scenario, client)
    assert not glob.glob("/dev/shm/fb-bench-*-cpp-*")
