"""What the install tests know of the install layout (cmake/Install.cmake), and how they look."""

import subprocess
from pathlib import Path
from typing import Dict, Set

REPO_DIR = Path(__file__).resolve().parents[2]

# Relative to the prefix.
PYTHON_DIR = "lib/python3/dist-packages"
EXAMPLES_DIR = "share/framebridge/examples"
# What a user, a desktop menu and Python each look for.
EXPECTED = [
    "bin/framebridge",
    "bin/framebridge-server",
    f"{PYTHON_DIR}/framebridge/__init__.py",
    f"{PYTHON_DIR}/framebridge/py.typed",
    f"{EXAMPLES_DIR}/print_frames.py",
    "share/applications/framebridge.desktop",
    "share/icons/hicolor/scalable/apps/framebridge.svg",
    "share/icons/hicolor/16x16/apps/framebridge.png",
    "share/icons/hicolor/48x48/apps/framebridge.png",
    "share/icons/hicolor/256x256/apps/framebridge.png",
    "share/doc/framebridge/README.md",
    "share/doc/framebridge/docs/wire-protocol.md",
    "share/doc/framebridge/docs/segment-layout.md",
]


def clean_env(**extra: str) -> Dict[str, str]:
    """An environment with nothing pointing into the source tree."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    env.update(extra)
    return env


def installed_files(root: Path) -> Set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if not path.is_dir()}


def deb_field(deb: Path, field: str) -> str:
    return subprocess.run(["dpkg-deb", "--field", str(deb), field], capture_output=True,
                          text=True, check=True, env=clean_env()).stdout.strip()


def deb_files(deb: Path) -> Set[str]:
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True,
                             text=True, check=True, env=clean_env()).stdout
    # "-rw-r--r-- root/root 874 2026-01-01 12:00 ./usr/bin/framebridge"
    return {line.split(maxsplit=5)[5].removeprefix("./")
            for line in listing.splitlines() if not line.startswith("d")}
