"""fb.list_streams() against a fake server (test_streams_e2e.py runs the real one)."""

import dataclasses
from typing import List

import pytest

import framebridge as fb
from fakes import FakeSegment, Peer
from framebridge import _protocol as P

FRONT = P.StreamEntry(640, 480, 1, 1, 29970, 2, 41, "front")
EDGES = P.StreamEntry(640, 480, 2, 2, 0, 0, 0, "edges")


def answer_list(fake: FakeSegment, entries: List[P.StreamEntry], seen: List[P.Message]):
    def script(peer: Peer) -> None:
        seen.append(peer.recv())
        peer.send(fake.welcome())
        peer.send(P.Stream(P.StreamState.LOST, "camera unplugged"))  # a notice comes first
        seen.append(peer.recv())
        peer.send(P.Streams(entries))
        peer.wait_closed()
    return script


def test_every_stream_is_listed_in_the_servers_order(serve, make_segment) -> None:
    seen: List[P.Message] = []
    server = serve(answer_list(make_segment(), [FRONT, EDGES], seen))

    streams = fb.list_streams(port=server.port)

    assert streams == [
        fb.StreamInfo("front", 640, 480, fb.PixelFormat.BGR8, 29.97, "capture", 2, 41),
        fb.StreamInfo("edges", 640, 480, fb.PixelFormat.GRAY8, 0.0, "client", 0, 0)]
    assert isinstance(seen[0], P.Hello) and seen[0].stream == ""
    server.stop()
    assert seen[1] == P.ListStreams()


def test_stream_info_is_frozen(serve, make_segment) -> None:
    server = serve(answer_list(make_segment(), [FRONT], []))
    info = fb.list_streams(port=server.port)[0]

    with pytest.raises(dataclasses.FrozenInstanceError):
        info.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize("entry, problem", [
    (dataclasses.replace(FRONT, pixel_format=9), "pixel_format 9"),
    (dataclasses.replace(FRONT, producer=3), "producer 3"),
])
def test_a_value_this_sdk_does_not_know_is_a_protocol_mismatch(
        serve, make_segment, entry: P.StreamEntry, problem: str) -> None:
    server = serve(answer_list(make_segment(), [entry], []))

    with pytest.raises(fb.ProtocolMismatch, match=f"'front' with .*{problem}"):
        fb.list_streams(port=server.port)


def test_a_token_is_sent_in_the_hello(serve, make_segment) -> None:
    seen: List[P.Message] = []
    server = serve(answer_list(make_segment(), [], seen))

    assert fb.list_streams(port=server.port, token="s3cret") == []
    assert isinstance(seen[0], P.Hello) and seen[0].token == "s3cret"


def test_no_answer_in_time_is_a_timeout(serve, make_segment) -> None:
    fake = make_segment()

    def script(peer: Peer) -> None:
        peer.recv()
        peer.send(fake.welcome())
        peer.wait_closed()

    server = serve(script)
    with pytest.raises(fb.Timeout, match="did not answer LIST"):
        fb.list_streams(port=server.port, timeout=0.2)
