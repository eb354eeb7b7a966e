#!/usr/bin/env bash
# `make test`: every C++ test (CTest, with the format and lint checks), then every Python
# test (pytest). Both run even if the first fails, so one run shows everything that broke;
# the runners' own summary lines come last.
set -uo pipefail
build_dir="${1:-build}"
status=0
ctest --test-dir "$build_dir" --output-on-failure -j 2 || status=1
/usr/bin/python3 -m pytest -q -p no:cacheprovider python_sdk/tests tests/bench || status=1
exit $status
