"""wait="spin": the same frames and leases as a blocking client, only no sleep (its timeouts:
test_client.py, its Ctrl+C: test_interrupts.py, its reconnects: test_reconnect.py)."""

from typing import List

import pytest

import framebridge as fb
from conftest import RunningServer
from test_server_e2e import stamp_ok


@pytest.mark.server_args(size="320x240", fps=200)
def test_a_spinning_client_reads_whole_frames_in_order_beside_a_blocking_one(
        server: RunningServer) -> None:
    with fb.connect(port=server.port, name="spin", wait="spin") as spinning, \
            fb.connect(port=server.port, name="block") as blocking:
        seqs: List[List[int]] = [[], []]
        for _ in range(30):
            for n, client in enumerate((spinning, blocking)):
                with client.latest(timeout=5) as frame:
                    assert stamp_ok(frame), f"frame {frame.seq} is not its own"
                    seqs[n].append(frame.seq)
        for got in seqs:
            assert got == sorted(set(got)), got
        assert spinning.max_leases == blocking.max_leases


def test_an_unknown_way_to_wait_is_named() -> None:
    with pytest.raises(ValueError, match="wait='sleep' is not a way to wait: pass one of "
                                         "'block', 'spin'"):
        fb.connect(port=1, wait="sleep")
