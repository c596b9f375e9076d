#!/usr/bin/env bash
# fake-forge starts from a seed (GitHub; GitLab notes; Pagure branches), prints its URL,
# answers the API as the seed says, serves the repository over git, and stops on SIGTERM.
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

# start KIND SEED_JSON: a fake-forge in the background; its URL in $url.
start() {
  rm -f "$dir/url"
  printf '%s\n' "$2" > "$dir/seed.json"
  "$fake" --kind "$1" --seed "$dir/seed.json" --url-file "$dir/url" > "$dir/out" 2>&1 &
  pid=$!
  for _ in $(seq 100); do [[ -s $dir/url ]] && break; sleep 0.1; done
  url=$(cat "$dir/url")
}
stop() { kill "$pid"; wait "$pid" || true; pid=; }

# GitLab: a note someone else wrote, with the id its webhook payload names.
start gitlab '{"users": [{"name": "ferry-bot", "token": "seed-token"}, {"name": "maintainer", "token": "m"}],
 "repositories": [{"path": "hello-org/hello", "files": {"hello.spec": "Name: hello\n"}}],
 "notes": [{"repository": "hello-org/hello", "kind": "issues", "iid": 3, "author": "maintainer",
            "body": "/ferry propose-downstream", "id": 5001}]}'
notes=$(curl -sf -H 'PRIVATE-TOKEN: seed-token' "$url/projects/hello-org%2Fhello/issues/3/notes")
[[ $notes == *'"id":5001'* && $notes == *'"username":"maintainer"'* ]] ||
  { echo "fake-forge gitlab: the seeded note is not listed: $notes"; exit 1; }
stop
echo "fake-forge: seeded GitLab lists the note 5001"

# Pagure: a package with a second branch made from the default one.
start pagure '{"users": [{"name": "ferry-bot", "token": "seed-token"}],
 "repositories": [{"path": "hello", "files": {"hello.spec": "Name: hello\n"}, "branches": ["f41"]}]}'
branches=$(git ls-remote --heads "$url/rpms/hello.git" | awk '{print $2}' | sort | tr '\n' ' ')
[[ $branches == 'refs/heads/f41 refs/heads/rawhide ' ]] ||
  { echo "fake-forge pagure: branches are '$branches', expected f41 and rawhide"; exit 1; }
stop
echo "fake-forge: seeded Pagure serves the branches f41 and rawhide"
