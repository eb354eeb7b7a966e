#!/usr/bin/env bash
# Cross-builds shm/, the headless server and the C++ tests for 64-bit Windows with Debian's
# MinGW-w64, into build-windows/ (docs/windows.md). Usage: scripts/cross-build-windows.sh [JOBS]
# Exit 3 when no cross compiler is installed (scripts/install-deps.sh windows installs one).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${FRAMEBRIDGE_WINDOWS_BUILD_DIR:-build-windows}"
jobs="${1:-2}"

if ! command -v x86_64-w64-mingw32-g++-posix >/dev/null 2>&1; then
  echo "no MinGW-w64 cross compiler (x86_64-w64-mingw32-g++-posix)" >&2
  exit 3
fi

# Only these libraries' headers: the rest of /usr/include is Linux's and must not be seen.
deps="$build_dir/header-deps"
mkdir -p "$deps"
for dir in boost CLI spdlog fmt; do
  ln -sfn "/usr/include/$dir" "$deps/$dir"
done

cmake -S . -B "$build_dir" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/mingw-w64-x86_64.cmake" \
  -DCMAKE_BUILD_TYPE=Release \
  -DFRAMEBRIDGE_HEADER_DEPS_DIR="$PWD/$deps" \
  -DFRAMEBRIDGE_BUILD_TESTS=ON >"$build_dir/configure.log" 2>&1 ||
  { cat "$build_dir/configure.log" >&2; exit 1; }
cmake --build "$build_dir" -j "$jobs"
