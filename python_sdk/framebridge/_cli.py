"""The commands of `python -m framebridge`: info, list, snapshot, latency, record."""

import argparse
import sys
import time
from typing import Callable, Dict, List, Optional

import numpy as np

from .client import Client
from .errors import FrameBridgeError
from .recorder import record as record_stream
from .streams import list_streams as streams_of

FRAME_TIMEOUT_S = 5.0


def _client(args: argparse.Namespace) -> Client:
    return Client(args.host, args.port, stream=args.stream, name="python -m framebridge",
                  token=args.token, frame_timeout=FRAME_TIMEOUT_S)


def _size(client: Client) -> str:
    with client.latest(timeout=FRAME_TIMEOUT_S) as frame:
        return f"{frame.width}x{frame.height} {frame.format}"


def info(args: argparse.Namespace) -> None:
    with _client(args) as client:
        size = _size(client)
        print(f"server     {args.host}:{args.port}\n"
              f"stream     {client.stream} ({client.stream_state})\n"
              f"frames     {size}, newest seq {client.newest_seq}\n"
              f"ring       {client.slot_count} slots; a client may hold {client.max_leases}\n"
              f"session    {client.session_id:#018x}\n"
              f"client id  {client.client_id} (this connection)")


def list_streams(args: argparse.Namespace) -> None:
    streams = streams_of(args.host, args.port, token=args.token)
    print(f"{'stream':<32}{'frames':<24}{'fps':>8}  {'producer':<9}{'clients':>7}  newest")
    for s in streams:
        size = f"{s.width}x{s.height} {s.format}"
        print(f"{s.name:<32}{size:<24}{s.fps:8.1f}  {s.producer:<9}{s.clients:>7}  "
              f"{s.newest_seq}")


def snapshot(args: argparse.Namespace) -> None:
    try:
        import cv2  # type: ignore[import]  # optional: only snapshot needs it
    except ImportError:
        raise FrameBridgeError("snapshot writes images with OpenCV, which is not installed "
                               "(Debian: apt-get install python3-opencv)") from None
    with _client(args) as client, client.latest(timeout=FRAME_TIMEOUT_S) as frame:
        if not cv2.imwrite(args.file, frame.array):
            raise FrameBridgeError(f"OpenCV could not write {args.file}; give it an image "
                                   f"file name such as snapshot.png")
        print(f"wrote frame {frame.seq} ({frame.width}x{frame.height}) to {args.file}")


def latency(args: argparse.Namespace) -> None:
    latencies_ms: List[float] = []
    with _client(args) as client:
        frames = iter(client)
        next(frames)  # the first frame's publish→receive time is its age, not a latency
        end = time.perf_counter() + args.seconds
        for frame in frames:
            latencies_ms.append((frame.receive_ns - frame.publish_ns) / 1e6)
            if time.perf_counter() >= end:
                break
    ms = np.array(latencies_ms)
    print(f"{len(ms)} frames in {args.seconds:g} s: publish -> receive p50 "
          f"{np.percentile(ms, 50):.3f} ms, p99 {np.percentile(ms, 99):.3f} ms, "
          f"max {ms.max():.3f} ms")


def record(args: argparse.Namespace) -> None:
    stats = record_stream(args.file, args.host, args.port, stream=args.stream, token=args.token,
                          seconds=args.seconds)
    print(f"wrote {stats.frames} frames ({stats.dropped} dropped, {stats.results} results, "
          f"{stats.bytes / 1e6:.1f} MB) to {stats.path} with {stats.encoder}; "
          f"frames and results in {stats.path}.jsonl")


COMMANDS: Dict[str, Callable[[argparse.Namespace], None]] = {
    "info": info, "list": list_streams, "snapshot": snapshot, "latency": latency,
    "record": record}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m framebridge",
                                  description="See whether a FrameBridge server is there "
                                              "and what it serves.")
    top.add_argument("--host", default="127.0.0.1", help="the server's address (127.0.0.1)")
    top.add_argument("--port", type=int, default=7600, help="the server's port (7600)")
    top.add_argument("--token", help="the server's --token (default: $FRAMEBRIDGE_TOKEN)")
    top.add_argument("--stream", help="the stream to read (default: the server's first)")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("info", help="the stream, its frames, ring and session")
    commands.add_parser("list", help="the server's streams: size, fps, producer, readers")
    shot = commands.add_parser("snapshot", help="write the newest frame to an image file")
    shot.add_argument("file", help="image file to write, e.g. snapshot.png")
    lat = commands.add_parser("latency", help="live publish -> receive p50/p99")
    lat.add_argument("--seconds", type=float, default=3.0, help="how long to measure (3)")
    rec = commands.add_parser("record", help="record the stream to a video file and a "
                                             "FILE.jsonl of its frames and results")
    rec.add_argument("--stream", default=argparse.SUPPRESS,
                     help="the stream to record (default: the server's first)")
    rec.add_argument("file", help="video file to write: .mp4 or .mkv (H.264), .avi (MJPEG)")
    rec.add_argument("--seconds", type=float, help="how long to record (default: until Ctrl+C)")
    return top


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    try:
        COMMANDS[args.command](args)
    except FrameBridgeError as exc:
        print(f"framebridge: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
