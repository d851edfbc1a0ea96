/**
 * The fields of a Prometheus Operator `PrometheusRule` (monitoring.coreos.com/v1) that
 * `AutoscalingRules` renders, typed after the operator's CRD (prometheus-operator v0.93
 * pkg/apis/monitoring/v1/prometheusrule_types.go; `kubectl explain prometheusrule.spec`). Internal:
 * not part of the public API, and only the subset the library writes. The tests check every
 * rendered PrometheusRule against the full CRD schema (`@kubernetes-models/prometheus-operator`, a
 * devDependency; test/validate.ts), and run its groups through `promtool test rules`.
 *
 * Left out on purpose: group `labels` (Prometheus >= 3.0) and `query_offset` (>= 2.53), which older
 * Prometheus servers reject when the operator hands them the rule file.
 */

/** apiVersion and kind of a PrometheusRule. */
export const PROMETHEUS_RULE_GVK = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' };

/** `metadata` of the PrometheusRule (the subset rendered). */
export interface PrometheusRuleMetadata {
  readonly name: string;
  readonly namespace: string;
  /** Labels the Prometheus' `ruleSelector` matches (kube-prometheus-stack: `release: <release name>`). */
  readonly labels?: { [key: string]: string };
}

/** A recording rule: `expr` evaluated and stored as the series `record`. */
export interface RecordingRule {
  /** Name of the recorded series (`level:metric:operations`). */
  readonly record: string;
  /** PromQL expression. */
  readonly expr: string;
  /** Labels added to (or overriding those of) every recorded sample. */
  readonly labels?: { [key: string]: string };
}

/** An alerting rule: an alert for every series of `expr` present for `for`. */
export interface AlertingRule {
  /** Name of the alert (`alertname`). */
  readonly alert: string;
  /** PromQL expression; every series it returns is a pending or firing alert. */
  readonly expr: string;
  /** How long a series must be present before the alert fires, as a Prometheus duration ("15m"). */
  readonly for?: string;
  /** Labels added to the alert (severity, ...). */
  readonly labels?: { [key: string]: string };
  /** Annotations (Go templates over `$labels` and `$value`): summary, description, runbook. */
  readonly annotations?: { [key: string]: string };
}

/** One of `spec.groups`: rules evaluated in order, at the group's interval. */
export interface RuleGroup {
  /** Unique name of the group within the PrometheusRule. */
  readonly name: string;
  readonly rules: Array<RecordingRule | AlertingRule>;
}

/** `spec` of the PrometheusRule (the subset rendered). */
export interface PrometheusRuleSpec {
  readonly groups: RuleGroup[];
}

/** Props of the PrometheusRule object as rendered by `kubeObject` (apiVersion and kind added there). */
export interface PrometheusRuleProps {
  readonly metadata: PrometheusRuleMetadata;
  readonly spec: PrometheusRuleSpec;
}

/** A duration in whole seconds as Prometheus writes it: `15m`, `1h`, `90s`, `0s`. */
export function prometheusDuration(seconds: number): string {
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
