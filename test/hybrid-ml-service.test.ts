import { ApiObject, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { findAll, findOne, synthValid } from './validate';
import { HybridHpaChart, HybridKedaChart } from '../examples/hybrid';
import {
  HybridMlService, HybridMlServiceProps, HybridScalingMode, Metric, MetricTarget, RabbitMqMode, Trigger,
} from '../src';
import { errorOf } from './error-of';

const PROM = Trigger.prometheus({ serverAddress: 'http://prometheus:9090', query: 'sum(rate(http_requests_total[1m]))', threshold: 100 });
const BASE: HybridMlServiceProps = {
  name: 'hybrid',
  image: 'registry/hybrid:v1',
  cpuRequest: Cpu.millis(1000),
  memoryRequest: Size.gibibytes(2),
  gpu: { count: 1 },
  maxReplicas: 6,
  triggers: [PROM],
};

function build(props: Partial<HybridMlServiceProps> = {}) {
  const chart = Testing.chart();
  const svc = new HybridMlService(chart, 'Hybrid', { ...BASE, ...props } as HybridMlServiceProps);
  return { chart, svc };
}
const synth = (props: Partial<HybridMlServiceProps> = {}) => synthValid(build(props).chart);
const autoscalers = (m: any[]) => m.filter(o => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'ScaledObject');

describe("article's hybrid-ml-service", () => {
  const hpaMode = synthValid(new HybridHpaChart(Testing.app(), 'hpa'));
  const kedaMode = synthValid(new HybridKedaChart(Testing.app(), 'keda'));

  test.each([['HPA', hpaMode], ['KEDA', kedaMode]])('%s mode: the workload matches the article', (_mode, m) => {
    const d = findOne(m as any[], 'Deployment', 'hybrid-ml-service');
    expect(d.metadata.namespace).toBe('ml-workloads');
    expect(d.spec.replicas).toBeUndefined();
    expect(d.spec.selector.matchLabels).toEqual({ app: 'hybrid-ml' });
    const c = d.spec.template.spec.containers[0];
    expect(c.name).toBe('ml-service');
    expect(c.image).toBe('your-registry/hybrid-ml:v2.0');
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http' }, { containerPort: 8000, name: 'metrics' }]);
    expect(c.resources).toEqual({
      requests: { 'memory': '8Gi', 'cpu': '4000m', 'nvidia.com/gpu': '1' },
      limits: { 'memory': '16Gi', 'cpu': '8000m', 'nvidia.com/gpu': '1' },
    });
  });

  test.each([['HPA', hpaMode], ['KEDA', kedaMode]])('%s mode: exactly one autoscaler, no KEDA annotation on the Deployment', (_mode, m) => {
    expect(autoscalers(m as any[])).toHaveLength(1);
    const d = findOne(m as any[], 'Deployment');
    const annotations = { ...(d.metadata.annotations ?? {}), ...(d.spec.template.metadata.annotations ?? {}) };
    expect(Object.keys(annotations).filter(k => k.includes('keda.sh'))).toEqual([]);
  });

  test("HPA mode is the article's hybrid-ml-hpa", () => {
    const h = findOne(hpaMode, 'HorizontalPodAutoscaler', 'hybrid-ml-hpa');
    expect(h.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'hybrid-ml-service' });
    expect(h.spec.minReplicas).toBe(3);
    expect(h.spec.maxReplicas).toBe(15);
    expect(h.spec.metrics).toEqual([{
      type: 'External',
      external: {
        metric: { name: 'requests_per_second', selector: { matchLabels: { service: 'hybrid-ml' } } },
        target: { type: 'AverageValue', averageValue: '100' },
      },
    }]);
  });

  test('KEDA mode adopts the same HPA by name, so the hand-over never leaves zero or two autoscalers', () => {
    const so = findOne(kedaMode, 'ScaledObject', 'hybrid-ml-service-scaler');
    expect(so.metadata.annotations).toEqual({ 'scaledobject.keda.sh/transfer-hpa-ownership': 'true' });
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.name).toBe('hybrid-ml-hpa');
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'hybrid-ml-service' });
    expect(so.spec.minReplicaCount).toBe(3);
    expect(so.spec.maxReplicaCount).toBe(15);
    expect(so.spec.triggers.map((t: any) => t.type)).toEqual(['prometheus', 'rabbitmq']);
    expect(so.spec.triggers[0].metadata).toEqual({
      serverAddress: 'http://prometheus-server.monitoring.svc.cluster.local:9090',
      query: 'sum(rate(http_requests_total{service="hybrid-ml"}[1m]))',
      threshold: '100',
    });
    expect(so.spec.triggers[1].authenticationRef).toEqual({ name: 'rabbitmq-auth' });
  });

  test('both modes keep the same HPA behavior', () => {
    const hpa = findOne(hpaMode, 'HorizontalPodAutoscaler').spec.behavior;
    const keda = findOne(kedaMode, 'ScaledObject').spec.advanced.horizontalPodAutoscalerConfig.behavior;
    expect(keda).toEqual(hpa);
  });
});

describe('KEDA mode', () => {
  test('is the default, with min >= 1 and ML behavior defaults under advanced', () => {
    const m = synth();
    expect(findAll(m, 'HorizontalPodAutoscaler')).toEqual([]);
    const so = findOne(m, 'ScaledObject');
    expect(so.spec.minReplicaCount).toBe(2);
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
  });

  test('combines real-time and event triggers in one ScaledObject', () => {
    const m = synth({
      // hostFromEnv names a variable of the container (checked at synth)
      secretEnv: [{ name: 'RABBITMQ_HOST', secretName: 'rabbitmq', key: 'host' }],
      triggers: [
        PROM,
        Trigger.cpuUtilization(70),
        Trigger.rabbitmq({ queueName: 'jobs', mode: RabbitMqMode.QUEUE_LENGTH, value: 10, hostFromEnv: 'RABBITMQ_HOST' }),
      ],
    });
    expect(findOne(m, 'ScaledObject').spec.triggers.map((t: any) => t.type)).toEqual(['prometheus', 'cpu', 'rabbitmq']);
  });

  test('scale to zero only by explicit opt-in', () => {
    expect(() => build({ minReplicas: 0 })).toThrow(/\[test\/Hybrid\] minReplicas=0: scales a latency-sensitive service to zero.*Fix: set scaleToZero: true/);
    const so = findOne(synth({ minReplicas: 0, scaleToZero: true }), 'ScaledObject');
    expect(so.spec.minReplicaCount).toBe(0);
  });

  test('pause controls are annotations on the ScaledObject, never on the Deployment', () => {
    const m = synth({ pause: { pauseScaleIn: true, pausedReplicas: 3 } });
    expect(findOne(m, 'ScaledObject').metadata.annotations).toMatchObject({
      'autoscaling.keda.sh/paused-scale-in': 'true',
      'autoscaling.keda.sh/paused-replicas': '3',
    });
    expect(findOne(m, 'Deployment').metadata.annotations).toBeUndefined();
  });

  test('without a name there is no HPA to adopt, and KEDA names its own HPA', () => {
    const chart = Testing.chart();
    new HybridMlService(chart, 'Hybrid', { ...BASE, name: undefined });
    const so = findOne(synthValid(chart), 'ScaledObject');
    expect(so.metadata.annotations).toBeUndefined();
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.name).toBeUndefined();
  });

  test('addTrigger adds a trigger after construction', () => {
    const { chart, svc } = build({ triggers: [] });
    svc.addTrigger(PROM);
    expect(findOne(synthValid(chart), 'ScaledObject').spec.triggers).toHaveLength(1);
  });

  test('keda options reach the ScaledObject', () => {
    const so = findOne(synth({ keda: { pollingInterval: Duration.seconds(10), fallback: { failureThreshold: 3, replicas: 4 } } }), 'ScaledObject');
    expect(so.spec.pollingInterval).toBe(10);
    expect(so.spec.fallback).toEqual({ failureThreshold: 3, replicas: 4, behavior: 'static' });
  });
});

describe('HPA mode', () => {
  test('renders a plain autoscaling/v2 HPA and no ScaledObject', () => {
    const m = synth({ mode: HybridScalingMode.HPA, triggers: undefined, metrics: [Metric.cpuUtilization(60)] });
    expect(findAll(m, 'ScaledObject')).toEqual([]);
    expect(findOne(m, 'HorizontalPodAutoscaler', 'hybrid-hpa').spec.metrics[0].resource.name).toBe('cpu');
  });

  test('addMetric works in HPA mode and is refused in KEDA mode', () => {
    const { chart, svc } = build({ mode: HybridScalingMode.HPA, triggers: undefined, metrics: [] });
    svc.addMetric(Metric.external({ name: 'rps', target: MetricTarget.averageValue(50) }));
    expect(findOne(synthValid(chart), 'HorizontalPodAutoscaler').spec.metrics).toHaveLength(1);
    expect(() => build().svc.addMetric(Metric.cpuUtilization(50))).toThrow(/addMetric="cpu": only applies in HPA mode/);
  });
});

describe('errors', () => {
  test.each<[string, Partial<HybridMlServiceProps>, RegExp]>([
    ['KEDA-only settings in HPA mode', { mode: HybridScalingMode.HPA, metrics: [Metric.cpuUtilization(50)] },
      /triggers=.*only applies in KEDA mode.*Fix: remove triggers, or set mode: HybridScalingMode.KEDA/],
    ['HPA metrics in KEDA mode', { metrics: [Metric.cpuUtilization(50)] }, /metrics=\["cpu"\]: only apply in HPA mode/],
    ['scale to zero in HPA mode on the default target (1.35)', { mode: HybridScalingMode.HPA, triggers: undefined, metrics: [Metric.cpuUtilization(50)], minReplicas: 0 },
      /minReplicas=0: needs the HPAScaleToZero feature gate, which is off in Kubernetes 1\.35.*or use mode: HybridScalingMode\.KEDA/],
    ['min > max', { minReplicas: 8 }, /minReplicas=8: is greater than maxReplicas \(6\)/],
    ['max < 1', { maxReplicas: 0 }, /maxReplicas=0: must be an integer in 1\.\.2147483647/],
    ['utilization without request (HPA mode)', { mode: HybridScalingMode.HPA, triggers: undefined, cpuRequest: undefined, metrics: [Metric.cpuUtilization(50)] },
      /cpu utilization target needs a cpu request/],
    ['adopting without an HPA name', { name: undefined, adoptExistingHpa: true }, /adoptExistingHpa=true: needs the name of the HPA to adopt/],
  ])('%s', (_label, props, message) => {
    expect(() => Testing.synth(build(props).chart)).toThrow(message);
  });

  test('no triggers in KEDA mode fails at synth', () => {
    expect(() => Testing.synth(build({ triggers: [] }).chart)).toThrow(/triggers/);
  });
});

describe('chart-wide: one autoscaler per workload', () => {
  function withHandWritten(extra: (chart: any, deploymentName: string) => void, props: Partial<HybridMlServiceProps> = {}) {
    const { chart, svc } = build(props);
    extra(chart, svc.deployment.name);
    return () => Testing.synth(chart);
  }
  const hpa = (name: string, target: string) => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 1, maxReplicas: 3, metrics: [] },
  });

  test('rejects a hand-written HPA next to our ScaledObject', () => {
    const run = withHandWritten((chart, target) => new ApiObject(chart, 'ExtraHpa', hpa('extra', target)));
    expect(run).toThrow(/ML-E-TWO-AUTOSCALERS/);
  });

  test('rejects a hand-written HPA next to our HPA', () => {
    const run = withHandWritten((chart, target) => new ApiObject(chart, 'ExtraHpa', hpa('extra', target)),
      { mode: HybridScalingMode.HPA, triggers: undefined, metrics: [Metric.cpuUtilization(50)] });
    expect(run).toThrow(/ML-E-TWO-AUTOSCALERS/);
  });

  test('rejects a second ScaledObject on the same workload', () => {
    const run = withHandWritten((chart, target) => new ApiObject(chart, 'ExtraSo', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'extra' },
      spec: { scaleTargetRef: { name: target }, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }] },
    }));
    expect(run).toThrow(/ML-E-TWO-AUTOSCALERS/);
  });

  test('accepts exactly the adoption hand-over: the HPA named by the adopting ScaledObject', () => {
    const run = withHandWritten((chart, target) => new ApiObject(chart, 'OldHpa', hpa('hybrid-hpa', target)));
    expect(() => run()).not.toThrow();
  });

  test('rejects an HPA with another name than the adopted one', () => {
    const run = withHandWritten((chart, target) => new ApiObject(chart, 'OldHpa', hpa('other-hpa', target)));
    expect(run).toThrow(/ML-E-TWO-AUTOSCALERS/);
  });
});


describe('runtime props checks (JavaScript and jsii callers)', () => {
  const fails = (props: any) => errorOf(() => build(props));

  test.each<[string, any, string]>([
    ['mode other than the exact enum values', { mode: 'keda' },
      '[test/Hybrid] mode="keda": must be one of HybridScalingMode.KEDA ("KEDA"), HybridScalingMode.HPA ("HPA"). Fix: use "KEDA" (enum values are case-sensitive).'],
    ['an unknown mode', { mode: 'Hybrid' }, '[test/Hybrid] mode="Hybrid": must be one of HybridScalingMode.KEDA ("KEDA"), HybridScalingMode.HPA ("HPA"). Fix: use one of the HybridScalingMode members.'],
    ['a misspelt prop', { maxReplica: 4 }, '[test/Hybrid] maxReplica=4: is not a property of HybridMlServiceProps. Fix: did you mean "maxReplicas"?'],
    ['a misspelt KEDA option', { keda: { pollingIntervall: Duration.seconds(10) } },
      '[test/Hybrid] keda.pollingIntervall=10s: is not a property of HybridKedaOptions. Fix: did you mean "keda.pollingInterval"?'],
    ['a polling interval as a number', { keda: { pollingInterval: 15 } }, '[test/Hybrid] keda.pollingInterval=15: must be a Duration, got a number.'],
    ['a fallback behavior from JavaScript', { keda: { fallback: { failureThreshold: 3, replicas: 2, behavior: 'Static' } } },
      '[test/Hybrid] keda.fallback.behavior="Static": must be one of FallbackBehavior.STATIC ("static")'],
    ['a modifier metric type from JavaScript', { keda: { scalingModifiers: { formula: 'a', target: 1, metricType: 'average' } } },
      '[test/Hybrid] keda.scalingModifiers.metricType="average": must be one of ModifierMetricType.AVERAGE_VALUE ("AverageValue")'],
    ['a trigger that is not a Trigger', { triggers: [{ type: 'rabbitmq' }] }, '[test/Hybrid] triggers[0]={"type":"rabbitmq"}: must be a Trigger, got an object. Fix: use Trigger.rabbitmq({...})'],
    ['paused replicas overflow', { pause: { pausedReplicas: 2 ** 31 } }, '[test/Hybrid] pause.pausedReplicas=2147483648: must be an integer in 0..2147483647'],
    ['a sub-millisecond cooldown', { keda: { cooldownPeriod: Duration.millis(0.25) } }, '[test/Hybrid] keda.cooldownPeriod="0.25 millis": must be a whole number of seconds'],
  ])('%s', (_label, props, message) => {
    expect(fails(props)).toContain(message);
  });

  test('no props at all', () => {
    expect(errorOf(() => new (HybridMlService as any)(Testing.chart(), 'Hybrid'))).toBe(
      '[test/Hybrid] props=undefined: must be a HybridMlServiceProps object. Fix: pass an object literal with at least image, maxReplicas.');
  });

  test('KEDA-only triggers in HPA mode are printed readably', () => {
    const msg = fails({ mode: HybridScalingMode.HPA, metrics: [Metric.cpuUtilization(50)] });
    expect(msg).toBe('[test/Hybrid] triggers=["prometheus"]: only applies in KEDA mode; in HPA mode it would silently do nothing. '
      + 'Fix: remove triggers, or set mode: HybridScalingMode.KEDA.');
    expect(msg).not.toContain('_checks');
  });

  test('derived names that KEDA also uses as label values have at most 63 characters', () => {
    const name = 'a'.repeat(60);
    expect(fails({ name })).toBe(`[test/Hybrid] name="${name}": makes the HorizontalPodAutoscaler name "${name}-hpa" of 64 characters, which is also a label value `
      + '(at most 63 characters). Fix: shorten name to at most 59 characters, or set hpaName.');
    expect(fails({ name, hpaName: 'h' })).toBe(`[test/Hybrid] name="${name}": makes the ScaledObject name "${name}-scaler" of 67 characters, which is also a label value `
      + '(at most 63 characters). Fix: shorten name to at most 56 characters, or set keda.scaledObjectName.');
    expect(() => synth({ name, hpaName: 'h', keda: { scaledObjectName: 's' } })).not.toThrow();
  });

  test('options under keda are named with their path', () => {
    expect(fails({ keda: { fallback: { failureThreshold: 3, replicas: 10 } } }))
      .toBe('[test/Hybrid] keda.fallback.replicas=10: is above maxReplicas (6). Fix: lower keda.fallback.replicas.');
    const long = 's'.repeat(70);
    expect(fails({ keda: { scaledObjectName: long } }))
      .toBe(`[test/Hybrid] keda.scaledObjectName="${long}": is 70 characters; KEDA uses it as a label value (at most 63). Fix: set a shorter keda.scaledObjectName.`);
  });

  test('addTrigger checks its argument', () => {
    expect(errorOf(() => build().svc.addTrigger(undefined as any))).toContain('[test/Hybrid] addTrigger=undefined: must be a Trigger');
  });
});
