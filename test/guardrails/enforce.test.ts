import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { cleanManifests, pick } from './manifests';
import { Guardrails } from '../../src/guardrails/guardrails';
import { KubernetesTarget } from '../../src/kubernetes/kubernetes-target';
import { Warnings } from '../../src/warnings';

/** A chart with one ApiObject per manifest, under a construct per object (as an L2 would render them). */
function chartOf(objects: any[]): Chart {
  const chart = Testing.chart();
  objects.forEach((o, i) => {
    const scope = new Construct(chart, `${o.kind}${i}`);
    new ApiObject(scope, 'Resource', o);
  });
  return chart;
}

let stderr: jest.SpyInstance;
let quiet: string | undefined;
beforeEach(() => {
  // the test setup silences warnings; these tests read what is printed
  quiet = process.env.CDK8S_ML_AUTOSCALING_QUIET;
  delete process.env.CDK8S_ML_AUTOSCALING_QUIET;
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  stderr.mockRestore();
  if (quiet !== undefined) process.env.CDK8S_ML_AUTOSCALING_QUIET = quiet;
});

test('a clean chart synthesizes with enforcement on', () => {
  const chart = chartOf(cleanManifests());
  Guardrails.enforce(chart);
  expect(() => Testing.synth(chart)).not.toThrow();
  expect(Warnings.of(chart)).toEqual([]);
});

test('an error finding fails synth with the rule ID, the object and the construct path', () => {
  const objects = cleanManifests();
  pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.minReplicas = 9;
  const chart = chartOf(objects);
  Guardrails.enforce(chart);
  expect(() => Testing.synth(chart)).toThrow(/ML-E-MIN-ABOVE-MAX HorizontalPodAutoscaler ml-workloads\/inference.*construct: test\/HorizontalPodAutoscaler2\/Resource/);
});

test('a warning is printed through Warnings on the construct that renders the object, and synth succeeds', () => {
  const objects = cleanManifests();
  pick(objects, 'Deployment', 'inference').spec.replicas = 2;
  const chart = chartOf(objects);
  Guardrails.enforce(chart);
  expect(() => Testing.synth(chart)).not.toThrow();
  const warnings = Warnings.of(chart);
  expect(warnings.map(w => [w.id, w.path])).toEqual([['ML-W-REPLICAS-ON-AUTOSCALED', 'test/Deployment0/Resource']]);
  const printed = stderr.mock.calls.map(c => String(c[0])).join('');
  expect(printed).toContain('[WARNING] ML-W-REPLICAS-ON-AUTOSCALED at test/Deployment0/Resource: Deployment ml-workloads/inference at spec.replicas: ');
  expect(printed).toContain('Check: kubectl get deployment inference -n ml-workloads');
});

test('Warnings.acknowledge silences a guardrail warning', () => {
  const objects = cleanManifests();
  pick(objects, 'Deployment', 'inference').spec.replicas = 2;
  const chart = chartOf(objects);
  Guardrails.enforce(chart);
  Warnings.acknowledge(chart, 'ML-W-REPLICAS-ON-AUTOSCALED', 'GitOps keeps replicas in sync');
  Testing.synth(chart);
  expect(Warnings.of(chart)).toEqual([]);
});

test('failOnWarnings turns warnings into synth errors', () => {
  const objects = cleanManifests();
  pick(objects, 'Deployment', 'inference').spec.replicas = 2;
  const chart = chartOf(objects);
  Guardrails.enforce(chart, { failOnWarnings: true });
  expect(() => Testing.synth(chart)).toThrow(/ML-W-REPLICAS-ON-AUTOSCALED/);
});

test('objects added after enforce are checked (rules run at synth, not at enforce)', () => {
  const chart = chartOf(cleanManifests());
  Guardrails.enforce(chart);
  const second = cleanManifests().find(o => o.kind === 'HorizontalPodAutoscaler');
  second.metadata.name = 'second';
  new ApiObject(chart, 'Late', second);
  expect(() => Testing.synth(chart)).toThrow(/ML-E-TWO-AUTOSCALERS HorizontalPodAutoscaler ml-workloads\/second/);
});

test('enforcing twice on the same chart reports each error once', () => {
  const objects = cleanManifests();
  pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.minReplicas = 9;
  const chart = chartOf(objects);
  Guardrails.enforce(chart);
  Guardrails.enforce(chart);
  let message = '';
  try {
    Testing.synth(chart);
  } catch (e: any) {
    message = e.message;
  }
  expect(message.match(/ML-E-MIN-ABOVE-MAX/g)).toHaveLength(1);
});

test('the chart namespace is seen by the rules', () => {
  const objects = cleanManifests().map(o => {
    const c = JSON.parse(JSON.stringify(o));
    delete c.metadata.namespace;
    return c;
  }).filter(o => o.kind !== 'ConfigMap');
  const app = Testing.app();
  const chart = new Chart(app, 'ns', { namespace: 'team-a' });
  objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
  Guardrails.enforce(chart);
  Testing.synth(chart);
  expect(Warnings.of(chart).map(w => w.message)[0]).toContain('HorizontalPodAutoscaler team-a/inference');
});

test('a second enforce (e.g. the app after the constructs) adds its options to the same single run', () => {
  const chart = chartOf(cleanManifests());
  Guardrails.enforce(chart);
  Guardrails.enforce(chart, { gpuBudget: 2 });
  Guardrails.enforce(chart, { disabledRules: ['ML-W-PDB-BLOCKS-DRAIN'] });
  Testing.synth(chart);
  const ids = Warnings.of(chart).map(w => w.id);
  expect(ids).toEqual(['ML-W-GPU-BUDGET-EXCEEDED', 'ML-W-GPU-BUDGET-EXCEEDED']);
});

test('enforcing on the App checks objects across charts together', () => {
  const app = Testing.app();
  const a = new Chart(app, 'a');
  const b = new Chart(app, 'b');
  const objects = cleanManifests();
  objects.forEach((o, i) => new ApiObject(a, `o${i}`, o));
  const second = JSON.parse(JSON.stringify(pick(objects, 'HorizontalPodAutoscaler', 'inference')));
  second.metadata.name = 'from-chart-b';
  new ApiObject(b, 'hpa', second);
  Guardrails.enforce(app);
  expect(() => app.synth()).toThrow(/ML-E-TWO-AUTOSCALERS HorizontalPodAutoscaler ml-workloads\/from-chart-b/);
});

describe('the target Kubernetes version', () => {
  /** An HPA scaling a Deployment to zero on an External queue metric: valid from Kubernetes 1.37 on. */
  const zeroHpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'inference' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'inference' },
      minReplicas: 0,
      maxReplicas: 4,
      metrics: [{ type: 'External', external: { metric: { name: 'queue_messages_ready' }, target: { type: 'AverageValue', averageValue: '5' } } }],
    },
  };

  /** A chart holding the HPA, with the target set on it first when `version` is given. */
  function appWithZeroHpa(version?: string, featureGates?: { [gate: string]: boolean }) {
    const app = Testing.app();
    const chart = new Chart(app, 'serving');
    if (version !== undefined || featureGates !== undefined) KubernetesTarget.set(chart, { version, featureGates });
    new ApiObject(chart, 'Hpa', zeroHpa);
    return { app, chart };
  }

  // app.synthYaml(): Testing.synth would also check the objects against the API rules of the test setup,
  // which know nothing of the chart's target version
  test('a chart targeting 1.37 (KubernetesTarget.set) synthesizes an HPA with minReplicas 0 and an External metric', () => {
    const { app, chart } = appWithZeroHpa('1.37');
    Guardrails.enforce(chart);
    expect(app.synthYaml()).toContain('minReplicas: 0');
  });

  test('the same chart at the default target (1.35) fails synth, naming the version and the construct', () => {
    const { app, chart } = appWithZeroHpa();
    Guardrails.enforce(chart);
    expect(() => app.synthYaml()).toThrow(/error ML-E-HPA-ZERO-GATE-OFF HorizontalPodAutoscaler inference at spec\.minReplicas: minReplicas is 0 but on Kubernetes 1\.35 \(HPAScaleToZero is alpha in 1\.35, off by default; beta and on by default since 1\.37\).*\(construct: serving\/Hpa\)/);
  });

  test('the gates set on the chart count: 1.36 with HPAScaleToZero enabled passes', () => {
    const { app, chart } = appWithZeroHpa('1.36', { HPAScaleToZero: true });
    Guardrails.enforce(chart);
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('a target set on the app reaches the guardrails of its charts', () => {
    const app = Testing.app();
    KubernetesTarget.set(app, { version: '1.37' });
    const chart = new Chart(app, 'serving');
    new ApiObject(chart, 'Hpa', zeroHpa);
    Guardrails.enforce(chart);
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('kubernetesVersion in the enforce options wins over the chart\'s target, with that version\'s gates', () => {
    const newer = appWithZeroHpa(undefined);
    Guardrails.enforce(newer.chart, { kubernetesVersion: '1.37' });
    expect(() => newer.app.synthYaml()).not.toThrow();
    const older = appWithZeroHpa('1.37');
    Guardrails.enforce(older.chart, { kubernetesVersion: '1.36' });
    expect(() => older.app.synthYaml()).toThrow(/ML-E-HPA-ZERO-GATE-OFF .*on Kubernetes 1\.36 \(HPAScaleToZero is alpha in 1\.36/);
  });

  test('a bad version in the enforce options is rejected when enforce is called', () => {
    const { chart } = appWithZeroHpa();
    expect(() => Guardrails.enforce(chart, { kubernetesVersion: '1.x' })).toThrow(/kubernetesVersion="1\.x": is not a Kubernetes version/);
  });
});
