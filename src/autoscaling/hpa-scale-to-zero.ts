/**
 * `minReplicas: 0` on an autoscaling/v2 HPA (KEP-2021, `HPAScaleToZero`): allowed by the API server
 * only with the feature gate, and only with at least one Object or External metric
 * (pkg/apis/autoscaling/validation: validateHorizontalPodAutoscalerSpec, validateMetrics). The HPA
 * then scales its target to zero and back while its `ScaledToZero` condition is set.
 */
import { IConstruct } from 'constructs';
import { Metric, MetricSourceType } from './metric';
import { propError } from '../errors';
import { FeatureGate } from '../kubernetes/feature-gate';
import { gateOnByDefaultSince } from '../kubernetes/gate-stages';
import { KubernetesTarget } from '../kubernetes/kubernetes-target';

/** Metric sources that can wake a workload at zero replicas (Resource and Pods metrics have no samples without pods). */
const WAKING_SOURCES: ReadonlySet<MetricSourceType> = new Set([MetricSourceType.OBJECT, MetricSourceType.EXTERNAL]);

/** Whether an HPA on these metrics may have `minReplicas: 0`: at least one Object or External metric. */
export function canScaleFromZero(metrics: readonly Metric[]): boolean {
  return metrics.some(m => WAKING_SOURCES.has(m.sourceType));
}

/**
 * Throws unless the target of `scope` (`KubernetesTarget.of(scope)`) has `HPAScaleToZero` on.
 * @param alternative how to scale to zero without the gate, for the fix (e.g. "use HybridMlService in KEDA mode")
 */
export function checkScaleToZeroGate(scope: IConstruct, alternative: string): void {
  const target = KubernetesTarget.of(scope);
  if (target.isEnabled(FeatureGate.HPA_SCALE_TO_ZERO)) return;
  const since = gateOnByDefaultSince(FeatureGate.HPA_SCALE_TO_ZERO);
  const raiseVersion = since !== undefined && target.minor < since;
  throw propError(scope, 'minReplicas', 0,
    `needs the ${FeatureGate.HPA_SCALE_TO_ZERO} feature gate, which is off in ${target}` +
    (since !== undefined ? ` (beta and on by default since 1.${since})` : ''),
    (raiseVersion ? `target Kubernetes 1.${since}: KubernetesTarget.set(app, { version: '1.${since}' }) before adding constructs ` +
      `(or featureGates: { ${FeatureGate.HPA_SCALE_TO_ZERO}: true } if your cluster enables the gate on the API server and the kube-controller-manager), `
      : `remove featureGates: { ${FeatureGate.HPA_SCALE_TO_ZERO}: false } if your cluster runs with the gate on, `) +
    `or ${alternative}`);
}

/**
 * At synth (metrics may be added until then): throws when `minReplicas` is 0 and no metric can wake
 * the workload from zero.
 */
export function checkScaleFromZeroMetrics(scope: IConstruct, minReplicas: number, metrics: readonly Metric[], alternative: string): void {
  if (minReplicas !== 0 || canScaleFromZero(metrics)) return;
  throw propError(scope, 'minReplicas', 0,
    'an HPA scales from zero only on an Object or External metric (Resource and Pods metrics have no samples at zero pods), ' +
    `and its metrics are ${metrics.map(m => `${m.sourceType} ${m.name}`).join(', ')}`,
    'add one, e.g. Metric.external({ name: \'queue_length\', target: MetricTarget.averageValue(10) }) for the requests waiting, ' +
    `or ${alternative}`);
}
