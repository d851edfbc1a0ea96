/**
 * The Prometheus series the monitoring rules and dashboards read, in one place with their sources.
 * Verified names: see the doc comment of each group (`search`ed upstream sources; versions named).
 */

/**
 * kube-state-metrics (v2.x, checked against v2.20.0: docs/metrics/workload/pod-metrics.md,
 * docs/metrics/workload/horizontalpodautoscaler-metrics.md, internal/store/pod.go and
 * internal/store/horizontalpodautoscaler.go; kube-prometheus-stack 88.5.3 ships it). The HPA's name is in the label
 * `horizontalpodautoscaler`; extended resources are sanitized in `resource` (`nvidia.com/gpu` becomes
 * `nvidia_com_gpu`).
 */
export const KSM = {
  /** Unix creation time of a pod. */
  podCreated: 'kube_pod_created',
  /** Unix time of the pod's last transition to Ready (EXPERIMENTAL in kube-state-metrics). */
  podReadyTime: 'kube_pod_status_ready_time',
  /**
   * 1 when the pod's Ready condition has `condition` (true/false/unknown). No series while the pod
   * has no Ready condition yet (an unscheduled pod).
   */
  podReady: 'kube_pod_status_ready',
  /** 1 for the pod's current `phase` (Pending, Running, Succeeded, Failed, Unknown), 0 for the others. */
  podPhase: 'kube_pod_status_phase',
  /** Requests of a pod's containers per `resource` (sanitized) and `unit`. */
  containerRequests: 'kube_pod_container_resource_requests',
  hpaMinReplicas: 'kube_horizontalpodautoscaler_spec_min_replicas',
  hpaMaxReplicas: 'kube_horizontalpodautoscaler_spec_max_replicas',
  hpaCurrentReplicas: 'kube_horizontalpodautoscaler_status_current_replicas',
  hpaDesiredReplicas: 'kube_horizontalpodautoscaler_status_desired_replicas',
  /** 1 for the HPA's `condition` (AbleToScale, ScalingActive, ScalingLimited) in `status` (true/false/unknown). */
  hpaCondition: 'kube_horizontalpodautoscaler_status_condition',
  /** Targets of the HPA's metrics, by `metric_name` and `metric_target_type` (value, average, utilization). */
  hpaTargetMetric: 'kube_horizontalpodautoscaler_spec_target_metric',
  /** Current values of the HPA's metrics, labelled like the targets. */
  hpaCurrentMetric: 'kube_horizontalpodautoscaler_status_target_metric',
} as const;

/**
 * KEDA's operator metrics (v2.20, pkg/metricscollector/prommetrics.go), served by the keda-operator
 * on :8080/metrics. Labels: `namespace`, `scaledObject`, `scaler`, `triggerIndex`, `metric`, `type`.
 * The pre-2.17 names (`keda_scaler_errors`, `keda_scaled_object_errors`, ...) were removed in v2.17.0
 * (kedacore/keda#6339). KEDA 2.20 has no metric for the ScaledObject's Ready condition
 * (`keda_scaled_object_ready` is proposed for 2.21, kedacore/keda#7853): the HPA KEDA generates
 * reports a failing ScaledObject through its ScalingActive condition instead.
 */
export const KEDA = {
  /** The value each scaler reports for its trigger (what the HPA compares with the threshold). */
  scalerMetricsValue: 'keda_scaler_metrics_value',
  /** 1 while a scaler is active (above its activation threshold). */
  scalerActive: 'keda_scaler_active',
  /** Errors of one scaler (counter, set to 0 on the first success, so `increase` sees the first error). */
  scalerErrors: 'keda_scaler_detail_errors_total',
  /** Errors of a ScaledObject as a whole (counter). */
  scaledObjectErrors: 'keda_scaled_object_errors_total',
  /** 1 while the ScaledObject's `Paused` condition is True (labels `namespace`, `scaledObject`). */
  scaledObjectPaused: 'keda_scaled_object_paused',
} as const;
