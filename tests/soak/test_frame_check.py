"""The soak's frame check catches what it is there to catch: a frame that is not the one
its seq says, in whole or in part. The frames here are made by hand; that the check agrees
with the real synthetic source is proven by every soak and load run, where a wrong model
would make every frame torn."""

import random

import numpy as np

from frame_check import BAND_ROWS, STAMP_BYTES, SyntheticPattern

WIDTH, HEIGHT = 96, 3 * BAND_ROWS + 10  # four bands
SEQ = 1000


def test_a_whole_frame_has_no_problems() -> None:
    sut = SyntheticPattern(WIDTH, HEIGHT, 3)

    frame = sut.frame(SEQ).reshape(HEIGHT, WIDTH, 3)

    assert sut.problems(frame, SEQ, range(HEIGHT)) == []


def test_another_frame_is_caught_by_its_stamps_and_rows() -> None:
    sut = SyntheticPattern(WIDTH, HEIGHT, 3)

    found = sut.problems(sut.frame(SEQ + 1), SEQ, [0, 5, HEIGHT - 1])

    assert "first stamp says 1001, the frame is 1000" in found
    assert "last stamp says 1001, the frame is 1000" in found
    assert any(p.startswith("row 5:") for p in found), found


def test_rows_of_an_older_frame_between_correct_stamps_are_caught() -> None:
    sut = SyntheticPattern(WIDTH, HEIGHT, 3)
    torn = sut.frame(SEQ)
    torn[100:200] = sut.frame(SEQ - 3)[100:200]  # the writer was caught mid-frame

    assert sut.problems(torn, SEQ, [0, HEIGHT - 1]) == []  # the stamps alone miss it
    found = sut.problems(torn, SEQ, [0, 150, HEIGHT - 1])
    assert len(found) == 1 and found[0].startswith("row 150: "), found


def test_one_changed_byte_next_to_a_stamp_is_caught() -> None:
    sut = SyntheticPattern(WIDTH, HEIGHT, 3)
    frame = sut.frame(SEQ)
    frame[0, STAMP_BYTES] ^= 0x55
    frame[-1, -STAMP_BYTES - 1] ^= 0x01

    found = sut.problems(frame, SEQ, [0, HEIGHT - 1])

    assert [p.split(":")[0] for p in found] == ["row 0", f"row {HEIGHT - 1}"]


def test_a_padded_stride_and_every_pixel_format_are_read() -> None:
    for bpp in (1, 3, 4):
        sut = SyntheticPattern(WIDTH, HEIGHT, bpp)
        padded = np.zeros((HEIGHT, WIDTH * bpp + 64), np.uint8)
        padded[:, :WIDTH * bpp] = sut.frame(SEQ)
        shape = (HEIGHT, WIDTH) if bpp == 1 else (HEIGHT, WIDTH, bpp)
        strides = (padded.strides[0], 1) if bpp == 1 else (padded.strides[0], bpp, 1)
        view: np.ndarray = np.ndarray(shape, np.uint8, buffer=padded, strides=strides)

        assert sut.problems(view, SEQ, range(HEIGHT)) == [], bpp
        assert sut.problems(view, SEQ + 64, range(HEIGHT)) != [], bpp  # the band flips


def test_sampled_rows_include_both_stamped_rows() -> None:
    sut = SyntheticPattern(WIDTH, HEIGHT, 3)

    rows = sut.sample_rows(random.Random(7), 8)

    assert rows[0] == 0 and rows[-1] == HEIGHT - 1 and 3 <= len(rows) <= 8
