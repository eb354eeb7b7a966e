"""A client that reads every pixel of every 4K frame, against the same read of plain arrays.

The client's CPU time per frame (SDK calls plus frame.array.max()) over the CPU time of
max() on a plain NumPy array of the same shape: what the copy-on-write mapping and the
SDK's own work (the request, the written-pages check, the release) add to a full read.
Plain arrays rotate through as many buffers as the server has slots, so neither side reads
from a warmer cache, and each is read right after a frame, so both are measured under the
same load. CPU time, not wall time: the client waits for frames at 30 fps.
"""

import time
from typing import Dict, List

import numpy as np

import framebridge as fb

CONNECT_TIMEOUT_S = 5.0
SLOTS = 3


def measure(port: int, warmup_s: float, window_s: float) -> Dict[str, float]:
    """Each frame read whole, then a plain array of the same shape read whole, in turn: the
    two are measured in the same moments, so a load that comes and goes moves both."""
    with fb.connect(port=port, name="bench-full-read", timeout=CONNECT_TIMEOUT_S) as client:
        frames = iter(client)
        warm_until = time.perf_counter() + warmup_s
        frame = next(frames)
        while time.perf_counter() < warm_until:
            frame.array.max()
            frame = next(frames)
        plain: List[np.ndarray] = [np.full(frame.array.shape, i + 1, np.uint8)
                                   for i in range(SLOTS)]
        for array in plain:
            array.max()
        count = 0
        client_s = plain_s = 0.0
        start = time.perf_counter()
        cpu = time.process_time()
        for frame in frames:
            frame.array.max()
            read = time.process_time()
            client_s += read - cpu
            plain[count % SLOTS].max()
            cpu = time.process_time()
            plain_s += cpu - read
            count += 1
            if time.perf_counter() - start >= window_s:
                break
    client_ms = 1e3 * client_s / max(count, 1)
    plain_ms = 1e3 * plain_s / max(count, 1)
    return {"frames": count, "client_ms_per_frame": client_ms, "plain_read_ms": plain_ms,
            "ratio": client_ms / plain_ms if plain_ms > 0 else 0.0}
