#!/usr/bin/env bash
# Installs what ferry's build and tests need from Debian's archive, and nothing else.
# Fast and silent when everything is there (one dpkg query); needs root (or sudo) otherwise.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git file ca-certificates openssl
  clang clang-format curl
  # libraries (dynamic build) and test/bench frameworks
  libcurl4-openssl-dev libgit2-dev libyaml-cpp-dev nlohmann-json3-dev libfmt-dev libpugixml-dev
  libboost1.81-dev libboost-filesystem1.81-dev libssl-dev zlib1g-dev libkrb5-dev
  catch2 libbenchmark-dev
  # the static build: Debian source packages and the .a files they link against
  dpkg-dev libnghttp2-dev libhttp-parser-dev libpcre2-dev libssh2-1-dev
  # test oracles and peers: rpmspec, a real Kerberos KDC, a DNS server
  rpm krb5-kdc krb5-admin-server krb5-user dnsmasq-base
  # gitlab-ci-local (the GitLab template test) copies the project with rsync
  rsync
)

# Node.js and npm run the contract-test tools (Prism, schema validators); any recent node will
# do, so Debian's is installed only where none is on the PATH.
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ $status == installed ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "[deps] installing from Debian: ${missing[*]}" >&2
as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "[deps] run as root: apt-get install ${missing[*]}" >&2; exit 2; }
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
