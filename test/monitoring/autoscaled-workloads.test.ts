import { Testing } from 'cdk8s';
import { HybridKedaChart } from '../../examples/hybrid';
import { ArticleInferenceChart } from '../../examples/inference';
import { ArticleBatchProcessorChart } from '../../examples/queue-workers';
import { podPatternOf } from '../../src/model-server/signal-query';
import { autoscaledWorkloads, kedaHpaName } from '../../src/monitoring/autoscaled-workloads';

describe('autoscaledWorkloads', () => {
  test('the article\'s inference service: its HPA, bounds, load time, startup budget, GPUs and metrics', () => {
    const [w, ...rest] = autoscaledWorkloads(Testing.synth(new ArticleInferenceChart(Testing.app(), 'c')));
    expect(rest).toEqual([]);
    expect(w).toMatchObject({
      namespace: 'ml-workloads',
      kind: 'Deployment',
      name: 'ml-inference-service',
      autoscalerKind: 'HorizontalPodAutoscaler',
      hpaName: 'ml-inference-hpa',
      minReplicas: 2,
      maxReplicas: 10,
      modelLoadSeconds: 120,
      startupBudgetSeconds: 150,
      gpusPerPod: 1,
    });
    expect(w.hpaMetrics.map(m => [m.metricName, m.targetType, m.target, m.queue])).toEqual([
      ['cpu', 'utilization', 70, false],
      ['memory', 'utilization', 80, false],
      ['inference_queue_depth', 'average', 10, true],
    ]);
  });

  test('a KEDA worker: the HPA KEDA creates, trigger targets, which triggers are queues', () => {
    const [w] = autoscaledWorkloads(Testing.synth(new ArticleBatchProcessorChart(Testing.app(), 'c')));
    expect(w).toMatchObject({ autoscalerKind: 'ScaledObject', hpaName: 'keda-hpa-ml-batch-processor-scaler', minReplicas: 0, maxReplicas: 20 });
    expect(w.triggers.map(t => [t.type, t.target, t.queue])).toEqual([['rabbitmq', 5, true], ['prometheus', 70, false]]);
    expect(w.triggers[1].query).toContain('DCGM_FI_DEV_GPU_UTIL');
  });

  test('a ScaledObject that names its HPA (the hybrid adopting an existing HPA)', () => {
    const [w] = autoscaledWorkloads(Testing.synth(new HybridKedaChart(Testing.app(), 'c')));
    expect(w.hpaName).toBe('hybrid-ml-hpa');
    expect(kedaHpaName({ metadata: { name: 'so' }, spec: {} })).toBe('keda-hpa-so');
  });

  test('leaves out autoscalers whose target is not among the objects, and ScaledJobs', () => {
    const objects = [
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'missing' }, maxReplicas: 3 } },
      { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob', metadata: { name: 'j' }, spec: { jobTargetRef: { template: { spec: { containers: [] } } }, triggers: [] } },
    ];
    expect(autoscaledWorkloads(objects)).toEqual([]);
  });

  test('pod name patterns: Deployment pods carry a template hash and a suffix, StatefulSet pods an ordinal', () => {
    expect(new RegExp(`^${podPatternOf('Deployment', 'llm.a')}$`).test('llm.a-5d8f7c9b4-x2x9z')).toBe(true);
    expect(new RegExp(`^${podPatternOf('Deployment', 'llm.a')}$`).test('llmXa-5d8f7c9b4-x2x9z')).toBe(false);
    expect(new RegExp(`^${podPatternOf('StatefulSet', 'db')}$`).test('db-0')).toBe(true);
  });
});
