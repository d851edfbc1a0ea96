import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { cleanManifests, pick } from './manifests';
import { Guardrails } from '../../src/guardrails/guardrails';
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
