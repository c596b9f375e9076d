// Writes the response templates FakeGitHub builds its answers from: GitHub's own example
// objects from its OpenAPI description, one per schema ferry's client reads. The fake overlays
// its state (numbers, titles, branches, users) on them, so its answers have every field the
// real API sends and pass Prism's response validation.
// Usage: node extract-templates.js api.github.com.json ../fixtures/api/github/templates.json
'use strict';
const fs = require('fs');

const EXAMPLES = {
  'user': 'private-user',
  'repository': 'full-repository',
  'release': 'release',
  'content-file': 'content-file-response-if-content-is-a-file',
  'pull-request': 'pull-request',
  'pull-request-simple': 'pull-request-simple-items',
  'issue': 'issue',
  'issue-comment': 'issue-comment',
  'reaction': 'reaction',
  'status': 'status',
  'collaborator-permission': 'repository-collaborator-permission-response-if-user-has-admin-permissions',
  'check-run': 'check-run-example-of-completed-conclusion',
};

// Which schema each template must satisfy (GitHub's examples lag behind their schemas: e.g.
// the full-repository example lacks the required `has_discussions`).
const SCHEMAS = {
  'user': 'private-user',
  'repository': 'full-repository',
  'release': 'release',
  'content-file': 'content-file',
  'pull-request': 'pull-request',
  'pull-request-simple': 'pull-request-simple',
  'issue': 'issue',
  'issue-comment': 'issue-comment',
  'reaction': 'reaction',
  'status': 'status',
  'collaborator-permission': 'repository-collaborator-permission',
  'check-run': 'check-run',
};

const [specPath, out] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));

function resolve(schema) {
  while (schema && schema.$ref) schema = spec.components.schemas[schema.$ref.split('/').pop()];
  if (schema && schema.allOf) {
    const merged = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf.map(resolve)) {
      Object.assign(merged.properties, part.properties || {});
      merged.required.push(...(part.required || []));
    }
    return merged;
  }
  if (schema && (schema.anyOf || schema.oneOf)) return resolve((schema.anyOf || schema.oneOf)[0]);
  return schema || {};
}

function typeOf(schema) {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  return type || (schema.properties ? 'object' : 'string');
}

// A value of the schema's type for a required property the example lacks.
function synthesize(schema) {
  schema = resolve(schema);
  if (schema.enum) return schema.enum[0];
  switch (typeOf(schema)) {
    case 'integer': case 'number': return 0;
    case 'boolean': return false;
    case 'array': return [];
    case 'object': return complete({}, schema);
    default:
      if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (schema.format === 'uri') return 'https://example.org';
      return '';
  }
}

// Adds every required property missing from `value`, recursively.
function complete(value, schema) {
  schema = resolve(schema);
  if (Array.isArray(value)) return value.map((item) => complete(item, schema.items || {}));
  if (!value || typeof value !== 'object' || typeOf(schema) !== 'object') return value;
  for (const name of schema.required || []) {
    if (!(name in value)) value[name] = synthesize((schema.properties || {})[name] || {});
  }
  for (const [name, child] of Object.entries(schema.properties || {})) {
    if (name in value && value[name] !== null) value[name] = complete(value[name], child);
  }
  return value;
}

const templates = {};
for (const [name, example] of Object.entries(EXAMPLES)) {
  const found = spec.components.examples[example];
  if (!found) throw new Error(`example not in the description: ${example}`);
  const value = Array.isArray(found.value) ? found.value[0] : found.value;
  templates[name] = complete(value, { $ref: `#/components/schemas/${SCHEMAS[name]}` });
}
fs.mkdirSync(require('path').dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(templates, null, 1) + '\n');
console.log(`wrote ${Object.keys(templates).length} templates to ${out}`);
