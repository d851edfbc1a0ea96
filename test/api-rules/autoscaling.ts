/**
 * HorizontalPodAutoscaler (autoscaling/v2) rules. Mirrors k8s.io/kubernetes/pkg/apis/autoscaling/validation/validation.go:
 * validateHorizontalPodAutoscalerSpec, ValidateCrossVersionObjectReference, validateMetrics / validateMetricSpec /
 * validateMetricTarget / validateMetricIdentifier, validateBehavior / validateScalingRules / validateScalingPolicy
 * (MaxPeriodSeconds = 1800, MaxStabilizationWindowSeconds = 3600), for a target Kubernetes version: the registry
 * strategy lowers the minReplicas floor to 0 when HPAScaleToZero is on (validationOptionsForHorizontalPodAutoscaler).
 */
import { isDns1123Subdomain, isInt32, isQuantity, isString, quantityValue } from './formats';
import { checkLabelSelector } from './selectors';
import { isObject, Report } from './violation';
import { FeatureGate, KubernetesTarget } from '../../src';

/**
 * The smallest minReplicas the API server of `target` accepts (MinReplicasLowerBound): 0 with the HPAScaleToZero
 * feature gate (beta and on by default since 1.37), else 1.
 */
export function hpaMinReplicasFloor(target: KubernetesTarget): number {
  return target.isEnabled(FeatureGate.HPA_SCALE_TO_ZERO) ? 0 : 1;
}

export const MAX_PERIOD_SECONDS = 1800;
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

const METRIC_SOURCES: Record<string, string> = {
  Resource: 'resource', Pods: 'pods', Object: 'object', External: 'external', ContainerResource: 'containerResource',
};

/** validateMetricTarget */
function checkMetricTarget(r: Report, path: string, target: any): void {
  if (!isObject(target)) {
    r.add(path, target, 'target is required (validateMetricTarget)');
    return;
  }
  const type = target.type;
  r.expect(['Utilization', 'Value', 'AverageValue'].includes(type), `${path}.type`, type, 'must be Utilization, Value or AverageValue (validateMetricTarget)');
  if (target.averageUtilization !== undefined) {
    r.expect(isInt32(target.averageUtilization) && target.averageUtilization >= 1, `${path}.averageUtilization`, target.averageUtilization,
      'must be an int32 greater than 0 (validateMetricTarget)');
  }
  for (const f of ['averageValue', 'value']) {
    if (target[f] === undefined) continue;
    r.expect(isQuantity(target[f]), `${path}.${f}`, target[f], 'must be a quantity (resource.ParseQuantity)');
    if (isQuantity(target[f])) r.expect(quantityValue(target[f]) > 0, `${path}.${f}`, target[f], 'must be positive (validateMetricTarget: Sign() != 1)');
  }
  const given = { Utilization: 'averageUtilization', Value: 'value', AverageValue: 'averageValue' }[type as 'Value'];
  if (given) r.expect(target[given] !== undefined, `${path}.${given}`, undefined, `must be set when target.type is ${type} (validateMetricTarget)`);
}

/** validateMetricIdentifier */
function checkMetricIdentifier(r: Report, path: string, metric: any): void {
  r.expect(isString(metric?.name) && metric.name.length > 0, `${path}.name`, metric?.name, 'metric name is required (validateMetricIdentifier)');
  checkLabelSelector(r, `${path}.selector`, metric?.selector);
}

function checkMetric(r: Report, path: string, m: any): void {
  const field = METRIC_SOURCES[m?.type];
  if (!field) {
    r.add(`${path}.type`, m?.type, 'must be Resource, Pods, Object, External or ContainerResource (validateMetricSpec)');
    return;
  }
  const others = Object.values(METRIC_SOURCES).filter(f => f !== field && m[f] !== undefined);
  r.expect(others.length === 0, path, others, 'must populate only the source matching type (validateMetricSpec)');
  const src = m[field];
  if (!isObject(src)) {
    r.add(`${path}.${field}`, src, `must be set when type is ${m.type} (validateMetricSpec)`);
    return;
  }
  if (field === 'resource' || field === 'containerResource') {
    r.expect(isString(src.name) && src.name.length > 0, `${path}.${field}.name`, src.name, 'resource name is required (validateResourceSource)');
    if (field === 'containerResource') r.expect(isString(src.container) && src.container.length > 0, `${path}.${field}.container`, src.container, 'container is required');
    r.expect(src.target?.type !== 'Value', `${path}.${field}.target.type`, src.target?.type, 'may not be Value for a resource metric (validateResourceSource)');
  } else {
    checkMetricIdentifier(r, `${path}.${field}.metric`, src.metric);
    if (field === 'pods') r.expect(src.target?.type === 'AverageValue', `${path}.pods.target.type`, src.target?.type, 'must be AverageValue (validatePodsSource)');
    if (field === 'object') r.expect(isObject(src.describedObject) && isString(src.describedObject.name), `${path}.object.describedObject`, src.describedObject, 'describedObject is required (validateObjectSource)');
  }
  checkMetricTarget(r, `${path}.${field}.target`, src.target);
}

/** validateScalingRules / validateScalingPolicy; shared with KEDA's advanced.horizontalPodAutoscalerConfig.behavior. */
export function checkBehavior(r: Report, path: string, behavior: any): void {
  if (behavior === undefined) return;
  if (!isObject(behavior)) {
    r.add(path, behavior, 'must be an object');
    return;
  }
  for (const dir of ['scaleUp', 'scaleDown']) {
    const rules = behavior[dir];
    if (rules === undefined) continue;
    const p = `${path}.${dir}`;
    if (!isObject(rules)) {
      r.add(p, rules, 'must be an object');
      continue;
    }
    if (rules.stabilizationWindowSeconds !== undefined) {
      const w = rules.stabilizationWindowSeconds;
      r.expect(isInt32(w) && w >= 0 && w <= MAX_STABILIZATION_WINDOW_SECONDS, `${p}.stabilizationWindowSeconds`, w,
        `must be 0..${MAX_STABILIZATION_WINDOW_SECONDS} (validateScalingRules)`);
    }
    if (rules.selectPolicy !== undefined) {
      r.expect(['Max', 'Min', 'Disabled'].includes(rules.selectPolicy), `${p}.selectPolicy`, rules.selectPolicy, 'must be Max, Min or Disabled (validateScalingRules)');
    }
    // policies left out are defaulted (autoscaling/v2 defaults.go GenerateHPAScaleUpRules / GenerateHPAScaleDownRules,
    // copyHPAScalingRules copies only non-nil fields); an explicit empty list survives defaulting and is rejected
    if (rules.policies !== undefined) {
      r.expect(Array.isArray(rules.policies) && rules.policies.length > 0, `${p}.policies`, rules.policies, 'must specify at least one Policy (validateScalingRules)');
    }
    // with HPAConfigurableTolerance off the API server drops the field before validation (dropDisabledFields): no error
    if (rules.tolerance !== undefined) {
      r.expect(isQuantity(rules.tolerance) && quantityValue(rules.tolerance) >= 0, `${p}.tolerance`, rules.tolerance,
        'must be a quantity greater than or equal to 0 (validateScalingRules: ValidateNonnegativeQuantity)');
    }
    (Array.isArray(rules.policies) ? rules.policies : []).forEach((pol: any, i: number) => {
      const pp = `${p}.policies[${i}]`;
      r.expect(pol?.type === 'Pods' || pol?.type === 'Percent', `${pp}.type`, pol?.type, 'must be Pods or Percent (validateScalingPolicy)');
      r.expect(isInt32(pol?.value) && pol.value > 0, `${pp}.value`, pol?.value, 'must be an int32 greater than zero (validateScalingPolicy)');
      r.expect(isInt32(pol?.periodSeconds) && pol.periodSeconds > 0 && pol.periodSeconds <= MAX_PERIOD_SECONDS, `${pp}.periodSeconds`, pol?.periodSeconds,
        `must be 1..${MAX_PERIOD_SECONDS} (validateScalingPolicy)`);
    });
  }
}

export function checkHpa(r: Report, obj: any, target: KubernetesTarget): void {
  const spec = obj.spec ?? {};
  const ref = spec.scaleTargetRef;
  r.expect(isString(ref?.kind) && ref.kind.length > 0, 'spec.scaleTargetRef.kind', ref?.kind, 'is required (ValidateCrossVersionObjectReference)');
  r.expect(isDns1123Subdomain(ref?.name), 'spec.scaleTargetRef.name', ref?.name, 'must be a valid object name (ValidateCrossVersionObjectReference: ValidatePathSegmentName)');
  const min = spec.minReplicas;
  if (min !== undefined) {
    const floor = hpaMinReplicasFloor(target);
    r.expect(isInt32(min) && min >= floor, 'spec.minReplicas', min,
      `must be an int32 >= ${floor} (validateHorizontalPodAutoscalerSpec; 0 needs the HPAScaleToZero feature gate, ` +
      `${floor === 0 ? 'on' : 'off'} in ${target})`);
  }
  // validateMetrics: checked whatever the gate (with the gate off the floor above already fails); metrics left out are
  // defaulted to CPU utilization (SetDefaults_HorizontalPodAutoscaler), which cannot wake a workload either
  if (min === 0) {
    const metrics: any[] = Array.isArray(spec.metrics) ? spec.metrics : [];
    r.expect(metrics.some(m => m?.type === 'Object' || m?.type === 'External'), 'spec.metrics', metrics.map(m => m?.type),
      'must specify at least one Object or External metric to support scaling to zero replicas (validateMetrics)');
  }
  r.expect(isInt32(spec.maxReplicas) && spec.maxReplicas >= 1, 'spec.maxReplicas', spec.maxReplicas, 'must be an int32 >= 1 (validateHorizontalPodAutoscalerSpec)');
  if (isInt32(spec.maxReplicas)) {
    r.expect(!(spec.maxReplicas < (min ?? 1)), 'spec.maxReplicas', spec.maxReplicas, `must be >= minReplicas ${min ?? 1} (validateHorizontalPodAutoscalerSpec)`);
  }
  (Array.isArray(spec.metrics) ? spec.metrics : []).forEach((m: any, i: number) => checkMetric(r, `spec.metrics[${i}]`, m));
  checkBehavior(r, 'spec.behavior', spec.behavior);
}
