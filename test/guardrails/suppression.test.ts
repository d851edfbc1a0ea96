import { cleanManifests, pick, ruleIds } from './manifests';
import { Guardrails } from '../../src/guardrails/guardrails';

const SUPPRESS = 'ml-autoscaling.io/suppress';

function withReplicas(): any[] {
  const objects = cleanManifests();
  pick(objects, 'Deployment', 'inference').spec.replicas = 2;
  return objects;
}

test('a suppression with a reason silences that rule on that object', () => {
  const objects = withReplicas();
  pick(objects, 'Deployment', 'inference').metadata.annotations = {
    [SUPPRESS]: 'ML-W-REPLICAS-ON-AUTOSCALED: Argo CD ignores spec.replicas here',
  };
  expect(Guardrails.check(objects)).toEqual([]);
});

test('several rules can be suppressed, separated by semicolons', () => {
  const objects = withReplicas();
  const d = pick(objects, 'Deployment', 'inference');
  delete d.spec.template.spec.nodeSelector;
  d.metadata.annotations = {
    [SUPPRESS]: 'ML-W-REPLICAS-ON-AUTOSCALED: managed by Argo; ML-W-GPU-WITHOUT-PLACEMENT: single GPU node pool',
  };
  expect(Guardrails.check(objects)).toEqual([]);
});

test('a suppression on the pod template counts for the workload', () => {
  const objects = withReplicas();
  pick(objects, 'Deployment', 'inference').spec.template.metadata.annotations[SUPPRESS] =
    'ML-W-REPLICAS-ON-AUTOSCALED: written by the construct';
  expect(Guardrails.check(objects)).toEqual([]);
});

test('a suppression only covers its own object', () => {
  const objects = withReplicas();
  pick(objects, 'HorizontalPodAutoscaler', 'inference').metadata.annotations = {
    [SUPPRESS]: 'ML-W-REPLICAS-ON-AUTOSCALED: wrong object',
  };
  expect(ruleIds(Guardrails.check(objects))).toEqual(['ML-W-REPLICAS-ON-AUTOSCALED']);
});

test('errors can be suppressed too, with a reason', () => {
  const objects = cleanManifests();
  const hpa = pick(objects, 'HorizontalPodAutoscaler', 'inference');
  hpa.spec.minReplicas = 10;
  hpa.metadata.annotations = { [SUPPRESS]: 'ML-E-MIN-ABOVE-MAX: patched by kustomize overlay' };
  expect(Guardrails.check(objects)).toEqual([]);
});

test('a suppression without a reason does not suppress and is reported', () => {
  const objects = withReplicas();
  pick(objects, 'Deployment', 'inference').metadata.annotations = { [SUPPRESS]: 'ML-W-REPLICAS-ON-AUTOSCALED' };
  const findings = Guardrails.check(objects);
  expect(ruleIds(findings)).toEqual(['ML-W-INVALID-SUPPRESSION', 'ML-W-REPLICAS-ON-AUTOSCALED']);
  const invalid = findings.find(f => f.ruleId === 'ML-W-INVALID-SUPPRESSION')!;
  expect(invalid).toMatchObject({ kind: 'Deployment', name: 'inference', severity: 'warning' });
  expect(invalid.problem).toContain('without a reason');
});

test('an empty reason after the colon counts as no reason', () => {
  const objects = withReplicas();
  pick(objects, 'Deployment', 'inference').metadata.annotations = { [SUPPRESS]: 'ML-W-REPLICAS-ON-AUTOSCALED:   ' };
  expect(ruleIds(Guardrails.check(objects))).toEqual(['ML-W-INVALID-SUPPRESSION', 'ML-W-REPLICAS-ON-AUTOSCALED']);
});

test('a suppression of an unknown rule is reported', () => {
  const objects = cleanManifests();
  pick(objects, 'Service', 'inference').metadata.annotations = { [SUPPRESS]: 'ML-W-NO-SUCH-RULE: typo' };
  const findings = Guardrails.check(objects);
  expect(findings).toHaveLength(1);
  expect(findings[0].problem).toContain('not a guardrail rule');
});

test('a misspelled rule ID in the annotation is a warning naming the closest rule; the finding it meant to silence keeps its severity', () => {
  const objects = cleanManifests();
  const hpa = pick(objects, 'HorizontalPodAutoscaler', 'inference');
  hpa.spec.minReplicas = 10;
  hpa.metadata.annotations = { [SUPPRESS]: 'ML-E-MIN-ABOVE-MAXX: patched by an overlay' };
  const findings = Guardrails.check(objects);
  expect(findings.map(f => [f.ruleId, f.severity])).toEqual([['ML-E-MIN-ABOVE-MAX', 'error'], ['ML-W-INVALID-SUPPRESSION', 'warning']]);
  expect(findings[1].message).toBe('warning ML-W-INVALID-SUPPRESSION HorizontalPodAutoscaler ml-workloads/inference ' +
    'at metadata.annotations["ml-autoscaling.io/suppress"]: suppresses "ML-E-MIN-ABOVE-MAXX", which is not a guardrail rule ' +
    '(nothing is suppressed). Fix: did you mean "ML-E-MIN-ABOVE-MAX"? Use a rule ID listed in docs/rules.md ' +
    '(`cdk8s-ml-autoscaling lint --help` lists them). Check: kubectl get hpa inference -n ml-workloads -o jsonpath=\'{.metadata.annotations}\'');
});

test('a construct warning ID (not a rule) in the annotation is reported as unknown', () => {
  const objects = cleanManifests();
  pick(objects, 'Service', 'inference').metadata.annotations = { [SUPPRESS]: 'ML-W-KEDA-PAUSED: maintenance' };
  expect(Guardrails.check(objects).map(f => [f.ruleId, f.problem])).toEqual([
    ['ML-W-INVALID-SUPPRESSION', 'suppresses "ML-W-KEDA-PAUSED", which is not a guardrail rule (nothing is suppressed)'],
  ]);
});

test('suppressed findings are listed with their reason when asked for', () => {
  const objects = withReplicas();
  pick(objects, 'Deployment', 'inference').metadata.annotations = { [SUPPRESS]: 'ML-W-REPLICAS-ON-AUTOSCALED: GitOps owns it' };
  const findings = Guardrails.check(objects, { includeSuppressed: true });
  expect(findings).toHaveLength(1);
  expect(findings[0].suppressedReason).toBe('GitOps owns it');
  expect(findings[0].message).toContain('[suppressed: GitOps owns it]');
});
