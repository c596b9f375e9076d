#!/usr/bin/env bash
# ferry with exactly the environment a container action step gets (forge-ci.md §1.2, §2.1):
# nothing inherited (env -i), every input of action.yml as INPUT_<NAME> with the example
# workflow's `with:` values or the input's default (`${{ github.token }}` → the run's token),
# the GITHUB_* variables and file-command paths, HOME in the runner's temp folder, and the
# workspace owned by another user (as the runner's checkout is, seen from the container's
# root). Once as GitHub's runner, once as Forgejo's (FORGEJO_*/GITEA_* twins, act's paths).
# Usage: action_env.sh FERRY RELEASES_JSON. Exit 0 passed; 1 failed; 77 tools unavailable.
set -euo pipefail
ferry=$(realpath "$1")
releases=$(realpath "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)

# What the action's entry point runs. Until `ferry run` exists, `plan` on the same environment
# (it finds the event, workspace and config as `run` does); then: (run).
FERRY_UNDER_TEST=(plan --releases-file "$releases")

rc=0
modules=$("$root/scripts/packaging-tools.sh" | tail -n 1) || rc=$?
[[ $rc -eq 0 ]] || exit "$rc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# INPUT_* lines for the ferry step of WORKFLOW, as the runner computes them.
input_env() {
  NODE_PATH=$modules node - "$root/action.yml" "$1" <<'JS'
const fs = require('fs'), yaml = require('js-yaml');
const [actionFile, workflowFile] = process.argv.slice(2);
const inputs = yaml.load(fs.readFileSync(actionFile, 'utf8')).inputs;
const workflow = yaml.load(fs.readFileSync(workflowFile, 'utf8'));
const step = Object.values(workflow.jobs).flatMap((j) => j.steps || [])
  .find((s) => /ferry-bot\/ferry@/.test(s.uses || ''));
const given = (step && step.with) || {};
const expr = { 'github.token': 'test-workflow-token', 'secrets.PAGURE_TOKEN': 'test-pagure-key',
               'secrets.FEDORA_KEYTAB': 'dGVzdC1rZXl0YWI=', 'vars.FAS_USER': 'packager' };
const evaluate = (v) => String(v).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e) => expr[e] ?? '');
for (const [name, spec] of Object.entries(inputs)) {
  const value = name in given ? given[name] : (spec.default ?? '');
  console.log(`INPUT_${name.toUpperCase()}=${evaluate(value)}`);
}
JS
}

# run_step FORGE WORKFLOW EVENT_NAME EVENT_FILE: a step's environment, then ferry in it.
run_step() {
  local forge=$1 workflow=$2 event_name=$3 event_file=$4
  local base=$work/$forge ws home event commands
  mkdir -p "$base"
  if [[ $forge == github ]]; then
    ws=$base/github/workspace home=$base/github/home event=$base/github/workflow/event.json
    commands=$base/github/file_commands
  else
    ws=$base/workspace/hello-org/hello home=$base/root event=$base/var/run/act/workflow/event.json
    commands=$base/var/run/act/workflow
  fi
  mkdir -p "$ws" "$home" "$(dirname "$event")" "$commands"
  cp "$event_file" "$event"
  cp -r "$(dirname "$(dirname "$(dirname "$workflow")")")"/. "$ws/"
  rm -rf "$ws/.github" "$ws/.forgejo"
  touch "$commands"/{output,env,path,state,summary}
  chown -R 1001:1001 "$ws"
  local vars=(CI=true HOME="$home" PATH=/usr/bin:/bin RUNNER_TEMP="$base")
  local twins=(EVENT_NAME="$event_name" EVENT_PATH="$event" WORKSPACE="$ws" REPOSITORY=hello-org/hello
               REPOSITORY_OWNER=hello-org SHA=0123456789abcdef0123456789abcdef01234567
               REF=refs/tags/v1.0 REF_NAME=v1.0 REF_TYPE=tag ACTOR=maintainer RUN_ID=7 JOB=ferry
               OUTPUT="$commands/output" ENV="$commands/env" PATH="$commands/path" STATE="$commands/state"
               STEP_SUMMARY="$commands/summary" ACTIONS=true)
  local twin
  if [[ $forge == github ]]; then
    for twin in "${twins[@]}"; do vars+=("GITHUB_$twin"); done
    vars+=(GITHUB_API_URL=https://api.github.com GITHUB_SERVER_URL=https://github.com)
  else
    for twin in "${twins[@]}" TOKEN=test-workflow-token; do vars+=("GITHUB_$twin" "FORGEJO_$twin"); done
    vars+=(GITHUB_API_URL=https://forgejo.example.com/api/v1 GITHUB_SERVER_URL=https://forgejo.example.com
           FORGEJO_ACTIONS=true GITEA_ACTIONS=true)
  fi
  mapfile -t inputs < <(input_env "$workflow")
  [[ ${#inputs[@]} -ge 14 ]] || { echo "$forge: action.yml gave ${#inputs[@]} inputs"; return 1; }
  (cd "$ws" && env -i "${vars[@]}" "${inputs[@]}" "$ferry" "${FERRY_UNDER_TEST[@]}") \
    > "$base/out" 2>&1 || { cat "$base/out"; echo "$forge: ferry failed in the action's environment"; return 1; }
  printf '%s\n' "${inputs[@]}" > "$base/inputs"
}

# expect FORGE PATTERN...: ferry's output (and the inputs it got) match every pattern.
expect() {
  local forge=$1; shift
  for pattern in "$@"; do
    grep -qE -- "$pattern" "$work/$forge/out" "$work/$forge/inputs" ||
      { cat "$work/$forge/out"; echo "$forge: lacks /$pattern/"; return 1; }
  done
  echo "$forge action environment: ferry read the event, the workspace and the inputs"
}

events=$root/tests/fixtures/events
run_step github "$root/examples/workflows/github-upstream/.github/workflows/ferry.yml" release \
  "$events/github/release_published.json"
expect github '"forge": "github"' '"kind": "release"' '"job": "propose_downstream"' \
  '^INPUT_TOKEN=test-workflow-token$' '^INPUT_DIST_GIT_TOKEN=test-pagure-key$' '^INPUT_COMMAND_PREFIX=/ferry$' \
  '^INPUT_DRY_RUN=false$'
run_step forgejo "$root/examples/workflows/forgejo-upstream/.forgejo/workflows/ferry.yml" release \
  "$events/forgejo/release_published.json"
expect forgejo '"forge": "forgejo"' '"kind": "release"' '"job": "propose_downstream"' \
  '^INPUT_TOKEN=test-workflow-token$' '^INPUT_FAS_USER=packager$'
