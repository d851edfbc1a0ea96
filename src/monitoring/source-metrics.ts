/**
 * The Prometheus series the monitoring rules and dashboards read, in one place with their sources.
 * Verified names: see the doc comment of each group (`search`ed upstream sources; versions named).
 */

/**
 * kube-state-metrics (v2.x; docs/metrics/workload/pod-metrics.md and
 * docs/metrics/workload/horizontalpodautoscaler-metrics.md). The HPA's name is in the label
 * `horizontalpodautoscaler`; extended resources are sanitized in `resource` (`nvidia.com/gpu` becomes
 * `nvidia_com_gpu`).
 */
export const KSM = {
  /** Unix creation time of a pod. */
  podCreated: 'kube_pod_created',
  /** Unix time of the pod's last transition to Ready (EXPERIMENTAL in kube-state-metrics). */
  podReadyTime: 'kube_pod_status_ready_time',
  /** 1 when the pod's Ready condition has `condition` (true/false/unknown). */
  podReady: 'kube_pod_status_ready',
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
 */
export const KEDA = {
  /** The value each scaler reports for its trigger (what the HPA compares with the threshold). */
  scalerMetricsValue: 'keda_scaler_metrics_value',
  /** 1 while a scaler is active (above its activation threshold). */
  scalerActive: 'keda_scaler_active',
  /** Errors of one scaler (counter). */
  scalerErrors: 'keda_scaler_detail_errors_total',
  /** Errors of a ScaledObject as a whole (counter). */
  scaledObjectErrors: 'keda_scaled_object_errors_total',
} as const;
