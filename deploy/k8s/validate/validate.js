#!/usr/bin/env node
// Validates rendered manifests offline: each object against its Kubernetes schema (unknown fields rejected), then the
// whole file against our rolling-deploy rules (lib/rules.js). Exit 1 on any problem.
//   node validate.js [--repo <repository root>] <rendered.yaml>...
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { schemaProblems } from './lib/schema.js';
import { ruleProblems } from './lib/rules.js';
import { shutdownTimeouts } from './lib/service-config.js';

/** Problems of one rendered YAML text (the schema's per object, then the rules' over all of them). */
export function validateText(text, { shutdownTimeout }) {
  const problems = [];
  const objects = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      problems.push(...doc.errors.map((e) => `YAML: ${e.message}`));
      continue;
    }
    const o = doc.toJS();
    if (o === null || o === undefined) continue;
    objects.push(o);
    problems.push(...schemaProblems(o).map((p) => `${o.kind}/${o.metadata?.name}: ${p}`));
  }
  problems.push(...ruleProblems(objects, { shutdownTimeout }));
  return { objects, problems };
}

function main(argv) {
  let repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--repo') repo = resolve(argv[++i]);
    else files.push(argv[i]);
  }
  if (files.length === 0) {
    console.error('usage: node validate.js [--repo <root>] <rendered.yaml>...');
    return 2;
  }
  const timeouts = shutdownTimeouts(repo);
  let failed = false;
  for (const file of files) {
    const { objects, problems } = validateText(readFileSync(file, 'utf8'), { shutdownTimeout: (n) => timeouts.get(n) });
    if (problems.length > 0) {
      failed = true;
      console.error(`FAIL ${file}: ${problems.length} problem(s)`);
      for (const p of problems) console.error(`  - ${p}`);
    } else {
      const kinds = {};
      for (const o of objects) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
      const summary = Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ');
      console.log(`OK   ${file}: ${objects.length} objects (${summary}) valid against the Kubernetes schemas, no unknown fields, rules hold`);
    }
  }
  for (const [name, t] of timeouts) console.log(`     shutdown timeout ${name}: ${t.seconds}s (${t.source})`);
  return failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
