import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { HybridHpaChart, HybridKedaChart } from '../../examples/hybrid';
import { ArticleInferenceChart } from '../../examples/inference';
import { ArticleBatchProcessorChart } from '../../examples/queue-workers';
import { AutoscalingRules, AutoscalingRulesProps, GpuInferenceService, Metric, Warnings } from '../../src';
import { promqlSyntaxError } from '../../src/promql/promql-syntax';
import { errorOf } from '../error-of';
import { findOne, validateAll } from '../validate';

const parses = (query: string): boolean => promqlSyntaxError(query) === undefined;

function rulesOf(chart: Chart, props?: AutoscalingRulesProps): { manifests: any[]; rule: any } {
  new AutoscalingRules(chart, 'Rules', props);
  const manifests = validateAll(Testing.synth(chart));
  return { manifests, rule: findOne(manifests, 'PrometheusRule') };
}

const alerts = (rule: any) => rule.spec.groups.find((g: any) => g.name === 'ml-autoscaling.alerts').rules;
const records = (rule: any) => rule.spec.groups.find((g: any) => g.name === 'ml-autoscaling.rules').rules;
const byName = (rule: any, name: string) => alerts(rule).filter((r: any) => r.alert === name);

describe('the article inference service (HPA)', () => {
  const { rule } = rulesOf(new ArticleInferenceChart(Testing.app(), 'c', { monitoring: false }), { labels: { release: 'kube-prometheus-stack' } });

  test('one PrometheusRule in monitoring, labelled for the ruleSelector', () => {
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.metadata).toEqual({ name: 'ml-autoscaling', namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } });
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual(['ml-autoscaling.rules', 'ml-autoscaling.alerts']);
  });

  test('recording rules per workload with namespace and workload labels', () => {
    const labels = { namespace: 'ml-workloads', workload: 'ml-inference-service' };
    expect(records(rule).map((r: any) => r.record)).toEqual([
      'ml_autoscaling:pod_cold_start_seconds', 'ml_autoscaling:cold_start_seconds:p95',
      'ml_autoscaling:replicas:desired', 'ml_autoscaling:replicas:current',
    ]);
    for (const r of records(rule)) expect(r.labels).toEqual(labels);
    expect(records(rule)[1].expr).toBe(
      'quantile by (namespace, workload) (0.95, ml_autoscaling:pod_cold_start_seconds{namespace="ml-workloads",workload="ml-inference-service"})');
    expect(records(rule)[2].expr).toContain('kube_horizontalpodautoscaler_status_desired_replicas{namespace="ml-workloads",horizontalpodautoscaler="ml-inference-hpa"}');
  });

  test('alerts with severity, namespace, workload and runbook-style annotations', () => {
    expect(alerts(rule).map((r: any) => r.alert)).toEqual([
      'MLAutoscalingAtMaxReplicas', 'MLAutoscalingMetricUnavailable', 'MLAutoscalingColdStartAboveLoadTime',
      'MLAutoscalingPodStuckLoading', 'MLAutoscalingBacklogGrowingAtMax',
    ]);
    for (const r of alerts(rule)) {
      expect(r.labels).toEqual({ severity: expect.stringMatching(/^(warning|critical)$/), namespace: 'ml-workloads', workload: 'ml-inference-service' });
      expect(Object.keys(r.annotations).sort()).toEqual(['description', 'runbook', 'summary']);
      expect(r.annotations.description).toMatch(/Confirm: `kubectl /);
    }
    const [atMax] = byName(rule, 'MLAutoscalingAtMaxReplicas');
    expect(atMax.for).toBe('15m');
    expect(atMax.annotations.description).toContain('`kubectl describe hpa ml-inference-hpa -n ml-workloads`');
    expect(atMax.annotations.summary).toContain('maximum of 10 replicas');
    const [unknown] = byName(rule, 'MLAutoscalingMetricUnavailable');
    expect(unknown).toMatchObject({ for: '5m', labels: { severity: 'critical' } });
    expect(unknown.expr).toContain('condition="ScalingActive",status="false"');
    expect(unknown.annotations.runbook).toContain('/apis/custom.metrics.k8s.io/v1beta1/namespaces/ml-workloads/pods/*/inference_queue_depth');
    expect(byName(rule, 'MLAutoscalingColdStartAboveLoadTime')[0].expr).toBe(
      'ml_autoscaling:cold_start_seconds:p95{namespace="ml-workloads",workload="ml-inference-service"} > 120');
    expect(byName(rule, 'MLAutoscalingPodStuckLoading')[0].expr).toMatch(/\) > 150$/);
    const [backlog] = byName(rule, 'MLAutoscalingBacklogGrowingAtMax');
    expect(backlog).toMatchObject({ for: '10m', labels: { severity: 'critical' } });
    expect(backlog.expr).toContain('deriv(kube_horizontalpodautoscaler_status_target_metric{namespace="ml-workloads",' +
      'horizontalpodautoscaler="ml-inference-hpa",metric_name="inference_queue_depth",metric_target_type="average"}[5m])');
  });

  test('every expr parses with the PromQL grammar', () => {
    const exprs = rule.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.expr));
    expect(exprs.filter((e: string) => !parses(e))).toEqual([]);
  });
});

describe('the article batch processor (ScaledObject)', () => {
  const { rule } = rulesOf(new ArticleBatchProcessorChart(Testing.app(), 'c', { monitoring: false }),
    { atMaximumFor: Duration.minutes(30), kedaNamespace: 'keda-system', criticalSeverity: 'page' });

  test('alerts watch KEDA\'s HPA and the ScaledObject', () => {
    expect(alerts(rule).map((r: any) => r.alert)).toEqual([
      'MLAutoscalingAtMaxReplicas', 'MLAutoscalingMetricUnavailable', 'MLAutoscalingScalerErrors', 'MLAutoscalingBacklogGrowingAtMax',
    ]);
    const [atMax] = byName(rule, 'MLAutoscalingAtMaxReplicas');
    expect(atMax.for).toBe('30m');
    expect(atMax.expr).toContain('horizontalpodautoscaler="keda-hpa-ml-batch-processor-scaler"');
    const [errors] = byName(rule, 'MLAutoscalingScalerErrors');
    expect(errors.expr).toBe('sum by (namespace, scaledObject, triggerIndex, scaler) (increase(keda_scaler_detail_errors_total' +
      '{namespace="ml-workloads",scaledObject="ml-batch-processor-scaler"}[5m])) > 0');
    expect(errors.annotations.description).toContain("`kubectl get scaledobject ml-batch-processor-scaler -n ml-workloads -o jsonpath='{.status.health}'`");
    expect(errors.annotations.runbook).toContain('kubectl logs -n keda-system deploy/keda-operator');
    const [unknown] = byName(rule, 'MLAutoscalingMetricUnavailable');
    expect(unknown.labels.severity).toBe('page');
    // minReplicaCount 0: KEDA's HPA is disabled (ScalingActive False) while the target is at zero
    expect(unknown.expr).toMatch(/unless on \(namespace, horizontalpodautoscaler\) \(.*status_current_replicas.*\) == 0\)$/);
    const [backlog] = byName(rule, 'MLAutoscalingBacklogGrowingAtMax');
    expect(backlog.expr).toContain('deriv(keda_scaler_metrics_value{namespace="ml-workloads",scaledObject="ml-batch-processor-scaler",triggerIndex="0"}[5m])');
  });

  test('no cold-start alerts without a declared load time or startup probe', () => {
    expect(byName(rule, 'MLAutoscalingColdStartAboveLoadTime')).toEqual([]);
  });
});

test('hybrid charts: the HPA and KEDA variants (custom HPA name)', () => {
  const hpa = rulesOf(new HybridHpaChart(Testing.app(), 'c')).rule;
  expect(byName(hpa, 'MLAutoscalingBacklogGrowingAtMax')).toEqual([]);
  expect(byName(hpa, 'MLAutoscalingMetricUnavailable')[0].annotations.runbook).toContain(
    '/apis/external.metrics.k8s.io/v1beta1/namespaces/ml-workloads/requests_per_second');
  const keda = rulesOf(new HybridKedaChart(Testing.app(), 'c')).rule;
  expect(byName(keda, 'MLAutoscalingAtMaxReplicas')[0].expr).toContain('horizontalpodautoscaler="hybrid-ml-hpa"');
  const backlog = byName(keda, 'MLAutoscalingBacklogGrowingAtMax');
  expect(backlog.map((r: any) => r.annotations.description)).toEqual([expect.stringContaining('Trigger 1 (rabbitmq "batch")')]);
  for (const r of [hpa, keda].flatMap(x => x.spec.groups.flatMap((g: any) => g.rules))) expect(parses(r.expr)).toBe(true);
});

test('workloads added after the construct are included; several workloads share the groups', () => {
  const chart = Testing.chart();
  new AutoscalingRules(chart, 'Rules');
  for (const name of ['a', 'b']) {
    new GpuInferenceService(chart, name, {
      name,
      image: 'registry/model:v1',
      cpuRequest: Cpu.millis(500),
      memoryRequest: Size.gibibytes(2),
      maxReplicas: 4,
      metrics: [Metric.cpuUtilization(70)],
    });
  }
  const rule = findOne(validateAll(Testing.synth(chart)), 'PrometheusRule');
  expect(records(rule).map((r: any) => r.labels.workload)).toEqual(['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b']);
  expect(new Set(alerts(rule).map((r: any) => r.labels.workload))).toEqual(new Set(['a', 'b']));
  expect(Warnings.of(chart)).toEqual([]);
});

test('a chart without autoscaled workloads: an empty, valid PrometheusRule and a warning naming the fix', () => {
  const chart = Testing.chart();
  new AutoscalingRules(chart, 'Rules');
  const rule = findOne(validateAll(Testing.synth(chart)), 'PrometheusRule');
  expect(rule.spec).toEqual({ groups: [] });
  const [w] = Warnings.of(chart);
  expect(w).toMatchObject({ id: 'ML-W-RULES-WITHOUT-WORKLOADS', path: 'test/Rules' });
  expect(w.message).toContain('add AutoscalingRules to the chart that holds the autoscaled workloads');
});

describe('props validation', () => {
  const cases: Array<[string, any, RegExp]> = [
    ['name', 'Bad_Name', /name.*Bad_Name.*DNS-1123/],
    ['namespace', '', /namespace.*must not be empty/],
    ['labels', { 'bad key!': 'x' }, /labels key/],
    ['atMaximumFor', 900, /atMaximumFor.*must be a Duration/],
    ['atMaximumFor', Duration.millis(1500), /atMaximumFor.*whole number of seconds/],
    ['window', Duration.seconds(10), /window.*between 60 s/],
    ['criticalSeverity', 'very bad!', /criticalSeverity.*label value/],
    ['atMaxFor', Duration.minutes(1), /atMaxFor.*is not a property of AutoscalingRulesProps.*atMaximumFor/],
  ];
  test.each(cases)('%s = %p', (prop, value, message) => {
    const e = errorOf(() => new AutoscalingRules(Testing.chart(), 'Rules', { [prop]: value } as any));
    expect(e).toContain('test/Rules');
    expect(e).toMatch(message);
  });

  test('arbitrary values: a library error or valid output, never a TypeError', () => {
    const keys = ['name', 'namespace', 'labels', 'atMaximumFor', 'metricUnavailableFor', 'scalerErrorsFor', 'queueGrowingFor',
      'coldStartFor', 'window', 'criticalSeverity', 'warningSeverity', 'kedaNamespace', 'unknown'];
    const durations = fc.integer({ min: 0, max: 2 ** 40 }).map(n => Duration.seconds(n));
    const value = fc.oneof(fc.anything(), durations, fc.constantFrom(Duration.minutes(2), Duration.millis(0.5), null, NaN));
    fc.assert(fc.property(fc.constantFrom(...keys), value, (key, v) => {
      const chart = new ArticleInferenceChart(Testing.app(), 'c', { monitoring: false });
      try {
        new AutoscalingRules(chart, 'Rules', { [key]: v } as any);
      } catch (e) {
        expect(e).not.toBeInstanceOf(TypeError);
        expect((e as Error).message).toContain('c/Rules');
        return;
      }
      validateAll(Testing.synth(chart));
    }), { numRuns: 150 });
  });
});
