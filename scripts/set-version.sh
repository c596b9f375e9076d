#!/usr/bin/env bash
# Sets the project version everywhere a release is named: CMakeLists.txt, action.yml's image,
# the GitLab template (and its component copy), and the examples' and docs' references
# (tests/packaging/check_pins.sh checks them). Usage: scripts/set-version.sh X.Y.Z
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: scripts/set-version.sh X.Y.Z}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "not a version X.Y.Z: $version" >&2; exit 2; }
v='[0-9][0-9.]*[0-9]'
sed -i "s/^  VERSION $v$/  VERSION $version/" CMakeLists.txt
mapfile -t files < <(grep -rlE "ferry-bot/ferry(@v|/v|:)$v|ferry/ferry@$v" \
                       action.yml README.md docs examples gitlab-ci-template .github 2>/dev/null)
[[ ${#files[@]} -eq 0 ]] || sed -i -E \
  -e "s#ferry-bot/ferry@v$v#ferry-bot/ferry@v$version#g" \
  -e "s#ferry-bot/ferry/v$v/#ferry-bot/ferry/v$version/#g" \
  -e "s#ferry-bot/ferry:$v#ferry-bot/ferry:$version#g" \
  -e "s#ferry/ferry@$v#ferry/ferry@$version#g" "${files[@]}"
cp gitlab-ci-template/ferry.gitlab-ci.yml gitlab-ci-template/templates/ferry/template.yml
tests/packaging/check_pins.sh "$version"
