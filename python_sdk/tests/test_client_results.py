"""client.send_result() and client.results() against a scripted server: what goes on the
wire, and how results, frames and notices share one connection."""

import threading
import time
from typing import List

import pytest

import framebridge as fb
from fakes import FakeSegment, Peer
from framebridge import _layout as L
from framebridge import _protocol as P
from framebridge.results import KEPT_RESULTS
from test_client import STRIDE, H, W, handshake

WAIT_S = 5.0


@pytest.fixture
def fake(make_segment) -> FakeSegment:
    return make_segment()


def result_from(seq: int, skipped: int = 0) -> P.ResultFrom:
    return P.ResultFrom(9, skipped, 123, "faces", P.ResultMsg(
        seq, 10, 20, [(1, 2, 3, 4)], ["face"], [0.75], [(5, 6)], [[(7, 8), (9, 10)]],
        f"result {seq}"))


def test_a_result_goes_out_for_the_frames_seq_and_capture_time_after_its_release(
        serve, fake: FakeSegment) -> None:
    received: List[P.Message] = []

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert peer.recv() == P.Request(0)
        peer.send(fake.publish(1, 41, W, H, STRIDE, capture_ns=555))
        received.extend([peer.recv(), peer.recv()])
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        frame = sut.latest(timeout=WAIT_S)
        frame.release()
        before = time.perf_counter_ns()
        sut.send_result(frame, boxes=[(10, 20, 30, 40.4)], labels=["face"], scores=[0.5],
                        points=[(1, 2)], polylines=[[(0, 0), (3, 4)]], text="1 face")
        after = time.perf_counter_ns()
    server.stop()
    assert isinstance(received[0], P.Release)
    result = received[1]
    assert isinstance(result, P.ResultMsg) and before <= result.sent_ns <= after
    assert result == P.ResultMsg(41, 555, result.sent_ns, [(10, 20, 30, 40)], ["face"], [0.5],
                                 [(1, 2)], [[(0, 0), (3, 4)]], "1 face")


def test_a_refused_result_sends_nothing(serve, fake: FakeSegment) -> None:
    received: List[P.Message] = []

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(fake.publish(1, 41, W, H, STRIDE))
        received.append(peer.recv())
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        with sut.latest(timeout=WAIT_S) as frame:
            with pytest.raises(ValueError, match="labels: 1 labels for 2 boxes"):
                sut.send_result(frame, boxes=[(0, 0, 1, 1)] * 2, labels=["face"],
                                text="not sent")
            with pytest.raises(TypeError, match="give the fb.Frame the result is about"):
                sut.send_result(41, text="not sent")  # type: ignore[arg-type]
            sut.send_result(frame, text="sent")
    server.stop()
    assert isinstance(received[0], P.ResultMsg) and received[0].text == "sent"


def test_results_watch_once_and_carry_every_field(serve, fake: FakeSegment) -> None:
    received: List[P.Message] = []

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        received.append(peer.recv())
        peer.send(result_from(41, skipped=2))
        with pytest.raises(EOFError):
            received.append(peer.recv())  # no second WATCH

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        result = next(sut.results(timeout=WAIT_S))
        assert list(sut.results(timeout=0.05)) == []
    server.stop()
    assert received == [P.Watch(True)]
    assert result == fb.Result(41, fb.Sender("faces", 9), [(1, 2, 3, 4)], ["face"], [0.75],
                               [(5, 6)], [[(7, 8), (9, 10)]], "result 41", 10, 20, 123, 2)
    assert sut.results_skipped == 2


def test_results_that_come_while_a_frame_is_awaited_are_kept(serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert peer.recv() == P.Watch(True)
        assert peer.recv() == P.Request(0)
        peer.send(result_from(1))
        peer.send(fake.publish(0, 1, W, H, STRIDE))
        peer.send(result_from(2))
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        results = sut.results(timeout=0.2)
        with sut.latest(timeout=WAIT_S) as frame:
            assert frame.seq == 1
        assert [result.seq for result in results] == [1, 2]
    server.stop()


def test_a_frame_that_comes_while_results_are_read_is_the_next_latest(
        serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert peer.recv() == P.Request(0)
        assert peer.recv() == P.Watch(True)
        peer.send(fake.publish(2, 7, W, H, STRIDE))
        peer.send(P.Stream(P.StreamState.LOST, "camera unplugged"))
        peer.send(result_from(7))
        assert isinstance(peer.recv(), P.Release)  # the frame, not a second REQUEST
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        with pytest.raises(fb.Timeout):
            sut.latest(timeout=0.05)  # the REQUEST stays open
        assert next(sut.results(timeout=WAIT_S)).seq == 7
        assert sut.stream_state == fb.StreamState.LOST
        with sut.latest(timeout=0) as frame:
            assert (frame.seq, frame.slot) == (7, 2)
    server.stop()


def test_a_reader_that_falls_behind_gets_the_newest_results_and_the_count_of_the_others(
        serve, fake: FakeSegment) -> None:
    sent = threading.Event()

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        for seq in range(1, 21):
            peer.send(result_from(seq, skipped=1 if seq == 20 else 0))
        sent.set()
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        results = sut.results(timeout=0.2)
        assert sent.wait(WAIT_S)
        time.sleep(0.1)  # all of it in this client's socket
        got = list(results)
    server.stop()
    assert [r.seq for r in got] == list(range(21 - KEPT_RESULTS, 21))
    assert [r.skipped for r in got] == [20 - KEPT_RESULTS] + [0] * (KEPT_RESULTS - 2) + [1]
    assert sut.results_skipped == 20 - KEPT_RESULTS + 1


def test_results_end_when_the_stream_ends(serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(result_from(3))
        peer.send(P.Stream(P.StreamState.ENDED, "end of file"))
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        assert [r.seq for r in sut.results()] == [3]  # no timeout: the end stops it
    server.stop()


def test_a_server_gone_while_results_are_awaited_is_server_gone(serve,
                                                                fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        with pytest.raises(fb.ServerGone, match="closed the connection"):
            next(sut.results())
    server.stop()


def test_an_error_while_results_are_awaited_is_raised_with_its_text(serve,
                                                                    fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(P.Error(1, "RESULT score 0 is nan"))

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        with pytest.raises(fb.FrameBridgeError, match="RESULT score 0 is nan"):
            next(sut.results())
    server.stop()


def test_with_reconnect_results_watch_again_on_the_next_server(
        api, serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert peer.recv() == P.Watch(True)
        if script.connections == 0:  # type: ignore[attr-defined]
            script.connections += 1  # type: ignore[attr-defined]
            return  # the first server goes
        peer.send(result_from(5))
        peer.wait_closed()

    script.connections = 0  # type: ignore[attr-defined]
    server = serve(script, connections=2)
    sut = api.connect(port=server.port, reconnect=True)
    try:
        assert [r.seq for r in api.results(sut, timeout=0.5)] == [5]
        assert sut.reconnects == 1
    finally:
        api.close(sut)
    server.stop()


def test_a_frame_that_came_while_results_were_read_keeps_its_own_segments_pixels(
        serve, make_segment) -> None:
    old, new = make_segment(), make_segment(session_id=0x0E1)
    asked = threading.Event()

    def script(peer: Peer) -> None:
        handshake(peer, old)
        assert peer.recv() == P.Request(0)
        asked.wait(WAIT_S)
        peer.send(old.publish(1, 41, W, H, STRIDE, pixels=b"\x07" * (STRIDE * H)))
        # The source switches while the client reads results: the same slot of the new
        # generation holds other pixels.
        new.publish(1, 41, W, H, STRIDE, pixels=b"\x09" * (STRIDE * H))
        peer.send(P.Segment(L.LAYOUT_VERSION, new.size, new.session_id, new.slot_count, 2,
                            new.name))
        assert peer.recv() == P.Watch(True)
        peer.send(result_from(41))
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        with pytest.raises(fb.Timeout):
            sut.latest(timeout=0.05)
        asked.set()
        time.sleep(0.2)  # the FRAME and the SEGMENT arrive before the WATCH goes out
        assert next(sut.results(timeout=WAIT_S)).seq == 41
        with sut.latest(timeout=WAIT_S) as frame:
            assert frame.seq == 41
            assert int(frame.array.min()) == int(frame.array.max()) == 7
    server.stop()


def test_after_a_reconnect_a_result_for_a_frame_of_the_old_connection_is_dropped(
        api, serve, make_segment) -> None:
    first, second = make_segment(session_id=0x1111), make_segment(session_id=0x2222)
    received: List[P.Message] = []
    connection = [0]

    def script(peer: Peer) -> None:
        segment = first if connection[0] == 0 else second
        connection[0] += 1
        handshake(peer, segment)
        assert peer.recv() == P.Request(0)
        peer.send(segment.publish(0, 500 if segment is first else 1, W, H, STRIDE))
        if segment is first:
            return  # the server "crashed"
        received.append(peer.recv())
        peer.wait_closed()

    server = serve(script, connections=2)
    sut = api.connect(port=server.port, reconnect=True)
    try:
        old = api.latest(sut, timeout=WAIT_S)
        old.release()
        with api.latest(sut, timeout=WAIT_S) as new:
            assert sut.reconnects == 1
            # Seq 500 would name a frame of the new server that does not exist yet.
            api.send_result(sut, old, text="dropped")
            api.send_result(sut, new, text="sent")
    finally:
        api.close(sut)
    server.stop()
    assert isinstance(received[0], P.ResultMsg)
    assert (received[0].seq, received[0].text) == (1, "sent")
