# The world a release travels through, for the packaging tests (sourced, bash): fake-forge
# servers for dist-git (Pagure, the package on the branches rawhide and f41), the lookaside,
# Bodhi (its recorded /releases/) and an upstream forge, plus the upstream checkout at its
# release tag and the release archive on disk (a `sources:` entry in .packit.yaml points at it
# with a file:// URL, since the spec's Source0 names github.com). The same world as
# tests/integration/release_world.hpp, from the shell.
#
#   source release_fakes.sh
#   fakes_init FAKE_FORGE WORK_DIR          (stops the fakes when the script exits)
#   start_fake NAME KIND SEED_JSON          → $fake_url_NAME
#   start_dist_git_fakes PAGURE_USER PAGURE_TOKEN  → pagure, lookaside, bodhi
#   make_upstream_checkout DIR TAG VERSION  (DIR holds the project's files; commits and tags)
#   dist_git_env                            → the FERRY_* service variables, one per line
#   pull_request_urls                       → the open PRs' URLs on fake Pagure, one per line
#   pull_request_bodies                     → their descriptions
# Needs curl, git and node.

fakes_pids=()
fakes_forge=
fakes_dir=

fakes_init() {
  fakes_forge=$(realpath "$1")
  fakes_dir=$2
  mkdir -p "$fakes_dir/fakes"
  trap 'fakes_stop' EXIT
}

fakes_stop() {
  local pid
  for pid in "${fakes_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${fakes_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fakes_pids=()
  [[ $(type -t fakes_cleanup) == function ]] && fakes_cleanup
  return 0
}

# start_fake NAME KIND SEED_JSON: starts fake-forge, waits for its URL, sets fake_url_NAME.
start_fake() {
  local name=$1 kind=$2 seed=$3 dir=$fakes_dir/fakes i
  printf '%s\n' "$seed" > "$dir/$name.json"
  rm -f "$dir/$name.url"
  "$fakes_forge" --kind "$kind" --seed "$dir/$name.json" --url-file "$dir/$name.url" \
    > "$dir/$name.log" 2>&1 &
  fakes_pids+=($!)
  for i in $(seq 200); do
    [[ -s $dir/$name.url ]] && break
    kill -0 "${fakes_pids[-1]}" 2>/dev/null || break
    sleep 0.05
  done
  [[ -s $dir/$name.url ]] ||
    { cat "$dir/$name.log"; echo "fake-forge --kind $kind ($name) did not start"; return 1; }
  printf -v "fake_url_$name" '%s' "$(head -n 1 "$dir/$name.url")"
}

# JSON string of a file's content.
json_file() { node -e 'process.stdout.write(JSON.stringify(require("fs").readFileSync(process.argv[1], "utf8")))' "$1"; }

# Pagure with rpms/hello (examples/hello-dist-git) on rawhide and f41, the lookaside, Bodhi.
start_dist_git_fakes() {
  local user=$1 token=$2 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  start_fake pagure pagure "{\"users\": [{\"name\": \"$user\", \"token\": \"$token\"}],
    \"repositories\": [{\"path\": \"hello\", \"default_branch\": \"rawhide\", \"branches\": [\"f41\"],
      \"files\": {\"hello.spec\": $(json_file "$root/examples/hello-dist-git/hello.spec"),
                  \"sources\": $(json_file "$root/examples/hello-dist-git/sources")}}]}"
  start_fake lookaside lookaside '{"packages": ["hello"]}'
  start_fake bodhi bodhi '{}'
}

# make_upstream_checkout DIR TAG VERSION: DIR (the project's files) as a git repository at its
# release tag, the archive hello-VERSION.tar.gz next to it, and .packit.yaml sending ferry to
# the archive and to the branches rawhide and f41 (the examples name Fedora's aliases).
make_upstream_checkout() {
  local dir=$1 tag=$2 version=$3 archive
  archive=$(dirname "$dir")/hello-$version.tar.gz
  node - "$dir/.packit.yaml" "$archive" "$version" <<'JS'
const fs = require('fs');
const [file, archive, version] = process.argv.slice(2);
let text = fs.readFileSync(file, 'utf8');
const lines = text.split('\n'), out = [];
let list = false, replaced = false;
for (const line of lines) {
  if (/^\s*dist_git_branches:\s*$/.test(line)) { out.push(line); list = !replaced; continue; }
  const item = /^(\s+- )/.exec(line);
  if (list && item) {
    if (!replaced) out.push(item[1] + 'rawhide', item[1] + 'f41');
    replaced = true;
    continue;
  }
  list = false;
  out.push(line);
}
if (!replaced) throw new Error(`${file}: no dist_git_branches list to rewrite`);
text = out.join('\n');
text += `\n# the test's archive (the spec's Source0 is on github.com)\nsources:\n` +
        `  - path: hello-${version}.tar.gz\n    url: file://${archive}\n`;
fs.writeFileSync(file, text);
JS
  (cd "$dir" && git init -q -b main && git add -A &&
    git -c user.name=Upstream -c user.email=upstream@example.com commit -qm "Release $version" &&
    git tag "$tag" && git archive --prefix="hello-$version/" -o "$archive" "$tag")
}

# The service variables of a run against the fakes (and a fixed date and packager).
dist_git_env() {
  printf '%s\n' "FERRY_DIST_GIT_URL=${fake_url_pagure%/}" FERRY_DIST_GIT_KIND=pagure \
    "FERRY_LOOKASIDE_URL=$fake_url_lookaside" "FERRY_BODHI_URL=${fake_url_bodhi%/}" \
    FERRY_ARCHIVE_WAIT=1,1 "RPM_PACKAGER=Ferry Bot <ferry-bot@fedoraproject.org>" \
    SOURCE_DATE_EPOCH=1763769600
}

fakes_pull_requests() {
  curl -sf "${fake_url_pagure%/}/api/0/rpms/hello/pull-requests?status=Open"
}

pull_request_urls() {
  fakes_pull_requests | node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>
    JSON.parse(t).requests.forEach(r=>console.log(r.full_url)))'
}

pull_request_bodies() {
  fakes_pull_requests | node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>
    JSON.parse(t).requests.forEach(r=>console.log(r.branch + ": " + r.initial_comment)))'
}
