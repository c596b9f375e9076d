#!/usr/bin/env bash
# Builds the spec engine's libFuzzer target with clang under build/fuzz and runs it for N
# seconds (default 20) on a seed corpus made from tests/fixtures/specs.
# Usage: scripts/fuzz.sh [seconds]
set -euo pipefail

seconds=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/fuzz
cxx=${CXX_FUZZ:-clang++}

cmake -S "$root/tests/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFERRY_FUZZ=ON >/dev/null
cmake --build "$build" -j2 --target spec_fuzz

corpus=$build/corpus
mkdir -p "$corpus"
cp "$root"/tests/fixtures/specs/* "$corpus"/

echo "fuzzing the spec engine for ${seconds}s (corpus: $corpus)"
"$build/spec_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$build/" "$corpus"
