/**
 * The fixtures of upstream's HPA unit tests (pkg/controller/podautoscaler/horizontal_test.go and
 * replica_calculator_test.go, Kubernetes 1.37 cycle), mapped onto `HpaController.sync`.
 *
 * How a row maps (the harness' semantics, and what our API can and cannot say):
 * - The controller runs with the test flags: downscale stabilization 5 min, tolerance 0.1 (our defaults).
 *   Upstream's tests set `scaleUpLimitFactor = 8` (production: 2); our controller has the production
 *   constant, so a row whose result depends on the factor is noted where it appears.
 * - Feature gates: rows that set `hpaScaleToZero` run on emulated 1.37 with that value; rows that leave it
 *   out in a test that sets it per row run with the gate off; all other tests run with the 1.37 defaults.
 * - `recommendations: nil` (the controller stores `{specReplicas, now}` first) is a first sync. The
 *   non-nil empty list `[]` (no stabilization memory) cannot be handed to our controller: a row with it is
 *   run as the second sync of a controller whose first sync (same inputs, no rescale, checked) lies
 *   beyond the 5-minute window, so that nothing in its memory counts.
 * - Pods and metrics: `statusReplicas` pods, Running; `reportedLevels` are milli-units, passed as quantity
 *   strings ("20000m") so they are read exactly. A CPU row's observation is the utilization upstream
 *   computes, `sum(levels) * 100 / sum(requests)` in integers. Readiness only matters for CPU metrics
 *   (`groupPods`): a Running pod that is not ready still reports a Pods/Object/External metric.
 * - An invalid metric source type ("CheddarCheese") is an error for that metric, like a metric that
 *   cannot be fetched: our spec check rejects unknown types, so such a metric is a valid one observed as `null`.
 * - Conditions: our decision reports `replicas` (AbleToScale SucceededRescale when it differs from
 *   `currentReplicas`), `reason` (the ScalingLimited reason on the metrics path, "ScalingDisabled" for
 *   ScalingActive=False ScalingDisabled), `metricReplicas` >= 0 for ScalingActive=True ValidMetricFound,
 *   and `scaledToZero` for the ScaledToZero condition. The order of the condition list, messages and
 *   the status' metric values (e.g. the per-pod usage of AverageValue metrics) are not part of the API.
 */
import { HpaController, HpaControllerOptions, HpaSyncDecision } from '../../src/simulate/hpa-controller';

/** Emulated 1.37 with the gate's default (HPAScaleToZero beta, on). */
export const GATE_ON: HpaControllerOptions = { kubernetesVersion: '1.37' };
/** Emulated 1.37 with `SetFeatureGateDuringTest(HPAScaleToZero, false)`. */
export const GATE_OFF: HpaControllerOptions = { kubernetesVersion: '1.37', featureGates: { HPAScaleToZero: false } };

const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'some-deployment' };

/** "metric O": Object metric qps of Deployment some-deployment, Value target. */
export const objectValue = (value: string): any => ({ type: 'Object', object: { describedObject: DEPLOYMENT, metric: { name: 'qps' }, target: { type: 'Value', value } } });
/** Object metric qps, AverageValue target. */
export const objectAverage = (averageValue: string): any =>
  ({ type: 'Object', object: { describedObject: DEPLOYMENT, metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue } } });
/** "metric E": External metric qps, selector {}, Value target. */
export const externalValue = (value: string): any => ({ type: 'External', external: { metric: { name: 'qps', selector: {} }, target: { type: 'Value', value } } });
/** External metric qps, AverageValue target. */
export const externalAverage = (averageValue: string): any =>
  ({ type: 'External', external: { metric: { name: 'qps', selector: {} }, target: { type: 'AverageValue', averageValue } } });
/** Pods metric qps, AverageValue target. */
export const podsAverage = (averageValue: string): any => ({ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue } } });
/** `CPUTarget`: a Resource cpu Utilization metric (the harness puts it first). */
export const cpu = (averageUtilization: number): any => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } });

/** `buildHPA`: minReplicas always explicit, `behavior` only when rules are given (then defaulted by the controller). */
export function hpa(minReplicas: number, maxReplicas: number, metrics: any[], behavior?: any): any {
  return {
    scaleTargetRef: { apiVersion: 'v1', kind: 'ReplicationController', name: 'test-rc' },
    minReplicas,
    maxReplicas,
    metrics,
    ...(behavior !== undefined ? { behavior } : {}),
  };
}

/** A level in milli-units as an exact observation. */
export const milli = (level: number | bigint): string => `${level}m`;

/** The utilization the controller computes: `sum(levels) * 100 / sum(requests)` in integers (milli-CPU). */
export function cpuUtilization(levels: number[], requests: number[]): number {
  const used = levels.reduce((a, b) => a + b, 0);
  const requested = requests.reduce((a, b) => a + b, 0);
  return Math.floor((used * 100) / requested);
}

/** The per-pod average the metrics client computes for a Pods metric (integer division), as an exact observation. */
export function podsAverageOf(levels: number[]): string {
  return milli(Math.floor(levels.reduce((a, b) => a + b, 0) / levels.length));
}

export interface Row {
  readonly spec: any;
  readonly options?: HpaControllerOptions;
  /** `specReplicas` (= `statusReplicas`). */
  readonly current: number;
  readonly observations: any[];
  /** Pods that report metrics (default: all). */
  readonly ready?: number;
  /** `nil` (the default): a first sync; `[]`: see the module docs. */
  readonly recommendations?: 'nil' | '[]';
}

export interface RowResult {
  readonly controller: HpaController;
  readonly replicas: number;
  readonly decision: HpaSyncDecision;
}

/** One `reconcileAutoscaler` of a row. */
export function reconcile(row: Row): RowResult {
  const controller = new HpaController(row.spec, row.options);
  let now = 0;
  if (row.recommendations === '[]') {
    const first = controller.sync(0, row.current, row.observations, row.ready);
    if (first !== row.current) throw new Error(`the memory-clearing first sync rescaled ${row.current} -> ${first}; this row cannot be mapped so`);
    now = 301;
  }
  const replicas = controller.sync(now, row.current, row.observations, row.ready);
  return { controller, replicas, decision: controller.lastDecision! };
}

export interface Expected {
  readonly replicas: number;
  /** The ScalingLimited reason, or "ScalingDisabled", or the min/max rescale reason. */
  readonly reason: string;
  /** The ScaledToZero condition after the sync. */
  readonly scaledToZero: boolean | undefined;
  /** ScalingActive True ValidMetricFound (metrics computed and used). */
  readonly metricsComputed: boolean;
}

/** What a row's expected conditions say, in our decision's terms. */
export function expectOutcome(result: RowResult, expected: Expected): void {
  const d = result.decision;
  expect({
    replicas: result.replicas,
    reason: d.reason,
    scaledToZero: d.scaledToZero,
    metricsComputed: d.metricReplicas >= 0,
  }).toEqual(expected);
  if (!expected.metricsComputed) expect(d.metricProposals.every(p => p === -1) || d.reason === 'FailedComputeMetricsReplicas').toBe(true);
}
