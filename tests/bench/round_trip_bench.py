"""FrameBridge benchmark: the round trip, capture stream -> Python -> published stream -> C++.

One server captures the synthetic stream; round_trip_publisher.py (Python) reads each frame and
publishes cv2.bitwise_not of it, written straight into the slot out.frame(source=frame) lends;
framebridge-cpp-client-probe (C++) reads the published stream back. Frame for frame, capture_ns
travels with the published frame, so the C++ reader's receive time minus it is capture->back.
Beside it, in the same run and on the same server: the one-way rate (the C++ reader on the
capture stream), the Python processing alone (bitwise_not into a plain array, nothing sent
back), and memcpy of one frame. At 30 fps and as fast as it goes (--fps 0). Prints a table,
then one JSON line. Figures only: a slow run still exits 0; exit 1 if a frame read back was not
255 - its source (stamps of every frame, every pixel of a few), 2 if something broke.

    PYTHONPATH=python_sdk /usr/bin/python3 tests/bench/round_trip_bench.py --build-dir build
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Sequence

import framebridge as fb

import bench_cli
import micro_bench
from script_process import ScriptProcess
from server_process import ServerProcess, cpu_seconds

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "soak"))
from frame_check import SyntheticPattern  # noqa: E402

SCENARIOS = (("fps30", 30.0), ("fps0", 0.0))
PUBLISHER = Path(__file__).resolve().parent / "round_trip_publisher.py"
PROBE_TIMEOUT_S = 60
PIXEL_CHECK_FRAMES = 3
CONNECT_TIMEOUT_S = 5.0


def stream_name(label: str) -> str:
    return f"fb-bench-{os.getpid()}-rt-{label}"[:28]  # + "-b" for the stream sent back


def frame_bytes(size: str) -> int:
    width, height = (int(side) for side in size.split("x"))
    return width * height * 3


def publisher_script(port: int, source: str, out: str, warmup_s: float) -> ScriptProcess:
    """round_trip_publisher.py as a child; its result: the frames it handled, the seconds."""
    return ScriptProcess(PUBLISHER, [str(port), source, out, f"{warmup_s:g}"])


def sample(server: ServerProcess, pids: Dict[str, int], seconds: float) -> Dict[str, Any]:
    """Over the next `seconds` of wall time: the CPU of the server and of each of `pids`, in %
    of one core, and the frames/s the server captured (read or not). At --fps 0 every side
    competes with the capture for two cores, so the capture rate tells how they shared them."""
    pids = {"server": server.pid, **pids}
    start = {who: cpu_seconds(pid) for who, pid in pids.items()}
    first_seq = server.newest_seq()
    began = time.perf_counter()
    time.sleep(seconds)
    elapsed = time.perf_counter() - began
    return {"cpu_percent": {who: 100 * (cpu_seconds(pid) - start[who]) / elapsed
                            for who, pid in pids.items()},
            "capture_fps": (server.newest_seq() - first_seq) / elapsed}


def cpp_reader(probe: Path, server: ServerProcess, options: Sequence[str], warmup_s: float,
               window_s: float, pids: Dict[str, int]) -> Dict[str, Any]:
    """The C++ probe's row, plus what sample() saw over its window."""
    reader = subprocess.Popen([str(probe), *options, str(server.port), f"{warmup_s:g}",
                               f"{window_s:g}"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(warmup_s)
        sampled = sample(server, pids, window_s)
        out, err = reader.communicate(timeout=PROBE_TIMEOUT_S)
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait()
    if reader.returncode != 0:
        raise RuntimeError(f"{probe} exited with status {reader.returncode}: {err}")
    row = json.loads(out.splitlines()[-1])
    fps = row["frames"] / row["elapsed_s"] if row["elapsed_s"] else 0.0
    sampled["cpu_percent"]["cpp_reader"] = (100 * row["client_cpu_s"] / row["elapsed_s"]
                                            if row["elapsed_s"] else 0.0)
    return {"frames": row["frames"], "fps": fps, "capture_p50_ms": row["capture_p50_ms"],
            "capture_p99_ms": row["capture_p99_ms"], "seq_mismatches": row["seq_mismatches"],
            **sampled}


def python_alone(server: ServerProcess, warmup_s: float, window_s: float) -> Dict[str, Any]:
    """The publisher's processing with nothing sent back: bitwise_not into a plain array."""
    with publisher_script(server.port, server.name, "-", warmup_s) as publisher:
        time.sleep(warmup_s)
        sampled = sample(server, {"publisher": publisher.pid}, window_s)
    frames, elapsed = publisher.result["frames"], publisher.result["elapsed_s"]
    return {"frames": frames, "fps": frames / elapsed if elapsed else 0.0, **sampled}


def pixel_check(port: int, stream: str, size: str, count: int) -> Dict[str, Any]:
    """Reads `count` frames of the stream sent back and checks every pixel: each must be 255
    minus the pixel of the synthetic frame its source_seq names."""
    width, height = (int(side) for side in size.split("x"))
    pattern = SyntheticPattern(width, height, 3)
    checked, wrong, first_problem, looked_at = 0, 0, "", 0
    with fb.connect(port=port, stream=stream, name="bench-pixel-check",
                    timeout=CONNECT_TIMEOUT_S) as client:
        for frame in client:
            looked_at += 1
            source = 255 - frame.array  # a copy: the rows are checked after the lease ends
            if frame.valid():  # not taken back while it was copied
                problems = pattern.problems(source, frame.source_seq, range(height))
                checked += 1
                wrong += 1 if problems else 0
                first_problem = first_problem or "; ".join(problems[:3])
            if checked == count or looked_at == 4 * count:
                break
    return {"frames": checked, "mismatches": wrong, "first_problem": first_problem}


def scenario(server_binary: str, probe: Path, size: str, fps: float, label: str,
             warmup_s: float, window_s: float) -> Dict[str, Any]:
    name = stream_name(label)
    back = f"{name}-b"
    try:
        with ServerProcess(server_binary, size=size, fps=fps, name=name) as server:
            row: Dict[str, Any] = {
                "one_way": cpp_reader(probe, server, [], warmup_s, window_s, {}),
                "python_alone": python_alone(server, warmup_s, window_s),
            }
            with publisher_script(server.port, name, back, warmup_s) as publisher:
                row["round_trip"] = cpp_reader(
                    probe, server, ["--stream", back, "--inverted"], warmup_s, window_s,
                    {"publisher": publisher.pid})
                row["pixel_check"] = pixel_check(server.port, back, size, PIXEL_CHECK_FRAMES)
            row["round_trip"]["published_frames"] = publisher.result["frames"]
    finally:
        # The server removes a published stream's segment; one killed could not.
        Path("/dev/shm", back).unlink(missing_ok=True)
    mbps = frame_bytes(size) / 1e6
    for leg in ("one_way", "python_alone", "round_trip"):
        row[leg]["mbps"] = row[leg]["fps"] * mbps
    for key, leg in (("ratio", "one_way"), ("ratio_to_python_alone", "python_alone")):
        base = row[leg]["fps"]
        row[key] = row["round_trip"]["fps"] / base if base else 0.0
    return row


def run(args: argparse.Namespace) -> Dict[str, Any]:
    bin_dir = Path(args.build_dir) / "bin"
    server_binary = os.environ.get("FRAMEBRIDGE_SERVER") or str(bin_dir / "framebridge-server")
    probe = bin_dir / "framebridge-cpp-client-probe"
    warmup_s, window_s = (0.3, 1.0) if args.quick else (1.0, 5.0)
    memcpy_gbps = micro_bench.run(str(bin_dir / "framebridge-memcpy-bench"),
                                  args.quick)["memcpy_gbps"]
    figures: Dict[str, Any] = {
        "size": args.size,
        "memcpy_gbps": memcpy_gbps,
        "memcpy_ms_per_frame": frame_bytes(args.size) / (memcpy_gbps * 1e6),
        "quick": args.quick,
        # The machine may be shared: the load around the run says how far to trust it.
        "load_average_before": os.getloadavg()[0],
    }
    for label, fps in SCENARIOS:
        figures[label] = scenario(server_binary, probe, args.size, fps, label, warmup_s,
                                  window_s)
    figures["load_average_after"] = os.getloadavg()[0]
    figures["seq_mismatches"] = sum(
        figures[label][leg]["seq_mismatches"] for label, _ in SCENARIOS
        for leg in ("one_way", "round_trip")) + sum(
        figures[label]["pixel_check"]["mismatches"] for label, _ in SCENARIOS)
    return figures


def table(figures: Dict[str, Any]) -> List[str]:
    rows = [figures[label] for label, _ in SCENARIOS]

    def line(what: str, cell: Any) -> str:
        return f"| {what} | " + " | ".join(cell(row) for row in rows) + " |"

    def rate(leg: str) -> Any:
        return lambda row: f"{row[leg]['fps']:.0f} fps, {row[leg]['mbps']:.0f} MB/s"

    def latency(leg: str) -> Any:
        return lambda row: (f"{row[leg]['capture_p50_ms']:.2f} / "
                            f"{row[leg]['capture_p99_ms']:.2f} ms")

    def cpu(row: Dict[str, Any]) -> str:
        c = row["round_trip"]["cpu_percent"]
        return f"{c['publisher']:.0f} / {c['cpp_reader']:.1f} / {c['server']:.0f}"

    return [
        f"round trip at {figures['size']}: capture -> Python bitwise_not into a published "
        f"slot -> C++ reader; memcpy of one frame {figures['memcpy_ms_per_frame']:.2f} ms "
        f"({figures['memcpy_gbps']:.1f} GB/s); load average {figures['load_average_before']:.1f}"
        f" before, {figures['load_average_after']:.1f} after",
        "| | 30 fps | `--fps 0` |", "|---|---|---|",
        line("one way: C++ reads the capture stream", rate("one_way")),
        line("Python bitwise_not alone (nothing sent back)", rate("python_alone")),
        line("round trip: C++ reads what Python published", rate("round_trip")),
        line("round trip / one way (/ Python alone)",
             lambda row: f"{row['ratio']:.2f} ({row['ratio_to_python_alone']:.2f})"),
        line("capture→back p50 / p99", latency("round_trip")),
        line("one way capture→ready p50 / p99", latency("one_way")),
        line("round trip CPU, % of a core: Python / C++ / server", cpu),
        line("server's capture meanwhile: one way / Python alone / round trip",
             lambda row: " / ".join(f"{row[leg]['capture_fps']:.0f}"
                                    for leg in ("one_way", "python_alone", "round_trip"))
             + " fps"),
        line("frames read back pixel-checked (mismatches)",
             lambda row: f"{row['pixel_check']['frames']} ({row['pixel_check']['mismatches']})"),
    ]


def more_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--size", default="3840x2160", help="frame size, WIDTHxHEIGHT")


if __name__ == "__main__":
    sys.exit(bench_cli.main("round_trip_bench.py", __doc__.splitlines()[0],
                            "~1 s windows, for a smoke test", run, table, more_arguments))
