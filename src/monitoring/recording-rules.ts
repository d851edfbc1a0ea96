import { AutoscaledWorkload } from './autoscaled-workloads';
import { RecordingRule } from './prometheus-rule-api';
import { podColdStartSeconds, promqlString, replicas } from './workload-queries';

/**
 * The recording rules `AutoscalingRules` writes for each autoscaled workload. Names follow
 * Prometheus' `level:metric:operations` convention with the library's prefix `ml_autoscaling` as
 * the level; every series carries `namespace` and `workload` (the Deployment's or StatefulSet's
 * name), so dashboards and alerts select one workload with two labels.
 */
export const RECORDED = {
  /**
   * Per pod (`namespace`, `pod`, `workload`): seconds from the pod's creation to its LAST transition
   * to Ready (`kube_pod_status_ready_time - kube_pod_created`, the simulator's definition of a cold
   * start). Pods that are not Ready have no sample; after a readiness flap the value grows.
   */
  podColdStartSeconds: 'ml_autoscaling:pod_cold_start_seconds',
  /**
   * Per workload: the 95th percentile of `ml_autoscaling:pod_cold_start_seconds` over the workload's
   * pods that exist and are Ready NOW (not a history of past cold starts; replaced pods drop out).
   */
  coldStartSecondsP95: 'ml_autoscaling:cold_start_seconds:p95',
  /** Per workload: the replica count its HPA (KEDA's for a ScaledObject) wants. */
  desiredReplicas: 'ml_autoscaling:replicas:desired',
  /** Per workload: the replica count its HPA reports now. */
  currentReplicas: 'ml_autoscaling:replicas:current',
} as const;

/** `namespace` and `workload`: the labels every recorded series and alert of `w` carries. */
export function workloadLabels(w: AutoscaledWorkload): { [key: string]: string } {
  return { namespace: w.namespace, workload: w.name };
}

/** `namespace="ns",workload="name"`: a recorded series of the workload. */
export function recordedMatchers(w: AutoscaledWorkload): string {
  return `namespace=${promqlString(w.namespace)},workload=${promqlString(w.name)}`;
}

/**
 * The workload's recording rules, in evaluation order (the p95 reads the per-pod series recorded
 * just before it in the same group evaluation).
 */
export function recordingRules(w: AutoscaledWorkload): RecordingRule[] {
  const labels = workloadLabels(w);
  return [
    { record: RECORDED.podColdStartSeconds, expr: podColdStartSeconds(w), labels },
    {
      record: RECORDED.coldStartSecondsP95,
      expr: `quantile by (namespace, workload) (0.95, ${RECORDED.podColdStartSeconds}{${recordedMatchers(w)}})`,
      labels,
    },
    { record: RECORDED.desiredReplicas, expr: replicas(w, 'desired'), labels },
    { record: RECORDED.currentReplicas, expr: replicas(w, 'current'), labels },
  ];
}
