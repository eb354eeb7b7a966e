"""Soak: the real framebridge-server streams while clients join, leave, stall and die at
random, every frame each client receives is checked, and the server must end where it began.

Client processes (soak_client.py) each check every frame they get: its stamps and a sample
of its rows against what the synthetic source wrote for that seq, then `frame.valid()`. A
frame whose lease was taken back (valid() False) is "taken back"; one that mismatches while
valid() is True is torn, and must never happen. The parent keeps --clients of them running
and, from a seeded RNG, lets each one leave on its own (closing, or exiting without
closing), stall (SIGSTOP, then SIGCONT; some also hold frames past the 100 ms after which
the server takes a lease back), or die (SIGKILL). Clients report progress lines, so a
killed one's frames still count.

Before the clients and after the last has gone, it reads the server's open descriptors,
RSS and FrameBridge segments in /dev/shm; then it stops the server (SIGINT) and prints one
summary line, e.g.
  soak: 60 s, 4K, 37 clients (9 killed, 6 stalled), frames checked 12345, torn 0, taken back
  12; server fds 9→9, rss 41→42 MiB, /dev/shm entries 1→0
Exit status 0 only if no frame was torn, no client failed, the server lived and stopped
cleanly, and its descriptors, anonymous memory (within --rss-tolerance-mib) and segments
came back; 1 otherwise; 2 if the run could not be made.
"""

import argparse
import dataclasses
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import List, Optional

SOAK_DIR = Path(__file__).resolve().parent
REPO_DIR = SOAK_DIR.parents[1]
sys.path.insert(0, str(REPO_DIR / "tests" / "bench"))

import proc_resources  # noqa: E402
from server_process import ServerFailed, ServerProcess  # noqa: E402

PYTHON = "/usr/bin/python3"
CLIENT = SOAK_DIR / "soak_client.py"
PROGRESS = re.compile(r"^progress checked=(\d+) torn=(\d+) taken_back=(\d+)$")
TICK_S = 0.05
SETTLE_TIMEOUT_S = 10.0  # for the server to close what departed clients left
CLIENT_EXIT_TIMEOUT_S = 15.0
MIB = proc_resources.MIB
RSS_TOLERANCE_MIB = proc_resources.ANON_GROWTH_TOLERANCE_MIB


@dataclasses.dataclass
class Fate:
    life_s: float
    kill_at_s: Optional[float]
    stall_at_s: Optional[float]
    stall_s: float
    args: List[str]


def draw_fate(rng: random.Random, run_s: float) -> Fate:
    life = rng.uniform(1.0, max(2.0, min(15.0, run_s / 4)))
    kind = rng.choices(("leave", "kill", "stall", "stall+kill"), (4, 3, 3, 1))[0]
    kill_at = rng.uniform(0.3, life) if "kill" in kind else None
    stall_at = rng.uniform(0.3, life * 0.7) if "stall" in kind else None
    args = ["--seconds", f"{life:.2f}", "--seed", str(rng.randrange(1 << 30)),
            "--hold-chance", str(rng.choice((0.0, 0.0, 0.1, 0.5))),
            "--hold-max-ms", str(rng.choice((20, 80, 400))),
            "--exit", rng.choice(("close", "abandon"))]
    return Fate(life, kill_at, stall_at, rng.uniform(0.2, 1.5), args)


class SoakClient:
    """One soak_client.py process and what it has reported."""

    def __init__(self, port: int, fate: Fate, extra: List[str]) -> None:
        self.fate = fate
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [PYTHON, str(CLIENT), "--port", str(port), *fate.args, *extra],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        self.counts = (0, 0, 0)
        self.notes: List[str] = []  # torn and error lines, and anything unexpected
        self.killed = False
        self.terminated = False
        self.stalled = False
        self.stopped_until: Optional[float] = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            match = PROGRESS.match(line.strip())
            if match:
                self.counts = (int(match[1]), int(match[2]), int(match[3]))
            elif line.strip():
                self.notes.append(line.rstrip())

    def act(self, now: float) -> None:
        """SIGSTOP, SIGCONT or SIGKILL when its fate says so."""
        if self.process.poll() is not None:
            return
        age = now - self.started
        if self.stopped_until is not None and now >= self.stopped_until:
            self.process.send_signal(signal.SIGCONT)
            self.stopped_until = None
        if self.fate.stall_at_s is not None and not self.stalled and age >= self.fate.stall_at_s:
            self.process.send_signal(signal.SIGSTOP)
            self.stalled = True
            self.stopped_until = now + self.fate.stall_s
        if self.fate.kill_at_s is not None and not self.killed and age >= self.fate.kill_at_s:
            self.process.kill()
            self.killed = True

    def ask_to_end(self) -> None:
        """SIGCONT and SIGTERM: it checks what it holds, reports and exits."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.terminated = True  # one still starting up dies of it, before its handler

    def end(self) -> None:
        """Ask it to finish, wait, kill it if it does not."""
        self.ask_to_end()
        self.end_after(CLIENT_EXIT_TIMEOUT_S)

    def end_after(self, timeout_s: float) -> None:
        """Wait timeout_s for it to exit, kill it if it does not."""
        try:
            self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            self.notes.append(f"did not exit within {timeout_s:g} s")
        self._reader.join(CLIENT_EXIT_TIMEOUT_S)

    def failure(self) -> Optional[str]:
        """Why this client's run does not count as good, or None."""
        code = self.process.returncode
        errors = [n for n in self.notes if not n.startswith("torn ")]
        if errors:
            return f"pid {self.process.pid}: {errors[0]}"
        if code in (0, 1) or (self.killed and code == -signal.SIGKILL) \
                or (self.terminated and code == -signal.SIGTERM):
            return None
        return f"pid {self.process.pid} exited with {code}"


def size_label(size: str) -> str:
    return {"3840x2160": "4K", "1920x1080": "1080p"}.get(size, size)


def server_binary(args: argparse.Namespace) -> str:
    binary = Path(args.server or Path(args.build_dir) / "bin" / "framebridge-server")
    if not os.access(binary, os.X_OK):
        raise ServerFailed(f"no framebridge-server at {binary}: build it first (make build), "
                           f"or give --build-dir or --server")
    return str(binary)


def soak(args: argparse.Namespace, clients: List[SoakClient]) -> int:
    """Runs the soak, appending every client it starts to clients; the exit status."""
    rng = random.Random(args.seed)
    extra = ["--rows", str(args.rows)]
    if args.inject_torn:
        extra += ["--inject-torn", str(args.inject_torn)]
    name = f"fb-soak-{os.getpid()}"
    problems: List[str] = []
    started = time.monotonic()
    server = ServerProcess(server_binary(args), fps=args.fps, name=name, size=args.size)
    with server:
        # Warm up: one client's whole life, so the first session's allocations are made.
        warm = SoakClient(server.port, Fate(1.0, None, None, 0.0, ["--seconds", "1"]), extra)
        warm.end_after(CLIENT_EXIT_TIMEOUT_S + 30)
        if warm.failure() is not None or warm.counts[0] == 0:
            problems.append(f"the warm-up client failed: {warm.failure()} {warm.notes}")
        proc_resources.settled_fds(server.pid, timeout_s=SETTLE_TIMEOUT_S)
        before = proc_resources.read(server.pid, name)
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline and server.running():
            now = time.monotonic()
            running = [c for c in clients if c.process.poll() is None]
            for client in running:
                client.act(now)
            for _ in range(args.clients - len(running)):
                clients.append(SoakClient(server.port, draw_fate(rng, args.seconds), extra))
            time.sleep(TICK_S)
        for client in clients:
            client.ask_to_end()
        for client in clients:
            client.end()
        server_alive = server.running()
        if server_alive:
            proc_resources.settled_fds(server.pid, before.fds, SETTLE_TIMEOUT_S)
            after = proc_resources.read(server.pid, name)
        else:
            problems.append(f"the server died during the soak; its log:\n{server.log}")
            after = dataclasses.replace(before, fds=-1, rss=0, rss_anon=0)
        try:
            server.stop()
        except ServerFailed as exc:
            problems.append(str(exc))
    # By its exact name: another soak's (pytest -n) may start with this one's, pid 12 and 123.
    segments_left = [s for s in proc_resources.framebridge_segments(name) if s == name]
    elapsed = time.monotonic() - started

    checked = sum(c.counts[0] for c in clients)
    torn = sum(c.counts[1] for c in clients)
    taken_back = sum(c.counts[2] for c in clients)
    torn_lines = [n for c in clients for n in c.notes if n.startswith("torn ")]
    failures = [f for f in (c.failure() for c in clients) if f is not None]
    if torn:
        problems.append(f"{torn} torn frame(s), e.g. {torn_lines[:3]}")
    if failures:
        problems.append(f"{len(failures)} client(s) failed: {failures[:5]}")
    if checked == 0:
        problems.append("no frame was checked")
    if server_alive:
        if after.fds != before.fds:
            problems.append(f"server fds {before.fds} before the clients, {after.fds} "
                            f"{SETTLE_TIMEOUT_S:g} s after the last left")
        growth = (after.rss_anon - before.rss_anon) / MIB
        if growth > args.rss_tolerance_mib:
            problems.append(f"server anonymous memory grew {growth:.1f} MiB "
                            f"({before.describe()} -> {after.describe()}), over the "
                            f"{args.rss_tolerance_mib:g} MiB tolerance")
        if after.segments != before.segments:
            problems.append(f"segments {before.segments} before, {after.segments} after")
        final_stats = re.findall(r"(\d+) client\(s\)", server.log)
        if not final_stats or final_stats[-1] != "0":
            problems.append(f"the server's last statistics line shows {final_stats[-1:]} "
                            f"clients, expected 0")
    if segments_left:
        problems.append(f"/dev/shm still has {segments_left} after the server stopped")
    for problem in problems:
        print(f"soak: FAILED: {problem}", file=sys.stderr)
    killed = sum(c.killed for c in clients)
    stalled = sum(c.stalled for c in clients)
    print(f"soak: {elapsed:.0f} s, {size_label(args.size)}, {len(clients)} clients "
          f"({killed} killed, {stalled} stalled), frames checked {checked}, torn {torn}, "
          f"taken back {taken_back}; server fds {before.fds}→{after.fds}, "
          f"rss {before.rss / MIB:.0f}→{after.rss / MIB:.0f} MiB "
          f"(anon {before.rss_anon / MIB:.1f}→{after.rss_anon / MIB:.1f}), "
          f"/dev/shm entries {len(before.segments)}→{len(segments_left)}", flush=True)
    return 1 if problems else 0


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Soak the real framebridge-server: clients join, leave, stall and die at "
                    "random while frames flow; every frame is checked for tearing; the "
                    "server's fds, memory and /dev/shm segments must come back.",
        epilog="Exit status: 0 all good; 1 a torn frame, a failed client, a leak or a dead "
               "server (each said on stderr); 2 the soak could not run.")
    parser.add_argument("--seconds", type=float, default=60.0,
                        help="how long clients come and go (default 60)")
    parser.add_argument("--clients", type=int, default=4,
                        help="clients running at once; each that ends is replaced (default 4)")
    parser.add_argument("--seed", type=int, default=1, help="seeds every random choice")
    parser.add_argument("--size", default="3840x2160", help="frame size WxH (default 4K)")
    parser.add_argument("--fps", type=float, default=0,
                        help="server frame rate; 0 = as fast as it goes, which reuses slots "
                             "most often but keeps a core busy (default 0)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--build-dir",
                       default=os.environ.get("FRAMEBRIDGE_BUILD_DIR", str(REPO_DIR / "build")),
                       help="CMake build directory holding bin/framebridge-server")
    where.add_argument("--server", help="path of framebridge-server (instead of --build-dir)")
    parser.add_argument("--rows", type=int, default=8,
                        help="rows compared per frame, with the two stamped ones (default 8)")
    parser.add_argument("--rss-tolerance-mib", type=float, default=RSS_TOLERANCE_MIB,
                        help="growth of the server's anonymous memory accepted as allocator "
                             f"high-water mark, not a leak (default {RSS_TOLERANCE_MIB:g})")
    parser.add_argument("--inject-torn", type=int, default=0, metavar="N",
                        help="clients check every Nth frame on a copy with a byte changed: "
                             "the soak must then fail (proves the check)")
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    clients: List[SoakClient] = []
    try:
        return soak(args, clients)
    except ServerFailed as exc:
        print(f"soak: the server did not start: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("soak: interrupted", file=sys.stderr)
        return 130
    finally:  # never leave a client behind, stopped or running
        for client in clients:
            if client.process.poll() is None:
                client.process.kill()
                client.process.wait()


if __name__ == "__main__":
    sys.exit(main())
