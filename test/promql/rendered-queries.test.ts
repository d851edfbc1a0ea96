import { App, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { HybridHpaChart, HybridKedaChart } from '../../examples/hybrid';
import { ArticleInferenceChart } from '../../examples/inference';
import { SglangWorkerPoolChart, TritonResnetChart, VllmInferenceChart } from '../../examples/model-servers';
import { ArticleBatchProcessorChart, ArticleTrainingWorkerChart, TrainingJobsChart } from '../../examples/queue-workers';
import { BufferedScaleToZeroChart } from '../../examples/request-buffering';
import { ScaleToZeroInferenceChart } from '../../examples/scale-to-zero';
import { promqlSourcesOf } from '../../src/guardrails/promql-sources';
import { Trigger } from '../../src/keda/trigger';
import { GpuMetricLabels } from '../../src/model-server/scaling-signal';
import { KNOWN_METRICS } from '../../src/model-server/server-catalog';
import { MAX_SIGNAL_DEPLOYMENT_NAME, signalQuery } from '../../src/model-server/signal-query';
import { adapterTemplateError } from '../../src/promql/adapter-template';
import { promqlSyntaxError } from '../../src/promql/promql-syntax';

const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
const deploymentName = fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,40}[a-z0-9])?$/)
  .filter(n => n.length <= MAX_SIGNAL_DEPLOYMENT_NAME && !/\.\.|\.-|-\./.test(n));
const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/);

test('every signal query the library renders parses, for any series, namespace, Deployment and selector', () => {
  fc.assert(fc.property(
    fc.constantFrom(...KNOWN_METRICS), dnsLabel, deploymentName, fc.dictionary(labelName, fc.string({ maxLength: 12 }), { maxKeys: 3 }),
    fc.constantFrom<'sum' | 'avg'>('sum', 'avg'), fc.constantFrom('pod', 'exported_pod'),
    (metric, namespace, name, selector, podAggregation, podLabel) => {
      const q = signalQuery({ series: metric.series, selector, podAggregation, podLabel, namespaceLabel: 'namespace' }, namespace, name);
      expect(promqlSyntaxError(q)).toBeUndefined();
    }), { numRuns: 300 });
});

test('every Trigger.gpuUtilization query parses', () => {
  fc.assert(fc.property(dnsLabel, deploymentName, fc.constantFrom(GpuMetricLabels.EXPORTED, GpuMetricLabels.HONORED),
    fc.double({ min: 1, max: 100, noNaN: true }), (namespace, name, labels, percent) => {
      const t = Trigger.gpuUtilization({ serverAddress: 'http://prometheus:9090', namespace, deploymentName: name, percent, labels });
      expect(t.metadata.query).toContain('DCGM_FI_DEV_GPU_UTIL');
      expect(promqlSyntaxError(t.metadata.query)).toBeUndefined();
    }), { numRuns: 200 });
});

const CHARTS: Array<(app: App) => void> = [
  app => new ArticleInferenceChart(app, 'ml-inference'),
  app => new ArticleBatchProcessorChart(app, 'ml-batch-processor'),
  app => new ArticleTrainingWorkerChart(app, 'ml-training-worker'),
  app => new TrainingJobsChart(app, 'ml-training-jobs'),
  app => new HybridHpaChart(app, 'hybrid-ml-hpa-mode'),
  app => new HybridKedaChart(app, 'hybrid-ml-keda-mode'),
  app => new ScaleToZeroInferenceChart(app, 'ml-inference-scale-to-zero'),
  app => new VllmInferenceChart(app, 'llm-vllm'),
  app => new SglangWorkerPoolChart(app, 'llm-sglang'),
  app => new TritonResnetChart(app, 'ml-resnet-triton'),
  app => new BufferedScaleToZeroChart(app, 'llm-chat-buffered'),
];

test('every PromQL expression in every synthesized example chart parses', () => {
  const app = Testing.app();
  for (const make of CHARTS) make(app);
  const objects = app.charts.flatMap(c => c.toJson());
  const sources = promqlSourcesOf(objects, objects.filter(o => o.kind === 'ConfigMap'));
  // the examples render KEDA prometheus triggers and adapter rules
  expect(sources.length).toBeGreaterThan(3);
  for (const s of sources) {
    const error = s.kind === 'adapter-template' ? adapterTemplateError(s.query) : promqlSyntaxError(s.query);
    expect({ location: s.location, query: s.query, error }).toEqual({ location: s.location, query: s.query, error: undefined });
  }
});
