"""Thousands of KeyboardInterrupts at random points leave the client usable, the server
undisturbed (the client never breaks the protocol), and never hang it."""

import subprocess
from pathlib import Path
from typing import List

import pytest

import framebridge as fb
from conftest import RunningServer
from fakes import Peer
from framebridge import _protocol as P
from test_client import STRIDE, H, W, handshake
from test_server_e2e import PY, sdk_env

INTERRUPT_CLIENT = Path(__file__).with_name("interrupt_client.py")
INTERRUPTS = 2000
RUN_TIMEOUT_S = 120


# Four slots: a kept frame, the one iterated and one from latest() may all be held at once.
@pytest.mark.server_args(size="320x240", fps=0, slots=4)
# A spinning wait (wait="spin") is interrupted as a sleeping one is; fewer times, for time.
@pytest.mark.parametrize("how,wait,count", [("signal", "block", INTERRUPTS),
                                            ("trace", "block", INTERRUPTS),
                                            ("signal", "spin", INTERRUPTS // 4)])
def test_a_client_interrupted_thousands_of_times_still_gets_frames(server: RunningServer,
                                                                   how: str, wait: str,
                                                                   count: int) -> None:
    done = subprocess.run([PY, str(INTERRUPT_CLIENT), "--port", str(server.port), "--how", how,
                           "--count", str(count), "--wait", wait], capture_output=True,
                          text=True, env=sdk_env(), timeout=RUN_TIMEOUT_S)

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"interrupted {count}", "ok"], done.stdout
    assert "closing its connection" not in server.log()  # no protocol error, ever


def test_a_result_sent_after_an_interrupted_exchange_goes_out_on_the_new_connection(
        serve, make_segment) -> None:
    fake = make_segment()
    received: List[P.Message] = []
    connection = [0]

    def script(peer: Peer) -> None:
        connection[0] += 1
        handshake(peer, fake)
        if connection[0] == 1:
            assert peer.recv() == P.Request(0)
            peer.send(fake.publish(1, 41, W, H, STRIDE))
        else:
            received.append(peer.recv())
        peer.wait_closed()

    server = serve(script, connections=2)
    with fb.connect(port=server.port) as sut:
        frame = sut.latest(timeout=5.0)
        sut._unsure = True  # as an exception between two halves of an exchange leaves it
        sut.send_result(frame, text="sent")
    server.stop()
    assert isinstance(received[0], P.ResultMsg)
    assert (received[0].seq, received[0].text) == (41, "sent")
