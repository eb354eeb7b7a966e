"""FrameBridge: live video frames from a FrameBridge server as zero-copy NumPy arrays.

    import framebridge as fb
    with fb.connect(port=7600) as client:
        for frame in client:
            print(frame.seq, frame.array.shape)
"""

from . import errors
from ._layout import PixelFormat
from ._protocol import StreamState
from .client import Client, connect
from .errors import (AccessDenied, FrameBridgeError, FrameOverwritten, FrameReleased,
                     FrameTakenBack, LeaseLimit, ProtocolMismatch, ServerGone,
                     ServerUnavailable, StreamEnded, Timeout)
from .frame import Frame

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
    "ServerGone",
    "ServerUnavailable",
    "StreamEnded",
    "StreamState",
    "Timeout",
    "__version__",
    "connect",
    "errors",
]
