"""The handshake every connection starts with (HELLO, WELCOME), shared by readers
(fb.connect), fb.list_streams and publishers (fb.publish)."""

import os
import sys
from typing import Optional

from . import _protocol as P
from ._connection import Connection
from ._deadline import deadline_of
from ._session import error_for
from ._layout import LAYOUT_VERSION, MAX_NAME_CHARS, MAX_SLOTS, MIN_SLOTS, is_valid_stream_name
from .errors import FrameBridgeError, ProtocolMismatch, ServerUnavailable, Timeout

TOKEN_VARIABLE = "FRAMEBRIDGE_TOKEN"


def default_name() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return name if name and not name.startswith("-") else "python"


def _is_control(c: str) -> bool:
    return ord(c) < 0x20 or ord(c) == 0x7F


def hello_name(name: str) -> str:
    """name as the server accepts it: no control characters, at most 64 bytes of UTF-8."""
    printable = "".join("?" if _is_control(c) else c for c in name)
    return P.truncate_utf8(printable, P.MAX_NAME_BYTES).decode("utf-8")


def checked_token(token: Optional[str]) -> str:
    """The token to send: the one given, else $FRAMEBRIDGE_TOKEN, else none ("")."""
    where = "token"
    if token is None:
        token, where = os.environ.get(TOKEN_VARIABLE, ""), TOKEN_VARIABLE
    size = len(token.encode("utf-8"))
    if size > P.MAX_TOKEN_BYTES:
        raise FrameBridgeError(f"the {where} is {size} bytes, the server takes at most "
                               f"{P.MAX_TOKEN_BYTES}")
    if any(_is_control(c) for c in token):
        raise FrameBridgeError(f"the {where} contains a control character; a token is "
                               f"printable text")
    return token


def hello(name: str, token: str, stream: str) -> P.Hello:
    """The HELLO asking for stream ("" for the server's first)."""
    return P.Hello(os.getpid(), hello_name(name), token, stream)


def not_a_server(address: str, unread: bytes) -> ServerUnavailable:
    """What answering HELLO with bytes that are no message means."""
    return ServerUnavailable(
        f"{address} is not a FrameBridge server: it answered the handshake with {unread!r}, "
        f"which is no FrameBridge message; check the port (the server logs its address when "
        f"it starts)")


def checked_welcome(message: Optional[P.Message], address: str, stream: str,
                    timeout: Optional[float]) -> P.Welcome:
    """The WELCOME that answered HELLO (None: nothing came within timeout), checked.

    An ERROR becomes its exception (StreamNotFound for a stream the server does not have).
    """
    if message is None:
        raise Timeout(f"FrameBridge server at {address} did not answer the handshake "
                      f"within {timeout} s")
    if isinstance(message, P.Error):
        raise error_for(address, message)
    if not isinstance(message, P.Welcome):
        raise ProtocolMismatch(f"FrameBridge server at {address} answered HELLO with "
                               f"{type(message).__name__}, expected WELCOME")
    w = message
    if w.protocol_version != P.PROTOCOL_VERSION or w.layout_version != LAYOUT_VERSION:
        raise ProtocolMismatch(
            f"FrameBridge server at {address} speaks protocol version "
            f"{w.protocol_version} with layout version {w.layout_version}; this SDK speaks "
            f"protocol {P.PROTOCOL_VERSION}, layout {LAYOUT_VERSION}: use the SDK of the "
            f"server's own release (its python_sdk/)")
    if not MIN_SLOTS <= w.slot_count <= MAX_SLOTS or not 1 <= w.max_leases <= w.slot_count:
        raise ProtocolMismatch(f"FrameBridge server at {address} sent WELCOME with "
                               f"slot_count {w.slot_count}, max_leases {w.max_leases}")
    if stream and w.stream != stream:
        raise ProtocolMismatch(f"FrameBridge server at {address} was asked for stream "
                               f"'{stream}' and welcomed this client to '{w.stream}'")
    return w


def handshake(conn: Connection, name: str, token: str, stream: str,
              timeout: Optional[float]) -> P.Welcome:
    """Say HELLO asking for stream ("" for the server's first) and check the WELCOME."""
    deadline = deadline_of(timeout)
    conn.send(hello(name, token, stream))
    try:
        message = conn.receive(deadline)
    except ProtocolMismatch:
        raise not_a_server(conn.address, conn.unread()) from None
    return checked_welcome(message, conn.address, stream, timeout)


def checked_stream_name(name: object, argument: str) -> str:
    """name if it follows the stream-name rule, else ValueError saying the rule."""
    if not isinstance(name, str) or not is_valid_stream_name(name):
        raise ValueError(f"{argument}={name!r} is not a stream name: use 1 to "
                         f"{MAX_NAME_CHARS} of A-Z a-z 0-9 . _ - (not starting with '.')")
    return name
