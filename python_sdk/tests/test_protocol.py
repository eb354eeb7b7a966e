import struct

import pytest

from framebridge import _protocol as P
from framebridge.errors import ProtocolMismatch

MESSAGES = [
    P.Hello(client_pid=4242, name="probe"),
    P.Hello(client_pid=1, name=""),
    P.Hello(client_pid=2**32 - 1, name="x" * 64),
    P.Hello(client_pid=3, name="caméra-ü"),
    P.Hello(client_pid=4, name="n", token="t" * 256, stream="s" * 64),
    P.Hello(client_pid=5, name="n", stream="front"),
    P.Welcome(1, 75 * 2**20, 0xDEADBEEFCAFEF00D, 3, 1, "framebridge", client_id=7,
              stream="framebridge"),
    P.Welcome(1, 1, 1, 64, 62, "a" * 30, client_id=2**32 - 1, stream="s" * 64,
              protocol_version=1),
    P.Welcome(1, 4096, 7, 3, 2, "Local\\framebridge", client_id=1, stream="framebridge"),
    P.Welcome(1, 4096, 7, 3, 2, "Global\\" + "c" * 30 + "@63", client_id=1, stream="c"),
    P.Error(2, "version mismatch: server speaks 1"),
    P.Error(1, ""),
    P.Error(3, "é" * 508),
    P.Request(0),
    P.Request(2**64 - 1),
    P.FrameMsg(2, 1, 41, 3840, 2160, 11520, 11520 * 2160, 123456789, 123456999),
    P.FrameMsg(2**32 - 1, 3, 2**64 - 1, 1, 1, 64, 64, 0, 2**64 - 1, 2**64 - 1),
    P.FrameMsg(1, 2, 7, 1920, 1080, 1920, 1920 * 1080, 5, 6, source_seq=41),
    P.Release(2, 41, 10, 20),
    P.Release(0, 2**64 - 1, 2**64 - 1, 0),
    P.Stream(P.StreamState.ENDED, "the source has no more frames"),
    P.Stream(P.StreamState.LIVE, ""),
    P.Segment(1, 3 * 4096 + 4096, 2**64 - 1, 3, 1, "cam.left"),
    P.Segment(1, 4096, 8, 3, 2, "Local\\cam.left@1"),
    P.ListStreams(),
    P.Streams([]),
    P.Streams([P.StreamEntry(640, 480, 1, 1, 30000, 2, 41, "front"),
               P.StreamEntry(1, 1, 2, 2, 0, 0, 0, "e" * 64)]),
    P.Publish(1920, 1080, 2, 29970, 0, "edges"),
    P.Publishing(1, 6303744, 99, 3, 0, "edges"),
    P.Write(),
    P.Slot(2),
    P.Done(2, 41, 123),
    P.Done(0, 0, 0),
    P.Cancel(1),
]


def header(body_size: int, message_type: int, flags: int = 0) -> bytes:
    return struct.pack("<IHH", body_size, message_type, flags)


@pytest.mark.parametrize("message", MESSAGES, ids=repr)
def test_every_message_survives_a_round_trip(message: P.Message) -> None:
    data = P.encode(message)

    decoded, used = P.decode(data + b"trailing")

    assert decoded == message
    assert used == len(data)


def test_encoding_matches_the_documented_bytes() -> None:
    assert P.encode(P.Request(41)) == header(8, 4) + (41).to_bytes(8, "little")
    assert P.encode(P.Hello(5, "ab")) == header(26, 1) + b"FBRP" \
        + struct.pack("<IIIII", P.PROTOCOL_VERSION, 5, 2, 0, 0) + b"ab"
    assert P.encode(P.Hello(5, "ab", "tok", "s")) == header(30, 1) + b"FBRP" \
        + struct.pack("<IIIII", P.PROTOCOL_VERSION, 5, 2, 3, 1) + b"abtoks"
    release = struct.pack("<IIQQQ", 2, 0, 41, 7, 9)
    assert P.encode(P.Release(2, 41, 7, 9)) == header(32, 6) + release
    frame = P.encode(P.FrameMsg(2, 1, 41, 3840, 2160, 11520, 99, 5, 6, 40))
    assert len(frame) == 8 + 64
    assert frame[8:] == struct.pack("<IIQIIIIQQQQ", 2, 1, 41, 3840, 2160, 11520, 0, 99, 5, 6,
                                    40)
    welcome = P.encode(P.Welcome(1, 100, 9, 3, 1, "fb", client_id=7, stream="cam",
                                 protocol_version=2))
    assert welcome == header(49, 2) + struct.pack("<IIQQIIIII", 2, 1, 100, 9, 3, 1, 7, 2, 3) \
        + b"fbcam"
    segment = P.encode(P.Segment(1, 100, 9, 3, 1, "fb"))
    assert segment == header(38, 8) + struct.pack("<IIQQIII", 1, 0, 100, 9, 3, 1, 2) + b"fb"
    assert P.encode(P.Error(3, "no")) == header(10, 3) + struct.pack("<II", 3, 2) + b"no"


def test_a_message_split_anywhere_decodes_only_when_complete() -> None:
    data = P.encode(P.Welcome(1, 100, 9, 3, 1, "framebridge", client_id=7, stream="front"))

    for cut in range(len(data)):
        assert P.decode(data[:cut]) == (None, 0)
    assert P.decode(data)[1] == len(data)


@pytest.mark.parametrize("raw_type", [0, 22, 0x202F, 0xFFFF])
def test_unknown_type_is_refused_naming_it(raw_type: int) -> None:
    with pytest.raises(ProtocolMismatch, match=f"unknown message type {raw_type}"):
        P.decode(header(8, raw_type) + bytes(8))


@pytest.mark.parametrize("message_type, size", [
    (P.MessageType.REQUEST, 7), (P.MessageType.REQUEST, 9), (P.MessageType.FRAME, 56),
    (P.MessageType.FRAME, 72), (P.MessageType.RELEASE, 0), (P.MessageType.RELEASE, 33),
    (P.MessageType.HELLO, 23), (P.MessageType.WELCOME, 43), (P.MessageType.ERROR, 7),
    (P.MessageType.HELLO, 24 + 64 + 256 + 64 + 1), (P.MessageType.WELCOME, 44 + 129),
    (P.MessageType.LIST, 1), (P.MessageType.STREAMS, 3), (P.MessageType.PUBLISH, 23),
    (P.MessageType.PUBLISH, 24 + 65), (P.MessageType.PUBLISHING, 35), (P.MessageType.WRITE, 4),
    (P.MessageType.SLOT, 4), (P.MessageType.DONE, 16), (P.MessageType.DONE, 32),
    (P.MessageType.CANCEL, 0),
])
def test_wrong_body_size_is_refused_before_the_body_arrives(message_type: int,
                                                            size: int) -> None:
    with pytest.raises(ProtocolMismatch, match=f"body of {size} bytes"):
        P.decode(header(size, message_type))  # only the header is there


@pytest.mark.parametrize("size", [1025, 2**32 - 1])
def test_oversize_body_is_refused(size: int) -> None:
    with pytest.raises(ProtocolMismatch, match=f"{size} bytes is over the 1024-byte limit"):
        P.decode(header(size, P.MessageType.ERROR))


def test_largest_error_body_is_accepted() -> None:
    text = "t" * P.MAX_TEXT_BYTES

    decoded, _ = P.decode(P.encode(P.Error(1, text)))

    assert decoded == P.Error(1, text)


def test_http_request_is_refused() -> None:
    with pytest.raises(ProtocolMismatch):
        P.decode(b"GET / HTTP/1.1\r\n\r\n")


def test_bad_hello_magic_is_refused_naming_it() -> None:
    body = struct.pack("<IIIIII", 0x12345678, 3, 10, 0, 0, 0)

    with pytest.raises(ProtocolMismatch, match="HELLO magic 0x12345678"):
        P.decode(header(len(body), P.MessageType.HELLO) + body)


def test_name_size_that_disagrees_with_body_size_is_refused() -> None:
    body = struct.pack("<IIIIII", P.HELLO_MAGIC, 3, 10, 2, 0, 3) + b"abc"

    with pytest.raises(ProtocolMismatch, match="HELLO name, token and stream size 5"):
        P.decode(header(len(body), P.MessageType.HELLO) + body)


@pytest.mark.parametrize("name", [b"framebridge", b"Local\\framebridge", b"Local\\fb@1",
                                  b"Global\\cam", b"../etc/passwd", b""])
def test_welcome_and_segment_carry_any_segment_name_to_be_checked_where_it_is_mapped(
        name: bytes) -> None:
    welcome = struct.pack("<IIQQIIIII", P.PROTOCOL_VERSION, 1, 100, 9, 3, 1, 7, len(name), 1) \
        + name + b"s"
    segment = struct.pack("<IIQQIII", 1, 0, 100, 9, 3, 1, len(name)) + name

    got_welcome, _ = P.decode(header(len(welcome), P.MessageType.WELCOME) + welcome)
    got_segment, _ = P.decode(header(len(segment), P.MessageType.SEGMENT) + segment)

    assert got_welcome == P.Welcome(1, 100, 9, 3, 1, name.decode(), client_id=7, stream="s")
    assert got_segment == P.Segment(1, 100, 9, 3, 1, name.decode())


def test_welcome_and_segment_share_one_segment_description() -> None:
    welcome = P.Welcome(1, 100, 9, 3, 1, "fb", client_id=7, stream="fb")
    segment = P.Segment(1, 100, 9, 3, 1, "fb")

    assert isinstance(welcome, P.SegmentDescription)
    assert isinstance(segment, P.SegmentDescription)
    assert not isinstance(welcome, P.Segment)  # a WELCOME is never taken for a SEGMENT
    assert P.encode(welcome)[16:40] == P.encode(segment)[16:40]  # bytes 8 to 31 of the bodies
    assert P.encode(welcome)[-4:] == P.encode(segment)[-2:] * 2  # the names


def test_a_segment_name_size_that_disagrees_with_the_body_is_refused() -> None:
    body = struct.pack("<IIQQIII", 1, 0, 100, 9, 3, 1, 5) + b"abc"

    with pytest.raises(ProtocolMismatch, match="SEGMENT segment_name size 5"):
        P.decode(header(len(body), P.MessageType.SEGMENT) + body)


def test_flags_are_ignored() -> None:
    data = bytearray(P.encode(P.Request(3)))
    data[6] = 1

    assert P.decode(bytes(data))[0] == P.Request(3)


def test_encode_refuses_a_name_over_64_bytes() -> None:
    with pytest.raises(ProtocolMismatch, match="65 bytes"):
        P.encode(P.Hello(1, "n" * 65))
    with pytest.raises(ProtocolMismatch):
        P.encode(P.Hello(1, "n", "t" * 257))


@pytest.mark.parametrize("text, limit, expected", [
    ("abc", 64, b"abc"), ("é" * 40, 64, "é".encode() * 32), ("aé", 2, b"a"),
    ("€", 2, b""), ("", 4, b""),
])
def test_truncate_utf8_never_splits_a_character(text: str, limit: int,
                                                expected: bytes) -> None:
    assert P.truncate_utf8(text, limit) == expected


def test_a_welcome_that_names_no_stream_is_refused() -> None:
    body = struct.pack("<IIQQIIIII", 3, 1, 100, 9, 3, 1, 7, 2, 0) + b"fb"

    with pytest.raises(ProtocolMismatch, match="stream size 0"):
        P.decode(header(len(body), P.MessageType.WELCOME) + body)


def test_streams_may_be_longer_than_other_messages_up_to_64_kib() -> None:
    entries = [P.StreamEntry(640, 480, 1, 1, 0, 0, 0, f"s{i:02d}" + "x" * 61)
               for i in range(60)]
    data = P.encode(P.Streams(entries))
    assert len(data) - P.HEADER_SIZE > P.MAX_BODY_SIZE

    assert P.decode(data) == (P.Streams(entries), len(data))
    with pytest.raises(ProtocolMismatch, match="65537 bytes is over the 65536-byte limit"):
        P.decode(header(65537, P.MessageType.STREAMS))


@pytest.mark.parametrize("count, tail, problem", [
    (2, b"", "entry 1 does not fit"),
    (1, b"x", "1 bytes follow its 1 entries"),
    (0, b"", "bytes follow its 0 entries"),
])
def test_a_streams_body_that_disagrees_with_its_count_is_refused(count: int, tail: bytes,
                                                                 problem: str) -> None:
    entry = struct.pack("<IIIIIIQI", 1, 1, 1, 1, 0, 0, 0, 2) + b"ab"
    body = struct.pack("<I", count) + entry + tail

    with pytest.raises(ProtocolMismatch, match=problem):
        P.decode(header(len(body), P.MessageType.STREAMS) + body)


@pytest.mark.parametrize("name_size", [0, 65, 9])
def test_a_streams_entry_name_size_out_of_range_or_past_the_body_is_refused(
        name_size: int) -> None:
    body = struct.pack("<I", 1) + struct.pack("<IIIIIIQI", 1, 1, 1, 1, 0, 0, 0, name_size) \
        + b"ab"

    with pytest.raises(ProtocolMismatch, match=f"name size {name_size}"):
        P.decode(header(len(body), P.MessageType.STREAMS) + body)


def test_publishing_has_the_body_of_segment_but_is_its_own_message() -> None:
    publishing = P.Publishing(1, 100, 9, 3, 0, "edges")
    segment = P.Segment(1, 100, 9, 3, 0, "edges")

    assert P.encode(publishing)[8:] == P.encode(segment)[8:]
    assert P.decode(P.encode(publishing))[0] == publishing
    assert not isinstance(publishing, P.Segment)
