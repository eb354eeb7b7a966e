"""End-to-end: the server's --rtsp-port, read by real RTSP clients (gst-launch-1.0's rtspsrc,
cv2.VideoCapture through the SDK) over loopback."""

import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, List

import cv2  # type: ignore[import]
import numpy as np
import pytest

import framebridge as fb
from conftest import RunningServer, free_port
from fakes import unique_name
from framebridge.rtsp import read_stamp, stamp_band_height
from test_access import TOKEN, token_file
from test_server_e2e import PY, sdk_env

W, H = 320, 240
WAIT_S = 10.0
FRAMES = 10

needs_rtsp_tools = pytest.mark.skipif(shutil.which("gst-launch-1.0") is None,
                                      reason="gst-launch-1.0 (gstreamer1.0-tools) not installed")


def rtsp_server(start_server: Callable[..., RunningServer], *extra: str) -> RunningServer:
    """A server with one synthetic stream, served over RTSP on a free port (.rtsp_port)."""
    rtsp_port = free_port()
    server = start_server(None, None, "--size", f"{W}x{H}", "--fps", "30",
                          "--rtsp-port", str(rtsp_port), *extra)
    server.rtsp_port = rtsp_port  # type: ignore[attr-defined]
    # RTSP starts once the pipeline runs, a moment after the port clients use accepts.
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            socket.create_connection(("127.0.0.1", rtsp_port), timeout=0.5).close()
            return server
        except OSError:
            assert time.monotonic() < deadline, f"no RTSP on {rtsp_port}:\n{server.log()}"
            time.sleep(0.05)


def url(server: RunningServer, stream: str = "") -> str:
    return f"rtsp://127.0.0.1:{server.rtsp_port}/{stream or server.name}"  # type: ignore


def read_frames(reader: fb.RtspClient, count: int) -> List[fb.RtspFrame]:
    return [reader.latest(timeout=WAIT_S) for _ in range(count)]


def test_cv2_reads_frames_with_their_seq_and_capture_time(
        start_server: Callable[..., RunningServer]) -> None:
    server = rtsp_server(start_server)
    with fb.connect(url(server), frame_timeout=WAIT_S) as reader, \
            fb.connect(port=server.port) as local:
        frames = read_frames(reader, FRAMES)
        newest = local.latest(timeout=WAIT_S)
        seqs = [frame.seq for frame in frames]
        assert seqs == sorted(set(seqs)) and seqs[0] >= 1, seqs
        assert all(f.transport == "rtsp" and (f.width, f.height) == (W, H) for f in frames)
        assert newest.transport == "shm"
        # The seq and capture time are the server's own: the shared-memory reader, which reads
        # after, sees the same numbering go on; and (one host, one clock) each capture precedes
        # its decode, its wall-clock time the same instant as its monotonic one. Loose bounds:
        # encoding on a busy machine may lag by seconds, never by a minute.
        assert newest.seq >= seqs[-1]
        assert all(0 < f.receive_ns - f.capture_ns < 60_000_000_000 for f in frames)
        wall_minus_monotonic = time.time_ns() - time.perf_counter_ns()
        assert all(abs(f.capture_unix_ns - f.capture_ns - wall_minus_monotonic) < 1_000_000_000
                   for f in frames)
        assert not frames[-1].array.flags.writeable
        newest.release()


def test_a_stream_published_later_is_served_and_its_pixels_survive(
        start_server: Callable[..., RunningServer]) -> None:
    server = rtsp_server(start_server)
    name = unique_name("bar")
    stop = threading.Event()

    def bar_at(k: int) -> int:
        return (k * 8) % (W - 40)

    def publish(out: fb.Publisher) -> None:
        k = 0
        while not stop.is_set():
            k += 1
            with out.frame() as dst:
                dst[:] = 0
                dst[:, bar_at(k):bar_at(k) + 40] = 255
            time.sleep(1 / 30)

    with fb.publish(name, W, H, fb.PixelFormat.GRAY8, port=server.port, fps=30) as out:
        thread = threading.Thread(target=publish, args=(out,))
        thread.start()
        try:
            with fb.connect(url(server, name), frame_timeout=WAIT_S) as reader:
                frames = read_frames(reader, FRAMES)
        finally:
            stop.set()
            thread.join()
    for frame in frames:
        # Frame k carries seq k; its bar is where the publisher drew frame k's.
        columns = frame.array.mean(axis=(0, 2))
        bright = np.flatnonzero(columns > 128)
        assert abs(bright.mean() - (bar_at(frame.seq) + 19.5)) < 3, (frame.seq, bright)


@needs_rtsp_tools
def test_gst_launch_clients_at_once_and_one_killed_leave_the_others_and_shm_reading(
        start_server: Callable[..., RunningServer], tmp_path: Path) -> None:
    server = rtsp_server(start_server)
    band = stamp_band_height(W)

    def gst_client(path: Path, frames: int) -> "subprocess.Popen[bytes]":
        """gst-launch-1.0 writing the H.264 of `frames` frames to path (no decoder needed)."""
        return subprocess.Popen(
            ["gst-launch-1.0", "-q", "rtspsrc", f"location={url(server)}", "protocols=tcp",
             "latency=0", "!", "rtph264depay", "!", "h264parse", "!",
             "video/x-h264,stream-format=byte-stream,alignment=au", "!", "identity",
             f"eos-after={frames}", "!", "filesink", f"location={path}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stamped_seqs(path: Path) -> List[int]:
        capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
        seqs = []
        while True:
            ok, picture = capture.read()
            if not ok:
                return seqs
            assert picture.shape == (H + band, W, 3)
            stamp = read_stamp(picture[H:])
            if stamp is not None:
                seqs.append(stamp[0])

    killed = gst_client(tmp_path / "killed.h264", 10_000)
    clients = [gst_client(tmp_path / f"{i}.h264", FRAMES) for i in range(3)]
    with fb.connect(port=server.port) as local:
        time.sleep(1.0)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        seq_before = local.latest(timeout=WAIT_S).seq
        for i, client in enumerate(clients):
            _, err = client.communicate(timeout=WAIT_S)
            assert client.returncode == 0, err.decode(errors="replace")
            seqs = stamped_seqs(tmp_path / f"{i}.h264")
            # Frames before the client's first key frame do not decode; the rest do, in order.
            assert len(seqs) >= FRAMES // 2 and seqs == sorted(set(seqs)), seqs
        assert local.latest(timeout=WAIT_S).seq > seq_before
    with fb.connect(url(server), frame_timeout=WAIT_S) as reader:
        assert len(read_frames(reader, 3)) == 3


def test_a_missing_or_wrong_token_is_refused_and_the_right_one_reads(
        start_server: Callable[..., RunningServer], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRAMEBRIDGE_TOKEN", raising=False)
    server = rtsp_server(start_server, "--token-file", str(token_file(tmp_path, TOKEN)))
    with pytest.raises(fb.AccessDenied, match="wants the server's token"):
        fb.connect(url(server))
    with pytest.raises(fb.AccessDenied, match="refused the token"):
        fb.connect(url(server), token="not-" + TOKEN)
    with fb.connect(url(server), token=TOKEN, frame_timeout=WAIT_S) as reader:
        assert reader.latest(timeout=WAIT_S).seq >= 1


def test_an_unknown_stream_is_not_found(start_server: Callable[..., RunningServer]) -> None:
    server = rtsp_server(start_server)
    with pytest.raises(fb.StreamNotFound, match="no stream 'nothing-here'"):
        fb.connect(url(server, "nothing-here"))


def test_host_and_rtsp_port_read_shm_here_and_rtsp_for_another_host(
        start_server: Callable[..., RunningServer], monkeypatch: pytest.MonkeyPatch) -> None:
    server = rtsp_server(start_server)
    with fb.connect(port=server.port, stream=server.name,
                    rtsp_port=server.rtsp_port) as here:  # type: ignore[attr-defined]
        assert isinstance(here, fb.Client)
    monkeypatch.setattr(fb.client, "is_this_machine", lambda host: False)
    with fb.connect("127.0.0.1", stream=server.name,
                    rtsp_port=server.rtsp_port) as there:  # type: ignore[attr-defined]
        assert isinstance(there, fb.RtspClient) and there.transport == "rtsp"
        assert there.latest(timeout=WAIT_S).seq >= 1


def test_iteration_ends_when_the_server_stops_and_a_restarted_one_serves_again(
        start_server: Callable[..., RunningServer]) -> None:
    server = rtsp_server(start_server)
    rtsp_port = server.rtsp_port  # type: ignore[attr-defined]
    with fb.connect(url(server), frame_timeout=WAIT_S) as reader:
        seen = 0
        for frame in reader:
            seen += 1
            if seen == 3:
                server.process.send_signal(signal.SIGINT)
        assert server.process.wait(WAIT_S) == 0
        assert seen >= 3
    again = start_server(server.name, None, "--size", f"{W}x{H}", "--fps", "30",
                         "--rtsp-port", str(rtsp_port))
    again.rtsp_port = rtsp_port  # type: ignore[attr-defined]
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            with fb.connect(url(again), frame_timeout=WAIT_S) as reader:
                assert reader.latest(timeout=WAIT_S).seq >= 1
            break
        except fb.ServerUnavailable:
            assert time.monotonic() < deadline, again.log()
            time.sleep(0.1)


def test_a_script_that_never_closes_its_reader_still_exits_cleanly(
        start_server: Callable[..., RunningServer]) -> None:
    server = rtsp_server(start_server)
    script = ("import framebridge as fb\n"
              f"reader = fb.connect({url(server)!r})\n"
              "print(reader.latest(timeout=10).seq)\n")
    done = subprocess.run([PY, "-c", script], env=sdk_env(), capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0 and int(done.stdout) >= 1, done.stderr
