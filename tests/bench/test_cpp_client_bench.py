"""`make bench`'s C++ client figures: a --quick pass reports them and leaves nothing behind.

Checks that the figures exist and the frames were whole, never how fast anything was.
"""

from quick_run import run_quick


def test_a_quick_run_reports_both_clients_and_cleans_up() -> None:
    run = run_quick("cpp_client_bench.py")

    figures = run.figures
    assert figures["seq_mismatches"] == 0
    for scenario in ("latency_4k30", "cost_1080p_fps0"):
        for client in ("python", "cpp"):
            row = figures[scenario][client]
            assert row["frames"] > 0 and row["cpu_us_per_frame"] >= 0, (scenario, client)
    assert not run.leftovers("fb-bench")
