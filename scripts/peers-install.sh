#!/usr/bin/env bash
# Makes sure the real servers of ../shared/peers can start: starts and stops Pagure and the
# lookaside once in a scratch state directory, which installs their Debian packages when they
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
trap '"$peers/bin/peer" stop --state "$state/s" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
echo "== the real servers: Pagure and the lookaside (installs Debian packages on first use)"
"$peers/bin/peer" start pagure --state "$state/s" >/dev/null
"$peers/bin/peer" start lookaside --state "$state/s" >/dev/null
