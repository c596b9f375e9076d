#!/usr/bin/env bash
# Builds the release preset and runs every benchmark under bench/, printing their figures.
# Usage: scripts/bench.sh [benchmark-name-filter]
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} # cache hits across clones
export CCACHE_NOHASHDIR=true # -g would hash the clone's directory into every key
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
# The static binary, if built, is measured too: it is what the container image ships.
[[ -x build/static/runner/ferry ]] && export FERRY_STATIC_BINARY=$PWD/build/static/runner/ferry
for bench in build/release/bench/bench_*; do
  [[ -x $bench ]] || continue
  [[ -n ${1:-} && $bench != *"$1"* ]] && continue
  echo "== $(basename "$bench")"
  "$bench" --benchmark_counters_tabular=true
done
