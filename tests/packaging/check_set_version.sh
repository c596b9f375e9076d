#!/usr/bin/env bash
# scripts/set-version.sh, run on a copy of the tree, moves every pin to a new version: the pin
# check then passes for it and fails for the old one.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
(cd "$root" && cp -r --parents CMakeLists.txt action.yml README.md docs examples gitlab-ci-template \
   .github scripts/set-version.sh tests/packaging/check_pins.sh "$copy/")
old=$(sed -n 's/^  VERSION \([0-9][0-9.]*\)$/\1/p' "$copy/CMakeLists.txt")
"$copy/scripts/set-version.sh" 98.7.6
if "$copy/tests/packaging/check_pins.sh" "$old" >/dev/null; then
  echo "the pins still name $old after set-version 98.7.6"; exit 1
fi
if grep -rq "ferry-bot/ferry@v$old\|ferry:$old" "$copy"; then
  grep -rn "ferry-bot/ferry@v$old\|ferry:$old" "$copy"; echo "references to $old are left"; exit 1
fi
echo "set-version moved every pin from $old to 98.7.6"
