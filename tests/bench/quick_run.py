"""For the bench tests: one benchmark script run in --quick mode as `make bench` runs it."""

import dataclasses
import glob
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

REPO_DIR = Path(__file__).resolve().parents[2]
BUILD_DIR = Path(os.environ.get("FRAMEBRIDGE_BUILD_DIR", REPO_DIR / "build"))
RUN_TIMEOUT_S = 120


@dataclasses.dataclass(frozen=True)
class QuickRun:
    figures: Dict[str, Any]  # the JSON line the script printed last
    output: str  # all it printed
    pid: int  # the script's process id, which every benchmark puts in its segments' names

    def leftovers(self, prefix: str) -> List[str]:
        """This run's segments still in /dev/shm: PREFIX-PID-*. Only its own, as other tests
        (pytest -n) may be running benchmarks of their own meanwhile."""
        return glob.glob(f"/dev/shm/{prefix}-{self.pid}-*")


def run_quick(script: str, *args: str) -> QuickRun:
    """Runs tests/bench/SCRIPT --quick ARGS. Fails the test, with everything it printed,
    unless it exited 0."""
    env = dict(os.environ, PYTHONPATH=str(REPO_DIR / "python_sdk"))
    with subprocess.Popen([sys.executable, str(REPO_DIR / "tests" / "bench" / script),
                           "--build-dir", str(BUILD_DIR), "--quick", *args],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            raise AssertionError(f"{script} ran over {RUN_TIMEOUT_S} s:\n{stdout}{stderr}")
    assert process.returncode == 0, stdout + stderr
    return QuickRun(json.loads(stdout.splitlines()[-1]), stdout, process.pid)
