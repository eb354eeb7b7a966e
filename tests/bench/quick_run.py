"""For the bench tests: one benchmark script run in --quick mode as `make bench` runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Tuple

REPO_DIR = Path(__file__).resolve().parents[2]
BUILD_DIR = Path(os.environ.get("FRAMEBRIDGE_BUILD_DIR", REPO_DIR / "build"))
RUN_TIMEOUT_S = 120


def run_quick(script: str, *args: str) -> Tuple[Dict[str, Any], str]:
    """Runs tests/bench/SCRIPT --quick ARGS; its figures (the JSON line) and its whole output.
    Fails the test, with everything it printed, unless it exited 0."""
    env = dict(os.environ, PYTHONPATH=str(REPO_DIR / "python_sdk"))
    done = subprocess.run([sys.executable, str(REPO_DIR / "tests" / "bench" / script),
                           "--build-dir", str(BUILD_DIR), "--quick", *args],
                          env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.splitlines()[-1]), done.stdout
