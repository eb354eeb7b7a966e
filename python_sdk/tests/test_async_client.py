"""The reading client's behaviour against a scripted server, checked on the blocking client
and on framebridge.asyncio's alike (the `api` fixture): both drive one Session."""

import socket
import time
from typing import Any, List

import pytest

import framebridge as fb
from fakes import FakeSegment, Peer
from framebridge import _protocol as P
from test_client import H, STRIDE, W, handshake


@pytest.fixture
def fake(make_segment: Any) -> FakeSegment:
    return make_segment()


def test_connection_refused_is_server_unavailable(api: Any) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        with pytest.raises(fb.ServerUnavailable, match=f"no FrameBridge server at "
                                                       f"127.0.0.1:{port} \\(connection "
                                                       f"refused\\)"):
            api.connect(port=port)


def test_the_welcome_is_shown_and_the_stream_asked_for_is_in_hello(
        api: Any, serve: Any, fake: FakeSegment) -> None:
    hellos: List[P.Hello] = []

    def script(peer: Peer) -> None:
        hellos.append(handshake(peer, fake, stream="front"))
        peer.wait_closed()

    server = serve(script)
    sut = api.connect(port=server.port, stream="front", name="cam\t1")
    assert (sut.stream, sut.segment_name, sut.session_id, sut.slot_count, sut.max_leases,
            sut.client_id) == ("front", fake.name, fake.session_id, 3, 2, 7)
    api.close(sut)
    server.stop()
    assert (hellos[0].stream, hellos[0].name) == ("front", "cam?1")


@pytest.mark.parametrize("code, error", [(5, fb.StreamNotFound), (4, fb.AccessDenied)])
def test_an_error_at_handshake_is_its_exception(api: Any, serve: Any, code: int,
                                                error: type) -> None:
    def script(peer: Peer) -> None:
        peer.recv()
        peer.send(P.Error(code, "no stream 'x'; it has: front, back"))

    with pytest.raises(error, match="no stream 'x'") as raised:
        api.connect(port=serve(script).port)
    if code == 5:
        assert raised.value.names == ["front", "back"]


def test_a_peer_that_is_no_server_is_said_so(api: Any, serve: Any) -> None:
    def script(peer: Peer) -> None:
        peer.recv()
        peer.conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n" + bytes(64))
        peer.wait_closed()

    with pytest.raises(fb.ServerUnavailable, match="is not a FrameBridge server"):
        api.connect(port=serve(script).port)


def test_a_silent_server_times_out_the_handshake(api: Any, serve: Any) -> None:
    server = serve(lambda peer: peer.wait_closed())
    with pytest.raises(fb.Timeout, match="did not answer the handshake within 0.2 s"):
        api.connect(port=server.port, timeout=0.2)


def test_a_frame_in_two_pieces_is_received_and_released(api: Any, serve: Any,
                                                        fake: FakeSegment) -> None:
    received: List[P.Message] = []

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        received.append(peer.recv())
        data = P.encode(fake.publish(2, 41, W, H, STRIDE, pixels=b"\x07" * STRIDE * H))
        peer.conn.sendall(data[:13])
        time.sleep(0.05)
        peer.conn.sendall(data[13:])
        received.extend(peer.recv() for _ in range(2))
        peer.wait_closed()

    server = serve(script)
    sut = api.connect(port=server.port)
    frame = api.latest(sut, timeout=5)
    assert frame.array.shape == (H, W, 3) and int(frame.array[H - 1, W - 1, 2]) == 7
    assert sut.newest_seq == 41
    frame.release()
    with pytest.raises(fb.Timeout):
        api.latest(sut, timeout=0.05)
    api.close(sut)
    server.stop()
    assert received[0] == P.Request(0) and received[2] == P.Request(41)
    assert isinstance(received[1], P.Release) and (received[1].slot, received[1].seq) == (2, 41)


def test_no_frame_in_time_is_a_timeout_and_the_request_stays_open(
        api: Any, serve: Any, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert peer.recv() == P.Request(0)
        time.sleep(0.5)
        peer.send(fake.publish(0, 1, W, H, STRIDE))
        assert isinstance(peer.recv(), P.Release)  # not a second REQUEST
        peer.wait_closed()

    sut = api.connect(port=serve(script).port)
    with pytest.raises(fb.Timeout, match="no frame .* within 0.05 s"):
        api.latest(sut, timeout=0.05)
    with api.latest(sut, timeout=5) as frame:
        assert frame.seq == 1
    api.close(sut)


def test_holding_max_leases_frames_refuses_another_request(api: Any, serve: Any,
                                                           make_segment: Any) -> None:
    fake = make_segment(slot_count=2)

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(fake.publish(0, 3, W, H, STRIDE))
        peer.wait_closed()

    sut = api.connect(port=serve(script).port)
    frame = api.latest(sut, timeout=5)
    with pytest.raises(fb.LeaseLimit, match=r"holds 1 frame\(s\) \(seq 3\)"):
        api.latest(sut, timeout=5)
    assert frame.valid()
    api.close(sut)


def test_iteration_releases_each_frame_and_ends_with_the_stream(api: Any, serve: Any,
                                                                fake: FakeSegment) -> None:
    received: List[P.Message] = []

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        received.append(peer.recv())
        for seq in (1, 2):
            peer.send(fake.publish(seq, seq, W, H, STRIDE))
            received.extend(peer.recv() for _ in range(2))
        peer.send(P.Stream(P.StreamState.ENDED, "the publisher left"))
        peer.wait_closed()

    server = serve(script)
    sut = api.connect(port=server.port)
    assert api.frames(sut, 10) == [1, 2]
    assert sut.stream_state == fb.StreamState.ENDED
    with pytest.raises(fb.StreamEnded, match="has ended: the publisher left"):
        api.latest(sut, timeout=5)
    api.close(sut)
    server.stop()
    assert [type(m) for m in received] == [P.Request, P.Release, P.Request, P.Release,
                                           P.Request]
    assert [(m.seq if isinstance(m, P.Release) else m.after_seq) for m in received] \
        == [0, 1, 1, 2, 2]


def test_a_server_closing_mid_wait_is_server_gone_for_every_later_call(
        api: Any, serve: Any, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert peer.recv() == P.Request(0)

    server = serve(script)
    sut = api.connect(port=server.port)
    for _ in range(2):
        with pytest.raises(fb.ServerGone, match=f"127.0.0.1:{server.port} closed the "
                                                f"connection"):
            api.latest(sut, timeout=5)
    api.close(sut)


def test_an_error_mid_wait_carries_the_servers_text(api: Any, serve: Any,
                                                    fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(P.Error(1, "shutting down"))

    sut = api.connect(port=serve(script).port)
    with pytest.raises(fb.FrameBridgeError, match="shutting down"):
        api.latest(sut, timeout=5)
    api.close(sut)


def result_from(seq: int, text: str) -> P.ResultFrom:
    return P.ResultFrom(9, 0, 123, "detector", P.ResultMsg(seq, 10, 20, [], [], [], [], [], text))


def test_results_are_watched_once_kept_while_frames_are_read_and_end_with_the_stream(
        api: Any, serve: Any, fake: FakeSegment) -> None:
    received: List[P.Message] = []

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        received.append(peer.recv())  # WATCH
        received.append(peer.recv())  # REQUEST
        peer.send(result_from(1, "while a frame was awaited"))
        peer.send(fake.publish(0, 1, W, H, STRIDE))
        received.append(peer.recv())  # RESULT
        peer.send(result_from(1, "after"))
        peer.send(P.Stream(P.StreamState.ENDED, "done"))
        peer.wait_closed()

    server = serve(script)
    sut = api.connect(port=server.port)
    results = sut.results(timeout=5)  # WATCH goes out now
    del results
    frame = api.latest(sut, timeout=5)
    api.send_result(sut, frame, boxes=[(1, 2, 3, 4)], labels=["cat"], text="1 cat")
    assert [r.text for r in api.results(sut, timeout=5)] == ["while a frame was awaited",
                                                             "after"]
    api.close(sut)
    server.stop()
    assert received[:2] == [P.Watch(True), P.Request(0)]
    sent = received[2]
    assert isinstance(sent, P.ResultMsg) and (sent.seq, sent.boxes, sent.labels, sent.text) \
        == (1, [(1, 2, 3, 4)], ["cat"], "1 cat")


def test_a_result_for_another_clients_frame_is_refused(api: Any, serve: Any,
                                                       fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(fake.publish(0, 1, W, H, STRIDE))
        peer.wait_closed()

    def other(peer: Peer) -> None:
        handshake(peer, fake)
        peer.wait_closed()

    sut = api.connect(port=serve(script).port)
    bystander = api.connect(port=serve(other).port)
    frame = api.latest(sut, timeout=5)
    with pytest.raises(ValueError, match="came from another client"):
        api.send_result(bystander, frame, text="x")
    with pytest.raises(TypeError, match="give the fb.Frame"):
        api.send_result(sut, "frame", text="x")
    api.close(bystander)
    api.close(sut)
    with pytest.raises(fb.FrameBridgeError, match="client is closed"):
        api.latest(sut, timeout=1)
