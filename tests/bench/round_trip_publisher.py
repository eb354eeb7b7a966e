"""The Python side of round_trip_bench.py: reads a stream, sends each frame back inverted.

    round_trip_publisher.py PORT SOURCE OUT WARMUP_S     publish 255 - each frame as stream OUT
    round_trip_publisher.py PORT SOURCE - WARMUP_S       the same processing into a plain array

Each frame of stream SOURCE becomes cv2.bitwise_not(frame.array, dst=dst), where dst is the
slot lent by out.frame(source=frame): the one copy of the loop is the one the processing
makes. With OUT "-", dst is one NumPy array of this process (what the processing costs with
no way back). Prints "ready" once the stream OUT exists (or the first frame arrived), runs
until SIGINT or SIGTERM, then prints one JSON line: the frames handled after WARMUP_S and the
seconds they took.
"""

import contextlib
import functools
import json
import sys
import time
from typing import Callable, ContextManager, Dict

import cv2
import numpy as np

import framebridge as fb

from stop_signal import Stop

CONNECT_TIMEOUT_S = 5.0


def run(port: int, source: str, out_name: str, warmup_s: float) -> Dict[str, float]:
    stop = Stop()
    with fb.connect(port=port, stream=source, name="bench-round-trip",
                    timeout=CONNECT_TIMEOUT_S) as client, contextlib.ExitStack() as stack:
        frames = iter(client)
        first = next(frames)
        destination: Callable[[fb.Frame], ContextManager[np.ndarray]]
        if out_name == "-":
            plain = np.empty_like(first.array)
            destination = functools.partial(_plain, plain)
        else:
            destination = stack.enter_context(fb.publish(
                out_name, first.width, first.height, first.format, port=port,
                timeout=CONNECT_TIMEOUT_S)).frame  # out.frame(frame): source=frame
        print("ready", flush=True)
        counted = 0
        start = time.perf_counter() + warmup_s
        for frame in frames:
            with frame, destination(frame) as dst:
                cv2.bitwise_not(frame.array, dst=dst)
            if time.perf_counter() >= start:
                counted += 1
            if stop.asked:
                break
        return {"frames": counted, "elapsed_s": max(time.perf_counter() - start, 0.0)}


def _plain(array: np.ndarray, frame: fb.Frame) -> ContextManager[np.ndarray]:
    return contextlib.nullcontext(array)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__.splitlines()[2].strip())
    print(json.dumps(run(int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4]))),
          flush=True)
