/**
 * The model-server examples (examples/model-servers.ts) scale on what the server knows: the HPA's Pods
 * metrics are served by the chart's adapter rules from the server's own series, the PodMonitor scrapes
 * exactly the pods the queries read, and the KEDA query sums over exactly the Deployment's pods.
 */
import { Testing } from 'cdk8s';
import { HybridHpaChart } from '../../examples/hybrid';
import { ArticleInferenceChart } from '../../examples/inference';
import { SglangWorkerPoolChart, TritonResnetChart, VllmInferenceChart } from '../../examples/model-servers';
import { ScaleToZeroInferenceChart } from '../../examples/scale-to-zero';
import { Guardrails, KubernetesTarget } from '../../src';
import { parseYamlText } from '../../src/guardrails/yaml-text';
import { findAll, findOne, synthValid } from '../validate';

function adapterRules(manifests: any[], name: string): any[] {
  return parseYamlText(findOne(manifests, 'ConfigMap', name).data['config.yaml'])[0].rules;
}

/** The Pods metric names of every HPA. */
function podsMetrics(manifests: any[]): string[] {
  return findAll(manifests, 'HorizontalPodAutoscaler').flatMap(h => h.spec.metrics)
    .filter((m: any) => m.type === 'Pods').map((m: any) => m.pods.metric.name);
}

/** The PodMonitor selects the Deployment's pods in its namespace and scrapes a named port of their container. */
function expectMonitorSelectsPods(manifests: any[], deploymentName: string, path = '/metrics') {
  const d = findOne(manifests, 'Deployment', deploymentName);
  const monitor = findOne(manifests, 'PodMonitor', `${deploymentName}-metrics`);
  expect(monitor.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
  expect(monitor.spec.selector).toEqual({ matchLabels: d.spec.template.metadata.labels });
  expect(monitor.spec.selector).toEqual(d.spec.selector);
  expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [d.metadata.namespace] });
  const portNames = d.spec.template.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name));
  expect(monitor.spec.podMetricsEndpoints).toHaveLength(1);
  expect(portNames).toContain(monitor.spec.podMetricsEndpoints[0].port);
  expect(monitor.spec.podMetricsEndpoints[0].path).toBe(path);
  return { deployment: d, monitor };
}

function expectClean(manifests: any[], chart: any) {
  const target = KubernetesTarget.of(chart);
  expect(Guardrails.check(manifests, { kubernetesVersion: target.version, featureGates: target.featureGates }).map(f => f.message)).toEqual([]);
}

describe('example llm-vllm: vLLM scaled by the HPA on its queue size', () => {
  const chart = new VllmInferenceChart(Testing.app(), 'llm-vllm');
  const manifests = synthValid(chart);

  test('every object validates and no guardrail finding is reported', () => {
    expect(manifests.map(m => m.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'PodMonitor', 'Service']);
    expectClean(manifests, chart);
  });

  test('the HPA reads vllm_num_requests_waiting, 5 per replica, and nothing else', () => {
    const hpa = findOne(manifests, 'HorizontalPodAutoscaler', 'llama-vllm-hpa');
    expect(hpa.spec.metrics).toEqual([{
      type: 'Pods',
      pods: { metric: { name: 'vllm_num_requests_waiting' }, target: { type: 'AverageValue', averageValue: '5' } },
    }]);
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 8]);
  });

  test('the adapter rules (their own ConfigMap) serve every Pods metric of the HPA from the server\'s series', () => {
    const rules = adapterRules(manifests, 'prometheus-adapter-llm');
    for (const name of podsMetrics(manifests)) {
      const rule = rules.find((r: any) => r.name.as === name);
      expect(rule).toBeDefined();
      expect(rule.seriesQuery).toBe('vllm:num_requests_waiting{namespace!="",pod!=""}');
      expect(rule.name.matches).toBe('^vllm:num_requests_waiting$');
      expect(rule.resources.overrides).toEqual({ namespace: { resource: 'namespace' }, pod: { resource: 'pod' } });
      expect(rule.metricsQuery).toBe('sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)');
    }
    expect(findOne(manifests, 'ConfigMap').metadata.namespace).toBe('monitoring');
  });

  test('the PodMonitor scrapes /metrics on the serving port of exactly the vLLM pods', () => {
    const { deployment } = expectMonitorSelectsPods(manifests, 'llama-vllm');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.ports).toEqual([{ containerPort: 8000, name: 'http' }]);
    expect(container.image).toBe('vllm/vllm-openai:v0.12.0');
  });

  test('the Hugging Face token comes from a Secret reference, never a literal', () => {
    const env = findOne(manifests, 'Deployment').spec.template.spec.containers[0].env;
    expect(env).toEqual([{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } }]);
  });
});

describe('example llm-sglang: an SGLang worker pool scaled by KEDA on its queue size', () => {
  const chart = new SglangWorkerPoolChart(Testing.app(), 'llm-sglang');
  const manifests = synthValid(chart);
  const scaledObject = findOne(manifests, 'ScaledObject', 'qwen-sglang-scaler');

  test('every object validates and no guardrail finding is reported', () => {
    expect(manifests.map(m => m.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'PodMonitor', 'ScaledObject', 'Service']);
    expectClean(manifests, chart);
  });

  test('one prometheus trigger sums sglang:num_queue_reqs over the Deployment\'s pods in its namespace, 4 per replica', () => {
    expect(scaledObject.spec.triggers).toEqual([{
      type: 'prometheus',
      name: 'queue_size',
      metadata: {
        serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
        query: 'sum(sglang:num_queue_reqs{namespace="llm",pod=~"qwen-sglang-[a-z0-9]+-[a-z0-9]+"})',
        threshold: '4',
      },
    }]);
    // the pod-name pattern matches the Deployment's pods (<name>-<pod-template-hash>-<suffix>) and no other
    const pattern = new RegExp(`^${/pod=~"([^"]+)"/.exec(scaledObject.spec.triggers[0].metadata.query)![1]}$`);
    expect(pattern.test('qwen-sglang-7d9f8b6c4-x2x9k')).toBe(true);
    expect(pattern.test('qwen-sglang-canary-7d9f8b6c4-x2x9k')).toBe(false);
  });

  test('never scales to zero: the server\'s series vanish with its pods', () => {
    expect(scaledObject.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(scaledObject.metadata.annotations?.['scaledobject.keda.sh/transfer-hpa-ownership']).toBeUndefined();
  });

  test('SGLang runs with --enable-metrics and --host 0.0.0.0, and the PodMonitor scrapes exactly its pods in the queried namespace', () => {
    const { deployment, monitor } = expectMonitorSelectsPods(manifests, 'qwen-sglang');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.args).toEqual(expect.arrayContaining(['--enable-metrics', '--host', '0.0.0.0']));
    expect(container.ports).toEqual([{ containerPort: 30000, name: 'http' }]);
    expect(container.readinessProbe.httpGet.path).toBe('/health_generate');
    expect(scaledObject.spec.triggers[0].metadata.query).toContain(`namespace="${monitor.spec.namespaceSelector.matchNames[0]}"`);
    expect(scaledObject.spec.scaleTargetRef.name).toBe(deployment.metadata.name);
  });
});

describe('example ml-resnet-triton: the article\'s ResNet on Triton, scaled on DCGM GPU utilization', () => {
  const chart = new TritonResnetChart(Testing.app(), 'ml-resnet-triton');
  const manifests = synthValid(chart);

  test('every object validates and no guardrail finding is reported', () => {
    expect(manifests.map(m => m.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'PodMonitor', 'Service']);
    expectClean(manifests, chart);
  });

  test('the HPA reads DCGM_FI_DEV_GPU_UTIL, 70% per replica', () => {
    expect(findOne(manifests, 'HorizontalPodAutoscaler', 'resnet-triton-hpa').spec.metrics).toEqual([{
      type: 'Pods',
      pods: { metric: { name: 'DCGM_FI_DEV_GPU_UTIL' }, target: { type: 'AverageValue', averageValue: '70' } },
    }]);
  });

  test('the adapter rules average the DCGM series per pod, attributed by exported_pod/exported_namespace (the exporter chart\'s defaults)', () => {
    const rules = adapterRules(manifests, 'prometheus-adapter-resnet');
    for (const name of podsMetrics(manifests)) {
      const rule = rules.find((r: any) => r.name.as === name);
      expect(rule).toBeDefined();
      expect(rule.seriesQuery).toBe('DCGM_FI_DEV_GPU_UTIL{exported_namespace!="",exported_pod!=""}');
      expect(rule.resources.overrides).toEqual({ exported_namespace: { resource: 'namespace' }, exported_pod: { resource: 'pod' } });
      expect(rule.metricsQuery).toBe('avg(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)');
    }
  });

  test('the PodMonitor scrapes Triton\'s own metrics port 8002 (the GPU series come from the DCGM exporter\'s monitor)', () => {
    const { deployment, monitor } = expectMonitorSelectsPods(manifests, 'resnet-triton');
    expect(deployment.spec.template.spec.containers[0].ports).toEqual([
      { containerPort: 8000, name: 'http' }, { containerPort: 8002, name: 'metrics' },
    ]);
    expect(monitor.spec.podMetricsEndpoints[0].port).toBe('metrics');
  });
});

test('no object of the model-server examples clashes with another example\'s (the adapter ConfigMaps have names of their own)', () => {
  const app = Testing.app();
  const ours = [new VllmInferenceChart(app, 'llm-vllm'), new SglangWorkerPoolChart(app, 'llm-sglang'), new TritonResnetChart(app, 'ml-resnet-triton')];
  const others = [new ArticleInferenceChart(app, 'ml-inference'), new HybridHpaChart(app, 'hybrid-ml-hpa-mode'),
    new ScaleToZeroInferenceChart(app, 'ml-inference-scale-to-zero')];
  const key = (m: any) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
  const ourKeys = ours.flatMap(c => Testing.synth(c)).map(key);
  expect(new Set(ourKeys).size).toBe(ourKeys.length);
  const otherKeys = new Set(others.flatMap(c => Testing.synth(c)).map(key));
  expect(ourKeys.filter(k => otherKeys.has(k))).toEqual([]);
});
