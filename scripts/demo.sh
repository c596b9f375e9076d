#!/usr/bin/env bash
# The first command of the quick start: installs what is missing, builds ferry (release) and
# runs it on the embedded example in examples/ — no network, no tokens.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} # cache hits across clones
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target ferry >/dev/null
ferry=build/release/runner/ferry

echo "\$ ferry --version"
"$ferry" --version
echo "\$ ferry version --verbose"
"$ferry" version --verbose
if "$ferry" validate-config --help >/dev/null 2>&1; then
  echo "\$ ferry validate-config examples/hello/.packit.yaml"
  "$ferry" validate-config examples/hello/.packit.yaml
fi
if "$ferry" plan --help >/dev/null 2>&1; then
  echo "\$ ferry plan --event-name release --tag v1.3.0 --releases-file …/bodhi/releases.json"
  (cd examples/hello && "../../$ferry" plan --event-name release --tag v1.3.0 \
    --repository ferry-bot/hello --releases-file ../../tests/fixtures/bodhi/releases.json)
fi
if "$ferry" spec show --help >/dev/null 2>&1; then
  spec=examples/hello/hello.spec
  echo "\$ ferry spec show $spec"
  "$ferry" spec show "$spec"
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  cp "$spec" "$work/"
  echo "\$ ferry spec set-version hello.spec 1.3.0 --changelog-entry 'Update to 1.3.0'"
  "$ferry" spec set-version "$work/hello.spec" 1.3.0 --changelog-entry 'Update to 1.3.0' \
    --author 'Ferry Demo <ferry@example.org>' --date 2026-11-22
  diff -u "$spec" "$work/hello.spec" || true
fi
