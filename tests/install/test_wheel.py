"""The SDK builds as a wheel offline, with Debian's own setuptools, at the project's version."""

import shutil
import subprocess
import zipfile
from pathlib import Path

from installed import REPO_DIR, clean_env, deb_field

BUILD_TIMEOUT_S = 120


def test_the_sdk_builds_as_a_wheel_at_the_packages_version(tmp_path: Path, deb: Path) -> None:
    # A copy: pip builds in the folder it is given and would leave build/ in the tree.
    source = tmp_path / "python_sdk"
    shutil.copytree(REPO_DIR / "python_sdk", source, ignore=shutil.ignore_patterns(
        "tests", "__pycache__", "build", "*.egg-info"))

    subprocess.run(["/usr/bin/python3", "-m", "pip", "wheel", "--no-build-isolation",
                    "--no-deps", "--no-index", "--wheel-dir", str(tmp_path / "dist"),
                    str(source)],
                   check=True, capture_output=True, env=clean_env(HOME=str(tmp_path)),
                   timeout=BUILD_TIMEOUT_S)

    wheels = list((tmp_path / "dist").glob("*.whl"))
    assert [w.name for w in wheels] == [f"framebridge-{deb_field(deb, 'Version')}-py3-none-any.whl"]
    names = zipfile.ZipFile(wheels[0]).namelist()
    assert "framebridge/__init__.py" in names
    assert "framebridge/py.typed" in names
