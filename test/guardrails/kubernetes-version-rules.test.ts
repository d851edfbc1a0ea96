/**
 * The rules that judge by the target Kubernetes version (src/guardrails/rules/kubernetes-version-rules.ts)
 * and the version-dependent text of ML-E-TWO-AUTOSCALERS, over plain manifests.
 */
import { NS, cleanManifests, inferenceHpa, pick, workerScaledObject } from './manifests';
import { GuardrailFinding, GuardrailSeverity, GuardrailsOptions } from '../../src/guardrails/finding';
import { Guardrails } from '../../src/guardrails/guardrails';
import { errorOf } from '../error-of';

function run(objects: any[], ruleId: string, options: GuardrailsOptions = {}): GuardrailFinding[] {
  return Guardrails.check(objects, options).filter(f => f.ruleId === ruleId);
}

const QUEUE_METRIC = {
  type: 'External',
  external: {
    metric: { name: 'rabbitmq_queue_messages_ready', selector: { matchLabels: { queue: 'inference' } } },
    target: { type: 'AverageValue', averageValue: '5' },
  },
};

/** The clean platform with the inference HPA at minReplicas 0 and the given metrics (null: no `metrics`). */
function atZero(metrics: any[] | null = [QUEUE_METRIC]): any[] {
  const objects = cleanManifests();
  const hpa = pick(objects, 'HorizontalPodAutoscaler', 'inference');
  hpa.spec.minReplicas = 0;
  if (metrics === null) delete hpa.spec.metrics; else hpa.spec.metrics = metrics;
  return objects;
}

/** The clean platform with a tolerance on the inference HPA (`direction`) or the worker's ScaledObject. */
function withTolerance(value: unknown, on: 'hpa' | 'scaledObject' = 'hpa', direction = 'scaleDown'): any[] {
  const objects = cleanManifests();
  if (on === 'hpa') {
    const behavior = pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.behavior;
    behavior[direction] = { ...behavior[direction], tolerance: value };
  } else {
    pick(objects, 'ScaledObject', 'worker').spec.advanced = {
      horizontalPodAutoscalerConfig: { behavior: { [direction]: { tolerance: value } } },
    };
  }
  return objects;
}

test('the clean platform passes at every target version from 1.23 to 1.40', () => {
  for (let minor = 23; minor <= 40; minor++) {
    expect({ minor, findings: Guardrails.check(cleanManifests(), { kubernetesVersion: `1.${minor}` }) }).toEqual({ minor, findings: [] });
  }
});

describe('ML-E-HPA-ZERO-GATE-OFF', () => {
  const ID = 'ML-E-HPA-ZERO-GATE-OFF';

  test('rejects minReplicas 0 at the default target (1.35), naming the version, the gate and each fix', () => {
    const [f, ...more] = run(atZero(), ID);
    expect(more).toEqual([]);
    expect(f).toMatchObject({ severity: GuardrailSeverity.ERROR, kind: 'HorizontalPodAutoscaler', name: 'inference', namespace: NS, location: 'spec.minReplicas' });
    expect(f.problem).toBe('minReplicas is 0 but on Kubernetes 1.35 (HPAScaleToZero is alpha in 1.35, off by default; beta and on ' +
      'by default since 1.37): the API server rejects the HPA (spec.minReplicas: must be greater than or equal to 1)');
    expect(f.fix).toContain('kubernetesVersion: "1.37", lint --kubernetes-version 1.37');
    expect(f.fix).toContain('enable HPAScaleToZero on the kube-apiserver and the kube-controller-manager (since 1.36 both need it)');
    expect(f.fix).toContain('--feature-gates HPAScaleToZero=true');
    expect(f.fix).toContain('minReplicas: 1');
    expect(f.fix).toContain('KEDA ScaledObject');
    expect(f.confirm).toBe("kubectl version && kubectl get hpa inference -n ml-workloads -o jsonpath='{.spec.minReplicas}'");
    expect(f.message).toContain('error ML-E-HPA-ZERO-GATE-OFF HorizontalPodAutoscaler ml-workloads/inference at spec.minReplicas: ');
  });

  test('names the version it judged for (1.36)', () => {
    const [f] = run(atZero(), ID, { kubernetesVersion: '1.36' });
    expect(f.problem).toContain('on Kubernetes 1.36 (HPAScaleToZero is alpha in 1.36, off by default; beta and on by default since 1.37)');
  });

  test('accepts minReplicas 0 from 1.37 on, and earlier with the gate enabled', () => {
    expect(run(atZero(), ID, { kubernetesVersion: '1.37' })).toEqual([]);
    expect(run(atZero(), ID, { kubernetesVersion: 'v1.38.2' })).toEqual([]);
    expect(run(atZero(), ID, { kubernetesVersion: '1.36', featureGates: { HPAScaleToZero: true } })).toEqual([]);
    expect(run(atZero(), ID, { featureGates: { HPAScaleToZero: true } })).toEqual([]);
  });

  test('rejects minReplicas 0 on 1.37 with the gate switched off, naming the setting', () => {
    const [f] = run(atZero(), ID, { kubernetesVersion: '1.37', featureGates: { HPAScaleToZero: false } });
    expect(f.problem).toContain('minReplicas is 0 but on Kubernetes 1.37 with HPAScaleToZero=false: the API server rejects the HPA');
  });

  test('an HPA with minReplicas 1 or without minReplicas (default 1) passes', () => {
    const one = atZero();
    pick(one, 'HorizontalPodAutoscaler', 'inference').spec.minReplicas = 1;
    expect(run(one, ID)).toEqual([]);
    const omitted = atZero();
    delete pick(omitted, 'HorizontalPodAutoscaler', 'inference').spec.minReplicas;
    expect(run(omitted, ID)).toEqual([]);
  });

  test('an HPA KEDA generated (in a cluster dump) is KEDA\'s business, not flagged', () => {
    const objects = atZero();
    pick(objects, 'HorizontalPodAutoscaler', 'inference').metadata.labels = { 'scaledobject.keda.sh/name': 'inference' };
    expect(run(objects, ID)).toEqual([]);
  });
});

describe('ML-E-HPA-ZERO-WITHOUT-EXTERNAL-METRIC', () => {
  const ID = 'ML-E-HPA-ZERO-WITHOUT-EXTERNAL-METRIC';
  const V137 = { kubernetesVersion: '1.37' };
  const cpu = inferenceHpa().spec.metrics[0];
  const pods = inferenceHpa().spec.metrics[1];

  test('rejects minReplicas 0 with only Resource and Pods metrics: nothing can wake the workload', () => {
    const [f, ...more] = run(atZero([cpu, pods]), ID, V137);
    expect(more).toEqual([]);
    expect(f).toMatchObject({ severity: GuardrailSeverity.ERROR, name: 'inference', location: 'spec.metrics' });
    expect(f.problem).toBe('minReplicas is 0 but the HPA has only Resource/Pods metrics: nothing can wake the workload from zero, ' +
      'the API server rejects it (spec.metrics: must specify at least one Object or External metric to support scaling to zero replicas)');
    expect(f.fix).toContain('add an External metric that is non-zero while work waits (e.g. the queue length)');
    expect(f.confirm).toBe("kubectl get hpa inference -n ml-workloads -o jsonpath='{.spec.metrics[*].type}'");
  });

  test('an External or an Object metric next to cpu makes minReplicas 0 valid', () => {
    expect(run(atZero([cpu, QUEUE_METRIC]), ID, V137)).toEqual([]);
    const object = {
      type: 'Object',
      object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'inference' }, metric: { name: 'requests_waiting' }, target: { type: 'Value', value: '10' } },
    };
    expect(run(atZero([object]), ID, V137)).toEqual([]);
  });

  test('an HPA without metrics scales on cpu, and an autoscaling/v1 HPA on cpu only', () => {
    expect(run(atZero(null), ID, V137).map(f => f.problem)).toEqual([
      expect.stringContaining('minReplicas is 0 but the HPA has no metrics (80% cpu by default)'),
    ]);
    const v1 = atZero(null);
    Object.assign(pick(v1, 'HorizontalPodAutoscaler', 'inference'), { apiVersion: 'autoscaling/v1' });
    expect(run(v1, ID, V137).map(f => f.problem)).toEqual([expect.stringContaining('only Resource metrics')]);
  });

  test('is checked whatever the version: below 1.37 both errors are reported, each with its own fix', () => {
    const findings = Guardrails.check(atZero([cpu]), { kubernetesVersion: '1.35' }).filter(f => f.severity === GuardrailSeverity.ERROR);
    expect(findings.map(f => [f.ruleId, f.location])).toEqual([
      ['ML-E-HPA-ZERO-GATE-OFF', 'spec.minReplicas'],
      ['ML-E-HPA-ZERO-WITHOUT-EXTERNAL-METRIC', 'spec.metrics'],
    ]);
  });
});

describe('ML-W-TOLERANCE-DROPPED', () => {
  const ID = 'ML-W-TOLERANCE-DROPPED';

  test('warns that 1.34 drops an HPA tolerance silently, naming the version, the gate and the fixes', () => {
    const [f, ...more] = run(withTolerance('0.05'), ID, { kubernetesVersion: '1.34' });
    expect(more).toEqual([]);
    expect(f).toMatchObject({ severity: GuardrailSeverity.WARNING, kind: 'HorizontalPodAutoscaler', name: 'inference', location: 'spec.behavior.scaleDown.tolerance' });
    expect(f.problem).toBe('tolerance "0.05" is set but on Kubernetes 1.34 (HPAConfigurableTolerance is alpha in 1.34, off by default; ' +
      'beta and on by default since 1.35): the API server drops the field silently and the cluster-wide tolerance (10% by default) applies');
    expect(f.fix).toContain('kubernetesVersion: "1.35", lint --kubernetes-version 1.35');
    expect(f.fix).toContain('--feature-gates HPAConfigurableTolerance=true');
    expect(f.confirm).toBe("kubectl version && kubectl get hpa inference -n ml-workloads -o jsonpath='{.spec.behavior.scaleDown.tolerance}'");
  });

  test('before 1.33 the gate does not exist: the fix does not suggest enabling it', () => {
    const [f] = run(withTolerance(0.05, 'hpa', 'scaleUp'), ID, { kubernetesVersion: '1.32' });
    expect(f.location).toBe('spec.behavior.scaleUp.tolerance');
    expect(f.problem).toContain('tolerance 0.05 is set but on Kubernetes 1.32 (HPAConfigurableTolerance does not exist before 1.33; ' +
      'beta and on by default since 1.35)');
    expect(f.fix).not.toContain('--feature-gates');
  });

  test('a ScaledObject tolerance is dropped from the HPA KEDA creates', () => {
    const [f] = run(withTolerance('0.02', 'scaledObject', 'scaleUp'), ID, { kubernetesVersion: '1.33' });
    expect(f).toMatchObject({ kind: 'ScaledObject', name: 'worker', location: 'spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.tolerance' });
    expect(f.confirm).toBe("kubectl version && kubectl get hpa keda-hpa-worker -n ml-workloads -o jsonpath='{.spec.behavior.scaleUp.tolerance}'");
  });

  test('kept from 1.35 on (the default), and on 1.33 or 1.34 with the gate enabled', () => {
    expect(run(withTolerance('0.05'), ID)).toEqual([]);
    expect(run(withTolerance('0.05', 'scaledObject'), ID, { kubernetesVersion: '1.37' })).toEqual([]);
    expect(run(withTolerance('0.05'), ID, { kubernetesVersion: '1.34', featureGates: { HPAConfigurableTolerance: true } })).toEqual([]);
  });

  test('dropped on 1.35 when the gate is switched off', () => {
    expect(run(withTolerance('0.05'), ID, { featureGates: { HPAConfigurableTolerance: false } }).map(f => f.problem))
      .toEqual([expect.stringContaining('on Kubernetes 1.35 with HPAConfigurableTolerance=false: the API server drops the field')]);
  });
});

describe('ML-E-INVALID-TOLERANCE', () => {
  const ID = 'ML-E-INVALID-TOLERANCE';

  test('rejects a negative tolerance at the default target', () => {
    const [f, ...more] = run(withTolerance('-0.1'), ID);
    expect(more).toEqual([]);
    expect(f).toMatchObject({ severity: GuardrailSeverity.ERROR, location: 'spec.behavior.scaleDown.tolerance' });
    expect(f.problem).toBe('tolerance "-0.1" is negative: the API server rejects the HPA (a tolerance may not be negative)');
    expect(f.fix).toContain('"0.05" for 5%');
  });

  test('rejects a tolerance that is not a quantity, on any version', () => {
    for (const version of ['1.30', '1.35']) {
      expect(run(withTolerance('5%'), ID, { kubernetesVersion: version }).map(f => f.problem))
        .toEqual(['tolerance "5%" is not a Kubernetes quantity: the API server rejects the HPA']);
    }
  });

  test('with the gate off a negative tolerance is dropped now and rejected later; reported once, as this error', () => {
    const findings = Guardrails.check(withTolerance('-50m'), { kubernetesVersion: '1.34' });
    expect(findings.filter(f => f.location === 'spec.behavior.scaleDown.tolerance').map(f => f.ruleId)).toEqual([ID]);
    expect(findings.find(f => f.ruleId === ID)!.problem).toContain('on Kubernetes 1.34 (HPAConfigurableTolerance is alpha in 1.34, ' +
      'off by default; beta and on by default since 1.35) the API server drops the field, and rejects the HPA as soon as the gate is on');
  });

  test('a negative ScaledObject tolerance breaks the HPA KEDA creates, under its custom name', () => {
    const objects = withTolerance(-0.2, 'scaledObject');
    pick(objects, 'ScaledObject', 'worker').spec.advanced.horizontalPodAutoscalerConfig.name = 'worker-hpa';
    const [f] = run(objects, ID);
    expect(f.problem).toBe('tolerance -0.2 is negative: the API server rejects the HPA KEDA creates (worker-hpa) (a tolerance may not be negative)');
    expect(f.confirm).toContain('kubectl get hpa worker-hpa -n ml-workloads');
  });

  test('zero, fractions, milli-units and numbers are valid', () => {
    for (const value of ['0', '0.05', '50m', 0.1, 1]) expect(run(withTolerance(value), ID)).toEqual([]);
  });
});

describe('ML-E-TWO-AUTOSCALERS says what the target version does', () => {
  const ID = 'ML-E-TWO-AUTOSCALERS';
  function twoHpas(): any[] {
    const objects = cleanManifests();
    objects.push({ ...inferenceHpa(), metadata: { name: 'inference-second', namespace: NS } });
    return objects;
  }

  test('from 1.26 on (the default 1.35): AmbiguousSelector stops both HPAs', () => {
    const [f] = run(twoHpas(), ID);
    expect(f.problem).toBe('Deployment ml-workloads/inference is also scaled by HorizontalPodAutoscaler ml-workloads/inference: ' +
      'on Kubernetes 1.35 the HPA controller sets ScalingActive=False (reason AmbiguousSelector) on every HPA that selects its ' +
      'pods (KEDA\'s included), so neither scales it');
    expect(run(twoHpas(), ID, { kubernetesVersion: '1.26' })[0].problem).toContain('on Kubernetes 1.26 the HPA controller sets ScalingActive=False');
  });

  test('before 1.26: the two controllers overwrite each other', () => {
    const [f] = run(twoHpas(), ID, { kubernetesVersion: '1.25' });
    expect(f.problem).toContain('on Kubernetes 1.25 the two controllers overwrite each other\'s replica count ' +
      '(from 1.26 on, the HPA controller stops both instead: AmbiguousSelector)');
  });

  test('an HPA and a ScaledObject on one workload: the same, KEDA\'s HPA included', () => {
    const objects = cleanManifests();
    objects.push({ ...workerScaledObject(), metadata: { name: 'inference-keda', namespace: NS }, spec: { ...workerScaledObject().spec, scaleTargetRef: { name: 'inference' }, minReplicaCount: 2 } });
    expect(run(objects, ID).map(f => f.problem)).toEqual([expect.stringContaining('(reason AmbiguousSelector) on every HPA that selects its pods (KEDA\'s included)')]);
  });
});

describe('ML-W-SCALE-TO-ZERO-WITHOUT-BUFFER on an HPA at minReplicas 0', () => {
  const ID = 'ML-W-SCALE-TO-ZERO-WITHOUT-BUFFER';

  test('an HPA scaling an HTTP service to zero (valid on 1.37) is warned about, with the HPA field in the fix', () => {
    const [f, ...more] = run(atZero(), ID, { kubernetesVersion: '1.37' });
    expect(more).toEqual([]);
    expect(f).toMatchObject({ kind: 'HorizontalPodAutoscaler', name: 'inference', location: 'spec.minReplicas' });
    expect(f.fix).toContain('keep at least 1 replica (minReplicas: 1)');
  });

  test('request buffering declared on the pod template silences it', () => {
    const objects = atZero();
    pick(objects, 'Deployment', 'inference').spec.template.metadata.annotations['ml-autoscaling.io/request-buffering'] = 'true';
    expect(run(objects, ID, { kubernetesVersion: '1.37' })).toEqual([]);
  });
});

describe('Guardrails.check takes the target version and checks it', () => {
  test('kubernetesVersion and featureGates are checked like every other option', () => {
    expect(errorOf(() => Guardrails.check([], { kubernetesVersion: 'banana' })))
      .toContain('kubernetesVersion="banana": is not a Kubernetes version ("1.<minor>", e.g. "1.37")');
    expect(errorOf(() => Guardrails.check([], { kubernetesVersion: '1.20' }))).toContain('is older than 1.23');
    expect(errorOf(() => Guardrails.check([], { kubernetesVersion: 1.37 as any }))).toContain('kubernetesVersion');
    expect(errorOf(() => Guardrails.check([], { featureGates: { HPAScaleToZro: true } }))).toContain('HPAScaleToZro');
    expect(errorOf(() => Guardrails.check([], { kubernetesVersion: '1.30', featureGates: { HPAConfigurableTolerance: true } })))
      .toContain('does not exist in Kubernetes 1.30 (it was added in 1.33)');
  });

  test('a valid HPA scaling to zero on an External metric passes every error rule on 1.37', () => {
    const objects = atZero();
    pick(objects, 'Deployment', 'inference').spec.template.metadata.annotations['ml-autoscaling.io/request-buffering'] = 'true';
    const findings = Guardrails.check(objects, { kubernetesVersion: '1.37' });
    expect(findings.filter(f => f.severity === GuardrailSeverity.ERROR)).toEqual([]);
  });
});
