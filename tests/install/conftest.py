"""The build installed into a temporary prefix, and packaged as a .deb, once per test run.

Every process these tests start runs away from the source tree: cwd is a temporary folder and
PYTHONPATH names only what was installed, so a file the install missed is a failure here.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from installed import REPO_DIR

BUILD_DIR = Path(os.environ.get("FRAMEBRIDGE_BUILD_DIR", REPO_DIR / "build"))
INSTALL_TIMEOUT_S = 120
PACKAGE_TIMEOUT_S = 300  # cpack installs again, then dpkg-shlibdeps reads every binary


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"the install tests need {name} on PATH (scripts/install-deps.sh test)",
                    pytrace=False)
    return path


def _configured_build() -> Path:
    if not (BUILD_DIR / "CPackConfig.cmake").is_file():
        pytest.fail(f"no configured build at {BUILD_DIR} (no CPackConfig.cmake): run `make build` "
                    "or set FRAMEBRIDGE_BUILD_DIR", pytrace=False)
    return BUILD_DIR


@pytest.fixture(scope="session")
def prefix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `cmake --install` puts under a fresh prefix."""
    root = tmp_path_factory.mktemp("prefix")
    subprocess.run([_tool("cmake"), "--install", str(_configured_build()), "--prefix", str(root)],
                   check=True, stdout=subprocess.DEVNULL, timeout=INSTALL_TIMEOUT_S)
    return root


@pytest.fixture(scope="session")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .deb that `cpack -G DEB` makes of the build."""
    out = tmp_path_factory.mktemp("deb")
    build = _configured_build()
    result = subprocess.run([_tool("cpack"), "-G", "DEB", "-B", str(out),
                             "--config", str(build / "CPackConfig.cmake")],
                            cwd=build, capture_output=True, text=True, timeout=PACKAGE_TIMEOUT_S)
    packages = sorted(out.glob("framebridge_*.deb"))
    if result.returncode != 0 or len(packages) != 1:
        pytest.fail(f"cpack -G DEB exited with {result.returncode} and made {packages}:\n"
                    f"{result.stdout}{result.stderr}", pytrace=False)
    return packages[0]
