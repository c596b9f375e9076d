#!/usr/bin/env bash
# ferry's container image: builds it when its inputs changed since the last successful build
# (scripts/build-image.sh --if-changed; otherwise reuses it and says so), then checks it:
# `ferry --version` runs in it; the entry point is `/ferry run`; it holds only ferry, the CA
# bundle, passwd/group, krb5.conf and /tmp (1777); the OCI labels; its size (≤ 25 MB); the
# GitLab variant's shell; local mode in the image (`ferry propose-downstream --local` on a
# mounted upstream checkout of examples/hello and a dist-git clone of examples/hello-dist-git,
# the archive made on the host: the image has no sh or git for the example's create-archive
# action); and the entry point as GitHub's runner starts the action's container, for a release,
# against fake servers, on a workspace another user owns (tests/packaging/action_env.sh).
# A reused image holds the ferry of its build: after changes to ferry's sources, rebuild it
# (scripts/build-image.sh without --if-changed) before trusting these checks.
# Usage: check_image.sh VERSION FAKE_FORGE
# Exit 0 passed; 1 failed; 77 podman cannot run here.
set -euo pipefail
version=$1
fake_forge=$(realpath "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)
max_bytes=$((25 * 1000 * 1000))

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
echo "the image's ferry is of revision $(inspect '{{index .Labels "org.opencontainers.image.revision"}}');" \
     "this tree is at $(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)"

check "ferry --version in the image" "$(podman run --rm --entrypoint /ferry "$tag" --version)" "^ferry $version\$"
check "entry point" "$(inspect '{{json .Config.Entrypoint}}')" '^\["/ferry","run"\]$'
size=$(inspect '{{.Size}}')
check "size ≤ 25 MB: $size bytes" "$([[ $size =~ ^[0-9]+$ && $size -le $max_bytes ]] && echo yes)" '^yes$'
for label in version:"^$version\$" source:'^https://' revision:'^[0-9a-f]{40}$|^unknown$' \
             licenses:'^MIT$' description:'RPM'; do
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

# Local mode on mounted folders: an upstream checkout at its tag, a dist-git clone, a lookaside
# folder, and the archive made on the host.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples/hello" "$work/hello"
cp -r "$root/examples/hello-dist-git" "$work/hello-dist-git"
mkdir "$work/lookaside"
git_as_test() { git -c user.name=Test -c user.email=test@example.com "$@"; }
(cd "$work/hello" && git init -q -b main && git add -A && git_as_test commit -qm "Release 1.3.0" &&
  git tag v1.3.0 && git archive --prefix=hello-1.3.0/ -o "$work/hello-1.3.0.tar.gz" v1.3.0)
(cd "$work/hello-dist-git" && git init -q -b rawhide && git add -A && git_as_test commit -qm "1.2.0")
local_out=$(podman run --rm -v "$work/hello:/src/hello" -v "$work/hello-dist-git:/src/hello-dist-git" \
  -v "$work/lookaside:/lookaside" -v "$work/hello-1.3.0.tar.gz:/hello-1.3.0.tar.gz:ro" \
  -e SOURCE_DATE_EPOCH=1763769600 -e "RPM_PACKAGER=Ferry Bot <ferry-bot@fedoraproject.org>" \
  --workdir /src/hello --entrypoint /ferry "$tag" propose-downstream --local \
  --dist-git /src/hello-dist-git --lookaside /lookaside --archive /hello-1.3.0.tar.gz 2>&1) || true
check "local mode in the image: the dist-git clone is committed" "$local_out" 'hello rawhide: success \(committed\)'
check "local mode in the image: Version 1.3.0 on ferry's branch" \
  "$(git -C "$work/hello-dist-git" show ferry/rawhide/propose-downstream:hello.spec 2>&1 | grep '^Version:')" \
  '^Version: +1\.3\.0$'
hash=$(sha512sum "$work/hello-1.3.0.tar.gz" | cut -d' ' -f1)
check "local mode in the image: the archive is in the lookaside folder" \
  "$(ls "$work/lookaside/rpms/hello/hello-1.3.0.tar.gz/sha512/$hash" 2>&1)" '^hello-1\.3\.0\.tar\.gz$'

# The entry point, started as GitHub's runner starts the action's container.
rc=0
action_out=$(FERRY_ACTION_IMAGE=$tag "$root/tests/packaging/action_env.sh" - "$fake_forge" github 2>&1) || rc=$?
if [[ $rc -eq 77 ]]; then
  echo "FAILED: the entry point in the action's environment could not run: $(tail -n 1 <<<"$action_out")"
  failures=$((failures + 1))
else
  check "the entry point in the action's environment (action_env.sh)" "$(tail -n 1 <<<"$action_out")" \
    '^github action environment: the image .* opened 2 pull requests'
  [[ $rc -eq 0 ]] || echo "$action_out"
fi

[[ $failures -eq 0 ]] || { echo "$failures image checks failed"; exit 1; }
echo "image $tag: all checks passed"
