/**
 * Scaling signals: one declaration, the right rendering for either controller (HPA Pods metric served by
 * the adapter, or a KEDA prometheus trigger over exactly the Deployment's pods), with the same per-replica target.
 */
import { Chart, Testing } from 'cdk8s';
import {
  GpuInferenceService, GpuMetricLabels, HybridMlService, HybridScalingMode, Metric, ModelServer, PrometheusAdapterRules, ScalingSignal, Trigger,
} from '../../src';
import { parseYamlText } from '../../src/guardrails/yaml-text';
import { errorOf } from '../error-of';
import { findOne, synthValid } from '../validate';

const PROMETHEUS = 'http://prometheus-operated.monitoring.svc:9090';

function hybrid(mode: HybridScalingMode, signals: ScalingSignal[], extra: Record<string, unknown> = {}, chart: Chart = Testing.chart()) {
  new HybridMlService(chart, 'Svc', {
    name: 'llm',
    namespace: 'ml',
    image: 'vllm/vllm-openai:v0.12.0',
    modelServer: ModelServer.vllm(),
    minReplicas: 1,
    maxReplicas: 8,
    mode,
    signals,
    ...(mode === HybridScalingMode.KEDA ? { keda: { prometheusAddress: PROMETHEUS } } : {}),
    ...extra,
  });
  return chart;
}

const POD_SELECTOR = 'namespace="ml",pod=~"llm-[a-z0-9]+-[a-z0-9]+"';

describe.each([
  ['queue size', ScalingSignal.queueSize(5), 'vllm_num_requests_waiting', '5', `sum(vllm:num_requests_waiting{${POD_SELECTOR}})`, 'queue_size'],
  ['batch size', ScalingSignal.batchSize(48), 'vllm_num_requests_running', '48', `sum(vllm:num_requests_running{${POD_SELECTOR}})`, 'batch_size'],
  ['KV-cache usage', ScalingSignal.kvCacheUsage(0.8), 'vllm_kv_cache_usage_perc', '800m',
    `sum(avg by (pod) (vllm:kv_cache_usage_perc{${POD_SELECTOR}}))`, 'kv_cache_usage'],
  ['GPU utilization', ScalingSignal.gpuUtilization(70), 'DCGM_FI_DEV_GPU_UTIL', '70',
    'sum(avg by (exported_pod) (DCGM_FI_DEV_GPU_UTIL{exported_namespace="ml",exported_pod=~"llm-[a-z0-9]+-[a-z0-9]+"}))', 'gpu_utilization'],
])('%s: the same signal for the HPA and for KEDA', (_name, signal, apiName, quantity, query, triggerName) => {
  test('HPA: a Pods metric with the per-replica target as AverageValue', () => {
    const hpa = findOne(synthValid(hybrid(HybridScalingMode.HPA, [signal])), 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics).toEqual([{ type: 'Pods', pods: { metric: { name: apiName }, target: { type: 'AverageValue', averageValue: quantity } } }]);
  });

  test('KEDA: a prometheus trigger summing over the Deployment\'s pods, the same target per replica (AverageValue)', () => {
    const so = findOne(synthValid(hybrid(HybridScalingMode.KEDA, [signal])), 'ScaledObject');
    expect(so.spec.triggers).toEqual([{
      type: 'prometheus', name: triggerName, metadata: { serverAddress: PROMETHEUS, query, threshold: String(signal.target) },
    }]);
    // AverageValue is KEDA's default for external triggers: desired = ceil(sum / threshold), as the HPA's average
    expect(so.spec.triggers[0].metricType).toBeUndefined();
  });
});

test('KEDA: activation threshold and trigger name; HONORED GPU labels', () => {
  const so = findOne(synthValid(hybrid(HybridScalingMode.KEDA, [
    ScalingSignal.queueSize(4, { activationThreshold: 1, triggerName: 'waiting' }),
    ScalingSignal.gpuUtilization(60, { labels: GpuMetricLabels.HONORED }),
  ])), 'ScaledObject');
  expect(so.spec.triggers[0]).toMatchObject({ name: 'waiting', metadata: { threshold: '4', activationThreshold: '1' } });
  expect(so.spec.triggers[1].metadata.query).toBe(`sum(avg by (pod) (DCGM_FI_DEV_GPU_UTIL{${POD_SELECTOR}}))`);
});

test('a dotted Deployment name is matched literally in the pod pattern', () => {
  const so = findOne(synthValid(hybrid(HybridScalingMode.KEDA, [ScalingSignal.queueSize(5)], { name: 'llm.v2', serviceName: 'llm-v2' })), 'ScaledObject');
  expect(so.spec.triggers[0].metadata.query).toBe('sum(vllm:num_requests_waiting{namespace="ml",pod=~"llm[.]v2-[a-z0-9]+-[a-z0-9]+"})');
});

test('TRT-LLM signals carry the label that narrows the series', () => {
  const chart = Testing.chart();
  new GpuInferenceService(chart, 'Svc', {
    name: 'trt',
    namespace: 'ml',
    image: 'nvcr.io/nvidia/tritonserver:26.07-trtllm-python-py3',
    modelServer: ModelServer.triton(),
    maxReplicas: 4,
    signals: [ScalingSignal.batchSize(16)],
  });
  new PrometheusAdapterRules(chart, 'Adapter');
  const manifests = synthValid(chart);
  expect(findOne(manifests, 'HorizontalPodAutoscaler').spec.metrics[0].pods.metric)
    .toEqual({ name: 'nv_trt_llm_request_metrics', selector: { matchLabels: { request_type: 'active' } } });
});

describe('PrometheusAdapterRules serve what the signals ask for', () => {
  const rulesOf = (chart: Chart) => parseYamlText(findOne(synthValid(chart), 'ConfigMap').data['config.yaml'])[0].rules;

  test('the engine\'s series behind the API name (":" becomes "_"), per pod, averaged where a pod has several series', () => {
    const chart = hybrid(HybridScalingMode.HPA, [ScalingSignal.queueSize(5), ScalingSignal.kvCacheUsage(0.8)]);
    new PrometheusAdapterRules(chart, 'Adapter');
    const rules = rulesOf(chart);
    expect(rules).toEqual([
      {
        seriesQuery: 'vllm:kv_cache_usage_perc{namespace!="",pod!=""}',
        resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
        name: { matches: '^vllm:kv_cache_usage_perc$', as: 'vllm_kv_cache_usage_perc' },
        metricsQuery: 'avg(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
      },
      {
        seriesQuery: 'vllm:num_requests_waiting{namespace!="",pod!=""}',
        resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
        name: { matches: '^vllm:num_requests_waiting$', as: 'vllm_num_requests_waiting' },
        metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
      },
    ]);
  });

  test.each([
    [undefined, 'exported_namespace', 'exported_pod'],
    [GpuMetricLabels.HONORED, 'namespace', 'pod'],
  ])('DCGM series by the exporter\'s labels (%s)', (gpuMetricLabels, ns, pod) => {
    const chart = hybrid(HybridScalingMode.HPA, [ScalingSignal.gpuUtilization(70)]);
    new PrometheusAdapterRules(chart, 'Adapter', { gpuMetricLabels });
    expect(rulesOf(chart)).toEqual([{
      seriesQuery: `DCGM_FI_DEV_GPU_UTIL{${ns}!="",${pod}!=""}`,
      resources: { overrides: { [ns]: { resource: 'namespace' }, [pod]: { resource: 'pod' } } },
      name: { matches: '^DCGM_FI_DEV_GPU_UTIL$', as: 'DCGM_FI_DEV_GPU_UTIL' },
      metricsQuery: 'avg(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
    }]);
  });

  test('a custom server\'s ":" series is found from the pods\' server-metrics annotation', () => {
    const chart = Testing.chart();
    new GpuInferenceService(chart, 'Svc', {
      name: 'own',
      image: 'registry/own:v1',
      maxReplicas: 4,
      signals: [ScalingSignal.queueSize(3)],
      modelServer: ModelServer.custom({ name: 'own', httpPort: 8080, queueSizeMetric: 'own:queue_depth' }),
    });
    new PrometheusAdapterRules(chart, 'Adapter');
    expect(rulesOf(chart)[0]).toMatchObject({ seriesQuery: 'own:queue_depth{namespace!="",pod!=""}', name: { as: 'own_queue_depth' } });
  });
});

describe('bad signals fail with the fix', () => {
  test.each([
    [() => ScalingSignal.queueSize(0), /\[ScalingSignal\.queueSize\] perReplica=0: must be a finite number greater than 0 and <= 1000000000/],
    [() => ScalingSignal.queueSize(-1), /perReplica=-1/],
    [() => ScalingSignal.queueSize(2.0005), /perReplica=2\.0005: has more than 3 decimals/],
    [() => ScalingSignal.kvCacheUsage(1.5), /\[ScalingSignal\.kvCacheUsage\] fraction=1\.5: must be a finite number greater than 0 and <= 1,/],
    [() => ScalingSignal.gpuUtilization(120), /\[ScalingSignal\.gpuUtilization\] percent=120/],
    [() => ScalingSignal.queueSize(5, { activationThreshold: 6 }),
      /options\.activationThreshold=6: is above the target perReplica=5: KEDA would park the service at zero while each replica still has more than its target/],
    [() => ScalingSignal.batchSize(5, { triggerName: '1bad' }), /triggerName="1bad"/],
    [() => ScalingSignal.gpuUtilization(50, { labels: 'exported_pod' as any }), /labels="exported_pod"/],
    [() => ScalingSignal.queueSize('5' as any), /perReplica="5"/],
  ])('%#', (fn, message) => {
    expect(errorOf(fn)).toMatch(message);
  });

  test('in the construct: no server, a server without the metric, KEDA without Prometheus or namespace, a too-long name', () => {
    const svc = (props: Record<string, unknown>) => () => new GpuInferenceService(Testing.chart(), 'Svc', {
      image: 'registry/m:v1', maxReplicas: 2, signals: [ScalingSignal.queueSize(5)], ...props,
    });
    expect(errorOf(svc({}))).toMatch(/\[test\/Svc\] signals\[0\]="ScalingSignal\.queueSize": reads the model server's metrics, and the construct has no modelServer\. Fix: set modelServer/);
    expect(errorOf(svc({ modelServer: ModelServer.tgi(), signals: [ScalingSignal.kvCacheUsage(0.9)] })))
      .toMatch(/signals\[0\]="ScalingSignal\.kvCacheUsage": TGI 3\.3\.7 exports no kvCacheUsage metric\. Fix: scale on ScalingSignal\.queueSize or ScalingSignal\.batchSize instead/);
    expect(errorOf(() => hybrid(HybridScalingMode.KEDA, [ScalingSignal.queueSize(5)], { keda: {} })))
      .toMatch(/keda\.prometheusAddress=undefined: is needed by signals in KEDA mode/);
    expect(errorOf(() => hybrid(HybridScalingMode.KEDA, [ScalingSignal.queueSize(5)], { namespace: undefined })))
      .toMatch(/namespace=undefined: is needed by the KEDA queries of signals.*Fix: set namespace on the construct or its chart/);
    expect(errorOf(() => hybrid(HybridScalingMode.KEDA, [ScalingSignal.queueSize(5)], { name: 'a'.repeat(47), serviceName: 'svc', hpaName: 'h' })))
      .toMatch(/name="a{47}": is longer than 46 characters: pod names are cut/);
  });
});

describe('DCGM GPU utilization as first-class Metric and Trigger factories', () => {
  test('Metric.gpuUtilization: a Pods metric the adapter serves by the exporter\'s labels', () => {
    const chart = Testing.chart();
    new GpuInferenceService(chart, 'Svc', { name: 'resnet', image: 'registry/resnet:v1', maxReplicas: 4, metrics: [Metric.gpuUtilization(70)] });
    new PrometheusAdapterRules(chart, 'Adapter');
    const manifests = synthValid(chart);
    expect(findOne(manifests, 'HorizontalPodAutoscaler').spec.metrics)
      .toEqual([{ type: 'Pods', pods: { metric: { name: 'DCGM_FI_DEV_GPU_UTIL' }, target: { type: 'AverageValue', averageValue: '70' } } }]);
    expect(parseYamlText(findOne(manifests, 'ConfigMap').data['config.yaml'])[0].rules[0].seriesQuery)
      .toBe('DCGM_FI_DEV_GPU_UTIL{exported_namespace!="",exported_pod!=""}');
    expect(errorOf(() => Metric.gpuUtilization(0))).toMatch(/\[Metric\.gpuUtilization\] percent=0/);
  });

  test('Trigger.gpuUtilization: the article\'s avg(gpu_utilization{...}) at 70, as a per-replica average over one Deployment', () => {
    const t = Trigger.gpuUtilization({ serverAddress: PROMETHEUS, namespace: 'ml-workloads', deploymentName: 'ml-batch-processor', percent: 70 });
    expect({ type: t.type, name: t.name, metadata: t.metadata }).toEqual({
      type: 'prometheus',
      name: 'gpu_utilization',
      metadata: {
        serverAddress: PROMETHEUS,
        threshold: '70',
        query: 'sum(avg by (exported_pod) (DCGM_FI_DEV_GPU_UTIL{exported_namespace="ml-workloads",exported_pod=~"ml-batch-processor-[a-z0-9]+-[a-z0-9]+"}))',
      },
    });
    expect(t.metricType).toBeUndefined();
    expect(errorOf(() => Trigger.gpuUtilization({ serverAddress: PROMETHEUS, namespace: 'ml', deploymentName: 'x'.repeat(47), percent: 70 })))
      .toMatch(/\[Trigger\.gpuUtilization\] deploymentName="x{47}": is longer than 46 characters/);
    expect(errorOf(() => Trigger.gpuUtilization({ serverAddress: PROMETHEUS, namespace: 'ml', deploymentName: 'd', percent: 70, query: 'q' } as any)))
      .toMatch(/\[Trigger\.gpuUtilization\] query=/);
  });
});
