#!/usr/bin/env bash
# fake-forge starts from a seed, prints its URL, answers the API as the seed says, serves the
# repository over git, and stops on SIGTERM.
set -euo pipefail
fake=$1
dir=$(mktemp -d)
pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
cat > "$dir/seed.json" <<'JSON'
{"users": [{"name": "ferry-bot", "token": "seed-token"}],
 "repositories": [{"path": "hello-org/hello", "files": {"hello.spec": "Name: hello\n"},
                   "releases": [{"tag": "v1.0", "notes": "first"}]}]}
JSON
"$fake" --kind github --seed "$dir/seed.json" --url-file "$dir/url" > "$dir/out" 2>&1 &
pid=$!
for _ in $(seq 100); do [[ -s $dir/url ]] && break; sleep 0.1; done
url=$(cat "$dir/url")
curl -sf -H 'Authorization: Bearer seed-token' "$url/repos/hello-org/hello/releases/tags/v1.0" | grep -q '"body":"first"'
clone=$(curl -sf -H 'Authorization: Bearer seed-token' "$url/repos/hello-org/hello" | grep -o '"clone_url":"[^"]*"' | head -1 | cut -d'"' -f4)
git clone -q "$clone" "$dir/clone"
grep -q 'Name: hello' "$dir/clone/hello.spec"
kill "$pid"; wait "$pid" || true; pid=
echo "fake-forge: seeded GitHub answered and served git at $url"
