#!/usr/bin/env bash
# The C++ unit tests (CTest label `unit`: protocol/, shm/, app/, the video sources, client/) under
# AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/, then under ThreadSanitizer in
# build-tsan/ (the CMake presets of the same names). `make test` runs it, `make sanitize` alone.
# Only the test executables are built (why not the desktop app's Qt tests: README,
# Development), with line tables alone (-g1: reports keep file:line, and a build takes about a
# quarter less CPU than with -g). ASan+UBSan builds at -O0: GCC 12 compiles its checks at -O1
# in 1.5 to 1.9 times the time of -O0 (measured file by file; cold builds of these targets took
# 394 s at -O1 and 240 s at -O0), and the tests ran no slower (32 s either way). What -O0
# gives up: UBSan's object-size check, which needs GCC's optimisation passes (ASan checks the
# same accesses). TSan stays at -O1: there -O0 builds barely faster (a tenth).
# Usage: scripts/sanitizers.sh [asan|tsan]... (default both).
# Exits 1 if a build breaks, a test fails or a sanitizer reports; every run still happens.
set -uo pipefail
cd "$(dirname "$0")/.."
targets=(protocol_tests shm_tests app_tests video_tests client_tests client_process_tests client_opencv_tests
  record_tests rtsp_tests)
supp="$PWD/tests/sanitizers"

# A report fails its test: ASan and TSan stop at the first one, UBSan too (the presets also
# build with -fno-sanitize-recover=undefined). LSan's suppressions hold only third-party leaks,
# TSan's only races inside uninstrumented third-party libraries; each says why. Full malloc
# stacks (fast_unwind_on_malloc=0, about a second) let a leak suppression name the library.
export ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp:print_suppressions=0"

# One sanitizer's build and test run, logs in its build directory, one summary line.
run() {
  local preset="$1" dir="build-$1" start=$SECONDS
  mkdir -p "$dir"
  # Only the targets this configuration has (rtsp_tests needs GStreamer's RTSP server).
  local wanted=() known
  if cmake --preset "$preset" >"$dir/configure.log" 2>&1; then
    known="$(cmake --build --preset "$preset" --target help 2>/dev/null)"
    for target in "${targets[@]}"; do
      grep -q "^$target:" <<<"$known" && wanted+=("$target")
    done
  fi
  if [ ${#wanted[@]} -eq 0 ] ||
    ! cmake --build --preset "$preset" --target "${wanted[@]}" >"$dir/build.log" 2>&1; then
    tail -n 30 "$dir/configure.log" "$dir/build.log"
    echo "$preset: FAILED to build (logs in $dir/)"
    return 1
  fi
  local build_s=$((SECONDS - start)) status=0
  start=$SECONDS
  ctest --preset "$preset" -L '^unit$' -j 2 >"$dir/ctest.log" 2>&1 || status=1
  local tests_s=$((SECONDS - start))
  local summary
  summary="$(grep -E 'tests passed, [0-9]+ tests failed out of' "$dir/ctest.log")"
  if [ $status -eq 0 ]; then
    echo "$preset: ${summary:-no tests ran} (build ${build_s} s, tests ${tests_s} s)"
  else
    # What each sanitizer said, and which tests it failed; the whole output is in the log.
    grep -E '^(SUMMARY: |.*runtime error: )' "$dir/ctest.log" | sort | uniq -c
    sed -n '/The following tests FAILED/,$p' "$dir/ctest.log"
    echo "$preset: FAILED: ${summary:-see $dir/ctest.log} (build ${build_s} s, tests ${tests_s} s;" \
      "reports in $dir/ctest.log)"
  fi
  return $status
}

presets=("$@")
[ $# -eq 0 ] && presets=(asan tsan)
status=0
for preset in "${presets[@]}"; do
  run "$preset" || status=1
done
exit $status
