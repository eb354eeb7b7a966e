"""`pip install ./python_sdk` works offline and installs a usable, typed package."""

import shutil
import subprocess
import sys
from pathlib import Path

SDK_DIR = Path(__file__).resolve().parents[1]
INSTALL_TIMEOUT_S = 120


def test_the_sdk_installs_offline_into_a_venv_and_imports_from_there(tmp_path: Path) -> None:
    # A copy, so the build's egg-info and build/ folders never land in the source tree.
    source = tmp_path / "python_sdk"
    shutil.copytree(SDK_DIR, source, ignore=shutil.ignore_patterns(
        "tests", "__pycache__", "build", "*.egg-info"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, timeout=INSTALL_TIMEOUT_S)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-index",
                    "--no-build-isolation", str(source)],
                   check=True, timeout=INSTALL_TIMEOUT_S)

    probe = ("import pathlib, framebridge as fb; p = pathlib.Path(fb.__file__).parent; "
             "print(p); print((p / 'py.typed').exists()); print(fb.__version__)")
    result = subprocess.run([str(python), "-c", probe], cwd=tmp_path, capture_output=True,
                            text=True, check=True, timeout=INSTALL_TIMEOUT_S,
                            env={"PATH": "/usr/bin:/bin"})
    location, typed, version = result.stdout.split()
    assert Path(location).is_relative_to(venv), location
    assert typed == "True"
    assert version == "0.1.0"
