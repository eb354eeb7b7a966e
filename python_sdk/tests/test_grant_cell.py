"""wait="spin" takes the frame from its grant cell in shared memory (docs/segment-layout.md,
Grant cells) as soon as the server has leased it, before the FRAME message arrives, and
passes over that FRAME when it does."""

import threading
import time
from typing import Callable, List, Optional

import pytest

import framebridge as fb
from conftest import RunningServer
from fakes import FakeSegment, Peer, unique_name
from framebridge import _protocol as P
from test_publish_e2e import stamp, stamped_whole
from test_server_e2e import stamp_ok

W, H, STRIDE = 32, 16, 128
CELL = 3
LATE_S = 3.0  # the FRAME after the grant: far longer than the client waits for it
MakeSegment = Callable[..., FakeSegment]


@pytest.fixture
def fake(make_segment: MakeSegment) -> FakeSegment:
    return make_segment()


def greet(peer: Peer, fake: FakeSegment, cell: Optional[int] = CELL) -> None:
    assert isinstance(peer.recv(), P.Hello)
    peer.send(fake.welcome())
    assert peer.recv() == P.Spin()
    peer.send(P.Cell(cell))


def test_a_frame_granted_in_the_cell_is_taken_before_its_frame_comes_which_is_passed_over(
        serve, fake: FakeSegment) -> None:
    released = threading.Event()

    def script(peer: Peer) -> None:
        greet(peer, fake)
        assert peer.recv() == P.Request(0)
        first = fake.publish(1, 7, W, H, STRIDE, publish_ns=700)
        fake.grant(CELL, first)
        threading.Event().wait(LATE_S)
        peer.send(first)
        assert isinstance(peer.recv(), P.Release)
        released.set()
        assert peer.recv() == P.Request(7)
        second = fake.publish(2, 8, W, H, STRIDE)
        peer.send(second)  # over the socket, the cell not written: the usual way
        peer.wait_closed()

    with fb.connect(port=serve(script).port, wait="spin") as sut:
        with sut.latest(timeout=LATE_S / 3) as frame:
            assert (frame.seq, frame.slot, frame.width, frame.height) == (7, 1, W, H)
            assert frame.publish_ns == 700
        with sut.latest(timeout=2 * LATE_S) as frame:
            assert frame.seq == 8
    assert released.is_set()


def test_a_grant_no_newer_than_the_last_frame_is_not_taken(serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        greet(peer, fake)
        assert peer.recv() == P.Request(0)
        frame = fake.publish(0, 5, W, H, STRIDE)
        peer.send(frame)
        assert isinstance(peer.recv(), P.Release)
        assert peer.recv() == P.Request(5)
        fake.grant(CELL, frame)  # the old frame again: not an answer to REQUEST 5
        peer.wait_closed()

    with fb.connect(port=serve(script).port, wait="spin") as sut:
        sut.latest(timeout=5).release()
        with pytest.raises(fb.Timeout):
            sut.latest(timeout=0.5)


def test_without_a_cell_a_spinning_client_waits_on_the_socket(serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        greet(peer, fake, cell=None)  # CELL: none free
        assert peer.recv() == P.Request(0)
        frame = fake.publish(0, 5, W, H, STRIDE)
        fake.grant(CELL, frame)  # another reader's cell
        peer.send(frame)
        peer.wait_closed()

    with fb.connect(port=serve(script).port, wait="spin") as sut:
        assert sut.latest(timeout=5).seq == 5


@pytest.mark.server_args(size="320x240", fps=200)
def test_spinning_clients_of_a_real_server_are_lent_cells_and_read_whole_frames(
        server: RunningServer) -> None:
    clients = [fb.connect(port=server.port, name=f"spin{n}", wait="spin") for n in range(3)]
    try:
        seqs: List[List[int]] = [[] for _ in clients]
        from_cell = 0
        for _ in range(40):
            for n, client in enumerate(clients):
                with client.latest(timeout=5) as frame:
                    assert stamp_ok(frame), f"frame {frame.seq} is not its own"
                    seqs[n].append(frame.seq)
                    from_cell += bool(client._s._granted)  # its FRAME not read yet
        cells = [client._s.cell for client in clients]
        assert None not in cells and len(set(cells)) == len(clients), cells
        assert from_cell > 0, "every frame came over the socket"
        for got in seqs:
            assert got == sorted(set(got)), got
    finally:
        for client in clients:
            client.close()


@pytest.mark.server_args(size="320x240")
def test_a_stream_python_publishes_is_read_through_the_cell_as_well(
        server: RunningServer) -> None:
    name = unique_name("spun")
    stop = threading.Event()
    errors: List[BaseException] = []

    def publish(out: fb.Publisher) -> None:
        try:
            k = 0
            while not stop.is_set():
                k += 1
                with out.frame(timeout=5) as dst:
                    stamp(dst, k)
                time.sleep(0.002)
        except BaseException as exc:
            errors.append(exc)

    with fb.publish(name, 320, 240, fb.PixelFormat.GRAY8, port=server.port) as out, \
            fb.connect(port=server.port, stream=name, wait="spin") as reader:
        writer = threading.Thread(target=publish, args=(out,))
        writer.start()
        try:
            from_cell = 0
            for _ in range(20):
                with reader.latest(timeout=5) as frame:
                    assert stamped_whole(frame) and frame.valid(), frame
                    from_cell += bool(reader._s._granted)  # its FRAME not read yet
        finally:
            stop.set()
            writer.join(10)
    assert not errors, errors
    assert from_cell > 0, "every frame came over the socket"
