"""FrameBridge benchmark: results back, what one Python client's send_result costs.

Two figures, each beside its limit measured in the same run:
- Send rate: one client calls `client.send_result(frame, boxes=[one box])` as fast as it can
  over its TCP connection. Limit: the same bytes per message (a RESULT with one box) sent bare,
  with socket.sendall over loopback TCP (tcp_floor.py); beside them, the checking and
  encoding alone, with no send. The server's statistics line must then count every result
  sent.
- Latency at 4K 30 fps: result_sender.py reads each frame and sends one box for it, nothing
  else. capture->result is what the server sees (the frame's capture_ns to the server reading
  the RESULT), read from its statistics line for that client (ClientStats::to_result), beside
  publish->ready of the same client over the same seconds, and their ratio; then the script's
  own breakdown of the loop.
Prints a table, then one JSON line. Figures only: a slow run still exits 0; exit 1 if the
server counted fewer results than were sent, 2 if something broke.

    PYTHONPATH=python_sdk /usr/bin/python3 tests/bench/results_bench.py --build-dir build
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

import framebridge as fb
from framebridge.results import result_message

import bench_cli
import rate_loop
import tcp_floor
from round_trip_bench import sample
from script_process import ScriptProcess
from server_process import ServerProcess

SENDER = Path(__file__).resolve().parent / "result_sender.py"
RATE_SIZE = "640x480"  # the frames do not matter to the send rate: keep the capture cheap
RATE_FPS = 30.0
RATE_CLIENT = "bench-result-rate"
LATENCY_CLIENT = "bench-result-latency"
ONE_BOX = [(16, 16, 64, 48)]
MESSAGE_BYTES = len(result_message(1, 1, 1, boxes=ONE_BOX))  # header included
STATS_EVERY_S = 0.5
COUNT_TIMEOUT_S = 5.0
CONNECT_TIMEOUT_S = 5.0
RESULTS = re.compile(r"; (\d+) result\(s\), ")
LATENCY = {key: re.compile(what + r" p50 ([\d.]+) ms p99 ([\d.]+) ms")
           for key, what in (("capture_to_result", "capture->result"),
                             ("publish_to_ready", "publish->ready"))}


def stream_name(label: str) -> str:
    return f"fb-bench-{os.getpid()}-res-{label}"[:30]


def newest_line(server: ServerProcess, client: str, after: int, timeout_s: float) -> str:
    """The newest statistics line about `client`, once more than `after` of them exist."""
    deadline = time.perf_counter() + timeout_s
    while len(server.client_lines(client)) <= after and time.perf_counter() < deadline:
        time.sleep(STATS_EVERY_S / 5)
    lines = server.client_lines(client)
    if not lines:
        raise RuntimeError(f"the server logged no statistics line about client '{client}' "
                           f"within {timeout_s:g} s; its log:\n{server.log}")
    return lines[-1]


def counted_results(line: str) -> int:
    found = RESULTS.search(line)
    if found is None:
        raise RuntimeError(f"no 'N result(s)' in the server's statistics line: {line.strip()}")
    return int(found.group(1))


def latency_pair(line: str, key: str) -> Dict[str, float]:
    found = LATENCY[key].search(line)
    if found is None:
        raise RuntimeError(f"no '{LATENCY[key].pattern}' in the server's statistics line: "
                           f"{line.strip()}")
    return {"p50": float(found.group(1)), "p99": float(found.group(2))}


def cpu_us(calls: rate_loop.Repeated) -> float:
    """The sender's CPU per call: on a busy machine the rate is the share of a core it got,
    this is what each call cost it."""
    return 1e6 * calls.cpu_s / calls.calls if calls.calls else 0.0


def send_rate(server_binary: str, warmup_s: float, window_s: float) -> Dict[str, Any]:
    """One client's send_result loop, then how many results the server counted."""
    with ServerProcess(server_binary, size=RATE_SIZE, fps=RATE_FPS, name=stream_name("rate"),
                       stats_every_s=STATS_EVERY_S) as server:
        with fb.connect(port=server.port, name=RATE_CLIENT,
                        timeout=CONNECT_TIMEOUT_S) as client:
            with client.latest() as frame:
                pass  # a result may name a frame already released
            server_start = server.cpu_seconds()
            sends = rate_loop.repeat(lambda: client.send_result(frame, boxes=ONE_BOX),
                                     warmup_s, window_s)
            server_cpu_s = server.cpu_seconds() - server_start
            # Every result sent is in the server's count once it has read them all.
            deadline = time.perf_counter() + COUNT_TIMEOUT_S
            counted = 0
            while counted < sends.all_calls and time.perf_counter() < deadline:
                seen = len(server.client_lines(RATE_CLIENT))
                counted = counted_results(newest_line(server, RATE_CLIENT, seen,
                                                      COUNT_TIMEOUT_S))
    return {"results_per_s": sends.per_s, "sent": sends.all_calls,
            "counted_by_server": counted, "client_cpu_us": cpu_us(sends),
            "cpu_percent": {"client": 100 * sends.cpu_s / sends.elapsed_s,
                            "server": 100 * server_cpu_s / sends.elapsed_s}}


def encode_alone(warmup_s: float, window_s: float) -> Dict[str, Any]:
    """What send_result does before its send: check and encode the one-box RESULT."""
    calls = rate_loop.repeat(lambda: result_message(1, 1, 1, boxes=ONE_BOX), warmup_s,
                             window_s)
    return {"per_s": calls.per_s, "client_cpu_us": cpu_us(calls)}


def bare_sends(warmup_s: float, window_s: float) -> Dict[str, Any]:
    floor = tcp_floor.measure(MESSAGE_BYTES, warmup_s, window_s)
    if floor.bytes_read != floor.bytes_sent:
        raise RuntimeError(f"the bare TCP reader got {floor.bytes_read} bytes of the "
                           f"{floor.bytes_sent} sent over loopback")
    return {"sends_per_s": floor.sends.per_s, "client_cpu_us": cpu_us(floor.sends),
            "cpu_percent": {"client": 100 * floor.sends.cpu_s / floor.sends.elapsed_s}}


def latency(server_binary: str, size: str, fps: float, warmup_s: float,
            window_s: float) -> Dict[str, Any]:
    """result_sender.py on a size@fps stream; the server's line about it once the window ends.
    The server's figures cover its last 10 s: with a window of 10 s, the window."""
    with ServerProcess(server_binary, size=size, fps=fps, name=stream_name("lat"),
                       stats_every_s=STATS_EVERY_S) as server:
        with ScriptProcess(SENDER, [str(server.port), server.name, LATENCY_CLIENT,
                                    f"{warmup_s:g}"]) as sender:
            time.sleep(warmup_s)
            row: Dict[str, Any] = sample(server, {"script": sender.pid}, window_s)
            line = newest_line(server, LATENCY_CLIENT,
                               len(server.client_lines(LATENCY_CLIENT)), COUNT_TIMEOUT_S)
        row["script"] = sender.result
    for key in LATENCY:
        row[key] = latency_pair(line, key)
    row["ratio"] = {p: (row["capture_to_result"][p] / row["publish_to_ready"][p]
                        if row["publish_to_ready"][p] else 0.0) for p in ("p50", "p99")}
    row["results_counted_by_server"] = counted_results(line)
    row["server_line"] = line.strip()
    return row


def run(args: argparse.Namespace) -> Dict[str, Any]:
    bin_dir = Path(args.build_dir) / "bin"
    server_binary = os.environ.get("FRAMEBRIDGE_SERVER") or str(bin_dir / "framebridge-server")
    warmup_s, window_s = (0.3, 1.0) if args.quick else (2.0, 10.0)
    # The machine may be shared: the load around the run says how far to trust it.
    figures: Dict[str, Any] = {"quick": args.quick, "size": args.size, "fps": args.fps,
                               "message_bytes": MESSAGE_BYTES,
                               "load_average_before": os.getloadavg()[0]}
    # The limit and the figure back to back, so both see the same load.
    figures["bare_tcp"] = bare_sends(warmup_s, window_s / 2)
    figures["send_rate"] = send_rate(server_binary, warmup_s, window_s / 2)
    figures["encode_alone"] = encode_alone(warmup_s / 2, window_s / 5)
    rate, bare = figures["send_rate"], figures["bare_tcp"]
    rate["ratio"] = rate["results_per_s"] / bare["sends_per_s"] if bare["sends_per_s"] else 0.0
    rate["cpu_ratio"] = (rate["client_cpu_us"] / bare["client_cpu_us"]
                         if bare["client_cpu_us"] else 0.0)
    figures["latency"] = latency(server_binary, args.size, args.fps, warmup_s, window_s)
    figures["load_average_after"] = os.getloadavg()[0]
    # bench_cli exits 1 on it: results sent that the server never counted.
    figures["seq_mismatches"] = max(figures["send_rate"]["sent"]
                                    - figures["send_rate"]["counted_by_server"], 0)
    return figures


def table(figures: Dict[str, Any]) -> List[str]:
    rate, bare, lat = figures["send_rate"], figures["bare_tcp"], figures["latency"]
    script = lat["script"]

    def pair(ms: Dict[str, float]) -> str:
        return f"{ms['p50']:.2f} / {ms['p99']:.2f} ms"

    return [
        f"results back, one Python client; load average {figures['load_average_before']:.1f} "
        f"before, {figures['load_average_after']:.1f} after (CPU in % of one core)",
        f"  send_result, one box, as fast as it goes  {rate['results_per_s']:9.0f} results/s, "
        f"{rate['client_cpu_us']:.1f} µs of client CPU each (client CPU "
        f"{rate['cpu_percent']['client']:.0f}, server {rate['cpu_percent']['server']:.0f}); "
        f"server counted {rate['counted_by_server']} of {rate['sent']}",
        f"  limit: bare loopback TCP sends of {figures['message_bytes']} bytes "
        f"{bare['sends_per_s']:9.0f} sends/s, {bare['client_cpu_us']:.1f} µs each (client CPU "
        f"{bare['cpu_percent']['client']:.0f})",
        f"  send_result / bare send                   {rate['ratio']:9.2f} of the rate, "
        f"{rate['cpu_ratio']:.1f} x the CPU",
        f"  of which checking and encoding it (no send) {figures['encode_alone']['per_s']:7.0f}"
        f" results/s, {figures['encode_alone']['client_cpu_us']:.1f} µs each",
        "",
        f"{figures['size']} at {figures['fps']:g} fps, a script that reads each frame and "
        f"sends one box ({script['frames']} frames; server captured "
        f"{lat['capture_fps']:.1f} fps):",
        f"  capture→result p50 / p99 (server)         {pair(lat['capture_to_result'])}",
        f"  publish→ready p50 / p99 (server, limit)   {pair(lat['publish_to_ready'])}",
        f"  capture→result / publish→ready            {lat['ratio']['p50']:.1f} / "
        f"{lat['ratio']['p99']:.1f}",
        f"  the script's view: capture→publish {pair(script['capture_to_publish'])}, "
        f"publish→ready {pair(script['publish_to_ready'])}, "
        f"ready→sent {pair(script['ready_to_sent'])}",
        f"  CPU: script {lat['cpu_percent']['script']:.1f}, server "
        f"{lat['cpu_percent']['server']:.1f}",
        f"results the server did not count: {figures['seq_mismatches']}",
    ]


def more_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--size", default="3840x2160",
                        help="frame size of the latency run, WIDTHxHEIGHT")
    parser.add_argument("--fps", type=float, default=30.0, help="frame rate of the latency run")


if __name__ == "__main__":
    sys.exit(bench_cli.main("results_bench.py", __doc__.splitlines()[0],
                            "~1 s windows, for a smoke test", run, table, more_arguments))
