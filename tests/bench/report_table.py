"""The human table printed before bench.py's JSON line."""

from typing import Any, Dict, List

TARGETS = {
    "throughput_4k_ratio_min": 0.5,
    "latency_p99_ms_max": 1.0,
    "client_cpu_percent_max": 2.0,
    "full_read_ratio_max": 1.2,
}


def targets_met(figures: Dict[str, Any]) -> Dict[str, bool]:
    return {
        "throughput_4k_ratio_min": (figures["throughput"]["3840x2160"]["ratio_to_memcpy"]
                                    >= TARGETS["throughput_4k_ratio_min"]),
        "latency_p99_ms_max": (figures["latency_4k30_ms"]["p99"]
                               <= TARGETS["latency_p99_ms_max"]),
        "client_cpu_percent_max": (figures["cpu_4k30_percent"]["client"]
                                   <= TARGETS["client_cpu_percent_max"]),
        "full_read_ratio_max": (figures["full_read_4k30"]["ratio"]
                                <= TARGETS["full_read_ratio_max"]),
    }


def _mark(met: bool) -> str:
    return "met" if met else "MISSED"


def table(figures: Dict[str, Any]) -> List[str]:
    met = figures["targets_met"]
    lines = [
        f"memcpy of one 4K BGR frame     {figures['memcpy_gbps']:8.2f} GB/s",
        f"synthetic source, 4K, 1 core   {figures['synthetic_fps_4k']:8.0f} fps into one buffer, "
        f"{figures['synthetic_fps_4k_3slots']:.0f} fps rotating through 3",
        "",
        "one Python client, server at --fps 0 (CPU in % of one core):",
        f"  {'size':<11}{'client fps':>11}{'MB/s':>9}{'x memcpy':>10}{'published fps':>15}"
        f"{'server CPU':>12}{'client CPU':>12}",
    ]
    for size, row in figures["throughput"].items():
        lines.append(f"  {size:<11}{row['fps']:11.1f}{row['mbps']:9.0f}"
                     f"{row['ratio_to_memcpy']:10.2f}{row['published_fps']:15.1f}"
                     f"{row['cpu_percent']['server']:12.0f}{row['cpu_percent']['client']:12.0f}")
    latency = figures["latency_4k30_ms"]
    cpu = figures["cpu_4k30_percent"]
    full = figures["full_read_4k30"]
    targets = figures["targets"]
    lines += [
        "",
        f"4K at 30 fps, {latency['frames']} frames:",
        f"  publish -> client-ready  p50 {latency['p50']:.3f} ms  p99 {latency['p99']:.3f} ms"
        f"  max {latency['max']:.3f} ms",
        f"  CPU (% of one core)      server {cpu['server']:.1f}  client {cpu['client']:.2f}"
        f" (a client that reads a few bytes of each frame)",
        f"  a client reading every pixel (max()): {full['client_ms_per_frame']:.2f} ms CPU "
        f"per frame, {full['ratio']:.2f} x max() of a plain array ({full['plain_read_ms']:.2f}"
        f" ms), {full['frames']} frames",
        "",
        f"targets: 4K throughput >= {targets['throughput_4k_ratio_min']} x memcpy "
        f"({_mark(met['throughput_4k_ratio_min'])}), "
        f"p99 latency <= {targets['latency_p99_ms_max']} ms "
        f"({_mark(met['latency_p99_ms_max'])}), "
        f"client CPU <= {targets['client_cpu_percent_max']} % "
        f"({_mark(met['client_cpu_percent_max'])}), "
        f"full read <= {targets['full_read_ratio_max']} x plain "
        f"({_mark(met['full_read_ratio_max'])})",
        f"seq mismatches: {figures['seq_mismatches']}",
    ]
    return lines
