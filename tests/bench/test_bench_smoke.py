"""`make bench` still runs: a --quick pass reports every figure and leaves nothing behind.

Checks that the figures exist and the frames were whole, never how fast anything was.
"""

from quick_run import run_quick


def test_a_quick_bench_reports_every_figure_and_cleans_up() -> None:
    run = run_quick("bench.py")

    figures = run.figures
    assert figures["seq_mismatches"] == 0
    assert figures["memcpy_gbps"] > 0 and figures["synthetic_fps_4k"] > 0
    for size in ("3840x2160", "1920x1080", "640x480"):
        assert figures["throughput"][size]["fps"] > 0, size
    assert figures["latency_4k30_ms"]["frames"] > 0
    assert figures["full_read_4k30"]["frames"] > 0 and figures["full_read_4k30"]["ratio"] > 0
    for source in ("file_mjpeg_4k", "gstreamer_4k"):
        row = figures["sources"][source]
        assert row["alone"]["fps"] > 0 and row["with_client"]["client_fps"] > 0, source
        # Each frame is decoded into its slot, or converted into it once: never more.
        assert 0 <= row["alone"]["copies_per_frame"] <= 1, source
    targets = figures["targets"]
    assert figures["targets_met"] == {
        "throughput_4k_ratio_min": (figures["throughput"]["3840x2160"]["ratio_to_memcpy"]
                                    >= targets["throughput_4k_ratio_min"]),
        "latency_p99_ms_max": figures["latency_4k30_ms"]["p99"] <= targets["latency_p99_ms_max"],
        "client_cpu_percent_max": (figures["cpu_4k30_percent"]["client"]
                                   <= targets["client_cpu_percent_max"]),
        "full_read_ratio_max": (figures["full_read_4k30"]["ratio"]
                                <= targets["full_read_ratio_max"]),
    }
    assert not run.leftovers("fb-bench")
