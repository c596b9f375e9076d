#!/usr/bin/env bash
# Builds ferry's libFuzzer targets with clang under build/fuzz and runs each for N seconds
# (default 20) on a seed corpus from the project's own fixtures:
#   spec_fuzz     the spec parser and macro evaluator      (seeds: tests/fixtures/specs)
#   config_fuzz   the Packit config loader                 (seeds: tests/fixtures/configs)
#   event_fuzz    the CI event parsers                     (seeds: tests/fixtures/events)
#   command_fuzz  the comment-command parser               (seeds: a few commands)
# Usage: scripts/fuzz.sh [seconds] [target...]
set -euo pipefail

seconds=${1:-20}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(spec_fuzz config_fuzz event_fuzz command_fuzz)
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/fuzz
cxx=${CXX_FUZZ:-clang++}

cmake -S "$root/tests/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFERRY_FUZZ=ON >/dev/null
cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null

seed() { # target -> seed folder
  local corpus=$build/corpus-$1
  mkdir -p "$corpus"
  case $1 in
    spec_fuzz) cp "$root"/tests/fixtures/specs/* "$corpus"/ ;;
    config_fuzz) find "$root/tests/fixtures/configs" -type f -name '*.y*ml' -exec cp {} "$corpus"/ \; ;;
    event_fuzz) find "$root/tests/fixtures/events" -type f -name '*.json' -exec cp {} "$corpus"/ \; ;;
    command_fuzz)
      printf '/packit propose-downstream\n' > "$corpus/a"
      printf 'LGTM\n/ferry --package foo build --commit main\n' > "$corpus/b"
      printf '/packit test --env A=1 --labels x,y ns/repo#3\n' > "$corpus/c" ;;
  esac
  echo "$corpus"
}

for target in "${targets[@]}"; do
  corpus=$(seed "$target")
  log=$build/$target.log
  if ! "$build/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$build/$target-" "$corpus" >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $target FAILED (input saved under $build/$target-*)"
    exit 1
  fi
  echo "fuzz: $target clean for ${seconds}s, $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs"
done
