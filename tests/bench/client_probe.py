"""What one Python client sees: frames per second, latency, its own CPU, stamp checks.

The client runs in this process; while it measures, this process does nothing else, so
time.process_time() over the window is the client's own CPU time.
"""

import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional

import framebridge as fb

CONNECT_TIMEOUT_S = 5.0


def stamp_matches(frame: fb.Frame) -> bool:
    """The synthetic source stamps seq (LE u64) into the first and the last 8 pixel bytes."""
    first_row = frame.array[0].reshape(-1)
    last_row = frame.array[frame.height - 1].reshape(-1)
    first = int.from_bytes(first_row[:8].tobytes(), "little")
    last = int.from_bytes(last_row[-8:].tobytes(), "little")
    return first == frame.seq == last


@dataclass
class Window:
    """Everything recorded from the first frame after warm-up to the end of the window."""

    frames: int = 0
    elapsed_s: float = 0.0
    first_seq: int = 0
    last_seq: int = 0
    seq_mismatches: int = 0
    client_cpu_s: float = 0.0
    server_cpu_s: float = 0.0
    latencies_ms: List[float] = field(default_factory=list)

    @property
    def fps(self) -> float:
        return self.frames / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def published_fps(self) -> float:
        """Frames the server published meanwhile, read or not (the client skips to the newest)."""
        return (self.last_seq - self.first_seq) / self.elapsed_s if self.elapsed_s > 0 else 0.0


def measure(port: int, warmup_s: float, window_s: float,
            server_cpu_s: Optional[Callable[[], float]] = None, wait: str = "block") -> Window:
    """Reads frames with `for frame in client:` (a client made with `wait`) for warmup_s,
    then for window_s.

    The window opens when a frame arrives; fps counts the frames after that one.
    `server_cpu_s()`, if given, is sampled when the window opens and when it closes.
    """
    result = Window()
    with fb.connect(port=port, name="bench", timeout=CONNECT_TIMEOUT_S, wait=wait) as client:
        frames = iter(client)  # one iterator: each step releases the frame before
        warm_until = time.perf_counter() + warmup_s
        frame = next(frames)
        while time.perf_counter() < warm_until:
            frame = next(frames)
        result.first_seq = result.last_seq = frame.seq
        server_start = server_cpu_s() if server_cpu_s else 0.0
        cpu_start = time.process_time()
        start = time.perf_counter()
        for frame in frames:
            result.frames += 1
            result.last_seq = frame.seq
            result.latencies_ms.append((frame.receive_ns - frame.publish_ns) / 1e6)
            if not stamp_matches(frame):
                result.seq_mismatches += 1
            if time.perf_counter() - start >= window_s:
                break
        result.elapsed_s = time.perf_counter() - start
        result.client_cpu_s = time.process_time() - cpu_start
        result.server_cpu_s = server_cpu_s() - server_start if server_cpu_s else 0.0
    return result
