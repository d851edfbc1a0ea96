import { Testing } from 'cdk8s';
import { ArticleInferenceChart } from '../../examples/inference';
import { ArticleBatchProcessorChart } from '../../examples/queue-workers';
import { autoscaledWorkloads } from '../../src/monitoring/autoscaled-workloads';
import * as q from '../../src/monitoring/workload-queries';
import { promqlSyntaxError } from '../../src/promql/promql-syntax';

/** The PromQL syntax errors of `query` (Prometheus' grammar, as the guardrail checks it): their offsets. */
const syntaxErrorsOf = (query: string): number[] => promqlSyntaxError(query) ? [promqlSyntaxError(query)!.offset] : [];

const inference = autoscaledWorkloads(Testing.synth(new ArticleInferenceChart(Testing.app(), 'c')))[0];
const worker = autoscaledWorkloads(Testing.synth(new ArticleBatchProcessorChart(Testing.app(), 'c')))[0];

test('every query of a workload parses with the PromQL grammar', () => {
  const queries = [inference, worker].flatMap(w => [
    q.replicas(w, 'current'), q.replicas(w, 'desired'), q.replicas(w, 'min'), q.replicas(w, 'max'),
    q.atMaximum(w), q.scalingInactive(w), q.podColdStartSeconds(w), q.podUnreadyAgeSeconds(w), q.gpusRequested(w)!,
    ...w.hpaMetrics.map(m => q.hpaMetricValue(w, m)), ...w.triggers.map(t => q.triggerValue(w, t)), q.triggerErrors(w, '5m'),
  ]);
  expect(queries.filter(x => syntaxErrorsOf(x).length > 0)).toEqual([]);
});

test('selectors name the HPA that scales (KEDA\'s for a ScaledObject) and the workload\'s pods', () => {
  expect(q.replicas(inference, 'max')).toBe(
    'max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{namespace="ml-workloads",horizontalpodautoscaler="ml-inference-hpa"})');
  expect(q.atMaximum(worker)).toContain('horizontalpodautoscaler="keda-hpa-ml-batch-processor-scaler"');
  expect(q.podColdStartSeconds(inference)).toBe(
    'max by (namespace, pod) (kube_pod_status_ready_time{namespace="ml-workloads",pod=~"ml-inference-service-[a-z0-9]+-[a-z0-9]+"}) - ' +
    'max by (namespace, pod) (kube_pod_created{namespace="ml-workloads",pod=~"ml-inference-service-[a-z0-9]+-[a-z0-9]+"}) > 0');
  expect(q.gpusRequested(inference)).toContain('resource=~"nvidia_com_gpu"');
  expect(q.triggerValue(worker, worker.triggers[0])).toContain('scaledObject="ml-batch-processor-scaler",triggerIndex="0"');
  expect(q.hpaMetricValue(inference, inference.hpaMetrics[2])).toContain('metric_name="inference_queue_depth",metric_target_type="average"');
});

test('label values are PromQL string literals', () => {
  expect(q.promqlString('a"b\\c')).toBe('"a\\"b\\\\c"');
  expect(syntaxErrorsOf(`x{a=${q.promqlString('a"b\\c')}}`)).toEqual([]);
});
