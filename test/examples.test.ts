import { App, Chart, Testing } from 'cdk8s';
import { findOne, validateAll } from './validate';
import { HybridHpaChart, HybridKedaChart } from '../examples/hybrid';
import { ArticleInferenceChart } from '../examples/inference';
import { SglangWorkerPoolChart, TritonResnetChart, VllmInferenceChart } from '../examples/model-servers';
import { ArticleBatchProcessorChart, ArticleTrainingWorkerChart, TrainingJobsChart } from '../examples/queue-workers';
import { BufferedScaleToZeroChart } from '../examples/request-buffering';
import { ScaleToZeroInferenceChart } from '../examples/scale-to-zero';
import { Guardrails, KubernetesTarget } from '../src';

const CHARTS: [string, (app: App) => Chart][] = [
  ['ml-inference', app => new ArticleInferenceChart(app, 'ml-inference')],
  ['ml-batch-processor', app => new ArticleBatchProcessorChart(app, 'ml-batch-processor')],
  ['ml-training-worker', app => new ArticleTrainingWorkerChart(app, 'ml-training-worker')],
  ['ml-training-jobs', app => new TrainingJobsChart(app, 'ml-training-jobs')],
  ['hybrid-ml-hpa-mode', app => new HybridHpaChart(app, 'hybrid-ml-hpa-mode')],
  ['hybrid-ml-keda-mode', app => new HybridKedaChart(app, 'hybrid-ml-keda-mode')],
  ['ml-inference-scale-to-zero', app => new ScaleToZeroInferenceChart(app, 'ml-inference-scale-to-zero')],
  ['llm-vllm', app => new VllmInferenceChart(app, 'llm-vllm')],
  ['llm-sglang', app => new SglangWorkerPoolChart(app, 'llm-sglang')],
  ['ml-resnet-triton', app => new TritonResnetChart(app, 'ml-resnet-triton')],
  ['llm-chat-buffered', app => new BufferedScaleToZeroChart(app, 'llm-chat-buffered')],
];

describe.each(CHARTS)('example %s', (_name, make) => {
  const chart = make(Testing.app());
  // the Kubernetes version (and gates) the chart is for: what the API server rules and the guardrails judge by
  const target = KubernetesTarget.of(chart);
  const manifests = validateAll(Testing.synth(chart), target);

  test('every object is valid for the API server of its target version', () => {
    expect(manifests.length).toBeGreaterThan(0);
  });

  test('passes every guardrail with no finding, warnings included', () => {
    expect(Guardrails.check(manifests, { kubernetesVersion: target.version, featureGates: target.featureGates }).map(f => f.message)).toEqual([]);
  });

  test('has at most one autoscaler per workload and no KEDA annotation on a workload', () => {
    const targets = manifests
      .filter(m => m.kind === 'HorizontalPodAutoscaler' || m.kind === 'ScaledObject')
      .map(m => m.spec.scaleTargetRef.name);
    expect(new Set(targets).size).toBe(targets.length);
    for (const w of manifests.filter(m => m.kind === 'Deployment')) {
      expect(Object.keys(w.metadata.annotations ?? {}).filter(k => k.includes('keda.sh'))).toEqual([]);
    }
  });

  test('carries no literal secret values', () => {
    expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
    expect(JSON.stringify(manifests)).not.toMatch(/stringData|amqp:\/\/[^"]*@|password/i);
  });
});

describe('example ml-inference-scale-to-zero: a GPU service scaled to zero by the HPA on an External queue metric', () => {
  const chart = new ScaleToZeroInferenceChart(Testing.app(), 'ml-inference-scale-to-zero');
  const manifests = Testing.synth(chart);
  const hpa = findOne(manifests, 'HorizontalPodAutoscaler', 'ml-summarizer-hpa');

  test('is for a Kubernetes 1.37 API server, where HPAScaleToZero is on by default', () => {
    expect(KubernetesTarget.of(chart).version).toBe('1.37');
    expect(KubernetesTarget.of(chart).featureGates).toEqual({});
  });

  test('a plain HPA (no KEDA) with minReplicas 0 on the queue length', () => {
    expect(manifests.filter(m => m.kind === 'ScaledObject')).toEqual([]);
    expect(hpa.spec.minReplicas).toBe(0);
    expect(hpa.spec.maxReplicas).toBe(8);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ml-summarizer' });
    expect(hpa.spec.metrics).toEqual([{
      type: 'External',
      external: {
        metric: { name: 'rabbitmq_queue_messages', selector: { matchLabels: { queue: 'summarize-requests' } } },
        target: { type: 'AverageValue', averageValue: '4' },
      },
    }]);
  });

  test('scales up at 5% above the target instead of the cluster-wide 10%', () => {
    expect(hpa.spec.behavior.scaleUp.tolerance).toBe('50m');
    expect(hpa.spec.behavior.scaleDown.tolerance).toBeUndefined();
  });

  test('the Deployment pins no replica count and declares the request buffering in front of it', () => {
    const d = findOne(manifests, 'Deployment', 'ml-summarizer');
    expect(d.spec.replicas).toBeUndefined();
    expect(d.spec.template.metadata.annotations['ml-autoscaling.io/request-buffering']).toBe('true');
  });

  test('the adapter serves the External metric', () => {
    expect(findOne(manifests, 'ConfigMap', 'prometheus-adapter').data['config.yaml']).toContain('rabbitmq_queue_messages');
  });

  test('is invalid for the default target (1.35): the API server would reject minReplicas 0', () => {
    expect(() => validateAll([hpa])).toThrow(/spec\.minReplicas = 0: must be an int32 >= 1 .*off in Kubernetes 1\.35/);
  });
});
