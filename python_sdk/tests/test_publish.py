"""fb.publish() against a fake server that plays the server's side of "Publishing"
(docs/wire-protocol.md); test_publish_e2e.py runs the real one."""

import socket
from typing import Callable, List

import numpy as np
import pytest

import framebridge as fb
from fakes import FakeSegment, Peer
from framebridge import _layout as L
from framebridge import _protocol as P
from framebridge._segment import Segment
from framebridge.frame import new_frame

W, H = 32, 16
MakeSegment = Callable[..., FakeSegment]


def accept_publish(peer: Peer, fake: FakeSegment) -> P.Publish:
    """The server's side of fb.publish(): HELLO, WELCOME, PUBLISH, PUBLISHING."""
    assert isinstance(peer.recv(), P.Hello)
    peer.send(fake.welcome())
    request = peer.recv()
    assert isinstance(request, P.Publish)
    peer.send(P.Publishing(L.LAYOUT_VERSION, fake.size, fake.session_id, fake.slot_count, 0,
                           fake.name))
    return request


def lend_one_slot(fake: FakeSegment) -> Callable[[Peer], None]:
    """A server that accepts the PUBLISH, answers the first WRITE with slot 0, and waits."""
    def script(peer: Peer) -> None:
        accept_publish(peer, fake)
        assert peer.recv() == P.Write()
        peer.send(P.Slot(0))
        peer.wait_closed()
    return script


def slot_pixels(fake: FakeSegment, slot: int, size: int) -> bytes:
    start = fake.data_offset + slot * fake.slot_capacity
    return bytes(fake.mm[start:start + size])


def test_publish_asks_for_the_stream_and_its_frames_go_straight_into_the_slot(
        serve, make_segment: MakeSegment) -> None:
    fake = make_segment()
    seen: List[P.Message] = []

    def script(peer: Peer) -> None:
        seen.append(accept_publish(peer, fake))
        seen.append(peer.recv())
        peer.send(P.Slot(1))
        seen.append(peer.recv())
        seen.append(peer.recv())
        peer.wait_closed()

    server = serve(script)
    with fb.publish(fake.name, W, H, fb.PixelFormat.GRAY8, port=server.port, fps=29.97,
                    slots=3) as out:
        with out.frame() as dst:
            dst[:] = np.arange(W, dtype=np.uint8)
        assert out.frames_published == 1
        assert (out.name, out.width, out.height, out.format) == (fake.name, W, H,
                                                                 fb.PixelFormat.GRAY8)
        assert out.segment_name == fake.name and out.slot_count == 3

    server.stop()
    assert seen == [P.Publish(W, H, 2, 29970, 3, fake.name), P.Write(), P.Done(1, 0, 0),
                    P.Write()]
    rows = slot_pixels(fake, 1, 64 * H)
    assert all(rows[y * 64:y * 64 + W] == bytes(range(W)) for y in range(H))


@pytest.mark.parametrize("pixel_format, shape, stride", [
    (fb.PixelFormat.BGR8, (H, W, 3), 128),
    (fb.PixelFormat.GRAY8, (H, W), 64),
    (fb.PixelFormat.BGRA8, (H, W, 4), 128),
])
def test_the_view_is_shaped_as_a_readers_array(serve, make_segment: MakeSegment,
                                               pixel_format: fb.PixelFormat,
                                               shape: tuple, stride: int) -> None:
    fake = make_segment()

    server = serve(lend_one_slot(fake))
    with fb.publish(fake.name, W, H, pixel_format, port=server.port) as out:
        with out.frame() as dst:
            assert dst.shape == shape and dst.dtype == np.uint8
            assert dst.strides[0] == stride == out.stride
            assert dst.flags.writeable


def test_done_carries_the_source_frames_seq_and_capture_time(
        serve, make_segment: MakeSegment) -> None:
    fake, source_fake = make_segment(), make_segment()
    msg = source_fake.publish(0, 41, W, H, 128, capture_ns=123456789)
    source_segment = Segment(source_fake.name, source_fake.size, source_fake.session_id, 3)
    source = new_frame(source_segment, msg, receive_ns=1)
    seen: List[P.Message] = []

    def script(peer: Peer) -> None:
        accept_publish(peer, fake)
        peer.recv()
        peer.send(P.Slot(2))
        seen.append(peer.recv())
        peer.wait_closed()

    server = serve(script)
    with fb.publish(fake.name, W, H, port=server.port) as out:
        with out.frame(source=source):
            pass
    source.release()
    source_segment.close()
    server.stop()
    assert seen == [P.Done(2, 41, 123456789)]


def test_done_and_the_next_write_go_in_one_send(serve, make_segment: MakeSegment) -> None:
    fake = make_segment()
    chunks: List[bytes] = []

    def script(peer: Peer) -> None:
        accept_publish(peer, fake)
        peer.recv()
        peer.send(P.Slot(0))
        chunks.append(peer.conn.recv(4096))  # one send on loopback arrives as one chunk
        peer.wait_closed()

    server = serve(script)
    with fb.publish(fake.name, W, H, port=server.port) as out:
        with out.frame():
            pass
    server.stop()
    assert chunks == [P.encode(P.Done(0, 0, 0)) + P.encode(P.Write())]


def test_an_exception_in_the_block_cancels_the_frame_and_goes_on(
        serve, make_segment: MakeSegment) -> None:
    fake = make_segment()
    seen: List[P.Message] = []

    def script(peer: Peer) -> None:
        accept_publish(peer, fake)
        for slot in (1, 0):
            seen.append(peer.recv())
            peer.send(P.Slot(slot))
            seen.append(peer.recv())
        peer.wait_closed()

    server = serve(script)
    with fb.publish(fake.name, W, H, port=server.port) as out:
        with pytest.raises(KeyError):
            with out.frame():
                raise KeyError("made in the block")
        assert out.frames_published == 0
        with out.frame():
            pass
        assert out.frames_published == 1
    server.stop()
    assert seen == [P.Write(), P.Cancel(1), P.Write(), P.Done(0, 0, 0)]


def test_the_view_is_read_only_after_the_block(serve, make_segment: MakeSegment) -> None:
    fake = make_segment()

    server = serve(lend_one_slot(fake))
    with fb.publish(fake.name, W, H, port=server.port) as out:
        with out.frame() as dst:
            pass
        with pytest.raises(ValueError, match="read-only"):
            dst[0, 0] = 1


def test_no_slot_in_time_is_a_timeout_and_the_next_frame_takes_the_late_slot(
        serve, make_segment: MakeSegment) -> None:
    fake = make_segment()
    seen: List[P.Message] = []
    ready = socket.socketpair()
    ready[1].settimeout(5)

    def script(peer: Peer) -> None:
        accept_publish(peer, fake)
        seen.append(peer.recv())
        ready[1].recv(1)  # the publisher timed out once, and sent no second WRITE
        peer.send(P.Slot(2))
        seen.append(peer.recv())
        peer.wait_closed()

    server = serve(script)
    try:
        with fb.publish(fake.name, W, H, port=server.port) as out:
            with pytest.raises(fb.Timeout, match="lent no slot .* within 0.05 s"):
                with out.frame(timeout=0.05):
                    pass
            ready[0].send(b"x")
            with out.frame(timeout=5):
                pass
    finally:
        ready[0].close()
        ready[1].close()
    server.stop()
    assert seen == [P.Write(), P.Done(2, 0, 0)]


def test_a_second_frame_while_one_is_open_is_refused(serve, make_segment: MakeSegment) -> None:
    fake = make_segment()

    server = serve(lend_one_slot(fake))
    with fb.publish(fake.name, W, H, port=server.port) as out:
        with out.frame():
            with pytest.raises(fb.FrameBridgeError, match="already open"):
                with out.frame():
                    pass


def test_a_name_in_use_is_stream_exists(serve) -> None:
    text = "a stream named 'edges' is already on this server; choose another name"

    def script(peer: Peer) -> None:
        peer.recv()
        peer.send(P.Welcome(L.LAYOUT_VERSION, 4096, 1, 2, 1, "front", client_id=1, stream="front"))
        peer.recv()
        peer.send(P.Error(P.ErrorCode.STREAM_EXISTS, text))

    server = serve(script)
    with pytest.raises(fb.StreamExists, match="already on this server"):
        fb.publish("edges", W, H, port=server.port)


def test_another_error_to_publish_carries_the_servers_text(serve) -> None:
    def script(peer: Peer) -> None:
        peer.recv()
        peer.send(P.Welcome(L.LAYOUT_VERSION, 4096, 1, 2, 1, "front", client_id=1, stream="front"))
        peer.recv()
        peer.send(P.Error(P.ErrorCode.BAD_MESSAGE, "cannot create segment: no space"))

    server = serve(script)
    with pytest.raises(fb.FrameBridgeError, match="no space \\(error code 1\\)"):
        fb.publish("edges", W, H, port=server.port)


@pytest.mark.parametrize("args, kwargs, problem", [
    (("", W, H), {}, "name=''"),
    ((".x", W, H), {}, "name='.x'"),
    (("a" * 31, W, H), {}, "not a stream name"),
    (("a/b", W, H), {}, "not a stream name"),
    (("e", 0, H), {}, "width=0"),
    (("e", 32769, H), {}, "width=32769.*1 to 32768"),
    (("e", 1.5, H), {}, "width=1.5"),
    (("e", True, H), {}, "width=True"),
    (("e", W, -1), {}, "height=-1"),
    (("e", W, H, 0), {}, "format=0 is not a pixel format"),
    (("e", W, H, 4), {}, "format=4"),
    (("e", W, H, "GRAY8"), {}, "format='GRAY8'"),
    (("e", W, H), {"slots": 1}, "slots=1"),
    (("e", W, H), {"slots": 65}, "slots=65"),
    (("e", W, H), {"fps": -1.0}, "fps=-1.0"),
    (("e", W, H), {"fps": float("nan")}, "fps=nan"),
])
def test_a_bad_argument_is_a_value_error_before_anything_is_sent(
        args: tuple, kwargs: dict, problem: str) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # nothing listens: connecting would fail otherwise
        with pytest.raises(ValueError, match=problem):
            fb.publish(*args, port=closed.getsockname()[1], **kwargs)


def test_a_slot_out_of_range_is_a_protocol_mismatch(serve, make_segment: MakeSegment) -> None:
    fake = make_segment()

    def script(peer: Peer) -> None:
        accept_publish(peer, fake)
        peer.recv()
        peer.send(P.Slot(3))
        peer.wait_closed()

    server = serve(script)
    with fb.publish(fake.name, W, H, port=server.port) as out:
        with pytest.raises(fb.ProtocolMismatch, match="lent slot 3 .* which has 3"):
            with out.frame():
                pass
        with pytest.raises(fb.ProtocolMismatch):  # the publisher stays failed
            with out.frame():
                pass


def test_slots_too_small_for_the_frames_are_a_protocol_mismatch(
        serve, make_segment: MakeSegment) -> None:
    fake = make_segment(slot_capacity=4096)

    server = serve(lambda peer: accept_publish(peer, fake))
    with pytest.raises(fb.ProtocolMismatch, match="slots of 4096 bytes, too small for 64 "
                                                  "rows of 192 bytes"):
        fb.publish(fake.name, 64, 64, port=server.port)


def test_a_publisher_after_close_refuses_frames(serve, make_segment: MakeSegment) -> None:
    fake = make_segment()
    server = serve(lambda peer: (accept_publish(peer, fake), peer.wait_closed()))

    out = fb.publish(fake.name, W, H, port=server.port)
    out.close()
    out.close()
    assert out.closed and "closed" in repr(out)
    with pytest.raises(fb.FrameBridgeError, match="is closed"):
        with out.frame():
            pass


def test_every_property_and_the_frame_method_have_docstrings() -> None:
    for name in ("name", "width", "height", "format", "stride", "slot_count", "segment_name",
                 "frames_published", "closed", "frame", "close"):
        assert getattr(fb.Publisher, name).__doc__, name
    assert fb.publish.__doc__ and fb.list_streams.__doc__ and fb.StreamInfo.__doc__


def test_an_interrupt_after_the_slot_arrived_closes_the_stream_rather_than_guess(
        serve, make_segment: MakeSegment, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = make_segment()
    server = serve(lend_one_slot(fake))
    with fb.publish(fake.name, W, H, port=server.port) as out:
        answer = out._conn.answer

        def interrupted(*args: object) -> object:
            answer(*args)  # type: ignore[arg-type]  # the SLOT is read, then Ctrl+C
            raise KeyboardInterrupt

        monkeypatch.setattr(out._conn, "answer", interrupted)
        with pytest.raises(KeyboardInterrupt):
            with out.frame():
                pass
        with pytest.raises(fb.FrameBridgeError, match="interrupted .* closed the stream"):
            with out.frame():
                pass
