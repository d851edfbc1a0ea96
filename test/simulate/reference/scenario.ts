/**
 * Random HPA scenarios for the differential test of HpaController against the reference model: a Kubernetes
 * version and gates, an autoscaling/v2 spec mixing Object/External metrics (sometimes CPU or Pods too), a
 * behavior or none, and a load that follows a random walk, drops to zero for stretches and comes back. The
 * scenario is replayed sync by sync: the target follows what the controller set (plus manual "kubectl scale"
 * events), new pods become ready a few syncs after creation, and some observations fail (null).
 */
import * as fc from 'fast-check';

export const VERSIONS = ['1.33', '1.34', '1.35', '1.36', '1.37', '1.38'];

export type MetricKind = 'ExternalValue' | 'ExternalAverageValue' | 'ObjectValue' | 'ObjectAverageValue' | 'CpuUtilization'
  | 'PodsAverageValue' | 'CpuAverageValue' | 'ContainerCpuUtilization';

export interface ScenarioMetric {
  readonly kind: MetricKind;
  /** Quantity string (Utilization: percent as a string). */
  readonly target: string;
  /** Milli-units of the metric per unit of load (Utilization: percent-points per unit of load and ready pod). */
  readonly perLoadMilli: number;
  /** Pass observations as quantity strings ("1500m") rather than numbers. */
  readonly asString: boolean;
  /**
   * Observations with sub-milli digits (the controller rounds milli-values up, truncates utilization to whole
   * percent and averages per-pod values in whole milli-values); utilization with 4 decimals.
   */
  readonly subMilli: boolean;
}

export interface ScenarioSegment {
  readonly mode: 'zero' | 'walk' | 'jump';
  readonly length: number;
  readonly drift: number;
  readonly jumpTo: number;
}

export interface ScenarioEvent {
  readonly at: number;
  /** Replicas a user sets by hand ("kubectl scale"). */
  readonly replicas: number;
}

export interface Scenario {
  /** The minor as "1.37" (for statistics). */
  readonly version: string;
  /** As passed to the controllers ("1.37", "v1.37", "1.37.2"; undefined = the default, 1.35). */
  readonly kubernetesVersion?: string;
  readonly featureGates?: { HPAScaleToZero?: boolean; HPAConfigurableTolerance?: boolean };
  readonly downscaleStabilizationSeconds?: number;
  readonly tolerance?: number;
  readonly scaledToZero?: boolean;
  readonly spec: any;
  readonly metrics: ScenarioMetric[];
  readonly initialReplicas: number;
  /** Syncs until a created pod is ready. */
  readonly readyLag: number;
  readonly syncs: number;
  /** undefined = every 15 s. */
  readonly intervals?: number[];
  readonly segments: ScenarioSegment[];
  readonly noise: number[];
  readonly manual: ScenarioEvent[];
  /** [sync, metric index] of failed observations. */
  readonly nulls: [number, number][];
  /** Utilization observations with one decimal rather than whole percent. */
  readonly fractionalUtilization: boolean;
}

const QUANTITIES = ['1', '2', '5', '10', '20', '100', '500m', '2500m', '0.75', '1.5'];

function metricArb(kinds: MetricKind[]): fc.Arbitrary<ScenarioMetric> {
  return fc.record({
    kind: fc.constantFrom(...kinds),
    target: fc.constantFrom(...QUANTITIES),
    utilization: fc.integer({ min: 30, max: 100 }),
    perLoadMilli: fc.constantFrom(250, 500, 1000, 1000, 2000, 3000, 10000),
    utilPerLoad: fc.integer({ min: 1, max: 30 }),
    asString: fc.boolean(),
    subMilli: fc.integer({ min: 0, max: 7 }),
  }).map(r => r.kind === 'CpuUtilization' || r.kind === 'ContainerCpuUtilization'
    ? { kind: r.kind, target: String(r.utilization), perLoadMilli: r.utilPerLoad, asString: r.asString && r.subMilli < 2, subMilli: r.subMilli === 0 }
    : { kind: r.kind, target: r.target, perLoadMilli: r.perLoadMilli, asString: r.asString, subMilli: r.subMilli === 0 });
}

const OBJ_EXT: MetricKind[] = ['ExternalValue', 'ExternalAverageValue', 'ObjectValue', 'ObjectAverageValue'];
const ANY: MetricKind[] = [...OBJ_EXT, 'CpuUtilization', 'PodsAverageValue', 'CpuAverageValue', 'ContainerCpuUtilization'];

const toleranceArb = fc.oneof(
  fc.integer({ min: 0, max: 500 }).chain(milli => fc.constantFrom(`${milli}m`, String(milli / 1000))),
  fc.integer({ min: 0, max: 500000 }).chain(micro => fc.constantFrom(`${micro}u`, String(micro / 1e6))),
  fc.constantFrom('1e-2', '5e-2', '0.050', '0.10', '.1', '0', '0.0', '1', '33333u', '0.0333'),
);

function rulesArb(direction: 'up' | 'down') {
  const policy = fc.oneof(
    fc.record({ type: fc.constant('Pods'), value: fc.integer({ min: 1, max: 10 }), periodSeconds: fc.constantFrom(15, 30, 60, 120, 300) }),
    fc.record({ type: fc.constant('Percent'), value: fc.integer({ min: 1, max: direction === 'up' ? 300 : 100 }), periodSeconds: fc.constantFrom(15, 30, 60, 120, 300) }),
  );
  return fc.record({
    stabilizationWindowSeconds: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.constantFrom(0, 15, 60, 300)),
    selectPolicy: fc.constantFrom('Max', 'Min', 'Disabled', 'Max'),
    policies: fc.array(policy, { minLength: 1, maxLength: 3 }),
    tolerance: toleranceArb,
  }, { requiredKeys: [] });
}

const behaviorArb = fc.option(fc.record({ scaleUp: rulesArb('up'), scaleDown: rulesArb('down') }, { requiredKeys: [] }), { freq: 3 });

export function metricSpec(m: ScenarioMetric, index: number): any {
  const name = `m${index}`;
  switch (m.kind) {
    case 'ExternalValue':
      return { type: 'External', external: { metric: { name, selector: { matchLabels: { queue: name } } }, target: { type: 'Value', value: m.target } } };
    case 'ExternalAverageValue':
      return { type: 'External', external: { metric: { name }, target: { type: 'AverageValue', averageValue: m.target } } };
    case 'ObjectValue':
      return { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'gateway' }, metric: { name }, target: { type: 'Value', value: m.target } } };
    case 'ObjectAverageValue':
      return { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'gateway' }, metric: { name }, target: { type: 'AverageValue', averageValue: m.target } } };
    case 'CpuUtilization':
      return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: Number(m.target) } } };
    case 'PodsAverageValue':
      return { type: 'Pods', pods: { metric: { name }, target: { type: 'AverageValue', averageValue: m.target } } };
    case 'CpuAverageValue':
      return { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: m.target } } };
    case 'ContainerCpuUtilization':
      return { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'server', target: { type: 'Utilization', averageUtilization: Number(m.target) } } };
  }
}

export const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  version: fc.constantFrom(...VERSIONS),
  versionForm: fc.integer({ min: 0, max: 5 }),
  gates: fc.option(fc.record({ HPAScaleToZero: fc.boolean(), HPAConfigurableTolerance: fc.boolean() }, { requiredKeys: [] }), { freq: 3 }),
  // fractions too: the legacy path takes the flag in full, behavior.scaleDown in whole seconds
  downscaleStabilizationSeconds: fc.option(fc.constantFrom(0, 30, 60, 120, 600, 60.5, 119.9), { freq: 5 }),
  tolerance: fc.option(fc.constantFrom(0, 0.05, 0.2), { freq: 5 }),
  scaledToZero: fc.option(fc.boolean(), { freq: 3 }),
  parked: fc.integer({ min: 0, max: 3 }),
  withoutObjExt: fc.integer({ min: 0, max: 9 }),
  first: metricArb(OBJ_EXT),
  extra: fc.array(metricArb(ANY), { maxLength: 2 }),
  onlyPodMetrics: fc.array(metricArb(['CpuUtilization', 'PodsAverageValue', 'CpuAverageValue', 'ContainerCpuUtilization']), { minLength: 1, maxLength: 2 }),
  minChoice: fc.integer({ min: 0, max: 9 }),
  maxReplicas: fc.integer({ min: 1, max: 50 }),
  behavior: behaviorArb,
  initialReplicas: fc.oneof({ arbitrary: fc.constant(0), weight: 1 }, { arbitrary: fc.integer({ min: 1, max: 12 }), weight: 3 }),
  readyLag: fc.integer({ min: 0, max: 4 }),
  syncs: fc.integer({ min: 50, max: 300 }),
  irregular: fc.option(fc.array(fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 60 }), weight: 6 },
    // quarter seconds (exact in float64) and tenths (not exact: window and period boundaries at times such as
    // 300.1 s, finding F1 at the end of hpa-differential.test.ts)
    { arbitrary: fc.integer({ min: 1, max: 240 }).map(d => d / 4), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 600 }).map(d => d / 10), weight: 2 },
    { arbitrary: fc.constant(0), weight: 1 },
  ), { minLength: 300, maxLength: 300 }), { freq: 4 }),
  segments: fc.array(fc.record({
    mode: fc.constantFrom<'zero' | 'walk' | 'jump'>('zero', 'walk', 'walk', 'jump'),
    length: fc.integer({ min: 2, max: 40 }),
    drift: fc.integer({ min: -8, max: 8 }),
    jumpTo: fc.integer({ min: 0, max: 150 }),
  }), { minLength: 2, maxLength: 12 }),
  noise: fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 300, maxLength: 300 }),
  manual: fc.array(fc.record({
    at: fc.integer({ min: 1, max: 299 }),
    replicas: fc.oneof(
      { arbitrary: fc.constant(0), weight: 2 },
      { arbitrary: fc.integer({ min: 1, max: 12 }), weight: 3 },
      { arbitrary: fc.integer({ min: 13, max: 55 }), weight: 1 },
    ),
  }), { maxLength: 5 }),
  nulls: fc.array(fc.tuple(fc.integer({ min: 0, max: 299 }), fc.integer({ min: 0, max: 2 })), { maxLength: 8 }),
  fractionalUtilization: fc.boolean(),
}).map(r => {
  // metrics: an Object/External metric first, most of the time
  const metrics = r.withoutObjExt < 2 ? r.onlyPodMetrics : [r.first, ...r.extra];
  // a quarter of the scenarios start with a target the HPA parked at zero (ScaledToZero=True)
  const parked = r.parked === 0;
  const hasObjExt = metrics.some(m => OBJ_EXT.includes(m.kind));
  // minReplicas 0 mostly with an Object/External metric; sometimes absent (defaults to 1)
  let minReplicas: number | undefined;
  if (hasObjExt) {
    minReplicas = [0, 0, 0, 0, 1, 1, 2, 3, undefined, 0][r.minChoice];
  } else {
    minReplicas = r.minChoice < 5 ? 0 : [1, 2, 3, undefined, 1][r.minChoice - 5];
  }
  const maxReplicas = Math.max(r.maxReplicas, minReplicas ?? 1, 1);
  const spec: any = {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' },
    ...(minReplicas === undefined ? {} : { minReplicas }),
    maxReplicas,
    metrics: metrics.map(metricSpec),
    ...(r.behavior === null ? {} : { behavior: r.behavior }),
  };
  let featureGates: Scenario['featureGates'];
  if (r.gates !== null) {
    const g: { HPAScaleToZero?: boolean; HPAConfigurableTolerance?: boolean } = { ...r.gates };
    // HPAConfigurableTolerance is locked on from 1.37: a cluster cannot turn it off
    if (Number(r.version.split('.')[1]) >= 37 && g.HPAConfigurableTolerance === false) delete g.HPAConfigurableTolerance;
    featureGates = g;
  }
  let kubernetesVersion: string | undefined = [`v${r.version}`, `${r.version}.2`][r.versionForm] ?? r.version;
  if (r.version === '1.35' && r.versionForm === 2) kubernetesVersion = undefined;
  const scenario: Scenario = {
    version: r.version,
    ...(kubernetesVersion === undefined ? {} : { kubernetesVersion }),
    ...(featureGates === undefined ? {} : { featureGates }),
    ...(r.downscaleStabilizationSeconds === null ? {} : { downscaleStabilizationSeconds: r.downscaleStabilizationSeconds }),
    ...(r.tolerance === null ? {} : { tolerance: r.tolerance }),
    ...(parked ? { scaledToZero: true } : r.scaledToZero === null ? {} : { scaledToZero: r.scaledToZero }),
    spec,
    metrics,
    initialReplicas: parked ? 0 : Math.min(r.initialReplicas, maxReplicas + 2),
    readyLag: r.readyLag,
    syncs: r.syncs,
    ...(r.irregular === null ? {} : { intervals: r.irregular }),
    segments: r.segments,
    noise: r.noise,
    manual: r.manual,
    nulls: r.nulls.filter(([, i]) => i < metrics.length),
    fractionalUtilization: r.fractionalUtilization,
  };
  return scenario;
});

/** The load level at each sync: segments repeated until `syncs` levels exist. */
export function loadLevels(s: Scenario): number[] {
  const levels: number[] = [];
  let level = 20;
  let k = 0;
  while (levels.length < s.syncs) {
    const seg = s.segments[k % s.segments.length];
    k++;
    for (let j = 0; j < seg.length && levels.length < s.syncs; j++) {
      const noise = s.noise[levels.length % s.noise.length];
      if (seg.mode === 'zero') {
        level = 0;
      } else if (seg.mode === 'jump' && j === 0) {
        level = seg.jumpTo;
      } else {
        level = Math.max(0, Math.min(200, level + seg.drift + noise));
      }
      levels.push(level);
    }
  }
  return levels;
}

/** The observation of one metric for a load level, with `ready` ready pods. */
export function observe(m: ScenarioMetric, level: number, ready: number, fractional: boolean): number | string {
  switch (m.kind) {
    case 'ContainerCpuUtilization':
    case 'CpuUtilization': {
      // the ready pods' average utilization in percent
      if (ready === 0) return 0;
      const percent = (level * m.perLoadMilli) / ready;
      const value = m.subMilli ? Math.round(percent * 1e4) / 1e4 : fractional ? Math.round(percent * 10) / 10 : Math.round(percent);
      return m.asString ? String(value) : value;
    }
    case 'CpuAverageValue':
    case 'PodsAverageValue': {
      if (ready === 0) return 0;
      if (m.subMilli) {
        // an average finer than milli: the pods' total in whole milli-values is shared among the pods (finding F2
        // at the end of hpa-differential.test.ts), the same for the number and the string
        const micro = Math.round((level * m.perLoadMilli * 1000) / ready);
        return m.asString ? (micro % 2 === 0 ? `${micro}u` : String(micro / 1e6)) : micro / 1e6;
      }
      const milli = Math.round((level * m.perLoadMilli) / ready);
      return m.asString ? `${milli}m` : milli / 1000;
    }
    default: {
      // Object value / total, External sum over series
      if (m.subMilli) {
        // e.g. 1.0004 items (rounded up to 1001m by MilliValue), or "1.5k" style suffixes
        const micro = level * m.perLoadMilli * 1000 + (level % 3 === 0 ? 0 : 400);
        return m.asString ? (micro % 1_000_000 === 0 && micro > 0 ? `${micro / 1e9}k` : `${micro}u`) : micro / 1e6;
      }
      const milli = level * m.perLoadMilli;
      return m.asString ? `${milli}m` : milli / 1000;
    }
  }
}

/** Pods of the target: batches created at a sync, ready `readyLag` syncs later. */
export class PodTracker {
  private batches: { count: number; readyAt: number }[] = [];

  constructor(initial: number, private readonly readyLag: number) {
    if (initial > 0) this.batches.push({ count: initial, readyAt: -1 });
  }

  get total(): number {
    return this.batches.reduce((sum, b) => sum + b.count, 0);
  }

  ready(sync: number): number {
    return this.batches.filter(b => b.readyAt <= sync).reduce((sum, b) => sum + b.count, 0);
  }

  /** Scale to `replicas` at `sync`: new pods start Pending; a scale-down removes the youngest (unready) pods first. */
  scaleTo(replicas: number, sync: number): void {
    let diff = replicas - this.total;
    if (diff > 0) {
      this.batches.push({ count: diff, readyAt: sync + this.readyLag });
      return;
    }
    while (diff < 0) {
      const last = this.batches[this.batches.length - 1];
      const take = Math.min(last.count, -diff);
      last.count -= take;
      diff += take;
      if (last.count === 0) this.batches.pop();
    }
  }
}
