#!/bin/sh
# Contract test: GitHub webhook payloads that ferry parses (the shared corpus and ferry's own
# fixtures) are checked against GitHub's webhook schemas from @octokit/openapi-webhooks.
# Usage: scripts/contract-tests.sh [--install-only]
# Installs the pinned npm packages (tests/contract/package-lock.json) with `npm ci` into
# ${FERRY_CONTRACT_CACHE:-build/contract-node}, then runs tests/contract/validate-webhooks.js.
# Exit 0: every payload ferry acts on validates; 1: a payload violates its schema; 77: could not
# run (node/npm missing or the packages cannot be installed), which CTest counts as a failure.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=${FERRY_CONTRACT_CACHE:-$root/build/contract-node}
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: node and npm are needed for the webhook contract test" >&2
  exit 77
fi
mkdir -p "$work"
if ! cmp -s "$root/tests/contract/package-lock.json" "$work/package-lock.json" 2>/dev/null \
   || [ ! -d "$work/node_modules/@octokit/openapi-webhooks" ]; then
  cp "$root/tests/contract/package.json" "$root/tests/contract/package-lock.json" "$work/"
  if ! (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error); then
    echo "SKIP: npm ci failed (see above); the webhook schemas could not be installed" >&2
    exit 77
  fi
fi
[ "${1:-}" = "--install-only" ] && exit 0
NODE_PATH="$work/node_modules" exec node "$root/tests/contract/validate-webhooks.js" \
  "$work/node_modules/@octokit/openapi-webhooks/generated/api.github.com.json" \
  "$root/tests/contract/github-fields.tsv" "$root"
