"""`make bench`'s round trip: a --quick pass at a tiny size reports every figure, the frames
read back are 255 - their source, and nothing is left behind.

Checks that the figures exist and the frames were right, never how fast anything was.
"""

import os
import sys

from quick_run import BUILD_DIR, REPO_DIR, run_quick

sys.path.insert(0, str(REPO_DIR / "python_sdk"))
from round_trip_bench import pixel_check  # noqa: E402
from server_process import ServerProcess  # noqa: E402


def test_a_quick_tiny_run_reads_back_every_frame_inverted_and_cleans_up() -> None:
    run = run_quick("round_trip_bench.py", "--size", "160x120")
    figures = run.figures

    assert figures["seq_mismatches"] == 0
    assert figures["memcpy_gbps"] > 0 and figures["memcpy_ms_per_frame"] > 0
    for label in ("fps30", "fps0"):
        row = figures[label]
        for leg in ("one_way", "python_alone", "round_trip"):
            assert row[leg]["frames"] > 0 and row[leg]["mbps"] > 0, (label, leg)
        trip = row["round_trip"]
        # The C++ reader checked the stamps of every frame it read back, complemented.
        assert trip["seq_mismatches"] == 0, label
        assert 0 <= trip["capture_p50_ms"] <= trip["capture_p99_ms"], label
        assert set(trip["cpu_percent"]) == {"publisher", "cpp_reader", "server"}, label
        assert trip["published_frames"] > 0, label
        for leg in ("one_way", "python_alone", "round_trip"):
            assert row[leg]["capture_fps"] > 0, (label, leg)
        assert row["ratio"] > 0, label
        # Every pixel of a few frames read back is 255 - the source frame it names.
        assert row["pixel_check"]["frames"] > 0, label
        assert row["pixel_check"]["mismatches"] == 0, row["pixel_check"]["first_problem"]
    assert not run.leftovers("fb-bench")


def test_the_pixel_check_finds_frames_that_are_not_255_minus_their_source() -> None:
    server_binary = os.environ.get("FRAMEBRIDGE_SERVER") or str(BUILD_DIR / "bin" /
                                                                "framebridge-server")
    # The capture stream itself: its frames are their own pixels, not 255 - a source's.
    with ServerProcess(server_binary, size="160x120", fps=0,
                       name=f"fb-bench-{os.getpid()}-rt-check") as server:
        checked = pixel_check(server.port, server.name, "160x120", 2)

    assert checked["frames"] == 2 and checked["mismatches"] == 2
    assert "differ" in checked["first_problem"]
