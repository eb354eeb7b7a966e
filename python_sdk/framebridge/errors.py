"""The SDK's exceptions: one base class, one subclass per thing a caller may handle."""

from typing import List, Sequence


class FrameBridgeError(Exception):
    """Base class of every error the framebridge SDK raises."""


class ServerUnavailable(FrameBridgeError):
    """No FrameBridge server answers at the given address."""


class AccessDenied(FrameBridgeError):
    """The server wants a token and none, or the wrong one, was given."""


class ServerGone(FrameBridgeError):
    """The server closed the connection (it stopped or crashed)."""


class Timeout(FrameBridgeError, TimeoutError):
    """No answer within the timeout; also a builtin TimeoutError."""


class ProtocolMismatch(FrameBridgeError):
    """The peer sent a message this SDK cannot accept (bad type, size, version or value)."""


class FrameOverwritten(FrameBridgeError):
    """The frame's slot no longer holds it (FrameTakenBack is the one way that happens)."""


class FrameTakenBack(FrameOverwritten):
    """The server took the frame back: this client held frames while every slot was in use
    for 100 ms, and the slot now holds another frame. Copy sooner, hold fewer frames, or
    start the server with more --slots."""


class FrameReleased(FrameBridgeError):
    """The frame was released: its pixels are no longer this client's. Keep the array or
    frame.copy() from before release()."""


class LeaseLimit(FrameBridgeError):
    """The client already holds as many frames as the server allows (client.max_leases)."""


class StreamEnded(FrameBridgeError):
    """The stream has no more frames (a file played to its end, or its publisher closed or
    died); iterating a client stops."""


class StreamNotFound(FrameBridgeError):
    """The server has no stream of the name asked for; .names lists the streams it has."""

    def __init__(self, message: str, names: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.names: List[str] = list(names)


class StreamExists(FrameBridgeError):
    """fb.publish(): the server already has a stream of that name (from a capture source or
    another publisher); choose another name."""
