"""A Python script run as a benchmark's child: started, waited for until it prints "ready",
stopped with SIGINT, and its last line of output read as JSON."""

import json
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Optional, Sequence

READY_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


class ScriptProcess:
    """`with ScriptProcess(script, args) as child:` runs `script args...` with this Python.

    The block starts once the child printed "ready"; leaving it stops the child (SIGINT, then
    SIGKILL after STOP_TIMEOUT_S) and, unless the block raised, sets `result` to the JSON of
    the child's last line, or raises if the child failed.
    """

    def __init__(self, script: Path, args: Sequence[str]) -> None:
        self._argv = [sys.executable, str(script), *args]
        self._process: Optional["subprocess.Popen[str]"] = None
        self.result: Dict[str, Any] = {}
        self._stderr = ""

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def __enter__(self) -> "ScriptProcess":
        self._process = subprocess.Popen(self._argv, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         text=True)
        assert self._process.stdout is not None
        ready, _, _ = select.select([self._process.stdout], [], [], READY_TIMEOUT_S)
        if not ready or self._process.stdout.readline().strip() != "ready":
            self._stop()
            raise RuntimeError(f"{' '.join(self._argv)} was not ready within "
                               f"{READY_TIMEOUT_S:g} s: {self._stderr}")
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        out = self._stop()
        assert self._process is not None
        if exc_type is None and self._process.returncode != 0:
            raise RuntimeError(f"{' '.join(self._argv)} exited with status "
                               f"{self._process.returncode}: {self._stderr}")
        if exc_type is None:
            self.result = json.loads(out.splitlines()[-1])

    def _stop(self) -> str:
        """SIGINT, then SIGKILL after STOP_TIMEOUT_S; what it printed since "ready"."""
        assert self._process is not None
        self._process.send_signal(signal.SIGINT)
        try:
            out, self._stderr = self._process.communicate(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            out, self._stderr = self._process.communicate()
        return out
