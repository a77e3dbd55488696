// The validator itself: the valid fixture passes, and each way of breaking a rolling deploy is rejected with a
// problem that names it — so the CI check cannot pass by checking nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { stringify, parseAllDocuments } from 'yaml';
import { validateText } from '../validate.js';
import { durationSeconds, parseProperties } from '../lib/service-config.js';

const valid = readFileSync(new URL('./fixtures/valid.yaml', import.meta.url), 'utf8');
const shutdown25 = { shutdownTimeout: (name) => (name === 'demo' ? { seconds: 25, source: 'test' } : undefined) };

// the valid fixture with one change applied to its objects
function broken(change, options = shutdown25) {
  const objects = parseAllDocuments(valid).map((d) => d.toJS());
  const byKind = (kind) => objects.find((o) => o.kind === kind);
  change({ objects, byKind, container: byKind('Deployment').spec.template.spec.containers[0] });
  return validateText(objects.map((o) => stringify(o)).join('---\n'), options).problems;
}

function assertRejected(problems, expected) {
  assert.ok(problems.some((p) => expected.test(p)), `expected a problem matching ${expected}, got:\n${problems.join('\n')}`);
}

test('the valid fixture passes', () => {
  assert.deepEqual(validateText(valid, shutdown25).problems, []);
});

test('an unknown field is rejected, although the schema validation alone accepts it', () => {
  assertRejected(broken(({ container }) => { container.readinessProbes = container.readinessProbe; }),
    /unknown field spec\.template\.spec\.containers\[0\]\.readinessProbes/);
  assertRejected(broken(({ byKind }) => { byKind('PodDisruptionBudget').spec.minAvaliable = 1; }),
    /PodDisruptionBudget\/demo: unknown field spec\.minAvaliable/);
});

test('a schema violation is rejected', () => {
  assertRejected(broken(({ byKind }) => { byKind('Deployment').spec.replicas = 'two'; }), /schema: \/spec\/replicas must be integer/);
});

test('a kind without a Kubernetes schema is rejected', () => {
  assertRejected(broken(({ objects }) => { objects.push({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }); }),
    /no Kubernetes schema for apiVersion example.com\/v1 kind Widget/);
});

test('maxUnavailable 1 is rejected', () => {
  assertRejected(broken(({ byKind }) => { byKind('Deployment').spec.strategy.rollingUpdate.maxUnavailable = 1; }),
    /rollingUpdate\.maxUnavailable 1: must be 0/);
});

test('maxUnavailable "0" as a string is rejected: the API server only takes percentages as strings', () => {
  assertRejected(broken(({ byKind }) => { byKind('Deployment').spec.strategy.rollingUpdate.maxUnavailable = '0'; }),
    /rollingUpdate\.maxUnavailable "0": must be 0/);
});

test('a Recreate strategy is rejected', () => {
  assertRejected(broken(({ byKind }) => { byKind('Deployment').spec.strategy = { type: 'Recreate' }; }), /strategy\.type Recreate/);
});

test('one replica is rejected', () => {
  assertRejected(broken(({ byKind }) => { byKind('Deployment').spec.replicas = 1; }), /replicas 1: at least 2/);
});

for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
  test(`a missing ${probe} is rejected`, () => {
    assertRejected(broken(({ container }) => { delete container[probe]; }), new RegExp(`container demo: no ${probe}`));
  });
}

test('a probe off /q/health is rejected', () => {
  assertRejected(broken(({ container }) => { container.readinessProbe.httpGet.path = '/'; }),
    /readinessProbe must be an httpGet on \/q\/health\/ready/);
});

test('a latest tag, or no tag at all, is rejected', () => {
  assertRejected(broken(({ container }) => { container.image = 'registry.example.com/payout/demo:latest'; }), /no latest tags/);
  assertRejected(broken(({ container }) => { container.image = 'registry.example.com:5000/payout/demo'; }), /has no tag/);
});

test('an image pinned by digest is accepted', () => {
  const digest = 'registry.example.com/payout/demo@sha256:' + 'a'.repeat(64);
  assert.deepEqual(broken(({ container }) => { container.image = digest; }), []);
});

test('missing resources are rejected', () => {
  assertRejected(broken(({ container }) => { delete container.resources; }), /resources\.requests\.cpu not set/);
  assertRejected(broken(({ container }) => { delete container.resources.limits.memory; }), /resources\.limits\.memory not set/);
  assertRejected(broken(({ container }) => { container.resources.requests.memory = '1Gi'; }), /requests\.memory above its limit/);
});

test('a Deployment without a PodDisruptionBudget is rejected', () => {
  assertRejected(broken(({ objects }) => { objects.splice(objects.findIndex((o) => o.kind === 'PodDisruptionBudget'), 1); }),
    /Deployment\/demo: no PodDisruptionBudget selects its pods/);
});

test('a PodDisruptionBudget that blocks every drain is rejected', () => {
  assertRejected(broken(({ byKind }) => { byKind('PodDisruptionBudget').spec.minAvailable = 2; }), /minAvailable 2: between 1 and/);
});

test('a Deployment without an autoscaler is rejected', () => {
  assertRejected(broken(({ objects }) => { objects.splice(objects.findIndex((o) => o.kind === 'HorizontalPodAutoscaler'), 1); }),
    /needs exactly one HorizontalPodAutoscaler/);
});

test('a version label in a selector is rejected', () => {
  assertRejected(broken(({ byKind }) => { byKind('Service').spec.selector['app.kubernetes.io/version'] = '1.2.3'; }),
    /Service\/demo: selector has app.kubernetes.io\/version/);
});

test('a missing preStop delay is rejected', () => {
  assertRejected(broken(({ container }) => { delete container.lifecycle; }), /no preStop delay/);
});

test('a termination grace period not above preStop + the service shutdown timeout is rejected', () => {
  assertRejected(broken(({ byKind }) => { byKind('Deployment').spec.template.spec.terminationGracePeriodSeconds = 35; }),
    /terminationGracePeriodSeconds 35 must exceed the preStop delay 10s \+ the shutdown timeout 25s/);
  // the timeout comes from the service's configuration: a longer one fails the same manifest
  assertRejected(broken(() => {}, { shutdownTimeout: () => ({ seconds: 40, source: 'test' }) }), /exceed the preStop delay 10s \+ the shutdown timeout 40s/);
  // and from the environment, which overrides it
  assertRejected(broken(({ byKind }) => { byKind('ConfigMap').data.QUARKUS_SHUTDOWN_TIMEOUT = '60s'; }), /shutdown timeout 60s \(QUARKUS_SHUTDOWN_TIMEOUT/);
});

test('an init container and a migration Job are rejected', () => {
  assertRejected(broken(({ byKind }) => {
    byKind('Deployment').spec.template.spec.initContainers = [{ name: 'wait-for-flyway', image: 'groundnuty/k8s-wait-for:no-root-v1.7' }];
  }), /initContainers: not allowed/);
  assertRejected(broken(({ objects }) => {
    objects.push({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'demo-flyway-init' },
      spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'f', image: 'demo:1' }] } } } });
  }), /Job\/demo-flyway-init: not allowed/);
});

test('a heap not sized to the container is rejected', () => {
  assertRejected(broken(({ byKind }) => { delete byKind('ConfigMap').data.JAVA_TOOL_OPTIONS; }), /JAVA_TOOL_OPTIONS must size the heap/);
});

test('a ConfigMap reference that is not in the render is rejected', () => {
  assertRejected(broken(({ container }) => { container.envFrom[0].configMapRef.name = 'nowhere'; }), /envFrom ConfigMap nowhere is not in this render/);
});

test('Quarkus durations and properties are read as Quarkus reads them', () => {
  assert.deepEqual(['25s', 'PT1M', '500ms', '30', '${QUARKUS_SHUTDOWN_TIMEOUT:20s}'].map(durationSeconds), [25, 60, 0.5, 30, 20]);
  const props = parseProperties('# c\na=1\n%prod.quarkus.shutdown.timeout = 30s\nlong=x\\\n  y\n');
  assert.equal(props.get('%prod.quarkus.shutdown.timeout'), '30s');
  assert.equal(props.get('long'), 'xy');
});
