"""`cmake --install` puts each part where Debian's python3, a desktop and a reader look."""

import subprocess
from pathlib import Path

from installed import EXAMPLES_DIR, EXPECTED, PYTHON_DIR, REPO_DIR, clean_env, installed_files


def test_every_part_is_installed_where_it_is_looked_for(prefix: Path) -> None:
    missing = [path for path in EXPECTED if not (prefix / path).is_file()]

    assert not missing, f"not installed: {missing}"
    for binary in ("bin/framebridge", "bin/framebridge-server"):
        assert (prefix / binary).stat().st_mode & 0o111, f"{binary} is not executable"


def test_every_sdk_module_and_example_is_installed_and_nothing_compiled(prefix: Path) -> None:
    sdk = REPO_DIR / "python_sdk"
    modules = {p.name for p in (sdk / "framebridge").glob("*.py")}
    examples = {p.name for p in (sdk / "examples").glob("*.py")}

    assert {p.name for p in (prefix / PYTHON_DIR / "framebridge").glob("*.py")} == modules
    assert {p.name for p in (prefix / EXAMPLES_DIR).iterdir()} == examples
    assert not [f for f in installed_files(prefix) if "__pycache__" in f or f.endswith(".pyc")]


def test_the_desktop_entry_is_valid_and_starts_the_installed_app(prefix: Path) -> None:
    entry = prefix / "share/applications/framebridge.desktop"

    subprocess.run(["desktop-file-validate", str(entry)], check=True, env=clean_env())
    fields = dict(line.split("=", 1) for line in entry.read_text().splitlines() if "=" in line)
    assert (prefix / "bin" / fields["Exec"].split()[0]).is_file()
    assert fields["Icon"] == "framebridge"
