"""FrameBridge: live video frames from a FrameBridge server as zero-copy NumPy arrays, and
frames sent back to it the same way.

    import framebridge as fb
    with fb.connect(port=7600, stream="front") as client:
        for frame in client:
            print(frame.seq, frame.array.shape)

    with fb.connect(port=7600) as client, \
         fb.publish("edges", 640, 480, fb.PixelFormat.GRAY8, port=7600) as out:
        for frame in client:
            with frame, out.frame(source=frame) as dst:
                cv2.Canny(frame.array, 100, 200, edges=dst)

    with fb.connect(port=7600) as client:       # what a script found, back to the server
        for frame in client:
            client.send_result(frame, boxes=[(10, 20, 64, 48)], labels=["face"], text="1 face")

    with fb.connect(port=7600) as client:       # and what every script finds, from it
        for result in client.results(timeout=5.0):
            print(result.sender.name, result.seq, result.boxes, result.text)
"""

from . import errors
from ._layout import PixelFormat
from ._protocol import StreamState
from .client import Client, connect
from .errors import (AccessDenied, FrameBridgeError, FrameOverwritten, FrameReleased,
                     FrameTakenBack, LeaseLimit, ProtocolMismatch, ServerGone,
                     ServerUnavailable, StreamEnded, StreamExists, StreamNotFound, Timeout)
from .frame import Frame
from .publisher import Publisher, publish
from .recorder import Recorder, RecordStats, record
from .results import Result, Sender
from .rtsp import RtspClient, RtspFrame
from .streams import StreamInfo, list_streams

__version__ = "0.1.0"

__all__ = [
    "AccessDenied",
    "Client",
    "Frame",
    "FrameBridgeError",
    "FrameOverwritten",
    "FrameReleased",
    "FrameTakenBack",
    "LeaseLimit",
    "PixelFormat",
    "ProtocolMismatch",
    "Publisher",
    "RecordStats",
    "Recorder",
    "Result",
    "RtspClient",
    "RtspFrame",
    "Sender",
    "ServerGone",
    "ServerUnavailable",
    "StreamEnded",
    "StreamExists",
    "StreamInfo",
    "StreamNotFound",
    "StreamState",
    "Timeout",
    "__version__",
    "connect",
    "errors",
    "list_streams",
    "publish",
    "record",
]
