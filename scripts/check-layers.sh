#!/usr/bin/env bash
# Enforces ferry's layer rule (ARCHITECTURE.md): cli -> core -> clients -> infra, downward only,
# only runner/infra/ includes libcurl, libgit2, OpenSSL or Boost.Process headers, and only
# infra/util/json.cpp calls nlohmann's parser.
set -euo pipefail
cd "$(dirname "$0")/../runner"
status=0
report() { echo "layer rule: $1"; status=1; }

while IFS= read -r hit; do report "C library header outside infra/: $hit"; done < <(
  grep -rnE '#include *[<"](curl/|git2\.h|git2/|boost/process|openssl/)' --include='*.[ch]pp' . |
    grep -v '^\./infra/' || true)

# JSON from outside is parsed only by infra/util/json.cpp, which refuses too-deep nesting first.
while IFS= read -r hit; do report "JSON parsed outside infra/util/json.cpp: $hit"; done < <(
  grep -rnE '(json|Json)::parse\b' --include='*.[ch]pp' . | grep -v '^\./infra/util/json\.cpp:' || true)

check_layer() { # layer, then the layers it must not include
  local layer=$1; shift
  [[ -d $layer ]] || return 0
  for above in "$@"; do
    while IFS= read -r hit; do report "$layer/ includes $above/: $hit"; done < <(
      grep -rnE "#include *\"$above/" --include='*.[ch]pp' "$layer" || true)
  done
}
check_layer infra clients core cli
check_layer clients core cli
check_layer core cli
check_layer model clients core cli infra
[[ $status -eq 0 ]] && echo "layer rule: OK"
exit $status
