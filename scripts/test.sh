#!/usr/bin/env bash
# `make test`: the Windows cross build and its tests under Wine (scripts/test-windows.sh), the
# fuzz passes, the C++ unit tests under ASan+UBSan and TSan (scripts/sanitizers.sh), then
# every C++ test (CTest, with the format and lint checks), then every Python test (pytest),
# the install's among them (tests/install: cmake --install, cpack -G DEB, the wheel).
# All run even if one fails, so one run shows everything that broke; the runners' own summary
# lines come last.
set -uo pipefail
build_dir="${1:-build}"
status=0
"$(dirname "$0")/test-windows.sh" || status=1
"$(dirname "$0")/fuzz.sh" 10 || status=1
"$(dirname "$0")/sanitizers.sh" || status=1
ctest --test-dir "$build_dir" --output-on-failure -j 2 || status=1
export FRAMEBRIDGE_BUILD_DIR="$(realpath "$build_dir")"
# Two runs: each folder's conftest.py is imported as the module `conftest`, which the SDK's
# tests import their helpers from; the install's would shadow it in one run.
/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/install || status=1
# Two workers (pytest-xdist): alone, the tests use a core for about 180 s of their 260 s, the
# rest waiting on servers and clients; each names its servers and segments after its own
# process, so two share the machine safely. The minute-long soak is collected first, so it
# starts at once on one worker instead of last, with the other worker idle.
/usr/bin/python3 -m pytest -q -p no:cacheprovider -n 2 tests/soak python_sdk/tests tests/bench ||
  status=1
exit $status
