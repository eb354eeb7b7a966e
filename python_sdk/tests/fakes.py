"""Test doubles: a fake segment file in /dev/shm and a scripted fake server."""

import mmap
import os
import secrets
import socket
import threading
from typing import Callable, List, Mapping, Optional, Tuple

from framebridge import _layout as L
from framebridge import _protocol as P

IO_TIMEOUT_S = 5.0


def write_fields(buf: bytearray, fields: Mapping[str, Tuple[int, int]],
                 values: Mapping[str, int], base: int = 0) -> None:
    """Write fields of a header or descriptor table into buf, as the producer does."""
    for name, value in values.items():
        offset, size = fields[name]
        buf[base + offset:base + offset + size] = value.to_bytes(size, "little")


def unique_name(prefix: str = "fbt") -> str:
    return f"{prefix}{os.getpid()}-{secrets.token_hex(4)}"


class FakeSegment:
    """A segment file written the way a server would, with a writable mapping for tests."""

    def __init__(self, name: str, slot_count: int = 3, slot_capacity: int = 3 * 4096,
                 data_offset: int = 8192, session_id: int = 0x5EC7105E,
                 file_size: Optional[int] = None, **header: int) -> None:
        self.name = name
        self.path = "/dev/shm/" + name
        self.slot_count = slot_count
        self.slot_capacity = slot_capacity
        self.data_offset = data_offset
        self.session_id = session_id
        self.size = data_offset + slot_count * slot_capacity
        self.grant_offset = -(-L.descriptor_offset(slot_count) // L.GRANT_CELL_SIZE) \
            * L.GRANT_CELL_SIZE
        values = {
            "magic": L.MAGIC, "layout_version": L.LAYOUT_VERSION,
            "header_size": L.HEADER_SIZE, "slot_count": slot_count,
            "descriptor_size": L.DESCRIPTOR_SIZE, "descriptor_offset": L.DESCRIPTOR_OFFSET,
            "slot_capacity": slot_capacity, "data_offset": data_offset,
            "segment_size": self.size, "session_id": session_id,
            "created_unix_ns": 1, "producer_pid": os.getpid(), "newest_seq": 0,
            "grant_offset": self.grant_offset, "grant_cells": L.GRANT_CELLS,
        }
        values.update(header)
        file_size = self.size if file_size is None else file_size
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.ftruncate(fd, file_size)
            self.mm = mmap.mmap(fd, file_size)
        finally:
            os.close(fd)
        write_fields(self.mm, L.HEADER_FIELDS, values)  # type: ignore[arg-type]

    def publish(self, slot: int, seq: int, width: int, height: int, stride: int,
                pixel_format: int = L.PixelFormat.BGR8, pixels: Optional[bytes] = None,
                capture_ns: int = 0, publish_ns: int = 0, source_seq: int = 0,
                metadata: Optional[Mapping[str, float]] = None) -> P.FrameMsg:
        """Write a frame (and what its source reported) into slot the way the producer does;
        return its FRAME message."""
        base = L.descriptor_offset(slot)
        write_fields(self.mm, L.DESCRIPTOR_FIELDS, {"sequence": 0}, base)  # type: ignore
        if pixels is not None:
            start = self.data_offset + slot * self.slot_capacity
            self.mm[start:start + len(pixels)] = pixels
        block = L.metadata_block(metadata or {})
        at = base + L.METADATA_REPORTED_OFFSET
        self.mm[at:at + len(block)] = block
        write_fields(self.mm, L.DESCRIPTOR_FIELDS, {  # type: ignore[arg-type]
            "width": width, "height": height, "stride": stride,
            "pixel_format": pixel_format, "payload_size": stride * height,
            "capture_ns": capture_ns, "publish_ns": publish_ns, "source_seq": source_seq,
            "sequence": seq}, base)
        write_fields(self.mm, L.HEADER_FIELDS, {"newest_seq": seq})  # type: ignore
        return P.FrameMsg(slot, pixel_format, seq, width, height, stride, stride * height,
                          capture_ns, publish_ns, source_seq)

    def grant(self, cell: int, frame: P.FrameMsg) -> None:
        """Write frame into grant cell the way the server does when it leases it."""
        at = self.grant_offset + L.GRANT_CELL_SIZE * cell
        self.mm[at:at + 8] = (frame.seq << L.GRANT_SLOT_BITS | frame.slot).to_bytes(8, "little")

    def set_header(self, **values: int) -> None:
        write_fields(self.mm, L.HEADER_FIELDS, values)  # type: ignore[arg-type]

    def set_sequence(self, slot: int, seq: int) -> None:
        write_fields(self.mm, L.DESCRIPTOR_FIELDS, {"sequence": seq},  # type: ignore
                     L.descriptor_offset(slot))

    def welcome(self, **overrides: object) -> P.Welcome:
        fields = dict(protocol_version=P.PROTOCOL_VERSION, layout_version=L.LAYOUT_VERSION,
                      segment_size=self.size,
                      session_id=self.session_id, slot_count=self.slot_count,
                      max_leases=max(1, self.slot_count - 1), client_id=7,
                      segment_name=self.name, stream="framebridge")
        fields.update(overrides)
        return P.Welcome(**fields)  # type: ignore[arg-type]

    def remove(self) -> None:
        self.mm.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


class Peer:
    """The server's side of one accepted connection."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        self.buffer = b""

    def recv(self) -> P.Message:
        while True:
            message, used = P.decode(self.buffer)
            if message is not None:
                self.buffer = self.buffer[used:]
                return message
            chunk = self.conn.recv(4096)
            if not chunk:
                raise EOFError("client closed the connection")
            self.buffer += chunk

    def send(self, message: P.Message) -> None:
        self.conn.sendall(P.encode(message))

    def wait_closed(self) -> None:
        """Read until the client closes its end (bounded by the socket timeout)."""
        while self.conn.recv(4096):
            pass


class FakeServer:
    """A listening socket on 127.0.0.1 whose connections, one after the other, each run
    script(peer) in a thread."""

    def __init__(self, script: Callable[[Peer], None], connections: int = 1) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(IO_TIMEOUT_S)
        self.port = self.listener.getsockname()[1]
        self.errors: List[BaseException] = []
        self._script = script
        self._connections = connections
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for _ in range(self._connections):
                conn, _ = self.listener.accept()
                with conn:
                    conn.settimeout(IO_TIMEOUT_S)
                    self._script(Peer(conn))
        except BaseException as exc:  # reported by stop() in the test's thread
            self.errors.append(exc)

    def stop(self) -> None:
        self._thread.join(IO_TIMEOUT_S + 1)
        self.listener.close()
        assert not self._thread.is_alive(), "fake server script did not finish"
        if self.errors:
            raise self.errors[0]
