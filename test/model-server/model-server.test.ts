/**
 * Model-server presets: ports, probes, metrics endpoints and the flags each server needs follow from
 * the preset; every rendered object validates.
 */
import { Testing } from 'cdk8s';
import {
  GpuInferenceService, ModelServer, QueueBatchWorker, ScalingSignal, SignalKind, Trigger, WorkerMode,
} from '../../src';
import { errorOf } from '../error-of';
import { findOne, synthValid } from '../validate';

const container = (manifests: any[]) => findOne(manifests, 'Deployment').spec.template.spec.containers[0];
const annotations = (manifests: any[]) => findOne(manifests, 'Deployment').spec.template.metadata.annotations;

function serve(server: ModelServer, extra: Record<string, unknown> = {}) {
  const chart = Testing.chart();
  new GpuInferenceService(chart, 'Svc', {
    name: 'llm',
    namespace: 'ml',
    image: 'registry/server:v1',
    modelServer: server,
    maxReplicas: 4,
    signals: [ScalingSignal.queueSize(5)],
    ...extra,
  });
  return synthValid(chart);
}

describe.each([
  ['vLLM', ModelServer.vllm(), { args: ['--model', 'm'] }, 8000, undefined, '/health', '/health', 'vllm:num_requests_waiting'],
  ['SGLang', ModelServer.sglang(), { args: ['--model-path', 'm', '--host', '0.0.0.0', '--enable-metrics'] }, 30000, undefined, '/health',
    '/health_generate', 'sglang:num_queue_reqs'],
  ['TGI', ModelServer.tgi(), {}, 80, undefined, '/health', '/health', 'tgi_queue_size'],
  ['Triton', ModelServer.triton(), { args: ['tritonserver', '--model-repository=/models'] }, 8000, 8002, '/v2/health/live',
    '/v2/health/ready', 'nv_inference_pending_request_count'],
])('%s preset', (_name, server, extra, httpPort, metricsPort, liveness, readiness, queueSeries) => {
  const manifests = serve(server, extra);
  const c = container(manifests);

  test('ports, probes and the scrape annotations follow from the preset', () => {
    expect(c.ports).toEqual([{ containerPort: httpPort, name: 'http' }, ...(metricsPort ? [{ containerPort: metricsPort, name: 'metrics' }] : [])]);
    expect(c.livenessProbe.httpGet).toEqual({ path: liveness, port: httpPort });
    expect(c.startupProbe.httpGet).toEqual({ path: liveness, port: httpPort });
    expect(c.readinessProbe.httpGet).toEqual({ path: readiness, port: httpPort });
    expect(annotations(manifests)['prometheus.io/port']).toBe(String(metricsPort ?? httpPort));
    expect(annotations(manifests)['prometheus.io/path']).toBe('/metrics');
    expect(findOne(manifests, 'Service').spec.ports.map((p: any) => p.port)).toEqual([httpPort, ...(metricsPort ? [metricsPort] : [])]);
  });

  test('the pods say which server runs and which series measures which signal', () => {
    expect(annotations(manifests)['ml-autoscaling.io/model-server']).toBe(server.name);
    const metrics = JSON.parse(annotations(manifests)['ml-autoscaling.io/server-metrics']);
    expect(metrics.queueSize).toBe(queueSeries);
    expect(server.metricFor(SignalKind.QUEUE_SIZE)).toBe(queueSeries);
  });
});

test('the presets state the upstream version they were checked against', () => {
  expect(ModelServer.vllm().toString()).toBe('vLLM 0.12.0');
  expect(ModelServer.sglang().toString()).toBe('SGLang 0.5');
  expect(ModelServer.tgi().toString()).toBe('TGI 3.3.7');
  expect(ModelServer.triton().toString()).toBe('Triton 2.71.0');
  expect(ModelServer.vllm().metricFor(SignalKind.KV_CACHE_USAGE)).toBe('vllm:kv_cache_usage_perc');
  expect(ModelServer.tgi().metricFor(SignalKind.KV_CACHE_USAGE)).toBeUndefined();
  expect(ModelServer.vllm().llm).toBe(true);
  expect(ModelServer.triton().llm).toBe(false);
  expect(ModelServer.triton().llmDependsOnImage).toBe(true);
});

test('props override the preset: ports and probe paths', () => {
  const manifests = serve(ModelServer.vllm(), { httpPort: 9000, args: ['--port', '9000'], probes: { readinessPath: '/v1/models' } });
  const c = container(manifests);
  expect(c.ports).toEqual([{ containerPort: 9000, name: 'http' }]);
  expect(c.readinessProbe.httpGet).toEqual({ path: '/v1/models', port: 9000 });
  expect(c.livenessProbe.httpGet.path).toBe('/health');
});

describe('the server\'s command line is checked against the preset', () => {
  const sglangArgs = ['--model-path', 'm', '--host', '0.0.0.0', '--enable-metrics'];
  test.each([
    ['SGLang without --enable-metrics', ModelServer.sglang(), { args: ['--model-path', 'm', '--host', '0.0.0.0'] },
      /args=.*: SGLang 0\.5 needs "--enable-metrics": SGLang serves \/metrics only with --enable-metrics \(default off\)\. Fix: add "--enable-metrics" to args/],
    ['SGLang on 127.0.0.1', ModelServer.sglang(), { args: ['--model-path', 'm', '--enable-metrics'] },
      /needs "--host", "0\.0\.0\.0".*binds 127\.0\.0\.1 by default/],
    ['SGLang on another host', ModelServer.sglang(), { args: ['--host', '127.0.0.1', '--enable-metrics'] },
      /needs "--host", "0\.0\.0\.0" \(got --host 127\.0\.0\.1\)/],
    ['SGLang metrics per rank', ModelServer.sglang(), { args: [...sglangArgs, '--enable-metrics-for-all-schedulers'] },
      /--enable-metrics-for-all-schedulers breaks the scaling signals of SGLang 0\.5: .*once per tensor-parallel rank/],
    ['vLLM on another port', ModelServer.vllm(), { args: ['--model', 'm', '--port', '9000'] },
      /args="--model m --port 9000": sets --port 9000, but httpPort is 8000.*Fix: set --port to 8000 in args, or httpPort to 9000/],
    ['vLLM with --port=', ModelServer.vllm(), { args: ['--port=abc'] }, /sets --port to "abc", which is not a port number/],
    ['vLLM moved without the flag', ModelServer.vllm(), { httpPort: 9000 },
      /httpPort=9000: vLLM 0\.12\.0 listens on 8000 \(its default\).*Fix: add "--port", "9000" to args, or leave httpPort out/],
    ['Triton metrics moved without the flag', ModelServer.triton(), { metricsPort: 9002 }, /metricsPort=9002: Triton 2\.71\.0 listens on 8002/],
    ['Triton with metrics off', ModelServer.triton(), { args: ['tritonserver', '--allow-metrics=false'] },
      /--allow-metrics=false breaks the scaling signals of Triton 2\.71\.0: it turns off the metrics endpoint/],
  ])('%s', (_name, server, extra, message) => {
    expect(errorOf(() => serve(server, extra))).toMatch(message);
  });

  test('flags inside a shell string count, and TGI reads its port from $PORT', () => {
    expect(() => serve(ModelServer.sglang(), {
      command: ['sh', '-c'], args: ['python3 -m sglang.launch_server --model-path m --host 0.0.0.0 --enable-metrics'],
    })).not.toThrow();
    const manifests = serve(ModelServer.tgi(), { httpPort: 3000, env: { PORT: '3000' } });
    expect(container(manifests).ports[0].containerPort).toBe(3000);
    expect(errorOf(() => serve(ModelServer.tgi(), { httpPort: 3000 }))).toMatch(/TGI 3\.3\.7 listens on 80 \(its default\)/);
  });
});

describe('ModelServer.custom: the article\'s own server', () => {
  const article = () => ModelServer.custom({ name: 'ml-inference', httpPort: 8080, metricsPort: 8000, queueSizeMetric: 'inference_queue_depth' });

  test('ports, default probes and its queue metric', () => {
    const manifests = serve(article());
    const c = container(manifests);
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http' }, { containerPort: 8000, name: 'metrics' }]);
    expect(c.readinessProbe.httpGet.path).toBe('/ready');
    expect(JSON.parse(annotations(manifests)['ml-autoscaling.io/server-metrics'])).toEqual({ queueSize: 'inference_queue_depth' });
    expect(findOne(manifests, 'HorizontalPodAutoscaler').spec.metrics).toEqual([
      { type: 'Pods', pods: { metric: { name: 'inference_queue_depth' }, target: { type: 'AverageValue', averageValue: '5' } } },
    ]);
  });

  test('a signal it has no metric for is an error naming the fix', () => {
    expect(errorOf(() => serve(article(), { signals: [ScalingSignal.batchSize(8)] })))
      .toMatch(/signals\[0\]="ScalingSignal\.batchSize": ml-inference exports no batchSize metric\. Fix: name the metric in ModelServer\.custom\(\{ batchSizeMetric: '\.\.\.' \}\)/);
  });

  test.each([
    [{ name: 'Bad_Name', httpPort: 8080 }, /\[ModelServer\.custom\] name="Bad_Name"/],
    [{ name: 'x', httpPort: 0 }, /\[ModelServer\.custom\] httpPort=0/],
    [{ name: 'x', httpPort: 8080, queueSizeMetric: 'queue depth' }, /\[ModelServer\.custom\] queueSizeMetric="queue depth": is not a Prometheus metric name/],
    [{ name: 'x', httpPort: 8080, queueSize: 'q' }, /\[ModelServer\.custom\] queueSize=.*(did you mean "queueSizeMetric"|unknown)/],
  ])('bad props fail at the factory: %j', (props, message) => {
    expect(errorOf(() => ModelServer.custom(props as any))).toMatch(message);
  });
});

describe('the PodMonitor scrapes exactly what the signals read', () => {
  test('it selects the pods by their labels, on the port that serves metrics', () => {
    for (const [server, extra, port] of [
      [ModelServer.vllm(), {}, 'http'],
      [ModelServer.triton(), {}, 'metrics'],
    ] as const) {
      const manifests = serve(server, { ...extra, metricsMonitor: { labels: { release: 'kube-prometheus-stack' } } });
      const monitor = findOne(manifests, 'PodMonitor');
      const deployment = findOne(manifests, 'Deployment');
      expect(monitor.metadata).toEqual({ name: 'llm-metrics', namespace: 'ml', labels: { release: 'kube-prometheus-stack' } });
      expect(monitor.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['ml'] });
      expect(monitor.spec.podMetricsEndpoints).toEqual([{ port, path: '/metrics', interval: '15s' }]);
      expect(container(manifests).ports.map((p: any) => p.name)).toContain(port);
    }
  });

  test('a monitor with nothing to scrape is an error', () => {
    const chart = Testing.chart();
    expect(errorOf(() => new GpuInferenceService(chart, 'Svc', {
      image: 'registry/server:v1', maxReplicas: 2, metrics: [], metricsMonitor: {},
    }))).toMatch(/metricsMonitor=\{\}: has no metrics endpoint to scrape\. Fix: set metricsPort \(and metricsPath\), or modelServer/);
  });
});

describe('QueueBatchWorker runs a model server in consumer mode', () => {
  const worker = (extra: Record<string, unknown>) => {
    const chart = Testing.chart();
    new QueueBatchWorker(chart, 'Worker', {
      name: 'batch-llm',
      namespace: 'ml',
      image: 'vllm/vllm-openai:v0.12.0',
      maxReplicas: 4,
      minReplicas: 1,
      maxProcessingTime: undefined as any,
      triggers: [Trigger.awsSqsQueue({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/jobs', awsRegion: 'us-east-1', queueLength: 10 })],
      ...extra,
    });
    return chart;
  };

  test('the engine\'s batch size next to the queue, and its monitor', () => {
    const manifests = synthValid(worker({
      modelServer: ModelServer.vllm(), signals: [ScalingSignal.batchSize(32)], prometheusAddress: 'http://prometheus:9090', metricsMonitor: {},
    }));
    const so = findOne(manifests, 'ScaledObject');
    expect(so.spec.triggers[1]).toEqual({
      type: 'prometheus',
      name: 'batch_size',
      metadata: {
        serverAddress: 'http://prometheus:9090',
        query: 'sum(vllm:num_requests_running{namespace="ml",pod=~"batch-llm-[a-z0-9]+-[a-z0-9]+"})',
        threshold: '32',
      },
    });
    expect(container(manifests).ports).toEqual([{ containerPort: 8000, name: 'http' }]);
    expect(findOne(manifests, 'PodMonitor').spec.podMetricsEndpoints[0].port).toBe('http');
  });

  test('signals need prometheusAddress; a Job per item runs no server', () => {
    expect(errorOf(() => worker({ modelServer: ModelServer.vllm(), signals: [ScalingSignal.batchSize(32)] })))
      .toMatch(/prometheusAddress=undefined: is needed by signals/);
    expect(errorOf(() => worker({ mode: WorkerMode.JOB, modelServer: ModelServer.vllm() })))
      .toMatch(/modelServer=.*: only applies to long-running consumers/);
  });
});
