"""The vision examples' own logic, without a server (test_server_e2e.py runs them against one)."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import cv2
import numpy as np
import pytest

from conftest import SDK_DIR

EXAMPLES = SDK_DIR / "examples"


def load_example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def drawn_face(scale: int = 1) -> np.ndarray:
    """A grey cartoon face, 640x480 times scale, that the frontal-face cascade takes for one."""
    s = 1.3 * scale
    image = np.full((480 * scale, 640 * scale, 3), 60, np.uint8)
    cx, cy = 320 * scale, 240 * scale

    def ellipse(dx: float, dy: float, ax: float, ay: float, grey: int) -> None:
        cv2.ellipse(image, (int(cx + dx * s), int(cy + dy * s)), (int(ax * s), int(ay * s)),
                    0, 0, 360, (grey, grey, grey), -1)

    ellipse(0, 0, 80, 105, 190)
    for dx in (-35, 35):
        ellipse(dx, -25, 18, 9, 40)   # eye
        ellipse(dx, -45, 22, 5, 70)   # brow
    ellipse(0, 10, 8, 20, 160)        # nose
    ellipse(0, 50, 30, 8, 80)         # mouth
    blur = 9 * scale | 1  # an odd kernel
    return cv2.GaussianBlur(image, (blur, blur), 0)


@pytest.fixture(scope="module")
def faces() -> ModuleType:
    return load_example("face_detection")


def test_the_cascade_is_found_where_debian_puts_it(faces: ModuleType) -> None:
    path = faces.find_cascade()

    assert path == Path("/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml")


def test_no_cascade_in_the_folders_is_none(faces: ModuleType, tmp_path: Path) -> None:
    assert faces.find_cascade([str(tmp_path)]) is None


@pytest.mark.parametrize("scale", [1, 2], ids=["640 wide", "1280 wide, found on a smaller copy"])
def test_a_face_is_found_where_it_is(faces: ModuleType, scale: int) -> None:
    detector = faces.load_detector(faces.find_cascade())

    found = faces.detect_faces(detector, drawn_face(scale))

    assert len(found) == 1
    x, y, w, h = found[0]
    assert abs(x + w / 2 - 320 * scale) < 20 * scale and abs(y + h / 2 - 240 * scale) < 40 * scale
    assert 150 * scale < w < 400 * scale


def test_an_empty_frame_has_no_face(faces: ModuleType) -> None:
    detector = faces.load_detector(faces.find_cascade())

    assert faces.detect_faces(detector, np.zeros((480, 640, 3), np.uint8)) == []


def test_a_missing_cascade_is_a_clear_message_not_a_traceback(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(SDK_DIR))
    done = subprocess.run([sys.executable, str(EXAMPLES / "face_detection.py"), "--cascade",
                           str(tmp_path / "none.xml")], capture_output=True, text=True,
                          env=env, timeout=30)

    assert done.returncode == 1
    assert "none.xml: no such file" in done.stderr and "Traceback" not in done.stderr


def test_a_file_that_is_no_cascade_is_a_clear_message(faces: ModuleType,
                                                      tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.xml"
    bogus.write_text("<opencv_storage></opencv_storage>")

    with pytest.raises(SystemExit, match="is not a Haar cascade"):
        faces.load_detector(bogus)


def test_edges_are_the_share_of_edge_pixels() -> None:
    edges = load_example("canny_edges")
    flat = np.full((100, 100, 3), 128, np.uint8)
    square = np.zeros((100, 100, 3), np.uint8)
    square[25:75, 25:75] = 255

    assert edges.edge_fraction(flat) == 0.0
    assert 0.0 < edges.edge_fraction(square) < 0.1
    assert edges.edge_fraction(square[..., 0]) == edges.edge_fraction(square)  # grey frames too


def test_edges_are_written_straight_into_a_padded_slot_view() -> None:
    edges = load_example("canny_edges")
    square = np.zeros((60, 70, 3), np.uint8)
    square[15:45, 20:50] = 255
    slot = np.zeros(60 * 128, np.uint8)  # rows 128 bytes apart, as a published GRAY8 slot's
    dst = np.ndarray((60, 70), np.uint8, buffer=slot, strides=(128, 1))

    share = edges.edges_into(square, dst)

    assert np.array_equal(dst, cv2.Canny(cv2.cvtColor(square, cv2.COLOR_BGR2GRAY), 100, 200))
    assert share == edges.edge_fraction(square) > 0.0
    assert not slot.reshape(60, 128)[:, 70:].any()  # the row padding is left alone
