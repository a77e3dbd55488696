// What the rules need from a service's own configuration: its graceful-shutdown timeout (quarkus.shutdown.timeout),
// read where Quarkus reads it (the service's application.properties over the platform's microprofile-config.properties,
// %prod over the plain key), so the termination-grace rule follows the code when the timeout changes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Assumed while no configuration sets it (docs/operating/kubernetes.md "Shutdown").
export const ASSUMED_SHUTDOWN_TIMEOUT_S = 25;

export function parseProperties(text) {
  const props = new Map();
  const lines = text.replace(/\\\r?\n\s*/g, '').split(/\r?\n/);
  for (const line of lines) {
    const t = line.trim();
    if (!t || t.startsWith('#') || t.startsWith('!')) continue;
    const m = /^((?:\\.|[^=:\s])+)\s*[=:\s]\s*(.*)$/.exec(t);
    if (m) props.set(m[1].replace(/\\(.)/g, '$1'), m[2]);
  }
  return props;
}

/** Seconds of a Quarkus duration: "25s", "500ms", "2m", "PT25S", or a bare number of seconds. */
export function durationSeconds(value) {
  const v = String(value).trim();
  // an expression with a default, ${QUARKUS_SHUTDOWN_TIMEOUT:25s}: the default is what applies without the variable
  const expr = /^\$\{[^:}]+:(.*)\}$/.exec(v);
  if (expr) return durationSeconds(expr[1]);
  let m;
  if ((m = /^(\d+(?:\.\d+)?)$/.exec(v))) return Number(m[1]);
  if ((m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/i.exec(v))) {
    return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2].toLowerCase()];
  }
  if ((m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/i.exec(v))) {
    return Number(m[1] || 0) * 3600 + Number(m[2] || 0) * 60 + Number(m[3] || 0);
  }
  throw new Error(`not a duration: ${value}`);
}

function readProps(file) {
  return existsSync(file) ? parseProperties(readFileSync(file, 'utf8')) : new Map();
}

/**
 * The shutdown timeout of each service in the repository, by quarkus.application.name:
 * Map(name -> { seconds, source }).
 */
export function shutdownTimeouts(repoRoot) {
  const platform = readProps(join(repoRoot, 'platform/src/main/resources/META-INF/microprofile-config.properties'));
  const out = new Map();
  for (const dir of readdirSync(repoRoot, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const file = join(repoRoot, dir.name, 'src/main/resources/application.properties');
    if (!existsSync(file)) continue;
    const own = readProps(file);
    const name = own.get('quarkus.application.name');
    if (!name) continue;
    const candidates = [
      [own, '%prod.quarkus.shutdown.timeout', `${dir.name}/…/application.properties`],
      [own, 'quarkus.shutdown.timeout', `${dir.name}/…/application.properties`],
      [platform, '%prod.quarkus.shutdown.timeout', 'platform microprofile-config.properties'],
      [platform, 'quarkus.shutdown.timeout', 'platform microprofile-config.properties'],
    ];
    const hit = candidates.find(([props, key]) => props.has(key));
    out.set(
      name,
      hit
        ? { seconds: durationSeconds(hit[0].get(hit[1])), source: `${hit[1]} in ${hit[2]}` }
        : { seconds: ASSUMED_SHUTDOWN_TIMEOUT_S, source: 'assumed (quarkus.shutdown.timeout not set)' },
    );
  }
  return out;
}
