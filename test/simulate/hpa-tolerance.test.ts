/**
 * Tolerances (KEP-4951, `HPAConfigurableTolerance`) and the replica calculator's zero and tolerance rows: the rows of
 * upstream's horizontal_test.go (TestTolerance, TestConfigurableTolerance) and replica_calculator_test.go (1.37
 * cycle), mapped as `upstream-harness.ts` says. The replica calculator's rows are read from the decision's
 * `metricProposals` (the calculator's answer before stabilization and limits).
 */
import {
  cpu, cpuUtilization, expectOutcome, externalAverage, externalValue, GATE_ON, hpa, milli, objectAverage, objectValue, podsAverage,
  podsAverageOf, reconcile,
} from './upstream-harness';
import { HpaController, HpaControllerOptions } from '../../src/simulate/hpa-controller';

const MAX_INT32 = 2147483647;
const MAX_INT64 = 9223372036854775807n;
/**
 * The largest target our spec check accepts (9.2e18 milli-units): upstream's rows use MaxInt64 milli, which the check
 * refuses (above what float64 keeps of an int64 quantity). The ratio MaxInt64 / HUGE_TARGET = 1.0025 is within the
 * tolerance as MaxInt64 / MaxInt64 is, so the rows keep their meaning.
 */
const HUGE_TARGET = '9200000000000000';

describe('TestTolerance (no scale update; AbleToScale ReadyForNewScale, ValidMetricFound, DesiredWithinRange)', () => {
  const noChange = { reason: 'DesiredWithinRange', metricsComputed: true, scaledToZero: undefined };
  test.each([
    ['CPU resource metric within tolerance', hpa(1, 5, [cpu(100)]), 3, cpuUtilization([1010, 1030, 1020], [900, 1000, 1100])],
    ['pods metric within tolerance', hpa(1, 5, [podsAverage('20.0')]), 3, podsAverageOf([20000, 20001, 21000])],
    ['object metric with value target within tolerance', hpa(1, 5, [objectValue('20.0')]), 3, milli(20050)],
    ['external metric with value target within tolerance', hpa(2, 6, [externalValue('8666m')]), 4, milli(8600)],
    ['per-pod object metric with average value target within tolerance', hpa(2, 6, [objectAverage('2200m')]), 4, milli(8600)],
    ['per-pod external metric with average value target within tolerance', hpa(2, 6, [externalAverage('2200m')]), 4, milli(8600)],
  ])('%s', (_name, spec, current, observation) => {
    expectOutcome(reconcile({ spec, options: GATE_ON, current, observations: [observation] }), { replicas: current, ...noChange });
  });
});

describe('TestConfigurableTolerance (min 1, max 5, 3 pods, CPU 100%)', () => {
  const spec = (behavior?: any) => hpa(1, 5, [cpu(100)], behavior);
  const slightlyHot = cpuUtilization([1010, 1030, 1020], [900, 1000, 1100]); // 102
  const cool = cpuUtilization([300, 300, 300], [1000, 1000, 1000]); // 30

  test('scaling up because of a 1% configurable tolerance', () => {
    // [AbleToScale/True/SucceededRescale, ScalingActive/True/ValidMetricFound, ScalingLimited/False/DesiredWithinRange, ScaledToZero/False/NotScaledToZero]
    const result = reconcile({ spec: spec({ scaleUp: { tolerance: '0.01' } }), options: GATE_ON, current: 3, observations: [slightlyHot] });
    expectOutcome(result, { replicas: 4, reason: 'DesiredWithinRange', metricsComputed: true, scaledToZero: false });
  });

  test('no scale-down because of a 90% configurable tolerance', () => {
    const result = reconcile({ spec: spec({ scaleDown: { tolerance: '0.9' } }), options: GATE_ON, current: 3, observations: [cool] });
    expectOutcome(result, { replicas: 3, reason: 'DesiredWithinRange', metricsComputed: true, scaledToZero: undefined });
  });

  test('no scaling because of the large default tolerance', () => {
    const result = reconcile({ spec: spec(), options: GATE_ON, current: 3, observations: [slightlyHot] });
    expectOutcome(result, { replicas: 3, reason: 'DesiredWithinRange', metricsComputed: true, scaledToZero: undefined });
  });

  test('no scaling because the configurable tolerance is ignored when feature gate is disabled (emulated 1.36)', () => {
    const options = { kubernetesVersion: '1.36', featureGates: { HPAConfigurableTolerance: false } };
    const result = reconcile({ spec: spec({ scaleUp: { tolerance: '0.01' } }), options, current: 3, observations: [slightlyHot] });
    expectOutcome(result, { replicas: 3, reason: 'DesiredWithinRange', metricsComputed: true, scaledToZero: undefined });
  });

  test('the gate cannot be disabled on 1.37 (GA, locked), as the test\'s emulated 1.36 says', () => {
    expect(() => new HpaController(spec(), { kubernetesVersion: '1.37', featureGates: { HPAConfigurableTolerance: false } }))
      .toThrow(/\[HpaController\] featureGates\.HPAConfigurableTolerance=false: cannot be disabled in Kubernetes 1\.37/);
  });
});

describe('tolerance by version', () => {
  const spec = hpa(1, 20, [cpu(100)], { scaleUp: { tolerance: '0.01' } });
  test.each([
    ['1.33', 10], // alpha, off
    ['1.34', 10],
    ['1.35', 11], // beta, on
    ['1.36', 11],
    ['1.37', 11], // GA
  ])('Kubernetes %s: a 1%% scale-up tolerance at 105%% of target from 10 pods -> %d', (kubernetesVersion, expected) => {
    expect(new HpaController(spec, { kubernetesVersion }).sync(0, 10, [105])).toBe(expected);
  });

  test('an alpha gate can be enabled early', () => {
    expect(new HpaController(spec, { kubernetesVersion: '1.33', featureGates: { HPAConfigurableTolerance: true } }).sync(0, 10, [105])).toBe(11);
  });

  test('a gate that does not exist yet cannot be enabled', () => {
    expect(() => new HpaController(spec, { kubernetesVersion: '1.32', featureGates: { HPAConfigurableTolerance: true } }))
      .toThrow(/\[HpaController\] featureGates\.HPAConfigurableTolerance=true: does not exist in Kubernetes 1\.32/);
  });

  test('a bad version is reported on the option', () => {
    expect(() => new HpaController(spec, { kubernetesVersion: '2.0' })).toThrow(/\[HpaController\] kubernetesVersion="2\.0"/);
  });
});

/** One replica calculator call through a sync: the metric's proposal. */
function proposal(metric: any, current: number, observation: string, options: HpaControllerOptions = GATE_ON, ready?: number): number {
  const parkedAtZero = current === 0;
  const c = new HpaController(hpa(parkedAtZero ? 0 : 1, MAX_INT32, [metric]), { ...options, ...(parkedAtZero ? { scaledToZero: true } : {}) });
  c.sync(0, current, [observation], ready);
  return c.lastDecision!.metricProposals[0];
}

/** `tolerances: &Tolerances{scaleDown, scaleUp}` of a replica calculator row, as the HPA's behavior. */
const tolerances = (scaleDown: number, scaleUp: number) => ({ scaleDown: { tolerance: String(scaleDown) }, scaleUp: { tolerance: String(scaleUp) } });
const withTolerances = (metric: any, scaleDown: number, scaleUp: number) => ({ metric, behavior: tolerances(scaleDown, scaleUp) });

/** A calculator row with custom tolerances. */
function proposalWithTolerances(metric: any, scaleDown: number, scaleUp: number, current: number, observation: string, ready?: number): number {
  const { behavior } = withTolerances(metric, scaleDown, scaleUp);
  const c = new HpaController(hpa(1, MAX_INT32, [metric], behavior), GATE_ON);
  c.sync(0, current, [observation], ready);
  return c.lastDecision!.metricProposals[0];
}

describe('replica_calculator_test: GetExternalPerPodMetricReplicas', () => {
  // At 0 status replicas the HPA must be parked at zero (1.37, ScaledToZero True, minReplicas 0) for the metric to be
  // computed. The reported per-pod usage (0 here, `getPerPodUsage`) is status, not part of our API.
  test('statusReplicas zero does not overflow usage', () => expect(proposal(externalAverage('5000m'), 0, milli(20000))).toBe(4));
  test('statusReplicas zero and metric zero does not underflow', () => expect(proposal(externalAverage('5000m'), 0, milli(0))).toBe(0));
  test('replica count overflow saturates to MaxInt32', () => expect(proposal(externalAverage('1m'), 1, milli(MAX_INT64))).toBe(MAX_INT32));
  test('usage overflow with huge target leaves replicas unchanged', () => expect(proposal(externalAverage(HUGE_TARGET), 1, milli(MAX_INT64))).toBe(1));
  test('scale up', () => expect(proposal(externalAverage('2150m'), 3, milli(8600))).toBe(4));
  test('scale down', () => expect(proposal(externalAverage('2867m'), 5, milli(8600))).toBe(3));
  test('within default tolerance', () => expect(proposal(externalAverage('2900m'), 3, milli(8600))).toBe(3));
  test('outside configurable 1% tolerance', () => expect(proposalWithTolerances(externalAverage('2800m'), 0.1, 0.01, 3, milli(8600))).toBe(4));
});

describe('replica_calculator_test: GetObjectPerPodMetricReplicas', () => {
  test('statusReplicas zero does not overflow usage', () => expect(proposal(objectAverage('5000m'), 0, milli(20000))).toBe(4));
  test('statusReplicas zero and metric zero does not underflow', () => expect(proposal(objectAverage('5000m'), 0, milli(0))).toBe(0));
  test('usage overflow with huge target leaves replicas unchanged', () => expect(proposal(objectAverage(HUGE_TARGET), 1, milli(MAX_INT64))).toBe(1));
  test('scale up', () => expect(proposal(objectAverage('5000m'), 3, milli(20000))).toBe(4));
  test('scale down', () => expect(proposal(objectAverage('2000m'), 5, milli(6000))).toBe(3));
  test('within default tolerance', () => expect(proposal(objectAverage('5000m'), 4, milli(20166))).toBe(4));
  test('outside configurable 1% tolerance', () => expect(proposalWithTolerances(objectAverage('5000m'), 0.1, 0.01, 4, milli(20208))).toBe(5));
});

describe('replica_calculator_test: GetObjectMetricReplicas (Value)', () => {
  test('scale up', () => expect(proposal(objectValue('15000m'), 3, milli(20000))).toBe(4));
  test('very large metric saturates', () => expect(proposal(objectValue('1m'), 3, milli(MAX_INT64))).toBe(MAX_INT32));
  // readiness F,T,F: one ready pod; 5.0 x 1
  test('scale up: ignores unready pods', () => expect(proposal(objectValue('10000m'), 3, milli(50000), GATE_ON, 1)).toBe(5));
  test('scale down', () => expect(proposal(objectValue('20000m'), 5, milli(12000))).toBe(3));
  test('within default tolerance', () => expect(proposal(objectValue('20000m'), 3, milli(20666))).toBe(3));
  test('outside configurable 1% tolerance', () => expect(proposalWithTolerances(objectValue('20000m'), 0.1, 0.01, 3, milli(20666))).toBe(4));
});

describe('replica_calculator_test: GetExternalMetricReplicas (Value)', () => {
  // readiness F,T,F: ceil(8600 / 4400 x 1) = 2
  test('scale down: ignores unready pods (would otherwise scale up)', () => expect(proposal(externalValue('4400m'), 3, milli(8600), GATE_ON, 1)).toBe(2));
  test('scale down', () => expect(proposal(externalValue('14334m'), 5, milli(8600))).toBe(3));
  test('within default tolerance', () => expect(proposal(externalValue('8888m'), 3, milli(8600))).toBe(3));
  test('outside configurable 1% tolerance', () => expect(proposalWithTolerances(externalValue('8800m'), 0.1, 0.01, 3, milli(8900))).toBe(4));
  // Two samples of MaxInt64/2+1 each: the metrics client caps their sum at MaxInt64. Our observation is the total the
  // caller computed (summing and capping series is the metrics side's job): the capped total gives the same answer.
  test('usage overflow caps at MaxInt64', () => expect(proposal(externalValue(HUGE_TARGET), 3, milli(MAX_INT64))).toBe(3));
});

describe('replica_calculator_test: GetMetricReplicas (Pods)', () => {
  const levels = [20000, 21000, 21000];
  test('within default tolerance', () => expect(proposal(podsAverage('20000m'), 3, podsAverageOf(levels))).toBe(3));
  test('outside configurable 1% tolerance', () => expect(proposalWithTolerances(podsAverage('20000m'), 0.1, 0.01, 3, podsAverageOf(levels))).toBe(4));
});

describe('replica_calculator_test: TestReplicaCalcResourceTolerance (3 pods, requests 0.9/1.0/1.1, target 100%)', () => {
  const requests = [900, 1000, 1100];
  test('within default tolerance', () => expect(proposal(cpu(100), 3, String(cpuUtilization([1010, 1030, 1020], requests)))).toBe(3));
  test.each([
    ['outside 0% tolerance', 0, 0, [909, 1010, 1111], 4],
    ['within 200% scale-up tolerance', 0.1, 2.0, [1890, 1910, 1900], 3],
    ['outside 8% scale-up tolerance (superfluous scale-down tolerance)', 2.0, 0.08, [1100, 1080, 1090], 4],
    ['within 36% scale-down tolerance', 0.36, 0.1, [660, 640, 650], 3],
    ['outside 34% scale-down tolerance', 0.34, 0.1, [660, 640, 650], 2],
  ])('%s', (_name, scaleDown, scaleUp, levels, expected) => {
    expect(proposalWithTolerances(cpu(100), scaleDown, scaleUp, 3, String(cpuUtilization(levels, requests)))).toBe(expected);
  });
});

describe('replica_calculator_test: TestReplicaCalcComputedToleranceAlgImplementation', () => {
  // 10 pods at 150m, requests 300m each (jittered +-100/10/2/1, summing to 3000m): utilization 50%.
  const startPods = 10;
  const requestedToUsed = 2;
  const utilization = cpuUtilization(new Array(10).fill(150), [400, 200, 310, 290, 302, 298, 301, 299, 300, 300]);

  test('a target just outside the 10% band scales down to ceil(usedRatio x 10)', () => {
    const target = Math.abs(1 / (requestedToUsed * (1 - 0.1))) + 0.01;
    const finalCpuPercentTarget = Math.trunc(target * 100); // 56
    const resourcesUsedRatio = 1500 / (3000 * target);
    const finalPods = Math.ceil(resourcesUsedRatio * startPods); // 9
    expect(proposal(cpu(finalCpuPercentTarget), startPods, String(utilization))).toBe(finalPods);
  });

  test('a target just inside the band keeps the pods', () => {
    const target = Math.abs(1 / (requestedToUsed * (1 - 0.1))) + 0.004;
    expect(proposal(cpu(Math.trunc(target * 100)), startPods, String(utilization))).toBe(startPods);
  });
});

// TestGetPerPodUsage ((20000, 0) -> 0; (1000, 3) -> 334; (MaxInt64, 1) -> MaxInt64) is about the usage reported in the
// HPA's status, which our API does not report: not expressible.
