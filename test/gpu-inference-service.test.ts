import { Chart, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { findAll, findOne, synthValid } from './validate';
import { ArticleInferenceChart } from '../examples/inference';
import {
  GpuInferenceService, GpuInferenceServiceProps, Metric, MetricTarget, ScalingPolicy, SelectPolicy, Warnings,
} from '../src';
import { errorOf } from './error-of';

const BASE: GpuInferenceServiceProps = {
  image: 'registry/model:v1',
  cpuRequest: Cpu.millis(1000),
  memoryRequest: Size.gibibytes(2),
  gpu: { count: 1 },
  maxReplicas: 4,
  metrics: [Metric.cpuUtilization(70)],
};

function build(props: Partial<GpuInferenceServiceProps> = {}, name = 'svc') {
  const chart = Testing.chart();
  const svc = new GpuInferenceService(chart, 'Svc', { ...BASE, name, ...props } as GpuInferenceServiceProps);
  return { chart, svc };
}

function synth(props: Partial<GpuInferenceServiceProps> = {}) {
  return synthValid(build(props).chart);
}

function container(manifests: any[]) {
  return findOne(manifests, 'Deployment').spec.template.spec.containers[0];
}

describe('article inference scenario', () => {
  const manifests = synthValid(new ArticleInferenceChart(Testing.app(), 'article'));

  test('emits a Deployment, Service, HPA and PDB in ml-workloads, plus the adapter rules, alerts and dashboard in monitoring', () => {
    expect(manifests.map(m => m.kind).sort()).toEqual(['ConfigMap', 'ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget',
      'PrometheusRule', 'Service']);
    for (const m of manifests.filter(x => !['ConfigMap', 'PrometheusRule'].includes(x.kind))) expect(m.metadata.namespace).toBe('ml-workloads');
    expect(findOne(manifests, 'PrometheusRule', 'ml-inference-autoscaling').metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    expect(findOne(manifests, 'ConfigMap', 'ml-inference-dashboard').metadata).toMatchObject({ namespace: 'monitoring', labels: { grafana_dashboard: '1' } });
    const adapter = findOne(manifests, 'ConfigMap', 'prometheus-adapter');
    expect(adapter.metadata.namespace).toBe('monitoring');
    expect(adapter.data['config.yaml']).toContain('inference_queue_depth');
  });

  test('Deployment matches the article field by field (minus replicas, which the HPA owns)', () => {
    const d = findOne(manifests, 'Deployment', 'ml-inference-service');
    expect(d.spec.replicas).toBeUndefined();
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'ml-inference' } });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'ml-inference' });
    const c = d.spec.template.spec.containers[0];
    expect(c.name).toBe('inference');
    expect(c.image).toBe('your-registry/ml-inference:v1.0');
    expect(c.ports).toContainEqual({ containerPort: 8080, name: 'http' });
    expect(c.resources).toEqual({
      requests: { 'memory': '4Gi', 'cpu': '2000m', 'nvidia.com/gpu': '1' },
      limits: { 'memory': '8Gi', 'cpu': '4000m', 'nvidia.com/gpu': '1' },
    });
    expect(c.env).toEqual([{ name: 'MODEL_PATH', value: '/models/resnet50' }]);
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/health', port: 8080 }, periodSeconds: 30 });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10 });
  });

  test('HPA matches the article field by field', () => {
    const h = findOne(manifests, 'HorizontalPodAutoscaler', 'ml-inference-hpa');
    expect(h.apiVersion).toBe('autoscaling/v2');
    expect(h.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ml-inference-service' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
        { type: 'Pods', pods: { metric: { name: 'inference_queue_depth' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
      behavior: {
        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
        scaleUp: {
          stabilizationWindowSeconds: 60,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: 30 }, { type: 'Pods', value: 2, periodSeconds: 30 }],
        },
      },
    });
  });

  test('PDB is named as in the article and selects the pods, but lets drains proceed', () => {
    const p = findOne(manifests, 'PodDisruptionBudget', 'ml-inference-pdb');
    expect(p.spec).toEqual({ selector: { matchLabels: { app: 'ml-inference' } }, maxUnavailable: 1 });
  });

  test('warm-pool placement: required instance types and weighted preference', () => {
    const a = findOne(manifests, 'Deployment').spec.template.spec.affinity.nodeAffinity;
    expect(a.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g4dn.xlarge', 'p3.2xlarge'] }] },
    ]);
    expect(a.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, preference: { matchExpressions: [{ key: 'workload-type', operator: 'In', values: ['ml-inference'] }] } },
    ]);
  });
});

describe('workload', () => {
  test('defaults the http port to 8080 and exposes it through a ClusterIP Service', () => {
    const m = synth();
    expect(container(m).ports).toEqual([{ containerPort: 8080, name: 'http' }]);
    const s = findOne(m, 'Service');
    expect(s.spec).toEqual({ type: 'ClusterIP', selector: { app: 'svc' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
  });

  test('a metrics port is exposed by the Service and announced to Prometheus on the pods', () => {
    const m = synth({ metricsPort: 8000 });
    expect(findOne(m, 'Service').spec.ports).toContainEqual({ name: 'metrics', port: 8000, targetPort: 'metrics' });
    expect(findOne(m, 'Deployment').spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true', 'prometheus.io/port': '8000', 'prometheus.io/path': '/metrics',
    });
  });

  test('no Prometheus annotations without a metrics port', () => {
    const ann = findOne(synth(), 'Deployment').spec.template.metadata.annotations;
    expect(Object.keys(ann)).not.toContain('prometheus.io/scrape');
  });

  test('command, args, env, secret env and a custom model path variable', () => {
    const c = container(synth({
      command: ['python', 'serve.py'],
      args: ['--port', '8080'],
      env: { LOG_LEVEL: 'info' },
      secretEnv: [{ name: 'HF_TOKEN', secretName: 'hf', key: 'token' }],
      modelPath: 's3://models/llm',
      modelPathEnvName: 'MODEL_URI',
    }));
    expect(c.command).toEqual(['python', 'serve.py']);
    expect(c.args).toEqual(['--port', '8080']);
    expect(c.env).toEqual([
      { name: 'MODEL_URI', value: 's3://models/llm' },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } },
    ]);
  });

  test('the Deployment never sets replicas: the HPA owns them', () => {
    expect(findOne(synth(), 'Deployment').spec.replicas).toBeUndefined();
  });

  test('namespace and generated names are stable without explicit names', () => {
    const chart = Testing.chart();
    new GpuInferenceService(chart, 'Svc', { ...BASE, namespace: 'ml' });
    const m1 = synthValid(chart);
    const chart2 = Testing.chart();
    new GpuInferenceService(chart2, 'Svc', { ...BASE, namespace: 'ml' });
    const m2 = synthValid(chart2);
    expect(m1.map(x => x.metadata.name)).toEqual(m2.map(x => x.metadata.name));
    for (const m of m1) expect(m.metadata.namespace).toBe('ml');
    const d = findOne(m1, 'Deployment');
    expect(findOne(m1, 'HorizontalPodAutoscaler').spec.scaleTargetRef.name).toBe(d.metadata.name);
  });

  test('escape hatches reach the underlying objects', () => {
    const { chart, svc } = build();
    svc.deployment.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 30));
    svc.hpa.metadata.addLabel('team', 'ml');
    expect(findOne(synthValid(chart), 'Deployment').spec.minReadySeconds).toBe(30);
    expect(findOne(synthValid(chart), 'HorizontalPodAutoscaler').metadata.labels).toEqual({ team: 'ml' });
    expect(svc.podDisruptionBudget).toBeDefined();
    expect(svc.service.kind).toBe('Service');
  });

  test('the security context always disables privilege escalation', () => {
    expect(container(synth({ security: { runAsNonRoot: true, runAsUser: 1000 } })).securityContext)
      .toEqual({ allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000 });
  });
});

describe('GPU', () => {
  test('requests equal limits for the default nvidia.com/gpu and tolerates the GPU taint', () => {
    const m = synth({ gpu: { count: 2 } });
    const c = container(m);
    expect(c.resources.requests['nvidia.com/gpu']).toBe('2');
    expect(c.resources.limits['nvidia.com/gpu']).toBe('2');
    expect(findOne(m, 'Deployment').spec.template.spec.tolerations)
      .toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('AMD GPUs use amd.com/gpu and its taint', () => {
    const m = synth({ gpu: { count: 1, resourceName: 'amd.com/gpu' } });
    expect(container(m).resources.limits['amd.com/gpu']).toBe('1');
    expect(findOne(m, 'Deployment').spec.template.spec.tolerations[0].key).toBe('amd.com/gpu');
  });

  test('a MIG profile is requested as its own resource, tolerating the nvidia.com/gpu taint', () => {
    const m = synth({ gpu: { count: 1, resourceName: 'nvidia.com/mig-1g.10gb' } });
    expect(container(m).resources.requests['nvidia.com/mig-1g.10gb']).toBe('1');
    expect(container(m).resources.requests['nvidia.com/gpu']).toBeUndefined();
    expect(findOne(m, 'Deployment').spec.template.spec.tolerations[0].key).toBe('nvidia.com/gpu');
  });

  test('the GPU toleration can be turned off; extra tolerations and a node selector are added', () => {
    const m = synth({
      gpu: { count: 1, tolerateTaint: false },
      placement: { nodeSelector: { 'gpu-pool': 'a100' }, tolerations: [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }] },
    });
    const spec = findOne(m, 'Deployment').spec.template.spec;
    expect(spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }]);
    expect(spec.nodeSelector).toEqual({ 'gpu-pool': 'a100' });
  });

  test.each([0, -1, 1.5, NaN])('rejects gpu.count %p', count => {
    expect(() => build({ gpu: { count } })).toThrow(/\[.*Svc\] gpu\.count=.*whole number of GPUs/);
  });

  test('rejects a GPU resource name that is not domain/name', () => {
    expect(() => build({ gpu: { count: 1, resourceName: 'gpu' } })).toThrow(/gpu\.resourceName="gpu".*nvidia\.com\/gpu/);
  });
});

describe('cold start', () => {
  test('keeps pods alive through a 2 minute model load with a startup probe', () => {
    const c = container(synth({ modelLoadTime: Duration.minutes(2) }));
    const budget = c.startupProbe.periodSeconds * c.startupProbe.failureThreshold;
    expect(budget).toBeGreaterThanOrEqual(120);
    expect(c.startupProbe.httpGet).toEqual({ path: '/health', port: 8080 });
    // readiness and liveness start only after startup succeeded: no initial delays needed
    expect(c.readinessProbe.initialDelaySeconds).toBeUndefined();
    expect(c.livenessProbe.initialDelaySeconds).toBeUndefined();
  });

  test('the startup budget grows with the model load time', () => {
    const c = container(synth({ modelLoadTime: Duration.minutes(10) }));
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(600);
  });

  test('paths, port and periods are overridable', () => {
    const c = container(synth({
      metricsPort: 9000,
      probes: { readinessPath: '/v2/health/ready', livenessPath: '/v2/health/live', port: 9000, readinessPeriod: Duration.seconds(5), failureThreshold: 5 },
    }));
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/v2/health/ready', port: 9000 }, periodSeconds: 5, failureThreshold: 5 });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/v2/health/live', port: 9000 });
  });

  test("the article's initialDelaySeconds style stays expressible", () => {
    const c = container(synth({
      probes: { startupProbe: false, readinessInitialDelay: Duration.seconds(90), livenessInitialDelay: Duration.seconds(120) },
    }));
    expect(c.startupProbe).toBeUndefined();
    expect(c.readinessProbe.initialDelaySeconds).toBe(90);
    expect(c.livenessProbe.initialDelaySeconds).toBe(120);
  });

  test('without a startup probe, liveness waits for the load by default', () => {
    const c = container(synth({ modelLoadTime: Duration.seconds(90), probes: { startupProbe: false } }));
    expect(c.livenessProbe.initialDelaySeconds).toBeGreaterThanOrEqual(90);
  });

  test('warns when a liveness probe can kill a loading pod', () => {
    const { chart, svc } = build({ modelLoadTime: Duration.minutes(5), probes: { startupProbe: false, livenessInitialDelay: Duration.seconds(10) } });
    Testing.synth(chart);
    expect(Warnings.of(svc).map(w => w.id)).toContain('ML-W-LIVENESS-KILLS-LOADING-POD');
  });

  test('rejects a model load time that is not whole seconds (negative ones cdk8s Duration already refuses)', () => {
    expect(() => build({ modelLoadTime: Duration.millis(90500) })).toThrow(/\[test\/Svc\] modelLoadTime=90500ms: must be a whole number of seconds.*Fix: use Duration\.seconds/);
  });

  test('declares the model load time on the pod template for the guardrails and simulator', () => {
    const d = findOne(synth({ modelLoadTime: Duration.seconds(45) }), 'Deployment');
    expect(d.spec.template.metadata.annotations['ml-autoscaling.io/model-load-seconds']).toBe('45');
  });
});

describe('HPA', () => {
  test('ML defaults: scale-down stabilization of 5 minutes, scale-up like the article', () => {
    const h = findOne(synth(), 'HorizontalPodAutoscaler');
    expect(h.spec.behavior).toEqual({
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
      scaleUp: {
        stabilizationWindowSeconds: 60,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 30 }, { type: 'Pods', value: 2, periodSeconds: 30 }],
      },
    });
    expect(h.spec.minReplicas).toBe(2);
  });

  test('scale-down stabilization is never shorter than the model load time', () => {
    const h = findOne(synth({ modelLoadTime: Duration.minutes(8) }), 'HorizontalPodAutoscaler');
    expect(h.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(480);
  });

  test('minReplicas defaults to maxReplicas when that is below 2', () => {
    expect(findOne(synth({ maxReplicas: 1 }), 'HorizontalPodAutoscaler').spec.minReplicas).toBe(1);
  });

  test('partial behavior keeps the defaults for what is left out', () => {
    const h = findOne(synth({ behavior: { scaleDown: { stabilizationWindow: Duration.minutes(10) } } }), 'HorizontalPodAutoscaler');
    expect(h.spec.behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 600, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] });
    expect(h.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(60);
  });

  test('selectPolicy Min and Disabled', () => {
    const h = findOne(synth({
      behavior: {
        scaleUp: {
          selectPolicy: SelectPolicy.MIN,
          policies: [ScalingPolicy.pods(1, Duration.minutes(1)), ScalingPolicy.percent(10, Duration.minutes(1))],
        },
        scaleDown: { selectPolicy: SelectPolicy.DISABLED, policies: [] },
      },
    }), 'HorizontalPodAutoscaler');
    expect(h.spec.behavior.scaleUp.selectPolicy).toBe('Min');
    expect(h.spec.behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Disabled' });
  });

  test('Object and External metrics with selectors and Value/AverageValue targets', () => {
    const m = synth({
      metrics: [
        Metric.external({ name: 'requests_per_second', selector: { matchLabels: { service: 'hybrid-ml' } }, target: MetricTarget.averageValue(100) }),
        Metric.external({ name: 'queue_messages', target: MetricTarget.value(30) }),
        Metric.object({
          name: 'requests_per_second',
          target: MetricTarget.value(2000),
          describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' },
        }),
        Metric.containerResource('cpu', 'inference', MetricTarget.averageUtilization(60)),
        Metric.resource('memory', MetricTarget.averageValue(1.5)),
      ],
    });
    expect(findOne(m, 'HorizontalPodAutoscaler').spec.metrics).toEqual([
      { type: 'External', external: { metric: { name: 'requests_per_second', selector: { matchLabels: { service: 'hybrid-ml' } } }, target: { type: 'AverageValue', averageValue: '100' } } },
      { type: 'External', external: { metric: { name: 'queue_messages' }, target: { type: 'Value', value: '30' } } },
      { type: 'Object', object: { metric: { name: 'requests_per_second' }, target: { type: 'Value', value: '2000' }, describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' } } },
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'inference', target: { type: 'Utilization', averageUtilization: 60 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1500m' } } },
    ]);
  });

  test('addMetric adds a metric after construction', () => {
    const { chart, svc } = build({ metrics: [] });
    svc.addMetric(Metric.pods({ name: 'inference_queue_depth', target: MetricTarget.averageValue(10) }));
    expect(findOne(synthValid(chart), 'HorizontalPodAutoscaler').spec.metrics).toHaveLength(1);
  });
});

describe('disruption budget', () => {
  test('defaults to maxUnavailable 1 so drains proceed at minimum scale', () => {
    expect(findOne(synth(), 'PodDisruptionBudget').spec).toEqual({ selector: { matchLabels: { app: 'svc' } }, maxUnavailable: 1 });
  });

  test('minAvailable >= minReplicas is allowed with a warning that drains will block', () => {
    const { chart, svc } = build({ minReplicas: 2, disruptionBudget: { minAvailable: 2 } });
    expect(findOne(synthValid(chart), 'PodDisruptionBudget').spec.minAvailable).toBe(2);
    const w = Warnings.of(svc).find(x => x.id === 'ML-W-PDB-BLOCKS-DRAIN');
    expect(w?.message).toMatch(/PodDisruptionBudget svc-pdb .*node drains block. Fix: use maxUnavailable: 1/);
  });

  test('a warning can be acknowledged', () => {
    const { chart, svc } = build({ minReplicas: 2, disruptionBudget: { minAvailable: 2 }, placement: { nodeSelector: { pool: 'gpu' } } });
    Warnings.acknowledge(svc, 'ML-W-PDB-BLOCKS-DRAIN', 'single-node dev cluster');
    Testing.synth(chart);
    expect(Warnings.of(svc)).toEqual([]);
  });

  test('minAvailable below minReplicas gives no warning', () => {
    const { chart, svc } = build({ minReplicas: 3, maxReplicas: 5, disruptionBudget: { minAvailable: 2 } });
    Testing.synth(chart);
    expect(Warnings.of(svc).map(w => w.id)).not.toContain('ML-W-PDB-BLOCKS-DRAIN');
  });

  test('can be disabled', () => {
    expect(findAll(synth({ disruptionBudget: { enabled: false } }), 'PodDisruptionBudget')).toEqual([]);
  });
});

describe('bad input fails at synth with construct, prop, value and fix', () => {
  // Utilization targets and ScalingPolicy values/periods are rejected by their factories (Metric.*,
  // ScalingPolicy.*), before any construct: see test/autoscaling/metric.test.ts.
  const cases: [string, Partial<GpuInferenceServiceProps>, RegExp][] = [
    ['min > max', { minReplicas: 5, maxReplicas: 3 }, /\[test\/Svc\] minReplicas=5: is greater than maxReplicas \(3\)\. Fix: lower minReplicas/],
    ['min < 0', { minReplicas: -1 }, /\[test\/Svc\] minReplicas=-1: must be an integer in 0\.\.2147483647, got a number\. Fix: set minReplicas to 0/],
    ['min 0 on the default target (1.35)', { minReplicas: 0, scaleToZero: true }, /\[test\/Svc\] minReplicas=0: needs the HPAScaleToZero feature gate, which is off in Kubernetes 1\.35/],
    ['max < 1', { maxReplicas: 0 }, /maxReplicas=0: must be an integer in 1\.\.2147483647, got a number\. Fix: set maxReplicas to at least 1/],
    ['window > 3600 s', { behavior: { scaleDown: { stabilizationWindow: Duration.hours(2) } } }, /behavior\.scaleDown\.stabilizationWindow=7200s: .*between 0 s and 3600 s/],
    ['utilization without a request', { cpuRequest: undefined }, /metrics\[0\]="cpu 70%": a cpu utilization target needs a cpu request.*Fix: set cpuRequest/],
    ['memory utilization without a request', { memoryRequest: undefined, metrics: [Metric.memoryUtilization(80)] }, /memory utilization target needs a memory request.*memoryRequest/],
    ['name not DNS-1123', {}, /name="ML_Inference": is not a valid DNS-1123 subdomain.*Fix: use a name like "ml-inference"/],
    ['fractional duration', { probes: { readinessPeriod: Duration.millis(1500) } }, /probes\.readinessPeriod=1500ms: must be a whole number of seconds/],
    ['zero period', { probes: { readinessPeriod: Duration.seconds(0) } }, /probes\.readinessPeriod=0s: must be between 1 s and 2147483647 s\. Fix: use Duration\.seconds/],
    ['Pods metric with a Value target', { metrics: [Metric.pods({ name: 'q', target: MetricTarget.value(1) })] }, /metrics\[0\]\.target="Value": is not allowed for Pods metrics.*AverageValue/],
    ['GPU resource metric', { metrics: [Metric.resource('nvidia.com/gpu', MetricTarget.averageUtilization(50))] }, /resourceName="nvidia.com\/gpu".*only for cpu and memory/],
    ['container metric on an unknown container', { metrics: [Metric.containerResource('cpu', 'sidecar', MetricTarget.averageUtilization(50))] }, /containerName="sidecar".*"inference"/],
    ['limit below request', { cpuLimit: Cpu.millis(500) }, /cpuLimit="500m": is below cpuRequest/],
    ['both minAvailable and maxUnavailable', { disruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }, /disruptionBudget\.minAvailable=1: cannot be set together with maxUnavailable/],
    ['empty image', { image: '' }, /image="": must not be empty\. Fix: set image/],
    ['http port out of range', { httpPort: 70000 }, /httpPort=70000: must be an integer in 1\.\.65535/],
  ];
  test.each(cases)('%s', (label, props, message) => {
    const name = label === 'name not DNS-1123' ? 'ML_Inference' : 'svc';
    expect(() => {
      const chart = Testing.chart();
      new GpuInferenceService(chart, 'Svc', { ...BASE, name, ...props } as GpuInferenceServiceProps);
      Testing.synth(chart);
    }).toThrow(message);
  });

  test('no metrics at all fails at synth', () => {
    const chart = Testing.chart();
    new GpuInferenceService(chart, 'Svc', { ...BASE, metrics: [] });
    expect(() => Testing.synth(chart)).toThrow(/metrics=\[\]: no metrics to scale on\. Fix: pass metrics/);
  });

  test('a metric added later is still checked at synth', () => {
    const chart = Testing.chart();
    const svc = new GpuInferenceService(chart, 'Svc', { ...BASE, memoryRequest: undefined });
    svc.addMetric(Metric.memoryUtilization(80));
    expect(() => Testing.synth(chart)).toThrow(/metrics\[1\].*memory request/);
  });
});

test('two services in one chart get distinct generated names', () => {
  const chart = new Chart(Testing.app(), 'c');
  new GpuInferenceService(chart, 'A', BASE);
  new GpuInferenceService(chart, 'B', BASE);
  const names = findAll(synthValid(chart), 'Deployment').map(d => d.metadata.name);
  expect(new Set(names).size).toBe(2);
});

test('warnings are printed once at synth with their stable ID, unless acknowledged', () => {
  const writes: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => { writes.push(String(s)); return true; });
  const quiet = process.env.CDK8S_ML_AUTOSCALING_QUIET;
  delete process.env.CDK8S_ML_AUTOSCALING_QUIET;
  try {
    const { chart } = build({ minReplicas: 2, disruptionBudget: { minAvailable: 2 } });
    Testing.synth(chart);
    expect(writes.filter(w => w.includes('[WARNING] ML-W-PDB-BLOCKS-DRAIN at test/Svc')).length).toBe(1);
    writes.length = 0;
    const second = build({ minReplicas: 2, disruptionBudget: { minAvailable: 2 } });
    Warnings.acknowledge(second.chart, 'ML-W-PDB-BLOCKS-DRAIN', 'dev cluster');
    Testing.synth(second.chart);
    expect(writes.filter(w => w.includes('ML-W-PDB-BLOCKS-DRAIN'))).toEqual([]);
  } finally {
    process.env.CDK8S_ML_AUTOSCALING_QUIET = quiet;
    spy.mockRestore();
  }
});

test('app.synthYaml() prints each warning once although cdk8s validates the app twice', () => {
  const writes: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => { writes.push(String(s)); return true; });
  const quiet = process.env.CDK8S_ML_AUTOSCALING_QUIET;
  delete process.env.CDK8S_ML_AUTOSCALING_QUIET;
  try {
    const app = Testing.app();
    new GpuInferenceService(new Chart(app, 'c'), 'Svc', BASE);
    app.synthYaml();
    expect(writes.filter(w => w.includes('ML-W-GPU-WITHOUT-PLACEMENT'))).toHaveLength(1);
  } finally {
    process.env.CDK8S_ML_AUTOSCALING_QUIET = quiet;
    spy.mockRestore();
  }
});


describe('runtime props checks (JavaScript and jsii callers)', () => {
  const fails = (props: any, name: string | undefined = 'svc') => errorOf(() => build(props, name as any));

  test.each<[string, any, string]>([
    ['modelLoadTime as a number', { modelLoadTime: 120 },
      '[test/Svc] modelLoadTime=120: must be a Duration, got a number. Fix: use Duration.seconds(n) with a whole n in 0..3600'],
    ['memoryRequest as a string', { memoryRequest: '4Gi' },
      '[test/Svc] memoryRequest="4Gi": must be a Size, got a string. Fix: use Size.mebibytes(n) or Size.gibibytes(n) with n > 0.'],
    ['cpuRequest as a number', { cpuRequest: 2 },
      '[test/Svc] cpuRequest=2: must be a Cpu, got a number. Fix: use Cpu.millis(n) or Cpu.units(n) with more than 0 millicores.'],
    ['a null metric', { metrics: [null] }, '[test/Svc] metrics[0]=null: must be a Metric, got null. Fix: use Metric.cpuUtilization(n)'],
    ['a misspelt prop', { maxReplica: 4 }, '[test/Svc] maxReplica=4: is not a property of GpuInferenceServiceProps. Fix: did you mean "maxReplicas"?'],
    ['args as a string', { args: '--port 8080' }, '[test/Svc] args="--port 8080": must be an array (each entry a string), got a string.'],
    ['a number env value', { env: { A: 5 } }, '[test/Svc] env["A"]=5: must be a string, got a number.'],
    ['secretEnv as a string', { secretEnv: 'TOKEN' }, '[test/Svc] secretEnv="TOKEN": must be an array (each entry a SecretEnv object), got a string.'],
    ['modelLoadTime over an hour', { modelLoadTime: Duration.seconds(3601) },
      '[test/Svc] modelLoadTime=3601s: must be between 0 s and 3600 s. Fix: use Duration.seconds(n) with a whole n in 0..3600 (the default scale-down stabilization window is max(300 s, modelLoadTime)'],
    ['a sub-millisecond Duration', { modelLoadTime: Duration.millis(0.5) },
      '[test/Svc] modelLoadTime="0.5 millis": must be a whole number of seconds'],
    ['a sub-millisecond probe period', { probes: { readinessPeriod: Duration.millis(0.5) } }, '[test/Svc] probes.readinessPeriod="0.5 millis": must be a whole number of seconds'],
    ['an empty env var name', { env: { '': 'x' } }, '[test/Svc] env key="": must not be empty.'],
    ['an env var name with "="', { env: { 'A=B': 'x' } }, '[test/Svc] env key="A=B": is not a valid environment variable name'],
    ['a bad secretEnv name', { secretEnv: [{ name: 'TOKEN', secretName: 'My_Secret', key: 'token' }] },
      '[test/Svc] secretEnv[0].secretName="My_Secret": is not a valid DNS-1123 subdomain'],
    ['a bad secretEnv key', { secretEnv: [{ name: 'TOKEN', secretName: 'api', key: 'a/b' }] }, '[test/Svc] secretEnv[0].key="a/b": is not a valid Secret/ConfigMap key'],
    ['a bad service account', { serviceAccountName: 'Model_SA' }, '[test/Svc] serviceAccountName="Model_SA": is not a valid DNS-1123 subdomain'],
    ['an image with whitespace', { image: 'registry/model: v1' }, '[test/Svc] image="registry/model: v1": is not an image reference (it contains whitespace)'],
    ['a negative user', { security: { runAsUser: -1 } }, '[test/Svc] security.runAsUser=-1: must be an integer in 0..2147483647'],
    ['runAsNonRoot as root', { security: { runAsNonRoot: true, runAsUser: 0 } },
      '[test/Svc] security.runAsUser=0: is root, but runAsNonRoot is true: the kubelet refuses to start the container. Fix: set runAsUser to a non-zero user ID'],
    ['int32 overflow', { maxReplicas: 2 ** 31 }, '[test/Svc] maxReplicas=2147483648: must be an integer in 1..2147483647'],
    ['a fractional probe threshold', { probes: { failureThreshold: 1.5 } }, '[test/Svc] probes.failureThreshold=1.5: must be an integer in 1..2147483647'],
    ['a port out of range', { metricsPort: 0 }, '[test/Svc] metricsPort=0: must be an integer in 1..65535'],
    ['selectPolicy from JavaScript', { behavior: { scaleUp: { selectPolicy: 'max' } } }, '[test/Svc] behavior.scaleUp.selectPolicy="max": must be one of SelectPolicy.MAX ("Max")'],
    ['a toleration effect', { placement: { tolerations: [{ key: 'dedicated', effect: 'NoSchedul' }] } },
      '[test/Svc] placement.tolerations[0].effect="NoSchedul": is not one of "NoSchedule", "PreferNoSchedule", "NoExecute"'],
    ['a toleration value', { placement: { tolerations: [{ key: 'dedicated', value: 'a b' }] } }, '[test/Svc] placement.tolerations[0].value="a b": is not a valid label value'],
    ['a node selector key', { placement: { nodeSelector: { 'gpu pool': 'a10' } } }, '[test/Svc] placement.nodeSelector key="gpu pool": has a name part that is not alphanumeric'],
    ['an affinity value', { placement: { preferredNodeAffinities: [{ weight: 10, key: 'pool', values: ['a/b'] }] } },
      '[test/Svc] placement.preferredNodeAffinities[0].values[0]="a/b": is not a valid label value'],
    ['an affinity weight', { placement: { preferredNodeAffinities: [{ weight: 101, key: 'pool', values: ['a'] }] } },
      '[test/Svc] placement.preferredNodeAffinities[0].weight=101: must be an integer in 1..100'],
    ['a selector label key', { selectorLabels: { 'app/name/x': 'a' } }, '[test/Svc] selectorLabels key="app/name/x": has more than one "/"'],
    ['a pod label value', { podLabels: { team: 'x'.repeat(64) } }, '[test/Svc] podLabels["team"]="xxxx'],
    ['a pod annotation key', { podAnnotations: { 'bad key': 'x' } }, '[test/Svc] podAnnotations key="bad key"'],
    ['a GPU taint key', { gpu: { count: 1, taintKey: 'a b' } }, '[test/Svc] gpu.taintKey="a b"'],
  ])('%s', (_label, props, message) => {
    expect(fails(props)).toContain(message);
  });

  test('no props at all', () => {
    expect(errorOf(() => new (GpuInferenceService as any)(Testing.chart(), 'Svc'))).toBe(
      '[test/Svc] props=undefined: must be a GpuInferenceServiceProps object. Fix: pass an object literal with at least image, maxReplicas.');
  });

  test('addMetric checks its argument', () => {
    expect(errorOf(() => build().svc.addMetric({ name: 'cpu' } as any))).toContain('[test/Svc] addMetric={"name":"cpu"}: must be a Metric, got an object.');
  });

  test('the Service name must be a DNS-1035 label, whether it comes from name or serviceName', () => {
    expect(fails({}, '9inference')).toBe('[test/Svc] name="9inference": is not a valid DNS-1035 label (lower-case letters, digits and \'-\', '
      + 'starting with a letter and ending with a letter or digit); without serviceName the name is also the Service name, which must be a DNS-1035 label. '
      + 'Fix: use a name like "inference", or set serviceName.');
    expect(fails({}, 'ml.inference')).toContain('[test/Svc] name="ml.inference": is not a valid DNS-1035 label');
    expect(fails({ serviceName: '9inference' })).toContain('[test/Svc] serviceName="9inference": is not a valid DNS-1035 label');
    expect(() => synth({ serviceName: 'inference' })).not.toThrow();
    expect(findOne(synthValid(build({ serviceName: 'inference' }, 'ml.inference').chart), 'Service').metadata.name).toBe('inference');
  });

  test('a name that is also the selector label value has at most 63 characters', () => {
    const name = 'a'.repeat(64);
    expect(fails({ serviceName: 'svc' }, name)).toContain(`[test/Svc] name="${name}": is 64 characters long; a label value has at most 63; without selectorLabels the name is also `
      + 'the pods\' label value (app: <name>). Fix: shorten name to at most 63 characters, or set selectorLabels.');
  });

  test('derived names stay within 253 characters', () => {
    const name = 'a'.repeat(250);
    const msg = fails({ selectorLabels: { app: 'x' }, serviceName: 'svc' }, name);
    expect(msg).toContain(`[test/Svc] name="${name}": makes the HorizontalPodAutoscaler name "${name}-hpa" of 254 characters (at most 253 characters). `
      + 'Fix: shorten name to at most 249 characters, or set hpaName.');
    expect(fails({ selectorLabels: { app: 'x' }, serviceName: 'svc', hpaName: 'h' }, name))
      .toContain(`name="${name}": makes the PodDisruptionBudget name "${name}-pdb" of 254 characters (at most 253). Fix: shorten name, or set disruptionBudget.name.`);
  });

  test.each<[string, any, string]>([
    ['podLabels overwritten by the selector', { podLabels: { app: 'other' } },
      '[test/Svc] podLabels["app"]="other": would be overwritten by the selector label app="svc" (the pods must carry their selector labels). '
      + 'Fix: remove app from podLabels, or change the selector with selectorLabels.'],
    ['the model load annotation', { podAnnotations: { 'ml-autoscaling.io/model-load-seconds': '30' } },
      '[test/Svc] podAnnotations["ml-autoscaling.io/model-load-seconds"]="30": is written by the construct from modelLoadTime (as "120"), so this value '
      + 'would be overwritten. Fix: set modelLoadTime instead, and remove ml-autoscaling.io/model-load-seconds from podAnnotations.'],
    ['a prometheus annotation', { metricsPort: 8000, podAnnotations: { 'prometheus.io/path': '/stats' } },
      '[test/Svc] podAnnotations["prometheus.io/path"]="/stats": is written by the construct from metricsPath'],
    ['metricsPath without metricsPort', { metricsPath: '/stats' },
      '[test/Svc] metricsPath="/stats": is only announced together with metricsPort or modelServer, neither of which is set. Fix: set metricsPort (e.g. 8000), or remove metricsPath.'],
    ['modelPathEnvName without modelPath', { modelPathEnvName: 'WEIGHTS' },
      '[test/Svc] modelPathEnvName="WEIGHTS": names the variable that carries modelPath, but modelPath is not set. Fix: set modelPath, or remove modelPathEnvName.'],
    ['taintKey without the toleration', { gpu: { count: 1, tolerateTaint: false, taintKey: 'gpu' } },
      '[test/Svc] gpu.taintKey="gpu": is only used for the GPU taint toleration, which tolerateTaint: false turns off. Fix: remove taintKey'],
    ['settings of a disabled budget', { disruptionBudget: { enabled: false, minAvailable: 3 } },
      '[test/Svc] disruptionBudget.minAvailable=3: is ignored: enabled is false, so no PodDisruptionBudget is created. Fix: remove minAvailable, or remove enabled: false.'],
  ])('silently dropped settings fail: %s', (_label, props, message) => {
    expect(fails(props)).toContain(message);
  });

  test('settings that agree with what the construct writes are accepted', () => {
    const m = synth({ podLabels: { app: 'svc', team: 'ml' }, podAnnotations: { 'ml-autoscaling.io/model-load-seconds': '120', 'ml-autoscaling.io/request-buffering': 'true' } });
    expect(findOne(m, 'Deployment').spec.template.metadata.labels).toEqual({ app: 'svc', team: 'ml' });
  });
});
