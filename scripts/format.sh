#!/usr/bin/env bash
# Formats ferry's C++ sources with clang-format (the version Debian bookworm ships, 14).
#   scripts/format.sh           rewrite files in place
#   scripts/format.sh --check   list files that are not formatted; exit 1 if any
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format=$(command -v clang-format-14 || command -v clang-format || true)
if [[ -z $clang_format ]]; then
  echo "clang-format not found (Debian package clang-format)" >&2
  exit 2
fi
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' | grep -v '^tests/fixtures/')
if [[ ${1:-} == --check ]]; then
  bad=0
  for file in "${files[@]}"; do
    if ! "$clang_format" --dry-run --Werror "$file" >/dev/null 2>&1; then
      echo "not formatted: $file (run scripts/format.sh)"
      bad=1
    fi
  done
  [[ $bad -eq 0 ]] && echo "format: ${#files[@]} files OK"
  exit $bad
fi
"$clang_format" -i "${files[@]}"
