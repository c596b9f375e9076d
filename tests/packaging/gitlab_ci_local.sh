#!/usr/bin/env bash
# The GitLab template for real: gitlab-ci-local (shell executor) runs the example GitLab
# project (examples/workflows/gitlab-upstream, its include pointed at this tree's template) as
# GitLab would for three pipelines — a tag pipeline, a pipeline started through the Comments
# webhook (CI_PIPELINE_SOURCE=trigger, the note in the TRIGGER_PAYLOAD file variable) and a
# scheduled one — and checks which jobs each runs and that ferry ran in them on that event.
#
# Usage: gitlab_ci_local.sh FERRY RELEASES_JSON
# The template's script is `"${FERRY_BINARY:-ferry}" run`; FERRY_BINARY points at a wrapper
# that checks it was called as `ferry run` and then runs FERRY with FERRY_UNDER_TEST below.
# Exit 0 passed; 1 failed; 77 node/npm or the pinned tools are unavailable.
set -euo pipefail
ferry=$(realpath "$1")
releases=$(realpath "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)

# What the template's `ferry run` executes. Until `ferry run` exists this is `ferry plan` on
# the same CI environment (it reads the event exactly as `run` does); then: (run).
FERRY_UNDER_TEST=(plan --releases-file "$releases")

rc=0
modules=$("$root/scripts/packaging-tools.sh" | tail -n 1) || rc=$?
[[ $rc -eq 0 ]] || exit "$rc"
gcl=$modules/.bin/gitlab-ci-local

work=$(mktemp -d)
# gitlab-ci-local leaves /tmp/gitlab-ci-local-file-variables-* behind: remove the new ones.
leftovers() { compgen -G '/tmp/gitlab-ci-local-file-variables-*' | sort || true; }
leftovers > "$work/leftovers-before"
cleanup() {
  leftovers | comm -13 "$work/leftovers-before" - | xargs -r rm -rf
  [[ -n ${FERRY_KEEP_WORK:-} ]] || rm -rf "$work"
}
trap cleanup EXIT
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

cat > "$work/ferry-wrapper" <<EOF
#!/bin/sh
# stands in for the image's ferry: it must be called as 'ferry run'
[ "\$1" = run ] || { echo "template called ferry with '\$*', expected 'run'" >&2; exit 1; }
echo "ferry-wrapper: FERRY_LOG_LEVEL=\$FERRY_LOG_LEVEL FERRY_COMMAND_PREFIX=\$FERRY_COMMAND_PREFIX FERRY_DRY_RUN=\$FERRY_DRY_RUN"
exec "$ferry" $(printf '%q ' "${FERRY_UNDER_TEST[@]}")
EOF
chmod +x "$work/ferry-wrapper"

cat > "$work/note.json" <<'JSON'
{"object_kind": "note", "event_type": "note",
 "user": {"id": 7, "username": "maintainer"},
 "project_id": 42,
 "project": {"id": 42, "path_with_namespace": "hello-org/hello", "default_branch": "main",
             "web_url": "https://gitlab.example.com/hello-org/hello",
             "git_http_url": "https://gitlab.example.com/hello-org/hello.git"},
 "object_attributes": {"id": 5001, "note": "Released.\n/ferry propose-downstream", "noteable_type": "Issue",
                       "system": false, "action": "create"},
 "issue": {"iid": 3, "state": "opened"}}
JSON

(cd "$project" && git init -q -b main && git remote add origin https://gitlab.example.com/hello-org/hello.git &&
  git add -A && git -c user.name=t -c user.email=t@example.com commit -qm init &&
  git update-ref refs/remotes/origin/main HEAD &&
  git symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main)

# run_pipeline NAME ARGS...: lists the jobs the pipeline would run, then runs ferry's job.
# gitlab-ci-local says GITLAB_CI=false (a local run); GitLab's runner says true.
run_pipeline() {
  local name=$1; shift
  set -- --variable GITLAB_CI=true --ignore-predefined-vars GITLAB_CI,CI_PIPELINE_SOURCE "$@"
  (cd "$project" && "$gcl" --list-json "$@") > "$work/$name.jobs.json" 2>"$work/$name.err" ||
    { cat "$work/$name.err"; echo "$name: gitlab-ci-local --list-json failed"; return 1; }
  (cd "$project" && "$gcl" --force-shell-executor --no-color --variable "FERRY_BINARY=$work/ferry-wrapper" \
     "$@" "$job") > "$work/$name.log" 2>&1 || { cat "$work/$name.log"; echo "$name: the job failed"; return 1; }
}

# expect NAME JOBS_CSV PATTERN...: exactly these jobs, and the log matches every pattern.
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
  echo "$name pipeline: jobs $listed; ferry's job passed"
}

job=ferry-propose-downstream
run_pipeline tag --variable CI_COMMIT_TAG=v1.0.0
expect tag build,ferry-propose-downstream \
  'ferry-wrapper: FERRY_LOG_LEVEL=info FERRY_COMMAND_PREFIX=/ferry FERRY_DRY_RUN=false' \
  '"kind": "release"' '"job": "propose_downstream"' '"skipped": \[\]'

job=ferry-comment-command
printf 'TRIGGER_PAYLOAD: %s\n' "$work/note.json" > "$project/.gitlab-ci-local-variables.yml"
run_pipeline trigger --variable CI_PIPELINE_SOURCE=trigger
expect trigger ferry-comment-command '"kind": "issue_comment"' '"name": "propose-downstream"' \
  '"job": "propose_downstream"' '"skipped": \[\]'
rm -f "$project/.gitlab-ci-local-variables.yml"

job=ferry-pull-from-upstream
run_pipeline schedule --variable CI_PIPELINE_SOURCE=schedule
expect schedule build,ferry-pull-from-upstream '"kind": "schedule"'
