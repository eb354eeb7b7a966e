import json
import os
import re
import subprocess
from pathlib import Path
from typing import Dict, Mapping, Tuple

import pytest

from framebridge import _layout as L

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "segment-layout.md"
LAYOUT_DUMP = os.environ.get("FRAMEBRIDGE_LAYOUT_DUMP",
                             str(REPO / "build" / "bin" / "framebridge-layout-dump"))
ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(`(\w+)`|reserved)\s*\|")


def documented_tables() -> Dict[str, Dict[str, Tuple[int, int]]]:
    """The field tables of docs/segment-layout.md, keyed by the section they are in."""
    tables: Dict[str, Dict[str, Tuple[int, int]]] = {}
    section = ""
    for line in DOC.read_text().splitlines():
        if line.startswith("## "):
            section = line[3:]
        match = ROW.match(line)
        if match and match.group(4):
            tables.setdefault(section, {})[match.group(4)] = (int(match.group(1)),
                                                              int(match.group(2)))
    return tables


def test_header_fields_match_the_document() -> None:
    assert dict(L.HEADER_FIELDS) == documented_tables()["Header (offset 0, 128 bytes)"]


def test_descriptor_fields_match_the_document() -> None:
    tables = documented_tables()
    metadata_block = {"metadata_reported": (L.METADATA_REPORTED_OFFSET, 8),
                      "metadata": (L.METADATA_VALUES_OFFSET, 8 * len(L.METADATA_KEYS))}
    assert dict(L.DESCRIPTOR_FIELDS, **metadata_block) == \
        tables["Slot descriptor (192 bytes each, 64-byte aligned)"]
    assert L.METADATA_VALUES_OFFSET + 8 * len(L.METADATA_KEYS) == L.DESCRIPTOR_SIZE


def test_metadata_keys_match_the_document() -> None:
    key_row = re.compile(r"^\|\s*(\d+)\s*\|\s*`(\w+)`\s*\|\s*`CAP_PROP_")
    documented = [match.groups() for match in map(key_row.match, DOC.read_text().splitlines())
                  if match]
    assert documented == [(str(k), name) for k, name in enumerate(L.METADATA_KEYS)]


@pytest.mark.parametrize("fields, size", [(L.HEADER_FIELDS, L.HEADER_SIZE),
                                          (L.DESCRIPTOR_FIELDS, L.DESCRIPTOR_SIZE)])
def test_fields_are_aligned_do_not_overlap_and_fit(fields: Mapping[str, Tuple[int, int]],
                                                   size: int) -> None:
    end = 0
    for offset, width in sorted(fields.values()):
        assert offset % width == 0
        assert offset >= end
        end = offset + width
    assert end <= size


def test_constants_match_the_document() -> None:
    assert L.MAGIC == int.from_bytes(b"FRAMEBRG", "little") == 0x475242454D415246
    assert (L.LAYOUT_VERSION, L.HEADER_SIZE, L.DESCRIPTOR_SIZE) == (3, 128, 192)
    assert {f.name: (f.value, L.BYTES_PER_PIXEL[f]) for f in L.PixelFormat} == {
        "BGR8": (1, 3), "GRAY8": (2, 1), "BGRA8": (3, 4)}


@pytest.mark.parametrize("name, valid", [
    ("framebridge", True), ("a", True), ("A-Z_a.z0-9", True), ("x" * 30, True),
    ("", False), ("x" * 31, False), (".hidden", False), ("a/b", False), ("a b", False),
    ("café", False), ("..", False), ("-ok", True),
])
def test_stream_names_follow_the_document(name: str, valid: bool) -> None:
    assert L.is_valid_stream_name(name) is valid


def test_layout_matches_the_cpp_side() -> None:
    if not os.access(LAYOUT_DUMP, os.X_OK):
        pytest.fail(f"the C++ layout dump is needed to compare layouts, not found at "
                    f"{LAYOUT_DUMP}: build it first or set FRAMEBRIDGE_LAYOUT_DUMP",
                    pytrace=False)
    dump = json.loads(subprocess.run([LAYOUT_DUMP], capture_output=True, check=True,
                                     timeout=10).stdout)

    assert {k: tuple(v) for k, v in dump["header"].items()} == dict(L.HEADER_FIELDS)
    assert {k: tuple(v) for k, v in dump["descriptor"].items()} == dict(L.DESCRIPTOR_FIELDS)
    assert dump["metadata"] == {"reported_offset": L.METADATA_REPORTED_OFFSET,
                                "values_offset": L.METADATA_VALUES_OFFSET,
                                "keys": list(L.METADATA_KEYS)}
    assert dump["constants"] == {name: getattr(L, name) for name in dump["constants"]}
    assert set(dump["constants"]) >= {"MAGIC", "LAYOUT_VERSION", "HEADER_SIZE",
                                      "DESCRIPTOR_SIZE", "MIN_SLOTS", "MAX_SLOTS"}
    assert {name: tuple(v) for name, v in dump["pixel_formats"].items()} == {
        f.name: (f.value, L.BYTES_PER_PIXEL[f]) for f in L.PixelFormat}
