#!/usr/bin/env bash
# ferry's container image: builds it when its inputs changed since the last successful build
# (scripts/build-image.sh --if-changed; otherwise reuses it and says so), then checks it:
# `ferry --version` runs in it; the entry point is `/ferry run`; it holds only ferry, the CA
# bundle, passwd/group, krb5.conf and /tmp (1777); the OCI labels; its size (≤ 25 MB); the
# GitLab variant's shell; and ferry working on a mounted workspace as the action's container
# does (owned by another user, read-only).
# Usage: check_image.sh VERSION EXAMPLE_DIR RELEASES_JSON
# Exit 0 passed; 1 failed; 77 podman cannot run here.
set -euo pipefail
version=$1
example=$(realpath "$2")
releases=$(realpath "$3")
root=$(cd "$(dirname "$0")/../.." && pwd)
max_bytes=$((25 * 1000 * 1000))

# What runs in the image on a workspace. Until `ferry run` and local mode exist, `plan` on a
# local release event; then: (propose-downstream --local …) and the entry point itself.
in_workspace=(plan --event-name release --tag v1.3.0 --repository ferry-bot/hello
              --releases-file /releases.json)

rc=0
out=$("$root/scripts/build-image.sh" --if-changed) || rc=$?
[[ $rc -eq 0 ]] || exit "$rc"
tag=$(tail -n 1 <<<"$out")
head -n -1 <<<"$out"
state=${FERRY_CACHE:-$HOME/.cache/ferry}/image
export CONTAINERS_CONF=$state/containers.conf CONTAINERS_STORAGE_CONF=$state/storage.conf

failures=0
check() { # check WHAT ACTUAL EXPECTED_REGEX
  if [[ $2 =~ $3 ]]; then echo "ok: $1"; else echo "FAILED: $1: got '$2', expected /$3/"; failures=$((failures + 1)); fi
}
inspect() { podman image inspect --format "$1" "$tag"; }

check "ferry --version in the image" "$(podman run --rm --entrypoint /ferry "$tag" --version)" "^ferry $version\$"
check "entry point" "$(inspect '{{json .Config.Entrypoint}}')" '^\["/ferry","run"\]$'
size=$(inspect '{{.Size}}')
check "size ≤ 25 MB: $size bytes" "$([[ $size =~ ^[0-9]+$ && $size -le $max_bytes ]] && echo yes)" '^yes$'
for label in version:"^$version\$" source:'^https://' revision:'^[0-9a-f]{40}$|^unknown$' \
             licenses:'.' description:'RPM'; do
  check "label org.opencontainers.image.${label%%:*}" \
    "$(inspect "{{index .Labels \"org.opencontainers.image.${label%%:*}\"}}")" "${label#*:}"
done

# The file system, exactly.
container=$(podman create "$tag")
podman export -o "$state/check-export.tar" "$container" # (to a pipe, podman 4.3 writes nothing)
tar -tvf "$state/check-export.tar" > "$state/check-files.txt"
rm -f "$state/check-export.tar"
podman rm "$container" >/dev/null
files=$(awk '{print $NF}' "$state/check-files.txt" | sed 's#^\./##; s#/$##' | grep -v '^$' | sort | tr '\n' ' ')
check "the image's files" "$files" \
  '^etc etc/group etc/krb5.conf etc/passwd etc/ssl etc/ssl/certs etc/ssl/certs/ca-certificates.crt ferry tmp $'
check "/tmp is world-writable and sticky" "$(awk '$NF ~ /^(\.\/)?tmp\/?$/ {print $1}' "$state/check-files.txt")" '^drwxrwxrwt$'
check "ferry finds the CA bundle" \
  "$(podman run --rm --entrypoint /ferry "$tag" version --verbose 2>&1)" '/etc/ssl/certs/ca-certificates.crt'
check "GitLab variant: a shell, ferry on the PATH, /tmp 1777" \
  "$(podman run --rm --entrypoint /bin/sh "$tag-gitlab" -c 'ferry --version && stat -c %a /tmp')" \
  "^ferry $version"$'\n'"1777\$"

# A workspace mounted as the action's container gets it: owned by another user, read-only.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$example" "$work/workspace"
cp "$releases" "$work/releases.json"
chown -R 1001:1001 "$work/workspace"
check "ferry on a mounted workspace owned by another user" \
  "$(podman run --rm -v "$work/workspace:/github/workspace:ro" -v "$work/releases.json:/releases.json:ro" \
      --workdir /github/workspace --entrypoint /ferry "$tag" "${in_workspace[@]}" 2>&1)" \
  '"job": "propose_downstream"'

[[ $failures -eq 0 ]] || { echo "$failures image checks failed"; exit 1; }
echo "image $tag: all checks passed"
