"""What send_result() makes of its arguments (every rule, checked before anything is sent),
and how results wait for a reader."""

from typing import Any, Dict

import numpy as np
import pytest

from framebridge import _protocol as P
from framebridge.results import KEPT_RESULTS, ResultInbox, Sender, result_message


def decoded(**fields: Any) -> P.ResultMsg:
    message, _ = P.decode(result_message(41, 1000, 2000, **fields))
    assert isinstance(message, P.ResultMsg)
    return message


def test_every_field_is_encoded_as_a_result_of_the_frame() -> None:
    sut = decoded(boxes=[(10, 20, 30, 40)], labels=["face"], scores=[0.5], points=[(1, 2)],
                  polylines=[[(0, 0), (5, 5)]], text="1 face")

    assert sut == P.ResultMsg(41, 1000, 2000, [(10, 20, 30, 40)], ["face"], [0.5], [(1, 2)],
                              [[(0, 0), (5, 5)]], "1 face")


def test_nothing_found_is_an_empty_result() -> None:
    assert decoded() == P.ResultMsg(41, 1000, 2000)


@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int32, np.int64, np.uint64,
                                   np.float16, np.float32, np.float64])
def test_arrays_of_any_int_or_float_dtype_are_taken(dtype: Any) -> None:
    boxes = np.array([[1, 2, 3, 4], [5, 6, 7, 8]], dtype)

    assert decoded(boxes=boxes).boxes == [(1, 2, 3, 4), (5, 6, 7, 8)]


def test_floats_are_rounded_to_whole_pixels() -> None:
    sut = decoded(boxes=np.array([[1.4, 2.6, 3.5, 4.5]]), points=[(-0.6, 2147483646.9)])

    assert sut.boxes == [(1, 3, 4, 4)] and sut.points == [(-1, 2147483647)]


def test_opencv_contours_and_corners_are_taken_as_they_come() -> None:
    contour = np.array([[[0, 0]], [[10, 0]], [[10, 10]]], np.int32)  # (N, 1, 2)
    corners = np.array([[[1.0, 2.0]]], np.float32)

    sut = decoded(polylines=(contour,), points=corners)

    assert sut.polylines == [[(0, 0), (10, 0), (10, 10)]] and sut.points == [(1, 2)]


@pytest.mark.parametrize("field, value", [
    ("boxes", [(-2**31, 2**31 - 1, 0, 2**31 - 1)] * 1024), ("points", np.zeros((4096, 2))),
    ("polylines", [np.ones((16, 2))] * 256), ("polylines", [np.ones((4096, 2))]),
    ("text", "é" * 512),
], ids=["1024 boxes", "4096 points", "256 polylines", "a polyline of 4096 points",
        "1024 bytes of text"])
def test_the_largest_values_and_counts_are_accepted(field: str, value: Any) -> None:
    sut = decoded(**{field: value})

    assert len(getattr(sut, field)) == len(value)


def test_labels_take_any_text_of_up_to_64_bytes() -> None:
    assert decoded(boxes=[(0, 0, 1, 1)] * 2, labels=["", "é" * 32]).labels == ["", "é" * 32]


REFUSED: Dict[str, Dict[str, Any]] = {
    "a box of 3 numbers": dict(
        fields=dict(boxes=[(1, 2, 3, 4), (1, 2, 3)]),
        match=r"boxes\[1\] = \(1, 2, 3\): a box is 4 numbers, \(x, y, w, h\)"),
    "one box, not a list of boxes": dict(
        fields=dict(boxes=(1, 2, 3, 4)), match=r"boxes\[0\] = 1: a box is 4 numbers"),
    "a box of text": dict(
        fields=dict(boxes=[("a", 2, 3, 4)]), match=r"boxes\[0\] = \('a', 2, 3, 4\)"),
    "an array of the wrong shape": dict(
        fields=dict(points=np.zeros((3, 3))), match=r"points\[0\] = .*: a point is 2 numbers"),
    "NaN": dict(
        fields=dict(boxes=[(0, 0, 1, 1), (1.0, float("nan"), 3, 4)]),
        match=r"boxes\[1\] = \(1.0, nan, 3.0, 4.0\): NaN and infinity are not coordinates"),
    "infinity": dict(
        fields=dict(points=np.array([[0, np.inf]])),
        match=r"points\[0\] = \(0.0, inf\): NaN and infinity"),
    "a coordinate beyond int32": dict(
        fields=dict(points=[(0, 0), (2**31, 0)]),
        match=r"points\[1\] = \(2147483648, 0\): a coordinate is outside int32 "
              r"\(-2147483648 to 2147483647\)"),
    "a float that rounds beyond int32": dict(
        fields=dict(points=[(-2147483648.6, 0.0)]), match=r"points\[0\] = .*outside int32"),
    "a Python int beyond int64": dict(
        fields=dict(boxes=[(2**70, 0, 1, 1)]), match=r"boxes\[0\] = .*outside int32"),
    "a negative width": dict(
        fields=dict(boxes=[(0, 0, 1, 1), (5, 5, -4, 2)]),
        match=r"boxes\[1\] = \(5, 5, -4, 2\): a box's width and height are 0 or more"),
    "a negative height": dict(
        fields=dict(boxes=np.array([[5, 5, 4, -2]])), match=r"boxes\[0\] = \(5, 5, 4, -2\)"),
    "too many boxes": dict(
        fields=dict(boxes=np.zeros((1025, 4))),
        match=r"boxes: 1025 boxes, at most 1024 in one result"),
    "too many points": dict(
        fields=dict(points=np.zeros((4097, 2))),
        match=r"points: 4097 points, at most 4096 in one result"),
    "too many polylines": dict(
        fields=dict(polylines=[[(0, 0)]] * 257),
        match=r"polylines: 257 polylines, at most 256 in one result"),
    "too many points in one polyline": dict(
        fields=dict(polylines=[[(0, 0)], np.zeros((4097, 2))]),
        match=r"polylines\[1\]: 4097 points, at most 4096"),
    "too many polyline points in all": dict(
        fields=dict(polylines=[np.zeros((3000, 2)), np.zeros((1097, 2))]),
        match=r"polylines: 4097 points in all, at most 4096 in one result"),
    "an empty polyline": dict(
        fields=dict(polylines=[[(0, 0)], []]),
        match=r"polylines\[1\] is empty: a polyline has 1 to 4096 points"),
    "a bad point in a polyline": dict(
        fields=dict(polylines=[[(0, 0)], [(1, 1), (2, float("nan"))]]),
        match=r"polylines\[1\]\[1\] = \(2.0, nan\): NaN"),
    "labels for no box": dict(
        fields=dict(labels=["face"]), match=r"labels: 1 labels for 0 boxes; give one per box"),
    "fewer labels than boxes": dict(
        fields=dict(boxes=[(0, 0, 1, 1)] * 3, labels=["a", "b"]),
        match=r"labels: 2 labels for 3 boxes"),
    "one string for labels": dict(
        fields=dict(boxes=[(0, 0, 1, 1)] * 4, labels="face"),
        match=r"labels = 'face': give a list of str, one per box"),
    "a label that is no str": dict(
        fields=dict(boxes=[(0, 0, 1, 1)], labels=[7]), match=r"labels\[0\] = 7: give a str"),
    "a label over 64 bytes": dict(
        fields=dict(boxes=[(0, 0, 1, 1)] * 2, labels=["ok", "é" * 33]),
        match=r"labels\[1\] = .*: 66 UTF-8 bytes, at most 64"),
    "a control character in a label": dict(
        fields=dict(boxes=[(0, 0, 1, 1)], labels=["a\tb"]),
        match=r"labels\[0\] = 'a\\tb': control character 0x09"),
    "more scores than boxes": dict(
        fields=dict(boxes=[(0, 0, 1, 1)], scores=[0.5, 0.6]),
        match=r"scores: 2 scores for 1 boxes; give one per box, or none"),
    "a NaN score": dict(
        fields=dict(boxes=[(0, 0, 1, 1)] * 2, scores=[0.5, float("nan")]),
        match=r"scores\[1\] = nan: a score is a finite number that fits a 32-bit float"),
    "a score beyond float32": dict(
        fields=dict(boxes=[(0, 0, 1, 1)], scores=[1e39]), match=r"scores\[0\] = 1e\+39"),
    "scores that are no numbers": dict(
        fields=dict(boxes=[(0, 0, 1, 1)], scores=["high"]),
        match=r"scores = \['high'\]: give numbers"),
    "a text of two lines": dict(
        fields=dict(text="2 faces\nand a cat"), match=r"text = .*: control character 0x0a"),
    "a text over 1024 bytes": dict(
        fields=dict(text="x" * 1025), match=r"text = .*: 1025 UTF-8 bytes, at most 1024"),
    "a text that is no UTF-8": dict(
        fields=dict(text="\ud800"), match=r"text = .*: not UTF-8 text"),
    "a text that is no str": dict(
        fields=dict(text=b"bytes"), match=r"text = b'bytes': give a str"),
    "a body over 64 KiB": dict(
        fields=dict(boxes=np.zeros((1024, 4)), labels=["x" * 64] * 1024),
        match=r"the result is 82992 bytes, over the 65536-byte limit of one result"),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=list(REFUSED))
def test_a_bad_result_is_a_value_error_naming_the_field_the_item_and_the_rule(
        case: Dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=case["match"]):
        result_message(41, 1000, 2000, **case["fields"])


def result_from(seq: int, skipped: int = 0) -> P.ResultFrom:
    return P.ResultFrom(3, skipped, 99, "faces", P.ResultMsg(seq, 10, 20, text=f"r{seq}"))


def test_a_kept_result_carries_every_field_and_its_sender() -> None:
    sut = ResultInbox()
    sut.add(P.ResultFrom(3, 2, 99, "faces", P.ResultMsg(
        41, 10, 20, [(1, 2, 3, 4)], ["face"], [0.5], [(5, 6)], [[(7, 8)]], "1 face")))

    result = sut.take()

    assert result is not None
    assert (result.seq, result.sender, result.boxes, result.labels, result.scores,
            result.points, result.polylines, result.text, result.capture_ns, result.sent_ns,
            result.received_ns, result.skipped) == (
        41, Sender("faces", 3), [(1, 2, 3, 4)], ["face"], [0.5], [(5, 6)], [[(7, 8)]],
        "1 face", 10, 20, 99, 2)
    assert sut.take() is None and sut.skipped == 2


def test_the_newest_results_are_kept_and_the_dropped_ones_counted_in_the_next() -> None:
    sut = ResultInbox()
    for seq in range(1, KEPT_RESULTS + 4):
        sut.add(result_from(seq, skipped=1 if seq == 2 else 0))  # the server skipped one

    taken = [sut.take() for _ in range(KEPT_RESULTS)]

    assert [r.seq for r in taken if r] == list(range(4, KEPT_RESULTS + 4))
    assert [r.skipped for r in taken if r] == [4] + [0] * (KEPT_RESULTS - 1)  # 1, 2, 3, and 1
    assert sut.skipped == 4 and sut.take() is None
