"""End-to-end: results through the real framebridge-server, from the clients that send them
to the clients that watch."""

import os
import socket
import struct
import time
from typing import Iterator, List

import numpy as np
import pytest

import framebridge as fb
from conftest import RunningServer
from framebridge import _protocol as P

SMALL = "640x480"
WAIT_S = 10.0


def watching(client: fb.Client, timeout: float = WAIT_S) -> Iterator[fb.Result]:
    """client.results(), once the server has taken its WATCH: it answers the REQUEST sent
    after it on the same connection only then."""
    results = client.results(timeout=timeout)
    client.latest(timeout=WAIT_S).release()
    return results


@pytest.mark.server_args(size=SMALL, fps=30)
def test_a_watcher_gets_every_field_of_another_clients_result(server: RunningServer) -> None:
    with fb.connect(port=server.port, name="finder") as sender, \
            fb.connect(port=server.port, name="watcher") as watcher:
        results = watching(watcher)
        frame = sender.latest(timeout=WAIT_S)
        before = time.perf_counter_ns()
        sender.send_result(frame, boxes=np.array([[10.4, 20, 30, 40], [-5, -6, 0, 0]]),
                           labels=["face", "visage é"], scores=[0.75, 0.5],
                           points=[(1, 2), (-3, 2**31 - 1)],
                           polylines=[[(0, 0), (10, 0), (10, 10)], [(5, 5)]],
                           text="2 faces — café")
        result = next(results)

    assert (result.seq, result.sender) == (frame.seq, fb.Sender("finder", sender.client_id))
    assert result.boxes == [(10, 20, 30, 40), (-5, -6, 0, 0)]
    assert (result.labels, result.scores) == (["face", "visage é"], [0.75, 0.5])
    assert result.points == [(1, 2), (-3, 2**31 - 1)]
    assert result.polylines == [[(0, 0), (10, 0), (10, 10)], [(5, 5)]]
    assert result.text == "2 faces — café" and result.skipped == 0
    assert result.capture_ns == frame.capture_ns
    assert before <= result.sent_ns <= result.received_ns <= time.perf_counter_ns()


@pytest.mark.server_args(size=SMALL, fps=30, slots=3)
def test_a_result_for_a_frame_long_gone_is_relayed_all_the_same(server: RunningServer) -> None:
    with fb.connect(port=server.port) as sender, fb.connect(port=server.port) as watcher:
        results = watching(watcher)
        old = sender.latest(timeout=WAIT_S)
        old.release()
        for _ in range(6):  # every slot of the ring written again since
            sender.latest(timeout=WAIT_S).release()
        assert not old.valid()

        sender.send_result(old, text="late")
        result = next(results)

    assert (result.seq, result.capture_ns, result.text) == (old.seq, old.capture_ns, "late")


def hello(name: str) -> bytes:
    return P.encode(P.Hello(os.getpid(), name))


def read_all(raw: socket.socket) -> List[P.Message]:
    data = b""
    while chunk := raw.recv(65536):
        data += chunk
    messages: List[P.Message] = []
    while data:
        message, used = P.decode(data)
        assert message is not None, f"{len(data)} bytes left that are no whole message"
        messages.append(message)
        data = data[used:]
    return messages


@pytest.mark.server_args(size=SMALL, fps=30)
def test_a_malformed_result_is_an_error_naming_it_that_closes_only_its_connection(
        server: RunningServer) -> None:
    body = bytearray(P.encode(P.ResultMsg(1, 0, 0, [(0, 0, 1, 1)], scores=[0.5]))[8:])
    struct.pack_into("<f", body, 48 + 16, float("nan"))
    with fb.connect(port=server.port) as bystander, \
            socket.create_connection(("127.0.0.1", server.port), timeout=WAIT_S) as raw:
        results = watching(bystander)
        raw.sendall(hello("malformed"))
        raw.sendall(struct.pack("<IHH", len(body), P.MessageType.RESULT, 0) + bytes(body))
        messages = read_all(raw)

        with bystander.latest(timeout=WAIT_S) as frame:
            bystander.send_result(frame, text="still here")
        assert next(results).text == "still here"

    assert isinstance(messages[0], P.Welcome)
    error = messages[-1]
    assert isinstance(error, P.Error) and error.code == P.ErrorCode.BAD_MESSAGE
    assert "RESULT score 0 is nan" in error.text


@pytest.mark.server_args(size=SMALL, fps=30)
def test_a_watcher_that_does_not_read_gets_the_newest_results_and_a_count_of_the_rest(
        server: RunningServer) -> None:
    sent = 300
    corners = np.zeros((4096, 2), np.int32)  # 32 KiB each: the sockets fill, the server skips
    with fb.connect(port=server.port) as sender, fb.connect(port=server.port) as watcher:
        results = watching(watcher, timeout=3.0)
        with sender.latest(timeout=WAIT_S) as frame:
            for index in range(sent):
                sender.send_result(frame, points=corners, text=str(index))
        got = list(results)

    texts = [int(result.text) for result in got]
    assert texts[-1] == sent - 1 and texts == sorted(texts)
    assert len(got) + sum(result.skipped for result in got) == sent
    assert watcher.results_skipped == sum(result.skipped for result in got) > 0


@pytest.mark.server_args(size=SMALL, fps=30)
def test_results_and_frames_take_turns_on_one_connection(server: RunningServer) -> None:
    with fb.connect(port=server.port, name="both") as client:
        results = watching(client)
        seqs = []
        for _ in range(5):
            with client.latest(timeout=WAIT_S) as frame:
                client.send_result(frame, points=[(frame.seq, 0)])
                seqs.append(frame.seq)
        got = [next(results) for _ in seqs]
        with client.latest(timeout=WAIT_S) as frame:
            client.send_result(frame, text="after")
        assert frame.seq > seqs[-1]
        assert next(results).text == "after"

    assert [result.seq for result in got] == seqs
    assert [result.points for result in got] == [[(seq, 0)] for seq in seqs]
    assert {result.sender for result in got} == {fb.Sender("both", client.client_id)}


@pytest.mark.server_args(size=SMALL, fps=30)
def test_a_frame_of_another_client_is_refused(server: RunningServer) -> None:
    with fb.connect(port=server.port) as one, fb.connect(port=server.port) as other:
        with one.latest(timeout=WAIT_S) as frame:
            with pytest.raises(ValueError, match=f"frame {frame.seq} came from another client"):
                other.send_result(frame, text="not mine")


@pytest.mark.server_args(size=SMALL, fps=30)
def test_a_client_flooding_results_leaves_capture_and_other_clients_going(
        server: RunningServer) -> None:
    """A sender with no pause between results (well over 1 kHz) and a watcher that never
    reads them: the capture goes on publishing and another client goes on getting each new
    frame. Not a speed test: a server that served results before frames would stall here."""
    with fb.connect(port=server.port, name="flood") as sender, \
            fb.connect(port=server.port, name="idle watcher") as watcher, \
            fb.connect(port=server.port, name="reader") as reader:
        watching(watcher)
        frame = sender.latest(timeout=WAIT_S)
        first = reader.latest(timeout=WAIT_S)
        first.release()
        seqs = [first.seq]
        while len(seqs) < 10:
            for _ in range(200):
                sender.send_result(frame, boxes=[(1, 2, 3, 4)], text="flood")
            with reader.latest(timeout=WAIT_S) as newer:
                seqs.append(newer.seq)
        frame.release()
        assert sender.latest(timeout=WAIT_S).seq > first.seq
    assert seqs == sorted(set(seqs)), "each frame newer than the last"
