#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test.
#   1. the fully static executable (static deps built once from Debian source packages and
#      cached in ~/.cache/ferry), checked with the cli.* smoke tests;
#   2. the libFuzzer targets, 10 s each (FERRY_FUZZ_SECONDS);
#   3. the dev build (Debug, ASan+UBSan, -Werror) with the whole suite: unit, integration, cli,
#      contract and packaging tests, format and layer checks, the attack suite (tests/security)
#      and the real-server tests (tests/peers, against ../shared/peers);
#   4. the container image (tests/packaging/check_image.sh): built with podman when Containerfile
#      or the scripts it runs changed since the last good build, else reused; then checked.
# Idempotent; fast when nothing changed (ninja + ccache + cached static prefix).
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} # cache hits across clones
export CCACHE_NOHASHDIR=true # -g would hash the clone's directory into every key

scripts/install-deps.sh
scripts/github-contract-setup.sh >/dev/null

echo "== static build"
FERRY_STATIC_PREFIX=$(scripts/build-static-deps.sh | tail -n 1)
export FERRY_STATIC_PREFIX
cmake --preset static >/dev/null
cmake --build --preset static
ctest --preset static

echo "== fuzzers (bounded; run longer with scripts/fuzz.sh SECONDS)"
scripts/fuzz.sh "${FERRY_FUZZ_SECONDS:-10}"

echo "== dev build (ASan+UBSan) and the whole suite"
# Integration tests that run the ferry binary run the static one too.
export FERRY_STATIC_BINARY=$PWD/build/static/runner/ferry
cmake --preset dev >/dev/null
cmake --build --preset dev
# The attack suite must be there: an empty label would pass without checking anything.
if ! ctest --preset dev -N -L security | grep -q 'Total Tests: [1-9]'; then
  echo "tests/security holds no test (label security): the attack suite did not build" >&2
  exit 1
fi
# The real servers (../shared/peers) install their Debian packages on first use: do it here,
# once, so that no test's time limit is spent in apt.
scripts/peers-install.sh
if ! ctest --preset dev -N -L peers | grep -q 'Total Tests: [1-9]'; then
  echo "tests/peers holds no test (label peers): the real-server tests did not build" >&2
  exit 1
fi
ctest --preset dev

echo "== container image (rebuilt only when Containerfile or its scripts changed; podman)"
ctest --preset image
