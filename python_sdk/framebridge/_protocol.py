"""Encode and decode the FrameBridge wire protocol.

The protocol is described once, in docs/wire-protocol.md, and implemented in C++ by
protocol/include/framebridge/protocol/messages.hpp; tests/vectors/wire.json holds the bytes
both must agree on. Every message is an 8-byte header (u32 body_size, u16 type, u16 flags)
and a little-endian body; a receiver checks type and body_size before it reads the body.
A segment name is checked where it is mapped (_segment.py), by that platform's rule.
"""

import enum
import struct
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple, Union

from .errors import ProtocolMismatch

PROTOCOL_VERSION = 2
HELLO_MAGIC = 0x50524246  # the bytes b"FBRP" read as a little-endian u32
MAX_BODY_SIZE = 1024
MAX_NAME_BYTES = 64
MAX_TOKEN_BYTES = 256
MAX_TEXT_BYTES = 1016

_HEADER = struct.Struct("<IHH")
_HELLO = struct.Struct("<IIIII")
_PAIR = struct.Struct("<II")  # ERROR and STREAM: code or state, text size
_U32 = struct.Struct("<I")
# WELCOME and SEGMENT both hold segment_size, session_id, slot_count and max_leases at bytes 8
# to 31 and end with the segment's name; SEGMENT's name size is at byte 32, WELCOME's client_id.
_SEGMENT_SIZES = struct.Struct("<QQII")
_SEGMENT_SIZES_AT = _PAIR.size
_SIZES_END = _SEGMENT_SIZES_AT + _SEGMENT_SIZES.size
_SEGMENT_FIXED = _SIZES_END + _U32.size
_WELCOME_FIXED = _SIZES_END + 2 * _U32.size
_REQUEST = struct.Struct("<Q")
_FRAME = struct.Struct("<IIQIIIIQQQ")
_RELEASE = struct.Struct("<IIQQQ")
HEADER_SIZE = _HEADER.size


class MessageType(enum.IntEnum):
    HELLO = 1
    WELCOME = 2
    ERROR = 3
    REQUEST = 4
    FRAME = 5
    RELEASE = 6
    STREAM = 7
    SEGMENT = 8


class StreamState(enum.IntEnum):
    """What the server last said of its source: LIVE, ENDED (no more frames), LOST."""

    LIVE = 1
    ENDED = 2
    LOST = 3

    def __str__(self) -> str:  # IntEnum prints its value from Python 3.11 on
        return self.name


class ErrorCode(enum.IntEnum):
    BAD_MESSAGE = 1
    VERSION_MISMATCH = 2
    LEASE_LIMIT = 3
    ACCESS_DENIED = 4


@dataclass(frozen=True)
class Hello:
    client_pid: int
    name: str
    token: str = ""
    protocol_version: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class SegmentDescription:
    """The segment a client maps, as WELCOME and SEGMENT both describe it.

    segment_name is spelled as the platform spells it ("NAME" on Linux, "Local\\NAME@1" on
    Windows); _segment.py checks it by that platform's rule when it maps it.
    """

    layout_version: int
    segment_size: int
    session_id: int
    slot_count: int
    max_leases: int
    segment_name: str


@dataclass(frozen=True)
class Welcome(SegmentDescription):
    """The answer to HELLO: the segment, and who the client is."""

    client_id: int
    protocol_version: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class Error:
    code: int
    text: str


@dataclass(frozen=True)
class Stream:
    state: int
    text: str


@dataclass(frozen=True)
class Segment(SegmentDescription):
    """SEGMENT: a new segment generation, which the client maps from now on."""


@dataclass(frozen=True)
class Request:
    after_seq: int


@dataclass(frozen=True)
class FrameMsg:
    slot: int
    pixel_format: int
    seq: int
    width: int
    height: int
    stride: int
    payload_size: int
    capture_ns: int
    publish_ns: int


@dataclass(frozen=True)
class Release:
    slot: int
    seq: int
    receive_ns: int
    done_ns: int


Message = Union[Hello, Welcome, Error, Stream, Segment, Request, FrameMsg, Release]

# type -> (fixed part of the body, largest variable tail); fixed-size types have tail 0.
_BODY_LIMITS = {
    MessageType.HELLO: (_HELLO.size, MAX_NAME_BYTES + MAX_TOKEN_BYTES),
    MessageType.WELCOME: (_WELCOME_FIXED, MAX_NAME_BYTES),
    MessageType.ERROR: (_PAIR.size, MAX_TEXT_BYTES),
    MessageType.REQUEST: (_REQUEST.size, 0),
    MessageType.FRAME: (_FRAME.size, 0),
    MessageType.RELEASE: (_RELEASE.size, 0),
    MessageType.STREAM: (_PAIR.size, MAX_TEXT_BYTES),
    MessageType.SEGMENT: (_SEGMENT_FIXED, MAX_NAME_BYTES),
}


def truncate_utf8(text: str, max_bytes: int) -> bytes:
    """Encode text as UTF-8, cut to at most max_bytes without splitting a character."""
    data = text.encode("utf-8")[:max_bytes]
    return data.decode("utf-8", errors="ignore").encode("utf-8")


def _frame(message_type: MessageType, body: bytes) -> bytes:
    return _HEADER.pack(len(body), message_type, 0) + body


def _checked_tail(data: bytes, kind: str, limit: int) -> bytes:
    if len(data) > limit:
        raise ProtocolMismatch(f"{kind} is {len(data)} bytes, at most {limit} allowed")
    return data


def _sized(data: bytes) -> bytes:
    return _U32.pack(len(data)) + data


def _segment_sizes(message: SegmentDescription) -> bytes:
    return _SEGMENT_SIZES.pack(message.segment_size, message.session_id, message.slot_count,
                               message.max_leases)


def _segment_name(message: SegmentDescription, kind: str) -> bytes:
    return _sized(_checked_tail(message.segment_name.encode("utf-8"), f"{kind} segment_name",
                                MAX_NAME_BYTES))


def encode(message: Message) -> bytes:
    """Encode one message, header included."""
    if isinstance(message, Hello):
        name = _checked_tail(message.name.encode("utf-8"), "HELLO name", MAX_NAME_BYTES)
        token = _checked_tail(message.token.encode("utf-8"), "HELLO token", MAX_TOKEN_BYTES)
        body = _HELLO.pack(HELLO_MAGIC, message.protocol_version, message.client_pid,
                           len(name), len(token)) + name + token
        return _frame(MessageType.HELLO, body)
    if isinstance(message, Welcome):
        body = (_PAIR.pack(message.protocol_version, message.layout_version)
                + _segment_sizes(message) + _U32.pack(message.client_id)
                + _segment_name(message, "WELCOME"))
        return _frame(MessageType.WELCOME, body)
    if isinstance(message, Error):
        text = _checked_tail(message.text.encode("utf-8"), "ERROR text", MAX_TEXT_BYTES)
        return _frame(MessageType.ERROR, _U32.pack(message.code) + _sized(text))
    if isinstance(message, Stream):
        text = _checked_tail(message.text.encode("utf-8"), "STREAM text", MAX_TEXT_BYTES)
        return _frame(MessageType.STREAM, _U32.pack(message.state) + _sized(text))
    if isinstance(message, Segment):
        body = (_PAIR.pack(message.layout_version, 0) + _segment_sizes(message)
                + _segment_name(message, "SEGMENT"))
        return _frame(MessageType.SEGMENT, body)
    if isinstance(message, Request):
        return _frame(MessageType.REQUEST, _REQUEST.pack(message.after_seq))
    if isinstance(message, FrameMsg):
        body = _FRAME.pack(message.slot, message.pixel_format, message.seq, message.width,
                           message.height, message.stride, 0, message.payload_size,
                           message.capture_ns, message.publish_ns)
        return _frame(MessageType.FRAME, body)
    if isinstance(message, Release):
        body = _RELEASE.pack(message.slot, 0, message.seq, message.receive_ns,
                             message.done_ns)
        return _frame(MessageType.RELEASE, body)
    raise TypeError(f"not a FrameBridge message: {message!r}")


def decode_header(data: Union[bytes, bytearray, memoryview]) -> Tuple[MessageType, int]:
    """Check an 8-byte header; return (type, body_size) or raise ProtocolMismatch."""
    body_size, raw_type, _flags = _HEADER.unpack_from(data, 0)
    try:
        message_type = MessageType(raw_type)
    except ValueError:
        raise ProtocolMismatch(f"unknown message type {raw_type} "
                               f"(body_size {body_size})") from None
    fixed, tail = _BODY_LIMITS[message_type]
    if body_size > MAX_BODY_SIZE:
        raise ProtocolMismatch(f"{message_type.name} body of {body_size} bytes is over "
                               f"the {MAX_BODY_SIZE}-byte limit")
    if body_size < fixed or body_size > fixed + tail:
        expected = f"{fixed}" if tail == 0 else f"{fixed} to {fixed + tail}"
        raise ProtocolMismatch(f"{message_type.name} body of {body_size} bytes, "
                               f"expected {expected}")
    return message_type, body_size


def _tail(body: bytes, fixed: int, size: int, kind: str) -> bytes:
    if size != len(body) - fixed:
        raise ProtocolMismatch(f"{kind} size {size} does not match the "
                               f"{len(body) - fixed} bytes that follow")
    return body[fixed:]


def _segment_description(body: bytes, layout_version: int, name_at: int,
                         kind: str) -> Dict[str, Any]:
    """The fields of a SegmentDescription, from WELCOME's or SEGMENT's body."""
    size, session, slots, leases = _SEGMENT_SIZES.unpack_from(body, _SEGMENT_SIZES_AT)
    (name_size,) = _U32.unpack_from(body, name_at)
    name = _tail(body, name_at + _U32.size, name_size, f"{kind} segment_name")
    return dict(layout_version=layout_version, segment_size=size, session_id=session,
                slot_count=slots, max_leases=leases,
                segment_name=name.decode("utf-8", errors="replace"))


def decode_body(message_type: MessageType, body: bytes) -> Message:
    """Decode a body whose header decode_header accepted."""
    if message_type == MessageType.HELLO:
        magic, version, pid, name_size, token_size = _HELLO.unpack_from(body)
        if magic != HELLO_MAGIC:
            raise ProtocolMismatch(f"HELLO magic 0x{magic:08x}, expected 0x{HELLO_MAGIC:08x}")
        if name_size > MAX_NAME_BYTES or token_size > MAX_TOKEN_BYTES:
            raise ProtocolMismatch(f"HELLO name size {name_size} or token size {token_size} "
                                   f"is over its limit ({MAX_NAME_BYTES}, {MAX_TOKEN_BYTES})")
        texts = _tail(body, _HELLO.size, name_size + token_size, "HELLO name and token")
        return Hello(pid, texts[:name_size].decode("utf-8", errors="replace"),
                     texts[name_size:].decode("utf-8", errors="replace"), version)
    if message_type == MessageType.WELCOME:
        version, layout = _PAIR.unpack_from(body)
        (client_id,) = _U32.unpack_from(body, _SIZES_END)
        return Welcome(**_segment_description(body, layout, _SIZES_END + _U32.size, "WELCOME"),
                       client_id=client_id, protocol_version=version)
    if message_type == MessageType.ERROR:
        code, text_size = _PAIR.unpack_from(body)
        text = _tail(body, _PAIR.size, text_size, "ERROR text")
        return Error(code, text.decode("utf-8", errors="replace"))
    if message_type == MessageType.STREAM:
        state, text_size = _PAIR.unpack_from(body)
        text = _tail(body, _PAIR.size, text_size, "STREAM text")
        return Stream(state, text.decode("utf-8", errors="replace"))
    if message_type == MessageType.SEGMENT:
        layout, _reserved = _PAIR.unpack_from(body)
        return Segment(**_segment_description(body, layout, _SIZES_END, "SEGMENT"))
    if message_type == MessageType.REQUEST:
        return Request(*_REQUEST.unpack_from(body))
    if message_type == MessageType.FRAME:
        f = _FRAME.unpack_from(body)
        return FrameMsg(f[0], f[1], f[2], f[3], f[4], f[5], f[7], f[8], f[9])
    slot, _reserved, seq, receive_ns, done_ns = _RELEASE.unpack_from(body)
    return Release(slot, seq, receive_ns, done_ns)


def decode(data: Union[bytes, bytearray, memoryview]) -> Tuple[Optional[Message], int]:
    """Decode the first message in data.

    Returns (message, bytes consumed), or (None, 0) when data holds only part of a
    message. A bad header raises ProtocolMismatch as soon as its 8 bytes are there.
    """
    if len(data) < HEADER_SIZE:
        return None, 0
    message_type, body_size = decode_header(data)
    end = HEADER_SIZE + body_size
    if len(data) < end:
        return None, 0
    return decode_body(message_type, bytes(data[HEADER_SIZE:end])), end
