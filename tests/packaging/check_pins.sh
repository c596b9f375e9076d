#!/usr/bin/env bash
# Every place that names a ferry release pins the project's exact version: CMakeLists.txt's
# project VERSION, action.yml's image, the GitLab template's image, the examples' and docs'
# `ferry-bot/ferry@vX.Y.Z`, raw template URLs and component references; and the GitLab
# CI/CD component is the include template, byte for byte.
# Usage: tests/packaging/check_pins.sh [VERSION]   (default: CMakeLists.txt's version)
# scripts/set-version.sh writes all of them.
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake_version=$(sed -n 's/^  VERSION \([0-9][0-9.]*\)$/\1/p' CMakeLists.txt)
version=${1:-$cmake_version}
problems=0
problem() { echo "pin: $*"; problems=$((problems + 1)); }

[[ $cmake_version == "$version" ]] || problem "CMakeLists.txt has VERSION $cmake_version, expected $version"
grep -qx "  image: docker://ghcr.io/ferry-bot/ferry:$version # x-ferry-version" action.yml ||
  problem "action.yml: runs.image is not docker://ghcr.io/ferry-bot/ferry:$version: $(grep -n '^  image:' action.yml)"
grep -q "default: ghcr.io/ferry-bot/ferry:$version-gitlab # x-ferry-version" gitlab-ci-template/ferry.gitlab-ci.yml ||
  problem "gitlab-ci-template/ferry.gitlab-ci.yml: the image input's default is not ghcr.io/ferry-bot/ferry:$version-gitlab"
cmp -s gitlab-ci-template/ferry.gitlab-ci.yml gitlab-ci-template/templates/ferry/template.yml ||
  problem "gitlab-ci-template/templates/ferry/template.yml differs from ferry.gitlab-ci.yml (the component is a copy)"

# References to a release anywhere users copy from.
checked=0
while IFS= read -r hit; do
  checked=$((checked + 1))
  ref=$(grep -oE '(ferry-bot/ferry@v|ferry-bot/ferry/v|ferry/ferry@|ferry-bot/ferry:)[0-9][0-9.]*' <<<"$hit" | head -n 1)
  [[ ${ref##*[@/v:]} == "$version" ]] || problem "$hit (expected $version)"
done < <(grep -rnoE '(ferry-bot/ferry@v|ferry-bot/ferry/v|ferry/ferry@|ferry-bot/ferry:)[0-9][0-9.]*[^ ]*' \
           action.yml README.md docs examples gitlab-ci-template .github 2>/dev/null)
[[ $checked -gt 0 ]] || problem "no release reference found in the examples and docs"
echo "pins: version $version, $checked references, $problems problems"
[[ $problems -eq 0 ]]
