#!/usr/bin/env bash
# Fails, listing the files, when any C++ file differs from what clang-format makes of it.
# `make format` fixes them.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find shm protocol client app tests ui -name '*.cpp' -o -name '*.hpp' 2>/dev/null | sort)
clang-format --dry-run --Werror "${files[@]}"
echo "clang-format: ${#files[@]} files clean"
