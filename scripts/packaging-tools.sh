#!/bin/sh
# Installs the pinned npm tools of the packaging tests (tests/packaging/package-lock.json:
# @action-validator/cli, gitlab-ci-local) with `npm ci` into a cache folder outside the tree,
# ${FERRY_CACHE:-~/.cache/ferry}/packaging-node, reinstalled only when the lockfile changes.
# Prints the node_modules folder on its last line.
# Exit 0 installed; 77 node/npm missing or the registry unreachable (callers skip).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=${FERRY_CACHE:-$HOME/.cache/ferry}/packaging-node
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: node and npm are needed for the packaging tests" >&2
  exit 77
fi
mkdir -p "$work"
exec 9>"$work/.lock"
flock 9
if ! cmp -s "$root/tests/packaging/package-lock.json" "$work/package-lock.json" 2>/dev/null \
   || [ ! -x "$work/node_modules/.bin/gitlab-ci-local" ] \
   || [ ! -x "$work/node_modules/.bin/action-validator" ]; then
  rm -f "$work/package-lock.json"
  cp "$root/tests/packaging/package.json" "$root/tests/packaging/package-lock.json" "$work/"
  if ! (cd "$work" && npm ci --no-audit --no-fund --loglevel=error >&2); then
    rm -f "$work/package-lock.json"
    echo "SKIP: npm ci failed (see above): the packaging tools could not be installed" >&2
    exit 77
  fi
fi
echo "$work/node_modules"
