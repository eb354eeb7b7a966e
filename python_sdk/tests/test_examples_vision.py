"""The vision examples' own logic, and the results each one sends, which a watcher sees when
it runs against the real server (test_server_e2e.py runs every example as well)."""

import importlib.util
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable, List

import cv2
import numpy as np
import pytest

import framebridge as fb
from conftest import SDK_DIR, RunningServer
from fakes import unique_name

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

    found, scores = faces.detect_faces(detector, drawn_face(scale))

    assert len(found) == 1 and len(scores) == 1 and scores[0] >= 5  # minNeighbors
    x, y, w, h = found[0]
    assert abs(x + w / 2 - 320 * scale) < 20 * scale and abs(y + h / 2 - 240 * scale) < 40 * scale
    assert 150 * scale < w < 400 * scale


def test_an_empty_frame_has_no_face(faces: ModuleType) -> None:
    detector = faces.load_detector(faces.find_cascade())

    assert faces.detect_faces(detector, np.zeros((480, 640, 3), np.uint8)) == ([], [])


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

    count = edges.edges_into(square, dst)

    assert np.array_equal(dst, cv2.Canny(cv2.cvtColor(square, cv2.COLOR_BGR2GRAY), 100, 200))
    assert count / (60 * 70) == edges.edge_fraction(square) > 0.0
    assert not slot.reshape(60, 128)[:, 70:].any()  # the row padding is left alone


def test_blobs_are_outlined_largest_first_closed_with_their_centres() -> None:
    blobs = load_example("contours")
    image = np.zeros((200, 300, 3), np.uint8)
    image[20:60, 30:90] = 255
    image[100:180, 150:250] = 255
    image[5:8, 5:8] = 255  # too small to count

    outlines, centres = blobs.find_blobs(image)

    assert len(outlines) == len(centres) == 2
    assert sorted(map(tuple, outlines[0][:-1].tolist())) == [(150, 100), (150, 179),
                                                             (249, 100), (249, 179)]
    assert all(outline[0].tolist() == outline[-1].tolist() for outline in outlines)
    assert [(abs(x - cx) <= 0.5, abs(y - cy) <= 0.5) for (x, y), (cx, cy) in
            zip(centres, [(199.5, 139.5), (59.5, 39.5)])] == [(True, True)] * 2


def test_blobs_stop_before_their_corners_outgrow_one_result(
        monkeypatch: pytest.MonkeyPatch) -> None:
    blobs = load_example("contours")
    monkeypatch.setattr(blobs, "MAX_CORNERS", 6)
    image = np.zeros((100, 100), np.uint8)
    image[10:30, 10:30] = image[50:90, 50:90] = 255

    outlines, centres = blobs.find_blobs(image)

    assert [len(outline) for outline in outlines] == [5] and len(centres) == 1


@pytest.fixture(scope="module")
def face_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short MJPG file of the drawn face, for the server to play."""
    path = tmp_path_factory.mktemp("media") / "face.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (640, 480))
    for _ in range(10):
        writer.write(drawn_face())
    writer.release()
    return path


def faces_found(results: List[fb.Result]) -> None:
    for r in results:
        assert r.labels == ["face"] * len(r.boxes) and len(r.scores) == len(r.boxes)
        assert r.text == f"{len(r.boxes)} face{'' if len(r.boxes) == 1 else 's'}"
    x, y, w, h = results[-1].boxes[0]
    assert abs(x + w / 2 - 320) < 20 and abs(y + h / 2 - 240) < 40


def edges_counted(results: List[fb.Result]) -> None:
    counts = [re.fullmatch(r"(\d+) edge pixels", r.text) for r in results]
    assert all(count and int(count[1]) > 0 for count in counts), [r.text for r in results]


def blobs_outlined(results: List[fb.Result]) -> None:
    for r in results:
        assert 1 <= len(r.polylines) == len(r.points) and r.text.endswith(("blob", "blobs"))
        assert all(line[0] == line[-1] for line in r.polylines)


@pytest.mark.parametrize("example, check", [
    ("face_detection", faces_found), ("canny_edges", edges_counted),
    ("contours", blobs_outlined)], ids=["face_detection", "canny_edges", "contours"])
def test_a_watcher_sees_the_results_each_example_sends(
        example: str, check: Callable[[List[fb.Result]], None], face_video: Path,
        start_server: Callable[..., RunningServer]) -> None:
    server = start_server(None, None, "--source", str(face_video), "--loop", "--fps", "10")
    publish = ["--publish", unique_name("edges")] if example == "canny_edges" else []
    with fb.connect(port=server.port, name="watcher") as watcher:
        results = watcher.results(timeout=10)
        watcher.latest(timeout=10).release()  # answered after the WATCH sent before it
        done = subprocess.run([sys.executable, str(EXAMPLES / f"{example}.py"), "--port",
                               str(server.port), "--count", "3", *publish],
                              env=dict(os.environ, PYTHONPATH=str(SDK_DIR)),
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        got = list(itertools.islice(results, 3))

    assert len(got) == 3 and {r.sender.name for r in got} == {f"{example}.py"}
    assert all(0 < r.capture_ns <= r.sent_ns <= r.received_ns for r in got)
    assert [r.seq for r in got] == sorted(r.seq for r in got) and got[0].skipped == 0
    check(got)
