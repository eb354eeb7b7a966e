"""A client interrupted thousands of times at random points, then asked for frames.

--how signal: a one-shot timer (0 to 2 ms) raises KeyboardInterrupt wherever the process is,
as Ctrl+C does. --how trace: sys.settrace raises KeyboardInterrupt at a random line, call or
return inside the SDK, so every point of its code is hit, not only where time is spent.
Each interrupt is caught and the client reused, as in a notebook. It prints
"interrupted N" and then "ok" once the client has handed out 20 whole frames in a row.
"""

import argparse
import os
import random
import signal
import struct
import sys
from types import FrameType
from typing import Any, Callable, List, Optional

import framebridge as fb

SDK_DIR = os.path.dirname(fb.__file__)


def stamped(frame: fb.Frame) -> bool:
    """The synthetic source stamps seq (LE u64) into the first 8 bytes of the frame."""
    return bool(struct.unpack("<Q", frame.array[0].reshape(-1)[:8].tobytes())[0] == frame.seq)


def use(client: fb.Client, rng: random.Random, kept: List[fb.Frame],
        pending: Callable[[], bool]) -> None:
    """What a script does: iterate, sometimes take a frame with latest(), keep one a while.

    An interrupt raised inside a __del__ or a finalizer is printed and dropped by Python;
    when the one pending has gone that way, raise it here instead.
    """
    for frame in client:
        if not pending():
            raise KeyboardInterrupt
        assert stamped(frame) or not frame.valid(), f"frame {frame.seq} is not its own"
        if rng.random() < 0.2:
            with client.latest(timeout=5) as other:
                other.array[0, 0]
        if rng.random() < 0.1:
            kept[:] = [frame]


def injector(rng: random.Random, chance: float, armed: List[bool]) -> Callable[..., Any]:
    def local(frame: FrameType, event: str, arg: Any) -> Optional[Callable[..., Any]]:
        if armed[0] and rng.random() < chance:
            armed[0] = False
            raise KeyboardInterrupt
        return local

    def tracer(frame: FrameType, event: str, arg: Any) -> Optional[Callable[..., Any]]:
        if not frame.f_code.co_filename.startswith(SDK_DIR):
            return None
        return local(frame, event, arg)

    return tracer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--how", choices=("signal", "trace"), required=True)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--wait", choices=("block", "spin"), default="block")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    armed = [False]

    def interrupt(signum: int, frame: Optional[FrameType]) -> None:
        armed[0] = False
        raise KeyboardInterrupt

    signal.signal(signal.SIGALRM, interrupt)
    client = fb.connect(port=args.port, name=f"interrupt-{args.how}", frame_timeout=5,
                        wait=args.wait)
    kept: List[fb.Frame] = []
    interrupted = 0
    tracer = injector(rng, 0.01, armed)
    while interrupted < args.count:
        try:
            armed[0] = True
            if args.how == "trace":
                sys.settrace(tracer)  # a trace function that raises is removed: set it again
            else:
                signal.setitimer(signal.ITIMER_REAL, rng.uniform(0.0, 0.002))
            use(client, rng, kept, lambda: armed[0])
        except KeyboardInterrupt:
            interrupted += 1

    sys.settrace(None)
    signal.setitimer(signal.ITIMER_REAL, 0)
    print(f"interrupted {interrupted}", flush=True)
    kept.clear()
    for _ in range(20):
        with client.latest(timeout=5) as frame:
            assert stamped(frame), f"frame {frame.seq} is not its own"
    client.close()
    print("ok", flush=True)


if __name__ == "__main__":
    main()
