#!/usr/bin/env bash
# Builds the static libraries that Debian does not ship in a form usable for `-static`:
# MIT krb5 (libraries only), curl (OpenSSL, GSS-API, HTTP/2) and libgit2 (OpenSSL, GSSAPI),
# from Debian's own *source packages* (never from anywhere else), into a cached prefix.
#
# Why: Debian's libcurl.a needs libgssapi_krb5.a (not shipped), p11-kit and sasl chains
# (see docs: static-build). Everything else comes from Debian's .a files.
#
# Usage: scripts/build-static-deps.sh            prints the prefix on its last line
# Env:   FERRY_CACHE   cache root (default ~/.cache/ferry); the prefix is keyed by this
#                      script's content, so editing it rebuilds, and re-running is a no-op.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${FERRY_CACHE:-$HOME/.cache/ferry}
key=$(sha256sum "$0" | cut -c1-12)
prefix="$cache/static-deps-$key"
jobs=${FERRY_JOBS:-$(nproc)}

if [[ -f "$prefix/.complete" ]]; then
  echo "$prefix"
  exit 0
fi

say() { printf '[static-deps] %s\n' "$*" >&2; }
work="$cache/static-deps-work-$key"
rm -rf "$work" "$prefix"
mkdir -p "$work/apt/lists/partial" "$work/apt/archives/partial" "$work/apt/sources.list.d" "$prefix"

# A private apt configuration whose deb-src entries are derived from this machine's own apt
# sources, so /etc/apt stays untouched and only Debian's archive is ever contacted.
derive_sources() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    grep -q 'debian' "$f" || continue
    sed 's/^Types:.*/Types: deb-src/' "$f" > "$work/apt/sources.list.d/$(basename "$f")"
  done
  if [[ -f /etc/apt/sources.list ]]; then
    grep -E '^deb .*debian' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
      > "$work/apt/sources.list.d/derived.list" || true
  fi
}
derive_sources
cat > "$work/apt/apt.conf" <<CONF
Dir::Etc::SourceList "/dev/null";
Dir::Etc::SourceParts "$work/apt/sources.list.d";
Dir::State::Lists "$work/apt/lists";
Dir::Cache "$work/apt";
Dir::Cache::archives "$work/apt/archives";
APT::Sandbox::User "root";
CONF
export APT_CONFIG="$work/apt/apt.conf"
say "fetching Debian source packages (krb5, curl, libgit2)"
apt-get -qq update
(cd "$work" && apt-get -qq source --only-source krb5/bookworm curl/bookworm libgit2/bookworm >/dev/null)

export CFLAGS="-O2 -fPIC" CXXFLAGS="-O2 -fPIC"

build_krb5() {
  say "building MIT krb5 (libraries only)"
  cd "$work"/krb5-*/src
  ./configure --prefix="$prefix" --enable-static --disable-shared --without-keyutils \
    --without-system-verto --without-ldap --without-libedit --without-readline \
    --disable-pkinit --disable-nls >/dev/null
  make -j"$jobs" -C util >/dev/null && make -j"$jobs" -C include >/dev/null
  make -j"$jobs" -C lib >/dev/null && make -j"$jobs" -C build-tools >/dev/null
  make install-mkdirs >/dev/null
  for d in util include lib build-tools; do make -C "$d" install >/dev/null; done
  # Debian's multiarch patch points krb5-config and the .pc files at mit-krb5 sub-folders.
  sed -i -e 's#/include/mit-krb5#/include#g' -e 's#/lib/[a-z0-9_]*-linux-gnu/mit-krb5#/lib#g' \
    "$prefix"/bin/krb5-config "$prefix"/lib/pkgconfig/*.pc 2>/dev/null || true
  if [[ -d "$prefix/lib/$(gcc -dumpmachine)/mit-krb5" ]]; then
    mv "$prefix/lib/$(gcc -dumpmachine)/mit-krb5"/* "$prefix/lib/"
  fi
  if [[ -d "$prefix/include/mit-krb5" ]]; then
    cp -r "$prefix/include/mit-krb5"/* "$prefix/include/"
  fi
}

build_curl() {
  say "building curl (OpenSSL, GSS-API, HTTP/2)"
  cd "$work"/curl-*/
  PKG_CONFIG_PATH="$prefix/lib/pkgconfig" ./configure --prefix="$prefix" --disable-shared \
    --enable-static --with-openssl --with-gssapi="$prefix" --with-nghttp2 --with-zlib \
    --without-brotli --without-zstd --without-libpsl --without-libidn2 --without-librtmp \
    --without-libssh2 --disable-ldap --disable-ldaps --disable-rtsp --disable-dict \
    --disable-telnet --disable-tftp --disable-pop3 --disable-imap --disable-smtp \
    --disable-gopher --disable-mqtt --disable-smb --disable-manual --enable-threaded-resolver \
    --with-ca-bundle=/etc/ssl/certs/ca-certificates.crt --with-ca-path=/etc/ssl/certs \
    CPPFLAGS="-I$prefix/include" LDFLAGS="-L$prefix/lib" \
    LIBS="-lgssapi_krb5 -lkrb5 -lk5crypto -lcom_err -lkrb5support -lresolv" >/dev/null
  make -j"$jobs" -C lib >/dev/null
  make -C lib install >/dev/null && make -C include install >/dev/null
  make install-pkgconfigDATA install-binSCRIPTS >/dev/null
}

build_libgit2() {
  say "building libgit2 (OpenSSL, GSSAPI)"
  cd "$work"/libgit2-*/
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DBUILD_SHARED_LIBS=OFF -DBUILD_TESTS=OFF -DBUILD_CLI=OFF -DUSE_HTTPS=OpenSSL -DUSE_SSH=ON \
    -DUSE_GSSAPI=ON -DUSE_HTTP_PARSER=system -DREGEX_BACKEND=pcre2 -DUSE_NTLMCLIENT=OFF \
    -DGSSAPI_ROOT_DIR="$prefix" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_FLAGS="-O2 -fPIC -I$prefix/include" >/dev/null
  cmake --build build -j"$jobs" >/dev/null
  cmake --install build >/dev/null
}

start=$(date +%s)
(build_krb5)
(build_curl)
(build_libgit2)
touch "$prefix/.complete"
rm -rf "$work"
say "done in $(( $(date +%s) - start )) s: $prefix"
echo "$prefix"
