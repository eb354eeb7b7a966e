"""`cpack -G DEB` packs what `cmake --install` installs, under /usr, and declares what apt must
bring. Installing it is left to apt on a fresh machine: a test must not change this one."""

import subprocess
from pathlib import Path

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
