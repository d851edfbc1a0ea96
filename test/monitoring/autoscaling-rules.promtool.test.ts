/**
 * The rendered alerts evaluated by Prometheus itself (`promtool test rules`) on hand-made input
 * series for the article's inference service (HPA) and batch worker (ScaledObject).
 */
import { Chart, Testing } from 'cdk8s';
import { describeWithPromtool, promtoolTestRules } from './promtool';
import { ArticleInferenceChart } from '../../examples/inference';
import { ArticleBatchProcessorChart } from '../../examples/queue-workers';
import { AutoscalingRules } from '../../src';
import { findOne } from '../validate';

function groupsOf(chart: Chart): any[] {
  new AutoscalingRules(chart, 'Rules');
  return findOne(Testing.synth(chart), 'PrometheusRule').spec.groups;
}

const inferenceGroups = groupsOf(new ArticleInferenceChart(Testing.app(), 'c', { monitoring: false }));
const workerGroups = groupsOf(new ArticleBatchProcessorChart(Testing.app(), 'c', { monitoring: false }));

/** The rendered annotations of `alert` with `$labels` and `$value` expanded as Prometheus would. */
function annotationsOf(groups: any[], alert: string, labels: Record<string, string>, value: string): Record<string, string> {
  const rule = groups.flatMap(g => g.rules).find((r: any) => r.alert === alert);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries<string>(rule.annotations)) {
    out[k] = v.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l) => labels[l] ?? '')
      .replace(/\{\{ \$value( \| \w+)? \}\}/g, value);
  }
  return out;
}

/** An expected alert: its labels (rule labels and the expression's) and expanded annotations. */
function fires(groups: any[], alert: string, labels: Record<string, string>, value: string) {
  return { exp_labels: labels, exp_annotations: annotationsOf(groups, alert, labels, value) };
}

const NS = 'ml-workloads';
const KSM = 'job="kube-state-metrics",namespace="ml-workloads"';
const HPA = `${KSM},horizontalpodautoscaler="ml-inference-hpa"`;
const INFERENCE = { namespace: NS, workload: 'ml-inference-service' };
const INFERENCE_HPA = { ...INFERENCE, horizontalpodautoscaler: 'ml-inference-hpa' };
const pod = (name: string) => `${KSM},pod="ml-inference-service-7d9f8b6c5-${name}",uid="${name}"`;

const atMax = {
  name: 'at maxReplicas from 10m: pending at 15m, firing at 26m',
  input_series: [
    { series: `kube_horizontalpodautoscaler_status_current_replicas{${HPA}}`, values: '2x9 10x30' },
    { series: `kube_horizontalpodautoscaler_spec_max_replicas{${HPA}}`, values: '10x40' },
  ],
  alert_rule_test: [
    { eval_time: '15m', alertname: 'MLAutoscalingAtMaxReplicas', exp_alerts: [] },
    {
      eval_time: '26m',
      alertname: 'MLAutoscalingAtMaxReplicas',
      exp_alerts: [fires(inferenceGroups, 'MLAutoscalingAtMaxReplicas', { severity: 'warning', ...INFERENCE_HPA }, '10')],
    },
  ],
};

const scalingInactive = {
  name: 'ScalingActive false from 5m: firing after 5m more',
  input_series: [
    { series: `kube_horizontalpodautoscaler_status_condition{${HPA},condition="ScalingActive",status="false"}`, values: '0x4 1x20' },
    { series: `kube_horizontalpodautoscaler_status_current_replicas{${HPA}}`, values: '3x25' },
  ],
  alert_rule_test: [
    { eval_time: '8m', alertname: 'MLAutoscalingMetricUnavailable', exp_alerts: [] },
    {
      eval_time: '12m',
      alertname: 'MLAutoscalingMetricUnavailable',
      exp_alerts: [fires(inferenceGroups, 'MLAutoscalingMetricUnavailable', { severity: 'critical', ...INFERENCE_HPA }, '1')],
    },
  ],
};

// cold starts (creation -> Ready) of 100 s, 130 s and 300 s: p95 = 130 + 0.9 x 170 = 283 s > 120 s
const coldStart = {
  name: 'cold-start p95 above the 120 s model load time',
  input_series: [
    { series: `kube_pod_created{${pod('a')}}`, values: '100x40' },
    { series: `kube_pod_status_ready_time{${pod('a')}}`, values: '200x40' },
    { series: `kube_pod_created{${pod('b')}}`, values: '0x40' },
    { series: `kube_pod_status_ready_time{${pod('b')}}`, values: '130x40' },
    { series: `kube_pod_created{${pod('c')}}`, values: '100x40' },
    { series: `kube_pod_status_ready_time{${pod('c')}}`, values: '400x40' },
    // another workload's pod in the namespace: not counted
    { series: `kube_pod_created{${KSM},pod="other-5f4d-x",uid="o"}`, values: '0x40' },
    { series: `kube_pod_status_ready_time{${KSM},pod="other-5f4d-x",uid="o"}`, values: '9000x40' },
  ],
  promql_expr_test: [
    {
      expr: 'ml_autoscaling:pod_cold_start_seconds',
      eval_time: '5m',
      exp_samples: [['a', 100], ['b', 130], ['c', 300]].map(([p, v]) => ({
        labels: `ml_autoscaling:pod_cold_start_seconds{namespace="${NS}",pod="ml-inference-service-7d9f8b6c5-${p}",workload="ml-inference-service"}`,
        value: v,
      })),
    },
    {
      expr: 'ml_autoscaling:cold_start_seconds:p95',
      eval_time: '5m',
      exp_samples: [{ labels: `ml_autoscaling:cold_start_seconds:p95{namespace="${NS}",workload="ml-inference-service"}`, value: 283 }],
    },
  ],
  alert_rule_test: [
    { eval_time: '10m', alertname: 'MLAutoscalingColdStartAboveLoadTime', exp_alerts: [] },
    {
      eval_time: '20m',
      alertname: 'MLAutoscalingColdStartAboveLoadTime',
      exp_alerts: [fires(inferenceGroups, 'MLAutoscalingColdStartAboveLoadTime', { severity: 'warning', ...INFERENCE }, '4m 43s')],
    },
  ],
};

// startup budget 150 s: a Running pod not Ready and an unscheduled one (no Ready series) fire; a
// Ready pod and an evicted (Failed) one do not
const stuck = {
  name: 'pods not Ready past the startup probe budget',
  input_series: [
    { series: `kube_pod_created{${pod('run')}}`, values: '0x10' },
    { series: `kube_pod_status_phase{${pod('run')},phase="Running"}`, values: '1x10' },
    { series: `kube_pod_status_ready{${pod('run')},condition="true"}`, values: '0x10' },
    { series: `kube_pod_created{${pod('pend')}}`, values: '60x10' },
    { series: `kube_pod_status_phase{${pod('pend')},phase="Pending"}`, values: '1x10' },
    { series: `kube_pod_created{${pod('ok')}}`, values: '0x10' },
    { series: `kube_pod_status_phase{${pod('ok')},phase="Running"}`, values: '1x10' },
    { series: `kube_pod_status_ready{${pod('ok')},condition="true"}`, values: '1x10' },
    { series: `kube_pod_created{${pod('evicted')}}`, values: '0x10' },
    { series: `kube_pod_status_phase{${pod('evicted')},phase="Failed"}`, values: '1x10' },
    { series: `kube_pod_status_ready{${pod('evicted')},condition="true"}`, values: '0x10' },
  ],
  alert_rule_test: [
    { eval_time: '2m', alertname: 'MLAutoscalingPodStuckLoading', exp_alerts: [] },
    {
      eval_time: '5m',
      alertname: 'MLAutoscalingPodStuckLoading',
      exp_alerts: [
        fires(inferenceGroups, 'MLAutoscalingPodStuckLoading',
          { severity: 'warning', ...INFERENCE, pod: 'ml-inference-service-7d9f8b6c5-pend' }, '4m 0s'),
        fires(inferenceGroups, 'MLAutoscalingPodStuckLoading',
          { severity: 'warning', ...INFERENCE, pod: 'ml-inference-service-7d9f8b6c5-run' }, '5m 0s'),
      ],
    },
  ],
};

const QUEUE = `kube_horizontalpodautoscaler_status_target_metric{${HPA},metric_name="inference_queue_depth",metric_target_type="average"}`;
const queueAtMax = (name: string, queue: string, expAlerts: unknown[]) => ({
  name,
  input_series: [
    { series: `kube_horizontalpodautoscaler_status_current_replicas{${HPA}}`, values: '10x40' },
    { series: `kube_horizontalpodautoscaler_spec_max_replicas{${HPA}}`, values: '10x40' },
    { series: QUEUE, values: queue },
  ],
  alert_rule_test: [{ eval_time: '20m', alertname: 'MLAutoscalingBacklogGrowingAtMax', exp_alerts: expAlerts }],
});
const queueGrowing = queueAtMax('queue growing at max', '10+2x40', [fires(inferenceGroups, 'MLAutoscalingBacklogGrowingAtMax',
  { severity: 'critical', ...INFERENCE_HPA, metric_name: 'inference_queue_depth' }, '0.03333333333333333')]);
const queueFlat = queueAtMax('queue flat at max', '12x40', []);

const SO = 'namespace="ml-workloads",scaledObject="ml-batch-processor-scaler"';
const WORKER_HPA = `${KSM},horizontalpodautoscaler="keda-hpa-ml-batch-processor-scaler"`;
const WORKER = { namespace: NS, workload: 'ml-batch-processor' };
const scalerErrors = {
  name: 'KEDA scaler errors from 5m; KEDA\'s HPA disabled at zero replicas is no unavailable metric',
  input_series: [
    { series: `keda_scaler_detail_errors_total{job="keda-operator",${SO},scaler="rabbitMQScaler",triggerIndex="0",metric="s0-rabbitmq-jobs",type="scaledobject"}`, values: '0x4 2+2x30' },
    { series: `keda_scaler_detail_errors_total{job="keda-operator",${SO},scaler="gpu_utilization",triggerIndex="1",metric="s1-prometheus",type="scaledobject"}`, values: '0x35' },
    { series: `kube_horizontalpodautoscaler_status_condition{${WORKER_HPA},condition="ScalingActive",status="false"}`, values: '1x35' },
    { series: `kube_horizontalpodautoscaler_status_current_replicas{${WORKER_HPA}}`, values: '0x35' },
  ],
  alert_rule_test: [
    { eval_time: '8m', alertname: 'MLAutoscalingScalerErrors', exp_alerts: [] },
    {
      eval_time: '15m',
      alertname: 'MLAutoscalingScalerErrors',
      exp_alerts: [fires(workerGroups, 'MLAutoscalingScalerErrors',
        { severity: 'warning', ...WORKER, scaledObject: 'ml-batch-processor-scaler', scaler: 'rabbitMQScaler', triggerIndex: '0' }, '10')],
    },
    { eval_time: '15m', alertname: 'MLAutoscalingMetricUnavailable', exp_alerts: [] },
  ],
};

describeWithPromtool('promtool test rules on the rendered groups', promtool => {
  const run = (groups: any[], tests: unknown[]) => {
    const result = promtoolTestRules(promtool, groups, tests);
    if (result.status !== 0) throw new Error(`promtool exited with ${result.status}:\n${result.output}`);
    return result;
  };

  test('the rule file passes promtool check (through test rules) and every inference alert test holds', () => {
    expect(run(inferenceGroups, [atMax, scalingInactive, coldStart, stuck, queueGrowing, queueFlat]).output).toContain('SUCCESS');
  });

  test('the KEDA worker: scaler errors fire per failing trigger; scale-to-zero is not an unavailable metric', () => {
    expect(run(workerGroups, [scalerErrors]).output).toContain('SUCCESS');
  });

  test('negative control: a wrong expectation makes promtool fail', () => {
    const wrong = { ...atMax, alert_rule_test: [{ ...atMax.alert_rule_test[0], eval_time: '26m' }] };
    const result = promtoolTestRules(promtool, inferenceGroups, [wrong]);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/FAILED/);
  });
});
