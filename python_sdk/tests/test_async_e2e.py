"""framebridge.asyncio against the real server: many clients in one loop, a server killed
while many tasks wait, publishing, results and list_streams, next to the blocking client."""

import asyncio
import signal
import time
from typing import Any, Callable, List

import pytest

import framebridge as fb
import framebridge.asyncio as fba
from conftest import RunningServer
from fakes import unique_name
from test_server_e2e import stamp_ok

SMALL = "64x48"
WAIT_S = 10.0


@pytest.mark.server_args(size=SMALL, fps=60)
def test_sixteen_clients_in_one_loop_each_read_newer_stamped_frames(
        server: RunningServer) -> None:
    async def read(index: int) -> List[int]:
        async with fba.connect(port=server.port, name=f"reader-{index}") as client:
            seqs = []
            async for frame in client:
                async with frame:
                    assert stamp_ok(frame)
                    seqs.append(frame.seq)
                if len(seqs) == 5:
                    return seqs
        return seqs

    async def main() -> List[List[int]]:
        return await asyncio.gather(*(read(i) for i in range(16)))

    for seqs in asyncio.run(main()):
        assert len(seqs) == 5 and seqs == sorted(set(seqs))


@pytest.mark.server_args(size=SMALL, fps=30)
def test_the_same_streams_are_listed_by_both_clients(server: RunningServer, api: Any) -> None:
    [info] = api.list_streams(port=server.port)
    assert (info.name, info.width, info.height) == (server.name, 64, 48)
    assert info.producer == "capture"


@pytest.mark.server_args(size=SMALL, fps=30)
def test_a_result_sent_by_one_task_reaches_the_results_of_another(
        server: RunningServer) -> None:
    async def main() -> None:
        async with fba.connect(port=server.port, name="detector") as sender, \
                fba.connect(port=server.port, name="viewer") as viewer:
            results = viewer.results(timeout=WAIT_S)  # watching from now on
            async with await sender.latest(timeout=WAIT_S) as frame:
                await sender.send_result(frame, boxes=[(1, 2, 3, 4)], labels=["cat"],
                                         text="1 cat")
            async for result in results:
                assert (result.seq, result.sender.name, result.boxes, result.text) == \
                    (frame.seq, "detector", [(1, 2, 3, 4)], "1 cat")
                return
            pytest.fail("no result came")

    asyncio.run(main())


def test_a_published_stream_is_read_in_the_same_loop(server: RunningServer) -> None:
    name = unique_name("asy")

    async def main() -> None:
        async with fba.publish(name, 32, 16, fb.PixelFormat.GRAY8, port=server.port,
                               fps=30) as out, \
                fba.connect(port=server.port, stream=name) as reader:
            for value in range(3):
                async with out.frame(metadata={"exposure": 10.0 + value}) as dst:
                    dst[:] = value
                async with await reader.latest(timeout=WAIT_S) as frame:
                    assert (int(frame.array[15, 31]), frame.metadata["exposure"]) == \
                        (value, 10.0 + value)
            with pytest.raises(RuntimeError, match="no frame"):
                async with out.frame():
                    raise RuntimeError("no frame")  # the slot goes back unpublished
            assert out.frames_published == 3
            await out.close()
            with pytest.raises(fb.StreamEnded):
                await reader.latest(timeout=WAIT_S)

    asyncio.run(main())


def test_a_publisher_task_cancelled_in_its_block_publishes_nothing(
        server: RunningServer) -> None:
    name = unique_name("asy")

    async def main() -> None:
        async with fba.publish(name, 32, 16, fb.PixelFormat.GRAY8, port=server.port) as out, \
                fba.connect(port=server.port, stream=name) as reader:
            writing = asyncio.Event()

            async def write() -> None:
                async with out.frame() as dst:
                    dst[:] = 1
                    writing.set()
                    await asyncio.sleep(WAIT_S)

            task = asyncio.ensure_future(write())
            await asyncio.wait_for(writing.wait(), WAIT_S)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            with pytest.raises(fb.Timeout):
                await reader.latest(timeout=0.3)
            async with out.frame() as dst:
                dst[:] = 2
            async with await reader.latest(timeout=WAIT_S) as frame:
                assert (frame.seq, int(frame.array[0, 0])) == (1, 2)

    asyncio.run(main())


def kill_while_waiting(old: RunningServer, start_again: Callable[[], Any],
                       reconnect: bool) -> List[Any]:
    """8 clients, 2 tasks each, wait for the next frame of a server that makes one every
    2 s; the server is killed meanwhile, then start_again() runs."""
    async def wait(client: Any) -> Any:
        try:
            async with await client.latest(timeout=WAIT_S) as frame:
                return frame.seq
        except fb.FrameBridgeError as exc:
            return exc

    async def main() -> List[Any]:
        clients = [await fba.connect(port=old.port, reconnect=reconnect) for _ in range(8)]
        for client in clients:
            (await client.latest(timeout=WAIT_S)).release()  # the next one is 2 s away
        tasks = [asyncio.ensure_future(wait(c)) for c in clients for _ in range(2)]
        await asyncio.sleep(0.1)
        old.process.send_signal(signal.SIGKILL)
        old.process.wait(WAIT_S)
        start_again()
        outcomes = await asyncio.gather(*tasks)
        for client in clients:
            await client.close()
        return outcomes

    return asyncio.run(main())


def test_a_server_killed_while_many_tasks_wait_is_server_gone_for_each(
        start_server: Callable[..., RunningServer]) -> None:
    old = start_server(None, None, "--size", SMALL, "--fps", "0.5")
    start = time.monotonic()
    outcomes = kill_while_waiting(old, lambda: None, reconnect=False)
    assert all(isinstance(o, fb.ServerGone) for o in outcomes), outcomes
    assert time.monotonic() - start < WAIT_S  # each learnt it at once, none timed out


def test_with_reconnect_tasks_waiting_on_a_killed_server_read_its_successor(
        start_server: Callable[..., RunningServer]) -> None:
    old = start_server(None, None, "--size", SMALL, "--fps", "0.5")
    outcomes = kill_while_waiting(
        old, lambda: start_server(old.name, old.port, "--size", SMALL), reconnect=True)
    assert all(isinstance(o, int) for o in outcomes), outcomes


@pytest.mark.server_args(size=SMALL, fps=30)
def test_one_client_reads_frames_in_one_task_and_its_results_in_another(
        server: RunningServer) -> None:
    async def main() -> None:
        async with fba.connect(port=server.port) as client:
            results = client.results(timeout=WAIT_S)

            async def detect() -> List[int]:
                seqs = []
                async for frame in client:
                    await client.send_result(frame, text=f"frame {frame.seq}")
                    seqs.append(frame.seq)
                    if len(seqs) == 3:
                        return seqs
                return seqs

            async def watch() -> List[int]:
                seqs = []
                async for result in results:
                    seqs.append(result.seq)
                    if len(seqs) == 3:
                        break
                return seqs

            sent, got = await asyncio.gather(detect(), watch())
            assert got == sent

    asyncio.run(main())
