"""The script of results_bench.py's latency run: reads each frame and sends one box for it.

    result_sender.py PORT STREAM NAME WARMUP_S

Nothing else happens per frame: `client.send_result(frame, boxes=[whole frame])` inside
`with frame:`. Prints "ready" once connected, runs until SIGINT or SIGTERM, then prints one JSON
line about the frames after WARMUP_S: how many, and per frame, in ms on its own clock,
capture->publish and publish->ready (the FRAME's stamps and when it was read), and
ready->sent (when send_result returned).
"""

import json
import sys
import time
from typing import Any, Dict, List

import numpy as np

import framebridge as fb

from stop_signal import Stop

CONNECT_TIMEOUT_S = 5.0
LEGS = ("capture_to_publish", "publish_to_ready", "ready_to_sent")


def percentiles(ms: List[float]) -> Dict[str, float]:
    if not ms:
        return {"p50": 0.0, "p99": 0.0}
    return {"p50": float(np.percentile(ms, 50)), "p99": float(np.percentile(ms, 99))}


def run(port: int, stream: str, name: str, warmup_s: float) -> Dict[str, Any]:
    stop = Stop()
    legs: Dict[str, List[float]] = {leg: [] for leg in LEGS}
    with fb.connect(port=port, stream=stream, name=name, timeout=CONNECT_TIMEOUT_S) as client:
        print("ready", flush=True)
        start = time.perf_counter() + warmup_s
        for frame in client:
            with frame:
                client.send_result(frame, boxes=[(0, 0, frame.width, frame.height)])
                sent_ns = time.perf_counter_ns()
            if time.perf_counter() >= start:
                legs["capture_to_publish"].append((frame.publish_ns - frame.capture_ns) / 1e6)
                legs["publish_to_ready"].append((frame.receive_ns - frame.publish_ns) / 1e6)
                legs["ready_to_sent"].append((sent_ns - frame.receive_ns) / 1e6)
            if stop.asked:
                break
    return {"frames": len(legs["ready_to_sent"]), **{leg: percentiles(legs[leg]) for leg in LEGS}}


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__.splitlines()[2].strip())
    print(json.dumps(run(int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4]))),
          flush=True)
