#!/usr/bin/env bash
# The static binary's promises: `file` says statically linked, `ldd` finds no dynamic
# dependency, and it runs in an empty root (chroot with nothing but itself) when we are root.
set -euo pipefail
ferry=$(realpath "$1")
file "$ferry" | grep -q 'statically linked' || { echo "not static: $(file "$ferry")"; exit 1; }
if ldd "$ferry" >/dev/null 2>&1; then echo "ldd found dynamic dependencies"; ldd "$ferry"; exit 1; fi
stripped=$(mktemp); strip -o "$stripped" "$ferry"
echo "size: $(stat -c %s "$ferry") bytes; stripped: $(stat -c %s "$stripped") bytes"; rm -f "$stripped"
if [[ $(id -u) -eq 0 ]] && command -v chroot >/dev/null; then
  root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
  cp "$ferry" "$root/ferry"
  out=$(chroot "$root" /ferry --version)
  [[ $out == ferry\ * ]] || { echo "chroot run printed: $out"; exit 1; }
  echo "runs in an empty root: $out"
else
  echo "not root: skipped the empty-root run"
fi
