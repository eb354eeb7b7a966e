"""A client dropped without close() leaves no ResourceWarning under -X dev."""

import subprocess

import pytest

from conftest import RunningServer
from test_server_e2e import PY, sdk_env

DROPPED_CLIENT = """
import gc, sys, framebridge as fb
client = fb.connect(port=int(sys.argv[1]))
frame = client.latest(timeout=5)
del client, frame
gc.collect()
print("dropped", flush=True)
"""


@pytest.mark.server_args(size="320x240", fps=30)
def test_a_garbage_collected_client_does_not_warn(server: RunningServer) -> None:
    done = subprocess.run([PY, "-X", "dev", "-c", DROPPED_CLIENT, str(server.port)],
                          capture_output=True, text=True, env=sdk_env(), timeout=30)

    assert done.returncode == 0 and done.stdout == "dropped\n", done.stderr
    assert "ResourceWarning" not in done.stderr, done.stderr
