#!/usr/bin/env bash
# `ferry run` with exactly the environment a container action step gets (forge-ci.md §1.2,
# §2.1), for a published release, against fake servers (fake-forge: the upstream forge with
# the release, Pagure dist-git on rawhide and f41, lookaside, Bodhi): nothing inherited
# (env -i), every input of action.yml as INPUT_<NAME> with the example workflow's `with:`
# values or the input's default (`${{ github.token }}` → the run's token), the GITHUB_* variables
# and file-command paths, HOME in the runner's temp folder, and the workspace — the example
# project checked out at its release tag — owned by another user (the runner's, uid 1001) while
# ferry runs as root, as in the action's container: git refuses such a checkout until
# safe.directory names it, and the pull requests name the tag's commit only if ferry could open
# it. Once as GitHub's runner, once as Forgejo's (FORGEJO_*/GITEA_* twins, act's paths).
# Checks: exit 0, a pull request per branch, GITHUB_OUTPUT's pull_requests lists exactly them,
# result=success, the step summary's table.
# The only additions to the step's environment are the fakes' URLs (FERRY_DIST_GIT_URL, …) and
# GITHUB_API_URL pointing at the fake forge.
# Usage: action_env.sh FERRY FAKE_FORGE [FORGE...]   (FORGE: github, forgejo; default both)
# With FERRY_ACTION_IMAGE=IMAGE (GitHub only), the step runs in that image as GitHub's runner
# starts a container action: its entry point, the runner's folders mounted under /github, the
# host's network (the fakes listen on 127.0.0.1); podman's settings come from the caller
# (tests/packaging/check_image.sh). Exit 0 passed; 1 failed; 77 tools unavailable.
set -euo pipefail
image=${FERRY_ACTION_IMAGE:-}
[[ -n $image ]] || ferry=$(realpath "$1")
forges=("${@:3}")
[[ ${#forges[@]} -gt 0 ]] || forges=(github forgejo)
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/tests/packaging/release_fakes.sh"

rc=0
modules=$("$root/scripts/packaging-tools.sh" | tail -n 1) || rc=$?
[[ $rc -eq 0 ]] || exit "$rc"
command -v curl >/dev/null || { echo "SKIP: curl is needed"; exit 77; }
[[ $(id -u) -eq 0 ]] || { echo "SKIP: root is needed to give the workspace to another user"; exit 77; }
work=$(mktemp -d)
fakes_cleanup() { [[ -n ${FERRY_KEEP_WORK:-} ]] || rm -rf "$work"; }
fakes_init "$2" "$work"
version=1.3.0
token=test-workflow-token pagure_key=test-pagure-key

# A real keytab for the FEDORA_KEYTAB secret (ferry checks its format and principal).
printf 'addent -password -p packager@FEDORAPROJECT.ORG -k 1 -e aes256-cts-hmac-sha1-96\ntest-password\nwkt %s\nquit\n' \
  "$work/test.keytab" | ktutil >/dev/null 2>&1
keytab_b64=$(base64 -w0 "$work/test.keytab")
export keytab_b64

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
               'secrets.FEDORA_KEYTAB': process.env.keytab_b64, 'vars.FAS_USER': 'packager' };
const evaluate = (v) => String(v).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e) => expr[e] ?? '');
for (const [name, spec] of Object.entries(inputs)) {
  const value = name in given ? given[name] : (spec.default ?? '');
  console.log(`INPUT_${name.toUpperCase()}=${evaluate(value)}`);
}
JS
}

# The release event of FIXTURE for TAG of hello-org/hello.
release_event() {
  node - "$1" "$2" "$3" <<'JS'
const fs = require('fs');
const [fixture, tag, server] = process.argv.slice(2);
const event = JSON.parse(fs.readFileSync(fixture, 'utf8'));
Object.assign(event.release, {tag_name: tag, name: tag, body: '* Greets in more languages'});
Object.assign(event.repository, {full_name: 'hello-org/hello', name: 'hello',
  html_url: `${server}/hello-org/hello`, clone_url: `${server}/hello-org/hello.git`});
event.repository.owner = {...(event.repository.owner ?? {}), login: 'hello-org'};
console.log(JSON.stringify(event, null, 1));
JS
}

# run_step FORGE WORKFLOW FIXTURE TAG: the fakes, a step's environment, then ferry in it.
run_step() {
  local forge=$1 workflow=$2 fixture=$3 tag=$4
  local base=$work/$forge ws home event commands server inner=
  mkdir -p "$base"
  if [[ $forge == github ]]; then
    ws=$base/github/workspace home=$base/github/home event=$base/github/workflow/event.json
    commands=$base/github/file_commands server=https://github.com
    [[ -z $image ]] || inner=$base # the step sees $base/github as /github
  else
    ws=$base/workspace/hello-org/hello home=$base/root event=$base/var/run/act/workflow/event.json
    commands=$base/var/run/act/workflow server=https://forgejo.example.com
  fi
  mkdir -p "$ws" "$home" "$(dirname "$event")" "$commands"
  release_event "$fixture" "$tag" "$server" > "$event"
  cp -r "$(dirname "$(dirname "$(dirname "$workflow")")")"/. "$ws/"
  rm -rf "$ws/.github" "$ws/.forgejo"
  make_upstream_checkout "$ws" "$tag" "$version"
  touch "$commands"/{output,env,path,state,summary}
  chown -R 1001:1001 "$ws"
  # the ownership check is on: git (with the step's empty HOME) refuses the checkout
  if HOME=$home git -C "$ws" rev-parse HEAD > "$base/git-check" 2>&1 ||
     ! grep -q 'dubious ownership' "$base/git-check"; then
    cat "$base/git-check"; echo "$forge: git accepts the workspace: safe.directory is not exercised"; return 1
  fi

  local spec_path
  spec_path=$(sed -n 's/^specfile_path: *//p' "$ws/.packit.yaml")
  start_fake "$forge" "$forge" "{\"users\": [{\"name\": \"ferry-bot\", \"token\": \"$token\"}],
    \"repositories\": [{\"path\": \"hello-org/hello\", \"files\": {\"$spec_path\": $(json_file "$ws/$spec_path")},
                        \"releases\": [{\"tag\": \"$tag\", \"notes\": \"* Greets in more languages\"}]}]}"
  start_dist_git_fakes packager "$pagure_key"
  local api_var=fake_url_$forge
  local vars=(CI=true HOME="${home#"$inner"}" PATH=/usr/bin:/bin RUNNER_TEMP="${base#"$inner"}")
  local sanitizer # the test run's sanitizer settings (a dev build's suppressions)
  for sanitizer in ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; do
    [[ -z ${!sanitizer:-} || -n $image ]] || vars+=("$sanitizer=${!sanitizer}")
  done
  # GITHUB_SHA: not the tag's commit, so that only the checkout can tell ferry which it is
  local in_commands=${commands#"$inner"}
  local twins=(EVENT_NAME=release EVENT_PATH="${event#"$inner"}" WORKSPACE="${ws#"$inner"}"
               REPOSITORY=hello-org/hello REPOSITORY_OWNER=hello-org
               SHA=0123456789abcdef0123456789abcdef01234567
               REF="refs/tags/$tag" REF_NAME="$tag" REF_TYPE=tag ACTOR=maintainer RUN_ID=7 JOB=ferry
               OUTPUT="$in_commands/output" ENV="$in_commands/env" PATH="$in_commands/path"
               STATE="$in_commands/state" STEP_SUMMARY="$in_commands/summary" ACTIONS=true)
  local twin
  if [[ $forge == github ]]; then
    for twin in "${twins[@]}"; do vars+=("GITHUB_$twin"); done
    vars+=(GITHUB_API_URL="${!api_var%/}" GITHUB_SERVER_URL="$server")
  else
    for twin in "${twins[@]}" TOKEN="$token"; do vars+=("GITHUB_$twin" "FORGEJO_$twin"); done
    vars+=(GITHUB_API_URL="${!api_var%/}" GITHUB_SERVER_URL="$server" FORGEJO_ACTIONS=true GITEA_ACTIONS=true)
  fi
  mapfile -t inputs < <(input_env "$workflow")
  mapfile -t services < <(dist_git_env)
  [[ ${#inputs[@]} -ge 14 ]] || { echo "$forge: action.yml gave ${#inputs[@]} inputs"; return 1; }
  printf '%s\n' "${inputs[@]}" > "$base/inputs"
  if [[ -n $image ]]; then
    local archive=$base/github/hello-$version.tar.gz # at the path .packit.yaml names
    local envs=() var
    for var in "${vars[@]}" "${inputs[@]}" "${services[@]}"; do envs+=(-e "$var"); done
    podman run --rm --network host -v "$base/github:/github" -v "$archive:$archive:ro" \
      --workdir /github/workspace "${envs[@]}" "$image" > "$base/out" 2>&1 ||
      { cat "$base/out"; echo "$forge: the image's entry point failed in the action's environment"; return 1; }
  else
    (cd "$ws" && env -i "${vars[@]}" "${inputs[@]}" "${services[@]}" "$ferry" run) \
      > "$base/out" 2>&1 || { cat "$base/out"; echo "$forge: ferry run failed in the action's environment"; return 1; }
  fi
  expect_results "$forge" "$ws" "$tag" "$commands"
}

# expect_results FORGE WORKSPACE TAG COMMANDS_DIR: the pull requests, outputs and summary.
expect_results() {
  local forge=$1 ws=$2 tag=$3 commands=$4 commit
  pull_request_urls > "$work/$forge/prs"
  [[ $(wc -l < "$work/$forge/prs") -eq 2 ]] ||
    { cat "$work/$forge/out"; echo "$forge: $(wc -l < "$work/$forge/prs") pull requests, expected 2"; return 1; }
  node - "$commands/output" "$work/$forge/prs" <<'JS' || { cat "$commands/output"; echo "$forge: GITHUB_OUTPUT is wrong"; return 1; }
const fs = require('fs');
const [outputFile, prsFile] = process.argv.slice(2);
const lines = fs.readFileSync(outputFile, 'utf8').split('\n'), outputs = {};
for (let i = 0; i < lines.length; i++) {
  const heredoc = /^([A-Za-z_]+)<<(.+)$/.exec(lines[i]);
  if (!heredoc) continue;
  const end = lines.indexOf(heredoc[2], i + 1);
  if (end < 0) throw new Error(`${heredoc[1]}: no closing delimiter`);
  outputs[heredoc[1]] = lines.slice(i + 1, end).join('\n');
  i = end;
}
const expected = fs.readFileSync(prsFile, 'utf8').trim().split('\n').sort();
const listed = JSON.parse(outputs.pull_requests ?? 'null');
if (JSON.stringify([...(listed ?? [])].sort()) !== JSON.stringify(expected))
  throw new Error(`pull_requests is ${outputs.pull_requests}, expected ${JSON.stringify(expected)}`);
if (outputs.result !== 'success') throw new Error(`result is ${outputs.result}`);
for (const key of ['builds', 'updates', 'skipped'])
  if (!(key in outputs)) throw new Error(`no ${key} output`);
JS
  local row
  for row in '| `rawhide` | success (pull_request_opened) |' '| `f41` | success (pull_request_opened) |'; do
    grep -qF -- "$row" "$commands/summary" ||
      { cat "$commands/summary"; echo "$forge: the step summary lacks '$row'"; return 1; }
  done
  commit=$(git -c safe.directory="$ws" -C "$ws" rev-parse "$tag^{commit}")
  [[ $(pull_request_bodies | grep -c "Upstream commit: \[$commit") -eq 2 ]] ||
    { pull_request_bodies; echo "$forge: the pull requests do not name the tag's commit $commit:" \
        "ferry could not open the workspace (safe.directory)"; return 1; }
  # (ferry's `::add-mask::` lines are the only place a secret may appear: they tell the runner)
  for secret in "$token" "$pagure_key"; do
    ! grep -v '^::add-mask::' "$work/$forge/out" | cat - "$commands/output" "$commands/summary" |
      grep -qF -- "$secret" || { echo "$forge: a token reached the log or the outputs"; return 1; }
  done
}

# expect_inputs FORGE PATTERN...: the inputs ferry got match every pattern.
expect_inputs() {
  local forge=$1; shift
  for pattern in "$@"; do
    grep -qE -- "$pattern" "$work/$forge/inputs" || { echo "$forge: the inputs lack /$pattern/"; return 1; }
  done
}

events=$root/tests/fixtures/events
runner=${image:+the image $image}
for forge in "${forges[@]}"; do
  case $forge in
    github)
      run_step github "$root/examples/workflows/github-upstream/.github/workflows/ferry.yml" \
        "$events/github/release_published.json" v1.3.0
      expect_inputs github '^INPUT_TOKEN=test-workflow-token$' '^INPUT_DIST_GIT_TOKEN=test-pagure-key$' \
        '^INPUT_COMMAND_PREFIX=/ferry$' '^INPUT_DRY_RUN=false$' ;;
    forgejo)
      [[ -z $image ]] || { echo "FERRY_ACTION_IMAGE: only GitHub's container layout is modelled"; exit 1; }
      run_step forgejo "$root/examples/workflows/forgejo-upstream/.forgejo/workflows/ferry.yml" \
        "$events/forgejo/release_published.json" 1.3.0
      expect_inputs forgejo '^INPUT_TOKEN=test-workflow-token$' '^INPUT_FAS_USER=packager$' ;;
    *) echo "unknown forge $forge"; exit 2 ;;
  esac
  echo "$forge action environment: ${runner:-ferry run} opened 2 pull requests from the" \
       "workspace another user owns; outputs and summary written"
done
