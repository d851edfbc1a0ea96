/**
 * Differential test: HpaController (src/simulate) against the independent reference model of upstream's
 * controller (./hpa-reference.ts, transcribed from the Go code), decision by decision, on random scenarios
 * (issue 13: minReplicas 0, Object/External metrics, sometimes CPU or Pods, per-direction tolerances, loads
 * that drop to zero and come back, Kubernetes 1.33-1.38 with their gates) and on hand-picked ones.
 *
 * Compared at every sync: the replica count set, the ScaledToZero condition, and the metric-based replica
 * count when both computed one. Disagreements are written up in /work/notes/diff-findings.md.
 */
import * as fc from 'fast-check';
import { ReferenceDecision, ReferenceHpa, ReferenceOptions } from './hpa-reference';
import { PodTracker, Scenario, loadLevels, observe, scenarioArb } from './scenario';
import { HpaController, HpaControllerOptions, HpaSyncDecision } from '../../../src/simulate/hpa-controller';

// fixed in CI; HPA_DIFF_SEED / HPA_DIFF_RUNS explore further locally
const SEED = Number(process.env.HPA_DIFF_SEED ?? 20260913);
const NUM_RUNS = Number(process.env.HPA_DIFF_RUNS ?? 400);
const START = 100;

interface SyncRecord {
  i: number;
  t: number;
  cur: number;
  ready: number;
  obs: (number | string | null)[];
  ref: ReferenceDecision;
  ours: HpaSyncDecision;
}

function controllerOptions(s: Pick<Scenario, 'kubernetesVersion' | 'featureGates' | 'downscaleStabilizationSeconds' | 'tolerance' | 'scaledToZero'>): HpaControllerOptions & ReferenceOptions {
  return {
    ...(s.kubernetesVersion === undefined ? {} : { kubernetesVersion: s.kubernetesVersion }),
    ...(s.featureGates === undefined ? {} : { featureGates: s.featureGates }),
    ...(s.downscaleStabilizationSeconds === undefined ? {} : { downscaleStabilizationSeconds: s.downscaleStabilizationSeconds }),
    ...(s.tolerance === undefined ? {} : { tolerance: s.tolerance }),
    ...(s.scaledToZero === undefined ? {} : { scaledToZero: s.scaledToZero }),
  };
}

/** What differs between the two decisions of one sync ('' when they agree). */
function difference(ref: ReferenceDecision, ours: HpaSyncDecision): string {
  const diffs: string[] = [];
  if (ref.replicas !== ours.replicas) diffs.push(`replicas: reference ${ref.replicas}, ours ${ours.replicas}`);
  if (ref.scaledToZero !== ours.scaledToZero) diffs.push(`scaledToZero: reference ${ref.scaledToZero}, ours ${ours.scaledToZero}`);
  // the two documented outcomes where no metric-based count exists: scaling disabled at zero, all metrics given up
  const refDisabled = ref.reason === 'ScalingDisabled';
  if (refDisabled !== (ours.reason === 'ScalingDisabled')) diffs.push(`ScalingDisabled: reference ${refDisabled}, ours reason ${ours.reason}`);
  const refGaveUp = ref.error !== undefined && ref.metricReplicas < 0;
  if (refGaveUp !== (ours.reason === 'FailedComputeMetricsReplicas')) diffs.push(`gave up on metrics: reference ${refGaveUp}, ours reason ${ours.reason}`);
  if (ref.metricReplicas >= 0 && ours.metricReplicas >= 0) {
    if (ref.metricReplicas !== ours.metricReplicas) diffs.push(`metricReplicas: reference ${ref.metricReplicas}, ours ${ours.metricReplicas}`);
    if (JSON.stringify(ref.metricProposals) !== JSON.stringify(ours.metricProposals)) {
      diffs.push(`metricProposals: reference ${JSON.stringify(ref.metricProposals)}, ours ${JSON.stringify(ours.metricProposals)}`);
    }
    if (ref.stabilizedReplicas !== ours.stabilizedReplicas) diffs.push(`stabilizedReplicas: reference ${ref.stabilizedReplicas}, ours ${ours.stabilizedReplicas}`);
  }
  return diffs.join('; ');
}

function brief(d: ReferenceDecision | HpaSyncDecision) {
  return {
    replicas: d.replicas,
    metricReplicas: d.metricReplicas,
    proposals: d.metricProposals,
    stabilized: d.stabilizedReplicas,
    scaledToZero: d.scaledToZero,
    reason: d.reason,
  };
}

function describeMismatch(title: string, spec: unknown, options: unknown, history: SyncRecord[], diff: string): string {
  const last = history[history.length - 1];
  const recent = history.slice(-8).map(h => ({
    sync: h.i,
    t: h.t,
    cur: h.cur,
    ready: h.ready,
    obs: h.obs,
    reference: brief(h.ref),
    ours: brief(h.ours),
  }));
  return [
    `${title}: mismatch at sync ${last.i} (t=${last.t}): ${diff}`,
    `seed ${SEED}`,
    `options ${JSON.stringify(options)}`,
    `spec ${JSON.stringify(spec)}`,
    `syncs (all): ${JSON.stringify(history.map(h => [h.t, h.cur, h.ready, h.obs]))}`,
    `last syncs: ${JSON.stringify(recent, null, 1)}`,
  ].join('\n');
}

const totals = {
  scenarios: 0,
  syncs: 0,
  withMetricReplicas: 0,
  atZero: 0,
  scaledToZeroTrue: 0,
  toZero: 0,
  wakeUps: 0,
  rescales: 0,
  disabledAtZero: 0,
  withPending: 0,
  failedMetric: 0,
  gaveUp: 0,
  withBehavior: 0,
  withTolerance: 0,
  minZero: 0,
  byVersion: {} as Record<string, number>,
};

/** Replays a random scenario through both controllers; throws on the first disagreement. */
function runScenario(s: Scenario): void {
  const options = controllerOptions(s);
  const ref = new ReferenceHpa(s.spec, options);
  const ours = new HpaController(s.spec, options);
  const levels = loadLevels(s);
  const pods = new PodTracker(s.initialReplicas, s.readyLag);
  const nulls = new Set(s.nulls.map(([i, m]) => `${i}/${m}`));
  const history: SyncRecord[] = [];
  let cur = s.initialReplicas;
  let t = START;
  for (let i = 0; i < s.syncs; i++) {
    if (i > 0) t += s.intervals ? s.intervals[i % s.intervals.length] : 15;
    for (const event of s.manual) {
      if (event.at === i) {
        cur = event.replicas;
        pods.scaleTo(cur, i);
      }
    }
    const ready = pods.ready(i);
    const obs = s.metrics.map((m, k) => nulls.has(`${i}/${k}`) ? null : observe(m, levels[i], ready, s.fractionalUtilization));
    const r = ref.reconcile(t, cur, obs, ready);
    ours.sync(t, cur, obs, ready);
    const o = ours.lastDecision!;
    history.push({ i, t, cur, ready, obs, ref: r, ours: o });
    totals.syncs++;
    if (r.metricReplicas >= 0 && o.metricReplicas >= 0) totals.withMetricReplicas++;
    if (cur === 0) totals.atZero++;
    if (r.scaledToZero === true) totals.scaledToZeroTrue++;
    if (r.rescaled) totals.rescales++;
    if (cur > 0 && r.replicas === 0) totals.toZero++;
    if (cur === 0 && r.replicas > 0) totals.wakeUps++;
    if (r.reason === 'ScalingDisabled') totals.disabledAtZero++;
    if (ready < cur) totals.withPending++;
    if (r.metricReplicas >= 0 && r.metricProposals.includes(-1)) totals.failedMetric++;
    if (r.error !== undefined && r.metricReplicas < 0) totals.gaveUp++;
    const diff = difference(r, o);
    if (diff !== '') {
      throw new Error(describeMismatch('random scenario', s.spec, options, history, diff));
    }
    cur = r.replicas;
    pods.scaleTo(cur, i);
  }
  totals.scenarios++;
  if (s.spec.behavior) totals.withBehavior++;
  if (JSON.stringify(s.spec.behavior ?? {}).includes('tolerance')) totals.withTolerance++;
  if (s.spec.minReplicas === 0) totals.minZero++;
  totals.byVersion[s.version] = (totals.byVersion[s.version] ?? 0) + 1;
}

describe('HpaController agrees with the reference model of upstream', () => {
  test(`random scenarios (seed ${SEED}, ${NUM_RUNS} runs)`, () => {
    fc.assert(fc.property(scenarioArb, s => {
      runScenario(s);
    }), { seed: SEED, numRuns: NUM_RUNS, endOnFailure: false });
    // the scenarios exercise what they are meant to
    expect(totals.syncs).toBeGreaterThan(NUM_RUNS * 50);
    expect(totals.atZero).toBeGreaterThan(1000);
    expect(totals.scaledToZeroTrue).toBeGreaterThan(1000);
    // eslint-disable-next-line no-console
    console.log(`differential: ${JSON.stringify(totals)}`);
  });
});

// ------------------------------------------------------------------------------------------------------------
// Hand-picked scenarios: a scripted sequence of syncs replayed through both controllers.

interface Step {
  /** Load observations for this sync. */
  readonly obs: (number | string | null)[];
  /** Replicas set by hand before this sync (otherwise the target keeps what the controller set). */
  readonly manual?: number;
  /** Repeat this step n times (every 15 s). */
  readonly times?: number;
}

function scripted(spec: unknown, options: HpaControllerOptions & ReferenceOptions, initialReplicas: number, steps: Step[],
  readyPods?: (replicas: number) => number): ReferenceDecision[] {
  const ref = new ReferenceHpa(spec, options);
  const ours = new HpaController(spec, options);
  const history: SyncRecord[] = [];
  let cur = initialReplicas;
  let t = START;
  let i = 0;
  for (const step of steps) {
    for (let n = 0; n < (step.times ?? 1); n++) {
      if (step.manual !== undefined && n === 0) cur = step.manual;
      const ready = readyPods ? readyPods(cur) : cur;
      const r = ref.reconcile(t, cur, step.obs, ready);
      ours.sync(t, cur, step.obs, ready);
      const o = ours.lastDecision!;
      history.push({ i, t, cur, ready, obs: step.obs, ref: r, ours: o });
      const diff = difference(r, o);
      if (diff !== '') throw new Error(describeMismatch('scripted scenario', spec, options, history, diff));
      cur = r.replicas;
      t += 15;
      i++;
    }
  }
  return history.map(h => h.ref);
}

function queueSpec(minReplicas: number, extra: unknown[] = []) {
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gpu-inference' },
    minReplicas,
    maxReplicas: 10,
    metrics: [
      { type: 'External', external: { metric: { name: 'queue_length', selector: { matchLabels: { queue: 'inference' } } }, target: { type: 'Value', value: '10' } } },
      ...extra,
    ],
  };
}
const CPU_METRIC = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };

describe('hand-picked scenarios', () => {
  test('1.37: scale to zero on an idle External queue and back when work arrives', () => {
    const d = scripted(queueSpec(0), { kubernetesVersion: '1.37' }, 3, [
      { obs: [30], times: 4 },
      { obs: [0], times: 22 }, // 300 s of downscale stabilization, then zero
      { obs: [0], times: 4 },
      { obs: [25] }, // work arrives: ceil(25 / 10) = 3
      { obs: [25], times: 3 },
    ]);
    const zeroAt = d.findIndex(x => x.replicas === 0);
    expect(zeroAt).toBeGreaterThan(4 + 19); // not before the 300 s window has only zeros in it
    expect(d[zeroAt].scaledToZero).toBe(true);
    const wake = d[4 + 22 + 4];
    expect(wake.currentReplicas).toBe(0);
    expect(wake.replicas).toBe(3);
    expect(wake.scaledToZero).toBe(false);
  });

  test('1.37: a target scaled to zero by hand stays at zero (ScalingDisabled)', () => {
    const d = scripted(queueSpec(0), { kubernetesVersion: '1.37' }, 3, [
      { obs: [30], times: 3 },
      { obs: [80], manual: 0, times: 10 },
    ]);
    expect(d.slice(3).every(x => x.replicas === 0 && x.reason === 'ScalingDisabled')).toBe(true);
    expect(d[12].scaledToZero).toBe(false); // NotScaledToZero is never turned into True by hand
  });

  test('1.37 with CPU + External: at zero the CPU metric has no samples, the queue wakes the target', () => {
    const d = scripted(queueSpec(0, [CPU_METRIC]), { kubernetesVersion: '1.37', scaledToZero: true }, 0, [
      { obs: [0, 0], times: 3 },
      { obs: [45, 0] },
    ]);
    expect(d.slice(0, 3).every(x => x.replicas === 0 && x.scaledToZero === true)).toBe(true);
    expect(d[3].metricProposals).toEqual([5, -1]);
    expect(d[3].replicas).toBe(4); // first step from zero capped at max(2 * 0, 4)
  });

  test('1.36 with the gate off (default): scales to zero, drops the condition, never wakes', () => {
    const d = scripted(queueSpec(0), { kubernetesVersion: '1.36', scaledToZero: true }, 2, [
      { obs: [0], times: 25 },
      { obs: [50], times: 5 },
    ]);
    const zeroAt = d.findIndex(x => x.replicas === 0);
    expect(zeroAt).toBeGreaterThan(0);
    expect(d[0].scaledToZero).toBe(true); // untouched until the first rescale, which removes it (gate off)
    expect(d.slice(zeroAt).every(x => x.replicas === 0 && x.scaledToZero === undefined)).toBe(true);
  });

  test('1.36 with HPAScaleToZero on: the condition-based behaviour', () => {
    const d = scripted(queueSpec(0), { kubernetesVersion: '1.36', featureGates: { HPAScaleToZero: true } }, 2, [
      { obs: [0], times: 25 },
      { obs: [50] },
    ]);
    expect(d[24].replicas).toBe(0);
    expect(d[24].scaledToZero).toBe(true);
    expect(d[25].replicas).toBe(4);
  });

  test('1.35 (pre-PR 135118): minReplicas 0 wakes from zero without any condition, even a manual zero', () => {
    const d = scripted(queueSpec(0), { kubernetesVersion: '1.35' }, 2, [
      { obs: [0], times: 25 },
      { obs: [30] },
      { obs: [30], manual: 0 },
    ]);
    expect(d[24].replicas).toBe(0);
    expect(d[24].scaledToZero).toBeUndefined();
    expect(d[25].replicas).toBe(3);
    expect(d[26].currentReplicas).toBe(0);
    expect(d[26].replicas).toBe(3);
  });

  test('1.35 (pre-PR 135118) leaves a ScaledToZero condition it does not know untouched', () => {
    const d = scripted(queueSpec(0), { kubernetesVersion: '1.35', featureGates: { HPAScaleToZero: true }, scaledToZero: true }, 0, [
      { obs: [30] },
    ]);
    expect(d[0].replicas).toBe(3);
    expect(d[0].scaledToZero).toBe(true);
  });

  test('1.37: minReplicas raised while parked at zero lifts the target to the new minimum', () => {
    const d = scripted(queueSpec(2), { kubernetesVersion: '1.37', scaledToZero: true }, 0, [
      { obs: [0] },
      { obs: [0] },
    ]);
    expect(d[0].replicas).toBe(2);
    expect(d[0].scaledToZero).toBe(false);
    expect(d[1].replicas).toBe(2);
  });

  test('1.37: a Value target woken from zero flaps while no pod is ready, with a zero scale-down window (notes O1)', () => {
    const spec = { ...queueSpec(0), behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } };
    const d = scripted(spec, { kubernetesVersion: '1.37', scaledToZero: true }, 0, [{ obs: [30], times: 6 }], () => 0);
    expect(d.map(x => x.replicas)).toEqual([3, 0, 3, 0, 3, 0]);
    expect(d.map(x => x.scaledToZero)).toEqual([false, true, false, true, false, true]);
    // with the default 300 s window the wake-up recommendation holds the replicas
    const held = scripted(queueSpec(0), { kubernetesVersion: '1.37', scaledToZero: true }, 0, [{ obs: [30], times: 6 }], () => 0);
    expect(held.map(x => x.replicas)).toEqual([3, 3, 3, 3, 3, 3]);
  });

  test('1.37: HPAConfigurableTolerance is locked on; both refuse to turn it off', () => {
    const options = { kubernetesVersion: '1.37', featureGates: { HPAConfigurableTolerance: false } };
    expect(() => new ReferenceHpa(queueSpec(0), options)).toThrow(/locked/);
    expect(() => new HpaController(queueSpec(0), options)).toThrow(/locked/);
  });

  test('1.37: minReplicas raised while parked, only pod metrics left: no samples, stays at zero', () => {
    const spec = { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' }, minReplicas: 2, maxReplicas: 10, metrics: [CPU_METRIC] };
    const d = scripted(spec, { kubernetesVersion: '1.37', scaledToZero: true }, 0, [{ obs: [50], times: 3 }]);
    expect(d.every(x => x.replicas === 0 && x.scaledToZero === true && x.error !== undefined)).toBe(true);
  });
});

// ------------------------------------------------------------------------------------------------------------
// Known disagreements, written up in /work/notes/diff-findings.md. `test.failing` passes while HpaController
// still disagrees with upstream; once it is fixed the test fails: turn it into a plain `test` then.

describe('known disagreements (see /work/notes/diff-findings.md)', () => {
  test.failing('F1: a recommendation exactly one window old still counts (Go compares integer nanoseconds)', () => {
    const spec = { minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '10' } } }] };
    // the reference (Go): the recommendation of 25 from t=0.1 is exactly 300 s old at t=300.1, not Before the cutoff
    const ref = new ReferenceHpa(spec, {});
    expect(ref.reconcile(0.1, 5, [50]).replicas).toBe(10);
    expect(ref.reconcile(300.1, 10, [5]).replicas).toBe(10);
    // ours
    const hpa = new HpaController(spec, {});
    expect(hpa.sync(0.1, 5, [50])).toBe(10);
    expect(hpa.sync(300.1, 10, [5])).toBe(10);
  });

  test.failing('F2: a per-pod average finer than milli gives the same proposal as a number and as a string', () => {
    const spec = { minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Pods', pods: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '1' } } }] };
    // the reference (Go): 6 pods totalling 1000m, currentUsage 1000 / 6 = 166, ceil(0.166 * 6) = 1
    expect(new ReferenceHpa(spec, {}).reconcile(100, 6, ['0.166667']).metricReplicas).toBe(1);
    for (const obs of [0.166667, '0.166667', '166667u']) {
      const hpa = new HpaController(spec, {});
      hpa.sync(100, 6, [obs]);
      expect(hpa.lastDecision!.metricReplicas).toBe(1);
    }
  });
});
