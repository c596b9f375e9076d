#!/usr/bin/env bash
# Builds ferry's libFuzzer targets with clang under build/fuzz and runs each for N seconds
# (default 20) on a seed corpus from the project's own fixtures:
#   spec_fuzz     the spec parser and macro evaluator      (seeds: tests/fixtures/specs)
#   config_fuzz   the Packit config loader                 (seeds: tests/fixtures/configs)
#   event_fuzz    the CI event parsers                     (seeds: tests/fixtures/events)
#   command_fuzz  the comment-command parser               (seeds: a few commands)
#   xmlrpc_fuzz   the Koji XML-RPC codec                   (seeds: recorded hub answers)
# Usage: scripts/fuzz.sh [seconds] [target...]
set -euo pipefail

seconds=${1:-20}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(spec_fuzz config_fuzz event_fuzz command_fuzz xmlrpc_fuzz)
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/fuzz
cxx=${CXX_FUZZ:-clang++}

cmake -S "$root/tests/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFERRY_FUZZ=ON >/dev/null
if ! cmake --build "$build" -j2 --target "${targets[@]}" >"$build/build.log" 2>&1; then
  grep -E 'error|FAILED' -A5 "$build/build.log" | head -60
  echo "fuzz: building the fuzzers FAILED (whole log: $build/build.log)" >&2
  exit 1
fi

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
    xmlrpc_fuzz)
      printf '%s' "<?xml version='1.0'?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1000</int></value></member><member><name>faultString</name><value><string>x</string></value></member></struct></value></fault></methodResponse>" > "$corpus/fault"
      printf '%s' "<methodCall><methodName>build</methodName><params><param><value><array><data><value><nil/></value><value><i8>1</i8></value><value><double>1.5</double></value><value><base64>aGk=</base64></value></data></array></value></param></params></methodCall>" > "$corpus/call"
      for f in "$root"/../shared/corpus/recorded/koji.fedoraproject.org/*.json; do
        [[ -f $f ]] && python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["response_body"], end="")' "$f" > "$corpus/$(basename "$f" .json)" || true
      done ;;
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
