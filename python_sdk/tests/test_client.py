import gc
import inspect
import os
import re
import socket
import time
from typing import Any, Callable, List

import pytest

import framebridge as fb
from fakes import FakeSegment, Peer
from framebridge import _layout as L
from framebridge import _protocol as P

MakeSegment = Callable[..., FakeSegment]
W, H, STRIDE = 32, 16, 128


@pytest.fixture
def fake(make_segment: MakeSegment) -> FakeSegment:
    return make_segment()


def handshake(peer: Peer, fake: FakeSegment, **welcome: object) -> P.Hello:
    hello = peer.recv()
    assert isinstance(hello, P.Hello)
    peer.send(fake.welcome(**welcome))
    return hello


def test_connection_refused_is_server_unavailable() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        port = closed.getsockname()[1]

        with pytest.raises(fb.ServerUnavailable,
                           match=f"no FrameBridge server at 127.0.0.1:{port} \\(connection "
                                 f"refused\\); start one with `make run`"):
            fb.connect(port=port)


def test_handshake_sends_pid_and_a_truncated_name(serve, fake: FakeSegment) -> None:
    hellos: List[P.Hello] = []

    def script(peer: Peer) -> None:
        hellos.append(handshake(peer, fake))
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port, name="é" * 40) as sut:
        assert (sut.segment_name, sut.session_id, sut.slot_count, sut.max_leases,
                sut.client_id) == (fake.name, fake.session_id, 3, 2, 7)
    server.stop()
    assert hellos == [P.Hello(os.getpid(), "é" * 32)]


def test_control_characters_in_the_name_are_replaced(serve, fake: FakeSegment) -> None:
    hellos: List[P.Hello] = []

    def script(peer: Peer) -> None:
        hellos.append(handshake(peer, fake))
        peer.wait_closed()

    server = serve(script)
    fb.connect(port=server.port, name="cam\t1\n").close()
    server.stop()
    assert hellos[0].name == "cam?1?"


def test_a_handshake_delivered_byte_by_byte_is_reassembled(serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        peer.recv()
        for byte in P.encode(fake.welcome()):
            peer.conn.sendall(bytes([byte]))
            time.sleep(0.001)
        peer.wait_closed()

    with fb.connect(port=serve(script).port) as sut:
        assert sut.segment_name == fake.name


@pytest.mark.parametrize("code, error", [(2, fb.ProtocolMismatch), (1, fb.FrameBridgeError)])
def test_an_error_at_handshake_carries_the_servers_text(serve, code: int, error: type) -> None:
    def script(peer: Peer) -> None:
        peer.recv()
        peer.send(P.Error(code, "protocol version 9 is not supported"))

    server = serve(script)
    with pytest.raises(error, match=f"127.0.0.1:{server.port}.*protocol version 9 is not "
                                    f"supported") as raised:
        fb.connect(port=server.port)
    assert (type(raised.value) is fb.ProtocolMismatch) == (code == 2)


def test_a_welcome_with_other_versions_is_a_protocol_mismatch(serve, fake: FakeSegment) -> None:
    server = serve(lambda peer: handshake(peer, fake, protocol_version=2, layout_version=3))

    with pytest.raises(fb.ProtocolMismatch, match="protocol version 2 with layout version 3"):
        fb.connect(port=server.port)


@pytest.mark.parametrize("layout_version", [L.LAYOUT_VERSION - 1, L.LAYOUT_VERSION + 1])
def test_a_server_with_another_segment_layout_is_refused_before_any_frame(
        serve, fake: FakeSegment, layout_version: int) -> None:
    server = serve(lambda peer: handshake(peer, fake, layout_version=layout_version))

    with pytest.raises(fb.ProtocolMismatch, match=f"layout version {layout_version}; this SDK "
                                                  f"speaks protocol .*, layout "
                                                  f"{L.LAYOUT_VERSION}: use the SDK of the "
                                                  f"server's own release"):
        fb.connect(port=server.port)


def test_a_silent_server_times_out_the_handshake(serve) -> None:
    server = serve(lambda peer: peer.wait_closed())
    start = time.monotonic()

    with pytest.raises(fb.Timeout, match="did not answer the handshake within 0.3 s"):
        fb.connect(port=server.port, timeout=0.3)
    assert time.monotonic() - start < 2


def test_server_closing_mid_wait_is_server_gone(serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert peer.recv() == P.Request(0)

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        with pytest.raises(fb.ServerGone, match=f"127.0.0.1:{server.port} closed the "
                                                f"connection"):
            sut.latest(timeout=5)
        with pytest.raises(fb.ServerGone):
            sut.latest(timeout=5)


@pytest.mark.parametrize("wait", ["block", "spin"])
def test_no_frame_in_time_is_a_timeout_and_the_request_stays_open(serve, fake: FakeSegment,
                                                                  wait: str) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        if wait == "spin":
            assert peer.recv() == P.Spin()  # no CELL: it spins on the socket alone
        assert peer.recv() == P.Request(0)
        time.sleep(1.5)  # long after the client's 0.1 s, even on a loaded machine
        peer.send(fake.publish(0, 1, W, H, STRIDE))
        assert isinstance(peer.recv(), P.Release)  # not a second REQUEST
        peer.wait_closed()

    with fb.connect(port=serve(script).port, wait=wait) as sut:
        with pytest.raises(fb.Timeout, match="no frame .* within 0.1 s") as raised:
            sut.latest(timeout=0.1)
        assert isinstance(raised.value, TimeoutError)

        with sut.latest(timeout=5) as frame:
            assert frame.seq == 1


def test_a_frame_is_received_stamped_and_released(serve, fake: FakeSegment) -> None:
    received: List[P.Message] = []

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        received.append(peer.recv())
        message = fake.publish(2, 41, W, H, STRIDE, pixels=b"\x07" * STRIDE * H,
                               publish_ns=time.perf_counter_ns())
        data = P.encode(message)
        peer.conn.sendall(data[:13])  # a FRAME in two pieces
        time.sleep(0.05)
        peer.conn.sendall(data[13:])
        received.append(peer.recv())
        received.append(peer.recv())
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        frame = sut.latest(timeout=5)
        assert frame.array.shape == (H, W, 3) and int(frame.array[H - 1, W - 1, 2]) == 7
        assert frame.publish_ns <= frame.receive_ns <= time.perf_counter_ns()
        assert sut.newest_seq == 41
        frame.release()
        frame.release()
        with pytest.raises(fb.Timeout):
            sut.latest(timeout=0.05)
    server.stop()
    release = received[1]
    assert received[0] == P.Request(0) and received[2] == P.Request(41)
    assert isinstance(release, P.Release) and (release.slot, release.seq) == (2, 41)
    assert release.receive_ns == frame.receive_ns < release.done_ns


def test_holding_max_leases_frames_refuses_another_request(
        serve, make_segment: MakeSegment) -> None:
    fake = make_segment(slot_count=2)  # max_leases 1, as the server says for 2 slots

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(fake.publish(0, 3, W, H, STRIDE))
        peer.wait_closed()

    with fb.connect(port=serve(script).port) as sut:
        frame = sut.latest(timeout=5)

        with pytest.raises(fb.FrameBridgeError, match=r"this client holds 1 frame\(s\) \(seq 3"
                                                      r"\), the server allows 1; release one"):
            sut.latest(timeout=5)
        assert frame.valid()


def test_a_frame_in_the_slot_of_a_held_frame_taken_back_is_accepted(
        serve, make_segment: MakeSegment) -> None:
    fake = make_segment(slot_count=4)  # max_leases 3
    received: List[P.Message] = []

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(fake.publish(1, 5, W, H, STRIDE))
        peer.recv()
        # The server took frame 5's lease back, rewrote slot 1, and offers it again.
        peer.send(fake.publish(1, 9, W, H, STRIDE))
        received.extend(peer.recv() for _ in range(2))
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        taken_back = sut.latest(timeout=5)

        again = sut.latest(timeout=5)

        assert (again.slot, again.seq) == (1, 9) and again.valid()
        assert not taken_back.valid()
        taken_back.release()
        again.release()
    server.stop()
    assert [(m.slot, m.seq) for m in received if isinstance(m, P.Release)] == [(1, 5), (1, 9)]


def test_a_frame_in_the_slot_of_a_frame_still_held_is_a_protocol_mismatch(
        serve, make_segment: MakeSegment) -> None:
    fake = make_segment(slot_count=4)

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(fake.publish(1, 5, W, H, STRIDE))
        peer.recv()
        peer.send(P.FrameMsg(1, 1, 9, W, H, STRIDE, STRIDE * H, 0, 0))  # slot 1 still has 5
        peer.wait_closed()

    with fb.connect(port=serve(script).port) as sut:
        held = sut.latest(timeout=5)

        with pytest.raises(fb.ProtocolMismatch, match="slot 1 is already leased"):
            sut.latest(timeout=5)
        assert held.valid()


def test_a_dropped_frame_is_released_before_the_next_request(serve, fake: FakeSegment) -> None:
    received: List[P.Message] = []

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(fake.publish(0, 3, W, H, STRIDE))
        received.append(peer.recv())
        received.append(peer.recv())
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        array = sut.latest(timeout=5).array
        del array
        gc.collect()
        with pytest.raises(fb.Timeout):
            sut.latest(timeout=0.05)
    server.stop()
    assert isinstance(received[0], P.Release) and received[0].seq == 3
    assert received[1] == P.Request(3)


def test_iteration_releases_the_previous_frame(serve, fake: FakeSegment) -> None:
    received: List[P.Message] = []

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        for seq, slot in ((1, 0), (2, 1), (3, 2)):
            if seq > 1:
                received.append(peer.recv())
            received.append(peer.recv())
            peer.send(fake.publish(slot, seq, W, H, STRIDE))
        peer.wait_closed()

    server = serve(script)
    with fb.connect(port=server.port) as sut:
        seqs = [frame.seq for _, frame in zip(range(3), sut)]
    server.stop()
    assert seqs == [1, 2, 3]
    assert [type(m).__name__ for m in received] == ["Request", "Release", "Request",
                                                    "Release", "Request"]


def test_an_error_while_waiting_carries_the_servers_text(serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(P.Error(3, "lease limit: client 7 holds 1 of 1"))

    with fb.connect(port=serve(script).port) as sut:
        with pytest.raises(fb.FrameBridgeError, match="lease limit: client 7 holds 1 of 1"):
            sut.latest(timeout=5)


@pytest.mark.parametrize("message, text", [
    (P.FrameMsg(7, 1, 1, W, H, STRIDE, STRIDE * H, 0, 0), "slot 7"),
    (P.FrameMsg(0, 5, 1, W, H, STRIDE, STRIDE * H, 0, 0), "pixel_format 5"),
    (P.Request(1), "sent Request instead of FRAME"),
])
def test_a_bad_frame_is_a_protocol_mismatch(serve, fake: FakeSegment, message: P.Message,
                                            text: str) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(message)
        peer.wait_closed()

    with fb.connect(port=serve(script).port) as sut:
        with pytest.raises(fb.ProtocolMismatch, match=text):
            sut.latest(timeout=5)


def test_close_with_a_live_array_does_not_raise(serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(fake.publish(1, 9, W, H, STRIDE, pixels=b"\x05" * STRIDE * H))
        peer.wait_closed()

    sut = fb.connect(port=serve(script).port)
    frame = sut.latest(timeout=5)
    array = frame.array

    sut.close()
    sut.close()

    assert int(array[H - 1, W - 1, 0]) == 5 and frame.valid()
    frame.release()
    with pytest.raises(fb.FrameBridgeError, match="closed"):
        sut.latest(timeout=1)


def test_a_missing_segment_fails_the_connect_clearly(serve, fake: FakeSegment) -> None:
    server = serve(lambda peer: handshake(peer, fake, segment_name="fbt-nonexistent"))

    with pytest.raises(fb.FrameBridgeError, match="no FrameBridge stream named fbt-nonexistent"):
        fb.connect(port=server.port)


def test_an_ended_stream_ends_iteration_and_latest_says_so_at_once(
        serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert peer.recv() == P.Request(0)
        peer.send(fake.publish(0, 1, W, H, STRIDE))
        assert isinstance(peer.recv(), P.Release)
        assert peer.recv() == P.Request(1)
        peer.send(P.Stream(P.StreamState.ENDED, "the source has no more frames"))
        peer.wait_closed()

    with fb.connect(port=serve(script).port) as sut:
        assert [frame.seq for frame in sut] == [1]
        assert sut.stream_state == fb.StreamState.ENDED
        started = time.perf_counter()
        with pytest.raises(fb.StreamEnded, match="has ended: the source has no more frames"):
            sut.latest(timeout=30)
        assert time.perf_counter() - started < 5, "an ended stream made latest() wait"


def test_a_stream_that_comes_back_after_ending_delivers_again(serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.send(P.Stream(P.StreamState.ENDED, "end of file"))
        assert peer.recv() == P.Request(0)
        peer.send(P.Stream(P.StreamState.LIVE, "playing again"))
        peer.send(fake.publish(1, 7, W, H, STRIDE))
        peer.wait_closed()

    with fb.connect(port=serve(script).port) as sut:
        deadline = time.monotonic() + 5
        while True:
            try:
                frame = sut.latest(timeout=5)
                break
            except fb.StreamEnded:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert frame.seq == 7
        assert sut.stream_state == fb.StreamState.LIVE
        frame.release()


def test_a_lost_source_is_named_in_the_timeout(serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.send(P.Stream(P.StreamState.LOST, "camera unplugged; reopening it"))
        assert peer.recv() == P.Request(0)
        peer.wait_closed()

    with fb.connect(port=serve(script).port) as sut:
        with pytest.raises(fb.Timeout, match="the source is lost: camera unplugged"):
            sut.latest(timeout=0.3)
        assert sut.stream_state == fb.StreamState.LOST


def test_a_port_that_is_not_framebridge_is_named_so(serve) -> None:
    def http_server(peer: Peer) -> None:
        peer.conn.recv(4096)
        peer.conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    server = serve(http_server)

    with pytest.raises(fb.ServerUnavailable, match=f"127.0.0.1:{server.port} is not a "
                                                   f"FrameBridge server: .*HTTP/1.1 400"):
        fb.connect(port=server.port)


def test_iteration_gives_up_after_frame_timeout(serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert peer.recv() == P.Request(0)
        peer.wait_closed()

    with fb.connect(port=serve(script).port, frame_timeout=0.2) as sut:
        start = time.monotonic()
        with pytest.raises(fb.Timeout, match="within 0.2 s"):
            for _ in sut:
                pass
        assert time.monotonic() - start < 3


def test_enums_print_their_names(serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.wait_closed()

    with fb.connect(port=serve(script).port) as sut:
        assert (str(sut.stream_state), f"{fb.PixelFormat.BGR8}") == ("LIVE", "BGR8")


@pytest.mark.parametrize("cls", [fb.Client, fb.Frame])
def test_every_property_has_a_docstring(cls: type) -> None:
    undocumented = [name for name, value in vars(cls).items()
                    if isinstance(value, property) and not (value.__doc__ or "").strip()]

    assert not undocumented


def test_connect_documents_every_parameter_and_client_points_there() -> None:
    doc = fb.connect.__doc__ or ""
    parameters = (set(inspect.signature(fb.connect).parameters)
                  | set(inspect.signature(fb.Client).parameters))

    # Each in the name list that starts an entry ("    port:" or "    host, port:"), not in
    # another's text.
    undocumented = [p for p in sorted(parameters)
                    if not re.search(rf"^ {{4}}(\w+, )*{p}(, \w+)*:", doc, re.MULTILINE)]
    assert not undocumented
    assert "help(fb.connect)" in (fb.Client.__doc__ or "")


def test_a_lease_limit_caused_by_kept_arrays_says_so(
        serve, make_segment: MakeSegment) -> None:
    fake = make_segment(slot_count=2)  # max_leases 1

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert peer.recv() == P.Request(0)
        peer.send(fake.publish(0, 1, W, H, STRIDE))
        peer.wait_closed()

    with fb.connect(port=serve(script).port) as sut:
        kept = []
        with pytest.raises(fb.LeaseLimit, match=r"frame\(s\) 1 were released, but arrays "
                                                r"made from them are still referenced.*"
                                                r"keep frame.copy\(\)"):
            for frame in sut:
                kept.append(frame.array)
        assert kept[0].shape == (H, W, 3)


def test_iteration_gives_back_a_frame_in_the_same_send_as_the_next_request(
        serve, make_segment: MakeSegment, api: Any) -> None:
    fake = make_segment(slot_count=2)  # max_leases 1: the frame given back does not count

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        for seq, slot in ((1, 0), (2, 1), (3, 0)):
            peer.recv()
            if seq > 1:
                peer.recv()
            peer.send(fake.publish(slot, seq, W, H, STRIDE))
        peer.wait_closed()

    server = serve(script)
    sut = api.connect(port=server.port)
    sends: List[bytes] = []
    send_encoded = sut._conn.send_encoded
    sut._conn.send_encoded = lambda data: (sends.append(data), send_encoded(data))[1]
    seqs = api.frames(sut, 3)
    per_send = [[type(m).__name__ for m in decode_all(data)] for data in sends]
    api.close(sut)
    server.stop()
    assert seqs == [1, 2, 3]
    # One system call and one wake-up of the server per step, not one per message.
    assert per_send == [["Request"], ["Release", "Request"], ["Release", "Request"]]


def decode_all(data: bytes) -> List[P.Message]:
    messages: List[P.Message] = []
    while data:
        message, used = P.decode(data)
        assert message is not None
        messages.append(message)
        data = data[used:]
    return messages
