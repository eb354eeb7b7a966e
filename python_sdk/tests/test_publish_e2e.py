"""End-to-end: Python publishes a stream on the real server, and real clients read it back."""

import os
import signal
import socket
import struct
import subprocess
import threading
import time
from typing import Dict, List, Tuple

import numpy as np
import pytest

import framebridge as fb
from conftest import SDK_DIR, RunningServer
from fakes import unique_name
from framebridge import _protocol as P
from test_server_e2e import PY, read_line, sdk_env

W, H = 320, 240
WAIT_S = 5.0


def gone_from_shm(name: str) -> bool:
    """True once /dev/shm/NAME is gone, waiting up to WAIT_S for the server to remove it."""
    deadline = time.monotonic() + WAIT_S
    while os.path.exists("/dev/shm/" + name) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not os.path.exists("/dev/shm/" + name)


def stamp(dst: np.ndarray, k: int) -> None:
    """Fill a GRAY8 frame with k % 251 and write k (LE u64) at its start and its end."""
    dst[:] = k % 251
    dst[0, :8] = np.frombuffer(struct.pack("<Q", k), np.uint8)
    dst[-1, -8:] = np.frombuffer(struct.pack("<Q", k), np.uint8)


def stamped_whole(frame: fb.Frame) -> bool:
    a = frame.array
    first = struct.unpack("<Q", a[0, :8].tobytes())[0]
    last = struct.unpack("<Q", a[-1, -8:].tobytes())[0]
    return bool(first == last and (a[1:-1] == first % 251).all())


@pytest.mark.server_args(size=f"{W}x{H}")
def test_a_publisher_writing_255_minus_the_source_is_read_back_pixel_exact(
        server: RunningServer) -> None:
    name = unique_name("inverse")
    sources: Dict[int, Tuple[np.ndarray, int]] = {}  # seq -> (pixels, capture_ns)

    with fb.connect(port=server.port) as source, \
            fb.publish(name, W, H, port=server.port, fps=30) as out, \
            fb.connect(port=server.port, stream=name) as reader:
        assert reader.stream == name
        for _ in range(20):
            with source.latest(timeout=WAIT_S) as frame:
                sources[frame.seq] = (frame.copy(), frame.capture_ns)
                with out.frame(source=frame) as dst:
                    np.subtract(np.uint8(255), frame.array, out=dst)
            with reader.latest(timeout=WAIT_S) as back:
                pixels, capture_ns = sources[back.source_seq]
                assert np.array_equal(back.array, 255 - pixels)
                assert back.capture_ns == capture_ns
                assert back.publish_ns >= capture_ns and back.valid()
        assert out.frames_published == 20
        listed = {info.name: info for info in fb.list_streams(port=server.port)}
        assert listed[name].producer == "client"
        assert (listed[name].width, listed[name].height) == (W, H)
        assert listed[name].format == fb.PixelFormat.BGR8 and listed[name].fps == 30.0
        assert listed[name].newest_seq == 20
    assert gone_from_shm(name)


@pytest.mark.server_args(size=f"{W}x{H}")
def test_eight_readers_read_whole_frames_of_a_published_stream(server: RunningServer) -> None:
    name = unique_name("eight")
    stop = threading.Event()
    errors: List[BaseException] = []
    seqs: List[List[int]] = [[] for _ in range(8)]

    def publish(out: fb.Publisher) -> None:
        try:
            k = 0
            while not stop.is_set():
                k += 1
                with out.frame(timeout=WAIT_S) as dst:
                    stamp(dst, k)
                time.sleep(0.002)
        except BaseException as exc:
            errors.append(exc)

    def read(index: int) -> None:
        try:
            with fb.connect(port=server.port, stream=name) as client:
                for _ in range(10):
                    with client.latest(timeout=WAIT_S) as frame:
                        assert frame.array.shape == (H, W)
                        assert stamped_whole(frame) and frame.valid(), frame
                        seqs[index].append(frame.seq)
        except BaseException as exc:
            errors.append(exc)

    with fb.publish(name, W, H, fb.PixelFormat.GRAY8, port=server.port, slots=12) as out:
        publisher = threading.Thread(target=publish, args=(out,))
        readers = [threading.Thread(target=read, args=(i,)) for i in range(8)]
        publisher.start()
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(60)
        stop.set()
        publisher.join(WAIT_S + 1)
    assert not errors, errors
    assert all(len(s) == 10 and s == sorted(set(s)) for s in seqs), seqs


@pytest.mark.server_args(size=f"{W}x{H}")
def test_closing_the_publisher_ends_the_stream_and_frees_the_name(server: RunningServer) -> None:
    name = unique_name("closed")
    out = fb.publish(name, W, H, fb.PixelFormat.GRAY8, port=server.port)
    with fb.connect(port=server.port, stream=name, frame_timeout=WAIT_S) as reader:
        with out.frame() as dst:
            stamp(dst, 1)
        with reader.latest(timeout=WAIT_S) as frame:
            assert stamped_whole(frame)
        out.close()

        assert [frame.seq for frame in reader] == []  # iteration stops: no Timeout
        with pytest.raises(fb.StreamEnded, match=name):
            reader.latest(timeout=WAIT_S)
    assert gone_from_shm(name)
    assert name not in [info.name for info in fb.list_streams(port=server.port)]
    with fb.publish(name, W, H, port=server.port) as again:  # the name is free again
        with again.frame():
            pass


@pytest.mark.server_args(size=f"{W}x{H}")
def test_a_publisher_killed_mid_frame_ends_the_stream_never_showing_the_half_frame(
        server: RunningServer) -> None:
    name = unique_name("killed")
    process = subprocess.Popen(
        [PY, str(SDK_DIR / "tests" / "publish_client.py"), "--port", str(server.port),
         "--name", name], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env=sdk_env())
    try:
        assert read_line(process, WAIT_S * 2) == "published\n"
        with fb.connect(port=server.port, stream=name, frame_timeout=WAIT_S) as reader:
            with reader.latest(timeout=WAIT_S) as frame:
                assert (frame.array == 10).all()
            process.stdin.write("\n")  # type: ignore[union-attr]
            process.stdin.flush()  # type: ignore[union-attr]
            assert read_line(process, WAIT_S) == "mid-frame\n"
            process.send_signal(signal.SIGKILL)
            process.wait(WAIT_S)

            shown = [(frame.array == 10).all() for frame in reader]
        assert shown == []  # no frame after the last whole one, and the stream ended
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(WAIT_S)
    assert gone_from_shm(name)


@pytest.mark.server_args(size=f"{W}x{H}")
def test_a_publisher_stalled_holding_a_slot_stalls_only_its_own_stream(
        server: RunningServer) -> None:
    name = unique_name("stalled")
    with fb.publish(name, W, H, fb.PixelFormat.GRAY8, port=server.port) as out, \
            fb.connect(port=server.port, stream=name) as reader, \
            fb.connect(port=server.port) as capture:
        with out.frame() as dst:
            stamp(dst, 1)
        first = reader.latest(timeout=WAIT_S)
        with out.frame() as dst:
            stamp(dst, 2)  # and the publisher stalls here, its slot lent
            with pytest.raises(fb.Timeout):
                reader.latest(timeout=0.3)
            for _ in range(3):
                with capture.latest(timeout=WAIT_S) as frame:
                    assert frame.valid()
            assert stamped_whole(first) and first.valid()
        with reader.latest(timeout=WAIT_S) as second:
            assert stamped_whole(second) and second.seq == first.seq + 1
        first.release()


@pytest.mark.server_args(size=f"{W}x{H}")
def test_what_a_publisher_reports_with_a_frame_is_that_frames_metadata(
        server: RunningServer) -> None:
    name = unique_name("meta")
    with fb.publish(name, W, H, fb.PixelFormat.GRAY8, port=server.port) as out, \
            fb.connect(port=server.port, stream=name) as reader:
        with pytest.raises(ValueError, match=r"unknown metadata key\(s\) 'exposure_time'"):
            with out.frame(metadata={"exposure_time": 1.0}):
                pass
        for k in range(1, 7):  # more frames than slots: each slot is used again
            reported = {"exposure": float(k), "gain": 0.0} if k % 2 else {}
            with out.frame(metadata=reported) as dst:
                stamp(dst, k)
            with reader.latest(timeout=WAIT_S) as frame:
                assert stamped_whole(frame)
                assert frame.metadata == reported, f"frame {k}"


@pytest.mark.server_args(size=f"{W}x{H}")
def test_a_publisher_never_waits_for_readers_holding_every_slot_it_could_use(
        server: RunningServer) -> None:
    name = unique_name("held")
    with fb.publish(name, W, H, fb.PixelFormat.GRAY8, port=server.port, slots=3) as out, \
            fb.connect(port=server.port, stream=name) as reader:
        held = []
        for k in (1, 2):
            with out.frame() as dst:
                stamp(dst, k)
            held.append(reader.latest(timeout=WAIT_S))
        assert len(held) == reader.max_leases
        for k in range(3, 8):
            with out.frame(timeout=WAIT_S) as dst:  # a slot comes: a held frame is taken back
                stamp(dst, k)
        assert not held[0].valid()
        with pytest.raises(fb.FrameTakenBack):
            held[0].copy()
        for frame in held:
            frame.release()
        with reader.latest(timeout=WAIT_S) as newest:
            assert stamped_whole(newest) and newest.seq == 7


def test_a_taken_name_is_stream_exists_and_the_owner_goes_on(server: RunningServer) -> None:
    name = unique_name("taken")
    with fb.publish(name, 64, 48, fb.PixelFormat.GRAY8, port=server.port) as out:
        with pytest.raises(fb.StreamExists, match=name):
            fb.publish(name, 64, 48, port=server.port)
        with pytest.raises(fb.StreamExists, match=server.name):
            fb.publish(server.name, 64, 48, port=server.port)  # the capture stream's name
        with fb.connect(port=server.port, stream=name) as reader:
            with out.frame() as dst:
                stamp(dst, 1)
            with reader.latest(timeout=WAIT_S) as frame:
                assert stamped_whole(frame)


def raw_publish(port: int, request: P.Publish) -> P.Message:
    """Send PUBLISH on a bare connection; return the server's answer to it."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT_S) as sock:
        sock.sendall(P.encode(P.Hello(os.getpid(), "raw")) + P.encode(request))
        data = b""
        answers: List[P.Message] = []
        while len(answers) < 2:
            chunk = sock.recv(4096)
            assert chunk, f"the server closed after {answers}"
            data += chunk
            while True:
                message, used = P.decode(data)
                if message is None:
                    break
                data = data[used:]
                if not isinstance(message, P.Stream):
                    answers.append(message)
        assert isinstance(answers[0], P.Welcome)
        return answers[1]


@pytest.mark.parametrize("width, height, pixel_format, slots, problem", [
    (0, 48, 2, 0, "0x48"), (64, 32769, 2, 0, "64x32769"), (64, 48, 7, 0, "format"),
    (64, 48, 2, 1, "slot"), (64, 48, 2, 65, "slot"),
])
def test_a_bad_publish_request_is_an_error_closing_only_its_connection(
        server: RunningServer, width: int, height: int, pixel_format: int, slots: int,
        problem: str) -> None:
    answer = raw_publish(server.port, P.Publish(width, height, pixel_format, 0, slots, "bad"))

    assert isinstance(answer, P.Error) and answer.code == P.ErrorCode.BAD_MESSAGE
    assert problem in answer.text
    with fb.connect(port=server.port) as client:  # the server goes on
        client.latest(timeout=WAIT_S).release()


def test_bad_arguments_are_refused_before_the_server_sees_them(server: RunningServer) -> None:
    with pytest.raises(ValueError, match="width=0"):
        fb.publish("never", 0, 48, port=server.port)
    with pytest.raises(ValueError, match="format=9"):
        fb.publish("never", 64, 48, 9, port=server.port)  # type: ignore[arg-type]
    assert "never" not in [info.name for info in fb.list_streams(port=server.port)]


@pytest.mark.server_args(size=f"{W}x{H}", fps=30)
def test_the_canny_example_publishes_its_edges_as_a_stream(server: RunningServer) -> None:
    name = unique_name("edges")
    process = subprocess.Popen(
        [PY, str(SDK_DIR / "examples" / "canny_edges.py"), "--port", str(server.port),
         "--publish", name], stdout=subprocess.PIPE, text=True, env=sdk_env())
    try:
        assert read_line(process, WAIT_S * 2).startswith("seq ")
        with fb.connect(port=server.port, stream=name) as reader:
            with reader.latest(timeout=WAIT_S) as edges:
                assert edges.format == fb.PixelFormat.GRAY8
                assert edges.array.shape == (H, W) and edges.source_seq > 0
                assert set(np.unique(edges.array)) <= {0, 255}
    finally:
        process.terminate()
        process.wait(WAIT_S)
    assert gone_from_shm(name)
