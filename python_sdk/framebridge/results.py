"""Results: what a script found in a frame (boxes, labels, scores, points, polylines, a line
of text), sent to the server with client.send_result() and read back by any client of the
stream with client.results(). docs/wire-protocol.md, "Results"."""

import collections
from dataclasses import dataclass
from typing import Any, Deque, List, NamedTuple, Optional

import numpy as np

from . import _protocol as P
from ._result_codec import (MAX_RESULT_BOXES, MAX_RESULT_LABEL_BYTES, MAX_RESULT_POINTS,
                            MAX_RESULT_POLYLINE_POINTS, MAX_RESULT_POLYLINES,
                            MAX_RESULT_TEXT_BYTES, Box, Point, ResultMsg)

KEPT_RESULTS = 8  # results kept for a client that does not read them: the newest
_INT32 = (-2**31, 2**31 - 1)
_FLOAT32_MAX = float(np.finfo(np.float32).max)
_SHAPES = {"box": "(x, y, w, h)", "point": "(x, y)"}


class Sender(NamedTuple):
    """The client that sent a result: its HELLO name and the server's client_id for it."""

    name: str
    id: int


@dataclass(frozen=True)
class Result:
    """A result a client sent for a frame of the stream this client reads.

    seq: the frame it is about (frame.seq); capture_ns that frame's capture time (0 when the
        sender did not know it), sent_ns when the sender sent it, received_ns when the server
        read it: all time.perf_counter_ns() of this host.
    boxes: (x, y, w, h) tuples; labels and scores: none, or one per box; points: (x, y)
        tuples; polylines: lists of (x, y) tuples. Whole pixels of the frame, x to the right
        and y down from its top-left corner.
    skipped: results on the stream this client did not get since the previous one, because
        it read them too slowly (the newest are kept).
    """

    seq: int
    sender: Sender
    boxes: List[Box]
    labels: List[str]
    scores: List[float]
    points: List[Point]
    polylines: List[List[Point]]
    text: str
    capture_ns: int
    sent_ns: int
    received_ns: int
    skipped: int


class ResultInbox:
    """The results that came while nobody read them: the newest KEPT_RESULTS; each one
    dropped is counted in the next Result's skipped and in skipped."""

    def __init__(self) -> None:
        self._waiting: Deque[P.ResultFrom] = collections.deque()
        self._carried = 0  # skipped by the results dropped here, for the next Result
        self.skipped = 0  # every result this client did not get

    def __len__(self) -> int:
        return len(self._waiting)

    def add(self, message: P.ResultFrom) -> None:
        self.skipped += message.skipped
        if len(self._waiting) == KEPT_RESULTS:
            dropped = self._waiting.popleft()
            self._carried += 1 + dropped.skipped
            self.skipped += 1
        self._waiting.append(message)

    def take(self) -> Optional[Result]:
        """The oldest result kept, or None."""
        if not self._waiting:
            return None
        m = self._waiting.popleft()
        skipped, self._carried = m.skipped + self._carried, 0
        r = m.result
        return Result(r.seq, Sender(m.sender_name, m.sender_id), r.boxes, r.labels, r.scores,
                      r.points, r.polylines, r.text, r.capture_ns, r.sent_ns, m.received_ns,
                      skipped)


def _row_text(row: np.ndarray) -> str:
    return repr(tuple(row.tolist()))


def _first(bad: np.ndarray) -> int:
    return int(np.flatnonzero(bad.reshape(len(bad), -1).any(axis=1))[0])


def _shape_error(value: Any, field: str, item: str) -> ValueError:
    """Where a sequence of items is not a table of numbers: the first item that is not."""
    width = 4 if item == "box" else 2
    try:
        rows = list(value)
    except TypeError:
        rows = [value]
    for index, row in enumerate(rows):
        try:
            good = len(row) == width and all(
                isinstance(v, (int, float, np.integer, np.floating))
                and not isinstance(v, (bool, np.bool_)) for v in row)
        except TypeError:
            good = False
        if not good:
            return ValueError(f"{field}[{index}] = {row!r}: a {item} is {width} numbers, "
                              f"{_SHAPES[item]}")
    return ValueError(f"{field} = {value!r}: give a list of {_SHAPES[item]}, or an "
                      f"N x {width} array of numbers")


def _rows(value: Any, field: str, item: str, limit: int) -> List[Any]:
    """value as a list of whole-pixel tuples of int32, or ValueError naming the first bad
    one. An (N, 1, 2) array, OpenCV's layout of contours and corners, counts as (N, 2)."""
    width = 4 if item == "box" else 2
    try:
        table = np.asarray(value)
    except (ValueError, TypeError):
        raise _shape_error(value, field, item) from None
    if table.size == 0:
        return []
    if table.dtype.kind == "O":  # Python ints beyond int64, or items that are no numbers
        try:
            table = table.astype(np.float64)
        except (ValueError, TypeError, OverflowError):
            raise _shape_error(value, field, item) from None
    if table.ndim == 3 and table.shape[1:] == (1, width):
        table = table.reshape(-1, width)
    if table.ndim != 2 or table.shape[1] != width or table.dtype.kind not in "iuf":
        raise _shape_error(value, field, item)
    if len(table) > limit:
        plural = "boxes" if item == "box" else "points"
        raise ValueError(f"{field}: {len(table)} {plural}, at most {limit} in one result")
    if table.dtype.kind == "f":
        bad = ~np.isfinite(table)
        if bad.any():
            index = _first(bad)
            raise ValueError(f"{field}[{index}] = {_row_text(table[index])}: NaN and infinity "
                             f"are not coordinates")
        table = np.rint(table)
    outside = (table < _INT32[0]) | (table > _INT32[1])
    if outside.any():
        index = _first(outside)
        raise ValueError(f"{field}[{index}] = {_row_text(table[index])}: a coordinate is "
                         f"outside int32 ({_INT32[0]} to {_INT32[1]})")
    whole = table.astype(np.int64)
    if item == "box" and (whole[:, 2:] < 0).any():
        index = _first(whole[:, 2:] < 0)
        raise ValueError(f"{field}[{index}] = {_row_text(whole[index])}: a box's width and "
                         f"height are 0 or more")
    return list(map(tuple, whole.tolist()))


def _polylines(value: Any) -> List[List[Point]]:
    lines = list(value)
    if len(lines) > MAX_RESULT_POLYLINES:
        raise ValueError(f"polylines: {len(lines)} polylines, at most {MAX_RESULT_POLYLINES} "
                         f"in one result")
    polylines: List[List[Point]] = []
    for index, line in enumerate(lines):
        points = _rows(line, f"polylines[{index}]", "point", MAX_RESULT_POLYLINE_POINTS)
        if not points:
            raise ValueError(f"polylines[{index}] is empty: a polyline has 1 to "
                             f"{MAX_RESULT_POLYLINE_POINTS} points")
        polylines.append(points)
    total = sum(len(line) for line in polylines)
    if total > MAX_RESULT_POLYLINE_POINTS:
        raise ValueError(f"polylines: {total} points in all, at most "
                         f"{MAX_RESULT_POLYLINE_POINTS} in one result")
    return polylines


def _line(value: Any, field: str, limit: int) -> str:
    """One line of text: a str of at most limit UTF-8 bytes without control characters."""
    if not isinstance(value, str):
        raise ValueError(f"{field} = {value!r}: give a str")
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise ValueError(f"{field} = {value!r}: not UTF-8 text ({exc.reason})") from None
    if size > limit:
        raise ValueError(f"{field} = {value[:40]!r}...: {size} UTF-8 bytes, at most {limit}")
    control = next((c for c in value if ord(c) < 0x20), None)
    if control is not None:
        raise ValueError(f"{field} = {value!r}: control character {ord(control):#04x}; "
                         f"give one line of printable text")
    return value


def _labels(value: Any, boxes: int) -> List[str]:
    if isinstance(value, (str, bytes)):
        raise ValueError(f"labels = {value!r}: give a list of str, one per box")
    labels = [_line(label, f"labels[{index}]", MAX_RESULT_LABEL_BYTES)
              for index, label in enumerate(value)]
    if len(labels) not in (0, boxes):
        raise ValueError(f"labels: {len(labels)} labels for {boxes} boxes; give one per "
                         f"box, or none")
    return labels


def _scores(value: Any, boxes: int) -> List[float]:
    try:
        scores = np.asarray(value, dtype=np.float64)
    except (ValueError, TypeError):
        raise ValueError(f"scores = {value!r}: give numbers, one per box") from None
    if scores.ndim != 1 or len(scores) not in (0, boxes):
        raise ValueError(f"scores: {scores.size} scores for {boxes} boxes; give one per "
                         f"box, or none")
    bad = ~np.isfinite(scores) | (np.abs(scores) > _FLOAT32_MAX)
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        raise ValueError(f"scores[{index}] = {scores[index]!r}: a score is a finite number "
                         f"that fits a 32-bit float")
    return list(scores.tolist())


def result_message(seq: int, capture_ns: int, sent_ns: int, *, boxes: Any = (),
                   labels: Any = (), scores: Any = (), points: Any = (),
                   polylines: Any = (), text: str = "") -> bytes:
    """RESULT, encoded, after every rule is checked (ValueError names the field, the item
    and its value, and says the rule)."""
    box_rows = _rows(boxes, "boxes", "box", MAX_RESULT_BOXES)
    message = ResultMsg(seq, capture_ns, sent_ns, box_rows, _labels(labels, len(box_rows)),
                        _scores(scores, len(box_rows)),
                        _rows(points, "points", "point", MAX_RESULT_POINTS),
                        _polylines(polylines), _line(text, "text", MAX_RESULT_TEXT_BYTES))
    data = P.encode(message)
    if len(data) - P.HEADER_SIZE > P.MAX_RESULT_BODY_SIZE:
        raise ValueError(f"the result is {len(data) - P.HEADER_SIZE} bytes, over the "
                         f"{P.MAX_RESULT_BODY_SIZE}-byte limit of one result (a box takes 16 "
                         f"bytes, a score 4, a point 8, a label 1 + its size): send fewer")
    return data
