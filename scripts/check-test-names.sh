#!/usr/bin/env bash
# Every Catch2 test case must reach CTest whole. catch_discover_tests hands the names to CMake,
# which splits them at ';': "a; b" became a CTest test named " b" whose filter matched nothing,
# and Catch2 passes a run in which no test matched. A name with ';' is refused here.
# Usage: check-test-names.sh TEST_BINARY...
set -euo pipefail
status=0
for binary in "$@"; do
  while IFS= read -r name; do
    echo "test name with ';' (CTest would split it and run nothing): $(basename "$binary"): $name"
    status=1
  done < <("$binary" --list-test-names-only | grep ';' || true)
done
exit $status
