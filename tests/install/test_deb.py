"""`cpack -G DEB` packs what `cmake --install` installs, under /usr, and declares what apt must
bring. Installing it is left to apt on a fresh machine: a test must not change this one."""

import subprocess
from pathlib import Path

import pytest

from installed import EXPECTED, PYTHON_DIR, clean_env, deb_field, deb_files, installed_files


def test_the_package_holds_the_install_under_usr(deb: Path, prefix: Path) -> None:
    files = deb_files(deb)

    assert {f"usr/{path}" for path in EXPECTED} <= files
    assert files == {f"usr/{path}" for path in installed_files(prefix)}
    assert f"usr/{PYTHON_DIR}/framebridge/__init__.py" in files  # Debian's python3 looks there


def test_the_package_declares_what_apt_must_bring(deb: Path) -> None:
    depends = {dep.split()[0] for dep in deb_field(deb, "Depends").split(", ")}
    recommends = deb_field(deb, "Recommends")

    assert deb_field(deb, "Package") == "framebridge"
    assert {"python3", "python3-numpy"} <= depends
    # From dpkg-shlibdeps: the libraries the binaries link.
    assert {"libc6", "libqt6widgets6", "libqt6charts6"} <= depends, depends
    assert "python3-opencv" in recommends


def test_the_package_compiles_the_sdk_on_install_and_cleans_up_on_removal(deb: Path) -> None:
    scripts = {name: subprocess.run(["dpkg-deb", "--info", str(deb), name], capture_output=True,
                                    text=True, check=True, env=clean_env()).stdout
               for name in ("postinst", "prerm")}

    assert "py3compile -p framebridge" in scripts["postinst"]
    assert "py3clean -p framebridge" in scripts["prerm"]


def test_apt_on_a_machine_with_nothing_installed_finds_every_dependency(
        deb: Path, tmp_path: Path) -> None:
    # A simulation against an empty package database: apt must resolve the whole closure from
    # the archive it knows, as on a fresh Debian 12. Nothing is installed.
    candidate = subprocess.run(["apt-cache", "policy", "python3"], capture_output=True,
                               text=True, env=clean_env()).stdout
    if "Candidate: (none)" in candidate or "Candidate:" not in candidate:
        pytest.skip("apt knows no archive here (no package lists: apt-get update)")
    empty = tmp_path / "status"
    empty.touch()

    result = subprocess.run(["apt-get", "install", "--simulate", "--no-install-recommends",
                             "-o", f"Dir::State::status={empty}", str(deb)],
                            capture_output=True, text=True, env=clean_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Inst framebridge " in result.stdout
    for needed in ("python3-numpy", "libqt6widgets6", "libopencv-videoio406"):
        assert f"Inst {needed} " in result.stdout, needed
