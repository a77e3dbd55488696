// Our own rules for zero-downtime rolling deploys, over every object of one rendered overlay. Each problem names the
// object it is about. The schema says what Kubernetes accepts; these say what we accept.
import { durationSeconds } from './service-config.js';

const HEALTH = { readinessProbe: '/q/health/ready', livenessProbe: '/q/health/live', startupProbe: '/q/health/started' };
const VERSION_LABEL = 'app.kubernetes.io/version';

const id = (o) => `${o.kind}/${o.metadata?.name}`;

// an IntOrString the API server accepts: an integer, or a percentage string ("0" as a string is refused)
function intOrPercent(v) {
  if (Number.isInteger(v)) return { ok: true, int: v };
  if (typeof v === 'string' && /^\d+%$/.test(v)) return { ok: true, percent: Number(v.slice(0, -1)) };
  return { ok: false };
}

const selects = (selector, labels) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

// Kubernetes quantities to numbers (cpu in cores, memory in bytes), to compare requests with limits
export function quantity(q) {
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(q));
  if (!m) return NaN;
  const f = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  return Number(m[1]) * (m[2] ? f[m[2]] : 1);
}

function preStopSeconds(container) {
  const h = container.lifecycle?.preStop;
  if (!h) return null;
  if (Number.isInteger(h.sleep?.seconds)) return h.sleep.seconds;
  const cmd = h.exec?.command;
  if (Array.isArray(cmd) && cmd.length === 2 && /(^|\/)sleep$/.test(cmd[0]) && /^\d+$/.test(cmd[1])) return Number(cmd[1]);
  return null;
}

// the value an env var gets in this container: its own env first, then envFrom ConfigMaps of the render
function envValue(container, name, configMaps) {
  const own = (container.env ?? []).find((e) => e.name === name);
  if (own) return own.value ?? null;
  for (const src of container.envFrom ?? []) {
    const data = src.configMapRef && configMaps.get(src.configMapRef.name)?.data;
    if (data && name in data) return data[name];
  }
  return undefined;
}

/**
 * Problems of a rendered set of objects against our rules.
 * shutdownTimeout(appName) -> { seconds, source } | undefined: the service's configured graceful-shutdown timeout.
 */
export function ruleProblems(objects, { shutdownTimeout }) {
  const problems = [];
  const report = (o, msg) => problems.push(`${id(o)}: ${msg}`);
  const byKind = (k) => objects.filter((o) => o.kind === k);
  const configMaps = new Map(byKind('ConfigMap').map((c) => [c.metadata?.name, c]));

  for (const o of objects) {
    if (['Job', 'CronJob', 'Pod', 'ReplicaSet'].includes(o.kind)) {
      report(o, 'not allowed: services migrate with Flyway at start and run as Deployments only');
    }
    if (o.kind === 'Service' && o.spec?.selector && VERSION_LABEL in o.spec.selector) {
      report(o, `selector has ${VERSION_LABEL}: during a rollout it would drop the old pods before the new are ready`);
    }
  }

  for (const d of byKind('Deployment')) {
    const spec = d.spec ?? {};
    const podLabels = spec.template?.metadata?.labels ?? {};
    const name = d.metadata?.name;

    const hpas = byKind('HorizontalPodAutoscaler').filter(
      (h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec?.scaleTargetRef?.name === name,
    );
    if (spec.replicas !== undefined && !(spec.replicas >= 2)) report(d, `replicas ${spec.replicas}: at least 2`);
    if (hpas.length !== 1) report(d, `needs exactly one HorizontalPodAutoscaler targeting it (found ${hpas.length})`);
    for (const h of hpas) {
      if (!(h.spec?.minReplicas >= 2)) report(h, `minReplicas ${h.spec?.minReplicas}: at least 2`);
    }
    if (spec.replicas === undefined && hpas.length === 0) report(d, 'no replicas and no autoscaler: it would run 1 pod');

    const strategy = spec.strategy ?? {};
    if (strategy.type !== 'RollingUpdate') report(d, `strategy.type ${strategy.type}: must be RollingUpdate`);
    const unavailable = intOrPercent(strategy.rollingUpdate?.maxUnavailable);
    const surge = intOrPercent(strategy.rollingUpdate?.maxSurge);
    if (!unavailable.ok || (unavailable.int ?? unavailable.percent) !== 0) {
      report(d, `rollingUpdate.maxUnavailable ${JSON.stringify(strategy.rollingUpdate?.maxUnavailable)}: must be 0`);
    }
    if (!surge.ok || !((surge.int ?? surge.percent) >= 1)) {
      report(d, `rollingUpdate.maxSurge ${JSON.stringify(strategy.rollingUpdate?.maxSurge)}: must be an integer >= 1 or a percentage`);
    }

    const matchLabels = spec.selector?.matchLabels ?? {};
    if (VERSION_LABEL in matchLabels) report(d, `selector has ${VERSION_LABEL}: a selector is immutable, the next version could not be applied`);
    if (!selects(matchLabels, podLabels)) report(d, 'selector.matchLabels do not select the pod template labels');

    const pdbs = byKind('PodDisruptionBudget').filter((p) => selects(p.spec?.selector?.matchLabels, podLabels));
    if (pdbs.length === 0) report(d, 'no PodDisruptionBudget selects its pods');
    for (const p of pdbs) {
      const min = intOrPercent(p.spec?.minAvailable);
      const max = intOrPercent(p.spec?.maxUnavailable);
      if (p.spec?.minAvailable !== undefined && !min.ok) report(p, `minAvailable ${JSON.stringify(p.spec.minAvailable)}: an integer or a percentage`);
      if (p.spec?.maxUnavailable !== undefined && !max.ok) report(p, `maxUnavailable ${JSON.stringify(p.spec.maxUnavailable)}: an integer or a percentage`);
      const floor = Math.min(spec.replicas ?? Infinity, ...hpas.map((h) => h.spec?.minReplicas ?? Infinity));
      if (min.int !== undefined && !(min.int >= 1 && min.int < floor)) {
        report(p, `minAvailable ${min.int}: between 1 and the replicas minus 1 (${floor - 1}), or no node could ever be drained`);
      }
      if (max.int === 0 || min.percent === 100 || max.percent === 0) report(p, 'allows no disruption: no node could ever be drained');
    }
    if (!byKind('Service').some((s) => selects(s.spec?.selector, podLabels))) report(d, 'no Service selects its pods');

    const pod = spec.template?.spec ?? {};
    if ((pod.initContainers ?? []).length > 0) {
      report(d, 'initContainers: not allowed (no waiting on a migration Job, no images from elsewhere)');
    }
    const containers = pod.containers ?? [];
    if (containers.length === 0) report(d, 'no containers');
    for (const c of containers) {
      const where = `container ${c.name}`;
      const ports = new Set((c.ports ?? []).flatMap((p) => [p.containerPort, p.name]));
      for (const [probe, path] of Object.entries(HEALTH)) {
        const p = c[probe];
        if (!p) report(d, `${where}: no ${probe}`);
        else if (p.httpGet?.path !== path) report(d, `${where}: ${probe} must be an httpGet on ${path} (is ${JSON.stringify(p.httpGet?.path)})`);
        else if (!ports.has(p.httpGet.port)) report(d, `${where}: ${probe} port ${p.httpGet.port} is not a port of the container`);
      }
      for (const kind of ['requests', 'limits']) {
        for (const r of ['cpu', 'memory']) {
          if (c.resources?.[kind]?.[r] === undefined) report(d, `${where}: resources.${kind}.${r} not set`);
        }
      }
      for (const r of ['cpu', 'memory']) {
        const req = quantity(c.resources?.requests?.[r]);
        const lim = quantity(c.resources?.limits?.[r]);
        if (req > lim) report(d, `${where}: resources.requests.${r} above its limit`);
      }
      const image = String(c.image ?? '');
      const digest = image.includes('@sha256:');
      const tag = /:([^/:@]+)$/.exec(image)?.[1];
      if (!digest && !tag) report(d, `${where}: image ${image} has no tag (that is latest)`);
      if (tag === 'latest') report(d, `${where}: image ${image}: no latest tags`);
      const jvm = envValue(c, 'JAVA_TOOL_OPTIONS', configMaps) ?? '';
      if (!/-XX:MaxRAMPercentage=|-Xmx/.test(jvm)) report(d, `${where}: JAVA_TOOL_OPTIONS must size the heap to the container (-XX:MaxRAMPercentage or -Xmx)`);
      if (String(envValue(c, 'QUARKUS_FLYWAY_ACTIVE', configMaps)) === 'false') report(d, `${where}: QUARKUS_FLYWAY_ACTIVE=false: Flyway migrates at start`);

      for (const src of c.envFrom ?? []) {
        const ref = src.configMapRef;
        if (ref && !ref.optional && !configMaps.has(ref.name)) report(d, `${where}: envFrom ConfigMap ${ref.name} is not in this render`);
      }
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.configMapKeyRef;
        if (ref && !ref.optional && !(ref.key in (configMaps.get(ref.name)?.data ?? {}))) {
          report(d, `${where}: env ${e.name} from ConfigMap ${ref.name} key ${ref.key}, which is not in this render`);
        }
      }
      const preStop = preStopSeconds(c);
      if (preStop === null) {
        report(d, `${where}: no preStop delay (lifecycle.preStop sleep): endpoints must drain before shutdown starts`);
        continue;
      }
      if (preStop < 1) report(d, `${where}: preStop delay ${preStop}s: at least 1s`);
      let timeout = shutdownTimeout(c.name) ?? shutdownTimeout(d.metadata?.labels?.['app.kubernetes.io/name']);
      const fromEnv = envValue(c, 'QUARKUS_SHUTDOWN_TIMEOUT', configMaps);
      if (fromEnv) timeout = { seconds: durationSeconds(fromEnv), source: 'QUARKUS_SHUTDOWN_TIMEOUT in its environment' };
      if (!timeout) {
        report(d, `${where}: no service configuration found for it (its shutdown timeout is unknown)`);
        continue;
      }
      const grace = pod.terminationGracePeriodSeconds ?? 30;
      if (!(grace > preStop + timeout.seconds)) {
        report(d, `terminationGracePeriodSeconds ${grace} must exceed the preStop delay ${preStop}s + the shutdown timeout ${timeout.seconds}s (${timeout.source})`);
      }
    }
  }

  for (const p of byKind('PodDisruptionBudget')) {
    if (!byKind('Deployment').some((d) => selects(p.spec?.selector?.matchLabels, d.spec?.template?.metadata?.labels))) {
      report(p, 'selects no Deployment of this render');
    }
  }
  for (const h of byKind('HorizontalPodAutoscaler')) {
    if (!byKind('Deployment').some((d) => d.metadata?.name === h.spec?.scaleTargetRef?.name)) report(h, 'targets no Deployment of this render');
  }
  return problems;
}
