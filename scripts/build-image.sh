#!/usr/bin/env bash
# Builds ferry's container image (Containerfile) with podman, set up as this machine class needs
# (/work/shared docs: static-build §3): runc instead of crun, lowered ulimits, storage in a
# folder of our own (CONTAINERS_CONF / CONTAINERS_STORAGE_CONF), `--pull=never` and a local
# Debian bookworm base made with debootstrap + `podman import` when no registry is reachable.
#
# Usage: scripts/build-image.sh [--if-changed] [--tag NAME]
#   --if-changed  build only when the image's inputs (Containerfile, .containerignore, the
#                 scripts it runs, scripts/image/) changed since the last successful build;
#                 otherwise report that the image is reused
#   --tag NAME    image name (default localhost/ferry:<project version>); the GitLab variant
#                 is NAME-gitlab
# Prints what it did ("built …" or "reused …") and, on its last line, the image name.
# Env: FERRY_CACHE (default ~/.cache/ferry) holds the podman storage, the base image tarball,
#      the build's ccache and the stamp. FERRY_IMAGE_BASE names a bookworm base image to use
#      (e.g. docker.io/library/debian:bookworm where a registry is reachable; pulled once);
#      without it, or when it cannot be pulled, the base is made locally with debootstrap.
# Exit 0 built or reused; 1 the build failed; 77 podman cannot run here (nothing was built).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${FERRY_CACHE:-$HOME/.cache/ferry}
state=$cache/image
version=$(sed -n 's/^  VERSION \([0-9][0-9.]*\)$/\1/p' "$root/CMakeLists.txt")
tag=localhost/ferry:$version
builder_tag=localhost/ferry-builder:cache
if_changed=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --if-changed) if_changed=1 ;;
    --tag) tag=$2; shift ;;
    *) echo "usage: scripts/build-image.sh [--if-changed] [--tag NAME]" >&2; exit 2 ;;
  esac
  shift
done
say() { printf '[image] %s\n' "$*" >&2; }
skip() { say "SKIP: $*"; exit 77; }
child=
trap '[[ -n $child ]] && kill "$child" 2>/dev/null; exit 143' TERM INT

# podman, runc and debootstrap from Debian, installed when missing (as install-deps.sh does).
ensure_tools() {
  local missing=() package status
  for package in podman runc debootstrap; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [[ $status == installed ]] || missing+=("$package")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $(id -u) -eq 0 ]] || skip "podman needs root here and ${missing[*]} is missing"
  say "installing from Debian: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null; } || skip "could not install ${missing[*]}"
}

# Our own containers.conf and storage.conf, so nothing lands in /var/lib/containers.
configure_podman() {
  mkdir -p "$state/storage" "$state/run" "$state/ccache"
  cat > "$state/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
  cat > "$state/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$state/storage"
runroot = "$state/run"
CONF
  export CONTAINERS_CONF=$state/containers.conf CONTAINERS_STORAGE_CONF=$state/storage.conf
}

# Starts a container from a folder holding only /bin/true and its libraries: the runtime,
# namespaces and ulimits work here (inside an unprivileged container they do not).
can_run_containers() {
  local probe=$state/probe-rootfs
  rm -rf "$probe" && mkdir -p "$probe"
  cp --parents /bin/true $(ldd /bin/true | grep -o '/[^ ]*') "$probe/" 2>"$state/probe.err" &&
    podman run --rm --network none --rootfs "$probe" /bin/true 2>>"$state/probe.err"
}

image_exists() { podman image exists "$1" 2>/dev/null; }

# This machine's Debian mirror (the first deb URI of its apt sources).
debian_mirror() {
  local uri
  uri=$(sed -n 's/^URIs: *\(http[^ ]*debian\)\/\{0,1\}$/\1/p' /etc/apt/sources.list.d/*.sources \
        2>/dev/null | head -n 1)
  [[ -n $uri ]] || uri=$(sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\(http[^ ]*\) bookworm .*/\2/p' \
        /etc/apt/sources.list 2>/dev/null | head -n 1)
  echo "${uri:-http://deb.debian.org/debian}"
}

# A Debian bookworm base image: FERRY_IMAGE_BASE, else one made here with debootstrap whose apt
# sources are this machine's (so the builder reaches the same archive). Cached as a tarball.
base_image() {
  if [[ -n ${FERRY_IMAGE_BASE:-} ]]; then
    if image_exists "$FERRY_IMAGE_BASE" || podman pull -q "$FERRY_IMAGE_BASE" >/dev/null; then
      echo "$FERRY_IMAGE_BASE"; return
    fi
    say "cannot pull $FERRY_IMAGE_BASE (no registry reachable?): making a base with debootstrap"
  fi
  local name=localhost/ferry/debian-bookworm:base tarball=$state/debian-bookworm-base.tar.gz
  if image_exists "$name"; then echo "$name"; return; fi
  if [[ ! -s $tarball ]]; then
    local rootfs=$state/debootstrap-rootfs start=$SECONDS
    rm -rf "$rootfs"
    say "making the Debian bookworm base with debootstrap from $(debian_mirror)"
    debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >"$state/debootstrap.log" 2>&1 \
      || { tail -n 20 "$state/debootstrap.log" >&2; echo "debootstrap failed" >&2; exit 1; }
    rm -f "$rootfs/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/*.sources "$rootfs/etc/apt/sources.list.d/" 2>/dev/null || true
    [[ -f /etc/apt/sources.list ]] && cp /etc/apt/sources.list "$rootfs/etc/apt/sources.list"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -czf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$rootfs"
    say "base made in $((SECONDS - start)) s"
  fi
  podman import --change 'CMD ["/bin/bash"]' "$tarball" "$name" >/dev/null 2>"$state/import.err" ||
    { cat "$state/import.err" >&2; echo "podman import of $tarball failed" >&2; exit 1; }
  echo "$name"
}

# What the image is made from: a change to any of these rebuilds it under --if-changed.
inputs_hash() {
  (cd "$root" && cat Containerfile .containerignore scripts/build-image.sh scripts/install-deps.sh \
     scripts/build-static-deps.sh $(find scripts/image -type f | sort) | sha256sum | cut -c1-16)
}

# podman in the background so that a TERM/INT (a CTest timeout, ^C) stops the build too.
podman_build() {
  nice -n 10 podman build "$@" >>"$state/build.log" 2>&1 &
  child=$!
  wait "$child"
}

build() {
  local base=$1 start=$SECONDS revision
  revision=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
  local args=(--pull=never --layers --build-arg "BASE=$base" --build-arg "VERSION=$version"
              --build-arg "REVISION=$revision" --volume "$state/ccache:/root/.cache/ccache"
              --file "$root/Containerfile")
  say "building $tag and $tag-gitlab from $base (log: $state/build.log)"
  : > "$state/build.log"
  # The builder stage gets a tag too: it keeps its layers (the build cache) out of the prune.
  if ! podman_build "${args[@]}" --target builder --tag "$builder_tag" "$root" ||
     ! podman_build "${args[@]}" --target gitlab --tag "$tag-gitlab" "$root" ||
     ! podman_build "${args[@]}" --tag "$tag" "$root"; then
    tail -n 40 "$state/build.log" >&2
    echo "the image build failed: the whole log is $state/build.log" >&2
    exit 1
  fi
  say "built $tag in $((SECONDS - start)) s"
  podman image prune -f >/dev/null 2>&1 || true # layers of earlier builds
}

# Working containers that an interrupted build left behind hold their images (and gigabytes).
remove_leftover_containers() {
  local ids
  ids=$(podman ps -a --external -q 2>/dev/null || true)
  [[ -z $ids ]] || podman rm -f $ids >/dev/null 2>&1 || true
}

ensure_tools
configure_podman
podman info >/dev/null 2>"$state/podman-info.err" ||
  skip "podman cannot run here: $(head -n 3 "$state/podman-info.err")"
can_run_containers || skip "podman cannot start a container here: $(head -n 3 "$state/probe.err")"

# One image build at a time on this machine.
exec 9>"$state/lock"
flock 9
remove_leftover_containers
hash=$(inputs_hash)
if [[ $if_changed -eq 1 ]] && [[ $(cat "$state/stamp" 2>/dev/null) == "$hash $tag" ]] \
   && image_exists "$tag" && image_exists "$tag-gitlab"; then
  echo "reused $tag: Containerfile and build scripts unchanged since its build (inputs $hash)"
else
  build "$(base_image)"
  echo "$hash $tag" > "$state/stamp"
  echo "built $tag (inputs $hash)"
fi
echo "$tag"
