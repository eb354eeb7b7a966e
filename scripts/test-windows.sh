#!/usr/bin/env bash
# The Windows half of `make test` (docs/windows.md). Cross-builds shm/, the headless server and
# the C++ tests with MinGW-w64 into build-windows/, then runs them under Wine in a throw-away
# prefix there: the unit tests (protocol_tests and shm_tests, with the vectors in tests/vectors/,
# and app_tests), the Windows segment tests (windows_tests), the server end to end against a
# client that maps the segment as CPython's mmap does (windows_server_e2e), and the Python SDK
# itself against the server (windows_sdk_e2e: Linux Python, the Windows calls that map the
# segment made under Wine). Exits 0 with a SKIPPED line only when the cross compiler or Wine
# cannot be installed; any failure exits 1.
set -uo pipefail
cd "$(dirname "$0")/.."
build_dir="${FRAMEBRIDGE_WINDOWS_BUILD_DIR:-build-windows}"
export FRAMEBRIDGE_WINDOWS_BUILD_DIR="$build_dir"
mkdir -p "$build_dir"

echo "windows: MinGW-w64 and Wine, installed if missing (log: $build_dir/install-deps.log)"
if ! scripts/install-deps.sh windows >"$build_dir/install-deps.log" 2>&1; then
  echo "windows: SKIPPED: the MinGW-w64 cross compiler and Wine cannot be installed here" \
    "(see $build_dir/install-deps.log)"
  exit 0
fi
wine="$(command -v wine64 || command -v wine || echo /usr/lib/wine/wine64)"
export FRAMEBRIDGE_WINE="$wine"  # for tests/windows/sdk_e2e_test.py

echo "windows: cross-building with MinGW-w64 into $build_dir/ (log: $build_dir/cross-build.log)"
start=$SECONDS
if ! scripts/cross-build-windows.sh 2 >"$build_dir/cross-build.log" 2>&1; then
  tail -n 40 "$build_dir/cross-build.log"
  echo "windows: FAILED: the cross build broke (whole log: $build_dir/cross-build.log)"
  exit 1
fi
build_s=$((SECONDS - start))

# A prefix of our own, made once, with no display and no Mono or Gecko to offer.
export WINEPREFIX="$PWD/$build_dir/wine-prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
start=$SECONDS
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  echo "windows: making the Wine prefix $WINEPREFIX (once)"
  "$wine" wineboot --init </dev/null >"$build_dir/wineboot.log" 2>&1
fi
# One wineserver for the whole run: Debian's starts it with no persistence, and a test starting
# as the previous one's server goes away is refused ("wine client error: recvmsg: Connection
# reset by peer"). Wine's own background processes start with it, here, so they hold the log
# open rather than the pipe ctest waits on.
wineserver="$(dirname "$(readlink -f "$wine")")/wineserver"
"$wineserver" -w  # a server left by wineboot --init, or a run before, ends first
"$wineserver" -p
trap '"$wineserver" -k 2>/dev/null || true' EXIT
"$wine" wineboot </dev/null >>"$build_dir/wineboot.log" 2>&1
status=0
ctest --test-dir "$build_dir" -E '^style\.' --timeout 300 -V >"$build_dir/wine-tests.log" 2>&1 ||
  status=1
if [ $status -eq 0 ]; then
  # Each test's result, and the end-to-end tests' own lines.
  grep -E 'Test +#[0-9]+:|^[0-9]+: (PASS|SKIP|FAIL) |^[0-9]+: (\[  )?(PASSED|FAILED|SKIPPED) ' \
    "$build_dir/wine-tests.log"
else
  cat "$build_dir/wine-tests.log"
  # What failed, again at the end, where a reader of a long log looks first.
  echo "windows: the failures, from $build_dir/wine-tests.log:"
  grep -E -A 8 '^[0-9]+: .*(Failure|error: )|^[0-9]+: \[  FAILED  \]|^[0-9]+: (FAIL|ERROR) ' \
    "$build_dir/wine-tests.log" | grep -v -E '\] \[(info|warning)\] ' | head -n 80
fi
wine_s=$((SECONDS - start))

if [ $status -eq 0 ]; then
  echo "windows: passed under Wine (cross build ${build_s} s, Wine ${wine_s} s)"
else
  echo "windows: FAILED under Wine (log: $build_dir/wine-tests.log)"
fi
exit $status
