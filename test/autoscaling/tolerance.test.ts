import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  GpuInferenceService, HybridMlService, HybridScalingMode, KubernetesTarget, Metric, QueueBatchWorker, ScalingBehavior, ScalingPolicy, Trigger,
} from '../../src';
import { toleranceProblem, toToleranceQuantity } from '../../src/autoscaling/quantity';
import { renderBehavior } from '../../src/autoscaling/render-behavior';
import { quantityValue } from '../api-rules/formats';
import { errorOf } from '../error-of';
import { findOne, synthValid } from '../validate';

const SERVICE = {
  name: 'svc',
  image: 'registry/model:v1',
  cpuRequest: Cpu.millis(1000),
  memoryRequest: Size.gibibytes(2),
  gpu: { count: 1 },
  maxReplicas: 4,
};

function hpaBehavior(behavior: ScalingBehavior, version?: string) {
  const chart = Testing.chart();
  if (version) KubernetesTarget.set(chart, { version });
  new GpuInferenceService(chart, 'Svc', { ...SERVICE, metrics: [Metric.cpuUtilization(70)], behavior });
  return findOne(synthValid(chart), 'HorizontalPodAutoscaler').spec.behavior;
}

describe('tolerance: rendered as the quantity the API server stores', () => {
  test.each([
    [0, '0'],
    [0.05, '50m'],
    [0.015, '15m'],
    [0.1, '100m'],
    [0.001, '1m'],
    [0.5, '500m'],
    [0.999, '999m'],
  ])('%p -> %p', (fraction, quantity) => {
    expect(toToleranceQuantity(fraction)).toBe(quantity);
    const rendered = renderBehavior(Testing.chart(), 'behavior', { scaleUp: { tolerance: fraction }, scaleDown: { tolerance: fraction } }, 0);
    expect(rendered.scaleUp.tolerance).toBe(quantity);
    expect(rendered.scaleDown.tolerance).toBe(quantity);
  });

  test('-0 renders as "0" (never "-0")', () => {
    expect(toToleranceQuantity(-0)).toBe('0');
  });

  test('property: every fraction with at most 3 decimals renders exactly, without float noise', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 999 }), milli => {
      const fraction = milli / 1000;
      const q = toToleranceQuantity(fraction);
      expect(q).toMatch(/^(0|[1-9][0-9]{0,2}m)$/);
      expect(quantityValue(q) * 1000).toBeCloseTo(milli, 9);
    }));
  });

  test('only the directions the user set carry a tolerance (the cluster-wide default applies otherwise)', () => {
    const behavior = hpaBehavior({ scaleDown: { tolerance: 0.05 } });
    expect(behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }], tolerance: '50m' });
    expect(behavior.scaleUp.tolerance).toBeUndefined();
    expect(hpaBehavior({}).scaleDown.tolerance).toBeUndefined();
  });

  test('keeps the other rules of a direction: its window and policies still default', () => {
    const behavior = hpaBehavior({ scaleUp: { tolerance: 0.015, policies: [ScalingPolicy.pods(4, Duration.seconds(60))] } });
    expect(behavior.scaleUp).toEqual({ stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }], tolerance: '15m' });
  });

  test('is rendered whatever the target version: with HPAConfigurableTolerance off the guardrails warn, the construct does not fail', () => {
    expect(hpaBehavior({ scaleUp: { tolerance: 0.05 } }, '1.34').scaleUp.tolerance).toBe('50m');
    expect(hpaBehavior({ scaleUp: { tolerance: 0.05 } }, '1.35').scaleUp.tolerance).toBe('50m');
  });

  test('HybridMlService in HPA mode renders it into its HPA', () => {
    const chart = Testing.chart();
    new HybridMlService(chart, 'Hybrid', {
      ...SERVICE,
      mode: HybridScalingMode.HPA,
      metrics: [Metric.cpuUtilization(70)],
      behavior: { scaleUp: { tolerance: 0.02 }, scaleDown: { tolerance: 0.1 } },
    });
    const behavior = findOne(synthValid(chart), 'HorizontalPodAutoscaler').spec.behavior;
    expect([behavior.scaleUp.tolerance, behavior.scaleDown.tolerance]).toEqual(['20m', '100m']);
  });

  test("KEDA: HybridMlService and QueueBatchWorker pass it to KEDA's HPA through advanced.horizontalPodAutoscalerConfig.behavior", () => {
    const chart = Testing.chart();
    new HybridMlService(chart, 'Hybrid', {
      ...SERVICE,
      mode: HybridScalingMode.KEDA,
      triggers: [Trigger.prometheus({ serverAddress: 'http://prometheus:9090', query: 'sum(rate(http_requests_total[1m]))', threshold: 100 })],
      behavior: { scaleDown: { tolerance: 0.05 } },
    });
    new QueueBatchWorker(chart, 'Worker', {
      name: 'worker',
      image: 'registry/worker:v1',
      maxReplicas: 4,
      maxProcessingTime: Duration.minutes(5),
      triggers: [Trigger.prometheus({ serverAddress: 'http://prometheus:9090', query: 'sum(queue_depth)', threshold: 10 })],
      behavior: { scaleUp: { tolerance: 0 } },
    });
    const manifests = synthValid(chart);
    const hybrid = findOne(manifests, 'ScaledObject', 'svc-scaler').spec.advanced.horizontalPodAutoscalerConfig.behavior;
    expect(hybrid.scaleDown.tolerance).toBe('50m');
    expect(hybrid.scaleUp.tolerance).toBeUndefined();
    const worker = manifests.find(m => m.kind === 'ScaledObject' && m.spec.scaleTargetRef.name === 'worker');
    expect(worker.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.tolerance).toBe('0');
    // a plain string in the JSON, never the bindings' { value: ... } wrapper
    expect(JSON.stringify(manifests)).not.toMatch(/"tolerance":\{/);
  });
});

describe('tolerance: bad values fail with the construct, the prop, the value and the fix', () => {
  const message = (tolerance: unknown) => errorOf(() => {
    const chart = Testing.chart();
    new GpuInferenceService(chart, 'Svc', { ...SERVICE, metrics: [Metric.cpuUtilization(70)], behavior: { scaleDown: { tolerance: tolerance as number } } });
  });

  test.each<[unknown, string]>([
    [-0.1, '[test/Svc] behavior.scaleDown.tolerance=-0.1: must be at least 0 (the API server rejects a negative tolerance). Fix: pass a fraction such as 0.05 (5%)'],
    [NaN, '[test/Svc] behavior.scaleDown.tolerance=NaN: must be a finite number, got NaN. Fix: pass a fraction such as 0.05'],
    [Infinity, '[test/Svc] behavior.scaleDown.tolerance=Infinity: must be a finite number, got Infinity'],
    ['5%', '[test/Svc] behavior.scaleDown.tolerance="5%": must be a number (a fraction such as 0.05 for 5%), got a string'],
    ['0.05', '[test/Svc] behavior.scaleDown.tolerance="0.05": must be a number'],
    [null, '[test/Svc] behavior.scaleDown.tolerance=null: must be a fraction of at least 0 and below 1 with at most 3 decimals (0.05 = 5%) or left out'],
    [1, '[test/Svc] behavior.scaleDown.tolerance=1: must be below 1: it is a fraction of the target (0.05 = 5%), and a scale-down tolerance of 1 or more would block every scale-down'],
    [5, 'Fix: use a fraction below 1, e.g. 0.05 for 5%; to stop scaling in one direction set selectPolicy: SelectPolicy.DISABLED'],
    [0.0015, '[test/Svc] behavior.scaleDown.tolerance=0.0015: has more than 3 decimals: tolerances are rendered in milli-units (steps of 0.1%), so it would be rounded. Fix: use 0.001 or 0.002'],
    [0.9995, 'Fix: use 0.999.'],
  ])('%p', (value, expected) => {
    expect(message(value)).toContain(expected);
  });

  test('the ScaledObject constructs check it too', () => {
    expect(errorOf(() => new QueueBatchWorker(Testing.chart(), 'Worker', {
      image: 'registry/worker:v1',
      maxReplicas: 4,
      maxProcessingTime: Duration.minutes(5),
      triggers: [Trigger.prometheus({ serverAddress: 'http://prometheus:9090', query: 'sum(q)', threshold: 10 })],
      behavior: { scaleUp: { tolerance: -1 } },
    }))).toContain('[test/Worker] behavior.scaleUp.tolerance=-1: must be at least 0');
  });

  test('toleranceProblem accepts exactly 0..0.999 in steps of 0.001', () => {
    for (const ok of [0, 0.001, 0.05, 0.1, 0.25, 0.999]) expect([ok, toleranceProblem(ok)]).toEqual([ok, undefined]);
    for (const bad of [-0.001, 1, 1.5, 0.0001, 0.1234, 0.1 + 0.2, NaN, -Infinity, '0.1', undefined]) {
      expect([bad, toleranceProblem(bad)]).not.toEqual([bad, undefined]);
    }
  });
});
