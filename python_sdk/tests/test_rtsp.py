"""The RTSP reader's parts that need no server: the stamp band and where connect() goes."""

import numpy as np
import pytest

import framebridge as fb
from framebridge.rtsp import (STAMP_BLOCK, STAMP_BYTES, is_this_machine, read_stamp,
                              stamp_band_height)


def band_of(width: int, payload: bytes) -> np.ndarray:
    """A decoded BGR band as the server draws it (app/rtsp/.../stamp_band.hpp)."""
    band = np.full((stamp_band_height(width), width, 3), 16, np.uint8)
    cols = width // STAMP_BLOCK
    for bit in range(STAMP_BYTES * 8):
        if payload[bit // 8] >> (bit % 8) & 1:
            y, x = (bit // cols) * STAMP_BLOCK, (bit % cols) * STAMP_BLOCK
            band[y:y + STAMP_BLOCK, x:x + STAMP_BLOCK] = 235
    return band


def payload_of(seq: int, capture_us: int, unix_us: int) -> bytes:
    body = (seq.to_bytes(4, "little") + capture_us.to_bytes(6, "little")
            + unix_us.to_bytes(7, "little"))
    return body + bytes([(sum(body) + 0x5A) & 0xFF])


@pytest.mark.parametrize("width", [16, 320, 640, 1920])
def test_a_band_drawn_as_the_server_draws_it_reads_back(width: int) -> None:
    band = band_of(width, payload_of(123456, 987654321, 1_790_000_000_000_000))
    assert read_stamp(band) == (123456, 987654321, 1_790_000_000_000_000)


def test_a_band_with_a_wrong_check_byte_reads_as_none() -> None:
    payload = bytearray(payload_of(1, 2, 3))
    payload[-1] ^= 1
    assert read_stamp(band_of(640, bytes(payload))) is None


def test_band_heights_are_the_servers() -> None:
    # The same numbers app/rtsp's stamp_band_test checks on the C++ side.
    assert [stamp_band_height(w) for w in (16, 320, 640, 1920)] == [576, 32, 16, 16]
    assert stamp_band_height(8) == 0


def test_loopback_is_this_machine_and_a_non_rtsp_url_is_refused() -> None:
    assert is_this_machine("127.0.0.1") and is_this_machine("localhost")
    assert not is_this_machine("192.0.2.1")  # TEST-NET-1: never a local address
    with pytest.raises(ValueError, match="rtsp://HOST:PORT/STREAM"):
        fb.RtspClient("rtsp://127.0.0.1:8554/")


def test_an_rtsp_frame_carries_no_camera_metadata_and_says_so_by_an_empty_dict() -> None:
    frame = fb.RtspFrame(np.zeros((4, 4, 3), np.uint8), 7, 1, 2, 3)

    assert frame.metadata == {}
    frame.metadata["gain"] = 1.0  # a new dict each time, as a shared-memory frame gives
    assert frame.metadata == {}
