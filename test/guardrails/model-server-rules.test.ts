/**
 * The model-server guardrails on hand-written manifests: LLM servers recognized by image or by the
 * construct's annotations, scaled by HPAs and ScaledObjects.
 */
import { GuardrailFinding } from '../../src/guardrails/finding';
import { Guardrails } from '../../src/guardrails/guardrails';
import { seriesNamesInQuery } from '../../src/model-server/server-catalog';

const NS = 'ml';
const VLLM_IMAGE = 'vllm/vllm-openai:v0.12.0';
const WAITING = 'sum(vllm:num_requests_waiting{namespace="ml",pod=~"llm-[a-z0-9]+-[a-z0-9]+"})';

function run(objects: any[], ruleId: string): GuardrailFinding[] {
  return Guardrails.check(objects).filter(f => f.ruleId === ruleId);
}

function workload(image: string, annotations: Record<string, string> = {}, name = 'llm'): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations },
        spec: {
          containers: [{
            name: 'server',
            image,
            resources: { requests: { 'cpu': '4', 'memory': '32Gi', 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } },
          }],
        },
      },
    },
  };
}

const annotated = (server: string, metrics?: object) => workload('registry.example/llm:1.0', {
  'ml-autoscaling.io/model-server': server,
  ...(metrics ? { 'ml-autoscaling.io/server-metrics': JSON.stringify(metrics) } : {}),
});

function hpa(metrics: any[], extra: any = {}, target = 'llm'): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: target, namespace: NS },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 1, maxReplicas: 8, metrics, ...extra },
  };
}

function scaledObject(triggers: any[], extra: any = {}, target = 'llm'): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: target, namespace: NS },
    spec: { scaleTargetRef: { name: target }, minReplicaCount: 1, maxReplicaCount: 8, ...extra, triggers },
  };
}

const pods = (name: string, averageValue: unknown = '5') =>
  ({ type: 'Pods', pods: { metric: { name }, target: { type: 'AverageValue', averageValue } } });
const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };
const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } };
const prom = (query: string, threshold: unknown = '5', activationThreshold?: unknown) => ({
  type: 'prometheus',
  metadata: { serverAddress: 'http://prometheus.monitoring:9090', query, threshold, ...(activationThreshold !== undefined ? { activationThreshold } : {}) },
});
const rabbit = { type: 'rabbitmq', metadata: { queueName: 'prompts', mode: 'QueueLength', value: '5' }, authenticationRef: { name: 'rabbit' } };

describe('ML-W-LLM-SCALED-ON-UTILIZATION', () => {
  const ID = 'ML-W-LLM-SCALED-ON-UTILIZATION';

  test('a vLLM image scaled by an HPA on GPU utilization and cpu: names the server, the metrics, why and the queue fix', () => {
    const f = run([workload(VLLM_IMAGE), hpa([pods('DCGM_FI_DEV_GPU_UTIL', '80'), cpu])], ID);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', kind: 'HorizontalPodAutoscaler', name: 'llm', namespace: NS, location: 'spec.metrics' });
    expect(f[0].problem).toContain('Deployment ml/llm runs vLLM (image vllm/vllm-openai:v0.12.0)');
    expect(f[0].problem).toContain('GPU utilization (DCGM_FI_DEV_GPU_UTIL) and cpu utilization');
    expect(f[0].problem).toContain('near 100% busy');
    expect(f[0].fix).toContain('vllm:num_requests_waiting');
    expect(f[0].fix).toContain('vllm_num_requests_waiting');
    expect(f[0].fix).toContain('3-5 waiting requests per replica');
    expect(f[0].fix).toContain('ScalingSignal.queueSize(5) and modelServer: ModelServer.vllm()');
    expect(f[0].confirm).toBe('kubectl describe hpa llm -n ml');
  });

  test('memory only: preallocated memory is the reason', () => {
    const f = run([workload(VLLM_IMAGE), hpa([memory])], ID);
    expect(f).toHaveLength(1);
    expect(f[0].location).toBe('spec.metrics[0]');
    expect(f[0].problem).toContain('preallocates GPU memory');
  });

  test('an HPA without metrics (80% cpu by default) on TGI', () => {
    const f = run([workload('ghcr.io/huggingface/text-generation-inference:3.3.7'), hpa([], { metrics: undefined })], ID);
    expect(f).toHaveLength(1);
    expect(f[0].problem).toContain('runs TGI');
    expect(f[0].fix).toContain('tgi_queue_size');
  });

  test('an SGLang workload recognized by annotation, scaled by a ScaledObject on the article\'s gpu_utilization query', () => {
    const f = run([annotated('sglang'), scaledObject([prom('avg(gpu_utilization{job="ml-inference"})', '70')])], ID);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: 'ScaledObject', location: 'spec.triggers' });
    expect(f[0].problem).toContain('runs SGLang (annotation ml-autoscaling.io/model-server: sglang)');
    expect(f[0].problem).toContain('GPU utilization (gpu_utilization)');
    expect(f[0].fix).toContain('sglang:num_queue_reqs');
    expect(f[0].fix).toContain('ModelServer.sglang()');
    expect(f[0].confirm).toBe('kubectl describe hpa keda-hpa-llm -n ml');
  });

  test('KEDA cpu/memory triggers and DCGM memory on a vLLM image', () => {
    const triggers = [
      { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } },
      prom('avg(DCGM_FI_DEV_FB_USED{namespace="ml",pod=~"llm-.*"})', '60000'),
    ];
    const f = run([workload(VLLM_IMAGE), scaledObject(triggers)], ID);
    expect(f).toHaveLength(1);
    expect(f[0].problem).toContain('cpu trigger');
    expect(f[0].problem).toContain('GPU memory (DCGM_FI_DEV_FB_USED)');
  });

  test('Triton: its vLLM image with nv_gpu_utilization warns; its plain -py3 image does not', () => {
    const triton = (tag: string) => workload(`nvcr.io/nvidia/tritonserver:${tag}`);
    const query = 'avg(nv_gpu_utilization{namespace="ml"})';
    const f = run([triton('26.07-vllm-python-py3'), scaledObject([prom(query, '0.8')])], ID);
    expect(f).toHaveLength(1);
    expect(f[0].problem).toContain('runs Triton');
    expect(f[0].fix).toContain('nv_inference_pending_request_count');
    expect(run([triton('26.07-py3'), scaledObject([prom(query, '0.8')])], ID)).toEqual([]);
    expect(run([triton('26.07-py3'), hpa([pods('DCGM_FI_DEV_GPU_UTIL', '80')])], ID)).toEqual([]);
  });

  test('annotated triton counts as an LLM server only with an LLM image', () => {
    const tritonLlm = workload('mirror.example/tritonserver:26.07-trtllm-python-py3', { 'ml-autoscaling.io/model-server': 'triton' });
    expect(run([tritonLlm, hpa([cpu])], ID)).toHaveLength(1);
    expect(run([annotated('triton'), hpa([cpu])], ID)).toEqual([]);
  });

  test('no finding when a queue, batch, KV-cache, external-queue or request-rate signal is among the metrics', () => {
    const w = workload(VLLM_IMAGE);
    expect(run([w, hpa([pods('DCGM_FI_DEV_GPU_UTIL', '80'), pods('vllm_num_requests_waiting')])], ID)).toEqual([]);
    expect(run([w, hpa([cpu, pods('vllm:kv_cache_usage_perc', '800m')])], ID)).toEqual([]);
    expect(run([w, scaledObject([prom(WAITING), prom('avg(DCGM_FI_DEV_GPU_UTIL)', '80')])], ID)).toEqual([]);
    expect(run([w, scaledObject([{ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }, rabbit])], ID)).toEqual([]);
    expect(run([w, scaledObject([prom('sum(rate(http_requests_total{service="llm"}[1m]))', '20')])], ID)).toEqual([]);
    expect(run([w, hpa([cpu, { type: 'External', external: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } } }])], ID)).toEqual([]);
  });

  test('no finding for GPU utilization on a non-LLM ResNet service, or a custom server', () => {
    const resnet = workload('registry.example/resnet50:1.0');
    expect(run([resnet, hpa([pods('DCGM_FI_DEV_GPU_UTIL', '80'), cpu])], ID)).toEqual([]);
    expect(run([annotated('my-server'), hpa([cpu])], ID)).toEqual([]);
  });

  test('a KEDA-generated HPA is judged through its ScaledObject only', () => {
    const generated = hpa([cpu]);
    generated.metadata.name = 'keda-hpa-llm';
    generated.metadata.ownerReferences = [{ kind: 'ScaledObject', name: 'llm', apiVersion: 'keda.sh/v1alpha1', uid: 'x' }];
    expect(run([workload(VLLM_IMAGE), generated, scaledObject([prom(WAITING)])], ID)).toEqual([]);
  });
});

describe('ML-W-SERVER-METRIC-NOT-EXPORTED', () => {
  const ID = 'ML-W-SERVER-METRIC-NOT-EXPORTED';

  test('a retired vLLM name in an HPA: version, replacement (API form), source, <unknown>', () => {
    const f = run([workload(VLLM_IMAGE), hpa([pods('vllm_gpu_cache_usage_perc', '800m')])], ID);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', kind: 'HorizontalPodAutoscaler', location: 'spec.metrics[0]' });
    expect(f[0].problem).toContain('reads vllm_gpu_cache_usage_perc, which vLLM 0.12.0 removed (vLLM PR #18354');
    expect(f[0].problem).toContain('vllm:kv_cache_usage_perc replaces it');
    expect(f[0].problem).toContain('the HPA shows <unknown>');
    expect(f[0].fix).toContain('read vllm_kv_cache_usage_perc instead');
    expect(f[0].confirm).toContain('kubectl port-forward deployment/llm 8000 -n ml');
  });

  test('a retired name in a KEDA query, anywhere (even without a recognized server)', () => {
    const f = run([workload('registry.example/llm:1.0'), scaledObject([prom('avg(vllm:gpu_cache_usage_perc{namespace="ml"})', '0.8')])], ID);
    expect(f).toHaveLength(1);
    expect(f[0].location).toBe('spec.triggers[0]');
    expect(f[0].problem).toContain('the prometheus query returns no series');
    expect(f[0].fix).toContain('read vllm:kv_cache_usage_perc instead');
  });

  test('an older vLLM image still exports it: the finding says so', () => {
    const f = run([workload('vllm/vllm-openai:v0.10.1'), hpa([pods('vllm:gpu_cache_usage_perc', '800m')])], ID);
    expect(f[0].problem).toContain('the image runs vLLM 0.10.1, which still exports it, but from 0.12.0 on the metric is absent');
  });

  test('a V0 metric with no replacement', () => {
    const f = run([workload(VLLM_IMAGE), scaledObject([prom('sum(vllm:num_requests_swapped)')])], ID);
    expect(f[0].problem).toContain('vLLM 0.11.0 removed');
    expect(f[0].problem).toContain('nothing replaces it');
    expect(f[0].fix).toContain('vllm:num_requests_waiting');
  });

  test('another server\'s metric on a recognized server (annotation or image)', () => {
    const f = run([workload(VLLM_IMAGE), hpa([pods('tgi_queue_size')])], ID);
    expect(f).toHaveLength(1);
    expect(f[0].problem).toContain('reads tgi_queue_size, a TGI metric, but Deployment ml/llm runs vLLM');
    expect(f[0].fix).toContain('vllm_num_requests_waiting');
    const g = run([annotated('sglang'), scaledObject([prom(WAITING)])], ID);
    expect(g).toHaveLength(1);
    expect(g[0].fix).toContain('sglang:num_queue_reqs');
  });

  test('a retired series declared in the server-metrics annotation', () => {
    const f = run([annotated('vllm', { kvCacheUsage: 'vllm:gpu_cache_usage_perc' })], ID);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: 'Deployment', location: 'spec.template.metadata.annotations["ml-autoscaling.io/server-metrics"]' });
    expect(f[0].fix).toContain('vllm:kv_cache_usage_perc');
  });

  test('no finding on current names, unknown vLLM series, DCGM series, Triton, or a custom server\'s declared series', () => {
    const w = workload(VLLM_IMAGE);
    expect(run([w, hpa([pods('vllm_num_requests_waiting'), pods('vllm:kv_cache_usage_perc', '800m')])], ID)).toEqual([]);
    expect(run([w, scaledObject([prom('histogram_quantile(0.9, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[1m])))', '2')])], ID)).toEqual([]);
    expect(run([w, hpa([pods('DCGM_FI_DEV_GPU_UTIL', '80'), pods('vllm_num_requests_waiting')])], ID)).toEqual([]);
    expect(run([workload('nvcr.io/nvidia/tritonserver:26.07-vllm-python-py3'), scaledObject([prom(WAITING)])], ID)).toEqual([]);
    const custom = annotated('vllm', { queueSize: 'tgi_queue_size' });
    expect(run([custom, hpa([pods('tgi_queue_size')])], ID)).toEqual([]);
  });
});

describe('ML-E-SERVER-QUEUE-TARGET-ZERO', () => {
  const ID = 'ML-E-SERVER-QUEUE-TARGET-ZERO';

  test.each(['0', '0m', '0.0', 0, '-1'])('an HPA queue-size target of %j', target => {
    const f = run([workload(VLLM_IMAGE), hpa([cpu, pods('vllm_num_requests_waiting', target)])], ID);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', kind: 'HorizontalPodAutoscaler', location: 'spec.metrics[1].pods.target.averageValue' });
    expect(f[0].problem).toContain('queue size vllm_num_requests_waiting');
    expect(f[0].problem).toContain('infinite replicas');
    expect(f[0].problem).toContain('averageValue: must be positive');
    expect(f[0].fix).toContain('3-5');
  });

  test('a KEDA threshold of 0 on a queue query, and a Value target on an External metric', () => {
    const f = run([workload(VLLM_IMAGE), scaledObject([prom(WAITING, '0')])], ID);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: 'ScaledObject', location: 'spec.triggers[0].metadata.threshold' });
    expect(f[0].problem).toContain('threshold "0"');
    expect(f[0].problem).toContain('HPA it generates');
    const ext = { type: 'External', external: { metric: { name: 'sglang_num_queue_reqs' }, target: { type: 'Value', value: '0' } } };
    expect(run([annotated('sglang'), hpa([ext])], ID)[0].location).toBe('spec.metrics[0].external.target.value');
  });

  test('the series a custom server declares as queueSize', () => {
    const w = annotated('my-server', { queueSize: 'myserver_pending_requests' });
    expect(run([w, hpa([pods('myserver_pending_requests', '0')])], ID)).toHaveLength(1);
    expect(run([w, scaledObject([prom('sum(myserver_pending_requests{namespace="ml"})', '0.0')])], ID)).toHaveLength(1);
  });

  test('no finding on a positive target, another signal at 0, a non-server metric at 0, or an empty threshold', () => {
    const w = workload(VLLM_IMAGE);
    expect(run([w, hpa([pods('vllm_num_requests_waiting', '500m')])], ID)).toEqual([]);
    expect(run([w, scaledObject([prom('sum(rate(http_requests_total[1m]))', '0')])], ID)).toEqual([]);
    expect(run([w, scaledObject([prom(WAITING, '')])], ID)).toEqual([]);
    expect(run([w, hpa([pods('inference_queue_depth', '0')])], ID)).toEqual([]);
  });
});

describe('ML-E-ACTIVATION-ABOVE-THRESHOLD', () => {
  const ID = 'ML-E-ACTIVATION-ABOVE-THRESHOLD';

  test('at minReplicaCount 0: KEDA parks the service at zero with work waiting', () => {
    const objects = [workload(VLLM_IMAGE), scaledObject([rabbit, prom(WAITING, '5', '10')], { minReplicaCount: 0 })];
    const f = run(objects, ID);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', location: 'spec.triggers[1].metadata.activationThreshold' });
    expect(f[0].problem).toContain('activationThreshold "10" is above threshold "5" on vllm:num_requests_waiting, which vLLM exports only while the pods run');
    expect(f[0].problem).toContain('only decides the 1 -> 0 step');
    expect(f[0].problem).toContain('scales to zero while one replica still has up to 10 waiting');
    expect(f[0].fix).toContain('at most the threshold');
  });

  test('at minReplicaCount 1: ignored now, parks the service once the minimum is 0', () => {
    const f = run([annotated('tgi'), scaledObject([prom('sum(tgi_queue_size{namespace="ml"})', '4', '6')])], ID);
    expect(f).toHaveLength(1);
    expect(f[0].problem).toContain('KEDA ignores it while minReplicaCount is 1');
  });

  test('no finding on a non-server query, or an activation at or below the threshold', () => {
    const w = workload(VLLM_IMAGE);
    expect(run([w, scaledObject([prom('sum(rate(http_requests_total[1m]))', '5', '10')], { minReplicaCount: 0 })], ID)).toEqual([]);
    expect(run([w, scaledObject([prom(WAITING, '5', '5')])], ID)).toEqual([]);
    expect(run([w, scaledObject([prom(WAITING, '5', 'lots')])], ID)).toEqual([]);
  });
});

describe('ML-E-SERVER-SIGNAL-CANNOT-WAKE', () => {
  const ID = 'ML-E-SERVER-SIGNAL-CANNOT-WAKE';

  test('minReplicaCount omitted (KEDA default 0) with only a vLLM queue trigger', () => {
    const f = run([workload(VLLM_IMAGE), scaledObject([prom(WAITING)], { minReplicaCount: undefined })], ID);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', kind: 'ScaledObject', location: 'spec.minReplicaCount' });
    expect(f[0].problem).toContain('minReplicaCount 0 (default) but every trigger reads vllm:num_requests_waiting, which vLLM exports only while the pods run');
    expect(f[0].problem).toContain('nothing wakes the workload');
    expect(f[0].fix).toContain('HTTP add-on');
    expect(f[0].fix).toContain('spec.minReplicaCount: 1');
    expect(f[0].confirm).toBe('kubectl get scaledobject llm -n ml -o jsonpath=\'{.status.conditions}\'');
  });

  test('queue and GPU triggers with cpu, and idleReplicaCount 0, on a declared custom series', () => {
    const triggers = [prom('sum(myserver_pending{namespace="ml"})'), prom('avg(DCGM_FI_DEV_GPU_UTIL)', '80'),
      { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }];
    const w = annotated('my-server', { queueSize: 'myserver_pending' });
    const f = run([w, scaledObject(triggers, { minReplicaCount: 1, idleReplicaCount: 0 })], ID);
    expect(f).toHaveLength(1);
    expect(f[0].location).toBe('spec.idleReplicaCount');
    expect(f[0].problem).toContain('(or cpu)');
    expect(f[0].fix).toContain('delete spec.idleReplicaCount');
  });

  test('an HPA at minReplicas 0 whose only External metric is a server series', () => {
    const ext = { type: 'External', external: { metric: { name: 'vllm_num_requests_waiting' }, target: { type: 'AverageValue', averageValue: '5' } } };
    const f = run([workload(VLLM_IMAGE), hpa([ext], { minReplicas: 0 })], ID);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: 'HorizontalPodAutoscaler', location: 'spec.minReplicas' });
  });

  test('no finding with a trigger that exists at zero, a minimum of 1, or only cpu/memory (ML-E-CPU-MEMORY-SCALE-TO-ZERO\'s)', () => {
    const w = workload(VLLM_IMAGE);
    const http = { type: 'external-push', metadata: { scalerAddress: 'keda-add-ons-http-external-scaler.keda:9090', hosts: 'llm.example' } };
    expect(run([w, scaledObject([prom(WAITING), http], { minReplicaCount: 0 })], ID)).toEqual([]);
    expect(run([w, scaledObject([prom(WAITING), rabbit], { minReplicaCount: 0 })], ID)).toEqual([]);
    expect(run([w, scaledObject([prom(`${WAITING} + sum(gateway_pending_requests)`)], { minReplicaCount: 0 })], ID)).toEqual([]);
    expect(run([w, scaledObject([prom(WAITING)])], ID)).toEqual([]);
    const cpuOnly = [w, scaledObject([{ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }], { minReplicaCount: 0 })];
    expect(run(cpuOnly, ID)).toEqual([]);
    expect(run(cpuOnly, 'ML-E-CPU-MEMORY-SCALE-TO-ZERO')).toHaveLength(1);
  });
});

describe('robustness', () => {
  test('malformed manifests never throw and produce no model-server finding', () => {
    const ids = ['ML-W-LLM-SCALED-ON-UTILIZATION', 'ML-W-SERVER-METRIC-NOT-EXPORTED', 'ML-E-SERVER-QUEUE-TARGET-ZERO',
      'ML-E-ACTIVATION-ABOVE-THRESHOLD', 'ML-E-SERVER-SIGNAL-CANNOT-WAKE'];
    const broken = workload(VLLM_IMAGE, { 'ml-autoscaling.io/server-metrics': '{not json' });
    broken.spec.template.spec.containers.push('x', { image: 42 }, null);
    const objects = [
      broken,
      hpa([null, 'x', { type: 'Pods' }, { type: 'Pods', pods: 'x' }, { type: 'External', external: { metric: { name: 7 }, target: 'x' } }]),
      scaledObject([null, { type: 'prometheus' }, { type: 'prometheus', metadata: 'x' }, { type: 'prometheus', metadata: { query: 42, threshold: {} } }],
        { minReplicaCount: 'zero', idleReplicaCount: {} }, 'llm'),
      { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'x' }, spec: 'nope' },
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'y' }, spec: { metrics: 'nope' } },
    ];
    const findings = Guardrails.check(objects);
    expect(findings.filter(f => f.kind === 'Rule')).toEqual([]);
    expect(findings.filter(f => ids.includes(f.ruleId)).map(f => f.ruleId)).toEqual([]);
  });
});

test('seriesNamesInQuery reads series, not functions, labels, durations or keywords', () => {
  expect(seriesNamesInQuery('sum by (pod) (rate(vllm:num_requests_waiting{namespace="ml",job=~"gpu_util"}[5m] offset 1m)) / on(pod) group_left foo_total > bool 1e3'))
    .toEqual(['vllm:num_requests_waiting', 'foo_total']);
  expect(seriesNamesInQuery(42)).toEqual([]);
});
