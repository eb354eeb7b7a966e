"""--listen and --token end to end: who gets a stream, and what everyone else gets."""

import os
import subprocess
from pathlib import Path
from typing import Callable

import pytest

import framebridge as fb
from conftest import SERVER_BIN, RunningServer, free_port
from fakes import unique_name
from test_server_e2e import stamp_ok

SMALL = "320x240"
TOKEN = "correct-horse-battery-staple"


def token_file(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "token"
    path.write_text(text)
    path.chmod(mode)
    return path


def refused_at_start(*args: str) -> str:
    """stderr of a framebridge-server that must refuse to start (exit 2), leaving nothing."""
    name = unique_name()
    result = subprocess.run([SERVER_BIN, "--name", name, "--port", str(free_port()), *args],
                            capture_output=True, text=True, timeout=10)
    assert result.returncode == 2, result.stderr
    assert not os.path.exists("/dev/shm/" + name)
    return result.stderr


def test_listening_beyond_loopback_without_a_token_is_refused_with_the_fix() -> None:
    stderr = refused_at_start("--listen", "0.0.0.0")
    assert "--listen 0.0.0.0 lets other machines connect" in stderr
    assert "--token-file" in stderr


def test_a_token_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = token_file(tmp_path, TOKEN + "\n", 0o644)
    stderr = refused_at_start("--listen", "0.0.0.0", "--token-file", str(path))
    assert f"chmod 600 {path}" in stderr
    assert TOKEN not in stderr


def test_with_the_token_a_client_gets_frames_on_any_address(
        start_server: Callable[..., RunningServer], tmp_path: Path) -> None:
    path = token_file(tmp_path, TOKEN + "\n")
    server = start_server(None, None, "--size", SMALL, "--listen", "0.0.0.0",
                          "--token-file", str(path))
    with fb.connect(port=server.port, token=TOKEN) as client, client.latest(timeout=5) as frame:
        assert stamp_ok(frame)
    assert TOKEN not in server.log()


def test_the_token_can_come_from_the_environment(
        start_server: Callable[..., RunningServer], monkeypatch: pytest.MonkeyPatch) -> None:
    server = start_server(None, None, "--size", SMALL, "--token", TOKEN)
    monkeypatch.setenv("FRAMEBRIDGE_TOKEN", TOKEN)
    with fb.connect(port=server.port) as client, client.latest(timeout=5) as frame:
        assert stamp_ok(frame)


def test_a_missing_token_is_access_denied_saying_how_to_give_one(
        start_server: Callable[..., RunningServer], monkeypatch: pytest.MonkeyPatch) -> None:
    server = start_server(None, None, "--size", SMALL, "--token", TOKEN)
    monkeypatch.delenv("FRAMEBRIDGE_TOKEN", raising=False)
    with pytest.raises(fb.AccessDenied, match="requires a token.*token=.*FRAMEBRIDGE_TOKEN"):
        fb.connect(port=server.port)


@pytest.mark.parametrize("wrong", [TOKEN[:-1], TOKEN + "x", TOKEN.upper(), "x"])
def test_a_wrong_token_is_access_denied_and_the_server_goes_on(
        start_server: Callable[..., RunningServer], wrong: str) -> None:
    server = start_server(None, None, "--size", SMALL, "--token", TOKEN)
    with pytest.raises(fb.AccessDenied, match="wrong token") as refused:
        fb.connect(port=server.port, token=wrong)
    assert server.name not in str(refused.value), "a refused client learnt the stream's name"
    with fb.connect(port=server.port, token=TOKEN) as client, client.latest(timeout=5) as frame:
        assert stamp_ok(frame)


def test_a_token_the_server_could_not_take_is_refused_before_connecting() -> None:
    with pytest.raises(fb.FrameBridgeError, match="at most 256") as caught:
        fb.connect(port=free_port(), token="k" * 257)
    assert not isinstance(caught.value, fb.ServerUnavailable)
    with pytest.raises(fb.FrameBridgeError, match="control character"):
        fb.connect(port=free_port(), token="tab\there")
