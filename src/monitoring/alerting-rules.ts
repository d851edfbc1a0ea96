import { AutoscaledWorkload, HpaMetricView, TriggerView } from './autoscaled-workloads';
import { AlertingRule, prometheusDuration } from './prometheus-rule-api';
import { RECORDED, recordedMatchers, workloadLabels } from './recording-rules';
import {
  atMaximum, hpaMetricGrowth, podUnreadyAgeSeconds, scaledToZero, scalingInactive, triggerErrors, triggerValueGrowth,
} from './workload-queries';

/**
 * The alerting rules `AutoscalingRules` writes for each autoscaled workload. Every alert carries
 * `severity`, `namespace` and `workload`, and the annotations `summary`, `description` (what is
 * wrong, on which object, and the `kubectl` command that confirms it) and `runbook` (what to do).
 */

/** Alert names. */
export const ALERTS = {
  atMaxReplicas: 'MLAutoscalingAtMaxReplicas',
  metricUnavailable: 'MLAutoscalingMetricUnavailable',
  scalerErrors: 'MLAutoscalingScalerErrors',
  coldStartAboveLoadTime: 'MLAutoscalingColdStartAboveLoadTime',
  podStuckLoading: 'MLAutoscalingPodStuckLoading',
  backlogGrowingAtMax: 'MLAutoscalingBacklogGrowingAtMax',
} as const;

/** Resolved settings of the alerts (durations in seconds). */
export interface AlertSettings {
  readonly atMaximumFor: number;
  readonly metricUnavailableFor: number;
  readonly scalerErrorsFor: number;
  readonly queueGrowingFor: number;
  readonly coldStartFor: number;
  /** Range of `increase()` over error counters and `deriv()` over backlogs. */
  readonly window: number;
  readonly criticalSeverity: string;
  readonly warningSeverity: string;
  /** Namespace KEDA's operator runs in (for the `kubectl logs` commands). */
  readonly kedaNamespace: string;
}

const isKeda = (w: AutoscaledWorkload) => w.autoscalerKind === 'ScaledObject';
const nsFlag = (w: AutoscaledWorkload) => `-n ${w.namespace}`;
const workloadRef = (w: AutoscaledWorkload) => `${w.kind} ${w.namespace}/${w.name}`;

/** `HPA ml-inference-hpa` or `ScaledObject so (through its HPA keda-hpa-so)`. */
function autoscalerRef(w: AutoscaledWorkload): string {
  return isKeda(w) ? `ScaledObject ${w.autoscalerName} (through its HPA ${w.hpaName})` : `HPA ${w.hpaName}`;
}

const describeHpa = (w: AutoscaledWorkload) => `kubectl describe hpa ${w.hpaName} ${nsFlag(w)}`;
const scaledObjectField = (w: AutoscaledWorkload, field: string) =>
  `kubectl get scaledobject ${w.autoscalerName} ${nsFlag(w)} -o jsonpath='{.${field}}'`;
const kedaLogs = (w: AutoscaledWorkload, s: AlertSettings) =>
  `kubectl logs -n ${s.kedaNamespace} deploy/keda-operator --since=15m | grep ${w.autoscalerName}`;

function alert(w: AutoscaledWorkload, name: string, severity: string, expr: string, forSeconds: number | undefined,
  summary: string, description: string, runbook: string): AlertingRule {
  return {
    alert: name,
    expr,
    ...(forSeconds !== undefined ? { for: prometheusDuration(forSeconds) } : {}),
    labels: { severity, ...workloadLabels(w) },
    annotations: { summary, description, runbook },
  };
}

function atMaxReplicas(w: AutoscaledWorkload, s: AlertSettings): AlertingRule {
  const max = isKeda(w) ? 'spec.maxReplicaCount of the ScaledObject' : 'spec.maxReplicas of the HPA';
  return alert(w, ALERTS.atMaxReplicas, s.warningSeverity, atMaximum(w), s.atMaximumFor,
    `${workloadRef(w)} has run at its maximum of ${w.maxReplicas} replicas for more than ${prometheusDuration(s.atMaximumFor)}`,
    `The ${autoscalerRef(w)} keeps ${workloadRef(w)} at ${w.maxReplicas} replicas ({{ $value }} now): demand above what ` +
    `${w.maxReplicas} replicas serve waits or is dropped. Confirm: \`${describeHpa(w)}\` (condition ScalingLimited True, ` +
    'reason TooManyReplicas, and the metric values against their targets).',
    `If the load is real, raise ${max} (check the GPU quota and the node group's maximum size first: ` +
    `${w.maxReplicas} more GPUs-worth of pods must fit). If it is not, look for a metric stuck high (a backlog that never drains, ` +
    'an exporter reporting stale values) in the HPA\'s current metric values.');
}

function metricUnavailable(w: AutoscaledWorkload, s: AlertSettings): AlertingRule {
  const confirm = isKeda(w)
    ? `\`${describeHpa(w)}\` (ScalingActive False, reason FailedGetExternalMetric) and ` +
      `\`${scaledObjectField(w, 'status.conditions')}\``
    : `\`kubectl get hpa ${w.hpaName} ${nsFlag(w)}\` (<unknown> under TARGETS) and \`${describeHpa(w)}\` ` +
      '(ScalingActive False, reason FailedGetResourceMetric, FailedGetPodsMetric, FailedGetObjectMetric or FailedGetExternalMetric)';
  const runbook = isKeda(w)
    ? `Read KEDA's error for the ScaledObject: \`${kedaLogs(w, s)}\`; fix the trigger's address, query or authentication. ` +
      `The metric names KEDA serves for it: \`${scaledObjectField(w, 'status.externalMetricNames')}\`; read one with ` +
      `\`kubectl get --raw "/apis/external.metrics.k8s.io/v1beta1/namespaces/${w.namespace}/<name>` +
      `?labelSelector=scaledobject.keda.sh%2Fname%3D${w.autoscalerName}"\`.`
    : 'Check the API that serves the metric: `kubectl get apiservices | grep metrics` (Available True); resource metrics: ' +
      `\`kubectl top pods ${nsFlag(w)}\` (metrics-server); custom and external metrics: query them with \`kubectl get --raw\`` +
      customMetricPaths(w) + '; a metric nobody serves needs a Prometheus Adapter rule (PrometheusAdapterRules).';
  return alert(w, ALERTS.metricUnavailable, s.criticalSeverity,
    `(${scalingInactive(w)}) unless on (namespace, horizontalpodautoscaler) (${scaledToZero(w)})`, s.metricUnavailableFor,
    `The autoscaler of ${workloadRef(w)} cannot compute a metric`,
    `The ${autoscalerRef(w)} has had ScalingActive False for more than ${prometheusDuration(s.metricUnavailableFor)}: ` +
    `it cannot read a metric, so it does not scale ${workloadRef(w)} on it (not reported while the target is at zero ` +
    `replicas, where the HPA is disabled on purpose). Confirm: ${confirm}.`,
    runbook);
}

function customMetricPaths(w: AutoscaledWorkload): string {
  const paths = w.hpaMetrics.flatMap(m => {
    if (m.type === 'Pods') return [`/apis/custom.metrics.k8s.io/v1beta1/namespaces/${w.namespace}/pods/*/${m.metricName}`];
    if (m.type === 'External') return [`/apis/external.metrics.k8s.io/v1beta1/namespaces/${w.namespace}/${m.metricName}`];
    return [];
  });
  return paths.length ? ` (${paths.map(p => `"${p}"`).join(', ')})` : '';
}

function scalerErrors(w: AutoscaledWorkload, s: AlertSettings): AlertingRule {
  const window = prometheusDuration(s.window);
  return alert(w, ALERTS.scalerErrors, s.warningSeverity, triggerErrors(w, window), s.scalerErrorsFor,
    `KEDA cannot read trigger {{ $labels.triggerIndex }} of ScaledObject ${w.namespace}/${w.autoscalerName}`,
    `KEDA's scaler {{ $labels.scaler }} (trigger {{ $labels.triggerIndex }}) of ScaledObject ${w.autoscalerName} failed ` +
    `{{ $value | humanize }} times in ${window}, for more than ${prometheusDuration(s.scalerErrorsFor)}. While a trigger fails ` +
    `KEDA uses spec.fallback if set, else the HPA loses that metric. Confirm: \`${scaledObjectField(w, 'status.health')}\` ` +
    `(numberOfFailures, status Failing) and \`kubectl describe scaledobject ${w.autoscalerName} ${nsFlag(w)}\` (KEDAScalerFailed events).`,
    `Read the scaler's error: \`${kedaLogs(w, s)}\`. Typical causes: the queue or Prometheus address is unreachable from ` +
    `the ${s.kedaNamespace} namespace, the TriggerAuthentication's secret is missing or wrong, the query returns no series.`);
}

function coldStartAboveLoadTime(w: AutoscaledWorkload, load: number, s: AlertSettings): AlertingRule {
  return alert(w, ALERTS.coldStartAboveLoadTime, s.warningSeverity,
    `${RECORDED.coldStartSecondsP95}{${recordedMatchers(w)}} > ${load}`, s.coldStartFor,
    `Pods of ${workloadRef(w)} take longer to become Ready than the declared model load time of ${load}s`,
    `The p95 of creation-to-Ready over the current pods of ${workloadRef(w)} is {{ $value | humanizeDuration }}, ` +
    `above the declared model load time of ${load}s (ml-autoscaling.io/model-load-seconds) that sizes its scale-down ` +
    `window and the simulator's cold start. Confirm: \`kubectl get pods ${nsFlag(w)} -o custom-columns=` +
    '\'NAME:.metadata.name,CREATED:.metadata.creationTimestamp,READY:.status.conditions[?(@.type=="Ready")].lastTransitionTime\' ' +
    `| grep ${w.name}\`.`,
    'Find where the time goes: scheduling and node provisioning (`kubectl get events ' + nsFlag(w) + ' --field-selector ' +
    'reason=TriggeredScaleUp`), image pull (`kubectl describe pod` events Pulling/Pulled), model load (the container log). ' +
    'Then shorten it (cached images, pre-provisioned GPU nodes, faster model storage) or declare the real load time ' +
    '(modelLoadTime) so scale-down windows and simulations use it.');
}

function podStuckLoading(w: AutoscaledWorkload, budget: number, s: AlertSettings): AlertingRule {
  return alert(w, ALERTS.podStuckLoading, s.warningSeverity, `(${podUnreadyAgeSeconds(w)}) > ${budget}`, undefined,
    `Pod {{ $labels.pod }} of ${workloadRef(w)} is not Ready after its startup budget of ${budget}s`,
    `Pod {{ $labels.pod }} was created {{ $value | humanizeDuration }} ago and is still not Ready, past the ${budget}s its ` +
    'startup probe allows (initialDelaySeconds + failureThreshold x periodSeconds): it is stuck loading, restarting, or ' +
    `not scheduled. Confirm: \`kubectl describe pod {{ $labels.pod }} ${nsFlag(w)}\` (events, restarts, conditions).`,
    'Pending: no node with a free GPU (check the cluster autoscaler or Karpenter events and GPU quotas). Running but ' +
    `restarting: the model load outlasts the startup probe (\`kubectl logs {{ $labels.pod }} ${nsFlag(w)} --previous\`); ` +
    'raise modelLoadTime, or fix the load (missing model files, out of GPU memory).');
}

function backlogGrowingAtMax(w: AutoscaledWorkload, signal: string, growth: string, s: AlertSettings): AlertingRule {
  const window = prometheusDuration(s.window);
  return alert(w, ALERTS.backlogGrowingAtMax, s.criticalSeverity,
    `(${growth}) and on (namespace) (${atMaximum(w)})`, s.queueGrowingFor,
    `The backlog of ${workloadRef(w)} grows while it runs at its maximum of ${w.maxReplicas} replicas`,
    `${signal} has kept growing (deriv over ${window} above 0) for more than ${prometheusDuration(s.queueGrowingFor)} while ` +
    `the ${autoscalerRef(w)} holds ${workloadRef(w)} at maxReplicas ${w.maxReplicas}: work arrives faster than the ` +
    `maximum serves, and waiting times grow without bound. Confirm: \`${describeHpa(w)}\`` +
    (isKeda(w) ? ` (current metric values against targets) and \`kubectl get scaledobject ${w.autoscalerName} ${nsFlag(w)}\` (ACTIVE True).` : ' (current metric values against targets).'),
    'Raise the maximum replica count if GPUs are available, shed or defer load upstream, or check that the pods are ' +
    'processing at all (a pod that is Ready but stuck drains nothing).');
}

function hpaSignal(m: HpaMetricView): string {
  return `The HPA's metric ${m.metricName} (${m.type}, ${m.targetType})`;
}

function triggerSignal(w: AutoscaledWorkload, t: TriggerView): string {
  return `Trigger ${t.index} (${t.type}${t.name ? ` "${t.name}"` : ''}) of ScaledObject ${w.autoscalerName}`;
}

/** The workload's alerting rules. */
export function alertingRules(w: AutoscaledWorkload, s: AlertSettings): AlertingRule[] {
  const window = prometheusDuration(s.window);
  const out: AlertingRule[] = [];
  // a fixed size (min = max) is always "at max": nothing to tell
  if (w.minReplicas !== w.maxReplicas) out.push(atMaxReplicas(w, s));
  out.push(metricUnavailable(w, s));
  if (isKeda(w)) out.push(scalerErrors(w, s));
  if (w.modelLoadSeconds !== undefined && w.modelLoadSeconds > 0) out.push(coldStartAboveLoadTime(w, w.modelLoadSeconds, s));
  if (w.startupBudgetSeconds !== undefined && w.startupBudgetSeconds > 0) out.push(podStuckLoading(w, w.startupBudgetSeconds, s));
  for (const m of w.hpaMetrics.filter(x => x.queue)) out.push(backlogGrowingAtMax(w, hpaSignal(m), hpaMetricGrowth(w, m, window), s));
  for (const t of w.triggers.filter(x => x.queue)) {
    out.push(backlogGrowingAtMax(w, triggerSignal(w, t), triggerValueGrowth(w, t, window), s));
  }
  return out;
}
