import { ApiObject, Chart, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertSettings } from './alerting-rules';
import { AutoscaledWorkload, autoscaledWorkloads } from './autoscaled-workloads';
import { PROMETHEUS_RULE_GVK, PrometheusRuleProps, PrometheusRuleSpec } from './prometheus-rule-api';
import { autoscalingRuleGroups } from './rule-groups';
import { checkProps, optional, Shape, string } from '../validate/check';
import { DNS1123_LABEL_NAME, DNS1123_SUBDOMAIN_NAME, LABEL_VALUE_FORMAT } from '../validate/formats';
import { duration, labels } from '../validate/values';
import { Warnings } from '../warnings';
import { kubeObject } from '../workload/kube-object';

/**
 * Props of `AutoscalingRules`.
 */
export interface AutoscalingRulesProps {
  /**
   * Name of the PrometheusRule.
   * @default "ml-autoscaling"
   */
  readonly name?: string;

  /**
   * Namespace of the PrometheusRule (the Prometheus Operator's `ruleNamespaceSelector` must include
   * it; kube-prometheus-stack selects all namespaces by default).
   * @default "monitoring"
   */
  readonly namespace?: string;

  /**
   * Labels on the PrometheusRule, so the Prometheus' `ruleSelector` matches it. kube-prometheus-stack
   * selects rules by its Helm release label (`{ release: '<release name>' }`, e.g.
   * `{ release: 'kube-prometheus-stack' }`) unless `prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues`
   * is false, which selects every PrometheusRule.
   * @default - none: only a Prometheus that selects every PrometheusRule loads the rules
   */
  readonly labels?: { [key: string]: string };

  /**
   * How long a workload must run at its maximum replica count before `MLAutoscalingAtMaxReplicas`
   * fires (not written for workloads whose minimum equals their maximum).
   * @default Duration.minutes(15)
   */
  readonly atMaximumFor?: Duration;

  /**
   * How long the HPA (KEDA's, for a ScaledObject) must report ScalingActive False (the `<unknown>`
   * of `kubectl get hpa`) before `MLAutoscalingMetricUnavailable` fires.
   * @default Duration.minutes(5)
   */
  readonly metricUnavailableFor?: Duration;

  /**
   * How long a ScaledObject's trigger must keep failing (an error in every `window`) before
   * `MLAutoscalingScalerErrors` fires.
   * @default Duration.minutes(5)
   */
  readonly scalerErrorsFor?: Duration;

  /**
   * How long a backlog (an HPA queue metric or a queue trigger) must keep growing while the workload
   * runs at its maximum before `MLAutoscalingBacklogGrowingAtMax` fires.
   * @default Duration.minutes(10)
   */
  readonly queueGrowingFor?: Duration;

  /**
   * How long the cold-start p95 must stay above the declared model load time before
   * `MLAutoscalingColdStartAboveLoadTime` fires.
   * @default Duration.minutes(15)
   */
  readonly coldStartFor?: Duration;

  /**
   * Range of `increase()` over KEDA's error counters and of `deriv()` over backlogs. At least four
   * scrape intervals of kube-state-metrics and KEDA, so each range holds enough samples.
   * @default Duration.minutes(5)
   */
  readonly window?: Duration;

  /**
   * `severity` label of the alerts that mean the autoscaler cannot do its job: a metric it cannot
   * compute, a backlog growing at the maximum.
   * @default "critical"
   */
  readonly criticalSeverity?: string;

  /**
   * `severity` label of the other alerts (at maximum, scaler errors, slow or stuck cold starts).
   * @default "warning"
   */
  readonly warningSeverity?: string;

  /**
   * Namespace KEDA's operator runs in, named in the `kubectl logs` commands of the alerts.
   * @default "keda"
   */
  readonly kedaNamespace?: string;
}

const SEVERITY = string({ format: LABEL_VALUE_FORMAT, fix: 'use a label value such as "critical", "warning" or "page"' });
const FOR = duration({ minSeconds: 0, maxSeconds: 7 * 24 * 3600 });

const PROPS: Shape<AutoscalingRulesProps> = {
  name: optional(string({ format: DNS1123_SUBDOMAIN_NAME })),
  namespace: optional(string({ format: DNS1123_LABEL_NAME })),
  labels: optional(labels()),
  atMaximumFor: optional(FOR),
  metricUnavailableFor: optional(FOR),
  scalerErrorsFor: optional(FOR),
  queueGrowingFor: optional(FOR),
  coldStartFor: optional(FOR),
  window: optional(duration({ minSeconds: 60, maxSeconds: 24 * 3600, fix: 'use Duration.minutes(n) with n in 1..1440 (at least four scrape intervals)' })),
  criticalSeverity: optional(SEVERITY),
  warningSeverity: optional(SEVERITY),
  kedaNamespace: optional(string({ format: DNS1123_LABEL_NAME })),
};

const seconds = (d: Duration | undefined, fallback: number) => (d === undefined ? fallback : d.toSeconds());

/**
 * A Prometheus Operator `PrometheusRule` (monitoring.coreos.com/v1) with recording and alerting rules
 * for every autoscaled workload of its chart: each Deployment or StatefulSet an HPA or a KEDA
 * ScaledObject scales.
 *
 * At synth it reads the chart's rendered HPAs, ScaledObjects and workloads (added before or after
 * this construct), so the rules name the same objects, bounds, load times and backlog signals as the
 * manifests and never drift from them. Recording rules (group `ml-autoscaling.rules`, labels
 * `namespace` and `workload`): `ml_autoscaling:pod_cold_start_seconds` (per pod, creation to its last
 * transition to Ready), `ml_autoscaling:cold_start_seconds:p95` (over the pods that exist now),
 * `ml_autoscaling:replicas:desired` and `ml_autoscaling:replicas:current`. Alerts (group
 * `ml-autoscaling.alerts`, labels `severity`, `namespace`, `workload`; annotations `summary`,
 * `description` with the `kubectl` command that confirms it, `runbook`): at maximum replicas, a metric
 * the HPA cannot compute, KEDA scaler errors, cold starts above the declared model load time, pods not
 * Ready past their startup probe's budget, and a backlog growing at the maximum. docs/monitoring-rules.md
 * lists every rule with its expression and source metrics (kube-state-metrics v2.x, KEDA 2.20).
 *
 * The rules match series by their `namespace` label: a Prometheus with `enforcedNamespaceLabel` would
 * rewrite it to the PrometheusRule's namespace. A chart without autoscaled workloads gets an empty
 * PrometheusRule and the warning `ML-W-RULES-WITHOUT-WORKLOADS`.
 */
export class AutoscalingRules extends Construct {
  /** ID of the warning for a chart without autoscaled workloads. */
  public static readonly NO_WORKLOADS_WARNING = 'ML-W-RULES-WITHOUT-WORKLOADS';

  /** The PrometheusRule (escape hatch). */
  public readonly resource: ApiObject;

  private readonly settings: AlertSettings;

  constructor(scope: Construct, id: string, props: AutoscalingRulesProps = {}) {
    super(scope, id);
    checkProps(this, 'AutoscalingRulesProps', PROPS, props, true);
    this.settings = {
      atMaximumFor: seconds(props.atMaximumFor, 900),
      metricUnavailableFor: seconds(props.metricUnavailableFor, 300),
      scalerErrorsFor: seconds(props.scalerErrorsFor, 300),
      queueGrowingFor: seconds(props.queueGrowingFor, 600),
      coldStartFor: seconds(props.coldStartFor, 900),
      window: seconds(props.window, 300),
      criticalSeverity: props.criticalSeverity ?? 'critical',
      warningSeverity: props.warningSeverity ?? 'warning',
      kedaNamespace: props.kedaNamespace ?? 'keda',
    };
    const spec = Lazy.any({ produce: () => this.renderSpec() }) as unknown as PrometheusRuleSpec;
    this.resource = kubeObject<PrometheusRuleProps>(this, 'Resource', PROMETHEUS_RULE_GVK, {
      metadata: {
        name: props.name ?? 'ml-autoscaling',
        namespace: props.namespace ?? 'monitoring',
        ...(props.labels !== undefined ? { labels: { ...props.labels } } : {}),
      },
      spec,
    });
    // cdk8s validates before it renders: warn then too, so `cdk8s synth` prints it
    this.node.addValidation({ validate: () => { this.workloads(); return []; } });
  }

  /** The chart's autoscaled workloads, read from its rendered HPAs, ScaledObjects, Deployments and StatefulSets. */
  private workloads(): AutoscaledWorkload[] {
    // only these kinds are rendered: never this or another lazily rendered monitoring object
    const kinds = new Set(['HorizontalPodAutoscaler', 'ScaledObject', 'Deployment', 'StatefulSet']);
    const objects = Chart.of(this).node.findAll()
      .filter(c => ApiObject.isApiObject(c) && kinds.has((c as ApiObject).kind))
      .map(c => (c as ApiObject).toJson());
    const found = autoscaledWorkloads(objects);
    if (found.length === 0) {
      Warnings.add(this, AutoscalingRules.NO_WORKLOADS_WARNING,
        `no HorizontalPodAutoscaler or ScaledObject in chart ${Chart.of(this).node.path || '(root)'} scales a Deployment or ` +
        'StatefulSet of the chart, so the PrometheusRule has no rules: add AutoscalingRules to the chart that holds the ' +
        'autoscaled workloads (one per chart)');
    }
    return found;
  }

  private renderSpec(): PrometheusRuleSpec {
    return { groups: autoscalingRuleGroups(this.workloads(), this.settings) };
  }
}
