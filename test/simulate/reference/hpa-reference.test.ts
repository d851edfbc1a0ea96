/**
 * The reference model against upstream's own test tables (horizontal_test.go, replica_calculator_test.go
 * of pkg/controller/podautoscaler, transcribed), so that the model used to check HpaController is
 * itself checked against the Go expectations. Rows that omit `hpaScaleToZero` upstream run with the gate OFF.
 */
import { resolveReferenceGates } from './go-feature-gates';
import { goApproximateFloat64, goMilliValue, parseGoQuantity } from './go-quantity';
import { HorizontalPodAutoscalerCondition, ReferenceHpa, ReferenceOptions } from './hpa-reference';

const ON: ReferenceOptions = { kubernetesVersion: '1.37', featureGates: { HPAScaleToZero: true }, scaleUpLimitFactor: 8 };
const OFF: ReferenceOptions = { kubernetesVersion: '1.37', featureGates: { HPAScaleToZero: false }, scaleUpLimitFactor: 8 };
const NO_RECS = { initialRecommendations: [] };

function cond(type: string, status: 'True' | 'False', reason: string): HorizontalPodAutoscalerCondition {
  return { type, status, reason };
}
const SCALED_TO_ZERO_TRUE = [cond('ScaledToZero', 'True', 'ScaledToZero')];
const STATUS_OK = [
  cond('AbleToScale', 'True', 'SucceededRescale'),
  cond('ScalingActive', 'True', 'ValidMetricFound'),
  cond('ScalingLimited', 'False', 'DesiredWithinRange'),
];
const DISABLED = [cond('AbleToScale', 'True', 'SucceededGetScale'), cond('ScalingActive', 'False', 'ScalingDisabled')];
const NOT_SCALED_TO_ZERO = cond('ScaledToZero', 'False', 'NotScaledToZero');

function objectValue(value: string) {
  return { type: 'Object', object: { describedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'some-deployment' }, metric: { name: 'qps' }, target: { type: 'Value', value } } };
}
function objectAverage(averageValue: string) {
  return { type: 'Object', object: { describedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'some-deployment' }, metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue } } };
}
function externalValue(value: string) {
  return { type: 'External', external: { metric: { name: 'qps', selector: {} }, target: { type: 'Value', value } } };
}
function externalAverage(averageValue: string) {
  return { type: 'External', external: { metric: { name: 'qps', selector: {} }, target: { type: 'AverageValue', averageValue } } };
}
function cpu(averageUtilization: number) {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } };
}
function podsAverage(averageValue: string) {
  return { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue } } };
}

function run(spec: any, options: ReferenceOptions, specReplicas: number, observations: (number | string | null)[], readyPods?: number) {
  return new ReferenceHpa(spec, options).reconcile(1000, specReplicas, observations, readyPods);
}

describe('reference model: quantities', () => {
  test('MilliValue rounds up', () => {
    expect(goMilliValue(parseGoQuantity('15.0'))).toBe(15000);
    expect(goMilliValue(parseGoQuantity('6666m'))).toBe(6666);
    expect(goMilliValue(parseGoQuantity('1.0001'))).toBe(1001);
    expect(goMilliValue(parseGoQuantity('2k'))).toBe(2_000_000);
    expect(goMilliValue(parseGoQuantity('1Ki'))).toBe(1_024_000);
    expect(goMilliValue(parseGoQuantity(3.333))).toBe(3333);
    expect(goMilliValue(parseGoQuantity('1e3'))).toBe(1_000_000);
  });

  test('AsApproximateFloat64 of the canonical form', () => {
    expect(goApproximateFloat64(parseGoQuantity('0.05'))).toBe(50 * (1 / 1000));
    expect(goApproximateFloat64(parseGoQuantity('50m'))).toBe(50 * (1 / 1000));
    expect(goApproximateFloat64(parseGoQuantity('0.5'))).toBe(0.5);
    expect(goApproximateFloat64(parseGoQuantity('1'))).toBe(1);
    expect(goApproximateFloat64(parseGoQuantity('0'))).toBe(0);
    expect(goApproximateFloat64(parseGoQuantity('2.0'))).toBe(2);
  });
});

describe('reference model: feature gates', () => {
  test('defaults per minor', () => {
    expect(resolveReferenceGates(34)).toEqual({ HPAScaleToZero: false, HPAConfigurableTolerance: false });
    expect(resolveReferenceGates(35)).toEqual({ HPAScaleToZero: false, HPAConfigurableTolerance: true });
    expect(resolveReferenceGates(36)).toEqual({ HPAScaleToZero: false, HPAConfigurableTolerance: true });
    expect(resolveReferenceGates(37)).toEqual({ HPAScaleToZero: true, HPAConfigurableTolerance: true });
    expect(resolveReferenceGates(33, { HPAConfigurableTolerance: true }).HPAConfigurableTolerance).toBe(true);
    expect(() => resolveReferenceGates(37, { HPAConfigurableTolerance: false })).toThrow(/locked/);
  });
});

describe('reference model: TestScaleUpCMObject', () => {
  test('1 scale up object metric with value target (gate off)', () => {
    const d = run({ minReplicas: 2, maxReplicas: 6, metrics: [objectValue('15.0')] }, OFF, 3, [20]);
    expect(d.replicas).toBe(4);
  });
  test('2 scale up from zero with HPAScaleToZero enabled', () => {
    const d = run({ minReplicas: 0, maxReplicas: 6, metrics: [objectValue('15.0')] }, { ...ON, initialConditions: SCALED_TO_ZERO_TRUE }, 0, [20]);
    expect(d.replicas).toBe(2);
    expect(d.conditions).toEqual([NOT_SCALED_TO_ZERO, ...STATUS_OK]);
  });
  test('3 scale up from zero with HPAScaleToZero disabled', () => {
    const d = run({ minReplicas: 0, maxReplicas: 6, metrics: [objectValue('15.0')] }, { ...OFF, initialConditions: SCALED_TO_ZERO_TRUE }, 0, [20]);
    expect(d.replicas).toBe(0);
    expect(d.rescaled).toBe(false);
    expect(d.conditions).toEqual(DISABLED);
  });
  test('4 scale up from zero ignores tolerance with HPAScaleToZero enabled', () => {
    const d = run({ minReplicas: 0, maxReplicas: 6, metrics: [objectValue('1.0')] }, { ...ON, initialConditions: SCALED_TO_ZERO_TRUE }, 0, [1]);
    expect(d.replicas).toBe(1);
    expect(d.conditions).toEqual([NOT_SCALED_TO_ZERO, ...STATUS_OK]);
  });
  test('5 scale up from zero ignores tolerance with HPAScaleToZero disabled', () => {
    const d = run({ minReplicas: 0, maxReplicas: 6, metrics: [objectValue('1.0')] }, { ...OFF, initialConditions: SCALED_TO_ZERO_TRUE }, 0, [1]);
    expect(d.replicas).toBe(0);
    expect(d.conditions).toEqual(DISABLED);
  });
  test('6 scale up per-pod object metric with average value target', () => {
    const d = run({ minReplicas: 2, maxReplicas: 6, metrics: [objectAverage('10000m')] }, OFF, 3, [40]);
    expect(d.replicas).toBe(4);
  });
});

describe('reference model: TestScaleWithOneInvalidMetric', () => {
  const spec = { minReplicas: 0, maxReplicas: 6, metrics: [cpu(30), { type: 'CheddarCheese' }] };
  test('1 scale up with one invalid metric', () => {
    const d = run({ minReplicas: 2, maxReplicas: 6, metrics: [cpu(30), { type: 'CheddarCheese' }] }, OFF, 3, [40, null]);
    expect(d.replicas).toBe(4);
    expect(d.error).toMatch(/invalid metrics \(1 invalid out of 2\)/);
  });
  test.each([ON, OFF])('2/3 from zero with invalid metric', (options) => {
    const d = run(spec, options, 0, [null, null]);
    expect(d.replicas).toBe(0);
    expect(d.error).toBeUndefined();
    expect(d.conditions).toEqual(DISABLED);
  });
});

describe('reference model: TestScaleDownCM', () => {
  test('1 scale down pods metric', () => {
    expect(run({ minReplicas: 2, maxReplicas: 6, metrics: [podsAverage('20000m')] }, { ...OFF, ...NO_RECS }, 5, [12]).replicas).toBe(3);
  });
  test('2 scale down object metric with value target', () => {
    expect(run({ minReplicas: 2, maxReplicas: 6, metrics: [objectValue('20')] }, { ...OFF, ...NO_RECS }, 5, [12]).replicas).toBe(3);
  });
  test.each([
    ['3 object, enabled', objectValue('20000m'), ON, [...STATUS_OK, cond('ScaledToZero', 'True', 'ScaledToZero')]],
    ['4 object, disabled', objectValue('20000m'), OFF, STATUS_OK],
    ['7 external, enabled', externalValue('14400m'), ON, [...STATUS_OK, cond('ScaledToZero', 'True', 'ScaledToZero')]],
    ['8 external, disabled', externalValue('14400m'), OFF, STATUS_OK],
  ])('%s: scale down to zero', (_name, metric, options, conditions) => {
    const d = run({ minReplicas: 0, maxReplicas: 6, metrics: [metric] }, { ...options, ...NO_RECS }, 5, [0]);
    expect(d.replicas).toBe(0);
    expect(d.conditions).toEqual(conditions);
  });
  test('5 scale down per-pod object metric with average value target', () => {
    expect(run({ minReplicas: 2, maxReplicas: 6, metrics: [objectAverage('20000m')] }, { ...OFF, ...NO_RECS }, 5, [60]).replicas).toBe(3);
  });
  test('6 scale down external metric with value target', () => {
    expect(run({ minReplicas: 2, maxReplicas: 6, metrics: [externalValue('14400m')] }, { ...OFF, ...NO_RECS }, 5, [8.6]).replicas).toBe(3);
  });
  test('9 scale down per-pod external metric with average value target', () => {
    expect(run({ minReplicas: 2, maxReplicas: 6, metrics: [externalAverage('3000m')] }, { ...OFF, ...NO_RECS }, 5, [8.6]).replicas).toBe(3);
  });
});

describe('reference model: TestScaleToZeroBehavior', () => {
  test.each([ON, OFF])('1/2 from zero without condition', (options) => {
    const d = run({ minReplicas: 0, maxReplicas: 6, metrics: [objectValue('15.0')] }, options, 0, [20]);
    expect(d.replicas).toBe(0);
    expect(d.conditions).toEqual(DISABLED);
  });
  test('3 minReplicas increased with ScaledToZero condition, enabled', () => {
    const d = run({ minReplicas: 2, maxReplicas: 6, metrics: [objectValue('15.0')] }, { ...ON, initialConditions: SCALED_TO_ZERO_TRUE }, 0, [10]);
    expect(d.replicas).toBe(2);
    expect(d.conditions).toEqual([
      NOT_SCALED_TO_ZERO,
      cond('AbleToScale', 'True', 'SucceededRescale'),
      cond('ScalingActive', 'True', 'ValidMetricFound'),
      cond('ScalingLimited', 'True', 'TooFewReplicas'),
    ]);
  });
  test('4 minReplicas increased with ScaledToZero condition, disabled', () => {
    const d = run({ minReplicas: 2, maxReplicas: 6, metrics: [objectValue('15.0')] }, { ...OFF, initialConditions: SCALED_TO_ZERO_TRUE }, 0, [10]);
    expect(d.replicas).toBe(0);
    expect(d.conditions).toEqual(DISABLED);
  });
  test('5 stale ScaledToZero condition cleared on normal rescale, enabled', () => {
    const d = run({ minReplicas: 1, maxReplicas: 6, metrics: [cpu(30)] }, { ...ON, initialConditions: SCALED_TO_ZERO_TRUE }, 3, [50]);
    expect(d.replicas).toBe(5);
    expect(d.conditions).toEqual([NOT_SCALED_TO_ZERO, ...STATUS_OK]);
  });
  test('6 stale ScaledToZero condition removed on normal rescale, disabled', () => {
    const d = run({ minReplicas: 1, maxReplicas: 6, metrics: [cpu(30)] }, { ...OFF, initialConditions: SCALED_TO_ZERO_TRUE }, 3, [50]);
    expect(d.replicas).toBe(5);
    expect(d.conditions).toEqual(STATUS_OK);
  });
  test.each([ON, OFF])('7/8 manual scale to zero disables HPA', (options) => {
    const d = run({ minReplicas: 1, maxReplicas: 6, metrics: [cpu(50)] }, options, 0, [null]);
    expect(d.replicas).toBe(0);
    expect(d.conditions).toEqual(DISABLED);
  });
  test('9 no ScaledToZero condition when HPAScaleToZero disabled', () => {
    const d = run({ minReplicas: 1, maxReplicas: 6, metrics: [cpu(30)] }, OFF, 3, [50]);
    expect(d.replicas).toBe(5);
    expect(d.conditions).toEqual(STATUS_OK);
  });
});

describe('reference model: TestReplicaLimits (gate default on at 1.37)', () => {
  const V137 = { kubernetesVersion: '1.37', scaleUpLimitFactor: 8 };
  test('2 scale down to zero when min replicas is zero (CPU only: NotScaledToZero)', () => {
    const d = run({ minReplicas: 0, maxReplicas: 5, metrics: [cpu(90)] }, { ...V137, ...NO_RECS }, 3, [0]);
    expect(d.replicas).toBe(0);
    expect(d.conditions).toEqual([...STATUS_OK, NOT_SCALED_TO_ZERO]);
  });
  test('4 no scaling when spec replicas is zero', () => {
    const d = run({ minReplicas: 3, maxReplicas: 5, metrics: [cpu(90)] }, V137, 0, [null]);
    expect(d.replicas).toBe(0);
    expect(d.conditions).toEqual(DISABLED);
  });
  test('5 scale up to min when below min replicas', () => {
    const d = run({ minReplicas: 3, maxReplicas: 5, metrics: [cpu(90)] }, V137, 2, [null]);
    expect(d.replicas).toBe(3);
    expect(d.conditions).toEqual([cond('AbleToScale', 'True', 'SucceededRescale'), NOT_SCALED_TO_ZERO]);
  });
  test('6 scale down to max when above max replicas', () => {
    const d = run({ minReplicas: 3, maxReplicas: 5, metrics: [cpu(90)] }, V137, 10, [null]);
    expect(d.replicas).toBe(5);
    expect(d.conditions).toEqual([cond('AbleToScale', 'True', 'SucceededRescale'), NOT_SCALED_TO_ZERO]);
  });
  test('9 upscale capped by scaling policy', () => {
    const behavior = { scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 700, periodSeconds: 60 }] } };
    // levels 100,200,300 of requests 100m each: utilization 200% against a target of 10%
    const d = run({ minReplicas: 1, maxReplicas: 100, metrics: [cpu(10)], behavior }, V137, 3, [200]);
    expect(d.replicas).toBe(24);
    expect(d.conditions).toEqual([...STATUS_OK.slice(0, 2), cond('ScalingLimited', 'True', 'ScaleUpLimit'), NOT_SCALED_TO_ZERO]);
  });
});

describe('reference model: TestTolerance and TestConfigurableTolerance', () => {
  const V137 = { kubernetesVersion: '1.37', scaleUpLimitFactor: 8 };
  const NOT_SCALED = [
    cond('AbleToScale', 'True', 'ReadyForNewScale'),
    cond('ScalingActive', 'True', 'ValidMetricFound'),
    cond('ScalingLimited', 'False', 'DesiredWithinRange'),
  ];
  test.each([
    ['CPU', { minReplicas: 1, maxReplicas: 5, metrics: [cpu(100)] }, 3, [102]],
    ['pods', { minReplicas: 1, maxReplicas: 5, metrics: [podsAverage('20000m')] }, 3, ['20333m']],
    ['object value', { minReplicas: 1, maxReplicas: 5, metrics: [objectValue('20000m')] }, 3, ['20050m']],
    ['external value', { minReplicas: 2, maxReplicas: 6, metrics: [externalValue('8666m')] }, 4, ['8600m']],
    ['object average', { minReplicas: 2, maxReplicas: 6, metrics: [objectAverage('2200m')] }, 4, ['8600m']],
    ['external average', { minReplicas: 2, maxReplicas: 6, metrics: [externalAverage('2200m')] }, 4, ['8600m']],
  ])('%s within tolerance', (_name, spec, replicas, obs) => {
    const d = run(spec, V137, replicas, obs);
    expect(d.replicas).toBe(replicas);
    expect(d.conditions).toEqual(NOT_SCALED);
  });
  test('1 scaling up because of a 1% configurable tolerance', () => {
    const d = run({ minReplicas: 1, maxReplicas: 5, metrics: [cpu(100)], behavior: { scaleUp: { tolerance: '0.01' } } }, V137, 3, [102]);
    expect(d.replicas).toBe(4);
    expect(d.conditions).toEqual([...STATUS_OK, NOT_SCALED_TO_ZERO]);
  });
  test('2 no scale-down because of a 90% configurable tolerance', () => {
    const d = run({ minReplicas: 1, maxReplicas: 5, metrics: [cpu(100)], behavior: { scaleDown: { tolerance: '0.9' } } }, V137, 3, [30]);
    expect(d.replicas).toBe(3);
    expect(d.conditions).toEqual(NOT_SCALED);
  });
  test('4 configurable tolerance ignored when the gate is disabled (1.36)', () => {
    const d = run({ minReplicas: 1, maxReplicas: 5, metrics: [cpu(100)], behavior: { scaleUp: { tolerance: '0.01' } } },
      { kubernetesVersion: '1.36', featureGates: { HPAConfigurableTolerance: false } }, 3, [102]);
    expect(d.replicas).toBe(3);
    expect(d.conditions).toEqual(NOT_SCALED);
  });
});

describe('reference model: replica calculator rows', () => {
  const V137 = { kubernetesVersion: '1.37' };
  function proposal(spec: any, replicas: number, obs: (number | string)[], readyPods?: number) {
    return run(spec, V137, replicas, obs, readyPods).metricReplicas;
  }
  test.each([
    ['within default tolerance', undefined, 102, 3],
    ['outside 0% tolerance', { scaleUp: { tolerance: '0' }, scaleDown: { tolerance: '0' } }, 101, 4],
    ['within 200% scale-up tolerance', { scaleUp: { tolerance: '2' } }, 190, 3],
    ['outside 8% scale-up tolerance', { scaleUp: { tolerance: '0.08' }, scaleDown: { tolerance: '2.0' } }, 109, 4],
    ['within 36% scale-down tolerance', { scaleDown: { tolerance: '0.36' } }, 65, 3],
    ['outside 34% scale-down tolerance', { scaleDown: { tolerance: '340m' } }, 65, 2],
  ])('GetResourceReplicas %s', (_name, behavior, utilization, expected) => {
    expect(proposal({ minReplicas: 1, maxReplicas: 10, metrics: [cpu(100)], behavior }, 3, [utilization])).toBe(expected);
  });
  test('GetObjectMetricReplicas: ignores unready pods', () => {
    expect(proposal({ minReplicas: 1, maxReplicas: 10, metrics: [objectValue('10')] }, 3, [50], 1)).toBe(5);
  });
  test('GetExternalMetricReplicas: scale down ignores unready pods (would otherwise scale up)', () => {
    expect(proposal({ minReplicas: 1, maxReplicas: 10, metrics: [externalValue('4400m')] }, 3, [8.6], 1)).toBe(2);
  });
  test('GetExternalMetricReplicas: outside configurable 1% tolerance', () => {
    expect(proposal({ minReplicas: 1, maxReplicas: 10, metrics: [externalValue('8800m')], behavior: { scaleUp: { tolerance: '0.01' } } }, 3, [8.9])).toBe(4);
  });
  test('GetObjectPerPodMetricReplicas: outside configurable 1% tolerance', () => {
    expect(proposal({ minReplicas: 1, maxReplicas: 10, metrics: [objectAverage('5')], behavior: { scaleUp: { tolerance: '0.01' } } }, 4, ['20208m'])).toBe(5);
    expect(proposal({ minReplicas: 1, maxReplicas: 10, metrics: [objectAverage('5')] }, 4, ['20166m'])).toBe(4);
  });
  test.each([
    ['External', 20, 4],
    ['External', 0, 0],
    ['Object', 20, 4],
    ['Object', 0, 0],
  ])('statusReplicas zero: %s AverageValue 5, level %d -> %d', (type, level, expected) => {
    const metric = type === 'External' ? externalAverage('5') : objectAverage('5');
    const d = run({ minReplicas: 0, maxReplicas: 10, metrics: [metric] }, { kubernetesVersion: '1.37', scaledToZero: true }, 0, [level]);
    expect(d.metricReplicas).toBe(expected);
  });
  test('GetMetricReplicas: outside configurable 1% tolerance', () => {
    // levels 20000, 21000, 21000 -> average 20666m
    expect(proposal({ minReplicas: 1, maxReplicas: 10, metrics: [podsAverage('20')], behavior: { scaleUp: { tolerance: '0.01' } } }, 3, ['20666m'])).toBe(4);
    expect(proposal({ minReplicas: 1, maxReplicas: 10, metrics: [podsAverage('20')] }, 3, ['20666m'])).toBe(3);
  });
});

describe('reference model: derived consequences', () => {
  test('pre-1.36: minReplicas 0 at zero computes metrics without any condition', () => {
    const d = run({ minReplicas: 0, maxReplicas: 10, metrics: [externalValue('10')] }, { kubernetesVersion: '1.35' }, 0, [35]);
    expect(d.replicas).toBe(4);
    expect(d.scaledToZero).toBeUndefined();
  });
  test('mixed CPU + External at zero: CPU fails, External wakes, error returned', () => {
    const d = run({ minReplicas: 0, maxReplicas: 10, metrics: [cpu(50), externalValue('10')] }, { kubernetesVersion: '1.37', scaledToZero: true }, 0, [null, 25]);
    expect(d.replicas).toBe(3);
    expect(d.metricProposals).toEqual([-1, 3]);
    expect(d.error).toMatch(/1 invalid out of 2/);
    expect(d.scaledToZero).toBe(false);
  });
  test('metric failure while parked keeps the condition', () => {
    const d = run({ minReplicas: 0, maxReplicas: 10, metrics: [externalValue('10')] }, { kubernetesVersion: '1.37', scaledToZero: true }, 0, [null]);
    expect(d.replicas).toBe(0);
    expect(d.scaledToZero).toBe(true);
    expect(d.conditions.find(c => c.type === 'ScalingActive')).toEqual(cond('ScalingActive', 'False', 'FailedGetExternalMetric'));
  });
  test('percent-only scale-up policy cannot leave zero', () => {
    const behavior = { scaleUp: { policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }] } };
    const d = run({ minReplicas: 0, maxReplicas: 10, metrics: [externalValue('10')], behavior }, { kubernetesVersion: '1.37', scaledToZero: true }, 0, [50]);
    expect(d.replicas).toBe(0);
    expect(d.conditions.find(c => c.type === 'ScalingLimited')).toEqual(cond('ScalingLimited', 'True', 'ScaleUpLimit'));
  });
  test('woken with no ready pod: Value target proposes 0 (ceil(ratio * 0 ready pods))', () => {
    const d = run({ minReplicas: 0, maxReplicas: 10, metrics: [externalValue('10')] }, { kubernetesVersion: '1.37' }, 3, [50], 0);
    expect(d.metricReplicas).toBe(0);
  });
});
