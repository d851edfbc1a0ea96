import { AutoscaledWorkload, HpaMetricView, TriggerView } from './autoscaled-workloads';
import { KEDA, KSM } from './source-metrics';

/**
 * The PromQL that watches one autoscaled workload, shared by the recording and alerting rules and the
 * dashboard so both read the same definitions. Every expression dedupes kube-state-metrics' series
 * (several replicas of it, or scrape labels) with `max by` over the object's identifying labels.
 */

/** A PromQL string literal. */
export function promqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `namespace="ns",horizontalpodautoscaler="hpa"`: the HPA that scales the workload (KEDA's for a ScaledObject). */
export function hpaMatchers(w: AutoscaledWorkload): string {
  return `namespace=${promqlString(w.namespace)},horizontalpodautoscaler=${promqlString(w.hpaName)}`;
}

/** `namespace="ns",pod=~"name-[a-z0-9]+-[a-z0-9]+"`: the workload's pods. */
export function podMatchers(w: AutoscaledWorkload): string {
  return `namespace=${promqlString(w.namespace)},pod=~${promqlString(w.podPattern)}`;
}

/** `namespace="ns",scaledObject="so"`: KEDA's series of the workload's ScaledObject. */
export function scaledObjectMatchers(w: AutoscaledWorkload): string {
  return `namespace=${promqlString(w.namespace)},scaledObject=${promqlString(w.autoscalerName)}`;
}

const BY_HPA = 'max by (namespace, horizontalpodautoscaler)';

/** Which replica count of the HPA. */
export type ReplicaCount = 'current' | 'desired' | 'min' | 'max';

const REPLICA_SERIES: Record<ReplicaCount, string> = {
  current: KSM.hpaCurrentReplicas,
  desired: KSM.hpaDesiredReplicas,
  min: KSM.hpaMinReplicas,
  max: KSM.hpaMaxReplicas,
};

/** The HPA's current, desired, minimum or maximum replica count. */
export function replicas(w: AutoscaledWorkload, which: ReplicaCount): string {
  return `${BY_HPA} (${REPLICA_SERIES[which]}{${hpaMatchers(w)}})`;
}

/** Present (1) while the HPA runs at its maximum: current replicas >= maxReplicas. */
export function atMaximum(w: AutoscaledWorkload): string {
  return `${replicas(w, 'current')} >= ${replicas(w, 'max')}`;
}

/** Present while the HPA cannot compute a metric (condition ScalingActive is False: `<unknown>` in kubectl). */
export function scalingInactive(w: AutoscaledWorkload): string {
  return `${BY_HPA} (${KSM.hpaCondition}{${hpaMatchers(w)},condition="ScalingActive",status="false"}) == 1`;
}

/**
 * Per pod of the workload: seconds from the pod's creation to its (last) transition to Ready, the
 * simulator's definition of a cold start. Pods not Ready yet have no value.
 */
export function podColdStartSeconds(w: AutoscaledWorkload): string {
  return `max by (namespace, pod) (${KSM.podReadyTime}{${podMatchers(w)}}) - max by (namespace, pod) (${KSM.podCreated}{${podMatchers(w)}}) > 0`;
}

/** The resource label kube-state-metrics writes for an extended resource (`nvidia.com/gpu` -> `nvidia_com_gpu`). */
export function ksmResourceLabel(resource: string): string {
  return resource.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** GPUs the workload's pods request now (pods that exist, running or pending), or undefined without GPUs. */
export function gpusRequested(w: AutoscaledWorkload): string | undefined {
  if (w.gpuResources.length === 0) return undefined;
  const resources = w.gpuResources.map(ksmResourceLabel).join('|');
  return `sum(max by (namespace, pod, container, resource) (${KSM.containerRequests}{${podMatchers(w)},resource=~${promqlString(resources)}}))`;
}

/** The HPA's current value of one of its metrics, as the HPA reports it in its status. */
export function hpaMetricValue(w: AutoscaledWorkload, m: HpaMetricView): string {
  return 'max by (namespace, horizontalpodautoscaler, metric_name, metric_target_type) ' +
    `(${KSM.hpaCurrentMetric}{${hpaMatchers(w)},metric_name=${promqlString(m.metricName)},metric_target_type=${promqlString(m.targetType)}})`;
}

/** The value a ScaledObject's trigger reports (the total the HPA divides by the per-replica target). */
export function triggerValue(w: AutoscaledWorkload, t: TriggerView): string {
  return `max by (namespace, scaledObject, triggerIndex) (${KEDA.scalerMetricsValue}{${scaledObjectMatchers(w)},triggerIndex="${t.index}"})`;
}

/**
 * The HPA's target of one of its metrics, as kube-state-metrics reports the live spec (EXPERIMENTAL
 * in kube-state-metrics; utilization in percent, quantities in base units).
 */
export function hpaMetricTarget(w: AutoscaledWorkload, m: HpaMetricView): string {
  return 'max by (namespace, horizontalpodautoscaler, metric_name, metric_target_type) ' +
    `(${KSM.hpaTargetMetric}{${hpaMatchers(w)},metric_name=${promqlString(m.metricName)},metric_target_type=${promqlString(m.targetType)}})`;
}

/**
 * A trigger's value per replica: the value divided by the current replicas (at least 1), what KEDA's
 * HPA compares with an `AverageValue` threshold (KEDA's default metricType).
 */
export function triggerValuePerReplica(w: AutoscaledWorkload, t: TriggerView): string {
  return `${triggerValue(w, t)} / on (namespace) clamp_min(${replicas(w, 'current')}, 1)`;
}

/**
 * Per pod of the workload that is Pending or Running but not Ready: seconds since its creation.
 * It also covers pods without a Ready condition yet (unscheduled: no
 * `kube_pod_status_ready` series at all) and leaves out pods that ended (Failed, e.g. evicted, or
 * Succeeded), which stay not Ready until they are garbage-collected.
 */
export function podUnreadyAgeSeconds(w: AutoscaledWorkload): string {
  const pods = podMatchers(w);
  return `(time() - max by (namespace, pod) (${KSM.podCreated}{${pods}})) ` +
    `and on (namespace, pod) (max by (namespace, pod) (${KSM.podPhase}{${pods},phase=~"Pending|Running"}) == 1) ` +
    `unless on (namespace, pod) (max by (namespace, pod) (${KSM.podReady}{${pods},condition="true"}) == 1)`;
}

/** Present while the workload's target is at zero replicas (scaled to zero, or by hand): its HPA is disabled then. */
export function scaledToZero(w: AutoscaledWorkload): string {
  return `${replicas(w, 'current')} == 0`;
}

/** The slope per second of one of the HPA's metrics over `window` (a PromQL duration): present while above 0. */
export function hpaMetricGrowth(w: AutoscaledWorkload, m: HpaMetricView, window: string): string {
  return 'max by (namespace, horizontalpodautoscaler, metric_name) ' +
    `(deriv(${KSM.hpaCurrentMetric}{${hpaMatchers(w)},metric_name=${promqlString(m.metricName)},metric_target_type=${promqlString(m.targetType)}}[${window}])) > 0`;
}

/** The slope per second of a ScaledObject trigger's value over `window`: present while above 0. */
export function triggerValueGrowth(w: AutoscaledWorkload, t: TriggerView, window: string): string {
  return 'max by (namespace, scaledObject, triggerIndex) ' +
    `(deriv(${KEDA.scalerMetricsValue}{${scaledObjectMatchers(w)},triggerIndex="${t.index}"}[${window}])) > 0`;
}

/** Scaler errors of the ScaledObject over `window`, per trigger (`triggerIndex`, `scaler`): present while above 0. */
export function triggerErrors(w: AutoscaledWorkload, window: string): string {
  return `sum by (namespace, scaledObject, triggerIndex, scaler) (increase(${KEDA.scalerErrors}{${scaledObjectMatchers(w)}}[${window}])) > 0`;
}
