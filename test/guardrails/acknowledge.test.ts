/**
 * Issue 12: `Warnings.acknowledge` travels with the objects (as the `ml-autoscaling.io/suppress`
 * annotation), so `lint`, the validation plugin and `Guardrails.check` read the same decision; a
 * misspelled ID is rejected.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { cleanManifests, pick, ruleIds } from './manifests';
import { Metric } from '../../src/autoscaling/metric';
import { runLintCommand } from '../../src/cli/lint-command';
import { GpuInferenceService } from '../../src/gpu-inference-service';
import { Guardrails } from '../../src/guardrails/guardrails';
import { constructWarningIds, guardrailRuleIds, unknownRuleIdProblem } from '../../src/guardrails/known-ids';
import { GuardrailsValidation } from '../../src/guardrails/validation-plugin';
import { parseYamlDocuments } from '../../src/guardrails/yaml-text';
import { KedaTriggerAuthentication } from '../../src/keda/authentication';
import { PAUSED_WARNING } from '../../src/keda/pause';
import { IDLE_REPLICAS_WARNING } from '../../src/keda/render-scaled-object';
import { CREDENTIAL_IN_METADATA_WARNING } from '../../src/keda/render-triggers';
import { AutoscalingDashboard } from '../../src/monitoring/autoscaling-dashboard';
import { AutoscalingRules } from '../../src/monitoring/autoscaling-rules';
import { QueueBatchWorker } from '../../src/queue-batch-worker';
import { Warnings } from '../../src/warnings';
import { errorOf } from '../error-of';

const SUPPRESS = 'ml-autoscaling.io/suppress';
const REPLICAS = 'ML-W-REPLICAS-ON-AUTOSCALED';

beforeAll(() => {
  process.env.CDK8S_ML_AUTOSCALING_QUIET = '1';
});
afterAll(() => {
  delete process.env.CDK8S_ML_AUTOSCALING_QUIET;
});

/** The clean platform as raw ApiObjects, the inference Deployment with `replicas: 3` (ML-W-REPLICAS-ON-AUTOSCALED), under `Inference` and `Worker` groups. */
function platform(chart: Chart): { inference: Construct; worker: Construct } {
  const inference = new Construct(chart, 'Inference');
  const worker = new Construct(chart, 'Worker');
  for (const obj of cleanManifests()) {
    if (obj.kind === 'Deployment' && obj.metadata.name === 'inference') obj.spec.replicas = 3;
    const group = obj.metadata.name === 'inference' ? inference : worker;
    new ApiObject(group, `${obj.kind}-${obj.metadata.name}`, obj);
  }
  return { inference, worker };
}

function annotationOf(objects: any[], kind: string, name: string): string | undefined {
  return pick(objects, kind, name).metadata.annotations?.[SUPPRESS];
}

describe('an acknowledged guardrail rule is written into the objects it silences', () => {
  test('the Deployment with the finding gets the annotation; lint-style checks of the output report nothing', () => {
    const chart = Testing.chart();
    platform(chart);
    Warnings.acknowledge(chart, REPLICAS, 'Argo CD ignores spec.replicas here');
    const out = Testing.synth(chart);
    expect(annotationOf(out, 'Deployment', 'inference')).toBe(`${REPLICAS}: Argo CD ignores spec.replicas here`);
    // only the object with the finding carries it
    expect(annotationOf(out, 'HorizontalPodAutoscaler', 'inference')).toBeUndefined();
    expect(annotationOf(out, 'Service', 'inference')).toBeUndefined();
    expect(Guardrails.check(out)).toEqual([]);
    expect(Guardrails.check(out, { includeSuppressed: true }).map(f => [f.ruleId, f.kind, f.suppressedReason]))
      .toEqual([[REPLICAS, 'Deployment', 'Argo CD ignores spec.replicas here']]);
  });

  test('without the acknowledgement the same output is reported (the reproduction)', () => {
    const chart = Testing.chart();
    platform(chart);
    const out = Testing.synth(chart);
    expect(annotationOf(out, 'Deployment', 'inference')).toBeUndefined();
    expect(ruleIds(Guardrails.check(out))).toEqual([REPLICAS]);
  });

  test('`lint` and the validation plugin read the acknowledgement from the synthesized files', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ack-'));
    try {
      const app = new App({ outdir });
      const chart = new Chart(app, 'ml');
      platform(chart);
      Warnings.acknowledge(chart, REPLICAS, 'GitOps owns replicas');
      app.synth();
      const files = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).map(f => path.join(outdir, f));
      const violations: any[] = [];
      const findings = new GuardrailsValidation({ failOnWarnings: true }).validateSync({
        manifests: files,
        report: { addViolation: v => violations.push(v), submit: () => {} },
      });
      expect(findings).toEqual([]);
      expect(violations).toEqual([]);
      const out: string[] = [];
      const code = runLintCommand(['--fail-on-warnings', ...files], { stdout: l => out.push(l), stderr: l => out.push(l) });
      expect(out.join('\n')).not.toContain(REPLICAS);
      expect(code).toBe(0);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('only objects under the acknowledged scope carry it', () => {
    const chart = Testing.chart();
    const { worker } = platform(chart);
    Warnings.acknowledge(worker, REPLICAS, 'not about inference');
    const out = Testing.synth(chart);
    expect(annotationOf(out, 'Deployment', 'inference')).toBeUndefined();
    expect(ruleIds(Guardrails.check(out))).toEqual([REPLICAS]);
  });

  test('an existing suppress annotation is kept, the acknowledgement appended once across synths', () => {
    const chart = Testing.chart();
    const { inference } = platform(chart);
    const deployment = inference.node.findChild('Deployment-inference') as ApiObject;
    deployment.metadata.addAnnotation(SUPPRESS, 'ML-W-GPU-WITHOUT-PLACEMENT: single GPU pool');
    Warnings.acknowledge(inference, REPLICAS, 'GitOps owns replicas');
    Testing.synth(chart);
    const out = Testing.synth(chart); // validations ran again: nothing doubled
    expect(annotationOf(out, 'Deployment', 'inference')).toBe('ML-W-GPU-WITHOUT-PLACEMENT: single GPU pool; ML-W-REPLICAS-ON-AUTOSCALED: GitOps owns replicas');
  });

  test('with Guardrails.enforce and failOnWarnings, an acknowledged warning neither fails synth nor is listed', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ml');
    platform(chart);
    Guardrails.enforce(chart, { failOnWarnings: true });
    expect(() => app.synthYaml()).toThrow(REPLICAS); // the reproduction: a warning fails synth here
    Warnings.acknowledge(chart, REPLICAS, 'GitOps owns replicas');
    const objects = parseYamlDocuments(app.synthYaml());
    expect(annotationOf(objects, 'Deployment', 'inference')).toBe(`${REPLICAS}: GitOps owns replicas`);
    expect(Warnings.of(chart).map(w => w.id)).not.toContain(REPLICAS);
  });

  test('on the library\'s constructs (their chart runs Guardrails.enforce): the PDB carries the acknowledgement', () => {
    const chart = Testing.chart();
    const svc = new GpuInferenceService(chart, 'Svc', {
      name: 'svc',
      image: 'registry/model:v1',
      cpuRequest: Cpu.millis(1000),
      memoryRequest: Size.gibibytes(2),
      gpu: { count: 1 },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [Metric.cpuUtilization(70)],
      disruptionBudget: { minAvailable: 2 },
      placement: { nodeSelector: { pool: 'gpu' } },
    });
    const before = Guardrails.check(Testing.synth(chart));
    expect(ruleIds(before)).toContain('ML-W-PDB-BLOCKS-DRAIN'); // the reproduction: lint reports what the app acknowledged
    Warnings.acknowledge(svc, 'ML-W-PDB-BLOCKS-DRAIN', 'single-node dev cluster');
    const out = Testing.synth(chart);
    expect(annotationOf(out, 'PodDisruptionBudget', 'svc-pdb')).toBe('ML-W-PDB-BLOCKS-DRAIN: single-node dev cluster');
    expect(ruleIds(Guardrails.check(out))).not.toContain('ML-W-PDB-BLOCKS-DRAIN');
    expect(Warnings.of(svc).map(w => w.id)).not.toContain('ML-W-PDB-BLOCKS-DRAIN');
  });

  test('construct warnings (not rules) are acknowledged as before and write nothing', () => {
    const chart = Testing.chart();
    platform(chart);
    Warnings.acknowledge(chart, PAUSED_WARNING, 'maintenance window'); // before the construct adds it: accepted
    Warnings.add(chart, PAUSED_WARNING, 'paused');
    expect(Warnings.of(chart)).toEqual([]);
    const out = Testing.synth(chart);
    expect(out.filter(o => o.metadata.annotations?.[SUPPRESS])).toEqual([]);
  });
});

describe('unknown IDs are rejected', () => {
  test('a misspelled rule ID names the closest known ID', () => {
    expect(errorOf(() => Warnings.acknowledge(Testing.chart(), 'ML-W-REPLICAS-ON-AUTOSCALE', 'x'))).toBe(
      '[Warnings.acknowledge] id="ML-W-REPLICAS-ON-AUTOSCALE": is not a warning nor a guardrail rule ID ' +
      '(did you mean "ML-W-REPLICAS-ON-AUTOSCALED"?), so it would acknowledge nothing. Fix: use the ID printed with the warning; ' +
      'Guardrails.rules() lists the rule IDs (an ID of your own Warnings.add is known once added).');
  });

  test('a misspelled construct warning ID names the construct warning', () => {
    expect(errorOf(() => Warnings.acknowledge(Testing.chart(), 'ML-W-KEDA-PAUSE', 'x'))).toContain('(did you mean "ML-W-KEDA-PAUSED"?)');
  });

  test('an ID of the app\'s own is accepted once added', () => {
    const chart = Testing.chart();
    expect(errorOf(() => Warnings.acknowledge(chart, 'APP-W-OWN-CHECK', 'x'))).toContain('is not a warning nor a guardrail rule ID');
    Warnings.add(chart, 'APP-W-OWN-CHECK', 'something of ours');
    Warnings.acknowledge(chart, 'APP-W-OWN-CHECK', 'fine');
    expect(Warnings.of(chart)).toEqual([]);
  });

  test('the reason of a rule acknowledgement must fit in the annotation', () => {
    expect(errorOf(() => Warnings.acknowledge(Testing.chart(), REPLICAS, 'GitOps; owns it'))).toBe(
      '[Warnings.acknowledge] reason="GitOps; owns it": contains ";" or a line break, which separate entries of the ' +
      'ml-autoscaling.io/suppress annotation it is written into. Fix: write the reason on one line without ";" (e.g. use "," instead).');
  });

  test('known IDs: every rule and every construct warning', () => {
    expect(guardrailRuleIds()).toEqual(Guardrails.rules().map(r => r.id));
    expect(constructWarningIds().sort()).toEqual([
      QueueBatchWorker.NO_MAX_PROCESSING_TIME_WARNING, KedaTriggerAuthentication.LITERAL_SECRET_WARNING,
      IDLE_REPLICAS_WARNING, CREDENTIAL_IN_METADATA_WARNING, PAUSED_WARNING, AutoscalingRules.NO_WORKLOADS_WARNING,
      AutoscalingDashboard.NO_WORKLOADS_WARNING,
    ].sort());
    // construct warnings are not rules: never in lint output, never valid in disabledRules or the annotation
    expect(constructWarningIds().filter(id => guardrailRuleIds().includes(id))).toEqual([]);
  });

  test('the check for `lint --disable`', () => {
    expect(unknownRuleIdProblem(REPLICAS)).toBeUndefined();
    expect(unknownRuleIdProblem('ML-W-REPLICAS-ON-AUTOSCALE')).toBe('is not a guardrail rule (did you mean "ML-W-REPLICAS-ON-AUTOSCALED"?)');
    expect(unknownRuleIdProblem(PAUSED_WARNING)).toMatch(/^is not a guardrail rule/);
    expect(unknownRuleIdProblem('XYZ')).toBe('is not a guardrail rule');
  });

  test('disabledRules of Guardrails.check and enforce name existing rules', () => {
    expect(errorOf(() => Guardrails.check([], { disabledRules: ['ML-W-REPLICAS-ON-AUTOSCALE'] }))).toBe(
      '[Guardrails.check] disabledRules[0]="ML-W-REPLICAS-ON-AUTOSCALE": is not a guardrail rule (did you mean "ML-W-REPLICAS-ON-AUTOSCALED"?). ' +
      'Fix: use an ID listed by Guardrails.rules() (`cdk8s-ml-autoscaling lint --help`).');
  });
});
