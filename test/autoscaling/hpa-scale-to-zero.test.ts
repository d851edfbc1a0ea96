import { Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  GpuInferenceService, GpuInferenceServiceProps, HybridMlService, HybridMlServiceProps, HybridScalingMode, KubernetesTarget,
  KubernetesTargetProps, Metric, MetricTarget, Trigger, Warnings,
} from '../../src';
import { errorOf } from '../error-of';
import { findOne, synthValid } from '../validate';

const QUEUE = Metric.external({ name: 'queue_length', selector: { matchLabels: { queue: 'svc' } }, target: MetricTarget.averageValue(5) });
const OBJECT = Metric.object({
  name: 'requests_waiting', describedObject: { apiVersion: 'v1', kind: 'Service', name: 'gateway' }, target: MetricTarget.value(1),
});
const PODS = Metric.pods({ name: 'inference_queue_depth', target: MetricTarget.averageValue(10) });
const CPU = Metric.cpuUtilization(70);
/** Requests reach the pods through a queue: the scale-to-zero guardrail then has nothing to report. */
const BUFFERED = { 'ml-autoscaling.io/request-buffering': 'true' };

const ZERO: GpuInferenceServiceProps = {
  name: 'svc',
  image: 'registry/model:v1',
  cpuRequest: Cpu.millis(1000),
  memoryRequest: Size.gibibytes(2),
  gpu: { count: 1 },
  placement: { nodeSelector: { pool: 'gpu' } },
  podAnnotations: BUFFERED,
  minReplicas: 0,
  scaleToZero: true,
  maxReplicas: 4,
  metrics: [QUEUE],
};

function gpu(target: KubernetesTargetProps | undefined, props: Partial<GpuInferenceServiceProps> = {}) {
  const chart = Testing.chart();
  if (target) KubernetesTarget.set(chart, target);
  const svc = new GpuInferenceService(chart, 'Svc', { ...ZERO, ...props });
  return { chart, svc };
}

const V137 = { version: '1.37' };

describe('GpuInferenceService: minReplicas 0, scaled to zero by the HPA itself', () => {
  test('on a 1.37 target with an External metric: an HPA with minReplicas 0 on that metric', () => {
    const m = synthValid(gpu(V137).chart);
    const hpa = findOne(m, 'HorizontalPodAutoscaler', 'svc-hpa');
    expect(hpa.spec.minReplicas).toBe(0);
    expect(hpa.spec.maxReplicas).toBe(4);
    expect(hpa.spec.metrics).toEqual([{
      type: 'External',
      external: { metric: { name: 'queue_length', selector: { matchLabels: { queue: 'svc' } } }, target: { type: 'AverageValue', averageValue: '5' } },
    }]);
  });

  test('the Deployment pins no replica count: created at 1, the HPA scales it to zero and can wake it (a Deployment at 0 by hand stays there)', () => {
    const d = findOne(synthValid(gpu(V137).chart), 'Deployment', 'svc');
    expect(d.spec.replicas).toBeUndefined();
  });

  test('the startup probe and the default PDB are the same as at any minimum: each pod that wakes loads its model, drains proceed one pod at a time', () => {
    const atZero = synthValid(gpu(V137).chart);
    const atOne = synthValid(gpu(V137, { minReplicas: 1, scaleToZero: undefined }).chart);
    const probes = (m: any[]) => findOne(m, 'Deployment').spec.template.spec.containers[0].startupProbe;
    expect(probes(atZero)).toEqual(probes(atOne));
    expect(probes(atZero).failureThreshold).toBe(15); // (120 s load + 30 s headroom) / 10 s
    expect(findOne(atZero, 'PodDisruptionBudget').spec).toEqual({ selector: { matchLabels: { app: 'svc' } }, maxUnavailable: 1 });
  });

  test('a minAvailable of 1 is kept and warned about: it blocks node drains whenever the service is down to one pod', () => {
    const { chart, svc } = gpu(V137, { disruptionBudget: { minAvailable: 1 } });
    expect(findOne(synthValid(chart), 'PodDisruptionBudget').spec.minAvailable).toBe(1);
    expect(Warnings.of(svc).map(w => w.id)).toContain('ML-W-PDB-BLOCKS-DRAIN');
  });

  test('an Object metric can wake the service too', () => {
    const hpa = findOne(synthValid(gpu(V137, { metrics: [CPU, OBJECT] }).chart), 'HorizontalPodAutoscaler');
    expect(hpa.spec.minReplicas).toBe(0);
    expect(hpa.spec.metrics.map((x: any) => x.type)).toEqual(['Resource', 'Object']);
  });

  test('on 1.35 with the HPAScaleToZero gate enabled explicitly', () => {
    const hpa = findOne(synthValid(gpu({ version: '1.35', featureGates: { HPAScaleToZero: true } }).chart), 'HorizontalPodAutoscaler');
    expect(hpa.spec.minReplicas).toBe(0);
  });

  test('the target set on the app applies to every chart', () => {
    const app = Testing.app();
    KubernetesTarget.set(app, V137);
    const chart = new Chart(app, 'inference');
    new GpuInferenceService(chart, 'Svc', ZERO);
    expect(findOne(synthValid(chart), 'HorizontalPodAutoscaler').spec.minReplicas).toBe(0);
  });

  test('on the default target (1.35) it fails, naming the version, the gate and the fixes', () => {
    expect(errorOf(() => gpu(undefined))).toBe(
      '[test/Svc] minReplicas=0: needs the HPAScaleToZero feature gate, which is off in Kubernetes 1.35 (beta and on by default since 1.37). ' +
      "Fix: target Kubernetes 1.37: KubernetesTarget.set(app, { version: '1.37' }) before adding constructs " +
      '(or featureGates: { HPAScaleToZero: true } if your cluster enables the gate on the API server and the kube-controller-manager), ' +
      'or scale to zero with KEDA instead (HybridMlService in KEDA mode, or QueueBatchWorker for queue consumers), which works on any version.');
    expect(errorOf(() => gpu({ version: '1.36' }))).toContain('which is off in Kubernetes 1.36 (beta');
  });

  test('on 1.37 with the gate turned off it fails, naming the override', () => {
    expect(errorOf(() => gpu({ version: '1.37', featureGates: { HPAScaleToZero: false } }))).toContain(
      'minReplicas=0: needs the HPAScaleToZero feature gate, which is off in Kubernetes 1.37 with HPAScaleToZero=false (beta and on by default since 1.37). ' +
      'Fix: remove featureGates: { HPAScaleToZero: false } if your cluster runs with the gate on, or scale to zero with KEDA');
  });

  test.each([
    ['a Pods metric', [PODS]],
    ['Resource metrics', [CPU, Metric.memoryUtilization(80)]],
  ])('with only %s it fails at synth: no samples at zero pods', (_label, metrics) => {
    const { chart } = gpu(V137, { metrics });
    expect(() => Testing.synth(chart)).toThrow(
      /\[test\/Svc\] minReplicas=0: an HPA scales from zero only on an Object or External metric \(Resource and Pods metrics have no samples at zero pods\), and its metrics are .*Fix: add one, e\.g\. Metric\.external\(/);
  });

  test('an External metric added later with addMetric satisfies the check at synth', () => {
    const { chart, svc } = gpu(V137, { metrics: [PODS] });
    svc.addMetric(QUEUE);
    expect(findOne(synthValid(chart), 'HorizontalPodAutoscaler').spec.metrics.map((x: any) => x.type)).toEqual(['Pods', 'External']);
  });

  test('a Pods metric added later does not', () => {
    const { chart, svc } = gpu(V137, { metrics: [] });
    svc.addMetric(PODS);
    expect(() => Testing.synth(chart)).toThrow(/minReplicas=0: an HPA scales from zero only on an Object or External metric.*its metrics are Pods inference_queue_depth/);
  });

  test('needs the explicit scaleToZero opt-in: a synchronous service at zero fails requests during the cold start', () => {
    expect(errorOf(() => gpu(V137, { scaleToZero: undefined }))).toBe(
      '[test/Svc] minReplicas=0: scales a latency-sensitive service to zero: requests fail during the cold start unless they are buffered ' +
      '(scaleToZero is not set). Fix: set scaleToZero: true to opt in (with request buffering in front, e.g. a queue or the KEDA HTTP add-on), or minReplicas >= 1.');
    expect(errorOf(() => gpu(V137, { scaleToZero: false }))).toContain('(scaleToZero is false)');
  });

  test('scaleToZero without minReplicas 0 is an error: it would do nothing', () => {
    expect(errorOf(() => gpu(V137, { minReplicas: 1 }))).toBe(
      '[test/Svc] scaleToZero=true: does nothing: minReplicas is 1, and only minReplicas: 0 scales to zero. Fix: set minReplicas: 0, or remove scaleToZero.');
    expect(errorOf(() => gpu(V137, { minReplicas: undefined }))).toContain('scaleToZero=true: does nothing: minReplicas is 2');
  });

  test('without request buffering declared on the pods, the scale-to-zero guardrail warns', () => {
    const { chart, svc } = gpu(V137, { podAnnotations: undefined });
    Testing.synth(chart);
    expect(Warnings.of(svc).map(w => w.id)).toContain('ML-W-SCALE-TO-ZERO-WITHOUT-BUFFER');
    const buffered = gpu(V137);
    Testing.synth(buffered.chart);
    expect(Warnings.of(buffered.svc).map(w => w.id)).not.toContain('ML-W-SCALE-TO-ZERO-WITHOUT-BUFFER');
  });
});

describe('HybridMlService in HPA mode: the same rules', () => {
  const HYBRID: HybridMlServiceProps = {
    name: 'hybrid',
    image: 'registry/hybrid:v1',
    cpuRequest: Cpu.millis(1000),
    memoryRequest: Size.gibibytes(2),
    gpu: { count: 1 },
    placement: { nodeSelector: { pool: 'gpu' } },
    podAnnotations: BUFFERED,
    mode: HybridScalingMode.HPA,
    minReplicas: 0,
    scaleToZero: true,
    maxReplicas: 6,
    metrics: [QUEUE],
  };
  function hybrid(target: KubernetesTargetProps | undefined, props: Partial<HybridMlServiceProps> = {}) {
    const chart = Testing.chart();
    if (target) KubernetesTarget.set(chart, target);
    const svc = new HybridMlService(chart, 'Hybrid', { ...HYBRID, ...props });
    return { chart, svc };
  }

  test('on 1.37 with an External metric: an HPA with minReplicas 0, no ScaledObject', () => {
    const m = synthValid(hybrid(V137).chart);
    const hpa = findOne(m, 'HorizontalPodAutoscaler', 'hybrid-hpa');
    expect(hpa.spec.minReplicas).toBe(0);
    expect(hpa.spec.metrics[0].type).toBe('External');
    expect(m.filter(o => o.kind === 'ScaledObject')).toEqual([]);
    expect(findOne(m, 'Deployment').spec.replicas).toBeUndefined();
  });

  test('on the default target it fails and points to KEDA mode', () => {
    expect(errorOf(() => hybrid(undefined))).toMatch(
      /^\[test\/Hybrid\] minReplicas=0: needs the HPAScaleToZero feature gate, which is off in Kubernetes 1\.35 .*or use mode: HybridScalingMode\.KEDA, which scales to zero on any version\.$/);
  });

  test('with only a Pods metric it fails at synth; addMetric of an External one rescues it', () => {
    expect(() => Testing.synth(hybrid(V137, { metrics: [PODS] }).chart)).toThrow(/\[test\/Hybrid\] minReplicas=0: an HPA scales from zero only on an Object or External metric.*or use mode: HybridScalingMode\.KEDA/);
    const { chart, svc } = hybrid(V137, { metrics: [PODS] });
    svc.addMetric(QUEUE);
    expect(findOne(synthValid(chart), 'HorizontalPodAutoscaler').spec.minReplicas).toBe(0);
  });

  test('needs scaleToZero: true in HPA mode too, and scaleToZero alone is an error', () => {
    expect(errorOf(() => hybrid(V137, { scaleToZero: undefined }))).toContain('[test/Hybrid] minReplicas=0: scales a latency-sensitive service to zero');
    expect(errorOf(() => hybrid(V137, { minReplicas: 2 }))).toContain('[test/Hybrid] scaleToZero=true: does nothing: minReplicas is 2');
  });

  test('KEDA mode scales to zero on the default target (no gate needed)', () => {
    const { chart } = hybrid(undefined, {
      mode: HybridScalingMode.KEDA,
      metrics: undefined,
      triggers: [Trigger.prometheus({ serverAddress: 'http://prometheus:9090', query: 'sum(queue_length)', threshold: 5 })],
    });
    expect(findOne(synthValid(chart), 'ScaledObject').spec.minReplicaCount).toBe(0);
  });
});
