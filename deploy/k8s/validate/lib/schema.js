// Schema validation of one Kubernetes object, offline, with the schemas of the npm package kubernetes-models
// (generated from the Kubernetes OpenAPI spec). Its validators accept fields the schema does not know, which the API
// server rejects or silently drops (a misspelt "readinessProbes" would simply never run): unknownFields() walks the same
// models' type declarations and reports every field they do not declare.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const modelsRoot = dirname(require.resolve('kubernetes-models/package.json'));
const machineryRoot = dirname(require.resolve('@kubernetes-models/apimachinery/package.json'));

// "apps/v1" -> kubernetes-models/apps/v1; "v1" (the core group) -> kubernetes-models/v1
function modelFile(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z0-9]+$/.test(kind)) return null;
  const file = join(modelsRoot, ...apiVersion.split('/'), kind);
  return existsSync(`${file}.js`) && existsSync(`${file}.d.ts`) ? file : null;
}

/** Problems of one object against its Kubernetes schema: [] when valid. */
export function schemaProblems(obj) {
  const file = modelFile(obj?.apiVersion, obj?.kind);
  if (!file) return [`no Kubernetes schema for apiVersion ${obj?.apiVersion} kind ${obj?.kind}`];
  const Model = require(file)[obj.kind];
  const problems = [];
  try {
    new Model(obj).validate();
  } catch (e) {
    const details = Array.isArray(e.errors)
      ? e.errors.map((d) => `${d.instancePath || '/'} ${d.message}`)
      : [e.message];
    problems.push(...details.map((d) => `schema: ${d}`));
  }
  problems.push(...unknownFields(obj, `${file}.d.ts`).map((p) => `unknown field ${p}`));
  return problems;
}

// --- the declared fields of every model, read from kubernetes-models' .d.ts files ---------------------------------------

const interfaces = new Map(); // .d.ts path -> { props: Map(name -> type), imports: Map(alias -> .d.ts path) }

function resolveImport(fromFile, spec) {
  if (spec.startsWith('.')) return join(dirname(fromFile), `${spec}.d.ts`);
  if (spec.startsWith('@kubernetes-models/apimachinery/')) {
    return join(machineryRoot, `${spec.slice('@kubernetes-models/apimachinery/'.length)}.d.ts`);
  }
  return null;
}

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

// the first `export interface I... { ... }` of a model's .d.ts: its properties and the types they name
function declaration(file) {
  if (interfaces.has(file)) return interfaces.get(file);
  const text = stripComments(readFileSync(file, 'utf8'));
  const imports = new Map();
  for (const m of text.matchAll(/import \{([^}]*)\} from "([^"]+)"/g)) {
    const target = resolveImport(file, m[2]);
    if (target) for (const name of m[1].split(',').map((s) => s.trim()).filter(Boolean)) imports.set(name, target);
  }
  const props = new Map();
  const start = text.search(/export interface \w+[^{]*\{/);
  if (start >= 0) {
    let i = text.indexOf('{', start) + 1;
    let depth = 1;
    const body = [];
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '{') depth++;
      if (text[i] === '}') depth--;
      if (depth > 0) body.push(text[i]);
    }
    const src = body.join('');
    for (const m of src.matchAll(/"([^"]+)"\??:\s*/g)) {
      // the type runs to the ";" that closes it at nesting depth 0
      let j = m.index + m[0].length;
      let d = 0;
      const from = j;
      for (; j < src.length; j++) {
        const c = src[j];
        if (c === '{' || c === '<' || c === '(') d++;
        else if (c === '}' || c === '>' || c === ')') d--;
        else if (c === ';' && d === 0) break;
      }
      if (!props.has(m[1])) props.set(m[1], src.slice(from, j).trim());
    }
  }
  const decl = { props, imports, file };
  interfaces.set(file, decl);
  return decl;
}

function walk(value, type, decl, path, out) {
  if (value === null || value === undefined) return;
  type = type.trim();
  const array = /^Array<([\s\S]*)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, array[1], decl, `${path}[${i}]`, out));
    return;
  }
  const map = /^\{\s*\[key: string\]:\s*([\s\S]*?);?\s*\}$/.exec(type);
  if (map) {
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, map[1], decl, `${path}.${k}`, out);
    }
    return;
  }
  const target = decl.imports.get(type);
  if (target && typeof value === 'object' && !Array.isArray(value)) checkObject(value, declaration(target), path, out);
}

function checkObject(value, decl, path, out) {
  if (decl.props.size === 0) return; // an alias (IntOrString, Quantity, Time, RawExtension...): no fields to check
  for (const [key, v] of Object.entries(value)) {
    const type = decl.props.get(key);
    if (type === undefined) out.push(path ? `${path}.${key}` : key);
    else walk(v, type, decl, path ? `${path}.${key}` : key, out);
  }
}

/** Paths of the fields of obj that its model (the .d.ts at file) does not declare. */
export function unknownFields(obj, file) {
  const out = [];
  checkObject(obj, declaration(file), '', out);
  return out;
}
