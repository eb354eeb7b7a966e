"""Decoding real sources straight into the ring: frames/s, CPU and copies per frame.

For a 4K MJPEG file (made here by framebridge-sample-video) and a 4K GStreamer
videotestsrc pipeline, each at --fps 0: once with no client (the capture alone) and once
with one Python client reading every frame it can.
"""

import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

import client_probe
from server_process import ServerProcess

SIZE = "3840x2160"
GST_4K = "gst:videotestsrc ! video/x-raw,width=3840,height=2160"


def make_sample(tool: Path, directory: Path, frames: int) -> Path:
    path = directory / "bench-4k.avi"
    subprocess.run([str(tool), str(path), "MJPG", SIZE, str(frames), "30"], check=True,
                   timeout=300)
    return path


def alone(binary: str, source: List[str], name: str, warmup_s: float,
          window_s: float) -> Dict[str, Any]:
    """The capture with nobody reading: published frames/s and server CPU."""
    with ServerProcess(binary, fps=0, name=name, source=source) as server:
        time.sleep(warmup_s)
        seq, cpu, start = server.newest_seq(), server.cpu_seconds(), time.perf_counter()
        time.sleep(window_s)
        elapsed = time.perf_counter() - start
        published = server.newest_seq() - seq
        cpu_s = server.cpu_seconds() - cpu
    return {"fps": published / elapsed, "server_cpu_percent": 100 * cpu_s / elapsed,
            "copies_per_frame": server.copies_per_frame()}


def with_client(binary: str, source: List[str], name: str, warmup_s: float,
                window_s: float) -> Dict[str, Any]:
    with ServerProcess(binary, fps=0, name=name, source=source) as server:
        window = client_probe.measure(server.port, warmup_s, window_s,
                                      server_cpu_s=server.cpu_seconds)
    return {"fps": window.published_fps, "client_fps": window.fps,
            "server_cpu_percent": 100 * window.server_cpu_s / window.elapsed_s,
            "client_cpu_percent": 100 * window.client_cpu_s / window.elapsed_s,
            "copies_per_frame": server.copies_per_frame()}


def run(binary: str, sample_tool: Path, name_prefix: str, quick: bool) -> Dict[str, Any]:
    warmup_s, window_s = (0.3, 1.0) if quick else (1.0, 4.0)
    with tempfile.TemporaryDirectory(prefix="fb-bench-") as directory:
        sample = make_sample(sample_tool, Path(directory), 10 if quick else 60)
        sources = {"file_mjpeg_4k": [str(sample), "--loop"], "gstreamer_4k": [GST_4K]}
        figures: Dict[str, Any] = {}
        for label, source in sources.items():
            name = f"{name_prefix}-{label}"[:30]
            figures[label] = {
                "alone": alone(binary, source, name, warmup_s, window_s),
                "with_client": with_client(binary, source, name, warmup_s, window_s),
            }
    return figures


def table(figures: Dict[str, Any]) -> List[str]:
    lines = ["decode into the slot at --fps 0 (CPU in % of one core):",
             f"  {'source':<16}{'alone fps':>10}{'CPU':>6}{'copies/frame':>14}"
             f"{'with client fps':>17}{'client got':>12}{'CPU':>6}{'client CPU':>12}"]
    for label, row in figures.items():
        a, c = row["alone"], row["with_client"]
        lines.append(f"  {label:<16}{a['fps']:10.1f}{a['server_cpu_percent']:6.0f}"
                     f"{a['copies_per_frame']:14.3f}{c['fps']:17.1f}{c['client_fps']:12.1f}"
                     f"{c['server_cpu_percent']:6.0f}{c['client_cpu_percent']:12.1f}")
    return lines
