"""The desktop app's cost: capture rate and CPU at 4K 30 fps with its preview on, against the
headless framebridge-server, each with one Python client reading every frame it can.

Prints a table, then, as the last line, one JSON object with every figure. Figures only: a slow
run still exits 0. Exit status 1 if a frame did not carry its own seq, 2 if something broke.
The app runs on a private Xvfb display (the preview is painted for real and the X server's CPU
is counted apart), or on Qt's offscreen platform when Xvfb is missing.

    PYTHONPATH=python_sdk /usr/bin/python3 tests/bench/app_bench.py --build-dir build [--quick]
"""

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import numpy as np

import bench_cli
import client_probe
from server_process import ServerProcess, cpu_seconds

SIZE = "3840x2160"
FPS = 30
DROPPED = re.compile(r"published (\d+), dropped (\d+)")
PREVIEW = re.compile(r"preview showed (\d+) frames in ([\d.]+) s")


class AppProcess(ServerProcess):
    """The desktop app started as a server would be, plus --start: same flags, same log line."""

    def __init__(self, binary: str, *, size: str, fps: float, name: str) -> None:
        super().__init__(binary, size=size, fps=fps, name=name)
        self._argv.insert(1, "--start")


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    """os.environ with `values` set while the block runs (children started in it inherit them)."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def display() -> Iterator[Optional["subprocess.Popen[bytes]"]]:
    """A private Xvfb server as DISPLAY for the block; the offscreen platform without Xvfb."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        with environment(QT_QPA_PLATFORM="offscreen"):
            yield None
        return
    read_end, write_end = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write_end), "-screen", "0", "1920x1080x24",
                               "-nolisten", "tcp"], pass_fds=(write_end,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    try:
        with os.fdopen(read_end) as numbers:
            number = numbers.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        with environment(DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb"):
            yield server
    finally:
        server.terminate()
        server.wait(10)


def measure(producer: ServerProcess, warmup_s: float, window_s: float,
            x_server: Optional["subprocess.Popen[bytes]"] = None) -> Dict[str, Any]:
    x_start = cpu_seconds(x_server.pid) if x_server else 0.0
    window = client_probe.measure(producer.port, warmup_s, window_s,
                                  server_cpu_s=producer.cpu_seconds)
    x_cpu = cpu_seconds(x_server.pid) - x_start if x_server else 0.0
    ms = np.array(window.latencies_ms) if window.latencies_ms else np.zeros(1)
    return {
        "capture_fps": window.published_fps,
        "client_fps": window.fps,
        "latency_ms": {"p50": float(np.percentile(ms, 50)), "p99": float(np.percentile(ms, 99))},
        "cpu_percent": {"producer": 100 * window.server_cpu_s / window.elapsed_s,
                        "client": 100 * window.client_cpu_s / window.elapsed_s,
                        "x_server": 100 * x_cpu / window.elapsed_s},
        "seq_mismatches": window.seq_mismatches,
    }


def from_log(figures: Dict[str, Any], log: str) -> Dict[str, Any]:
    """Adds what the producer logged when it stopped: frames dropped, preview rate."""
    dropped = DROPPED.findall(log)
    figures["published"], figures["dropped"] = (int(v) for v in dropped[-1]) if dropped else (0, 0)
    preview = PREVIEW.findall(log)
    if preview:
        frames, seconds = preview[-1]
        figures["preview_fps"] = int(frames) / float(seconds) if float(seconds) > 0 else 0.0
    return figures


def run(args: argparse.Namespace) -> Dict[str, Any]:
    bin_dir = Path(args.build_dir) / "bin"
    warmup_s, window_s = (0.5, 2.0) if args.quick else (2.0, 10.0)
    name = f"fb-appbench-{os.getpid()}"
    with ServerProcess(str(bin_dir / "framebridge-server"), size=SIZE, fps=FPS,
                       name=name + "-s") as server:
        headless = measure(server, warmup_s, window_s)
    headless = from_log(headless, server.log)
    with tempfile.TemporaryDirectory() as config, environment(XDG_CONFIG_HOME=config), \
            display() as x_server:
        with AppProcess(str(bin_dir / "framebridge"), size=SIZE, fps=FPS,
                        name=name + "-a") as app:
            with_app = measure(app, warmup_s, window_s, x_server)
        with_app = from_log(with_app, app.log)
        with_app["platform"] = "xcb (Xvfb)" if x_server else "offscreen"
    return {"size": SIZE, "fps": FPS, "window_s": window_s, "headless_server": headless,
            "app_preview_on": with_app,
            "seq_mismatches": headless["seq_mismatches"] + with_app["seq_mismatches"],
            "quick": args.quick}


def table(figures: Dict[str, Any]) -> List[str]:
    server, app = figures["headless_server"], figures["app_preview_on"]

    def row(label: str, left: str, right: str) -> str:
        return f"  {label:<34}{left:>16}{right:>22}"

    preview = app.get("preview_fps")
    return [
        f"{figures['size']} at {figures['fps']} fps, one Python client, "
        f"{figures['window_s']:g} s window (CPU in % of one core):",
        row("", "headless server", f"app, preview on ({app['platform'].split()[0]})"),
        row("capture fps (frames published)", f"{server['capture_fps']:.1f}",
            f"{app['capture_fps']:.1f}"),
        row("frames dropped, whole run", str(server["dropped"]), str(app["dropped"])),
        row("client fps", f"{server['client_fps']:.1f}", f"{app['client_fps']:.1f}"),
        row("publish->ready p50 / p99 ms",
            f"{server['latency_ms']['p50']:.2f} / {server['latency_ms']['p99']:.2f}",
            f"{app['latency_ms']['p50']:.2f} / {app['latency_ms']['p99']:.2f}"),
        row("CPU: server or app process", f"{server['cpu_percent']['producer']:.1f}",
            f"{app['cpu_percent']['producer']:.1f}"),
        row("CPU: X server painting the preview", "-", f"{app['cpu_percent']['x_server']:.1f}"),
        row("CPU: Python client", f"{server['cpu_percent']['client']:.1f}",
            f"{app['cpu_percent']['client']:.1f}"),
        row("preview fps", "-", f"{preview:.1f}" if preview is not None else "?"),
        f"seq mismatches: {figures['seq_mismatches']}",
    ]


if __name__ == "__main__":
    sys.exit(bench_cli.main("app_bench.py", __doc__.splitlines()[0],
                            "~2 s windows, for a smoke test", run, table))
