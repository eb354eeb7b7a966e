"""One call repeated as fast as it goes: warmed up, then counted over a window."""

import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Repeated:
    """The calls made in the window (and in all, warm-up included), and what they cost."""

    calls: int
    all_calls: int
    elapsed_s: float
    cpu_s: float  # this process's CPU over the window

    @property
    def per_s(self) -> float:
        return self.calls / self.elapsed_s if self.elapsed_s > 0 else 0.0


def repeat(call: Callable[[], object], warmup_s: float, window_s: float) -> Repeated:
    """Calls `call()` for warmup_s, then counts the calls made in the next window_s."""
    warmed = 0
    warm_until = time.perf_counter() + warmup_s
    while time.perf_counter() < warm_until:
        call()
        warmed += 1
    calls = 0
    cpu_start = time.process_time()
    start = time.perf_counter()
    while time.perf_counter() - start < window_s:
        call()
        calls += 1
    elapsed_s = time.perf_counter() - start
    return Repeated(calls, warmed + calls, elapsed_s, time.process_time() - cpu_start)
