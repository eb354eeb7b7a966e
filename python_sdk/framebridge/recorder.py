"""Recording a stream to a video file, with a sidecar of its frames and results.

    import framebridge as fb
    stats = fb.record("clip.mp4", port=7600, seconds=10)      # or until Ctrl+C
    print(stats.frames, stats.dropped, stats.results)

    with fb.connect(port=7600) as client, fb.Recorder("clip.mkv", client) as rec:
        while rec.stats.frames < 300:
            rec.step()

The video is H.264 in .mp4 or .mkv (GStreamer's x264enc, else OpenCV's FFmpeg writer) or MJPEG
in .avi; beside it, FILE.jsonl holds one JSON line per frame written and per result received,
in the format of docs/recording.md, the same the server's --record and the desktop app write.
Frames come by lease like any client's: the newest each time, so when the encoder is slower
than the stream the frames in between are skipped and counted in stats.dropped.
"""

import json
import os
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from ._layout import PixelFormat
from .client import Client
from .errors import FrameBridgeError
from .frame import Frame
from .results import Result

SIDECAR_VERSION = 1
DEFAULT_FPS = 30.0
FRAME_TIMEOUT_S = 5.0

# x264 tuned to keep up: the fastest preset, nothing held back for B-frames or lookahead, a key
# frame every 2 s at 30 fps (the same settings as the C++ recorder's).
_X264 = "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=60 bitrate=8000"
_CONTAINERS = {".mp4": "mp4mux", ".mkv": "matroskamux", ".avi": None}


@dataclass
class RecordStats:
    """How a recording went: frames written, frames skipped because the encoder was busy,
    results written to the sidecar, the video's size on disk, and which encoder wrote it."""

    path: str
    encoder: str
    frames: int = 0
    dropped: int = 0
    results: int = 0
    bytes: int = 0


def sidecar_path(video_path: str) -> str:
    """The sidecar of a video: its path with ".jsonl" added (clip.mp4 -> clip.mp4.jsonl)."""
    return video_path + ".jsonl"


def _cv2() -> Any:
    try:
        import cv2  # type: ignore[import]  # optional: only recording needs it
    except ImportError:
        raise FrameBridgeError("recording writes video with OpenCV, which is not installed "
                               "(Debian: apt-get install python3-opencv)") from None
    return cv2


def _mux_of(path: str) -> Optional[str]:
    extension = os.path.splitext(path)[1].lower()
    if extension not in _CONTAINERS:
        raise FrameBridgeError(f"cannot record to {path!r}: its extension says no video kind "
                               f"known here; name the file *.mp4 or *.mkv (H.264) or *.avi "
                               f"(MJPEG)")
    return _CONTAINERS[extension]


def _open_video(path: str, width: int, height: int, fps: float) -> Tuple[Any, str]:
    """The first writer that opens, and its name."""
    cv2 = _cv2()
    mux = _mux_of(path)
    quoted = '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'
    attempts: List[Tuple[str, int, str, Optional[str]]]
    if mux is None:
        attempts = [("OpenCV MJPEG", cv2.CAP_OPENCV_MJPEG, path, "MJPG")]
    else:
        attempts = [
            (f"GStreamer x264enc ! {mux}", cv2.CAP_GSTREAMER,
             f"appsrc ! videoconvert ! {_X264} ! {mux} ! filesink location={quoted}", None),
            ("FFmpeg H.264 (avc1)", cv2.CAP_FFMPEG, path, "avc1"),
            ("FFmpeg MPEG-4 part 2 (mp4v)", cv2.CAP_FFMPEG, path, "mp4v")]
    for name, api, target, code in attempts:
        fourcc = cv2.VideoWriter_fourcc(*code) if code else 0
        try:
            writer = cv2.VideoWriter(target, api, fourcc, fps, (width, height), True)
        except cv2.error:  # a backend that is not built in
            continue
        if writer.isOpened():
            return writer, name
    tried = ", ".join(a[0] for a in attempts)
    raise FrameBridgeError(f"no video encoder could write {path!r} (tried {tried}): check "
                           f"that its folder exists and is writable; for H.264 install "
                           f"GStreamer's x264enc (Debian: gstreamer1.0-plugins-ugly), or "
                           f"record to a .avi file (MJPEG)")


def _line(fields: Dict[str, Any]) -> str:
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=False) + "\n"


def _result_fields(result: Result) -> Dict[str, Any]:
    return {"type": "result", "seq": result.seq, "capture_ns": result.capture_ns,
            "sender_id": result.sender.id, "sender": result.sender.name,
            "received_ns": result.received_ns,
            "boxes": [list(b) for b in result.boxes], "labels": list(result.labels),
            "scores": list(result.scores), "points": [list(p) for p in result.points],
            "polylines": [[list(p) for p in line] for line in result.polylines],
            "text": result.text}


class Recorder:
    """Records the stream `client` reads to `path` (.mp4, .mkv or .avi), replacing it.

    The first frame gives the video its size and is waited for here (at most
    first_frame_timeout seconds); fps is the video's rate (default 30: the stream's frames
    are written as they come, and their real times are in the sidecar). step() records the
    newest frame and the results that came since; close() finalizes both files (`with` does
    it). Nothing is left behind when it cannot start.
    """

    def __init__(self, path: str, client: Client, *, fps: Optional[float] = None,
                 first_frame_timeout: float = FRAME_TIMEOUT_S) -> None:
        _mux_of(path)
        if not isinstance(client, Client):
            raise TypeError(f"Recorder reads frames and results through shared memory: give it "
                            f"a client of a server on this machine (fb.connect(port=...)), "
                            f"not {type(client).__name__}")
        self._client = client
        self._last_seq = 0
        self._video: Any = None
        self._sidecar_path = sidecar_path(path)
        first = client.latest(timeout=first_frame_timeout)
        try:
            self._bgr = self._to_bgr(first)
            try:
                self._sidecar = open(self._sidecar_path, "w", encoding="utf-8")
            except OSError as exc:
                raise FrameBridgeError(f"cannot record: cannot write {self._sidecar_path!r} "
                                       f"({exc.strerror}); choose a folder that exists and "
                                       f"that you may write to") from None
            try:
                self._start(path, client, first, fps or DEFAULT_FPS)
            except BaseException:
                # Whatever stopped it (no encoder, the server gone, Ctrl+C): nothing half-made
                # stays, neither the sidecar nor what the encoder began.
                self._sidecar.close()
                if self._video is not None:
                    self._video.release()
                for made in (self._sidecar_path, path):
                    if os.path.exists(made):
                        os.remove(made)
                raise
        finally:
            first.release()

    def _start(self, path: str, client: Client, first: Frame, rate: float) -> None:
        self._video, encoder = _open_video(path, first.width, first.height, rate)
        self.stats = RecordStats(path=path, encoder=encoder)
        self._wall_offset_ns = first.capture_unix_ns - first.capture_ns
        self._write_line({
            "type": "recording", "version": SIDECAR_VERSION, "stream": client.stream,
            "video": os.path.basename(path), "width": first.width, "height": first.height,
            "format": str(first.format), "fps": rate, "encoder": encoder,
            "writer": "framebridge (Python)", "wall_offset_ns": self._wall_offset_ns})
        client.results(timeout=0)  # watch results from now on
        self._write(first)

    def _to_bgr(self, frame: Frame) -> Any:
        cv2 = _cv2()
        if frame.format == PixelFormat.GRAY8:
            return cv2.cvtColor(frame.array, cv2.COLOR_GRAY2BGR)
        if frame.format == PixelFormat.BGRA8:
            return cv2.cvtColor(frame.array, cv2.COLOR_BGRA2BGR)
        return frame.array.copy()

    def _write_line(self, fields: Dict[str, Any]) -> None:
        # Flushed line by line: a process killed mid-recording loses at most the last line.
        self._sidecar.write(_line(fields))
        self._sidecar.flush()

    def _write(self, frame: Frame) -> None:
        seq, capture_ns = frame.seq, frame.capture_ns
        if self._last_seq and seq > self._last_seq + 1:
            self.stats.dropped += seq - self._last_seq - 1
        bgr = self._to_bgr(frame) if self._last_seq else self._bgr
        frame.release()  # held only while copied out: the encoder may take far longer
        self._video.write(bgr)
        self._write_line({"type": "frame", "index": self.stats.frames, "seq": seq,
                          "capture_ns": capture_ns,
                          "wall_ns": capture_ns + self._wall_offset_ns if capture_ns else 0})
        self._last_seq = seq
        self.stats.frames += 1
        self.stats.bytes = os.path.getsize(self.stats.path)

    def step(self, timeout: Optional[float] = FRAME_TIMEOUT_S) -> None:
        """Records the newest frame (waiting at most timeout seconds for one; raises Timeout
        after) and every result that came since the last step."""
        frame = self._client.latest(timeout=timeout)
        if (frame.width, frame.height) != (self._bgr.shape[1], self._bgr.shape[0]):
            frame.release()
            raise FrameBridgeError(f"the stream's frames changed from {self._bgr.shape[1]}x"
                                   f"{self._bgr.shape[0]} to {frame.width}x{frame.height}, "
                                   f"and a video keeps one size; start another recording")
        self._write(frame)
        for result in self._client.results(timeout=0):
            self._write_line(_result_fields(result))
            self.stats.results += 1

    def close(self) -> None:
        """Finalizes the video and ends the sidecar; safe to repeat."""
        if self._video is None:
            return
        self._video.release()
        self._video = None
        self._write_line({"type": "end", "frames": self.stats.frames,
                          "dropped": self.stats.dropped, "results": self.stats.results})
        self._sidecar.close()
        self.stats.bytes = os.path.getsize(self.stats.path)

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def record(path: str, host: str = "127.0.0.1", port: int = 7600, *,
           stream: Optional[str] = None, token: Optional[str] = None,
           seconds: Optional[float] = None, fps: Optional[float] = None) -> RecordStats:
    """Records `stream` (default: the server's first) of the server at host:port to `path`
    for `seconds` (None: until Ctrl+C, which ends it cleanly), and returns its statistics."""
    end = None if seconds is None else time.perf_counter() + seconds
    with Client(host, port, stream=stream, token=token, name="framebridge recorder") as client:
        with Recorder(path, client, fps=fps) as recorder:
            try:
                while end is None or time.perf_counter() < end:
                    recorder.step()
            except KeyboardInterrupt:
                pass
        return recorder.stats


__all__: List[str] = ["RecordStats", "Recorder", "record", "sidecar_path"]
