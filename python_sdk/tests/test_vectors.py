"""The checked-in test vectors (tests/vectors/), which the C++ tests read too: the SDK must
encode and decode every wire message, and read a segment header and a slot descriptor, byte
for byte as they say."""

import dataclasses
import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

from fakes import write_fields
from framebridge import _layout as L
from framebridge import _protocol as P

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"
MESSAGE_CLASSES = {"HELLO": P.Hello, "WELCOME": P.Welcome, "ERROR": P.Error,
                   "REQUEST": P.Request, "FRAME": P.FrameMsg, "RELEASE": P.Release,
                   "STREAM": P.Stream, "SEGMENT": P.Segment, "LIST": P.ListStreams,
                   "STREAMS": P.Streams, "PUBLISH": P.Publish, "PUBLISHING": P.Publishing,
                   "WRITE": P.Write, "SLOT": P.Slot, "DONE": P.Done, "CANCEL": P.Cancel,
                   "RESULT": P.ResultMsg, "WATCH": P.Watch, "RESULT_FROM": P.ResultFrom,
                   "SPIN": P.Spin, "CELL": P.Cell}


def load(name: str) -> Dict[str, Any]:
    return dict(json.loads((VECTORS / name).read_text(encoding="utf-8")))


WIRE: List[Dict[str, Any]] = load("wire.json")["messages"]
SEGMENT = load("segment.json")
TABLES = {"header": (L.HEADER_FIELDS, L.HEADER_SIZE),
          "descriptor": (L.DESCRIPTOR_FIELDS, L.DESCRIPTOR_SIZE)}


def vector_bytes(vector: Dict[str, Any]) -> bytes:
    return bytes.fromhex(vector["bytes"])


def vector_message(vector: Dict[str, Any]) -> P.Message:
    """The vector's fields as a message (a STREAMS vector lists its entries as objects, a
    RESULT_FROM vector its result)."""
    fields = dict(vector["fields"])
    if vector["type"] == "STREAMS":
        fields["streams"] = [P.StreamEntry(**entry) for entry in fields["streams"]]
    if vector["type"] == "RESULT_FROM":
        fields["result"] = P.ResultMsg(**fields["result"])
    return MESSAGE_CLASSES[vector["type"]](**fields)  # type: ignore[no-any-return]


def as_json(message: object) -> Any:
    """A decoded message's fields as JSON has them: tuples (a box, a point) become lists."""
    return json.loads(json.dumps(dataclasses.asdict(message)))  # type: ignore[call-overload]


def test_there_is_a_vector_of_every_message_type() -> None:
    assert {vector["type"] for vector in WIRE} == {t.name for t in P.MessageType}


@pytest.mark.parametrize("vector", WIRE, ids=lambda v: v["name"])
def test_each_message_encodes_to_the_vectors_bytes(vector: Dict[str, Any]) -> None:
    message = vector_message(vector)

    assert P.encode(message).hex() == vector_bytes(vector).hex()


@pytest.mark.parametrize("vector", WIRE, ids=lambda v: v["name"])
def test_the_vectors_bytes_decode_to_its_fields(vector: Dict[str, Any]) -> None:
    data = vector_bytes(vector)

    message, used = P.decode(data)

    assert type(message) is MESSAGE_CLASSES[vector["type"]]
    assert as_json(message) == vector["fields"]
    assert used == len(data)


@pytest.mark.parametrize("part", sorted(TABLES))
def test_the_segment_vectors_bytes_read_as_its_fields(part: str) -> None:
    fields, size = TABLES[part]
    data = vector_bytes(SEGMENT[part])

    assert len(data) == size
    assert L.read_fields(data, fields) == SEGMENT[part]["fields"]


@pytest.mark.parametrize("part", sorted(TABLES))
def test_the_segment_vectors_fields_written_as_the_producer_does_give_its_bytes(
        part: str) -> None:
    fields, size = TABLES[part]
    data = bytearray(size)

    write_fields(data, fields, SEGMENT[part]["fields"])
    if "metadata" in SEGMENT[part]:
        block = L.metadata_block(SEGMENT[part]["metadata"])
        data[L.METADATA_REPORTED_OFFSET:L.METADATA_REPORTED_OFFSET + len(block)] = block

    assert data.hex() == vector_bytes(SEGMENT[part]).hex()


def test_the_descriptor_vectors_bytes_read_as_its_metadata_and_no_other_key() -> None:
    assert L.read_metadata(vector_bytes(SEGMENT["descriptor"])) == \
        SEGMENT["descriptor"]["metadata"]
