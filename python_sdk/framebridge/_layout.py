"""Python mirror of the shared-memory segment layout.

The layout is described once, in docs/segment-layout.md, and implemented in C++ by
shm/include/framebridge/shm/segment_layout.hpp; this module mirrors it field by field
(a test compares HEADER_FIELDS, DESCRIPTOR_FIELDS and the metadata block with the C++ side,
and tests/vectors/segment.json holds a header and a descriptor byte for byte).
"""

import enum
import re
import struct
from typing import Dict, Mapping, Tuple, Union

MAGIC = 0x475242454D415246  # the bytes b"FRAMEBRG" read as a little-endian u64
LAYOUT_VERSION = 3
HEADER_SIZE = 128
DESCRIPTOR_SIZE = 192
DESCRIPTOR_OFFSET = 128
PAGE_SIZE = 4096  # slot_capacity and data_offset are multiples of it
STRIDE_ALIGNMENT = 64
MIN_SLOTS = 2
MAX_SLOTS = 64
MAX_NAME_CHARS = 30
GRANT_CELLS = 64  # cells a spinning reader is lent one of (SPIN, CELL)
GRANT_CELL_SIZE = 64
GRANT_SLOT_BITS = 6  # a cell's word: seq << GRANT_SLOT_BITS | slot

# field name -> (offset, size); reserved bytes are left out.
HEADER_FIELDS: Mapping[str, Tuple[int, int]] = {
    "magic": (0, 8),
    "layout_version": (8, 4),
    "header_size": (12, 4),
    "slot_count": (16, 4),
    "descriptor_size": (20, 4),
    "descriptor_offset": (24, 8),
    "slot_capacity": (32, 8),
    "data_offset": (40, 8),
    "segment_size": (48, 8),
    "session_id": (56, 8),
    "created_unix_ns": (64, 8),
    "producer_pid": (72, 4),
    "newest_seq": (80, 8),
    "grant_offset": (88, 8),
    "grant_cells": (96, 4),
}

DESCRIPTOR_FIELDS: Mapping[str, Tuple[int, int]] = {
    "sequence": (0, 8),
    "width": (8, 4),
    "height": (12, 4),
    "stride": (16, 4),
    "pixel_format": (20, 4),
    "payload_size": (24, 8),
    "capture_ns": (32, 8),
    "publish_ns": (40, 8),
    "source_seq": (48, 8),
}


# The metadata block of a descriptor (docs/segment-layout.md, Frame metadata): a u64 whose bit k
# says key k was reported, then one little-endian float64 per key, in this order.
METADATA_KEYS: Tuple[str, ...] = (
    "exposure", "gain", "brightness", "contrast", "saturation", "hue", "sharpness", "gamma",
    "white_balance_temperature", "focus", "zoom", "backlight", "iso_speed", "auto_exposure",
    "auto_white_balance", "fps")
METADATA_REPORTED_OFFSET = 56
METADATA_VALUES_OFFSET = 64
_METADATA = struct.Struct("<Q%dd" % len(METADATA_KEYS))


class PixelFormat(enum.IntEnum):
    """Pixel format of a frame, as stored in the slot descriptor."""

    BGR8 = 1
    GRAY8 = 2
    BGRA8 = 3

    def __str__(self) -> str:  # IntEnum prints its value from Python 3.11 on
        return self.name


BYTES_PER_PIXEL: Mapping[PixelFormat, int] = {
    PixelFormat.BGR8: 3,
    PixelFormat.GRAY8: 1,
    PixelFormat.BGRA8: 4,
}

_UINT = {4: struct.Struct("<I"), 8: struct.Struct("<Q")}
_NAME_RE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,%d}" % (MAX_NAME_CHARS - 1))


def is_valid_stream_name(name: str) -> bool:
    """True if name is 1-30 characters of A-Z a-z 0-9 . _ - not starting with '.'."""
    return _NAME_RE.fullmatch(name) is not None


def descriptor_offset(slot: int) -> int:
    """Offset of slot's descriptor from the start of the segment."""
    return DESCRIPTOR_OFFSET + DESCRIPTOR_SIZE * slot


def read_field(buf: object, fields: Mapping[str, Tuple[int, int]], name: str,
               base: int = 0) -> int:
    """Read one unsigned little-endian field of a header or descriptor from buf."""
    offset, size = fields[name]
    return int(_UINT[size].unpack_from(buf, base + offset)[0])  # type: ignore[arg-type]


def read_fields(buf: object, fields: Mapping[str, Tuple[int, int]],
                base: int = 0) -> Dict[str, int]:
    """Read every field of a header or descriptor table from buf."""
    return {name: read_field(buf, fields, name, base) for name in fields}


def read_metadata(buf: object, base: int = 0) -> Dict[str, float]:
    """The reported keys of the metadata block of the descriptor at base of buf, by name."""
    block = _METADATA.unpack_from(buf, base + METADATA_REPORTED_OFFSET)  # type: ignore[arg-type]
    reported = block[0]
    return {name: block[1 + k] for k, name in enumerate(METADATA_KEYS) if reported >> k & 1}


_SEQUENCE_AND_REPORTED = struct.Struct("<Q%dxQ" % (METADATA_REPORTED_OFFSET - 8))


def read_sequenced_metadata(buf: object, base: int) -> Tuple[int, Dict[str, float]]:
    """The sequence word and the reported metadata of the descriptor at base of buf (read
    once per frame: a source that reports nothing costs one small read)."""
    sequence, reported = _SEQUENCE_AND_REPORTED.unpack_from(buf, base)  # type: ignore[arg-type]
    return sequence, (read_metadata(buf, base) if reported else {})


def metadata_block(metadata: Mapping[str, Union[int, float]]) -> bytes:
    """The metadata block that reports exactly `metadata` (ValueError names an unknown key)."""
    unknown = sorted(set(metadata) - set(METADATA_KEYS))
    if unknown:
        raise ValueError(f"unknown metadata key(s) {', '.join(map(repr, unknown))}; the keys "
                         f"are {', '.join(METADATA_KEYS)}")
    reported = sum(1 << k for k, name in enumerate(METADATA_KEYS) if name in metadata)
    return _METADATA.pack(reported, *(float(metadata.get(name, 0.0)) for name in METADATA_KEYS))
