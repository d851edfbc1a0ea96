/**
 * Property-based tests of the rule engine: random valid configurations never produce errors, any
 * single breaking change always produces its error, and no input shape makes the engine throw.
 */
import * as fc from 'fast-check';
import { GuardrailSeverity } from '../../src/guardrails/finding';
import { Guardrails } from '../../src/guardrails/guardrails';
import { ManifestIndex, nsOf, selectorMatches, serviceSelects } from '../../src/guardrails/manifest';

const NS = 'ml';
const dnsName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);

interface Platform {
  readonly objects: any[];
  readonly deployment: any;
  readonly hpa: any;
  readonly pdb: any;
  readonly worker: any;
  readonly scaledObject: any;
}

const resourceName = fc.constantFrom('cpu', 'memory');

/** A random, valid GPU inference service and queue worker. */
const platform: fc.Arbitrary<Platform> = fc.record({
  name: dnsName,
  containers: fc.integer({ min: 1, max: 3 }),
  gpus: fc.integer({ min: 0, max: 4 }),
  loadSeconds: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
  min: fc.integer({ min: 1, max: 10 }),
  extra: fc.integer({ min: 0, max: 20 }),
  metrics: fc.uniqueArray(resourceName, { minLength: 1, maxLength: 2 }),
  utilization: fc.integer({ min: 1, max: 100 }),
  pdb: fc.oneof(
    fc.record({ maxUnavailable: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ minAvailableBelowMin: fc.integer({ min: 1, max: 10 }) }),
  ),
  workerName: fc.stringMatching(/^[a-z][a-z0-9-]{0,52}$/),
  workerMin: fc.integer({ min: 0, max: 5 }),
  workerExtra: fc.integer({ min: 0, max: 50 }),
  queueTrigger: fc.boolean(),
  processing: fc.integer({ min: 1, max: 3600 }),
}).map(p => {
  const labels = { app: p.name };
  const containers = Array.from({ length: p.containers }, (_, i) => {
    const requests: any = { cpu: `${250 * (i + 1)}m`, memory: `${i + 1}Gi` };
    const limits: any = {};
    if (p.gpus > 0 && i === 0) {
      requests['nvidia.com/gpu'] = String(p.gpus);
      limits['nvidia.com/gpu'] = String(p.gpus);
    }
    const c: any = { name: `c${i}`, image: 'img', resources: { requests, limits } };
    if (p.loadSeconds !== undefined && i === 0) {
      c.startupProbe = { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10, failureThreshold: Math.ceil(p.loadSeconds / 10) + 1 };
      c.readinessProbe = { httpGet: { path: '/ready', port: 8080 } };
      c.livenessProbe = { httpGet: { path: '/health', port: 8080 }, periodSeconds: 10, failureThreshold: 1 };
    }
    return c;
  });
  const annotations: any = p.loadSeconds !== undefined ? { 'ml-autoscaling.io/model-load-seconds': String(p.loadSeconds) } : {};
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: p.name, namespace: NS },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations },
        spec: {
          containers,
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }],
          nodeSelector: { gpu: 'a10' },
        },
      },
    },
  };
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: p.name, namespace: NS },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: p.name },
      minReplicas: p.min,
      maxReplicas: p.min + p.extra,
      metrics: p.metrics.map(m => ({ type: 'Resource', resource: { name: m, target: { type: 'Utilization', averageUtilization: p.utilization } } })),
      behavior: { scaleDown: { stabilizationWindowSeconds: Math.max(300, p.loadSeconds ?? 0) } },
    },
  };
  const pdbSpec: any = 'maxUnavailable' in p.pdb
    ? { maxUnavailable: p.pdb.maxUnavailable }
    : { minAvailable: Math.min(p.pdb.minAvailableBelowMin, p.min - 1) };
  const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: p.name, namespace: NS }, spec: { ...pdbSpec, selector: { matchLabels: labels } } };
  const workerLabels = { app: `w-${p.workerName}` };
  const worker = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `w-${p.workerName}`, namespace: NS },
    spec: {
      selector: { matchLabels: workerLabels },
      template: {
        metadata: { labels: workerLabels, annotations: { 'ml-autoscaling.io/max-processing-seconds': String(p.processing) } },
        spec: {
          terminationGracePeriodSeconds: p.processing + 30,
          containers: [{ name: 'w', image: 'img', resources: { requests: { cpu: '1', memory: '1Gi' } } }],
        },
      },
    },
  };
  const queue = { type: 'rabbitmq', metadata: { queueName: 'q', mode: 'QueueLength', value: '5' }, authenticationRef: { name: 'auth' } };
  const cpu = { type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } };
  const scaledObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: p.workerName.slice(0, 54), namespace: NS },
    spec: {
      scaleTargetRef: { name: `w-${p.workerName}` },
      // cpu alone cannot wake from zero: keep at least one replica then
      minReplicaCount: p.queueTrigger ? p.workerMin : Math.max(1, p.workerMin),
      maxReplicaCount: Math.max(1, p.workerMin) + p.workerExtra,
      triggers: p.queueTrigger ? [queue, cpu] : [cpu],
    },
  };
  return { objects: [deployment, hpa, pdb, worker, scaledObject], deployment, hpa, pdb, worker, scaledObject };
});

const errorsOf = (objects: any[], options = {}) =>
  Guardrails.check(objects, options).filter(f => f.severity === GuardrailSeverity.ERROR);

test('random valid platforms never produce error findings', () => {
  fc.assert(fc.property(platform, fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }), (p, budget) => {
    expect(errorsOf(p.objects, { gpuBudget: budget })).toEqual([]);
  }), { numRuns: 300 });
});

test('random valid platforms produce no findings at all (nothing risky either)', () => {
  fc.assert(fc.property(platform, p => {
    expect(Guardrails.check(p.objects).map(f => f.message)).toEqual([]);
  }), { numRuns: 200 });
});

/** One breaking change and the error it must produce. */
const mutations: Array<[string, (p: Platform, n: number) => void]> = [
  ['ML-E-MIN-ABOVE-MAX', (p, n) => { p.hpa.spec.maxReplicas = p.hpa.spec.minReplicas - 1 - (n % 3); }],
  ['ML-E-MIN-ABOVE-MAX', (p, n) => { p.scaledObject.spec.minReplicaCount = p.scaledObject.spec.maxReplicaCount + 1 + n; }],
  ['ML-E-TWO-AUTOSCALERS', (p, n) => {
    const second = JSON.parse(JSON.stringify(p.hpa));
    second.metadata.name = `${p.hpa.metadata.name}-x${n}`;
    p.objects.push(second);
  }],
  ['ML-E-TWO-AUTOSCALERS', p => {
    p.objects.push({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'takeover', namespace: NS, annotations: { 'scaledobject.keda.sh/transfer-hpa-ownership': 'true' } },
      spec: { scaleTargetRef: { name: p.deployment.metadata.name }, minReplicaCount: 1, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }] },
    });
  }],
  ['ML-E-METRIC-WITHOUT-REQUEST', (p, n) => {
    const containers = p.deployment.spec.template.spec.containers;
    const metric = p.hpa.spec.metrics[0].resource.name;
    delete containers[n % containers.length].resources.requests[metric];
  }],
  ['ML-E-METRIC-WITHOUT-REQUEST', p => { delete p.worker.spec.template.spec.containers[0].resources.requests.cpu; }],
  ['ML-E-GPU-REQUEST-LIMIT-MISMATCH', (p, n) => {
    const c = p.deployment.spec.template.spec.containers[0];
    c.resources.requests['nvidia.com/gpu'] = String(1 + (n % 4));
    c.resources.limits['nvidia.com/gpu'] = String(2 + (n % 4));
  }],
  ['ML-E-TRIGGER-METADATA-TYPE', p => {
    const cpu = p.scaledObject.spec.triggers.find((t: any) => t.type === 'cpu');
    cpu.metadata.type = 'Utilization';
  }],
  ['ML-E-CPU-MEMORY-SCALE-TO-ZERO', p => {
    p.scaledObject.spec.triggers = p.scaledObject.spec.triggers.filter((t: any) => t.type === 'cpu');
    delete p.scaledObject.spec.minReplicaCount;
  }],
  ['ML-E-CREDENTIALS-IN-MANIFEST', (p, n) => { p.scaledObject.spec.triggers[0].metadata.host = `amqp://user${n}:pw${n}x@rabbit:5672/`; }],
  ['ML-E-CREDENTIALS-IN-MANIFEST', (p, n) => {
    p.worker.spec.template.spec.containers[0].env = [{ name: ['DB_PASSWORD', 'API_KEY', 'HF_TOKEN', 'CLIENT_SECRET'][n % 4], value: `v4lue-${n}` }];
  }],
  ['ML-E-SCALEDOBJECT-NAME-TOO-LONG', (p, n) => { p.scaledObject.metadata.name = 'a'.repeat(55 + (n % 200)); }],
];

test('any single breaking change always produces its error', () => {
  fc.assert(fc.property(platform, fc.integer({ min: 0, max: mutations.length - 1 }), fc.nat(1000), (p, which, n) => {
    const [id, mutate] = mutations[which];
    mutate(p, n);
    expect(errorsOf(p.objects).map(f => f.ruleId)).toContain(id);
  }), { numRuns: 400 });
});

test('the PDB warning fires exactly when the budget allows no eviction at the minimum', () => {
  fc.assert(fc.property(platform, fc.integer({ min: 0, max: 15 }), (p, minAvailable) => {
    p.pdb.spec = { minAvailable, selector: p.pdb.spec.selector };
    const warned = Guardrails.check(p.objects).some(f => f.ruleId === 'ML-W-PDB-BLOCKS-DRAIN');
    expect(warned).toBe(minAvailable > 0 && minAvailable >= p.hpa.spec.minReplicas);
  }), { numRuns: 200 });
});

test('suppressing each finding with a reason on its object leaves nothing', () => {
  fc.assert(fc.property(platform, fc.integer({ min: 0, max: mutations.length - 1 }), fc.nat(1000), (p, which, n) => {
    mutations[which][1](p, n);
    const findings = Guardrails.check(p.objects, { gpuBudget: 1 });
    for (const f of findings) {
      const obj = p.objects.find(o => o.kind === f.kind && o.metadata.name === f.name);
      const annotations = (obj.metadata.annotations ??= {});
      const prior = annotations['ml-autoscaling.io/suppress'];
      annotations['ml-autoscaling.io/suppress'] = `${prior ? prior + '; ' : ''}${f.ruleId}: reviewed in the property test`;
    }
    expect(Guardrails.check(p.objects, { gpuBudget: 1 })).toEqual([]);
  }), { numRuns: 200 });
});

test('arbitrary objects never make the engine throw, and every finding names an object', () => {
  const kinds = fc.constantFrom('Deployment', 'StatefulSet', 'HorizontalPodAutoscaler', 'ScaledObject', 'ScaledJob', 'PodDisruptionBudget',
    'Service', 'ConfigMap', 'Secret', 'LimitRange', 'List', 'CronJob', 'Job', 'Pod');
  const apiVersions = fc.constantFrom('apps/v1', 'autoscaling/v2', 'keda.sh/v1alpha1', 'policy/v1', 'v1', 'batch/v1', undefined);
  const junk = fc.record({
    apiVersion: apiVersions,
    kind: kinds,
    metadata: fc.option(fc.record({
      name: fc.option(fc.string(), { nil: undefined }),
      namespace: fc.option(fc.string(), { nil: undefined }),
    }), { nil: undefined }),
    spec: fc.anything(),
    items: fc.option(fc.array(fc.anything(), { maxLength: 3 }), { nil: undefined }),
    data: fc.option(fc.dictionary(fc.string(), fc.string()), { nil: undefined }),
  });
  // entries that are not objects are refused up front (options-check.test.ts); any object goes to the rules
  const anyObject = fc.anything().filter(v => v !== null && typeof v === 'object' && !Array.isArray(v));
  fc.assert(fc.property(fc.array(fc.oneof(junk, anyObject), { maxLength: 8 }), objects => {
    const findings = Guardrails.check(objects as any[], { gpuBudget: 0 });
    for (const f of findings) {
      expect(typeof f.kind).toBe('string');
      expect(typeof f.name).toBe('string');
      expect(f.ruleId).toMatch(/^ML-[EW]-/);
    }
  }), { numRuns: 300 });
});

test('rules never crash on spec-shaped random data (no internal-failure findings)', () => {
  const pod = fc.record({
    containers: fc.array(fc.record({
      name: fc.string(),
      resources: fc.option(fc.record({
        requests: fc.dictionary(fc.constantFrom('cpu', 'memory', 'nvidia.com/gpu', 'x.io/y'), fc.oneof(fc.string(), fc.integer())),
        limits: fc.dictionary(fc.constantFrom('cpu', 'memory', 'nvidia.com/gpu', 'x.io/y'), fc.oneof(fc.string(), fc.integer())),
      }), { nil: undefined }),
      env: fc.option(fc.array(fc.record({ name: fc.string(), value: fc.oneof(fc.string(), fc.constant(undefined)) })), { nil: undefined }),
      startupProbe: fc.option(fc.record({ periodSeconds: fc.integer(), failureThreshold: fc.integer() }), { nil: undefined }),
    }), { maxLength: 3 }),
  });
  const objects = fc.tuple(pod, fc.integer(), fc.integer(), fc.string()).map(([spec, min, max, name]) => [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { metadata: { annotations: { 'ml-autoscaling.io/model-load-seconds': '60' } }, spec } } },
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, minReplicas: min, maxReplicas: max } },
    { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name }, spec: { scaleTargetRef: { name: 'd' }, triggers: [{ type: 'cpu', metadata: { a: name } }] } },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: `${min}%`, selector: {} } },
  ]);
  fc.assert(fc.property(objects, list => {
    const crashed = Guardrails.check(list, { gpuBudget: 1 }).filter(f => f.kind === 'Rule');
    expect(crashed.map(f => f.problem)).toEqual([]);
  }), { numRuns: 300 });
});

test('the label index finds exactly the PDBs and Services a naive scan finds', () => {
  const label = fc.constantFrom('app', 'tier', 'team');
  const value = fc.constantFrom('a', 'b', 'c');
  const labels = fc.dictionary(label, value, { maxKeys: 3 });
  const ns = fc.constantFrom('x', 'y', undefined);
  fc.assert(fc.property(
    fc.array(fc.record({ labels, ns }), { minLength: 1, maxLength: 5 }),
    fc.array(fc.record({
      matchLabels: labels,
      ns,
      expr: fc.option(fc.record({ key: label, values: fc.array(value, { maxLength: 2 }) }), { nil: undefined }),
    }), { maxLength: 6 }),
    fc.array(fc.record({ selector: labels, ns }), { maxLength: 6 }),
    (workloads, pdbs, services) => {
      const meta = (name: string, namespace?: string) => (namespace ? { name, namespace } : { name });
      const ws = workloads.map((w, i) => ({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta(`w${i}`, w.ns),
        spec: { template: { metadata: { labels: w.labels }, spec: { containers: [] } } },
      }));
      const ps = pdbs.map((p, i) => ({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: meta(`p${i}`, p.ns),
        spec: { selector: { matchLabels: p.matchLabels, ...(p.expr ? { matchExpressions: [{ key: p.expr.key, operator: 'In', values: p.expr.values }] } : {}) } },
      }));
      const ss = services.map((s, i) => ({ apiVersion: 'v1', kind: 'Service', metadata: meta(`s${i}`, s.ns), spec: { selector: s.selector } }));
      const index = new ManifestIndex([...ws, ...ps, ...ss]);
      for (const w of ws) {
        const labelsOf = w.spec.template.metadata.labels;
        expect(index.pdbsSelecting(w)).toEqual(ps.filter(p => nsOf(p) === nsOf(w) && selectorMatches(p.spec.selector, labelsOf)));
        expect(index.servicesSelecting(w)).toEqual(ss.filter(s => nsOf(s) === nsOf(w) && serviceSelects(s, labelsOf)));
      }
    }), { numRuns: 300 });
});
