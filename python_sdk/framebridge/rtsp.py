"""Reading a FrameBridge stream over RTSP, from a machine that cannot map its shared memory.

fb.connect("rtsp://host:8554/front") (or fb.connect(host=..., stream=..., rtsp_port=...) for
another host) returns an RtspClient: the same latest() / iteration / timeout calls as a
Client, yielding RtspFrames with the same attributes as a Frame, and frame.transport "rtsp".
It costs what shared memory saves: the server encodes each frame, this process decodes it
(cv2.VideoCapture's FFmpeg backend) into memory of its own. See docs/rtsp.md.

The server adds a band of blocks below each picture that carries the frame's seq and capture
times; its layout is written once, in app/rtsp/include/framebridge/app/rtsp/stamp_band.hpp,
and read here. The band is cropped off: frame.array is the stream's own picture.
"""

import atexit
import os
import socket
import threading
import time
import weakref
from typing import Any, Dict, Iterator, Optional, Tuple
from urllib.parse import quote, urlsplit

import numpy as np

from ._layout import PixelFormat
from .errors import (AccessDenied, FrameReleased, ServerGone, ServerUnavailable,
                     StreamNotFound, Timeout)

STAMP_BYTES = 18
STAMP_BLOCK = 8
MIN_STAMP_WIDTH = 2 * STAMP_BLOCK
RTSP_USER = "framebridge"
SEQ_BITS = 32
# TCP, so a large key frame is never lost to a full UDP socket buffer (the server serves
# both). FFmpeg's fflags nobuffer and flags low_delay would cut no latency here (the decode
# thread keeps only the newest frame anyway) and make cv2's first reads fail.
FFMPEG_OPTIONS = "rtsp_transport;tcp"


# Open clients, closed at exit: a decode thread still inside cv2 when the interpreter ends
# aborts the process ("FATAL: exception not rethrown").
_open_clients: "weakref.WeakSet[RtspClient]" = weakref.WeakSet()


def _close_open_clients() -> None:
    for client in list(_open_clients):
        client.close()


atexit.register(_close_open_clients)


def stamp_band_height(width: int) -> int:
    """Rows the server adds below a picture `width` pixels wide (0 below MIN_STAMP_WIDTH)."""
    if width < MIN_STAMP_WIDTH:
        return 0
    cols = width // STAMP_BLOCK
    rows = -(-STAMP_BYTES * 8 // cols) * STAMP_BLOCK
    return -(-rows // 16) * 16


def read_stamp(band: np.ndarray) -> Optional[Tuple[int, int, int]]:
    """(seq's low 32 bits, capture µs on the server's steady clock, capture µs since the
    epoch) from a decoded BGR band, or None when its check byte does not match."""
    cols = band.shape[1] // STAMP_BLOCK
    bits = STAMP_BYTES * 8
    index = np.arange(bits)
    ys = (index // cols) * STAMP_BLOCK + STAMP_BLOCK // 2
    xs = (index % cols) * STAMP_BLOCK + STAMP_BLOCK // 2
    luma = band[ys, xs].astype(np.int32).sum(axis=-1) if band.ndim == 3 else band[ys, xs]
    ones = luma > (128 * 3 if band.ndim == 3 else 128)
    payload = np.packbits(ones.astype(np.uint8), bitorder="little").tobytes()
    if (sum(payload[:-1]) + 0x5A) & 0xFF != payload[-1]:
        return None
    return (int.from_bytes(payload[0:4], "little"), int.from_bytes(payload[4:10], "little"),
            int.from_bytes(payload[10:17], "little"))


def is_this_machine(host: str) -> bool:
    """True when host names this machine, whose streams shared memory reaches."""
    if host in ("localhost", "::1") or host.startswith("127."):
        return True
    try:
        own = {socket.gethostname(), socket.getfqdn()}
        addresses = {info[4][0] for name in own for info in socket.getaddrinfo(name, None)}
        return host in own or any(info[4][0] in addresses
                                  for info in socket.getaddrinfo(host, None))
    except OSError:
        return False


class RtspFrame:
    """A decoded frame of an RTSP stream: its own copy of the pixels, read-only.

    The attributes a shared-memory Frame has, with the same meaning; capture_ns is on the
    server's clock (comparable with time.perf_counter_ns() on its host only), so measure
    latency across hosts with capture_unix_ns against time.time_ns(), as far as both hosts'
    clocks agree (NTP).
    """

    transport = "rtsp"
    format = PixelFormat.BGR8
    source_seq = 0
    slot = -1

    def __init__(self, array: np.ndarray, seq: int, capture_ns: int, capture_unix_ns: int,
                 receive_ns: int) -> None:
        array.flags.writeable = False
        self._array: Optional[np.ndarray] = array
        self.seq = seq
        self.capture_ns = capture_ns
        self.capture_unix_ns = capture_unix_ns
        self.publish_ns = capture_ns  # not carried: the capture time stands in
        self.receive_ns = receive_ns
        self.height, self.width = array.shape[:2]
        self.stride = int(array.strides[0])

    @property
    def array(self) -> np.ndarray:
        """The pixels, (H, W, 3) BGR uint8, read-only (frame.copy() for a writable one)."""
        if self._array is None:
            raise FrameReleased(f"frame {self.seq} was released; keep frame.array or "
                                f"frame.copy() from before release()")
        return self._array

    @property
    def released(self) -> bool:
        return self._array is None

    @property
    def metadata(self) -> Dict[str, float]:
        """Always empty: what a camera reports travels in the shared segment only, not in the
        RTSP stream (docs/rtsp.md)."""
        return {}

    def valid(self) -> bool:
        """Always True: the pixels are this process's own; no server can take them back."""
        return True

    def copy(self) -> np.ndarray:
        return self.array.copy()

    def release(self) -> None:
        self._array = None

    def __enter__(self) -> "RtspFrame":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return (f"<RtspFrame seq={self.seq} {self.width}x{self.height} BGR8"
                f"{' released' if self.released else ''}>")


def _describe_status(host: str, port: int, path: str, token: str,
                     timeout: Optional[float]) -> int:
    """The RTSP status a DESCRIBE of path gets, to tell why cv2 could not open it."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        auth = ""
        if token:
            import base64
            basic = base64.b64encode(f"{RTSP_USER}:{token}".encode()).decode()
            auth = f"Authorization: Basic {basic}\r\n"
        sock.sendall(f"DESCRIBE rtsp://{host}:{port}{path} RTSP/1.0\r\nCSeq: 1\r\n"
                     f"Accept: application/sdp\r\n{auth}\r\n".encode())
        status_line = sock.recv(256).split(b"\r\n", 1)[0].split()
        return int(status_line[1]) if len(status_line) > 1 else 0


class RtspClient:
    """A stream read over RTSP; made by fb.connect(). A thread decodes frames as they come
    and keeps only the newest, so latest() never returns a backlog."""

    transport = "rtsp"

    def __init__(self, url: str, *, token: Optional[str] = None,
                 timeout: Optional[float] = 5.0,
                 frame_timeout: Optional[float] = 10.0) -> None:
        import cv2  # type: ignore[import]  # optional: the shared-memory SDK runs without it

        parts = urlsplit(url)
        if parts.scheme != "rtsp" or not parts.hostname or not parts.path.strip("/"):
            raise ValueError(f"'{url}' is not rtsp://HOST:PORT/STREAM")
        self.url = url
        self.stream = parts.path.strip("/")
        self._host, self._port = parts.hostname, parts.port or 554
        if token is None:
            token = os.environ.get("FRAMEBRIDGE_TOKEN", "")
        login = f"{RTSP_USER}:{quote(token, safe='')}@" if token else ""
        self._frame_timeout = frame_timeout
        self._cond = threading.Condition()
        self._newest: Optional[Tuple[np.ndarray, int]] = None
        self._stamps = (0, 0, 0)  # seq, capture_ns, capture_unix_ns of _newest
        self._last_seq = 0
        self._high_seq = 0  # seq's bits above the 32 that travel
        self._frames = 0
        self.unreadable = 0  # frames whose stamp band did not decode: skipped
        self._error: Optional[Exception] = None
        self._closing = False
        open_ms = int((timeout if timeout is not None else 60.0) * 1000)
        saved = os.environ.get("OPENCV_FFMPEG_CAPTURE_OPTIONS")
        os.environ["OPENCV_FFMPEG_CAPTURE_OPTIONS"] = saved or FFMPEG_OPTIONS
        try:
            self._capture = cv2.VideoCapture(
                f"rtsp://{login}{self._host}:{self._port}{parts.path}", cv2.CAP_FFMPEG,
                [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, open_ms, cv2.CAP_PROP_READ_TIMEOUT_MSEC,
                 open_ms])
        finally:
            if saved is None:
                del os.environ["OPENCV_FFMPEG_CAPTURE_OPTIONS"]
        if not self._capture.isOpened():
            self._capture.release()
            raise self._why_not_open(parts.path, token, timeout)
        self._thread = threading.Thread(target=self._decode, name=f"rtsp {self.stream}",
                                        daemon=True)
        self._thread.start()
        _open_clients.add(self)

    def _why_not_open(self, path: str, token: str, timeout: Optional[float]) -> Exception:
        where = f"rtsp://{self._host}:{self._port}{path}"
        try:
            status = _describe_status(self._host, self._port, path, token, timeout)
        except OSError as exc:
            return ServerUnavailable(f"no RTSP server answers at {where} ({exc}); start "
                                     f"framebridge-server with --rtsp-port {self._port}")
        if status == 401:
            return AccessDenied(f"{where} wants the server's token: fb.connect(..., "
                                f"token=...) or $FRAMEBRIDGE_TOKEN" if not token else
                                f"{where} refused the token given")
        if status == 404:
            return StreamNotFound(f"the RTSP server at {where} has no stream "
                                  f"'{self.stream}'; fb.list_streams() on its host lists them")
        return ServerUnavailable(f"cv2.VideoCapture could not read {where} (RTSP status "
                                 f"{status}); is cv2 built with FFmpeg?")

    def _stamp(self, picture: np.ndarray) -> Optional[Tuple[np.ndarray, int, int, int]]:
        """(the picture without its band, seq, capture_ns, capture_unix_ns)."""
        band_height = stamp_band_height(picture.shape[1])
        if band_height == 0:
            self._last_seq += 1
            return picture, self._last_seq, 0, 0
        stamp = read_stamp(picture[-band_height:])
        if stamp is None:
            return None
        low, capture_us, unix_us = stamp
        # Only seq's low 32 bits travel: a wrap below the last one counts up the rest.
        seq = self._high_seq | low
        if seq + (1 << (SEQ_BITS - 1)) < self._last_seq:
            self._high_seq += 1 << SEQ_BITS
            seq = self._high_seq | low
        self._last_seq = max(self._last_seq, seq)
        return picture[:-band_height], seq, capture_us * 1000, unix_us * 1000

    def _decode(self) -> None:
        while not self._closing:
            ok, picture = self._capture.read()
            receive_ns = time.perf_counter_ns()
            if not ok or picture is None:
                with self._cond:
                    if not self._closing:
                        self._error = ServerGone(f"the RTSP stream {self.url} ended or its "
                                                 f"server went")
                    self._cond.notify_all()
                return
            stamped = self._stamp(picture)
            if stamped is None:
                self.unreadable += 1
                continue
            array, seq, capture_ns, unix_ns = stamped
            with self._cond:
                self._newest = (array, receive_ns)
                self._stamps = (seq, capture_ns, unix_ns)
                self._cond.notify_all()

    def latest(self, timeout: Optional[float] = None) -> RtspFrame:
        """The newest frame, newer than any this client returned before.

        Waits at most timeout seconds (None: forever): Timeout after, ServerGone when the
        stream ended or its server went.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._newest is None:
                if self._error is not None:
                    raise self._error
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise Timeout(f"no frame from {self.url} within {timeout} s")
                self._cond.wait(left)
            (array, receive_ns), self._newest = self._newest, None
            seq, capture_ns, unix_ns = self._stamps
        self._frames += 1
        return RtspFrame(array, seq, capture_ns, unix_ns, receive_ns)

    def __iter__(self) -> Iterator[RtspFrame]:
        """Frames until the stream ends, each the newest; waits at most frame_timeout
        seconds for each (Timeout)."""
        while True:
            try:
                frame = self.latest(timeout=self._frame_timeout)
            except ServerGone:
                return
            with frame:
                yield frame

    def close(self) -> None:
        """Stops decoding and closes the connection; safe to call more than once."""
        self._closing = True
        _open_clients.discard(self)
        thread = getattr(self, "_thread", None)
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self._capture.release()

    def __enter__(self) -> "RtspClient":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<RtspClient {self.url} frames={self._frames}>"


def open_rtsp(host: str, *, stream: Optional[str], port: Optional[int], token: Optional[str],
              timeout: Optional[float], frame_timeout: Optional[float]) -> RtspClient:
    """fb.connect()'s RTSP branch: host is an rtsp:// URL, or a host name with port."""
    if host.startswith("rtsp://"):
        return RtspClient(host, token=token, timeout=timeout, frame_timeout=frame_timeout)
    if not stream:
        raise ValueError("reading another host over RTSP needs the stream's name: "
                         "fb.connect(host=..., stream=NAME, rtsp_port=...)")
    return RtspClient(f"rtsp://{host}:{port}/{stream}", token=token, timeout=timeout,
                      frame_timeout=frame_timeout)
