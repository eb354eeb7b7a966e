#!/usr/bin/env bash
# Fuzzes the wire-protocol parser with libFuzzer (clang, ASan, UBSan) for SECONDS (default 20).
# `make test` runs a short pass, `make fuzz` a long one. New inputs it finds go to a scratch
# corpus; tests/fuzz/corpus holds the checked-in seeds. Exits 1 on a crash (the input that
# caused it is kept in build-fuzz/).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
build_dir="${FRAMEBRIDGE_FUZZ_BUILD_DIR:-build-fuzz}"
mkdir -p "$build_dir"

if ! CXX=clang++ cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFRAMEBRIDGE_FUZZ=ON >"$build_dir/configure.log" 2>&1 ||
  ! cmake --build "$build_dir" --target framebridge-protocol-fuzz >"$build_dir/build.log" 2>&1; then
  tail -n 30 "$build_dir/configure.log" "$build_dir/build.log"
  echo "fuzz: FAILED to build the fuzz target with clang (logs in $build_dir/)"
  exit 1
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$build_dir"
if ./bin/framebridge-protocol-fuzz -max_total_time="$seconds" -print_final_stats=1 \
  "$scratch" ../tests/fuzz/corpus >fuzz.log 2>&1; then
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' fuzz.log)
  echo "fuzz: protocol parser, ${runs:-?} inputs in ${seconds} s, no crash"
else
  tail -n 40 fuzz.log
  echo "fuzz: FAILED: the protocol parser crashed (log and input in $build_dir/)"
  exit 1
fi
