"""The SDK's exceptions: one base class, one subclass per thing a caller may handle."""


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
    """The frame's slot was rewritten while it was being read."""


class StreamEnded(FrameBridgeError):
    """The stream has no more frames (a file played to its end); iterating a client stops."""
