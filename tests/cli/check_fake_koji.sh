#!/usr/bin/env bash
# fake-forge --kind koji starts from a seed, prints its hub URL and answers XML-RPC as seeded:
# getLatestBuilds finds the seeded build, an unknown method is a fault, anonymous build refused.
set -euo pipefail
fake=$1
dir=$(mktemp -d)
pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
cat > "$dir/seed.json" <<'JSON'
{"users": [{"name": "packager", "principal": "packager@FEDORAPROJECT.ORG"}],
 "targets": [{"name": "f41-candidate", "build_tag": "f41-build", "dest_tag": "f41-updates-candidate"}],
 "builds": [{"nvr": "hello-1.0-1.fc41", "tag": "f41-updates"}]}
JSON
"$fake" --kind koji --seed "$dir/seed.json" --url-file "$dir/url" > "$dir/out" 2>&1 &
pid=$!
for _ in $(seq 100); do [[ -s $dir/url ]] && break; sleep 0.1; done
url=$(cat "$dir/url")
call() { curl -sf -H 'Content-Type: text/xml' --data-binary "$1" "$url"; }
call "<?xml version='1.0'?><methodCall><methodName>getLatestBuilds</methodName><params><param><value><string>f41-updates</string></value></param><param><value><struct><member><name>package</name><value><string>hello</string></value></member><member><name>__starstar</name><value><boolean>1</boolean></value></member></struct></value></param></params></methodCall>" |
  grep -q '<name>nvr</name>' || { echo "getLatestBuilds did not list the seeded build"; exit 1; }
call "<?xml version='1.0'?><methodCall><methodName>getLatestBuilds</methodName><params><param><value><string>f41-updates</string></value></param></params></methodCall>" |
  grep -q 'hello-1.0-1.fc41' || { echo "the seeded NVR is missing"; exit 1; }
call "<?xml version='1.0'?><methodCall><methodName>nope</methodName><params/></methodCall>" |
  grep -q 'Invalid method: nope' || { echo "no fault for an unknown method"; exit 1; }
call "<?xml version='1.0'?><methodCall><methodName>build</methodName><params><param><value><string>git+https://x/rpms/hello.git#0</string></value></param><param><value><string>f41-candidate</string></value></param></params></methodCall>" |
  grep -q '<int>1004</int>' || { echo "an anonymous build was not refused"; exit 1; }
kill "$pid"; wait "$pid" || true; pid=
echo "fake-forge: seeded Koji answered at $url"
