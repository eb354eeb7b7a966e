"""The installed server, SDK, examples and app work together with nothing from the tree."""

import os
import re
import secrets
import signal
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

from installed import EXAMPLES_DIR, PYTHON_DIR, REPO_DIR, clean_env

START_TIMEOUT_S = 30.0
SCRIPT_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0


def unique_name() -> str:
    return f"fbinst{os.getpid()}-{secrets.token_hex(4)}"


def wait_for(log: Path, pattern: str, process: "subprocess.Popen[bytes]", timeout_s: float) -> str:
    """The first group of the first match of `pattern` in the log `process` writes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        found = re.search(pattern, text)
        if found:
            return found.group(1)
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} exited with {process.returncode} before "
                        f"/{pattern}/ showed:\n{text}", pytrace=False)
        time.sleep(0.1)
    pytest.fail(f"/{pattern}/ did not show within {timeout_s} s:\n"
                f"{log.read_text(errors='replace')}", pytrace=False)


def stop(process: "subprocess.Popen[bytes]", log: Path) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT_S)
    assert process.returncode == 0, log.read_text(errors="replace")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A working folder that is not in the source tree."""
    assert REPO_DIR not in tmp_path.parents
    return tmp_path


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[str]:
    """A private Xvfb. It picks a free display itself (-displayfd), so tests running side by
    side never race for one as `xvfb-run -a` can."""
    read_end, write_end = os.pipe()
    with open(tmp_path / "xvfb.log", "wb") as xvfb_log:
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp",
                                 "-screen", "0", "1280x1024x24"],
                                pass_fds=[write_end], stdout=subprocess.DEVNULL, stderr=xvfb_log)
    os.close(write_end)
    with os.fdopen(read_end) as displayfd:
        number = displayfd.readline().strip()
    try:
        assert number, f"Xvfb did not start:\n{(tmp_path / 'xvfb.log').read_text()}"
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(STOP_TIMEOUT_S)


def test_the_installed_server_serves_an_installed_example_importing_the_installed_sdk(
        prefix: Path, outside: Path) -> None:
    name = unique_name()
    log = outside / "server.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([str(prefix / "bin/framebridge-server"), "--size", "320x240",
                                   "--port", "0", "--name", name, "--stats-every", "0"],
                                  cwd=outside, env=clean_env(), stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        port = wait_for(log, r"on 127\.0\.0\.1:(\d+) as stream", server, START_TIMEOUT_S)
        sdk_only = clean_env(PYTHONPATH=str(prefix / PYTHON_DIR))

        where = subprocess.run(["/usr/bin/python3", "-c",
                                "import framebridge; print(framebridge.__file__)"],
                               cwd=outside, env=sdk_only, capture_output=True, text=True,
                               check=True, timeout=SCRIPT_TIMEOUT_S)
        example = prefix / EXAMPLES_DIR / "print_frames.py"
        printed = subprocess.run(["/usr/bin/python3", str(example), "--port", port, "--count", "3"],
                                 cwd=outside, env=sdk_only, capture_output=True, text=True,
                                 timeout=SCRIPT_TIMEOUT_S)
    finally:
        stop(server, log)

    assert Path(where.stdout.strip()).is_relative_to(prefix), where.stdout
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.count("seq ") == 3, printed.stdout
    assert "320x240" in printed.stdout
    assert not os.path.exists(f"/dev/shm/{name}")


def test_the_installed_app_runs_an_example_with_the_sdk_found_beside_it(
        prefix: Path, outside: Path, x_display: str) -> None:
    name = unique_name()
    log = outside / "app.log"
    runtime = outside / "runtime"
    runtime.mkdir(mode=0o700)
    # No PYTHONPATH at all: the app must find the SDK relative to its own binary.
    env = clean_env(DISPLAY=x_display, QT_QPA_PLATFORM="xcb", HOME=str(outside),
                    XDG_CONFIG_HOME=str(outside / "config"), XDG_RUNTIME_DIR=str(runtime))
    example = prefix / EXAMPLES_DIR / "print_frames.py"
    with open(log, "wb") as out:
        app = subprocess.Popen([str(prefix / "bin/framebridge"), "--start", "--size", "320x240",
                                "--port", "0", "--name", name, "--stats-every", "0",
                                "--script", str(example),
                                "--script-args", "--port {port} --count 5"],
                               cwd=outside, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        sdk = wait_for(log, r"print_frames\.py --port \d+ --count 5 \(SDK: (.*)\)", app,
                       START_TIMEOUT_S)
        how = wait_for(log, r"script print_frames\.py (.*)", app, SCRIPT_TIMEOUT_S)
    finally:
        stop(app, log)

    assert Path(sdk) == prefix / PYTHON_DIR
    assert how == "exited with code 0", log.read_text()
    assert "'print_frames.py'" in log.read_text()  # it connected, under its own name
    assert not os.path.exists(f"/dev/shm/{name}")
