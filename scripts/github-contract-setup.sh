#!/usr/bin/env bash
# Installs the tools of the GitHub contract test from the npm registry, pinned:
# Prism (tests/prism/package-lock.json) and GitHub's OpenAPI description from
# @octokit/openapi, of which only api.github.com.json is kept, reduced to the paths ferry calls.
# Idempotent: does nothing when both are in place. Prints the reduced description's path.
set -euo pipefail
cd "$(dirname "$0")/.."
openapi_version=23.0.2
cache=${FERRY_CACHE:-$HOME/.cache/ferry}/github-openapi
spec=$cache/package/generated/api.github.com.json
reduced=$cache/reduced-$(sha256sum tests/prism/reduce-spec.js | cut -c1-12).json

if ! command -v npm >/dev/null; then
  echo "[contract] npm not found: the GitHub contract test will be skipped" >&2
  exit 0
fi
if [[ ! -x tests/prism/node_modules/.bin/prism ]]; then
  (cd tests/prism && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1)
fi
if [[ ! -f $spec || $(cat "$cache/version" 2>/dev/null) != "$openapi_version" ]]; then
  mkdir -p "$cache"
  (cd "$cache" && npm pack --silent "@octokit/openapi@$openapi_version" >/dev/null 2>&1 &&
    tar -xzf "octokit-openapi-$openapi_version.tgz" package/generated/api.github.com.json &&
    rm -f "octokit-openapi-$openapi_version.tgz" && echo "$openapi_version" > version)
fi
if [[ ! -f $reduced ]]; then
  node tests/prism/reduce-spec.js "$spec" "$reduced" >/dev/null
fi
ln -sf "$reduced" "$cache/reduced.json"
echo "$cache/reduced.json"
