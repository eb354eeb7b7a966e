#!/usr/bin/env bash
# Fuzzes with libFuzzer (clang, ASan, UBSan) for SECONDS each (default 20): the wire-protocol
# parser, then whole sessions against a live server (handshake and token check included).
# `make test` runs a short pass, `make fuzz` a long one. New inputs go to a scratch corpus;
# tests/fuzz/corpus holds the checked-in seeds. Exits 1 on a crash (the input that caused it
# is kept in build-fuzz/).
set -uo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
seconds="${1:-20}"
build_dir="${FRAMEBRIDGE_FUZZ_BUILD_DIR:-build-fuzz}"
mkdir -p "$build_dir"

if ! CXX=clang++ cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFRAMEBRIDGE_FUZZ=ON >"$build_dir/configure.log" 2>&1 ||
  ! cmake --build "$build_dir" --target framebridge-protocol-fuzz framebridge-session-fuzz \
    >"$build_dir/build.log" 2>&1; then
  tail -n 30 "$build_dir/configure.log" "$build_dir/build.log"
  echo "fuzz: FAILED to build the fuzz targets with clang (logs in $build_dir/)"
  exit 1
fi

scratch="$(mktemp -d)"
# A crash skips the session target's clean-up: its segment must not outlive the run.
trap 'rm -rf "$scratch"; rm -f /dev/shm/framebridge-session-fuzz' EXIT
cd "$build_dir"

# run TARGET WHAT: fuzzes one target for $seconds and prints one line about it.
run() {
  local target="$1" what="$2" log="$1.log" runs
  mkdir -p "$scratch/$target"
  if "./bin/$target" -max_total_time="$seconds" -print_final_stats=1 "$scratch/$target" \
    "$repo/tests/fuzz/corpus" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz: $what, ${runs:-?} inputs in ${seconds} s, no crash"
  else
    tail -n 40 "$log"
    echo "fuzz: FAILED: $what crashed (log and input in $build_dir/)"
    return 1
  fi
}

status=0
run framebridge-protocol-fuzz "protocol parser" || status=1
run framebridge-session-fuzz "sessions against a live server" || status=1
exit $status
