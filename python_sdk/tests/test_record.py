"""Recording: framebridge-server --record, fb.Recorder and `python -m framebridge record`, which
write the same video and sidecar (docs/recording.md)."""

import json
import os
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

import framebridge as fb
from conftest import RunningServer, stop
from framebridge._cli import main as cli_main

cv2 = pytest.importorskip("cv2")

WAIT_S = 10.0
SMALL = ("--size", "160x120", "--fps", "30")


def sidecar(video: Path) -> List[Dict[str, Any]]:
    with open(f"{video}.jsonl", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def of_type(lines: List[Dict[str, Any]], kind: str) -> List[Dict[str, Any]]:
    return [line for line in lines if line["type"] == kind]


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {WAIT_S} s: {what}")
        time.sleep(0.02)


def frames_in(video: Path) -> int:
    capture = cv2.VideoCapture(str(video))
    count = 0
    while capture.read()[0]:
        count += 1
    return count


def check_recording(video: Path, width: int, height: int) -> List[Dict[str, Any]]:
    """The video plays every frame the sidecar lists, at the stream's size."""
    lines = sidecar(video)
    header, end = lines[0], lines[-1]
    assert (header["type"], header["width"], header["height"]) == ("recording", width, height)
    assert header["video"] == video.name
    frames = of_type(lines, "frame")
    assert [f["index"] for f in frames] == list(range(len(frames)))
    assert end == {"type": "end", "frames": len(frames), "dropped": end["dropped"],
                   "results": len(of_type(lines, "result"))}
    seqs = [f["seq"] for f in frames]
    assert seqs[-1] - seqs[0] + 1 == len(frames) + end["dropped"]
    capture = cv2.VideoCapture(str(video))
    assert (capture.get(cv2.CAP_PROP_FRAME_WIDTH), capture.get(cv2.CAP_PROP_FRAME_HEIGHT)) \
        == (width, height)
    assert frames_in(video) == len(frames)
    return lines


def test_server_and_python_record_the_same_results_until_sigint(
        start_server: Callable[..., RunningServer], tmp_path: Path) -> None:
    by_server = tmp_path / "server.mkv"
    by_python = tmp_path / "python.mp4"
    server = start_server(None, None, *SMALL, "--record", str(by_server))
    wait_until(lambda: os.path.exists(f"{by_server}.jsonl") and len(sidecar(by_server)) > 1,
               "the server records")
    with fb.connect(port=server.port) as client, \
            fb.Recorder(str(by_python), client) as recorder, \
            fb.connect(port=server.port, name="finder") as sender:
        frame = sender.latest(timeout=WAIT_S)
        sender.send_result(frame, boxes=[(1, 2, 3, 4)], labels=["face"], scores=[0.5],
                           points=[(5, 6)], polylines=[[(0, 0), (7, 8)]], text="1 face")
        frame.release()
        while recorder.stats.results == 0:
            recorder.step(timeout=WAIT_S)
    wait_until(lambda: of_type(sidecar(by_server), "result"), "the server's sidecar has it")
    stop(server)  # SIGINT: exits 0, leaves no segment

    server_lines = check_recording(by_server, 160, 120)
    python_lines = check_recording(by_python, 160, 120)
    expected = {"type": "result", "seq": frame.seq, "sender": "finder",
                "sender_id": sender.client_id, "boxes": [[1, 2, 3, 4]], "labels": ["face"],
                "scores": [0.5], "points": [[5, 6]], "polylines": [[[0, 0], [7, 8]]],
                "text": "1 face"}
    [from_server] = of_type(server_lines, "result")
    [from_python] = of_type(python_lines, "result")
    assert expected.items() <= from_server.items()
    assert from_python == from_server
    # One format: the same fields in every kind of line.
    for kind in ("recording", "frame", "end"):
        assert of_type(server_lines, kind)[0].keys() == of_type(python_lines, kind)[0].keys()
    assert recorder.stats.frames == len(of_type(python_lines, "frame"))
    assert recorder.stats.bytes == os.path.getsize(by_python)


def test_the_server_names_a_folder_it_cannot_record_to_and_leaves_nothing(
        start_server: Callable[..., RunningServer], tmp_path: Path) -> None:
    video = tmp_path / "missing" / "clip.mp4"
    server = start_server(None, None, *SMALL, "--record", str(video), wait=False)
    assert server.process.wait(WAIT_S) == 2
    assert f"{video}.jsonl" in server.log() and "folder" in server.log()
    assert not os.path.exists(tmp_path / "missing")
    assert not any(os.path.exists(path) for path in server.shm_paths)


@pytest.mark.server_args(size="160x120", fps=30)
def test_python_m_framebridge_record_writes_a_playable_video(
        server: RunningServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    video = tmp_path / "clip.avi"
    assert cli_main(["--port", str(server.port), "record", "--stream", server.name,
                     "--seconds", "0.5", str(video)]) == 0
    lines = check_recording(video, 160, 120)
    assert lines[0]["encoder"] == "OpenCV MJPEG" and lines[0]["stream"] == server.name
    assert f"to {video}" in capsys.readouterr().out


@pytest.mark.server_args(size="160x120", fps=30)
def test_python_refuses_an_unknown_extension_before_writing_anything(
        server: RunningServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    video = tmp_path / "clip.mov"
    assert cli_main(["--port", str(server.port), "record", str(video)]) == 1
    err = capsys.readouterr().err
    assert "clip.mov" in err and ".mp4" in err
    assert os.listdir(tmp_path) == ["server.log"]


def test_a_recorder_that_fails_once_its_files_exist_leaves_neither(
        start_server: Callable[..., RunningServer], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    server = start_server(None, None, *SMALL)
    video = tmp_path / "recordings" / "cut.avi"
    video.parent.mkdir()
    with fb.connect(port=server.port) as client:
        def gone(timeout: Any = None) -> Any:
            raise fb.ServerGone("the server went while the recording started")

        monkeypatch.setattr(client, "results", gone)
        with pytest.raises(fb.ServerGone):
            fb.Recorder(str(video), client)
    assert list(video.parent.iterdir()) == []


def test_a_recorder_asks_for_a_shared_memory_client() -> None:
    with pytest.raises(TypeError, match="shared memory"):
        fb.Recorder("x.mp4", object())  # type: ignore[arg-type]
