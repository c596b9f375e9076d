#!/usr/bin/env bash
# The static binary in an empty root (only itself, /etc/hosts and a CA bundle — what ferry's
# container image holds) resolves `localhost`, verifies a TLS server against SSL_CERT_FILE,
# and authenticates with a client certificate the server requires; without the certificate
# the server refuses it; names only /etc/hosts or only DNS know resolve too. The server is
# `openssl s_server` on 127.0.0.1.
set -euo pipefail
ferry=$(realpath "$1")
if [[ $(id -u) -ne 0 ]]; then echo "needs root for chroot: skipped"; exit 0; fi
dir=$(mktemp -d)
server_pid=
dns_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null
  [[ -n $dns_pid ]] && kill "$dns_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=ferry-test-ca
ossl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost
printf 'subjectAltName=DNS:localhost,DNS:src.fedoraproject.test,DNS:koji.fedoraproject.test,IP:127.0.0.1\n' > san.ext
ossl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext
ossl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=packager
ossl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.crt -days 2
cat client.crt client.key > client.pem # Fedora's ~/.fedora.cert form: certificate and key

for attempt in 1 2 3 4 5; do
  port=$(( 20000 + RANDOM % 30000 ))
  openssl s_server -accept "127.0.0.1:$port" -cert server.pem -key server.key -CAfile ca.pem \
    -Verify 1 -www -quiet > server.log 2>&1 &
  server_pid=$!
  for _ in $(seq 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break 2; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$server_pid" 2>/dev/null || true; server_pid=
done
[[ -n $server_pid ]] || { echo "could not start openssl s_server"; exit 1; }

mkdir -p root/etc root/tmp
cp "$ferry" root/ferry
cp ca.pem client.pem root/
printf '127.0.0.1 localhost\n127.0.0.1 src.fedoraproject.test\n' > root/etc/hosts
chroot_bin=$(command -v chroot)
run() { env -i SSL_CERT_FILE=/ca.pem "$chroot_bin" root /ferry "$@" 2>&1; }

out=$(run doctor --client-cert /client.pem "https://localhost:$port/") || { echo "$out"; exit 1; }
echo "$out" | grep -q -- '-> 200' || { echo "expected 200: $out"; exit 1; }
echo "with client certificate: $(echo "$out" | grep -- '->')"
# A host name that only the hosts file knows: the static glibc resolver reads it.
out=$(run doctor --client-cert /client.pem "https://src.fedoraproject.test:$port/") || { echo "$out"; exit 1; }
echo "by host name: $(echo "$out" | grep -- '->')"
if out=$(run doctor "https://localhost:$port/"); then
  echo "the server accepted a client without certificate: $out"; exit 1
fi
echo "without client certificate: refused as expected"

# A name only DNS knows: dnsmasq answers on 127.0.0.53:53 and the empty root's resolv.conf
# points there, so the static binary's built-in DNS resolver is exercised.
if command -v dnsmasq >/dev/null; then
  dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces \
    --listen-address=127.0.0.53 --port=53 --address=/koji.fedoraproject.test/127.0.0.1 \
    --pid-file="$dir/dnsmasq.pid" 2>"$dir/dnsmasq.log" &
  dns_pid=$!
  sleep 0.3
  if kill -0 "$dns_pid" 2>/dev/null; then
    printf 'nameserver 127.0.0.53\n' > root/etc/resolv.conf
    out=$(run doctor --client-cert /client.pem "https://koji.fedoraproject.test:$port/") || { echo "$out"; exit 1; }
    echo "by DNS: $(echo "$out" | grep -- '->')"
  else
    echo "dnsmasq could not listen on 127.0.0.53:53 ($(cat "$dir/dnsmasq.log")): DNS check skipped"
    dns_pid=
  fi
fi
if out=$(env -i "$chroot_bin" root /ferry doctor "https://localhost:$port/" 2>&1); then
  echo "verified a server with no CA bundle: $out"; exit 1
fi
echo "without the CA bundle: certificate verification failed as expected"
