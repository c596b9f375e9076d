#!/usr/bin/env bash
# Makes sure the real servers of ../shared/peers can start: starts and stops Pagure, the
# lookaside, the Koji hub and Bodhi once in a scratch state directory, which installs their Debian packages when they
# are missing (bin/peer does that itself; log under the state dir). Fails, naming what is
# missing, when ../shared/peers is not there: the peers tests would fail anyway.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=${FERRY_PEERS_DIR:-$root/../shared/peers}
if [[ ! -x $peers/bin/peer ]]; then
  echo "peers-install: $peers/bin/peer is missing: the real-server tests need ../shared/peers" >&2
  exit 1
fi
state=$(mktemp -d /tmp/ferry-peers-install.XXXXXX)
stop_all() {
  "$peers/bin/peer" stop --state "$state/s" >/dev/null 2>&1 || true
  "$peers/bin/peer-koji" stop --state "$state/k" >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap stop_all EXIT
echo "== the real servers: Pagure and the lookaside (installs Debian packages on first use)"
"$peers/bin/peer" start pagure --state "$state/s" >/dev/null
"$peers/bin/peer" start lookaside --state "$state/s" >/dev/null
echo "== the real servers: the Koji hub and Bodhi (installs Debian packages on first use)"
"$peers/bin/peer-koji" start koji --state "$state/k" >/dev/null
"$peers/bin/peer-koji" start bodhi --state "$state/k" >/dev/null
