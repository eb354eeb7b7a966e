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
from framebridge import _layout as L
from framebridge import _protocol as P
from framebridge import _session
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
            assert list(sut._s._granted) == [7], "taken from the cell, its FRAME still to come"
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
        fake.grant(CELL, fake.publish(2, 9, W, H, STRIDE))  # another reader's frame
        peer.send(fake.publish(0, 5, W, H, STRIDE))
        peer.wait_closed()

    with fb.connect(port=serve(script).port, wait="spin") as sut:
        assert sut.latest(timeout=5).seq == 5


def test_a_frame_taken_back_before_its_grant_was_read_comes_by_its_frame(
        serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        greet(peer, fake)
        assert peer.recv() == P.Request(0)
        granted = fake.publish(1, 7, W, H, STRIDE)
        fake.set_sequence(1, 9)  # rewritten since: the lease was taken back
        fake.grant(CELL, granted)
        threading.Event().wait(0.5)
        peer.send(granted)
        peer.wait_closed()

    with fb.connect(port=serve(script).port, wait="spin") as sut:
        frame = sut.latest(timeout=LATE_S)
        assert frame.seq == 7 and not frame.valid(), "not built from another frame's slot"
        assert not sut._s._granted, "it came by its FRAME"


def test_a_grant_naming_a_slot_past_the_segments_is_a_protocol_mismatch(
        serve, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        greet(peer, fake)
        assert peer.recv() == P.Request(0)
        fake.grant(CELL, P.FrameMsg(fake.slot_count + 2, 1, 7, W, H, STRIDE, STRIDE * H, 0, 0))
        peer.wait_closed()

    with fb.connect(port=serve(script).port, wait="spin") as sut:
        with pytest.raises(fb.ProtocolMismatch, match=f"grant cell {CELL} of segment "
                                                      f"{fake.name} names slot 5, past its 3"):
            sut.latest(timeout=5)


def test_a_new_connection_forgets_the_old_cell_and_asks_for_its_own(
        serve, make_segment: MakeSegment) -> None:
    fake = make_segment()

    def first(peer: Peer) -> None:
        greet(peer, fake)
        assert peer.recv() == P.Request(0)
        peer.wait_closed()  # not answered: the client gives up on this connection

    def second(peer: Peer) -> None:
        greet(peer, fake, cell=CELL + 1)
        assert peer.recv() == P.Request(0)
        fake.grant(CELL, fake.publish(0, 8, W, H, STRIDE))  # the old cell: not its own
        threading.Event().wait(0.5)
        fake.grant(CELL + 1, fake.publish(1, 5, W, H, STRIDE))
        peer.wait_closed()

    scripts = iter([first, second])
    server = serve(lambda peer: next(scripts)(peer), connections=2)
    with fb.connect(port=server.port, wait="spin") as sut:
        with pytest.raises(fb.Timeout):
            sut.latest(timeout=0.3)
        assert sut._s.cell == CELL
        sut._unsure = True  # as after an exception mid-exchange: the next call reconnects
        frame = sut.latest(timeout=5)
        assert (frame.seq, frame.slot) == (5, 1)
        assert sut._s.cell == CELL + 1


def test_where_loads_may_pass_each_other_a_spinning_client_asks_for_no_cell(
        serve, fake: FakeSegment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_session, "CELL_LOADS_IN_ORDER", False)

    def script(peer: Peer) -> None:
        assert isinstance(peer.recv(), P.Hello)
        peer.send(fake.welcome())
        assert peer.recv() == P.Request(0), "no SPIN first"
        peer.send(fake.publish(0, 5, W, H, STRIDE))
        peer.wait_closed()

    with fb.connect(port=serve(script).port, wait="spin") as sut:
        assert sut.latest(timeout=5).seq == 5
        assert sut._s.cell is None


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
            for _ in range(20):
                with reader.latest(timeout=5) as frame:
                    assert stamped_whole(frame) and frame.valid(), frame
                    # Written before its FRAME was sent, whichever way it came here (the
                    # publisher shares this process, so the way depends on whose turn the GIL
                    # gives).
                    assert reader._s.segment.granted(reader._s.cell) == \
                        frame.seq << L.GRANT_SLOT_BITS | frame.slot
        finally:
            stop.set()
            writer.join(10)
    assert not errors, errors
