"""One soak client process: takes frames from a FrameBridge server and checks every one.

Each frame's stamps and a random sample of its rows are compared with what the synthetic
source wrote for that seq (frame_check.py), and then `frame.valid()` is read: a frame whose
slot was taken back (valid() False) is counted as taken back, a frame that does not match
while valid() is still True is torn. Some frames are held a while (up to the client's
lease limit) and checked again at the end of the hold: a held frame must not change.

Writes lines to stdout, flushed, so a parent learns the counts even if it kills the client:
  ready CLIENT_ID                          (with --wait-go, then waits for a line on stdin)
  progress checked=N torn=N taken_back=N   (every --progress-s and at the end)
  torn seq=S slot=K: WHAT                  (each torn frame)
  error TYPE: MESSAGE                      (then exit status 3)
"""

import argparse
import os
import random
import signal
import sys
import time
from pathlib import Path
from typing import List, Optional, Tuple

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python_sdk"))

import framebridge as fb  # noqa: E402
from frame_check import STAMP_BYTES, SyntheticPattern  # noqa: E402

BYTES_PER_PIXEL = {fb.PixelFormat.BGR8: 3, fb.PixelFormat.GRAY8: 1, fb.PixelFormat.BGRA8: 4}
FRAME_TIMEOUT_S = 10.0
EXIT_ERROR = 3


class Counts:
    def __init__(self) -> None:
        self.checked = 0
        self.torn = 0
        self.taken_back = 0
        self.last_report = time.monotonic()

    def report(self) -> None:
        print(f"progress checked={self.checked} torn={self.torn} "
              f"taken_back={self.taken_back}", flush=True)
        self.last_report = time.monotonic()


class Checker:
    """Checks frames of whatever size the server sends; with inject_every > 0, every
    inject_every-th check is made on a copy with one byte changed (to prove a torn frame
    is caught)."""

    def __init__(self, rng: random.Random, rows: int, inject_every: int) -> None:
        self._rng = rng
        self._rows = rows
        self._inject_every = inject_every
        self._pattern: Optional[SyntheticPattern] = None
        self._checks = 0

    def problems(self, frame: fb.Frame) -> List[str]:
        bpp = BYTES_PER_PIXEL[frame.format]
        shape = (frame.width, frame.height, bpp)
        p = self._pattern
        if p is None or (p.width, p.height, p.bytes_per_pixel) != shape:
            p = self._pattern = SyntheticPattern(*shape)
        pixels = frame.array
        self._checks += 1
        if self._inject_every and self._checks % self._inject_every == 0:
            pixels = pixels.copy()
            pixels[0].reshape(-1)[STAMP_BYTES] ^= np.uint8(0x55)
        return p.problems(pixels, frame.seq, p.sample_rows(self._rng, self._rows))


def finish(frame: fb.Frame, earlier: List[str], checker: Checker, counts: Counts) -> None:
    """The verdict on one frame: checked once more now, then valid() read last."""
    found = earlier + checker.problems(frame)
    still_valid = frame.valid()
    counts.checked += 1
    if not still_valid:
        counts.taken_back += 1
    elif found:
        counts.torn += 1
        print(f"torn seq={frame.seq} slot={frame.slot}: {'; '.join(found[:4])}", flush=True)
    frame.release()


def run(args: argparse.Namespace, stopping: List[bool]) -> Counts:
    rng = random.Random(args.seed)
    checker = Checker(rng, args.rows, args.inject_torn)
    counts = Counts()
    client = fb.connect(port=args.port, name=f"soak-{args.seed}", timeout=FRAME_TIMEOUT_S)
    if args.wait_go:
        print(f"ready {client.client_id}", flush=True)
        sys.stdin.readline()
    end = time.monotonic() + args.seconds if args.seconds > 0 else float("inf")
    held: List[Tuple[float, fb.Frame, List[str]]] = []  # (hold until, frame, problems then)
    while not stopping[0] and time.monotonic() < end:
        now = time.monotonic()
        for entry in [e for e in held if e[0] <= now]:
            held.remove(entry)
            finish(entry[1], entry[2], checker, counts)
        if len(held) >= client.max_leases:
            time.sleep(max(0.0, min(e[0] for e in held) - now))
            continue
        frame = client.latest(timeout=FRAME_TIMEOUT_S)
        if rng.random() < args.hold_chance:
            hold_s = rng.uniform(0.0, args.hold_max_ms / 1000.0)
            held.append((time.monotonic() + hold_s, frame, checker.problems(frame)))
        else:
            finish(frame, [], checker, counts)
        if time.monotonic() - counts.last_report >= args.progress_s:
            counts.report()
    for _, frame, found in held:
        finish(frame, found, checker, counts)
    counts.report()
    if args.exit == "close":
        client.close()
    else:  # leave the way a crashing process does: the kernel closes the socket
        sys.stdout.flush()
        os._exit(0)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True, help="the server's TCP port")
    parser.add_argument("--seconds", type=float, default=0.0,
                        help="how long to take frames; 0 = until SIGTERM")
    parser.add_argument("--seed", type=int, default=0, help="seeds the rows and holds chosen")
    parser.add_argument("--rows", type=int, default=8, help="rows compared per check")
    parser.add_argument("--hold-chance", type=float, default=0.0,
                        help="fraction of frames held before their final check")
    parser.add_argument("--hold-max-ms", type=float, default=300.0,
                        help="longest hold (a hold over 100 ms may be taken back)")
    parser.add_argument("--exit", choices=("close", "abandon"), default="close",
                        help="close the client, or exit without closing anything")
    parser.add_argument("--wait-go", action="store_true",
                        help="after connecting print 'ready ID' and wait for a line on stdin")
    parser.add_argument("--progress-s", type=float, default=0.5,
                        help="seconds between progress lines")
    parser.add_argument("--inject-torn", type=int, default=0, metavar="N",
                        help="check every Nth frame on a copy with one byte changed (to "
                             "prove the check catches a torn frame)")
    args = parser.parse_args()
    stopping = [False]

    def stop(signum: int, frame: object) -> None:
        stopping[0] = True

    signal.signal(signal.SIGTERM, stop)
    try:
        counts = run(args, stopping)
    except Exception as exc:  # reported to the parent, which fails the run
        print(f"error {type(exc).__name__}: {exc}", flush=True)
        return EXIT_ERROR
    return 1 if counts.torn else 0


if __name__ == "__main__":
    sys.exit(main())
