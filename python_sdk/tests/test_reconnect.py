"""fb.connect(..., reconnect=True): a client that outlives its server."""

import signal
import socket
import threading
import time
from typing import Any, Callable, List

import pytest

import framebridge as fb
from conftest import RunningServer
from fakes import FakeSegment, FakeServer, Peer
from framebridge import _protocol as P
from test_server_e2e import stamp_ok

SMALL = "320x240"
W, H, STRIDE = 32, 16, 128


@pytest.mark.parametrize("same_session", [True, False], ids=["same session", "new session"])
def test_after_a_reconnect_frame_numbers_go_on_only_in_the_same_session(
        api: Any, make_segment: Callable[..., FakeSegment], same_session: bool) -> None:
    first = make_segment(session_id=0x1111)
    second = first if same_session else make_segment(session_id=0x2222)
    requests: List[int] = []
    connection = [0]

    def script(peer: Peer) -> None:
        segment = first if connection[0] == 0 else second
        connection[0] += 1
        assert isinstance(peer.recv(), P.Hello)
        peer.send(segment.welcome())
        request = peer.recv()
        assert isinstance(request, P.Request)
        requests.append(request.after_seq)
        seq = 500 if segment is first and not requests[1:] else requests[-1] + 1
        peer.send(segment.publish(0, seq, W, H, STRIDE))
        if connection[0] == 1:
            return  # the connection closes: the server "crashed"
        peer.wait_closed()

    server = FakeServer(script, connections=2)
    client = api.connect(port=server.port, reconnect=True)
    try:
        assert api.latest(client, timeout=5).seq == 500
        frame = api.latest(client, timeout=5)
        assert client.reconnects == 1
        assert client.session_id == second.session_id
    finally:
        api.close(client)
    server.stop()
    assert requests == [0, 500 if same_session else 0]
    assert frame.seq == requests[1] + 1


def test_polling_with_timeout_zero_reconnects(make_segment: Callable[..., FakeSegment]) -> None:
    segment = make_segment()
    seqs = iter([7, 8])

    def script(peer: Peer) -> None:
        assert isinstance(peer.recv(), P.Hello)
        peer.send(segment.welcome())
        assert isinstance(peer.recv(), P.Request)
        peer.send(segment.publish(0, next(seqs), W, H, STRIDE))

    server = FakeServer(script, connections=2)
    with fb.connect(port=server.port, reconnect=True) as client:
        client.latest(timeout=5).release()
        frame = None
        deadline = time.monotonic() + 5
        while frame is None and time.monotonic() < deadline:
            try:
                frame = client.latest(timeout=0)
            except fb.Timeout:
                time.sleep(0.01)
        assert frame is not None and frame.seq == 8 and client.reconnects == 1
        frame.release()
    server.stop()


def test_a_server_that_accepts_then_drops_is_tried_ever_more_slowly(
        make_segment: Callable[..., FakeSegment]) -> None:
    segment = make_segment()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    accepted: List[float] = []
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            with conn:
                conn.settimeout(2)
                peer = Peer(conn)
                assert isinstance(peer.recv(), P.Hello)
                peer.send(segment.welcome())
                accepted.append(time.monotonic())
                if len(accepted) == 1:
                    assert isinstance(peer.recv(), P.Request)
                    peer.send(segment.publish(0, 1, W, H, STRIDE))
                    peer.recv()  # its RELEASE, then this "server" drops every connection

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        with fb.connect(port=listener.getsockname()[1], reconnect=True) as client:
            client.latest(timeout=5).release()
            with pytest.raises(fb.Timeout):
                client.latest(timeout=1.5)
    finally:
        done.set()
        thread.join(5)
        listener.close()
    # Pauses of 0.05, 0.1, 0.2, 0.4, 0.8 s: a handful of tries, not hundreds.
    assert 2 <= len(accepted) <= 8, len(accepted)


def test_without_reconnect_a_lost_server_stays_lost(
        api: Any, make_segment: Callable[..., FakeSegment]) -> None:
    segment = make_segment()

    def script(peer: Peer) -> None:
        assert isinstance(peer.recv(), P.Hello)
        peer.send(segment.welcome())

    server = FakeServer(script)
    client = api.connect(port=server.port)
    try:
        server.stop()
        with pytest.raises(fb.ServerGone):
            api.latest(client, timeout=5)
        with pytest.raises(fb.ServerGone):
            api.latest(client, timeout=5)
    finally:
        api.close(client)


def test_a_killed_server_replaced_under_the_same_name_and_port_is_followed(
        start_server: Callable[..., RunningServer]) -> None:
    old = start_server(None, None, "--size", SMALL)
    with fb.connect(port=old.port, reconnect=True) as client:
        kept = client.latest(timeout=5)
        while kept.seq < 45:  # well above where the new server will be when first asked
            kept.release()
            kept = client.latest(timeout=5)
        old_session, old_seq = client.session_id, kept.seq
        old.process.send_signal(signal.SIGKILL)
        old.process.wait(5)

        with pytest.raises(fb.Timeout, match="no server answered there again within 0.3 s"):
            client.latest(timeout=0.3)
        new = start_server(old.name, old.port, "--size", SMALL)
        assert "replaced stream" in new.log()
        seqs: List[int] = []
        for _ in range(3):
            with client.latest(timeout=10) as frame:
                assert stamp_ok(frame)
                seqs.append(frame.seq)

        assert client.session_id != old_session
        assert client.reconnects == 1
        assert seqs == sorted(seqs)
        assert seqs[0] < old_seq, "the new server's first frames were skipped"
        assert kept.seq == old_seq and stamp_ok(kept), "a frame kept across the crash changed"


@pytest.mark.parametrize("wait", ["block", "spin"])
def test_a_reader_blocked_in_the_loop_carries_on_after_a_restart(
        start_server: Callable[..., RunningServer], wait: str) -> None:
    old = start_server(None, None, "--size", SMALL)
    seen: List[int] = []
    errors: List[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        try:
            with fb.connect(port=old.port, reconnect=True, wait=wait) as client:
                for frame in client:
                    assert stamp_ok(frame)
                    seen.append(client.reconnects)
                    if stop.is_set():
                        return
        except BaseException as exc:
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        time.sleep(0.3)
        old.process.kill()
        old.process.wait(5)
        start_server(old.name, old.port, "--size", SMALL)
        deadline = time.monotonic() + 10
        while not (seen and seen[-1] == 1) and time.monotonic() < deadline and not errors:
            time.sleep(0.05)
    finally:
        stop.set()
        reader.join(10)
    assert not errors, errors
    assert seen and seen[0] == 0 and seen[-1] == 1
