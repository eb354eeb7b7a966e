"""`make bench`'s results figures: a --quick pass at a tiny size reports every figure beside
its limit, the server counted every result sent, and nothing is left behind.

Checks that the figures exist and add up, never how fast anything was.
"""


import tcp_floor
from quick_run import run_quick


def test_a_quick_tiny_run_reports_each_figure_beside_its_limit_and_cleans_up() -> None:
    run = run_quick("results_bench.py", "--size", "160x120")
    figures, printed = run.figures, run.output

    rate = figures["send_rate"]
    assert rate["results_per_s"] > 0 and figures["bare_tcp"]["sends_per_s"] > 0
    assert rate["ratio"] > 0 and rate["cpu_ratio"] > 0
    assert figures["encode_alone"]["per_s"] > 0
    # The server counted every result sent: none lost on the way.
    assert rate["counted_by_server"] == rate["sent"] and figures["seq_mismatches"] == 0
    latency = figures["latency"]
    assert latency["script"]["frames"] > 0 and latency["results_counted_by_server"] > 0
    for key in ("capture_to_result", "publish_to_ready"):
        assert 0 <= latency[key]["p50"] <= latency[key]["p99"], key
    # A result is read after its frame was published, which is after it was captured.
    assert latency["capture_to_result"]["p50"] >= latency["publish_to_ready"]["p50"]
    assert latency["ratio"]["p50"] >= 1
    assert "capture→result" in printed and "publish→ready" in printed
    assert not run.leftovers("fb-bench")


def test_the_bare_tcp_limit_delivers_every_byte_it_sends() -> None:
    sends = tcp_floor.measure(72, 0.05, 0.2)

    assert sends.sends.calls > 0 and sends.sends.all_calls >= sends.sends.calls
    assert sends.bytes_read == sends.bytes_sent == 72 * sends.sends.all_calls
