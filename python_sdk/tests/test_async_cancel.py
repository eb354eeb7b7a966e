"""framebridge.asyncio: a task cancelled at any await of the client leaves it consistent: no
lease held that is not given back, no message half read or half sent, no socket left open."""

import asyncio
import socket
import threading
import time
from typing import Any, List

import pytest

import framebridge as fb
import framebridge.asyncio as fba
from fakes import FakeSegment, Peer
from framebridge import _layout as L
from framebridge import _protocol as P
from test_client import H, STRIDE, W, handshake

WAIT_S = 5.0


@pytest.fixture
def fake(make_segment: Any) -> FakeSegment:
    return make_segment()


async def cancelled(awaitable: Any, after_s: float = 0.1) -> None:
    """Start awaitable in a task, cancel it after_s later, and check it was cancelled."""
    task = asyncio.ensure_future(awaitable)
    await asyncio.sleep(after_s)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_a_connect_cancelled_in_the_handshake_closes_its_socket(serve: Any) -> None:
    closed = threading.Event()

    def script(peer: Peer) -> None:
        peer.recv()
        peer.wait_closed()  # the client's end closes when the task is cancelled
        closed.set()

    server = serve(script)
    asyncio.run(cancelled(fba.connect(port=server.port)))
    assert closed.wait(WAIT_S)


class NoWatchingLoop(asyncio.SelectorEventLoop):
    """A loop that cannot watch a socket, as Windows' proactor loop: the client reads with a
    task of the loop's own (sock_recv_into) instead."""

    def add_reader(self, *args: Any) -> None:
        raise NotImplementedError


def run_on(loop_kind: str, main: Any) -> None:
    loop = NoWatchingLoop() if loop_kind == "read task" else asyncio.new_event_loop()
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()


@pytest.mark.parametrize("loop_kind", ["selector", "read task"])
def test_a_latest_cancelled_mid_message_keeps_what_came_for_the_next_call(
        serve: Any, fake: FakeSegment, loop_kind: str) -> None:
    received: List[P.Message] = []
    half_sent = threading.Event()
    go_on = threading.Event()

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        received.append(peer.recv())
        data = P.encode(fake.publish(1, 5, W, H, STRIDE))
        peer.conn.sendall(data[:20])
        half_sent.set()
        assert go_on.wait(WAIT_S)
        peer.conn.sendall(data[20:])
        received.append(peer.recv())
        peer.wait_closed()

    server = serve(script)

    async def main() -> None:
        async with fba.connect(port=server.port) as client:
            task = asyncio.ensure_future(client.latest())
            while not half_sent.is_set():
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)  # the first half is in the client's buffer
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert not client._s.held  # nothing leased: the FRAME has not come whole
            go_on.set()
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.latest(), 0.0)
            async with await client.latest(timeout=WAIT_S) as frame:
                assert (frame.slot, frame.seq) == (1, 5)

    run_on(loop_kind, main)
    server.stop()
    assert received[0] == P.Request(0)  # one REQUEST, answered once
    assert isinstance(received[1], P.Release) and received[1].seq == 5


def test_a_cancelled_iteration_gives_back_the_frame_it_held(serve: Any,
                                                            fake: FakeSegment) -> None:
    received: List[P.Message] = []

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(fake.publish(0, 1, W, H, STRIDE))
        received.append(peer.recv())
        peer.wait_closed()

    server = serve(script)

    async def main() -> None:
        async with fba.connect(port=server.port) as client:
            holding = asyncio.Event()

            async def read() -> None:
                async for frame in client:
                    async with frame:
                        holding.set()
                        await asyncio.sleep(WAIT_S)

            task = asyncio.ensure_future(read())
            await asyncio.wait_for(holding.wait(), WAIT_S)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert not client._s.held

    asyncio.run(main())
    server.stop()
    assert isinstance(received[0], P.Release) and received[0].seq == 1


def test_results_cancelled_while_waiting_get_the_result_that_came_next_time(
        serve: Any, fake: FakeSegment) -> None:
    watching = threading.Event()
    go_on = threading.Event()

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert peer.recv() == P.Watch(True)
        watching.set()
        assert go_on.wait(WAIT_S)
        peer.send(P.ResultFrom(9, 0, 1, "det", P.ResultMsg(3, 0, 0, [], [], [], [], [], "r")))
        peer.wait_closed()

    async def first(results: Any) -> None:
        async for _ in results:
            pytest.fail("no result was sent yet")

    async def main() -> None:
        async with fba.connect(port=serve(script).port) as client:
            await cancelled(first(client.results()))
            assert watching.wait(WAIT_S)
            go_on.set()
            got = [r.text async for r in client.results(timeout=0.5)]
            assert got == ["r"]

    asyncio.run(main())


def reconnect_script(fake: FakeSegment, answer: threading.Event) -> Any:
    """A server that goes after its first REQUEST, then takes a connection but says nothing
    until answer is set (the client must give that connection up), then serves frame 2."""
    calls: List[Peer] = []

    def script(peer: Peer) -> None:
        calls.append(peer)
        if len(calls) == 2:
            assert isinstance(peer.recv(), P.Hello)
            answer.set()
            peer.wait_closed()  # the client gave up: nobody waits for it any more
            return
        handshake(peer, fake)
        peer.recv()
        if len(calls) == 3:
            peer.send(fake.publish(0, 2, W, H, STRIDE))
            peer.wait_closed()

    return script


def test_a_reconnect_cancelled_while_no_server_answers_goes_on_next_time(
        serve: Any, fake: FakeSegment) -> None:
    silent = threading.Event()

    async def main() -> None:
        server = serve(reconnect_script(fake, silent), connections=3)
        async with fba.connect(port=server.port, reconnect=True, timeout=30) as client:
            waiting = asyncio.ensure_future(client.latest())
            while not silent.is_set():
                await asyncio.sleep(0.01)
            assert client._s.lost is not None  # cancelled while no server answers
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            async with await client.latest(timeout=WAIT_S) as frame:
                assert frame.seq == 2
            assert client.reconnects == 1
        server.stop()

    asyncio.run(main())


def test_a_timed_out_reconnect_leaves_no_task_behind(serve: Any, fake: FakeSegment) -> None:
    silent = threading.Event()

    async def main() -> None:
        server = serve(reconnect_script(fake, silent), connections=3)
        async with fba.connect(port=server.port, reconnect=True, timeout=30) as client:
            with pytest.raises(fb.Timeout):
                await client.latest(timeout=0.3)
            assert silent.is_set()
            await asyncio.sleep(0.05)  # the cancelled reconnect ends
            assert client._reconnecting is None
            assert asyncio.all_tasks() == {asyncio.current_task()}
            async with await client.latest(timeout=WAIT_S) as frame:
                assert frame.seq == 2
        server.stop()

    asyncio.run(main())


def test_close_while_a_task_reconnects_lets_the_client_start_again(
        serve: Any, fake: FakeSegment) -> None:
    silent = threading.Event()

    async def main() -> None:
        server = serve(reconnect_script(fake, silent), connections=3)
        client = await fba.connect(port=server.port, reconnect=True, timeout=30)
        waiting = asyncio.ensure_future(client.latest())
        while not silent.is_set():
            await asyncio.sleep(0.01)
        await client.close()
        with pytest.raises(fb.FrameBridgeError, match="client is closed"):
            await waiting
        assert client._reconnecting is None
        await client._start()
        async with await client.latest(timeout=WAIT_S) as frame:
            assert frame.seq == 2
        await client.close()
        server.stop()

    asyncio.run(main())


def test_list_streams_cancelled_while_it_waits_closes_its_socket(serve: Any,
                                                                 fake: FakeSegment) -> None:
    closed = threading.Event()

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert isinstance(peer.recv(), P.ListStreams)
        peer.wait_closed()
        closed.set()

    asyncio.run(cancelled(fba.list_streams(port=serve(script).port)))
    assert closed.wait(WAIT_S)


def test_wait_for_a_frame_that_never_comes_leaves_the_client_usable(
        serve: Any, fake: FakeSegment) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert peer.recv() == P.Request(0)
        time.sleep(0.3)
        peer.send(fake.publish(0, 1, W, H, STRIDE))
        peer.wait_closed()

    async def main() -> None:
        async with fba.connect(port=serve(script).port) as client:
            for _ in range(3):
                with pytest.raises(asyncio.TimeoutError):
                    await asyncio.wait_for(client.latest(), 0.02)
            with pytest.raises(fb.Timeout):
                await client.latest(timeout=0.02)
            frame = await client.latest(timeout=WAIT_S)
            assert frame.seq == 1

    asyncio.run(main())


def test_uvloop_if_installed_reads_and_cancels_as_asyncio_does(serve: Any,
                                                               fake: FakeSegment) -> None:
    uvloop = pytest.importorskip("uvloop")

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        assert peer.recv() == P.Request(0)
        time.sleep(0.2)
        peer.send(fake.publish(0, 1, W, H, STRIDE))
        peer.wait_closed()

    async def main() -> None:
        async with fba.connect(port=serve(script).port) as client:
            await cancelled(client.latest(), after_s=0.05)
            assert (await client.latest(timeout=WAIT_S)).seq == 1

    loop = uvloop.new_event_loop()
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()


@pytest.mark.parametrize("loop_kind", ["selector", "read task"])
def test_tasks_waiting_on_a_client_another_task_closes_are_told_it_is_closed(
        serve: Any, fake: FakeSegment, loop_kind: str) -> None:
    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.wait_closed()

    async def main() -> None:
        client = await fba.connect(port=serve(script).port)
        waiting = [asyncio.ensure_future(client.latest()) for _ in range(3)]
        waiting.append(asyncio.ensure_future(client.results().__anext__()))
        await asyncio.sleep(0.1)
        await client.close()
        for task in waiting:
            with pytest.raises(fb.FrameBridgeError, match="client is closed"):
                await asyncio.wait_for(task, WAIT_S)

    run_on(loop_kind, main)


def test_a_publisher_cancelled_while_it_waits_for_a_slot_goes_on_waiting_next_time(
        serve: Any, fake: FakeSegment) -> None:
    received: List[P.Message] = []
    asked = threading.Event()
    go_on = threading.Event()

    def script(peer: Peer) -> None:
        assert isinstance(peer.recv(), P.Hello)
        peer.send(fake.welcome())
        assert isinstance(peer.recv(), P.Publish)
        peer.send(P.Publishing(L.LAYOUT_VERSION, fake.size, fake.session_id, fake.slot_count,
                               0, fake.name))
        received.append(peer.recv())
        asked.set()
        assert go_on.wait(WAIT_S)
        peer.send(P.Slot(2))
        received.extend(peer.recv() for _ in range(2))
        peer.wait_closed()

    server = serve(script)

    async def main() -> None:
        async with fba.publish("asy", W, H, fb.PixelFormat.GRAY8, port=server.port) as out:
            waiting = asyncio.ensure_future(out.frame().__aenter__())
            while not asked.is_set():
                await asyncio.sleep(0.01)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            go_on.set()
            async with out.frame(timeout=WAIT_S) as dst:
                dst[:] = 9
            assert out.frames_published == 1

    asyncio.run(main())
    server.stop()
    assert received == [P.Write(), P.Done(2, 0, 0), P.Write()]  # one WRITE for the slot


def test_a_send_result_cancelled_while_the_socket_is_full_sends_whole_messages(
        serve: Any, fake: FakeSegment) -> None:
    results: List[P.Message] = []
    full = threading.Event()

    def script(peer: Peer) -> None:
        peer.conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        handshake(peer, fake)
        peer.recv()
        peer.send(fake.publish(0, 1, W, H, STRIDE))
        assert full.wait(WAIT_S)  # read nothing until the client's socket is full
        try:
            while True:
                results.append(peer.recv())
        except EOFError:
            pass

    server = serve(script)
    points = [(x, x) for x in range(4096)]

    async def main() -> int:
        async with fba.connect(port=server.port) as client:
            client._conn._sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
            frame = await client.latest(timeout=WAIT_S)
            for sent in range(1, 1000):  # until a send has to wait, and is cancelled there
                try:
                    await asyncio.wait_for(client.send_result(frame, points=points), 0.2)
                except asyncio.TimeoutError:
                    break
            else:
                pytest.fail("the client's socket never filled")
            full.set()
            frame.release()
            await client._conn.drain()  # what was queued goes out, then close()
            return sent

    sent = asyncio.run(main())
    server.stop()
    assert [type(m) for m in results] == [P.ResultMsg] * sent + [P.Release]
    assert all(len(m.points) == 4096 for m in results[:-1])  # type: ignore[union-attr]


@pytest.mark.parametrize("reconnect", [False, True])
def test_a_send_result_waiting_on_a_full_socket_when_the_client_closes_says_closed(
        serve: Any, fake: FakeSegment, reconnect: bool, caplog: Any) -> None:
    full = threading.Event()

    def script(peer: Peer) -> None:
        peer.conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        handshake(peer, fake)
        peer.recv()
        peer.send(fake.publish(0, 1, W, H, STRIDE))
        assert full.wait(WAIT_S)  # read nothing until the client's socket is full
        peer.wait_closed()

    server = serve(script)
    points = [(x, x) for x in range(4096)]

    async def main() -> None:
        client = await fba.connect(port=server.port, reconnect=reconnect)
        client._conn._sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        frame = await client.latest(timeout=WAIT_S)
        for _ in range(1000):  # until a send has to wait for the socket
            sending = asyncio.ensure_future(client.send_result(frame, points=points))
            done, _ = await asyncio.wait({sending}, timeout=0.2)
            if not done:
                break
            sending.result()
        else:
            pytest.fail("the client's socket never filled")
        await client.close()
        full.set()
        with pytest.raises(fb.FrameBridgeError, match="client is closed"):
            await asyncio.wait_for(sending, WAIT_S)

    asyncio.run(main())
    server.stop()
    assert "reconnecting" not in caplog.text


def test_a_frame_released_in_a_worker_thread_is_given_back_by_the_loop_thread(
        serve: Any, fake: FakeSegment) -> None:
    received: List[P.Message] = []

    def script(peer: Peer) -> None:
        handshake(peer, fake)
        peer.recv()
        peer.send(fake.publish(0, 1, W, H, STRIDE))
        received.append(peer.recv())
        peer.wait_closed()

    def work(frame: fb.Frame) -> None:
        with frame:
            assert frame.array.shape[0] == H

    async def main() -> None:
        async with fba.connect(port=serve(script).port) as client:
            frame = await client.latest(timeout=WAIT_S)
            threads = []
            give_back_free = client._s.give_back_free

            def spied() -> None:
                threads.append(threading.get_ident())
                give_back_free()

            client._s.give_back_free = spied  # type: ignore[method-assign]
            await asyncio.to_thread(work, frame)
            await asyncio.sleep(0.05)  # the loop runs what the worker handed it
            assert threads == [threading.get_ident()]

    asyncio.run(main())
    assert isinstance(received[0], P.Release) and received[0].seq == 1
