"""What a benchmark's child script uses to end its loop cleanly when the bench stops it."""

import signal
from typing import Any


class Stop:
    """Set by SIGINT or SIGTERM; read between frames, so every frame ends cleanly."""

    def __init__(self) -> None:
        self.asked = False
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._ask)

    def _ask(self, signum: int, frame: Any) -> None:
        self.asked = True
