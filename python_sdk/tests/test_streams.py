"""Reading a stream by name: fb.connect(stream=), client.stream, StreamNotFound, source_seq
(against a fake server; test_streams_e2e.py runs the real one)."""

import socket
from typing import Callable, List

import pytest

import framebridge as fb
from fakes import FakeSegment, Peer
from framebridge import _protocol as P

W, H, STRIDE = 32, 16, 128
NOT_FOUND = "no stream named 'side' on this server; it has: front, back"


@pytest.fixture
def fake(make_segment: Callable[..., FakeSegment]) -> FakeSegment:
    return make_segment()


def greet(peer: Peer, fake: FakeSegment, stream: str) -> P.Hello:
    hello = peer.recv()
    assert isinstance(hello, P.Hello)
    peer.send(fake.welcome(stream=stream))
    return hello


def test_the_stream_asked_for_is_named_in_hello_and_welcome(serve, fake: FakeSegment) -> None:
    hellos: List[P.Hello] = []

    def script(peer: Peer) -> None:
        hellos.append(greet(peer, fake, "back"))
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port, stream="back") as sut:
        assert sut.stream == "back"
        assert "back" in repr(sut)
    server.stop()
    assert hellos[0].stream == "back"


def test_no_stream_asks_for_the_servers_first_and_says_which_it_is(serve,
                                                                   fake: FakeSegment) -> None:
    hellos: List[P.Hello] = []

    def script(peer: Peer) -> None:
        hellos.append(greet(peer, fake, "front"))
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        assert sut.stream == "front"
    server.stop()
    assert hellos[0].stream == ""


def test_an_unknown_stream_is_stream_not_found_listing_the_servers_streams(serve) -> None:
    def script(peer: Peer) -> None:
        peer.recv()
        peer.send(P.Error(P.ErrorCode.STREAM_NOT_FOUND, NOT_FOUND))

    server = serve(script)
    with pytest.raises(fb.StreamNotFound, match="it has: front, back.*stream=") as raised:
        fb.connect(port=server.port, stream="side")
    assert raised.value.names == ["front", "back"]
    assert isinstance(raised.value, fb.FrameBridgeError)


def test_stream_not_found_whose_text_lists_nothing_has_no_names(serve) -> None:
    def script(peer: Peer) -> None:
        peer.recv()
        peer.send(P.Error(P.ErrorCode.STREAM_NOT_FOUND, "no such stream"))

    server = serve(script)
    with pytest.raises(fb.StreamNotFound, match="no such stream") as raised:
        fb.connect(port=server.port, stream="side")
    assert raised.value.names == []


def test_a_welcome_to_another_stream_than_asked_is_a_protocol_mismatch(
        serve, fake: FakeSegment) -> None:
    server = serve(lambda peer: greet(peer, fake, "front"))

    with pytest.raises(fb.ProtocolMismatch, match="asked for stream 'back'.*to 'front'"):
        fb.connect(port=server.port, stream="back")


@pytest.mark.parametrize("stream", ["", ".hidden", "a/b", "x" * 31, "caméra", 7])
def test_a_name_that_breaks_the_rule_is_a_value_error_before_connecting(stream: object) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # nothing listens: connecting would fail otherwise
        with pytest.raises(ValueError, match="not a stream name: use 1 to 30 of"):
            fb.connect(port=closed.getsockname()[1], stream=stream)  # type: ignore[arg-type]


def test_a_frame_carries_the_source_seq_of_the_frame_it_was_made_from(
        serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        greet(peer, fake, "edges")
        assert peer.recv() == P.Request(0)
        peer.send(fake.publish(1, 5, W, H, STRIDE, capture_ns=11, source_seq=41))
        assert isinstance(peer.recv(), P.Release)
        assert peer.recv() == P.Request(5)
        peer.send(fake.publish(2, 6, W, H, STRIDE))
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port, stream="edges") as sut:
        with sut.latest(timeout=5) as made:
            assert (made.source_seq, made.capture_ns) == (41, 11)
        with sut.latest(timeout=5) as plain:
            assert plain.source_seq == 0


def test_reconnect_comes_back_to_the_stream_it_read_by_name(
        make_segment: Callable[..., FakeSegment], serve) -> None:
    fake = make_segment()
    hellos: List[P.Hello] = []

    def script(peer: Peer) -> None:
        hellos.append(greet(peer, fake, "back"))
        assert isinstance(peer.recv(), P.Request)
        peer.send(fake.publish(0, len(hellos), W, H, STRIDE))
        if len(hellos) == 2:
            peer.wait_closed()

    server = serve(script, connections=2)
    with fb.connect(port=server.port, reconnect=True) as sut:
        sut.latest(timeout=5).release()
        sut.latest(timeout=5).release()
        assert sut.reconnects == 1
    server.stop()
    assert [hello.stream for hello in hellos] == ["", "back"]


def test_reconnect_waits_for_a_stream_not_there_yet(
        make_segment: Callable[..., FakeSegment], serve) -> None:
    fake = make_segment()
    connection = [0]

    def script(peer: Peer) -> None:
        connection[0] += 1
        if connection[0] == 2:  # the server came back, the publisher of "edges" not yet
            peer.recv()
            peer.send(P.Error(P.ErrorCode.STREAM_NOT_FOUND, "no stream named 'edges'"))
            return
        greet(peer, fake, "edges")
        assert isinstance(peer.recv(), P.Request)
        peer.send(fake.publish(0, connection[0], W, H, STRIDE))
        if connection[0] == 3:
            peer.wait_closed()

    server = serve(script, connections=3)
    with fb.connect(port=server.port, stream="edges", reconnect=True) as sut:
        sut.latest(timeout=5).release()
        with sut.latest(timeout=5) as frame:
            assert frame.seq == 3 and sut.reconnects == 1
