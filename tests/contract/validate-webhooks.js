#!/usr/bin/env node
// Checks ferry's GitHub event parsing against GitHub's own webhook schemas
// (@octokit/openapi-webhooks, OpenAPI 3.1 = JSON Schema 2020-12):
//  1. every field ferry's parser reads (github-fields.tsv) exists in the schema of that event
//     with the JSON type ferry expects;
//  2. every GitHub payload in the shared corpus that ferry acts on validates against its
//     schema, except the violations listed, with their reason, in known-violations.tsv.
// Usage: validate-webhooks.js SPEC_JSON FIELDS_TSV PROJECT_ROOT
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const [specPath, fieldsPath, root] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specPath, "utf8"));
const schemas = spec.components.schemas;
const base = "https://ferry.invalid/webhooks.json";

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
for (const format of ["int64", "int32", "uri-template"]) ajv.addFormat(format, true);
ajv.addSchema({ $id: base, components: spec.components });

let failures = 0;
const fail = (message) => { failures++; console.log("FAIL " + message); };

// --- 1. fields ferry reads --------------------------------------------------------------
function deref(node) {
  while (node && node.$ref) node = schemas[node.$ref.replace("#/components/schemas/", "")];
  return node;
}
// Every schema a value at `segments` may have (following $ref, allOf/anyOf/oneOf).
function schemasAt(node, segments) {
  node = deref(node);
  if (!node) return [];
  const alternatives = [...(node.allOf || []), ...(node.anyOf || []), ...(node.oneOf || [])];
  if (alternatives.length) {
    return alternatives.flatMap((alt) => schemasAt(alt, segments)).concat(
      node.properties || node.type ? schemasAt({ ...node, allOf: undefined, anyOf: undefined, oneOf: undefined }, segments) : []);
  }
  if (segments.length === 0) return [node];
  const [head, ...rest] = segments;
  if (head === "[]") return node.items ? schemasAt(node.items, rest) : [];
  const property = node.properties && node.properties[head];
  return property ? schemasAt(property, rest) : [];
}
function typesOf(node) {
  const types = new Set();
  for (const s of [node].flat()) {
    const t = s.type;
    if (Array.isArray(t)) t.forEach((x) => types.add(x));
    else if (t) types.add(t);
    else if (s.properties) types.add("object");
    else if (s.enum) s.enum.forEach((v) => types.add(v === null ? "null" : typeof v));
  }
  return types;
}
let fieldsChecked = 0;
const fieldsRead = new Set();
for (const line of fs.readFileSync(fieldsPath, "utf8").split("\n")) {
  if (!line.trim() || line.startsWith("#")) continue;
  const [schemaName, field, expected] = line.split("\t");
  fieldsRead.add(`${schemaName}\t${field}`);
  const schema = schemas[schemaName];
  if (!schema) { fail(`${schemaName}: no such schema`); continue; }
  const found = schemasAt(schema, field.split("."));
  const types = new Set(found.flatMap((s) => [...typesOf(s)]));
  const wanted = expected.split("|");
  if (!found.length) fail(`${schemaName}: ferry reads '${field}', the schema has no such field`);
  else if (!wanted.some((t) => types.has(t) || (t === "integer" && types.has("number"))))
    fail(`${schemaName}: ferry reads '${field}' as ${expected}, the schema says ${[...types].join("|")}`);
  fieldsChecked++;
}
console.log(`fields ferry reads: ${fieldsChecked} checked against the schemas`);

// --- 2. corpus payloads ---------------------------------------------------------------------
const known = new Map();
const knownPath = path.join(path.dirname(fieldsPath), "known-violations.tsv");
for (const line of fs.readFileSync(knownPath, "utf8").split("\n")) {
  if (!line.trim() || line.startsWith("#")) continue;
  const [file, reason] = line.split("\t");
  known.set(file, reason);
}
const corpus = path.join(root, "..", "shared", "corpus", "events", "github");
// The events ferry acts on, by payload shape (as ferry's parser infers them).
function eventName(payload, dir) {
  if (dir) return dir;
  if (payload.release) return "release";
  if (payload.comment && (payload.issue || payload.pull_request)) return "issue_comment";
  if (payload.comment) return "commit_comment";
  if (payload.pull_request && payload.number !== undefined) return "pull_request";
  if (payload.ref && payload.before) return "push";
  return null;
}
function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".json") ? [path.join(dir, e.name)] : []);
}
if (!fs.existsSync(corpus)) {
  console.log(`WARN shared corpus not found at ${corpus}: payload validation skipped`);
} else {
  const acted = new Set(["release", "push", "pull_request", "issue_comment", "commit_comment", "workflow_dispatch"]);
  let valid = 0, knownBad = 0, drifted = 0;
  for (const file of walk(corpus)) {
    const relative = path.relative(corpus, file);
    const parts = relative.split(path.sep);
    const payload = JSON.parse(fs.readFileSync(file, "utf8"));
    const name = eventName(payload, parts[0] === "octokit-webhooks" ? parts[1] : null);
    if (!name || !acted.has(name)) continue;
    const schemaName = "webhook-" + name.replace(/_/g, "-") + (payload.action && name !== "push" ? "-" + payload.action : "");
    const validate = ajv.getSchema(`${base}#/components/schemas/${schemaName}`);
    if (!validate) { fail(`${relative}: no schema ${schemaName}`); continue; }
    if (validate(payload)) { valid++; if (known.has(relative)) fail(`${relative}: listed in known-violations.tsv but valid now`); continue; }
    // Schema drift: the example predates properties GitHub added and made required later
    // (e.g. release.immutable). Reported; a failure only if ferry reads a missing property.
    const drift = validate.errors.filter((e) => e.keyword === "required");
    const other = validate.errors.filter((e) => e.keyword !== "required" && e.keyword !== "if");
    for (const e of drift) {
      const field = (e.instancePath + "/" + e.params.missingProperty).replace(/\/\d+/g, "/[]").slice(1).replace(/\//g, ".");
      if (fieldsRead.has(`${schemaName}\t${field}`)) fail(`${relative}: lacks '${field}', which ferry reads`);
    }
    if (drift.length) {
      drifted++;
      console.log(`DRIFT ${relative} (${schemaName}): example lacks properties the schema now requires: ` +
        [...new Set(drift.map((e) => (e.instancePath || "") + "/" + e.params.missingProperty))].join(", "));
    }
    if (!other.length) continue;
    const errors = other.slice(0, 3).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
    if (known.has(relative)) { knownBad++; console.log(`KNOWN ${relative} (${schemaName}): ${errors} -- ${known.get(relative)}`); }
    else fail(`${relative} does not match ${schemaName}: ${errors}`);
  }
  console.log(`corpus payloads: ${valid} valid, ${drifted} with schema drift only reported above, ${knownBad} known violations`);
}
console.log(failures ? `${failures} contract failure(s)` : "contract OK");
process.exit(failures ? 1 : 0);
