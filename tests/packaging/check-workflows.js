// What @action-validator/cli does not check in ferry's workflows (tests/packaging):
//   - activity types under `on:` are ones the event has (release: published, …);
//   - every step that uses ferry's action passes only inputs action.yml declares;
//   - ferry's steps name the action at the project's exact version (…/ferry@v<VERSION>).
// Usage: node check-workflows.js ACTION_YML VERSION WORKFLOW.yml... (NODE_PATH: js-yaml)
// Prints one line per problem (file: what) and exits 1 when there is any.
'use strict';
const fs = require('fs');
const yaml = require('js-yaml');

// Activity types of the events ferry's workflows use (GitHub's "Events that trigger workflows";
// Forgejo accepts the same names).
const ACTIVITY_TYPES = {
  release: ['published', 'unpublished', 'created', 'edited', 'deleted', 'prereleased', 'released'],
  issue_comment: ['created', 'edited', 'deleted'],
  issues: ['opened', 'edited', 'deleted', 'transferred', 'pinned', 'unpinned', 'closed',
           'reopened', 'assigned', 'unassigned', 'labeled', 'unlabeled', 'locked', 'unlocked',
           'milestoned', 'demilestoned', 'typed', 'untyped'],
  pull_request: ['assigned', 'unassigned', 'labeled', 'unlabeled', 'opened', 'edited', 'closed',
                 'reopened', 'synchronize', 'converted_to_draft', 'ready_for_review', 'locked',
                 'unlocked', 'review_requested', 'review_request_removed', 'auto_merge_enabled',
                 'auto_merge_disabled', 'milestoned', 'demilestoned', 'enqueued', 'dequeued'],
};
const FERRY_ACTION = /(^|\/)ferry-bot\/ferry@(.+)$/;

function load(file) {
  return yaml.load(fs.readFileSync(file, 'utf8'));
}

function checkTriggers(file, workflow, problems) {
  const on = workflow.on;
  if (on === null || typeof on !== 'object' || Array.isArray(on)) return;
  for (const [event, filter] of Object.entries(on)) {
    const known = ACTIVITY_TYPES[event];
    if (!known || !filter || !filter.types) continue;
    for (const type of [].concat(filter.types)) {
      if (!known.includes(type)) {
        problems.push(`${file}: on.${event}.types: '${type}' is not an activity type of ${event}`);
      }
    }
  }
}

function checkFerrySteps(file, workflow, inputs, version, problems) {
  let found = 0;
  for (const [jobName, job] of Object.entries(workflow.jobs || {})) {
    for (const [index, step] of (job.steps || []).entries()) {
      const match = typeof step.uses === 'string' && step.uses.match(FERRY_ACTION);
      if (!match) continue;
      found += 1;
      const where = `${file}: jobs.${jobName}.steps[${index}]`;
      if (match[2] !== `v${version}`) {
        problems.push(`${where}: uses ferry@${match[2]}, expected ferry@v${version}`);
      }
      for (const key of Object.keys(step.with || {})) {
        if (!inputs.includes(key)) {
          problems.push(`${where}.with.${key}: not an input of action.yml (${inputs.join(', ')})`);
        }
      }
    }
  }
  return found;
}

function main() {
  const [actionFile, version, ...workflows] = process.argv.slice(2);
  const inputs = Object.keys(load(actionFile).inputs || {});
  const problems = [];
  let ferrySteps = 0;
  for (const file of workflows) {
    const workflow = load(file);
    checkTriggers(file, workflow, problems);
    ferrySteps += checkFerrySteps(file, workflow, inputs, version, problems);
  }
  problems.forEach((line) => console.log(line));
  console.log(`${workflows.length} workflows, ${ferrySteps} ferry steps, ${problems.length} problems`);
  process.exit(problems.length === 0 ? 0 : 1);
}

main();
