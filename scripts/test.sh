#!/usr/bin/env bash
# `make test`: the Windows cross build and its tests under Wine (scripts/test-windows.sh), the
# fuzz passes, the C++ unit tests under ASan+UBSan and TSan (scripts/sanitizers.sh), then
# every C++ test (CTest, with the format and lint checks), then every Python test (pytest),
# the install's among them (tests/install: cmake --install, cpack -G DEB, the wheel).
# All run even if one fails, so one run shows everything that broke; the runners' own summary
# lines come last.
# The Windows part runs beside the fuzz and sanitizer parts: each leaves a core idle at times
# (configure steps, links, tests that wait on Wine or a server) that the other fills, and
# neither touches the other's build tree. Their output still comes in the order above, each
# part's as a whole once it is done.
set -uo pipefail
here="$(dirname "$0")"
build_dir="${1:-build}"
status=0
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

"$here/test-windows.sh" >"$logs/windows.out" 2>&1 &
windows=$!
# The other side, one part after the other; each leaves its output and its exit status.
(
  run_part() {
    local name="$1"
    shift
    "$@" >"$logs/$name.out" 2>&1
    echo $? >"$logs/$name.tmp" && mv "$logs/$name.tmp" "$logs/$name.status"
  }
  run_part fuzz "$here/fuzz.sh" 10
  run_part asan "$here/sanitizers.sh" asan
  run_part tsan "$here/sanitizers.sh" tsan
) &
others=$!

wait "$windows" || status=1
cat "$logs/windows.out"
for part in fuzz asan tsan; do
  while [ ! -f "$logs/$part.status" ] && kill -0 "$others" 2>/dev/null; do sleep 1; done
  cat "$logs/$part.out" 2>/dev/null
  [ "$(cat "$logs/$part.status" 2>/dev/null)" = 0 ] || status=1
done
wait "$others"

ctest --test-dir "$build_dir" --output-on-failure -j 2 || status=1
export FRAMEBRIDGE_BUILD_DIR="$(realpath "$build_dir")"
# Two runs: each folder's conftest.py is imported as the module `conftest`, which the SDK's
# tests import their helpers from; the install's would shadow it in one run.
/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/install || status=1
/usr/bin/python3 -m pytest -q -p no:cacheprovider python_sdk/tests tests/bench tests/soak || status=1
exit $status
