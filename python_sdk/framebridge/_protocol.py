"""Encode and decode the FrameBridge wire protocol.

The protocol is described once, in docs/wire-protocol.md, and implemented in C++ by
protocol/include/framebridge/protocol/messages.hpp; tests/vectors/wire.json holds the bytes
both must agree on. Every message is an 8-byte header (u32 body_size, u16 type, u16 flags)
and a little-endian body; a receiver checks type and body_size before it reads the body.
A segment name is checked where it is mapped (_segment.py), by that platform's rule.
Version 3 adds named streams (HELLO and WELCOME name one; LIST, STREAMS) and publishing
(PUBLISH, PUBLISHING, WRITE, SLOT, DONE, CANCEL); version 4 results (RESULT, WATCH,
RESULT_FROM), whose RESULT body _result_codec.py reads and writes; version 5 the grant
cell a reader that spins on shared memory is lent (SPIN, CELL).
"""

import enum
import struct
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from ._result_codec import RESULT_HEAD, ResultMsg, decode_result, encode_result
from .errors import ProtocolMismatch

PROTOCOL_VERSION = 5
HELLO_MAGIC = 0x50524246  # the bytes b"FBRP" read as a little-endian u32
MAX_BODY_SIZE = 1024
MAX_STREAMS_BODY_SIZE = 65536  # STREAMS lists every stream of the server
MAX_NAME_BYTES = 64
MAX_TOKEN_BYTES = 256
MAX_TEXT_BYTES = 1016
MAX_RESULT_BODY_SIZE = 65536
MAX_RESULT_FROM_BODY_SIZE = MAX_RESULT_BODY_SIZE + 24 + MAX_NAME_BYTES
MAX_GRANT_CELLS = 64  # CELL names one of a segment's grant cells
NO_CELL = 0xFFFFFFFF  # CELL: every grant cell is lent

_HEADER = struct.Struct("<IHH")
_HELLO = struct.Struct("<IIIIII")
_PAIR = struct.Struct("<II")  # ERROR and STREAM: code or state, text size; SLOT, CANCEL
_U32 = struct.Struct("<I")
# WELCOME, SEGMENT and PUBLISHING all hold segment_size, session_id, slot_count and max_leases
# at bytes 8 to 31; SEGMENT's and PUBLISHING's name size is at byte 32, WELCOME's client_id.
_SEGMENT_SIZES = struct.Struct("<QQII")
_SEGMENT_SIZES_AT = _PAIR.size
_SIZES_END = _SEGMENT_SIZES_AT + _SEGMENT_SIZES.size
_SEGMENT_FIXED = _SIZES_END + _U32.size
_WELCOME_SIZES = struct.Struct("<III")  # client_id, name_size, stream_size
_WELCOME_FIXED = _SIZES_END + _WELCOME_SIZES.size
_REQUEST = struct.Struct("<Q")
_FRAME = struct.Struct("<IIQIIIIQQQQ")
_RELEASE = struct.Struct("<IIQQQ")
_STREAM_ENTRY = struct.Struct("<IIIIIIQI")
_PUBLISH = struct.Struct("<IIIIII")
_DONE = struct.Struct("<IIQQ")
_RESULT_FROM = struct.Struct("<IIQII")  # sender_id, skipped, received_ns, name and result sizes
HEADER_SIZE = _HEADER.size
MAX_MESSAGE_SIZE = HEADER_SIZE + MAX_RESULT_FROM_BODY_SIZE  # the largest, header included


class MessageType(enum.IntEnum):
    HELLO = 1
    WELCOME = 2
    ERROR = 3
    REQUEST = 4
    FRAME = 5
    RELEASE = 6
    STREAM = 7
    SEGMENT = 8
    LIST = 9
    STREAMS = 10
    PUBLISH = 11
    PUBLISHING = 12
    WRITE = 13
    SLOT = 14
    DONE = 15
    CANCEL = 16
    RESULT = 17
    WATCH = 18
    RESULT_FROM = 19
    SPIN = 20
    CELL = 21


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
    STREAM_NOT_FOUND = 5
    STREAM_EXISTS = 6


class Producer(enum.IntEnum):
    """Who fills a stream (STREAMS): a capture source of the server's, or a client."""

    CAPTURE = 1
    CLIENT = 2


@dataclass(frozen=True)
class Hello:
    client_pid: int
    name: str
    token: str = ""
    stream: str = ""  # "" reads the server's first stream
    protocol_version: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class SegmentDescription:
    """The segment a client maps, as WELCOME, SEGMENT and PUBLISHING describe it.

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
    """The answer to HELLO: the segment, the stream it holds, and who the client is."""

    client_id: int
    stream: str = ""
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
    source_seq: int = 0


@dataclass(frozen=True)
class Release:
    slot: int
    seq: int
    receive_ns: int
    done_ns: int


@dataclass(frozen=True)
class ListStreams:
    """LIST: "which streams do you have?" (no fields)."""


@dataclass(frozen=True)
class StreamEntry:
    """One stream in a STREAMS answer."""

    width: int
    height: int
    pixel_format: int
    producer: int
    fps_milli: int
    clients: int
    newest_seq: int
    name: str


@dataclass(frozen=True)
class Streams:
    """STREAMS: every stream of the server, in the order they were made."""

    streams: List[StreamEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Publish:
    width: int
    height: int
    pixel_format: int
    fps_milli: int
    slot_count: int  # 0: the server's default
    name: str


@dataclass(frozen=True)
class Publishing(SegmentDescription):
    """PUBLISHING: the segment the publisher maps writable (max_leases is 0)."""


@dataclass(frozen=True)
class Write:
    """WRITE: "lend me a slot" (no fields)."""


@dataclass(frozen=True)
class Slot:
    slot: int


@dataclass(frozen=True)
class Done:
    slot: int
    source_seq: int
    capture_ns: int


@dataclass(frozen=True)
class Cancel:
    slot: int


@dataclass(frozen=True)
class Watch:
    """WATCH: start (True) or stop getting the results sent on this connection's stream."""

    watch: bool = True


@dataclass(frozen=True)
class ResultFrom:
    """RESULT_FROM: a result a client sent on this connection's stream."""

    sender_id: int
    skipped: int  # results this client did not get since the previous RESULT_FROM
    received_ns: int  # when the server read the RESULT
    sender_name: str
    result: ResultMsg


@dataclass(frozen=True)
class Spin:
    """SPIN: this client waits by spinning on shared memory; lend it a grant cell."""


@dataclass(frozen=True)
class Cell:
    """CELL: the grant cell lent to this connection, None when every cell is lent."""

    cell: Optional[int]


Message = Union[Hello, Welcome, Error, Stream, Segment, Request, FrameMsg, Release, ListStreams,
                Streams, Publish, Publishing, Write, Slot, Done, Cancel, ResultMsg, Watch,
                ResultFrom, Spin, Cell]

# type -> (fixed part of the body, largest variable tail); fixed-size types have tail 0.
_BODY_LIMITS = {
    MessageType.HELLO: (_HELLO.size, 2 * MAX_NAME_BYTES + MAX_TOKEN_BYTES),
    MessageType.WELCOME: (_WELCOME_FIXED, 2 * MAX_NAME_BYTES),
    MessageType.ERROR: (_PAIR.size, MAX_TEXT_BYTES),
    MessageType.REQUEST: (_REQUEST.size, 0),
    MessageType.FRAME: (_FRAME.size, 0),
    MessageType.RELEASE: (_RELEASE.size, 0),
    MessageType.STREAM: (_PAIR.size, MAX_TEXT_BYTES),
    MessageType.SEGMENT: (_SEGMENT_FIXED, MAX_NAME_BYTES),
    MessageType.LIST: (0, 0),
    MessageType.STREAMS: (_U32.size, MAX_STREAMS_BODY_SIZE - _U32.size),
    MessageType.PUBLISH: (_PUBLISH.size, MAX_NAME_BYTES),
    MessageType.PUBLISHING: (_SEGMENT_FIXED, MAX_NAME_BYTES),
    MessageType.WRITE: (0, 0),
    MessageType.SLOT: (_PAIR.size, 0),
    MessageType.DONE: (_DONE.size, 0),
    MessageType.CANCEL: (_PAIR.size, 0),
    MessageType.RESULT: (RESULT_HEAD.size, MAX_RESULT_BODY_SIZE - RESULT_HEAD.size),
    MessageType.WATCH: (_U32.size, 0),
    MessageType.RESULT_FROM: (_RESULT_FROM.size, MAX_RESULT_FROM_BODY_SIZE - _RESULT_FROM.size),
    MessageType.SPIN: (0, 0),
    MessageType.CELL: (_PAIR.size, 0),
}
# The types whose body may be longer than MAX_BODY_SIZE.
_LARGE_BODIES = {MessageType.STREAMS: MAX_STREAMS_BODY_SIZE,
                 MessageType.RESULT: MAX_RESULT_BODY_SIZE,
                 MessageType.RESULT_FROM: MAX_RESULT_FROM_BODY_SIZE}


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


def _text(text: str, kind: str, limit: int = MAX_NAME_BYTES) -> bytes:
    return _checked_tail(text.encode("utf-8"), kind, limit)


def _sized(data: bytes) -> bytes:
    return _U32.pack(len(data)) + data


def _segment_sizes(message: SegmentDescription) -> bytes:
    return _SEGMENT_SIZES.pack(message.segment_size, message.session_id, message.slot_count,
                               message.max_leases)


def _segment_body(message: SegmentDescription, kind: str) -> bytes:
    """The body SEGMENT and PUBLISHING share."""
    return (_PAIR.pack(message.layout_version, 0) + _segment_sizes(message)
            + _sized(_text(message.segment_name, f"{kind} segment_name")))


def _encode_hello(m: Hello) -> bytes:
    name = _text(m.name, "HELLO name")
    token = _text(m.token, "HELLO token", MAX_TOKEN_BYTES)
    stream = _text(m.stream, "HELLO stream")
    return _HELLO.pack(HELLO_MAGIC, m.protocol_version, m.client_pid, len(name), len(token),
                       len(stream)) + name + token + stream


def _encode_welcome(m: Welcome) -> bytes:
    name = _text(m.segment_name, "WELCOME segment_name")
    stream = _text(m.stream, "WELCOME stream")
    return (_PAIR.pack(m.protocol_version, m.layout_version) + _segment_sizes(m)
            + _WELCOME_SIZES.pack(m.client_id, len(name), len(stream)) + name + stream)


def _encode_entry(e: StreamEntry) -> bytes:
    name = _text(e.name, "STREAMS name")
    return _STREAM_ENTRY.pack(e.width, e.height, e.pixel_format, e.producer, e.fps_milli,
                              e.clients, e.newest_seq, len(name)) + name


def _encode_streams(m: Streams) -> bytes:
    body = _U32.pack(len(m.streams)) + b"".join(_encode_entry(e) for e in m.streams)
    return _checked_tail(body, "STREAMS body", MAX_STREAMS_BODY_SIZE)


def _encode_publish(m: Publish) -> bytes:
    name = _text(m.name, "PUBLISH name")
    return _PUBLISH.pack(m.width, m.height, m.pixel_format, m.fps_milli, m.slot_count,
                         len(name)) + name


def _encode_frame(m: FrameMsg) -> bytes:
    return _FRAME.pack(m.slot, m.pixel_format, m.seq, m.width, m.height, m.stride, 0,
                       m.payload_size, m.capture_ns, m.publish_ns, m.source_seq)


def _encode_result_from(m: ResultFrom) -> bytes:
    name = _text(m.sender_name, "RESULT_FROM sender_name")
    result = encode_result(m.result)
    return _RESULT_FROM.pack(m.sender_id, m.skipped, m.received_ns, len(name),
                             len(result)) + name + result


_ENCODERS: Dict[type, Tuple[MessageType, Callable[[Any], bytes]]] = {
    Hello: (MessageType.HELLO, _encode_hello),
    Welcome: (MessageType.WELCOME, _encode_welcome),
    Error: (MessageType.ERROR, lambda m: _U32.pack(m.code)
            + _sized(_text(m.text, "ERROR text", MAX_TEXT_BYTES))),
    Stream: (MessageType.STREAM, lambda m: _U32.pack(m.state)
             + _sized(_text(m.text, "STREAM text", MAX_TEXT_BYTES))),
    Segment: (MessageType.SEGMENT, lambda m: _segment_body(m, "SEGMENT")),
    Request: (MessageType.REQUEST, lambda m: _REQUEST.pack(m.after_seq)),
    FrameMsg: (MessageType.FRAME, _encode_frame),
    Release: (MessageType.RELEASE, lambda m: _RELEASE.pack(m.slot, 0, m.seq, m.receive_ns,
                                                           m.done_ns)),
    ListStreams: (MessageType.LIST, lambda m: b""),
    Streams: (MessageType.STREAMS, _encode_streams),
    Publish: (MessageType.PUBLISH, _encode_publish),
    Publishing: (MessageType.PUBLISHING, lambda m: _segment_body(m, "PUBLISHING")),
    Write: (MessageType.WRITE, lambda m: b""),
    Slot: (MessageType.SLOT, lambda m: _PAIR.pack(m.slot, 0)),
    Done: (MessageType.DONE, lambda m: _DONE.pack(m.slot, 0, m.source_seq, m.capture_ns)),
    Cancel: (MessageType.CANCEL, lambda m: _PAIR.pack(m.slot, 0)),
    ResultMsg: (MessageType.RESULT, encode_result),
    Watch: (MessageType.WATCH, lambda m: _U32.pack(1 if m.watch else 0)),
    ResultFrom: (MessageType.RESULT_FROM, _encode_result_from),
    Spin: (MessageType.SPIN, lambda m: b""),
    Cell: (MessageType.CELL, lambda m: _PAIR.pack(NO_CELL if m.cell is None else m.cell, 0)),
}


def encode(message: Message) -> bytes:
    """Encode one message, header included."""
    entry = _ENCODERS.get(type(message))
    if entry is None:
        raise TypeError(f"not a FrameBridge message: {message!r}")
    message_type, encoder = entry
    return _frame(message_type, encoder(message))


_MESSAGE_TYPES = {int(t): t for t in MessageType}  # once per message: MessageType(n) costs more


def decode_header(data: Union[bytes, bytearray, memoryview]) -> Tuple[MessageType, int]:
    """Check an 8-byte header; return (type, body_size) or raise ProtocolMismatch."""
    body_size, raw_type, _flags = _HEADER.unpack_from(data, 0)
    message_type = _MESSAGE_TYPES.get(raw_type)
    if message_type is None:
        raise ProtocolMismatch(f"unknown message type {raw_type} (body_size {body_size})")
    fixed, tail = _BODY_LIMITS[message_type]
    limit = _LARGE_BODIES.get(message_type, MAX_BODY_SIZE)
    if body_size > limit:
        raise ProtocolMismatch(f"{message_type.name} body of {body_size} bytes is over "
                               f"the {limit}-byte limit")
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


def _utf8(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _segment_description(body: bytes, layout_version: int, name_at: int,
                         kind: str) -> Dict[str, Any]:
    """The fields of a SegmentDescription, from WELCOME's, SEGMENT's or PUBLISHING's body."""
    size, session, slots, leases = _SEGMENT_SIZES.unpack_from(body, _SEGMENT_SIZES_AT)
    (name_size,) = _U32.unpack_from(body, name_at)
    name = _tail(body, name_at + _U32.size, name_size, f"{kind} segment_name")
    return dict(layout_version=layout_version, segment_size=size, session_id=session,
                slot_count=slots, max_leases=leases, segment_name=_utf8(name))


def _decode_hello(body: bytes) -> Hello:
    magic, version, pid, name_size, token_size, stream_size = _HELLO.unpack_from(body)
    if magic != HELLO_MAGIC:
        raise ProtocolMismatch(f"HELLO magic 0x{magic:08x}, expected 0x{HELLO_MAGIC:08x}")
    if name_size > MAX_NAME_BYTES or token_size > MAX_TOKEN_BYTES \
            or stream_size > MAX_NAME_BYTES:
        raise ProtocolMismatch(f"HELLO name size {name_size}, token size {token_size} or "
                               f"stream size {stream_size} is over its limit "
                               f"({MAX_NAME_BYTES}, {MAX_TOKEN_BYTES}, {MAX_NAME_BYTES})")
    texts = _tail(body, _HELLO.size, name_size + token_size + stream_size,
                  "HELLO name, token and stream")
    token_end = name_size + token_size
    return Hello(pid, _utf8(texts[:name_size]), _utf8(texts[name_size:token_end]),
                 _utf8(texts[token_end:]), version)


def _decode_welcome(body: bytes) -> Welcome:
    version, layout = _PAIR.unpack_from(body)
    client_id, name_size, stream_size = _WELCOME_SIZES.unpack_from(body, _SIZES_END)
    if name_size > MAX_NAME_BYTES or not 1 <= stream_size <= MAX_NAME_BYTES:
        raise ProtocolMismatch(f"WELCOME segment_name size {name_size} or stream size "
                               f"{stream_size} is out of range (at most {MAX_NAME_BYTES}; "
                               f"a stream is named)")
    texts = _tail(body, _WELCOME_FIXED, name_size + stream_size,
                  "WELCOME segment_name and stream")
    size, session, slots, leases = _SEGMENT_SIZES.unpack_from(body, _SEGMENT_SIZES_AT)
    return Welcome(layout, size, session, slots, leases, _utf8(texts[:name_size]),
                   client_id=client_id, stream=_utf8(texts[name_size:]),
                   protocol_version=version)


def _decode_streams(body: bytes) -> Streams:
    (count,) = _U32.unpack_from(body)
    entries: List[StreamEntry] = []
    at = _U32.size
    for index in range(count):
        if at + _STREAM_ENTRY.size > len(body):
            raise ProtocolMismatch(f"STREAMS says {count} entries, but entry {index} does "
                                   f"not fit in the body of {len(body)} bytes")
        width, height, pixel_format, producer, fps_milli, clients, newest_seq, name_size = \
            _STREAM_ENTRY.unpack_from(body, at)
        at += _STREAM_ENTRY.size
        if not 1 <= name_size <= MAX_NAME_BYTES or at + name_size > len(body):
            raise ProtocolMismatch(f"STREAMS entry {index}: name size {name_size} is not 1 "
                                   f"to {MAX_NAME_BYTES} or runs past the body")
        entries.append(StreamEntry(width, height, pixel_format, producer, fps_milli, clients,
                                   newest_seq, _utf8(body[at:at + name_size])))
        at += name_size
    if at != len(body):
        raise ProtocolMismatch(f"STREAMS: {len(body) - at} bytes follow its {count} entries")
    return Streams(entries)


def _decode_publish(body: bytes) -> Publish:
    width, height, pixel_format, fps_milli, slot_count, name_size = _PUBLISH.unpack_from(body)
    name = _tail(body, _PUBLISH.size, name_size, "PUBLISH name")
    return Publish(width, height, pixel_format, fps_milli, slot_count, _utf8(name))


def _decode_text(body: bytes, kind: str) -> Tuple[int, str]:
    """ERROR's and STREAM's body: a code or state and a text."""
    value, text_size = _PAIR.unpack_from(body)
    return value, _utf8(_tail(body, _PAIR.size, text_size, f"{kind} text"))


def _decode_frame(body: bytes) -> FrameMsg:
    f = _FRAME.unpack_from(body)
    return FrameMsg(f[0], f[1], f[2], f[3], f[4], f[5], f[7], f[8], f[9], f[10])


def _decode_release(body: bytes) -> Release:
    slot, _reserved, seq, receive_ns, done_ns = _RELEASE.unpack_from(body)
    return Release(slot, seq, receive_ns, done_ns)


def _decode_done(body: bytes) -> Done:
    slot, _reserved, source_seq, capture_ns = _DONE.unpack_from(body)
    return Done(slot, source_seq, capture_ns)


def _decode_watch(body: bytes) -> Watch:
    (watch,) = _U32.unpack_from(body)
    if watch > 1:
        raise ProtocolMismatch(f"WATCH {watch} is neither 1 (watch) nor 0 (stop)")
    return Watch(watch == 1)


def _decode_result_from(body: bytes) -> ResultFrom:
    sender_id, skipped, received_ns, name_size, result_size = _RESULT_FROM.unpack_from(body)
    if name_size > MAX_NAME_BYTES or result_size > MAX_RESULT_BODY_SIZE:
        raise ProtocolMismatch(f"RESULT_FROM sender_name size {name_size} or result size "
                               f"{result_size} is over its limit ({MAX_NAME_BYTES}, "
                               f"{MAX_RESULT_BODY_SIZE})")
    rest = _tail(body, _RESULT_FROM.size, name_size + result_size,
                 "RESULT_FROM sender_name and result")
    name = rest[:name_size]
    control = next((byte for byte in name if byte < 0x20), None)
    if control is not None:
        raise ProtocolMismatch(f"RESULT_FROM sender_name contains control character {control}")
    return ResultFrom(sender_id, skipped, received_ns, _utf8(name),
                      decode_result(rest[name_size:], "RESULT_FROM's RESULT"))


def _decode_cell(body: bytes) -> Cell:
    (cell,) = _U32.unpack_from(body)
    if cell == NO_CELL:
        return Cell(None)
    if cell >= MAX_GRANT_CELLS:
        raise ProtocolMismatch(f"CELL {cell} is past the {MAX_GRANT_CELLS} grant cells of a "
                               f"segment")
    return Cell(cell)


_DECODERS: Dict[MessageType, Callable[[bytes], Message]] = {
    MessageType.HELLO: _decode_hello,
    MessageType.WELCOME: _decode_welcome,
    MessageType.ERROR: lambda b: Error(*_decode_text(b, "ERROR")),
    MessageType.STREAM: lambda b: Stream(*_decode_text(b, "STREAM")),
    MessageType.SEGMENT: lambda b: Segment(**_segment_description(
        b, _U32.unpack_from(b)[0], _SIZES_END, "SEGMENT")),
    MessageType.REQUEST: lambda b: Request(*_REQUEST.unpack_from(b)),
    MessageType.FRAME: _decode_frame,
    MessageType.RELEASE: _decode_release,
    MessageType.LIST: lambda b: ListStreams(),
    MessageType.STREAMS: _decode_streams,
    MessageType.PUBLISH: _decode_publish,
    MessageType.PUBLISHING: lambda b: Publishing(**_segment_description(
        b, _U32.unpack_from(b)[0], _SIZES_END, "PUBLISHING")),
    MessageType.WRITE: lambda b: Write(),
    MessageType.SLOT: lambda b: Slot(_U32.unpack_from(b)[0]),
    MessageType.DONE: _decode_done,
    MessageType.CANCEL: lambda b: Cancel(_U32.unpack_from(b)[0]),
    MessageType.RESULT: decode_result,
    MessageType.WATCH: _decode_watch,
    MessageType.RESULT_FROM: _decode_result_from,
    MessageType.SPIN: lambda b: Spin(),
    MessageType.CELL: _decode_cell,
}


def decode_body(message_type: MessageType, body: bytes) -> Message:
    """Decode a body whose header decode_header accepted."""
    return _DECODERS[message_type](body)


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
