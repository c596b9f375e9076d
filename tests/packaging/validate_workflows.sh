#!/usr/bin/env bash
# action.yml and every GitHub/Forgejo workflow users copy or the project runs, through the
# ecosystem's own validator (@action-validator/cli, pinned; one file per run), then
# check-workflows.js for what it misses (activity types, ferry's inputs and pinned version).
# Usage: validate_workflows.sh VERSION. Exit 0 valid; 1 a file is invalid; 77 tools unavailable.
set -euo pipefail
version=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
rc=0
modules=$("$root/scripts/packaging-tools.sh" | tail -n 1) || rc=$?
[[ $rc -eq 0 ]] || exit "$rc"
cd "$root"
mapfile -t workflows < <(find ./.github/workflows ./examples -type f \( -name '*.yml' -o -name '*.yaml' \) \
                           \( -path '*/.github/workflows/*' -o -path '*/.forgejo/workflows/*' \) | sort)
[[ ${#workflows[@]} -ge 5 ]] || { echo "expected at least 5 workflows, found: ${workflows[*]}"; exit 1; }
failed=0
for file in action.yml "${workflows[@]}"; do
  if out=$("$modules/.bin/action-validator" "$file" 2>&1); then
    echo "valid: $file"
  else
    echo "INVALID: $file"; echo "$out"; failed=1
  fi
done
NODE_PATH=$modules node tests/packaging/check-workflows.js action.yml "$version" "${workflows[@]}" || failed=1
exit "$failed"
