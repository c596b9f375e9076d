// Reduces GitHub's OpenAPI description (api.github.com.json from @octokit/openapi) to the
// paths ferry calls plus every component they reference, so Prism starts in ~1 s instead of
// ~17 s. Usage: node reduce-spec.js FULL.json OUT.json
'use strict';
const fs = require('fs');

// Every GitHub endpoint ferry's GitHub client calls (runner/clients/forge/github/).
const PATHS = [
  '/user',
  '/repos/{owner}/{repo}',
  '/repos/{owner}/{repo}/releases/tags/{tag}',
  '/repos/{owner}/{repo}/releases/latest',
  '/repos/{owner}/{repo}/check-runs',
  '/repos/{owner}/{repo}/contents/{path}',
  '/repos/{owner}/{repo}/forks',
  '/repos/{owner}/{repo}/pulls',
  '/repos/{owner}/{repo}/pulls/{pull_number}',
  '/repos/{owner}/{repo}/issues',
  '/repos/{owner}/{repo}/issues/{issue_number}/comments',
  '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
  '/repos/{owner}/{repo}/statuses/{sha}',
  '/repos/{owner}/{repo}/collaborators/{username}/permission',
];

const [full, out] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(full, 'utf8'));
const reduced = { ...spec, paths: {}, components: {} };
delete reduced['x-webhooks']; // their schemas are not kept
delete reduced.webhooks;
for (const path of PATHS) {
  if (!spec.paths[path]) throw new Error(`path not in the description: ${path}`);
  reduced.paths[path] = spec.paths[path];
}

// Copy every component reachable through $ref from what is kept.
const pending = [reduced.paths];
const seen = new Set();
while (pending.length) {
  const node = pending.pop();
  if (Array.isArray(node)) { node.forEach((item) => pending.push(item)); continue; }
  if (!node || typeof node !== 'object') continue;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/')) {
      if (seen.has(value)) continue;
      seen.add(value);
      const [, , kind, name] = value.split('/');
      reduced.components[kind] = reduced.components[kind] || {};
      reduced.components[kind][name] = spec.components[kind][name];
      pending.push(spec.components[kind][name]);
    } else {
      pending.push(value);
    }
  }
}
fs.writeFileSync(out, JSON.stringify(reduced));
console.log(`reduced to ${PATHS.length} paths and ${seen.size} components`);
