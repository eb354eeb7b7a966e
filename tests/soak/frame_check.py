"""Proves a frame of the synthetic source is whole and is the frame it claims to be.

app/src/synthetic_source.cpp makes every frame from its sequence number alone: row y of
frame seq is a slice of one of two palettes (a hue ramp of period 256 pixels, the second
half a turn out of phase), chosen by the 135-row band and by seq / 64, starting at pixel
(4 * (seq % 256) + y) % 256; then seq is stamped as a little-endian u64 into the first 8
bytes of row 0 and the last 8 pixel bytes of the last row. So beyond the two stamps, any
row can be predicted exactly: `problems()` compares the stamps and a sample of rows.
"""

import math
import random
from typing import Iterable, List

import numpy as np

# The constants of app/src/synthetic_source.cpp.
PERIOD_PX = 256
BAND_ROWS = 135
SHIFT_PX_PER_FRAME = 4
BAND_FLIP_FRAMES = 64
PHASES = (0.0, 3.14159)
TAU = 6.283185307179586
CHANNEL_OFFSETS = (0.0, 2.1, 4.2)
STAMP_BYTES = 8


def _palette(bytes_per_pixel: int, phase: float, pixels: int) -> np.ndarray:
    """make_palette(): the same doubles through the same libm sin, truncated to a byte."""
    period = np.empty((PERIOD_PX, 4), np.uint8)
    for x in range(PERIOD_PX):
        t = TAU * float(x) / PERIOD_PX + phase
        bgr = [int(127.5 + 127.5 * math.sin(t + offset)) for offset in CHANNEL_OFFSETS]
        period[x] = (*bgr, 255)
    if bytes_per_pixel == 1:
        chosen = period[:, 1:2]  # GRAY8 keeps the green channel
    else:
        chosen = period[:, :bytes_per_pixel]
    repeats = -(-pixels // PERIOD_PX)
    return np.ascontiguousarray(np.tile(chosen, (repeats, 1))[:pixels]).reshape(-1)


class SyntheticPattern:
    """The synthetic source's frames of one size and pixel format."""

    def __init__(self, width: int, height: int, bytes_per_pixel: int) -> None:
        self.width = width
        self.height = height
        self.bytes_per_pixel = bytes_per_pixel
        self.row_bytes = width * bytes_per_pixel
        self._palettes = [_palette(bytes_per_pixel, phase, width + PERIOD_PX)
                          for phase in PHASES]

    def row(self, seq: int, y: int) -> np.ndarray:
        """Row y of frame seq as it is before the stamps, row_bytes uint8."""
        band = (y // BAND_ROWS + seq // BAND_FLIP_FRAMES) % 2
        start = ((seq % PERIOD_PX) * SHIFT_PX_PER_FRAME + y) % PERIOD_PX * self.bytes_per_pixel
        return self._palettes[band][start:start + self.row_bytes]

    def frame(self, seq: int) -> np.ndarray:
        """A whole frame, stamped, as (height, row_bytes) uint8: for tests of the checker."""
        pixels = np.stack([self.row(seq, y) for y in range(self.height)])
        stamp = np.frombuffer(seq.to_bytes(STAMP_BYTES, "little"), np.uint8)
        pixels[0, :STAMP_BYTES] = stamp
        pixels[-1, -STAMP_BYTES:] = stamp
        return pixels

    def sample_rows(self, rng: random.Random, count: int) -> List[int]:
        """The first and last rows (the stamps) and count - 2 others at random."""
        inner = [rng.randrange(1, self.height - 1) for _ in range(max(0, count - 2))] \
            if self.height > 2 else []
        return sorted({0, self.height - 1, *inner})

    def problems(self, pixels: np.ndarray, seq: int, rows: Iterable[int]) -> List[str]:
        """What in pixels ((height, width[, channels]) uint8, any row stride) is not frame
        seq: an empty list for a whole frame. Reads only the stamps and the given rows."""
        found: List[str] = []
        last = self.height - 1
        for y in rows:
            actual = pixels[y].reshape(-1)
            if actual.size != self.row_bytes:
                return [f"row {y} has {actual.size} bytes, expected {self.row_bytes}"]
            expected = self.row(seq, y)
            lo = STAMP_BYTES if y == 0 else 0
            hi = self.row_bytes - STAMP_BYTES if y == last else self.row_bytes
            if not np.array_equal(actual[lo:hi], expected[lo:hi]):
                differ = np.flatnonzero(actual[lo:hi] != expected[lo:hi])
                found.append(f"row {y}: {differ.size} of {hi - lo} bytes differ from frame "
                             f"{seq}'s, first at byte {lo + int(differ[0])}")
        for what, stamp in (("first", pixels[0].reshape(-1)[:STAMP_BYTES]),
                            ("last", pixels[last].reshape(-1)[-STAMP_BYTES:])):
            stamped = int.from_bytes(bytes(stamp), "little")
            if stamped != seq:
                found.append(f"{what} stamp says {stamped}, the frame is {seq}")
        return found
