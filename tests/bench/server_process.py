"""One framebridge-server child process: started, measured, and always stopped."""

import os
import re
import signal
import subprocess
import struct
import threading
from pathlib import Path
from typing import List, Optional, Sequence

STARTED = re.compile(r" on 127\.0\.0\.1:(\d+) as stream '([^']+)'")
COPIES = re.compile(r"copies/frame ([\d.]+)")
NEWEST_SEQ_OFFSET = 80  # docs/segment-layout.md
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        # Fields after the ')' that ends the command name; utime and stime are 14 and 15.
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServerFailed(RuntimeError):
    """The server did not start, or did not stop when asked."""


class ServerProcess:
    """`with ServerProcess(binary, size=..., fps=..., name=...) as server:` runs one server.

    Leaving the block stops it with SIGINT and waits, whatever happened inside; if it
    must be killed instead, its shared-memory segment is removed here.
    """

    def __init__(self, binary: str, *, fps: float, name: str, size: Optional[str] = None,
                 source: Sequence[str] = ("synthetic",), stats_every_s: float = 0) -> None:
        self.name = name
        self._argv = [binary, "--source", *source, "--fps", f"{fps:g}", "--port", "0",
                      "--name", name, "--stats-every", f"{stats_every_s:g}"]
        if size is not None:
            self._argv += ["--size", size]
        self._process: Optional["subprocess.Popen[str]"] = None
        self._log: List[str] = []
        self._port: Optional[int] = None
        self._port_known = threading.Event()
        self._segment_name = name
        self._stopped = False

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    @property
    def port(self) -> int:
        assert self._port is not None
        return self._port

    @property
    def log(self) -> str:
        return "".join(self._log)

    def __enter__(self) -> "ServerProcess":
        self._process = subprocess.Popen(self._argv, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                         text=True)
        try:
            # Drained by a thread for the server's whole life: a full pipe would block its log.
            threading.Thread(target=self._drain_log, daemon=True).start()
            if not self._port_known.wait(START_TIMEOUT_S) or self._port is None:
                status = self._process.poll()
                why = (f"exited with status {status}" if status is not None
                       else f"did not report its port within {START_TIMEOUT_S:g} s")
                raise ServerFailed(f"{' '.join(self._argv)} {why}; its log:\n{self.log}")
        except BaseException:
            try:
                self.stop()
            except ServerFailed:
                pass  # the error being raised says more
            raise
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        try:
            self.stop()
        except ServerFailed:
            if exc_type is None:  # never hide the error that ended the block
                raise

    def _drain_log(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        for line in self._process.stderr:
            self._log.append(line)
            match = STARTED.search(line)
            if match and self._port is None:
                self._port = int(match.group(1))
                self._segment_name = match.group(2)
                self._port_known.set()
        self._port_known.set()  # the server exited: stop waiting for its port

    def running(self) -> bool:
        """True while the server process has not exited."""
        return self._process is not None and self._process.poll() is None

    def cpu_seconds(self) -> float:
        """User + system CPU time the server has used so far."""
        return cpu_seconds(self.pid)

    def newest_seq(self) -> int:
        """The segment header's newest_seq: frames published so far, read with no client."""
        with open(Path("/dev/shm") / self._segment_name, "rb") as segment:
            header = segment.read(NEWEST_SEQ_OFFSET + 8)
        return int(struct.unpack_from("<Q", header, NEWEST_SEQ_OFFSET)[0])

    def copies_per_frame(self) -> float:
        """From the statistics line the server logs when it stops (call after stop())."""
        found = COPIES.findall(self.log)
        return float(found[-1]) if found else float("nan")

    def client_lines(self, client_name: str) -> List[str]:
        """The statistics lines about clients called `client_name`, oldest first (the server
        logs them every stats_every_s, and once more when it stops)."""
        return [line for line in self._log if f" '{client_name}' (pid " in line]

    def stop(self) -> None:
        """SIGINT and wait (SIGKILL after STOP_TIMEOUT_S); ServerFailed unless it exited 0
        and removed its segment."""
        process = self._process
        if process is None or self._stopped:
            return
        self._stopped = True
        try:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    pass
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            left = self._remove_segment()
        if process.returncode != 0:
            raise ServerFailed(f"server '{self.name}' exited with status "
                               f"{process.returncode}; its log:\n{self.log}")
        if left:
            raise ServerFailed(f"server '{self.name}' exited 0 but left its segment "
                               f"/dev/shm/{self._segment_name} (removed now); its log:\n"
                               f"{self.log}")

    def _remove_segment(self) -> bool:
        """Remove the segment if it is still there (True if it was). A server that stops
        cleanly removes it itself; one that was killed or crashed leaves it, and the name is
        ours alone."""
        segment = Path("/dev/shm") / self._segment_name
        if not segment.exists():
            return False
        segment.unlink()
        return True
