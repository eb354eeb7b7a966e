"""fb.list_streams(): the streams a server hosts, from its STREAMS answer to LIST."""

from dataclasses import dataclass
from typing import List, Optional

from . import _protocol as P
from ._connection import Connection
from ._deadline import deadline_of
from ._handshake import checked_token, default_name, handshake
from ._layout import PixelFormat
from .errors import ProtocolMismatch

_PRODUCERS = {P.Producer.CAPTURE: "capture", P.Producer.CLIENT: "client"}


@dataclass(frozen=True)
class StreamInfo:
    """One stream of a server, as fb.list_streams() found it.

    name: what fb.connect(stream=...) takes.
    width, height, format: the frames' size and fb.PixelFormat.
    fps: frames per second the producer expects; 0.0 when unknown or as fast as it goes.
    producer: "capture" (a source of the server's) or "client" (fb.publish()).
    clients: connections reading the stream now.
    newest_seq: the newest frame published, 0 before the first.
    """

    name: str
    width: int
    height: int
    format: PixelFormat
    fps: float
    producer: str
    clients: int
    newest_seq: int


def stream_info(entry: P.StreamEntry, address: str) -> StreamInfo:
    try:
        pixel_format = PixelFormat(entry.pixel_format)
        producer = _PRODUCERS[P.Producer(entry.producer)]
    except ValueError:
        raise ProtocolMismatch(f"FrameBridge server at {address} listed stream "
                               f"'{entry.name}' with pixel_format {entry.pixel_format}, "
                               f"producer {entry.producer}, which this SDK does not know"
                               ) from None
    return StreamInfo(entry.name, entry.width, entry.height, pixel_format,
                      entry.fps_milli / 1000.0, producer, entry.clients, entry.newest_seq)


def list_streams(host: str = "127.0.0.1", port: int = 7600, *, token: Optional[str] = None,
                 timeout: Optional[float] = 5.0) -> List[StreamInfo]:
    """The streams the server at host:port hosts, its first stream first.

    token: the server's --token; None reads $FRAMEBRIDGE_TOKEN (unset: no token).
    timeout: seconds to connect, and again for the answer; None waits forever.
    Raises ServerUnavailable, AccessDenied, Timeout like fb.connect().
    """
    token = checked_token(token)
    conn = Connection(host, port, timeout)
    try:
        handshake(conn, default_name(), token, "", timeout)
        conn.send(P.ListStreams())
        deadline = deadline_of(timeout)
        streams = conn.answer(P.Streams, deadline, "LIST")
        return [stream_info(entry, conn.address) for entry in streams.streams]
    finally:
        conn.close()
