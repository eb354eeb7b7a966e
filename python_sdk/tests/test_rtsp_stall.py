"""A stalled RTSP client (PLAY, then never reads) disturbs neither capture, nor the
shared-memory clients, nor the other RTSP clients of the same stream."""

import re
import socket
import time
from pathlib import Path
from typing import Callable, Dict, Tuple

import pytest

import framebridge as fb
from conftest import RunningServer
from test_rtsp_e2e import WAIT_S, needs_rtsp_tools, rtsp_server, url

STALL_S = 4.0
RECEIVE_BUFFER = 4096  # so that the server's sends back up within the stall


def request(sock: socket.socket, method: str, target: str, cseq: int,
            extra: str = "") -> Tuple[Dict[str, str], bytes]:
    """One RTSP request and its response's headers and body."""
    sock.sendall(f"{method} {target} RTSP/1.0\r\nCSeq: {cseq}\r\n{extra}\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        assert chunk, f"the RTSP server closed the connection during {method}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert " 200 " in lines[0], f"{method} {target}: {lines[0]}"
    headers = {name.strip().lower(): value.strip()
               for name, _, value in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        body += sock.recv(length - len(body))
    return headers, body


def unsent_to(client: socket.socket) -> int:
    """Bytes the server's socket to this client holds unsent (/proc/net/tcp's tx_queue)."""
    client_port = client.getsockname()[1]
    server_port = client.getpeername()[1]
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if int(local.split(":")[1], 16) == server_port and \
                int(remote.split(":")[1], 16) == client_port:
            return int(fields[4].split(":")[0], 16)
    return 0


def play_and_stall(stream_url: str) -> socket.socket:
    """An RTSP client over TCP that asks for the stream and then reads nothing more."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
    port = int(stream_url.split(":")[2].split("/")[0])
    sock.connect(("127.0.0.1", port))
    sock.settimeout(WAIT_S)
    request(sock, "OPTIONS", stream_url, 1)
    headers, sdp = request(sock, "DESCRIBE", stream_url, 2, "Accept: application/sdp\r\n")
    base = headers.get("content-base", stream_url + "/")
    control = re.search(rb"m=video.*?a=control:(\S+)", sdp, re.DOTALL)  # the track's own
    assert control, sdp
    track = control.group(1).decode()
    track_url = track if track.startswith("rtsp://") else base + track
    headers, _ = request(sock, "SETUP", track_url, 3,
                         "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n")
    session = headers["session"].split(";")[0]
    sock.sendall(f"PLAY {base} RTSP/1.0\r\nCSeq: 4\r\nSession: {session}\r\n"
                 f"Range: npt=0.000-\r\n\r\n".encode())
    return sock


@needs_rtsp_tools
def test_a_stalled_rtsp_client_disturbs_neither_capture_nor_the_other_clients(
        start_server: Callable[..., RunningServer]) -> None:
    server = rtsp_server(start_server)
    stalled = play_and_stall(url(server))
    try:
        with fb.connect(url(server), frame_timeout=WAIT_S) as reader, \
                fb.connect(port=server.port, frame_timeout=WAIT_S) as local:
            first_rtsp = reader.latest(timeout=WAIT_S).seq
            with local.latest(timeout=WAIT_S) as frame:
                first_shm = last_shm = frame.seq
            shm_frames = 0
            until = time.monotonic() + STALL_S
            while time.monotonic() < until:
                with local.latest(timeout=WAIT_S) as frame:
                    shm_frames += 1
                    last_shm = frame.seq
            # Still stalled: the other RTSP client's frames must come all the same.
            last_rtsp = reader.latest(timeout=WAIT_S).seq
            backed_up = unsent_to(stalled)
    except fb.Timeout as exc:
        pytest.fail(f"a client stopped getting frames while another stalled: {exc}\n"
                    f"{server.log()}")
    finally:
        stalled.close()
    # Nobody waited for the stalled client: capture went on, and both kinds of reader with it
    # (that they moved on at all, never how fast).
    assert last_shm > first_shm and shm_frames >= 2, (first_shm, last_shm, shm_frames)
    assert last_rtsp > first_rtsp, (first_rtsp, last_rtsp)
    assert server.process.poll() is None
    assert backed_up > 0, "the stalled client never held the server up: nothing was tested"
