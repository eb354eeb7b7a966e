"""RESULT's body: what a client found in a frame, as docs/wire-protocol.md ("Results") lays
it out. RESULT carries it alone, RESULT_FROM after its sender (_protocol.py).

    48-byte head: seq, capture_ns, sent_ns (u64); box, label, score, point, polyline
                  counts and text size (u32)
    then, with no gaps: boxes (4 x i32), scores (f32), points (2 x i32), polyline sizes
                  (u32), polyline points (2 x i32), labels (u8 size + text), text

Reading checks every rule the C++ parser (protocol/src/result_rules.cpp) checks, so the SDK
refuses what the server would: labels and text are strict UTF-8 without control characters.
"""

import itertools
import math
import struct
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Sequence, Tuple

from .errors import ProtocolMismatch

MAX_RESULT_BOXES = 1024
MAX_RESULT_POINTS = 4096
MAX_RESULT_POLYLINES = 256
MAX_RESULT_POLYLINE_POINTS = 4096  # in all the polylines together
MAX_RESULT_LABEL_BYTES = 64
MAX_RESULT_TEXT_BYTES = 1024

RESULT_HEAD = struct.Struct("<QQQIIIIII")
_LABEL_SIZE = struct.Struct("<B")

Box = Tuple[int, int, int, int]
Point = Tuple[int, int]


@dataclass(frozen=True)
class ResultMsg:
    """RESULT: what a client found in frame `seq` of the stream its connection reads."""

    seq: int
    capture_ns: int
    sent_ns: int
    boxes: List[Box] = field(default_factory=list)
    labels: List[str] = field(default_factory=list)  # none, or one per box
    scores: List[float] = field(default_factory=list)  # none, or one per box
    points: List[Point] = field(default_factory=list)
    polylines: List[List[Point]] = field(default_factory=list)
    text: str = ""


def _ints(rows: Iterable[Sequence[int]], count: int, width: int) -> bytes:
    return struct.pack(f"<{count * width}i", *itertools.chain.from_iterable(rows))


def encode_result(m: ResultMsg) -> bytes:
    """RESULT's body. The values must fit their fields (the public API checks them first)."""
    labels = [label.encode("utf-8") for label in m.labels]
    text = m.text.encode("utf-8")
    corners = sum(len(line) for line in m.polylines)
    return b"".join([
        RESULT_HEAD.pack(m.seq, m.capture_ns, m.sent_ns, len(m.boxes), len(labels),
                         len(m.scores), len(m.points), len(m.polylines), len(text)),
        _ints(m.boxes, len(m.boxes), 4),
        struct.pack(f"<{len(m.scores)}f", *m.scores),
        _ints(m.points, len(m.points), 2),
        struct.pack(f"<{len(m.polylines)}I", *(len(line) for line in m.polylines)),
        _ints(itertools.chain.from_iterable(m.polylines), corners, 2),
        *(_LABEL_SIZE.pack(len(label)) + label for label in labels),
        text])


class _Reader:
    """Reads a body front to back; running past its end is a protocol error."""

    def __init__(self, body: bytes, kind: str) -> None:
        self.body = body
        self.at = 0
        self.kind = kind

    def take(self, size: int, what: str) -> bytes:
        if self.at + size > len(self.body):
            raise ProtocolMismatch(f"{self.kind} {what} runs past the end of its "
                                   f"{len(self.body)}-byte body")
        data = self.body[self.at:self.at + size]
        self.at += size
        return data

    def values(self, code: str, count: int, what: str) -> Tuple[Any, ...]:
        item = struct.calcsize("<" + code)
        return struct.unpack(f"<{count}{code}", self.take(count * item, what))

    def text(self, size: int, what: str) -> str:
        data = self.take(size, what)
        control = next((byte for byte in data if byte < 0x20), None)
        if control is not None:
            raise ProtocolMismatch(f"{self.kind} {what} contains control character {control}")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolMismatch(f"{self.kind} {what} is not UTF-8 at byte {exc.start}") \
                from None


def _pairs(flat: Sequence[int]) -> List[Point]:
    it = iter(flat)
    return list(zip(it, it))


def _check_counts(kind: str, boxes: int, labels: int, scores: int, points: int,
                  polylines: int, text_size: int) -> None:
    limits = [("box_count", boxes, MAX_RESULT_BOXES), ("point_count", points, MAX_RESULT_POINTS),
              ("polyline_count", polylines, MAX_RESULT_POLYLINES),
              ("text_size", text_size, MAX_RESULT_TEXT_BYTES)]
    for name, value, limit in limits:
        if value > limit:
            raise ProtocolMismatch(f"{kind} {name} {value} is over the limit of {limit}")
    for name, value in (("label_count", labels), ("score_count", scores)):
        if value not in (0, boxes):
            raise ProtocolMismatch(f"{kind} {name} {value} is neither 0 nor the box_count "
                                   f"{boxes}")


def _boxes(r: _Reader, count: int) -> List[Box]:
    flat = r.values("i", 4 * count, "boxes")
    boxes: List[Box] = [(flat[i], flat[i + 1], flat[i + 2], flat[i + 3])
                        for i in range(0, len(flat), 4)]
    for index, (_x, _y, w, h) in enumerate(boxes):
        for side, value in (("width", w), ("height", h)):
            if value < 0:
                raise ProtocolMismatch(f"{r.kind} box {index} has a negative {side} {value}")
    return boxes


def _scores(r: _Reader, count: int) -> List[float]:
    scores = list(r.values("f", count, "scores"))
    for index, score in enumerate(scores):
        if not math.isfinite(score):
            raise ProtocolMismatch(f"{r.kind} score {index} is {score}")
    return scores


def _polylines(r: _Reader, count: int) -> List[List[Point]]:
    sizes = r.values("I", count, "polyline_sizes")
    for index, size in enumerate(sizes):
        if not 1 <= size <= MAX_RESULT_POLYLINE_POINTS:
            raise ProtocolMismatch(f"{r.kind} polyline {index} has {size} points, not 1 to "
                                   f"{MAX_RESULT_POLYLINE_POINTS}")
    total = sum(sizes)
    if total > MAX_RESULT_POLYLINE_POINTS:
        raise ProtocolMismatch(f"{r.kind} polylines have {total} points in all, over the "
                               f"limit of {MAX_RESULT_POLYLINE_POINTS}")
    corners = _pairs(r.values("i", 2 * total, "polyline_points"))
    starts = list(itertools.accumulate(sizes, initial=0))
    return [corners[start:end] for start, end in zip(starts, starts[1:])]


def _labels(r: _Reader, count: int) -> List[str]:
    labels: List[str] = []
    for index in range(count):
        (size,) = _LABEL_SIZE.unpack(r.take(1, f"label {index}"))
        if size > MAX_RESULT_LABEL_BYTES:
            raise ProtocolMismatch(f"{r.kind} label {index} is {size} bytes, over the limit "
                                   f"of {MAX_RESULT_LABEL_BYTES}")
        labels.append(r.text(size, f"label {index}"))
    return labels


def decode_result(body: bytes, kind: str = "RESULT") -> ResultMsg:
    """RESULT's body, every rule checked (ProtocolMismatch names the field and its value)."""
    if len(body) < RESULT_HEAD.size:
        raise ProtocolMismatch(f"{kind} of {len(body)} bytes is shorter than its "
                               f"{RESULT_HEAD.size}-byte head")
    seq, capture_ns, sent_ns, box_count, label_count, score_count, point_count, \
        polyline_count, text_size = RESULT_HEAD.unpack_from(body)
    _check_counts(kind, box_count, label_count, score_count, point_count, polyline_count,
                  text_size)
    r = _Reader(body, kind)
    r.take(RESULT_HEAD.size, "head")
    boxes = _boxes(r, box_count)
    scores = _scores(r, score_count)
    points = _pairs(r.values("i", 2 * point_count, "points"))
    polylines = _polylines(r, polyline_count)
    labels = _labels(r, label_count)
    text = r.text(text_size, "text")
    if r.at != len(body):
        raise ProtocolMismatch(f"{kind}: {len(body) - r.at} bytes follow its text")
    return ResultMsg(seq, capture_ns, sent_ns, boxes, labels, scores, points, polylines, text)
