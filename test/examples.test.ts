import { App, Chart, Testing } from 'cdk8s';
import { validateAll } from './validate';
import { HybridHpaChart, HybridKedaChart } from '../examples/hybrid';
import { ArticleInferenceChart } from '../examples/inference';
import { ArticleBatchProcessorChart, ArticleTrainingWorkerChart, TrainingJobsChart } from '../examples/queue-workers';
import { Guardrails } from '../src';

const CHARTS: [string, (app: App) => Chart][] = [
  ['ml-inference', app => new ArticleInferenceChart(app, 'ml-inference')],
  ['ml-batch-processor', app => new ArticleBatchProcessorChart(app, 'ml-batch-processor')],
  ['ml-training-worker', app => new ArticleTrainingWorkerChart(app, 'ml-training-worker')],
  ['ml-training-jobs', app => new TrainingJobsChart(app, 'ml-training-jobs')],
  ['hybrid-ml-hpa-mode', app => new HybridHpaChart(app, 'hybrid-ml-hpa-mode')],
  ['hybrid-ml-keda-mode', app => new HybridKedaChart(app, 'hybrid-ml-keda-mode')],
];

describe.each(CHARTS)('example %s', (_name, make) => {
  const manifests = validateAll(Testing.synth(make(Testing.app())));

  test('every object is valid for the API server', () => {
    expect(manifests.length).toBeGreaterThan(0);
  });

  test('passes every guardrail with no finding, warnings included', () => {
    expect(Guardrails.check(manifests).map(f => f.message)).toEqual([]);
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
