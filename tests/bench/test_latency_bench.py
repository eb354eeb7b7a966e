"""`make bench`'s latency part: a --quick pass reports each latency beside its floor, whole
frames, and leaves nothing behind.

Checks that the figures exist and the frames were whole, never how fast anything was.
"""

import asyncio
import importlib.util
import sys

import pytest

from quick_run import REPO_DIR, run_quick

sys.path.insert(0, str(REPO_DIR / "python_sdk"))
import latency_bench  # noqa: E402

# The asyncio client is measured in each of these loops; uvloop's only where it is installed.
LOOPS = {"asyncio"} | ({"uvloop"} if importlib.util.find_spec("uvloop") else set())


def test_a_quick_run_reports_each_latency_beside_the_floor_and_cleans_up() -> None:
    run = run_quick("latency_bench.py")
    figures, output = run.figures, run.output

    assert figures["seq_mismatches"] == 0
    assert {row["wait"] for row in figures["cases"]} == {"block", "spin"} | LOOPS
    for row in figures["cases"]:
        for figure in ("floor_us", "latency_us"):
            assert row[figure]["count"] > 0, (row["size"], row["wait"], figure)
            assert 0 < row[figure]["p50"] <= row[figure]["p99"], (row["size"], figure)
        assert row["p50_ratio"] == row["latency_us"]["p50"] / row["floor_us"]["p50"]
        assert row["client_cpu_percent"] >= 0 and row["server_cpu_percent"] >= 0
    for in_loop in (row for row in figures["cases"] if row["wait"] in LOOPS):
        assert 0 < in_loop["loop_floor_us"]["p50"] and in_loop["loop_floor_us"]["count"] > 0
        assert f"{in_loop['wait']} beside blocking" in output
    assert figures["pace_640x480_block"]["us_per_frame"] > 0
    assert figures["pace_640x480_spin"]["us_per_frame"] > 0
    assert "x floor p50" in output
    assert not run.leftovers("fb-lat")


@pytest.mark.parametrize("loop_name", sorted(LOOPS))
def test_each_loop_row_runs_in_the_loop_it_is_named_for(loop_name: str) -> None:
    async def running_loop_module() -> str:
        return type(asyncio.get_running_loop()).__module__

    assert latency_bench.run_in_loop(loop_name, running_loop_module()).split(".")[0] == \
        loop_name
