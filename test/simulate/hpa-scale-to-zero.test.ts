/**
 * HPA scale to and from zero (KEP-2021, `HPAScaleToZero`, kubernetes/kubernetes PR 135118): the scale-to-zero
 * rows of upstream's horizontal_test.go (1.37 cycle), one test per row, mapped as `upstream-harness.ts` says;
 * then the version rules and the consequences of the code that no upstream row pins.
 */
import {
  cpu, cpuUtilization, Expected, expectOutcome, externalAverage, externalValue, GATE_OFF, GATE_ON, hpa, milli, objectAverage, objectValue,
  podsAverage, podsAverageOf, reconcile, Row,
} from './upstream-harness';
import { HpaController } from '../../src/simulate/hpa-controller';

const BELOW_MIN = 'Current number of replicas below Spec.MinReplicas';
const ABOVE_MAX = 'Current number of replicas above Spec.MaxReplicas';

interface Case extends Row, Expected {
  readonly name: string;
  /** The HPA's ScaledToZero condition before the sync (`initialConditions`). */
  readonly initial?: boolean;
}

function run(c: Case): void {
  const result = reconcile({ ...c, options: { ...c.options, scaledToZero: c.initial } });
  expectOutcome(result, { replicas: c.replicas, reason: c.reason, scaledToZero: c.scaledToZero, metricsComputed: c.metricsComputed });
}

// statusOk = [AbleToScale/True/SucceededRescale, ScalingActive/True/ValidMetricFound, ScalingLimited/False/DesiredWithinRange]
const OK = { reason: 'DesiredWithinRange', metricsComputed: true };
// [AbleToScale/True/SucceededGetScale, ScalingActive/False/ScalingDisabled]
const DISABLED = { replicas: 0, reason: 'ScalingDisabled', metricsComputed: false };

describe('TestScaleUpCMObject', () => {
  const cases: Case[] = [
    {
      name: 'scale up object metric with value target',
      options: GATE_OFF,
      spec: hpa(2, 6, [objectValue('15.0')]),
      current: 3,
      observations: [milli(20000)],
      replicas: 4,
      ...OK,
      scaledToZero: undefined,
    },
    {
      // conditions [ScaledToZero/False/NotScaledToZero, AbleToScale/True/SucceededRescale, ScalingActive/True/ValidMetricFound, ScalingLimited/False/DesiredWithinRange]
      name: 'scale up from zero with HPAScaleToZero enabled',
      options: GATE_ON,
      initial: true,
      spec: hpa(0, 6, [objectValue('15.0')]),
      current: 0,
      observations: [milli(20000)],
      replicas: 2,
      ...OK,
      scaledToZero: false,
    },
    {
      name: 'scale up from zero with HPAScaleToZero disabled',
      options: GATE_OFF,
      initial: true,
      spec: hpa(0, 6, [objectValue('15.0')]),
      current: 0,
      observations: [milli(20000)],
      ...DISABLED,
      scaledToZero: undefined, // the condition is removed
    },
    {
      name: 'scale up from zero ignores tolerance with HPAScaleToZero enabled',
      options: GATE_ON,
      initial: true,
      spec: hpa(0, 6, [objectValue('1.0')]),
      current: 0,
      observations: [milli(1000)],
      replicas: 1,
      ...OK,
      scaledToZero: false,
    },
    {
      name: 'scale up from zero ignores tolerance with HPAScaleToZero disabled',
      options: GATE_OFF,
      initial: true,
      spec: hpa(0, 6, [objectValue('1.0')]),
      current: 0,
      observations: [milli(1000)],
      ...DISABLED,
      scaledToZero: undefined,
    },
    {
      name: 'scale up per-pod object metric with average value target',
      options: GATE_OFF,
      spec: hpa(2, 6, [objectAverage('10.0')]),
      current: 3,
      observations: [milli(40000)],
      replicas: 4,
      ...OK,
      scaledToZero: undefined,
    },
  ];
  test.each(cases)('$name', run);
});

describe('TestScaleWithOneInvalidMetric', () => {
  // The "CheddarCheese" metric is a Pods metric observed as null (see upstream-harness.ts). Upstream's reconcile also returns
  // the error "invalid metrics (1 invalid out of 2)": our sync has no error result, the proposal is -1.
  const spec = (min: number) => hpa(min, 6, [cpu(30), podsAverage('1')]);
  const utilization = cpuUtilization([300, 400, 500], [1000, 1000, 1000]); // 40
  const cases: Case[] = [
    {
      name: 'scale up with one invalid metric',
      options: GATE_OFF,
      spec: spec(2),
      current: 3,
      observations: [utilization, null],
      replicas: 4,
      ...OK,
      scaledToZero: undefined,
    },
    {
      name: 'from zero with invalid metric, HPAScaleToZero enabled',
      options: GATE_ON,
      spec: spec(0),
      current: 0,
      observations: [utilization, null],
      ...DISABLED,
      scaledToZero: undefined,
    },
    {
      name: 'from zero with invalid metric, HPAScaleToZero disabled',
      options: GATE_OFF,
      spec: spec(0),
      current: 0,
      observations: [utilization, null],
      ...DISABLED,
      scaledToZero: undefined,
    },
  ];
  test.each(cases)('$name', run);

  test('the invalid metric is reported as a failed proposal', () => {
    const { decision } = reconcile({ spec: spec(2), options: GATE_OFF, current: 3, observations: [utilization, null] });
    expect(decision.metricProposals).toEqual([4, -1]);
  });
});

describe('TestScaleDownCM', () => {
  // Every row has recommendations [] and expects the scale to be updated.
  const five = { current: 5, recommendations: '[]' as const };
  // [AbleToScale/True/SucceededRescale, ScalingActive/True/ValidMetricFound, ScalingLimited/False/DesiredWithinRange, ScaledToZero/True/ScaledToZero]
  const cases: Case[] = [
    {
      name: 'scale down pods metric',
      options: GATE_OFF,
      ...five,
      spec: hpa(2, 6, [podsAverage('20.0')]),
      observations: [podsAverageOf([12000, 12000, 12000, 12000, 12000])],
      replicas: 3,
      ...OK,
      scaledToZero: undefined,
    },
    {
      name: 'scale down object metric with value target',
      options: GATE_OFF,
      ...five,
      spec: hpa(2, 6, [objectValue('20.0')]),
      observations: [milli(12000)],
      replicas: 3,
      ...OK,
      scaledToZero: undefined,
    },
    {
      name: 'scale down to zero object metric with HPAScaleToZero enabled',
      options: GATE_ON,
      ...five,
      spec: hpa(0, 6, [objectValue('20.0')]),
      observations: [milli(0)],
      replicas: 0,
      ...OK,
      scaledToZero: true,
    },
    {
      name: 'scale down to zero object metric with HPAScaleToZero disabled',
      options: GATE_OFF,
      ...five,
      spec: hpa(0, 6, [objectValue('20.0')]),
      observations: [milli(0)],
      replicas: 0,
      ...OK,
      scaledToZero: undefined, // the controller still scales to 0, without the condition
    },
    {
      name: 'scale down per-pod object metric with average value target',
      options: GATE_OFF,
      ...five,
      spec: hpa(2, 6, [objectAverage('20.0')]),
      observations: [milli(60000)],
      replicas: 3,
      ...OK,
      scaledToZero: undefined,
    },
    {
      name: 'scale down external metric with value target',
      options: GATE_OFF,
      ...five,
      spec: hpa(2, 6, [externalValue('14400m')]),
      observations: [milli(8600)],
      replicas: 3,
      ...OK,
      scaledToZero: undefined,
    },
    {
      name: 'scale down to zero external metric with HPAScaleToZero enabled',
      options: GATE_ON,
      ...five,
      spec: hpa(0, 6, [externalValue('14400m')]),
      observations: [milli(0)],
      replicas: 0,
      ...OK,
      scaledToZero: true,
    },
    {
      name: 'scale down to zero external metric with HPAScaleToZero disabled',
      options: GATE_OFF,
      ...five,
      spec: hpa(0, 6, [externalValue('14400m')]),
      observations: [milli(0)],
      replicas: 0,
      ...OK,
      scaledToZero: undefined,
    },
    {
      name: 'scale down per-pod external metric with average value target',
      options: GATE_OFF,
      ...five,
      spec: hpa(2, 6, [externalAverage('3000m')]),
      observations: [milli(8600)],
      replicas: 3,
      ...OK,
      scaledToZero: undefined,
    },
  ];
  test.each(cases)('$name', run);
});

describe('TestScaleToZeroBehavior', () => {
  const object = (min: number) => hpa(min, 6, [objectValue('15.0')]);
  const cpuSpec = (min: number, target: number) => hpa(min, 6, [cpu(target)]);
  const hot = cpuUtilization([300, 500, 700], [1000, 1000, 1000]); // 50
  const cases: Case[] = [
    {
      name: 'from zero without condition, HPAScaleToZero enabled',
      options: GATE_ON,
      spec: object(0),
      current: 0,
      observations: [milli(20000)],
      ...DISABLED,
      scaledToZero: undefined,
    },
    {
      name: 'from zero without condition, HPAScaleToZero disabled',
      options: GATE_OFF,
      spec: object(0),
      current: 0,
      observations: [milli(20000)],
      ...DISABLED,
      scaledToZero: undefined,
    },
    {
      // [ScaledToZero/False/NotScaledToZero, AbleToScale/True/SucceededRescale, ScalingActive/True/ValidMetricFound, ScalingLimited/True/TooFewReplicas]
      name: 'minReplicas increased with ScaledToZero condition, HPAScaleToZero enabled',
      options: GATE_ON,
      initial: true,
      spec: object(2),
      current: 0,
      observations: [milli(10000)],
      replicas: 2,
      reason: 'TooFewReplicas',
      metricsComputed: true,
      scaledToZero: false,
    },
    {
      name: 'minReplicas increased with ScaledToZero condition, HPAScaleToZero disabled',
      options: GATE_OFF,
      initial: true,
      spec: object(2),
      current: 0,
      observations: [milli(10000)],
      ...DISABLED,
      scaledToZero: undefined,
    },
    {
      name: 'stale ScaledToZero condition cleared on normal rescale, HPAScaleToZero enabled',
      options: GATE_ON,
      initial: true,
      spec: cpuSpec(1, 30),
      current: 3,
      observations: [hot],
      replicas: 5,
      ...OK,
      scaledToZero: false,
    },
    {
      name: 'stale ScaledToZero condition removed on normal rescale, HPAScaleToZero disabled',
      options: GATE_OFF,
      initial: true,
      spec: cpuSpec(1, 30),
      current: 3,
      observations: [hot],
      replicas: 5,
      ...OK,
      scaledToZero: undefined,
    },
    {
      name: 'manual scale to zero disables HPA, HPAScaleToZero enabled',
      options: GATE_ON,
      spec: cpuSpec(1, 50),
      current: 0,
      observations: [null],
      ...DISABLED,
      scaledToZero: undefined,
    },
    {
      name: 'manual scale to zero disables HPA, HPAScaleToZero disabled',
      options: GATE_OFF,
      spec: cpuSpec(1, 50),
      current: 0,
      observations: [null],
      ...DISABLED,
      scaledToZero: undefined,
    },
    {
      name: 'no ScaledToZero condition when HPAScaleToZero disabled',
      options: GATE_OFF,
      spec: cpuSpec(1, 30),
      current: 3,
      observations: [hot],
      replicas: 5,
      ...OK,
      scaledToZero: undefined,
    },
  ];
  test.each(cases)('$name', run);
});

describe('TestReplicaLimits (HPAScaleToZero on by default)', () => {
  const uneven = [900, 1000, 1100];
  const cases: Case[] = [
    {
      name: 'scale down clamped to min replicas',
      options: GATE_ON,
      recommendations: '[]',
      spec: hpa(2, 5, [cpu(90)]),
      current: 3,
      observations: [cpuUtilization([10, 95, 10], uneven)],
      replicas: 2,
      reason: 'TooFewReplicas',
      metricsComputed: true,
      scaledToZero: false,
    },
    {
      // CPU only: validation would reject minReplicas 0 here; the controller scales to 0 but records NotScaledToZero.
      name: 'scale down to zero when min replicas is zero',
      options: GATE_ON,
      recommendations: '[]',
      spec: hpa(0, 5, [cpu(90)]),
      current: 3,
      observations: [cpuUtilization([0, 0, 0], uneven)],
      replicas: 0,
      ...OK,
      scaledToZero: false,
    },
    {
      name: 'scale down clamped to min when desired is zero',
      options: GATE_ON,
      recommendations: '[]',
      spec: hpa(2, 5, [cpu(90)]),
      current: 3,
      observations: [cpuUtilization([0, 0, 0], uneven)],
      replicas: 2,
      reason: 'TooFewReplicas',
      metricsComputed: true,
      scaledToZero: false,
    },
    {
      name: 'no scaling when spec replicas is zero',
      options: GATE_ON,
      spec: hpa(3, 5, [cpu(90)]),
      current: 0,
      observations: [null],
      ...DISABLED,
      scaledToZero: undefined,
    },
    {
      // [AbleToScale/True/SucceededRescale, ScaledToZero/False/NotScaledToZero]: metrics not computed
      name: 'scale up to min when below min replicas',
      options: GATE_ON,
      spec: hpa(3, 5, [cpu(90)]),
      current: 2,
      observations: [cpuUtilization([0, 0], [900, 1000])],
      replicas: 3,
      reason: BELOW_MIN,
      metricsComputed: false,
      scaledToZero: false,
    },
    {
      name: 'scale down to max when above max replicas',
      options: GATE_ON,
      spec: hpa(3, 5, [cpu(90)]),
      current: 10,
      observations: [50],
      replicas: 5,
      reason: ABOVE_MAX,
      metricsComputed: false,
      scaledToZero: false,
    },
    {
      // upstream's factor 8 makes the limit 24, ours (production) max(2 * 3, 4) = 6: either way above maxReplicas 5
      name: 'scale up clamped to max replicas',
      options: GATE_ON,
      spec: hpa(2, 5, [cpu(90)]),
      current: 3,
      observations: [cpuUtilization([8000, 9500, 1000], uneven)],
      replicas: 5,
      reason: 'TooManyReplicas',
      metricsComputed: true,
      scaledToZero: false,
    },
    {
      // lastScaleTime (now) plays no part: there is no backoff
      name: 'scale up to min immediately even with recent scale time',
      options: GATE_ON,
      spec: hpa(2, 6, [cpu(90)]),
      current: 1,
      observations: [cpuUtilization([0, 0, 0, 0], [1000, 1000, 1000, 1000])],
      replicas: 2,
      reason: BELOW_MIN,
      metricsComputed: false,
      scaledToZero: false,
    },
    {
      name: 'upscale capped by scaling policy',
      options: GATE_ON,
      spec: hpa(1, 100, [cpu(10)], { scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 700, periodSeconds: 60 }] } }),
      current: 3,
      observations: [cpuUtilization([100, 200, 300], [100, 100, 100])],
      replicas: 24,
      reason: 'ScaleUpLimit',
      metricsComputed: true,
      scaledToZero: false,
    },
    {
      name: 'upscale cap greater than max replicas',
      options: GATE_ON,
      spec: hpa(1, 20, [cpu(10)], { scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 700, periodSeconds: 60 }] } }),
      current: 3,
      observations: [cpuUtilization([100, 200, 300], [100, 100, 100])],
      replicas: 20,
      reason: 'TooManyReplicas',
      metricsComputed: true,
      scaledToZero: false,
    },
    {
      name: 'scale down to max immediately even with recent scale time',
      options: GATE_ON,
      spec: hpa(2, 5, [cpu(50)]),
      current: 6,
      observations: [50],
      replicas: 5,
      reason: ABOVE_MAX,
      metricsComputed: false,
      scaledToZero: false,
    },
  ];
  test.each(cases)('$name', run);

  test('a CPU-only HPA scaled to zero cannot come back by itself (NotScaledToZero, then ScalingDisabled)', () => {
    const { controller } = reconcile({ spec: hpa(0, 5, [cpu(90)]), options: GATE_ON, current: 3, observations: [0], recommendations: '[]' });
    expect(controller.sync(400, 0, [500])).toBe(0);
    expect(controller.lastDecision).toMatchObject({ reason: 'ScalingDisabled', scaledToZero: false });
  });
});

describe('NotScaledToZero on ordinary rescales (HPAScaleToZero on by default)', () => {
  const cases: Case[] = [
    {
      // TestScaleUpCM; readiness F,T,F does not matter for a Pods metric (only CPU pods are unreadied): 3 pods report
      name: 'unready and hot cpu pods scale to max with scaling limited condition',
      options: GATE_ON,
      spec: hpa(2, 6, [podsAverage('15.0')]),
      current: 3,
      ready: 3,
      observations: [podsAverageOf([50000, 15000, 30000])],
      replicas: 6,
      reason: 'TooManyReplicas',
      metricsComputed: true,
      scaledToZero: false,
    },
    {
      // TestScaleTimingBehavior; lastScaleTime now
      name: 'no backoff upscale custom metric only',
      options: GATE_ON,
      spec: hpa(1, 5, [podsAverage('15.0')]),
      current: 3,
      observations: [podsAverageOf([20000, 10000, 30000])],
      replicas: 4,
      ...OK,
      scaledToZero: false,
    },
    {
      name: 'no backoff upscale custom metric and CPU',
      options: GATE_ON,
      spec: hpa(1, 5, [cpu(10), podsAverage('15.0')]),
      current: 3,
      observations: [cpuUtilization([20000, 10000, 30000], [1000, 1000, 1000]), podsAverageOf([20000, 10000, 30000])],
      replicas: 5,
      reason: 'TooManyReplicas',
      metricsComputed: true,
      scaledToZero: false,
    },
  ];
  test.each(cases)('$name', run);
});

describe('TestConvertDesiredReplicasWithRules through a sync (no behavior)', () => {
  // The pure function's inputs (current, desired, min, max) reached through sync: desired is a Pods proposal
  // (target 10, observation 10 x desired / current); rows that go down need the empty recommendation memory.
  const row = (current: number, desired: number, min: number, max: number): Row => ({
    spec: hpa(min, max, [podsAverage('10')]),
    options: GATE_ON,
    current,
    observations: [(10 * desired) / current],
    recommendations: desired < current ? '[]' : 'nil',
  });
  test.each([
    [5, 7, 3, 8, 7, 'DesiredWithinRange'],
    [3, 1, 2, 8, 2, 'TooFewReplicas'],
    [1, 0, 0, 10, 0, 'DesiredWithinRange'],
  ])('current %d, desired %d, min %d, max %d -> %d %s', (current, desired, min, max, expected, reason) => {
    const { replicas, decision } = reconcile(row(current, desired, min, max));
    expect(decision.metricReplicas).toBe(desired);
    expect([replicas, decision.reason]).toEqual([expected, reason]);
  });

  test('current 20, desired 1000, min 1, max 10 -> 10: through reconcile the above-max path answers first', () => {
    // The pure function says TooManyReplicas; reconcileAutoscaler never reaches it with current > max.
    const { replicas, decision } = reconcile(row(20, 1000, 1, 10));
    expect([replicas, decision.reason]).toEqual([10, ABOVE_MAX]);
  });

  test('current 3, desired 1000, min 1, max 2000 -> calculateScaleUpLimit(3) ScaleUpLimit', () => {
    // 24 with upstream's test factor 8; max(2 * 3, 4) = 6 with the production factor our controller uses.
    const { replicas, decision } = reconcile(row(3, 1000, 1, 2000));
    expect([replicas, decision.reason]).toEqual([6, 'ScaleUpLimit']);
  });
});

describe('TestScalingWithRules through a sync (zero rows)', () => {
  // convertDesiredReplicasWithBehaviorRate alone: both stabilization windows 0 so that stabilization passes the
  // proposal through. The harness' scale-down events are made by the controller itself: a sync at maxReplicas + k
  // is scaled to maxReplicas without reading metrics, a scale-down event of k.
  const spec = (min: number, max: number, scaleDownPolicies?: any[]) => hpa(min, max, [podsAverage('10')], {
    scaleUp: { stabilizationWindowSeconds: 0 },
    scaleDown: { stabilizationWindowSeconds: 0, ...(scaleDownPolicies ? { policies: scaleDownPolicies } : {}) },
  });
  const withDownEvents = (controller: HpaController, max: number, events: number[]) => {
    events.forEach((k, i) => expect(controller.sync(i * 10, max + k, [0])).toBe(max));
    return events.length * 10;
  };

  test('current 1, desired 0, min 0, max 10 (default rules) -> 0 DesiredWithinRange', () => {
    const c = new HpaController(spec(0, 10), GATE_ON);
    expect(c.sync(0, 1, [0])).toBe(0);
    expect(c.lastDecision?.reason).toBe('DesiredWithinRange');
  });

  test('current 10, desired 0, min 1, max 1000, scale-down Pods 100/60s -> 1 TooFewReplicas', () => {
    const c = new HpaController(spec(1, 1000, [{ type: 'Pods', value: 100, periodSeconds: 60 }]), GATE_ON);
    expect(c.sync(0, 10, [0])).toBe(1);
    expect(c.lastDecision?.reason).toBe('TooFewReplicas');
  });

  test.each([
    ['Pods 115/120s, down events 1, 5, 9', 1, 'TooFewReplicas', { type: 'Pods', value: 115, periodSeconds: 120 }, [1, 5, 9]],
    ['Percent 50/120s, down events 2, 4, 6', 56, 'ScaleDownLimit', { type: 'Percent', value: 50, periodSeconds: 120 }, [2, 4, 6]],
    ['Percent 10/120s, down events 10, 10, 10', 100, 'ScaleDownLimit', { type: 'Percent', value: 10, periodSeconds: 120 }, [10, 10, 10]],
  ])('current 100, desired 0, min 1, %s -> %d %s', (_name, expected, reason, policy, events) => {
    const c = new HpaController(spec(1, 1000, [policy]), GATE_ON);
    const now = withDownEvents(c, 1000, events as number[]);
    expect(c.sync(now, 100, [0])).toBe(expected);
    expect(c.lastDecision?.reason).toBe(reason);
  });
});

describe('version rules at zero replicas', () => {
  const object = (min: number, behavior?: any) => hpa(min, 10, [externalValue('10')], behavior);

  test('before 1.36 a target at zero with minReplicas 0 is scaled from its metrics, without any condition', () => {
    for (const options of [{}, { kubernetesVersion: '1.35', featureGates: { HPAScaleToZero: true } }, { kubernetesVersion: '1.30' }]) {
      const c = new HpaController(object(0), options);
      expect(c.sync(0, 0, [25])).toBe(3);
      expect(c.lastDecision?.scaledToZero).toBeUndefined();
      expect(c.sync(15, 0, [0])).toBe(3); // the recommendation of 3 holds for the 5-minute window
      expect(c.sync(316, 0, [0])).toBe(0);
      expect(c.lastDecision?.reason).toBe('DesiredWithinRange');
    }
  });

  test('before 1.36 a target at zero with minReplicas 1 or more stays there (ScalingDisabled)', () => {
    const c = new HpaController(object(1), { kubernetesVersion: '1.35', scaledToZero: true });
    expect(c.sync(0, 0, [25])).toBe(0);
    // the old controller neither reads nor writes the condition
    expect(c.lastDecision).toMatchObject({ reason: 'ScalingDisabled', scaledToZero: true });
  });

  test('1.36 with the gate at its default (off): disabled at zero, the condition removed', () => {
    const c = new HpaController(object(0), { kubernetesVersion: '1.36', scaledToZero: true });
    expect(c.sync(0, 0, [25])).toBe(0);
    expect(c.lastDecision).toMatchObject({ reason: 'ScalingDisabled', scaledToZero: undefined });
  });

  test('1.36 with HPAScaleToZero on behaves as 1.37', () => {
    const c = new HpaController(object(0), { kubernetesVersion: '1.36', featureGates: { HPAScaleToZero: true } });
    expect(c.sync(0, 3, [0])).toBe(3); // the initial recommendation (3) holds for 5 minutes
    expect(c.sync(301, 3, [0])).toBe(0);
    expect(c.lastDecision?.scaledToZero).toBe(true);
    expect(c.sync(316, 0, [25])).toBe(3);
    expect(c.lastDecision).toMatchObject({ scaledToZero: false, reason: 'DesiredWithinRange', metricProposals: [3] });
  });

  test('a condition False at zero (or none) leaves the target there with the gate on', () => {
    for (const scaledToZero of [false, undefined]) {
      const c = new HpaController(object(0), { ...GATE_ON, scaledToZero });
      expect(c.sync(0, 0, [25])).toBe(0);
      expect(c.lastDecision).toMatchObject({ reason: 'ScalingDisabled', scaledToZero });
    }
  });

  test('scalesFromZero tells whether the controller can wake its target', () => {
    expect(new HpaController(object(0), GATE_ON).scalesFromZero).toBe(true);
    expect(new HpaController(object(0)).scalesFromZero).toBe(true); // 1.35: the old rule
    expect(new HpaController(object(0), GATE_OFF).scalesFromZero).toBe(false);
    expect(new HpaController(object(1), GATE_ON).scalesFromZero).toBe(false);
    expect(new HpaController(hpa(0, 10, [cpu(50)]), GATE_ON).scalesFromZero).toBe(false);
  });
});

describe('consequences of the code no upstream row pins (notes §8-§9)', () => {
  const external = (min: number, behavior?: any, metrics = [externalValue('10')]) => hpa(min, 10, metrics, behavior);
  const parked = { ...GATE_ON, scaledToZero: true };

  test('scale-up from zero is capped at 4 in the first step without behavior: max(2 x 0, 4)', () => {
    const c = new HpaController(external(0), parked);
    expect(c.sync(0, 0, [100])).toBe(4);
    expect(c.lastDecision).toMatchObject({ metricReplicas: 10, reason: 'ScaleUpLimit', scaledToZero: false });
  });

  test('with the default behavior: 4 pods from zero, or max(N + 4, 2N) within 15 s of scaling N to zero', () => {
    const fresh = new HpaController(external(0, {}), parked);
    expect(fresh.sync(0, 0, [100])).toBe(4);
    const c = new HpaController(external(0, { scaleDown: { stabilizationWindowSeconds: 0 } }), GATE_ON);
    expect(c.sync(0, 3, [0])).toBe(0); // Percent 100/15s allows 3 -> 0 in one step
    expect(c.lastDecision?.scaledToZero).toBe(true);
    expect(c.sync(10, 0, [100])).toBe(7); // the scale-down event of 3 is inside the period: max(3 + 4, 2 x 3)
  });

  test('a Percent-only scale-up policy cannot leave zero (the condition stays)', () => {
    const c = new HpaController(external(0, { scaleUp: { policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }] } }), parked);
    expect(c.sync(0, 0, [100])).toBe(0);
    expect(c.lastDecision).toMatchObject({ reason: 'ScaleUpLimit', scaledToZero: true, metricReplicas: 10 });
  });

  test('a raised minReplicas lifts a parked target past a limit that holds it at zero (the post-normalize clamp)', () => {
    const c = new HpaController(external(2, { scaleUp: { policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }] } }), parked);
    expect(c.sync(0, 0, [100])).toBe(2);
    expect(c.lastDecision).toMatchObject({ reason: BELOW_MIN, scaledToZero: false, stabilizedReplicas: 10 });
  });

  test('parked with a raised minReplicas and only a CPU metric left: no samples, stays at zero, condition kept', () => {
    const c = new HpaController(hpa(2, 10, [cpu(50)]), parked);
    expect(c.sync(0, 0, [80])).toBe(0);
    expect(c.lastDecision).toMatchObject({ reason: 'FailedComputeMetricsReplicas', scaledToZero: true, metricProposals: [-1] });
  });

  test('parked with minReplicas 0 but no Object or External metric any more: disabled, condition kept', () => {
    const c = new HpaController(hpa(0, 10, [cpu(50)]), parked);
    expect(c.sync(0, 0, [80])).toBe(0);
    expect(c.lastDecision).toMatchObject({ reason: 'ScalingDisabled', scaledToZero: true });
  });

  test('at zero a CPU metric has no samples and the External metric wakes the target', () => {
    const c = new HpaController(external(0, undefined, [cpu(50), externalValue('10')]), parked);
    expect(c.sync(0, 0, [90, 15])).toBe(2);
    expect(c.lastDecision?.metricProposals).toEqual([-1, 2]);
  });

  test('Value targets at zero: ceil(usage / target) without tolerance; AverageValue: ceil(usage / target)', () => {
    const at = (metric: any, observation: string) => {
      const c = new HpaController(hpa(0, 100, [metric]), parked);
      c.sync(0, 0, [observation]);
      return c.lastDecision!.metricProposals[0];
    };
    expect(at(externalValue('10'), '10')).toBe(1);
    expect(at(externalValue('10'), '10001m')).toBe(2);
    expect(at(externalValue('10'), '0')).toBe(0);
    expect(at(objectAverage('10'), '95')).toBe(10);
    expect(at(externalAverage('10'), '0')).toBe(0);
  });

  test('while parked, a zero proposal stores a recommendation of 0 and keeps the condition', () => {
    const c = new HpaController(external(0), parked);
    expect(c.sync(0, 0, [0])).toBe(0);
    expect(c.lastDecision).toMatchObject({ reason: 'DesiredWithinRange', scaledToZero: true, metricReplicas: 0 });
  });

  test('a failed metric while parked: no scaling, condition kept, retried at the next sync', () => {
    const c = new HpaController(external(0), parked);
    expect(c.sync(0, 0, [null])).toBe(0);
    expect(c.lastDecision).toMatchObject({ reason: 'FailedComputeMetricsReplicas', scaledToZero: true });
    expect(c.sync(15, 0, [5])).toBe(1);
  });

  test('the disabled branch stores no recommendation: a target scaled up by hand afterwards scales down at once', () => {
    const c = new HpaController(external(0), GATE_ON);
    expect(c.sync(0, 0, [1000])).toBe(0); // ScalingDisabled: the 100 the metric asks for is not remembered
    expect(c.sync(10, 3, [0])).toBe(0); // only the initial recommendation (0) is in the window
    expect(c.lastDecision?.scaledToZero).toBe(true);
  });

  test('waking from zero records a scale-up event for the rate limits', () => {
    const c = new HpaController(external(0, { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } }), parked);
    expect(c.sync(0, 0, [100])).toBe(1);
    expect(c.sync(15, 1, [100])).toBe(1); // the 0 -> 1 event is inside the 60 s period
    expect(c.lastDecision?.reason).toBe('ScaleUpLimit');
    expect(c.sync(60, 1, [100])).toBe(2);
  });

  test('going to zero obeys the downscale stabilization: every recommendation in the window must be 0', () => {
    const c = new HpaController(external(0), GATE_ON);
    expect(c.sync(0, 2, [10])).toBe(2); // within the tolerance: recommendation 2
    expect(c.sync(15, 2, [0])).toBe(2);
    expect(c.sync(300, 2, [0])).toBe(2); // the recommendations of t=0 are at the window's edge: still counted
    expect(c.sync(301, 2, [0])).toBe(0);
    expect(c.lastDecision?.scaledToZero).toBe(true);
  });
});
