"""`python -m framebridge` against the real server: info, list, snapshot, latency."""

import re
import subprocess
from pathlib import Path
from typing import List

import cv2
import pytest

from conftest import RunningServer, free_port
from test_server_e2e import PY, sdk_env

SIZE = "320x240"


def run(*args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([PY, "-m", "framebridge", *args], capture_output=True, text=True,
                          env=sdk_env(), timeout=60)


def on(server: RunningServer, *args: str) -> List[str]:
    done = run("--port", str(server.port), *args)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.server_args(size=SIZE, fps=30, slots=4)
def test_info_names_the_stream_its_frames_and_ring(server: RunningServer) -> None:
    lines = on(server, "info")

    assert lines[0] == f"server     127.0.0.1:{server.port}"
    assert lines[1] == f"stream     {server.name} (LIVE)"
    assert lines[2].startswith(f"frames     {SIZE} BGR8, newest seq ")
    assert lines[3] == "ring       4 slots; a client may hold 3"


@pytest.mark.server_args(size=SIZE, fps=30)
def test_list_gives_each_stream_with_its_size_and_fps(server: RunningServer) -> None:
    lines = on(server, "list")

    assert lines[0].split() == ["stream", "frames", "fps", "producer", "clients", "newest"]
    name, size, pixel_format, fps, producer, clients, _newest = lines[1].split()
    assert (name, size, pixel_format, producer) == (server.name, SIZE, "BGR8", "capture")
    assert float(fps) == 30.0 and int(clients) >= 0
    assert len(lines) == 2


@pytest.mark.server_args(size=SIZE, fps=30)
def test_info_reads_the_stream_named(server: RunningServer) -> None:
    assert on(server, "--stream", server.name, "info")[1] == f"stream     {server.name} (LIVE)"
    done = run("--port", str(server.port), "--stream", "nosuch", "info")
    assert done.returncode == 1 and f"it has: {server.name}" in done.stderr


@pytest.mark.server_args(size=SIZE, fps=30)
def test_snapshot_writes_the_newest_frame(server: RunningServer, tmp_path: Path) -> None:
    target = tmp_path / "shot.png"

    lines = on(server, "snapshot", str(target))

    assert re.fullmatch(rf"wrote frame \d+ \({SIZE}\) to {re.escape(str(target))}", lines[0])
    image = cv2.imread(str(target))
    assert image is not None and image.shape == (240, 320, 3)


@pytest.mark.server_args(size=SIZE, fps=60)
def test_latency_reports_p50_and_p99(server: RunningServer) -> None:
    lines = on(server, "latency", "--seconds", "1")

    found = re.fullmatch(r"(\d+) frames in 1 s: publish -> receive p50 ([\d.]+) ms, "
                         r"p99 ([\d.]+) ms, max ([\d.]+) ms", lines[0])
    assert found, lines
    assert int(found[1]) > 0 and float(found[2]) <= float(found[3])


def test_no_server_is_one_line_and_exit_status_1() -> None:
    done = run("--port", str(free_port()), "info")

    assert done.returncode == 1
    assert done.stderr.startswith("framebridge: no FrameBridge server at 127.0.0.1:")
