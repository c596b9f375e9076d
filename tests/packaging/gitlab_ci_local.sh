#!/usr/bin/env bash
# The GitLab template for real: gitlab-ci-local (shell executor) runs the example GitLab
# project (examples/workflows/gitlab-upstream, its include pointed at this tree's template) as
# GitLab would, with the built `ferry run` against fake servers (fake-forge: GitLab upstream
# with the release and the commenter's access, Pagure dist-git on rawhide and f41, lookaside,
# Bodhi):
#   - a tag pipeline: propose_downstream opens a pull request per branch, ferry.env (the
#     dotenv report) lists them;
#   - a pipeline started through the Comments webhook (CI_PIPELINE_SOURCE=trigger, the note in
#     the TRIGGER_PAYLOAD file variable): ferry reads the note back through the API, checks the
#     commenter's access (Developer), reacts, and proposes the latest release downstream;
#   - the same with a forged payload (a note GitLab does not have): refused, the job fails;
#   - a scheduled pipeline: nothing to do for this config, ferry says so and succeeds.
# Each pipeline gets fresh dist-git and lookaside fakes.
#
# Usage: gitlab_ci_local.sh FERRY FAKE_FORGE
# The template's script is `"${FERRY_BINARY:-ferry}" run`; FERRY_BINARY points at a wrapper
# that checks it was called as `ferry run` and then runs FERRY with the same arguments.
# Exit 0 passed; 1 failed; 77 node/npm or the pinned tools are unavailable.
set -euo pipefail
ferry=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/tests/packaging/release_fakes.sh"

rc=0
modules=$("$root/scripts/packaging-tools.sh" | tail -n 1) || rc=$?
[[ $rc -eq 0 ]] || exit "$rc"
gcl=$modules/.bin/gitlab-ci-local
command -v curl >/dev/null || { echo "SKIP: curl is needed"; exit 77; }

work=$(mktemp -d)
# gitlab-ci-local leaves /tmp/gitlab-ci-local-file-variables-* behind: remove the new ones.
leftovers() { compgen -G '/tmp/gitlab-ci-local-file-variables-*' | sort || true; }
leftovers > "$work/leftovers-before"
fakes_cleanup() {
  leftovers | comm -13 "$work/leftovers-before" - | xargs -r rm -rf
  [[ -n ${FERRY_KEEP_WORK:-} ]] || rm -rf "$work"
}
fakes_init "$2" "$work"

version=1.3.0 tag=v1.3.0
upstream_token=glpat-UpstreamCanaryToken0001 dist_git_token=PAGURECANARYTOKEN00000000000001
project=$work/hello
example=$root/examples/workflows/gitlab-upstream
mkdir -p "$project"
cp "$example/.gitlab-ci.yml" "$example/.packit.yaml" "$example/hello.spec" "$project/"
cp "$root/gitlab-ci-template/ferry.gitlab-ci.yml" "$project/"
# The example includes the released template by URL; here it is this tree's.
sed -i 's#^  - remote: https://.*/gitlab-ci-template/ferry.gitlab-ci.yml$#  - local: ferry.gitlab-ci.yml#' \
  "$project/.gitlab-ci.yml"
grep -q 'local: ferry.gitlab-ci.yml' "$project/.gitlab-ci.yml" ||
  { echo "the example's include line was not found: update this test"; exit 1; }
make_upstream_checkout "$project" "$tag" "$version"
(cd "$project" && git remote add origin https://gitlab.example.com/hello-org/hello.git &&
  git update-ref refs/remotes/origin/main HEAD &&
  git symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main)
printf '%s\n' ferry.env .gitlab-ci-local/ > "$project/.git/info/exclude"

# The upstream project on fake GitLab: the release, the bot's project access token, a
# Developer who comments "/ferry propose-downstream" on issue 3 (note 5001).
note_body=$'Released.\n/ferry propose-downstream'
start_fake gitlab gitlab "{\"users\": [{\"name\": \"project_42_bot\", \"token\": \"$upstream_token\"},
                                      {\"name\": \"maintainer\", \"token\": \"unused\"}],
  \"repositories\": [{\"path\": \"hello-org/hello\", \"files\": {\"hello.spec\": $(json_file "$project/hello.spec")},
                      \"releases\": [{\"tag\": \"$tag\", \"notes\": \"* Greets in more languages\"}]}],
  \"permissions\": [{\"repository\": \"hello-org/hello\", \"user\": \"maintainer\", \"role\": \"30\"}],
  \"notes\": [{\"repository\": \"hello-org/hello\", \"kind\": \"issues\", \"iid\": 3,
               \"author\": \"maintainer\", \"body\": $(node -e 'console.log(JSON.stringify(process.argv[1]))' "$note_body"), \"id\": 5001}]}"
gitlab_server=${fake_url_gitlab%/api/v4}

cat > "$work/ferry-wrapper" <<WRAPPER
#!/bin/sh
# stands in for the image's ferry: it must be called as 'ferry run'
[ "\$1" = run ] || { echo "template called ferry with '\$*', expected 'run'" >&2; exit 1; }
echo "ferry-wrapper: FERRY_LOG_LEVEL=\$FERRY_LOG_LEVEL FERRY_COMMAND_PREFIX=\$FERRY_COMMAND_PREFIX FERRY_DRY_RUN=\$FERRY_DRY_RUN"
exec "$ferry" "\$@"
WRAPPER
chmod +x "$work/ferry-wrapper"

# note_event FILE NOTE_ID: the Comments webhook's payload for a note on issue 3.
note_event() {
  node - "$1" "$note_body" "$gitlab_server" "$2" <<'JS'
const [file, note, server, id] = process.argv.slice(2);
require('fs').writeFileSync(file, JSON.stringify({
  object_kind: 'note', event_type: 'note',
  user: {id: 7, username: 'maintainer'},
  project_id: 42,
  project: {id: 42, path_with_namespace: 'hello-org/hello', default_branch: 'main',
            web_url: `${server}/hello-org/hello`, git_http_url: `${server}/hello-org/hello.git`},
  object_attributes: {id: Number(id), note, noteable_type: 'Issue', system: false, action: 'create'},
  issue: {iid: 3, state: 'opened'}}, null, 1));
JS
}
note_event "$work/note.json" 5001
note_event "$work/forged-note.json" 5002 # a note GitLab does not have

# run_pipeline NAME ARGS...: lists the jobs the pipeline would run, then runs ferry's job with
# fresh dist-git fakes. gitlab-ci-local says GITLAB_CI=false (a local run); GitLab's runner
# says true. Its shell executor runs the script in the project folder but names /builds/…
# (where the job's image would have it) as CI_PROJECT_DIR; on GitLab both are the same folder.
# CI_SERVER_URL (and so CI_API_V4_URL) is the fake GitLab. The CI/CD variables are the ones
# docs/ci-setup.md asks for, plus the fakes' URLs.
run_pipeline() {
  local name=$1; shift
  set -- --variable GITLAB_CI=true --variable "CI_PROJECT_DIR=$project" \
    --variable "CI_SERVER_URL=$gitlab_server" \
    --ignore-predefined-vars GITLAB_CI,CI_PIPELINE_SOURCE,CI_PROJECT_DIR,CI_SERVER_URL "$@"
  (cd "$project" && "$gcl" --list-json "$@") > "$work/$name.jobs.json" 2>"$work/$name.err" ||
    { cat "$work/$name.err"; echo "$name: gitlab-ci-local --list-json failed"; return 1; }
  start_dist_git_fakes ferry-bot "$dist_git_token"
  local vars=() line
  while IFS= read -r line; do vars+=(--variable "$line"); done < <(dist_git_env)
  rm -f "$project/ferry.env"
  local rc=0
  (cd "$project" && "$gcl" --force-shell-executor --no-color --variable "FERRY_BINARY=$work/ferry-wrapper" \
     --variable "FERRY_TOKEN=$upstream_token" \
     --variable "FERRY_DIST_GIT_TOKEN=$dist_git_token" --variable FERRY_FAS_USER=ferry-bot \
     "${vars[@]}" "$@" "$job") > "$work/$name.log" 2>&1 || rc=$?
  if [[ -n ${job_fails:-} ]]; then
    [[ $rc -ne 0 ]] && grep -q "$job finished in .* FAIL $job_fails" "$work/$name.log" ||
      { cat "$work/$name.log"; echo "$name: the job did not fail with exit code $job_fails"; return 1; }
  elif [[ $rc -ne 0 ]]; then
    cat "$work/$name.log"; echo "$name: the job failed"; return 1
  fi
}

# expect NAME JOBS_CSV PATTERN...: exactly these jobs, the log matches every pattern and holds
# no token.
expect() {
  local name=$1 jobs=$2; shift 2
  local listed
  listed=$(node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1]));
    console.log(j.filter(x => x.when !== "never").map(x => x.name).sort().join(","))' "$work/$name.jobs.json")
  [[ $listed == "$jobs" ]] || { echo "$name pipeline runs jobs '$listed', expected '$jobs'"; return 1; }
  for pattern in "$@"; do
    grep -qE -- "$pattern" "$work/$name.log" ||
      { cat "$work/$name.log"; echo "$name: the job log lacks /$pattern/"; return 1; }
  done
  ! grep -qF -e "$upstream_token" -e "$dist_git_token" "$work/$name.log" ||
    { echo "$name: a token reached the job log"; return 1; }
}

# expect_pull_requests NAME: one PR per branch on fake Pagure, each in ferry.env's list, and
# gitlab-ci-local took ferry.env as the job's dotenv report.
expect_pull_requests() {
  local name=$1 urls url
  mapfile -t urls < <(pull_request_urls)
  [[ ${#urls[@]} -eq 2 ]] || { cat "$work/$name.log"; echo "$name: ${#urls[@]} pull requests, expected 2"; return 1; }
  [[ -f $project/ferry.env ]] || { echo "$name: no ferry.env in CI_PROJECT_DIR"; return 1; }
  grep -qx 'FERRY_RESULT=success' "$project/ferry.env" ||
    { cat "$project/ferry.env"; echo "$name: ferry.env lacks FERRY_RESULT=success"; return 1; }
  for url in "${urls[@]}"; do
    grep -q "^FERRY_PULL_REQUESTS=.*\"$url\"" "$project/ferry.env" ||
      { cat "$project/ferry.env"; echo "$name: ferry.env lacks $url"; return 1; }
  done
  grep -qr 'FERRY_PULL_REQUESTS=' "$project/.gitlab-ci-local/artifacts/$job" ||
    { echo "$name: gitlab-ci-local did not keep ferry.env as the job's dotenv report"; return 1; }
  pull_request_bodies | grep -q "Upstream commit: \[$(git -C "$project" rev-parse "$tag")" ||
    { pull_request_bodies; echo "$name: the pull requests do not name the tag's commit"; return 1; }
}

job=ferry-propose-downstream
run_pipeline tag --variable CI_COMMIT_TAG=$tag
expect tag build,ferry-propose-downstream \
  'ferry-wrapper: FERRY_LOG_LEVEL=info FERRY_COMMAND_PREFIX=/ferry FERRY_DRY_RUN=false' \
  'event release on hello-org/hello: 1 job\(s\) to run' 'result: success'
expect_pull_requests tag
echo "tag pipeline: jobs build,ferry-propose-downstream; ferry opened 2 pull requests, ferry.env lists them"

job=ferry-comment-command
printf 'TRIGGER_PAYLOAD: %s\n' "$work/note.json" > "$project/.gitlab-ci-local-variables.yml"
run_pipeline trigger --variable CI_PIPELINE_SOURCE=trigger
rm -f "$project/.gitlab-ci-local-variables.yml"
expect trigger ferry-comment-command 'event issue_comment on hello-org/hello: 1 job\(s\) to run' \
  'result: success'
expect_pull_requests trigger
curl -sf -H "PRIVATE-TOKEN: $upstream_token" \
  "$fake_url_gitlab/projects/hello-org%2Fhello/issues/3/notes" > "$work/notes.json"
node -e 'const n = JSON.parse(require("fs").readFileSync(process.argv[1]));
  if (n.length !== 1) { console.error(`${n.length} notes on issue 3: ferry replied (refused?)`); process.exit(1); }' \
  "$work/notes.json" || { cat "$work/notes.json"; exit 1; }
echo "trigger pipeline: job ferry-comment-command; the note was verified, 2 pull requests, ferry.env lists them"

# A payload naming a note GitLab does not have (anyone who can reach the trigger URL can send
# one): ferry reads the note back, refuses (the job fails, exit 1), replies, proposes nothing.
printf 'TRIGGER_PAYLOAD: %s\n' "$work/forged-note.json" > "$project/.gitlab-ci-local-variables.yml"
job_fails=1 run_pipeline forged --variable CI_PIPELINE_SOURCE=trigger
rm -f "$project/.gitlab-ci-local-variables.yml"
expect forged ferry-comment-command \
  'the command of comment 5002 is refused: the comment could not be found through the API' \
  'result: failure'
[[ -z $(pull_request_urls) ]] || { pull_request_urls; echo "forged: ferry opened pull requests"; exit 1; }
curl -sf -H "PRIVATE-TOKEN: $upstream_token" \
  "$fake_url_gitlab/projects/hello-org%2Fhello/issues/3/notes" | grep -q 'ferry:refused-command comment=5002' ||
  { echo "forged: no refusal reply on issue 3"; exit 1; }
echo "trigger pipeline with a forged note: refused, nothing proposed"

job=ferry-pull-from-upstream
run_pipeline schedule --variable CI_PIPELINE_SOURCE=schedule
expect schedule build,ferry-pull-from-upstream 'event schedule on hello-org/hello: 0 job\(s\) to run' \
  'result: skipped'
echo "schedule pipeline: jobs build,ferry-pull-from-upstream; ferry had nothing to do"
