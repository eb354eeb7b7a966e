"""Deadlines on time.perf_counter(): a timeout in seconds (None: wait forever) becomes the
moment to stop, for the blocking and the asyncio clients alike."""

import time
from typing import Optional


def deadline_of(timeout: Optional[float]) -> Optional[float]:
    return None if timeout is None else time.perf_counter() + timeout


def remaining_s(deadline: Optional[float]) -> Optional[float]:
    return None if deadline is None else max(0.0, deadline - time.perf_counter())


def past(deadline: Optional[float]) -> bool:
    return deadline is not None and time.perf_counter() >= deadline
