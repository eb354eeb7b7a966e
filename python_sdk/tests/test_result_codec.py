"""RESULT, WATCH and RESULT_FROM as the SDK reads them: every rule of docs/wire-protocol.md's
Results section refused, as the server's parser refuses it."""

import struct
from typing import Callable, Dict, Tuple

import pytest

from framebridge import _protocol as P
from framebridge._result_codec import RESULT_HEAD, ResultMsg, decode_result, encode_result
from framebridge.errors import ProtocolMismatch

GOOD = ResultMsg(41, 1000, 2000, [(1, 2, 3, 4), (5, 6, 7, 8)], ["a", "b"], [0.5, 0.25],
                 [(9, 10)], [[(0, 0), (1, 1)], [(2, 2)]], "two")
BOXES_AT = RESULT_HEAD.size
SCORES_AT = BOXES_AT + 2 * 16
POLYLINE_SIZES_AT = SCORES_AT + 2 * 4 + 8
LABELS_AT = POLYLINE_SIZES_AT + 2 * 4 + 3 * 8


def header(body_size: int, message_type: int) -> bytes:
    return struct.pack("<IHH", body_size, message_type, 0)


def with_head(**changes: int) -> bytes:
    """GOOD's body with fields of its head changed."""
    body = encode_result(GOOD)
    head = dict(zip(("seq", "capture_ns", "sent_ns", "box_count", "label_count", "score_count",
                     "point_count", "polyline_count", "text_size"),
                    RESULT_HEAD.unpack_from(body)))
    head.update(changes)
    return RESULT_HEAD.pack(*head.values()) + body[RESULT_HEAD.size:]


def patched(at: int, data: bytes) -> bytes:
    body = encode_result(GOOD)
    return body[:at] + data + body[at + len(data):]


def test_a_good_body_reads_back_whole() -> None:
    assert decode_result(encode_result(GOOD)) == GOOD


BAD_BODIES: Dict[str, Tuple[Callable[[], bytes], str]] = {
    "too many boxes": (lambda: with_head(box_count=1025),
                       "RESULT box_count 1025 is over the limit of 1024"),
    "labels for some boxes": (lambda: with_head(label_count=1),
                              "RESULT label_count 1 is neither 0 nor the box_count 2"),
    "scores for some boxes": (lambda: with_head(score_count=3),
                              "RESULT score_count 3 is neither 0 nor the box_count 2"),
    "too many points": (lambda: with_head(point_count=4097),
                        "RESULT point_count 4097 is over the limit of 4096"),
    "too many polylines": (lambda: with_head(polyline_count=257),
                           "RESULT polyline_count 257 is over the limit of 256"),
    "too much text": (lambda: with_head(text_size=1025),
                      "RESULT text_size 1025 is over the limit of 1024"),
    "a negative width": (lambda: patched(BOXES_AT + 16 + 8, struct.pack("<i", -4)),
                         "RESULT box 1 has a negative width -4"),
    "a negative height": (lambda: patched(BOXES_AT + 12, struct.pack("<i", -1)),
                          "RESULT box 0 has a negative height -1"),
    "a NaN score": (lambda: patched(SCORES_AT + 4, struct.pack("<f", float("nan"))),
                    "RESULT score 1 is nan"),
    "an infinite score": (lambda: patched(SCORES_AT, struct.pack("<f", float("-inf"))),
                          "RESULT score 0 is -inf"),
    "an empty polyline": (lambda: patched(POLYLINE_SIZES_AT + 4, struct.pack("<I", 0)),
                          "RESULT polyline 1 has 0 points, not 1 to 4096"),
    "a polyline of 4097 points": (lambda: patched(POLYLINE_SIZES_AT, struct.pack("<I", 4097)),
                                  "RESULT polyline 0 has 4097 points"),
    "polylines of 4097 points in all": (
        lambda: patched(POLYLINE_SIZES_AT, struct.pack("<II", 4000, 97)),
        "RESULT polylines have 4097 points in all, over the limit of 4096"),
    "polyline points past the end": (
        lambda: patched(POLYLINE_SIZES_AT, struct.pack("<I", 100)),
        "RESULT polyline_points runs past the end"),
    "a label over 64 bytes": (lambda: patched(LABELS_AT, bytes([65])),
                              "RESULT label 0 is 65 bytes, over the limit of 64"),
    "a control character in a label": (lambda: patched(LABELS_AT + 3, b"\n"),
                                       "RESULT label 1 contains control character 10"),
    "a control character in the text": (lambda: patched(LABELS_AT + 4, b"\x7f\x01"),
                                        "RESULT text contains control character 1"),
    "a label that is no UTF-8": (lambda: patched(LABELS_AT + 1, b"\xff"),
                                 "RESULT label 0 is not UTF-8 at byte 0"),
    "a text with a surrogate": (lambda: patched(LABELS_AT + 4, b"\xed\xa0\x80"),
                                "RESULT text is not UTF-8 at byte 0"),
    "bytes after the text": (lambda: encode_result(GOOD) + b"x",
                             "RESULT: 1 bytes follow its text"),
    "a text cut short": (lambda: encode_result(GOOD)[:-1], "RESULT text runs past the end"),
    "a head cut short": (lambda: encode_result(GOOD)[:40], "RESULT body of 40 bytes, "
                                                           "expected 48 to 65536"),
}


@pytest.mark.parametrize("make, error", BAD_BODIES.values(), ids=list(BAD_BODIES))
def test_a_result_body_breaking_a_rule_is_refused_naming_it(make: Callable[[], bytes],
                                                            error: str) -> None:
    body = make()

    with pytest.raises(ProtocolMismatch, match=error.replace("(", r"\(")):
        P.decode(header(len(body), P.MessageType.RESULT) + body)


def test_a_result_body_over_64_kib_is_refused_from_its_header() -> None:
    with pytest.raises(ProtocolMismatch, match="RESULT body of 65537 bytes is over the "
                                               "65536-byte limit"):
        P.decode(header(65537, P.MessageType.RESULT))


def test_a_result_from_of_the_largest_size_is_taken_and_one_byte_more_is_refused() -> None:
    assert P.decode_header(header(65624, P.MessageType.RESULT_FROM)) == (
        P.MessageType.RESULT_FROM, 65624)
    with pytest.raises(ProtocolMismatch, match="over the 65624-byte limit"):
        P.decode_header(header(65625, P.MessageType.RESULT_FROM))


@pytest.mark.parametrize("value", [2, 0xFFFFFFFF])
def test_a_watch_neither_0_nor_1_is_refused(value: int) -> None:
    with pytest.raises(ProtocolMismatch, match=f"WATCH {value} is neither 1"):
        P.decode(header(4, P.MessageType.WATCH) + struct.pack("<I", value))


def result_from_body(name: bytes, result: bytes) -> bytes:
    return struct.pack("<IIQII", 7, 0, 99, len(name), len(result)) + name + result


@pytest.mark.parametrize("body, error", [
    (result_from_body(b"n" * 65, encode_result(GOOD)), "sender_name size 65 or result size "
                                                       "135 is over its limit"),
    (result_from_body(b"", encode_result(P.ResultMsg(1, 0, 0, text="t" * 1024)) + bytes(64465)),
     "result size 65537 is over its limit"),
    (result_from_body(b"a\x1bb", encode_result(GOOD)), "sender_name contains control "
                                                       "character 27"),
    (result_from_body(b"n", encode_result(GOOD))[:-1], "sender_name and result size"),
    (result_from_body(b"n", with_head(score_count=1)), "RESULT_FROM's RESULT score_count 1"),
    (result_from_body(b"n", encode_result(GOOD)[:40]), "RESULT_FROM's RESULT of 40 bytes is "
                                                       "shorter than its 48-byte head"),
], ids=["a long name", "a result over 64 KiB", "a control character in the name",
        "a size that disagrees", "a bad result", "a result cut short"])
def test_a_bad_result_from_is_refused_naming_what(body: bytes, error: str) -> None:
    with pytest.raises(ProtocolMismatch, match=error):
        P.decode(header(len(body), P.MessageType.RESULT_FROM) + body)
