import { isObjectOrExternal, MAX_INT32, ParsedMetric, parseMetric, ReplicaCalculator } from './hpa-replica-calculator';
import { ScaledToZeroCondition, ScaleToZeroRules } from './hpa-scale-to-zero';
import { checkHpaSpec } from './hpa-spec-check';
import { HPA_CONTROLLER_OPTIONS, kubernetesTargetOf } from './options-check';
import { quantityApproximateFloat } from './quantity-math';
import { FeatureGate } from '../kubernetes/feature-gate';
import { arrayOf, anything, checkProps, checkValue, fail, integer, number, optional } from '../validate/check';

const SYNC = 'HpaController.sync';
const TIME = number({ fix: 'pass the time of the sync in seconds, not going backwards' });
const REPLICAS = integer({ min: 0 });
const OBSERVATIONS = arrayOf(anything('a number, a quantity string or null'));
const BELOW_MIN = 'Current number of replicas below Spec.MinReplicas';
/**
 * Times are kept in whole microseconds, taken once from the seconds passed to `sync`: window and period cutoffs
 * compare integers, as Go compares the integer nanoseconds of `time.Time`, so a recommendation or scale event
 * exactly one window or period old is treated at 300.1 s as at 300 s (in float64 seconds, `300.1 - 300` is
 * after `0.1` and `60.3 - 60` before `0.3`). A year is 3.2e13 microseconds, far below 2^53.
 */
const MICROS = 1_000_000;

/**
 * Settings of the kube-controller-manager that change how every HPA behaves, and the HPA's status
 * when the controller first sees it.
 */
export interface HpaControllerOptions {
  /**
   * `--horizontal-pod-autoscaler-downscale-stabilization`: the scale-down stabilization window used by
   * HPAs without `behavior` (to the microsecond), and by HPAs whose `behavior.scaleDown` omits
   * `stabilizationWindowSeconds` (in whole seconds, truncated, as the controller fills that field in).
   * @default 300
   */
  readonly downscaleStabilizationSeconds?: number;

  /**
   * `--horizontal-pod-autoscaler-tolerance`: the metric-to-target ratio band around 1.0 in which the
   * controller keeps the current replica count.
   * @default 0.1
   */
  readonly tolerance?: number;

  /**
   * The Kubernetes minor version of the kube-controller-manager: `"1.37"` (`"v1.37"` and `"1.37.2"`
   * are read as 1.37). It decides what happens at zero replicas (the `ScaledToZero` condition from
   * 1.36 on, `HPAScaleToZero` on by default from 1.37) and sets the feature gates' defaults
   * (`HPAConfigurableTolerance` on from 1.35).
   * @default "1.35" (`KubernetesTarget.DEFAULT_VERSION`)
   */
  readonly kubernetesVersion?: string;

  /**
   * Feature gates the kube-controller-manager sets differently from the version's defaults, by gate
   * name: e.g. `{ HPAScaleToZero: true }` on a 1.36 cluster, `{ HPAConfigurableTolerance: false }` to
   * ignore `behavior.*.tolerance`. Only the gates of `FeatureGate`.
   * @default - every gate at the version's default
   */
  readonly featureGates?: { [gate: string]: boolean };

  /**
   * The `ScaledToZero` condition in the HPA's status at the first sync: `true` (status True: the
   * controller scaled the target to zero and, on 1.36 or later with `HPAScaleToZero` on, scales it
   * back up from its Object or External metrics), `false` (status False, reason NotScaledToZero). Set
   * it to `true` with `currentReplicas` 0 to start from a target the HPA parked at zero; a target at
   * zero without the condition was scaled down by hand, and the HPA leaves it there (ScalingDisabled).
   * @default - no condition
   */
  readonly scaledToZero?: boolean;
}

/**
 * What the controller decided at one sync, for inspection and reports.
 */
export interface HpaSyncDecision {
  /** The time of the sync, in seconds. */
  readonly time: number;
  /** The replica count the target had when the sync started. */
  readonly currentReplicas: number;
  /** The replica count the controller set (equal to `currentReplicas` when it did not rescale). */
  readonly replicas: number;
  /**
   * The proposal of each metric, aligned with `spec.metrics`; -1 where the metric could not be computed.
   */
  readonly metricProposals: number[];
  /**
   * The maximum over the valid proposals, before stabilization and rate limits; -1 when the controller
   * did not compute metrics or gave up on them (all failed, or some failed and the others said scale down).
   */
  readonly metricReplicas: number;
  /** The recommendation after the stabilization window, before rate limits; -1 when not computed. */
  readonly stabilizedReplicas: number;
  /**
   * Why the count is what it is, in the controller's words: the ScalingLimited or AbleToScale reason of
   * the metrics path (e.g. "DesiredWithinRange", "ScaleUpLimit", "TooFewReplicas", "ScaleDownStabilized"),
   * "ScalingDisabled" at zero replicas when the HPA does not scale from zero, "FailedComputeMetricsReplicas",
   * or the rescale reason of the min/max paths ("Current number of replicas below Spec.MinReplicas", also
   * when a target parked at zero is lifted to a raised `minReplicas`).
   */
  readonly reason: string;
  /**
   * The `ScaledToZero` condition after the sync: true (status True, reason ScaledToZero), false (status
   * False, reason NotScaledToZero), undefined when the HPA has no such condition.
   * @default - no condition
   */
  readonly scaledToZero?: boolean;
}

enum PolicyType {
  PODS = 'Pods',
  PERCENT = 'Percent',
}

enum SelectPolicy {
  MAX = 'Max',
  MIN = 'Min',
  DISABLED = 'Disabled',
}

interface ScalingPolicy {
  readonly type: PolicyType;
  readonly value: number;
  readonly periodSeconds: number;
  /** `periodSeconds` in microseconds. */
  readonly periodMicros: number;
}

interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  /** `stabilizationWindowSeconds` in microseconds. */
  readonly stabilizationWindowMicros: number;
  readonly selectPolicy: SelectPolicy;
  readonly policies: ScalingPolicy[];
  /** The longest policy period in microseconds (0 without policies): how long scale events count. */
  readonly longestPeriodMicros: number;
  readonly tolerance?: number;
}

interface TimestampedRecommendation {
  recommendation: number;
  /** Microseconds. */
  timestamp: number;
}

interface TimestampedScaleEvent {
  replicaChange: number;
  /** Microseconds. */
  timestamp: number;
  outdated: boolean;
}

const MIN_INT32 = -2147483648;

/**
 * The Kubernetes autoscaling/v2 horizontal pod autoscaler controller, for one HPA, as a pure function of
 * time: feed it the replica count and metric observations at each sync and it returns the replica count
 * the controller would set, keeping the controller's memory (recommendations, scale events, the
 * `ScaledToZero` condition) in between.
 *
 * Follows `pkg/controller/podautoscaler/horizontal.go` and `replica_calculator.go` of the
 * kube-controller-manager version in `options.kubernetesVersion` (default 1.35) with its feature gates:
 * from 1.36 the `ScaledToZero` condition of KEP-2021 (`HPAScaleToZero`, on by default from 1.37: an HPA
 * with `minReplicas: 0` and an Object or External metric scales its target to zero and back), before
 * 1.36 the older rule (at zero replicas the metrics decide only for `minReplicas: 0`); per-direction
 * `behavior.*.tolerance` with `HPAConfigurableTolerance` (on from 1.35). All timestamps of one sync are
 * taken at the same instant, in whole microseconds (as Go compares integer nanoseconds): a window or policy
 * period edge at decimal times such as 300.1 s is exact.
 *
 * Pods: the controller sees `currentReplicas` pods, of which `readyReplicas` are ready and report
 * metrics; the others are treated as Pending pods (no metrics; counted as 0 on a scale-up, as the
 * replica calculator does). Missing metrics of Running pods and the CPU initialization period are not
 * modelled: they need per-pod data. At zero pods Resource, ContainerResource and Pods metrics have no
 * samples (an error for the metric, whatever is observed).
 *
 * Observations, aligned with `spec.metrics` (numbers or quantity strings such as "500m", or `null` for a
 * metric that cannot be fetched; a string is read exactly, a number up to float noise: within 1e-9 of a whole
 * milli-unit, or of a whole percent for utilization, it is taken as that; otherwise the same value gives the same
 * decision either way):
 * - Resource/ContainerResource, Utilization target: the ready pods' average utilization in percent of requests;
 * - Resource/ContainerResource AverageValue and Pods: the ready pods' average in natural units (cores, bytes, items);
 *   the pods report whole milli-values totalling average x ready pods (rounded down), which the controller
 *   divides by the pods in integers;
 * - Object Value: the object's value; Object AverageValue: the object's total value;
 * - External Value and AverageValue: the sum over all matching series.
 */
export class HpaController {
  /** `spec.minReplicas` (1 when absent, as the API server defaults it). */
  public readonly minReplicas: number;
  /** `spec.maxReplicas`. */
  public readonly maxReplicas: number;
  /** True when `spec.behavior` is set (the rate-limited path); false for the legacy path. */
  public readonly hasBehavior: boolean;
  /** The number of metrics (observations expected per sync); the API default of one CPU metric applies when none are given. */
  public readonly metricCount: number;
  /**
   * How far back the controller's memory reaches, in seconds: the longest stabilization window or scaling
   * policy period. Each sync reviews the recommendations and scale events stored within it.
   */
  public readonly historySeconds: number;
  /** The kube-controller-manager's Kubernetes minor version, e.g. `"1.37"`. */
  public readonly kubernetesVersion: string;
  /**
   * Whether this controller scales the HPA's target back from zero replicas: `minReplicas: 0` and an
   * Object or External metric (the only metrics with samples at zero pods), and on 1.36 or later
   * `HPAScaleToZero` on (it then wakes a target it parked itself, marked by the `ScaledToZero` condition).
   */
  public readonly scalesFromZero: boolean;

  private readonly metrics: ParsedMetric[];
  private readonly scaleUp?: ScalingRules;
  private readonly scaleDown?: ScalingRules;
  private readonly downscaleStabilizationSeconds: number;
  /** The legacy path's window in microseconds (the flag is a duration: fractions of a second count). */
  private readonly downscaleStabilizationMicros: number;
  private readonly calculator: ReplicaCalculator;
  private readonly zero: ScaleToZeroRules;

  private recommendations: TimestampedRecommendation[] | undefined;
  private readonly scaleUpEvents: TimestampedScaleEvent[] = [];
  private readonly scaleDownEvents: TimestampedScaleEvent[] = [];
  /** The `ScaledToZero` condition in the HPA's status. */
  private condition: ScaledToZeroCondition;
  /** The last sync's decision, built from the fields below when asked for (`lastDecision`). */
  private decision: HpaSyncDecision | undefined;
  /** Whether a sync has completed (the fields below describe it). */
  private synced = false;
  /** The time of the last sync in seconds, as passed. */
  private lastTime = 0;
  private lastCurrent = 0;
  private lastReplicas = 0;
  private lastMetricReplicas = -1;
  private lastStabilized = -1;
  private lastReason = '';
  private lastCondition = ScaledToZeroCondition.ABSENT;
  /** Whether the last sync reached the metrics-based path (decides the decision's key order, as before). */
  private lastComputed = false;
  /** Metric proposals of the last completed sync, and a scratch array for the sync in progress. */
  private lastProposals: number[];
  private scratchProposals: number[];
  /** Outputs of the normalize step (no object per sync). */
  private normStabilized = -1;
  private normReason = '';

  /**
   * @param spec an autoscaling/v2 `HorizontalPodAutoscalerSpec` as JSON (or the whole HPA object)
   * @param options controller-wide settings and the HPA's initial `ScaledToZero` condition
   */
  constructor(spec: any, options: HpaControllerOptions = {}) {
    checkProps('HpaController', 'HpaControllerOptions', HPA_CONTROLLER_OPTIONS, options, true);
    const target = kubernetesTargetOf('HpaController', '', options.kubernetesVersion, options.featureGates);
    // The whole object (as synthesized) or just its spec, checked once here (not per sync).
    const s: any = checkHpaSpec('HpaController', 'spec', spec);
    this.maxReplicas = s.maxReplicas;
    this.minReplicas = s.minReplicas ?? 1;
    this.downscaleStabilizationSeconds = options.downscaleStabilizationSeconds ?? 300;
    this.downscaleStabilizationMicros = Math.round(this.downscaleStabilizationSeconds * MICROS);
    this.kubernetesVersion = target.version;
    const tolerance = options.tolerance ?? 0.1;

    const rawMetrics: any[] = Array.isArray(s.metrics) && s.metrics.length > 0 ? s.metrics
      // API default (SetDefaults_HorizontalPodAutoscaler): CPU at 80% of requests.
      : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
    this.metrics = rawMetrics.map(m => parseMetric(m));
    this.metricCount = this.metrics.length;
    this.lastProposals = new Array<number>(this.metricCount).fill(-1);
    this.scratchProposals = new Array<number>(this.metricCount).fill(-1);

    this.hasBehavior = s.behavior !== undefined;
    // tolerancesForHpa: the cluster flag, replaced per direction by behavior.*.tolerance when the gate is on.
    let up = tolerance;
    let down = tolerance;
    if (this.hasBehavior) {
      this.scaleUp = defaultRules(s.behavior.scaleUp, true, this.downscaleStabilizationSeconds);
      this.scaleDown = defaultRules(s.behavior.scaleDown, false, this.downscaleStabilizationSeconds);
      if (target.isEnabled(FeatureGate.HPA_CONFIGURABLE_TOLERANCE)) {
        up = this.scaleUp.tolerance ?? up;
        down = this.scaleDown.tolerance ?? down;
      }
    }
    this.calculator = new ReplicaCalculator(down, up);
    this.historySeconds = this.hasBehavior
      ? Math.max(...[this.scaleUp!, this.scaleDown!].flatMap(r => [r.stabilizationWindowSeconds, ...r.policies.map(p => p.periodSeconds)]))
      : this.downscaleStabilizationSeconds;

    const objectOrExternal = this.metrics.some(isObjectOrExternal);
    this.zero = new ScaleToZeroRules(target, this.minReplicas, objectOrExternal);
    this.scalesFromZero = this.minReplicas === 0 && objectOrExternal && (!this.zero.conditionBased || this.zero.gateEnabled);
    this.condition = options.scaledToZero === undefined ? ScaledToZeroCondition.ABSENT
      : options.scaledToZero ? ScaledToZeroCondition.TRUE : ScaledToZeroCondition.FALSE;
  }

  /** What the last `sync` decided, or undefined before the first. */
  public get lastDecision(): HpaSyncDecision | undefined {
    if (this.decision === undefined && this.synced) this.decision = this.buildDecision();
    return this.decision;
  }

  /** The decision object of the last sync, with the key order the controller always used. */
  private buildDecision(): HpaSyncDecision {
    const proposals = this.lastProposals.slice();
    if (this.lastComputed) {
      return {
        time: this.lastTime,
        currentReplicas: this.lastCurrent,
        replicas: this.lastReplicas,
        metricProposals: proposals,
        metricReplicas: this.lastMetricReplicas,
        stabilizedReplicas: this.lastStabilized,
        reason: this.lastReason,
        scaledToZero: conditionValue(this.lastCondition),
      };
    }
    return {
      time: this.lastTime,
      currentReplicas: this.lastCurrent,
      replicas: this.lastReplicas,
      reason: this.lastReason,
      metricReplicas: this.lastMetricReplicas,
      stabilizedReplicas: this.lastStabilized,
      metricProposals: proposals,
      scaledToZero: conditionValue(this.lastCondition),
    };
  }

  /**
   * One reconcile of the HPA at `nowSeconds` (must not go backwards).
   *
   * @param nowSeconds the time of this sync, in seconds from any origin (compared in whole microseconds)
   * @param currentReplicas the target's `spec.replicas` (the pods that exist)
   * @param observations one value per metric, in the units of the class docs: numbers, or `null` where the metric cannot be fetched
   * @param readyReplicas pods that are ready and report metrics (the rest are Pending); defaults to `currentReplicas`
   * @returns the replica count the controller sets on the target
   */
  public sync(nowSeconds: number, currentReplicas: number, observations: any[], readyReplicas?: number): number {
    // Cheap checks first: the simulator syncs millions of times.
    if (typeof nowSeconds !== 'number' || !Number.isFinite(nowSeconds)) checkValue(SYNC, 'nowSeconds', nowSeconds, TIME);
    if (!Number.isInteger(currentReplicas) || currentReplicas < 0 || currentReplicas > 2147483647) checkValue(SYNC, 'currentReplicas', currentReplicas, REPLICAS);
    const ready = readyReplicas ?? currentReplicas;
    if (!Number.isInteger(ready) || ready < 0 || ready > currentReplicas) {
      checkValue(SYNC, 'readyReplicas', readyReplicas, optional(integer({ min: 0, max: currentReplicas, fix: `pass the ready pods, 0..currentReplicas (${currentReplicas})` })));
    }
    if (!Array.isArray(observations)) checkValue(SYNC, 'observations', observations, OBSERVATIONS);
    if (observations.length !== this.metrics.length) {
      fail({ scope: SYNC, prop: 'observations' }, observations, `expected ${this.metrics.length} observation(s), one per metric, got ${observations.length}`,
        'pass one value per spec.metrics entry, in order (null for a metric that cannot be fetched)');
    }
    // The one conversion of the sync's time: whole microseconds from here on (see MICROS).
    const now = Math.round(nowSeconds * MICROS);
    // recordInitialRecommendation
    if (this.recommendations === undefined) this.recommendations = [{ recommendation: currentReplicas, timestamp: now }];

    const replicas = this.reconcile(now, currentReplicas, ready, observations);
    // Completed: this sync's outcome becomes the last decision (a sync that throws leaves the previous one).
    const done = this.scratchProposals;
    this.scratchProposals = this.lastProposals;
    this.lastProposals = done;
    this.lastTime = nowSeconds;
    this.lastCurrent = currentReplicas;
    this.lastReplicas = replicas;
    this.lastCondition = this.condition;
    this.decision = undefined;
    this.synced = true;
    return replicas;
  }

  /**
   * `reconcileAutoscaler` after reading the scale: returns the replica count; the rest of the decision
   * goes to the `last*` fields and the scratch proposals, the condition to `condition`.
   */
  private reconcile(now: number, current: number, ready: number, observations: any[]): number {
    const zero = this.zero;
    const conditionAtStart = this.condition;
    if (current === 0) {
      if (!zero.computesAtZero(conditionAtStart)) {
        // A target scaled to zero by hand (or without HPAScaleToZero) is left alone.
        this.condition = zero.afterDisabled(conditionAtStart);
        return this.outcome(0, 'ScalingDisabled', true);
      }
    } else if (current > this.maxReplicas) {
      return this.rescaleWithoutMetrics(now, current, this.maxReplicas, 'Current number of replicas above Spec.MaxReplicas');
    } else if (current < this.minReplicas) {
      return this.rescaleWithoutMetrics(now, current, this.minReplicas, BELOW_MIN);
    }

    // computeReplicasForMetrics
    const metrics = this.metrics;
    const count = metrics.length;
    const proposals = this.scratchProposals;
    const calculator = this.calculator;
    let replicas = 0;
    let invalid = 0;
    for (let i = 0; i < count; i++) {
      const p = calculator.proposal(metrics[i], observations[i], current, ready, i);
      proposals[i] = p;
      if (p < 0) {
        invalid++;
      } else if (replicas === 0 || p > replicas) {
        replicas = p;
      }
    }
    if (invalid >= count || (invalid > 0 && replicas < current)) {
      return this.outcome(current, 'FailedComputeMetricsReplicas', false);
    }
    const prenormalized = Math.max(0, replicas);
    let desired = this.hasBehavior
      ? this.normalizeWithBehaviors(now, current, prenormalized)
      : this.normalizeLegacy(now, current, prenormalized);
    let reason = this.normReason;
    // Scale to at least minReplicas when scaling from zero with increased minReplicas.
    if (zero.clampsToMin(current, desired, conditionAtStart)) {
      desired = this.minReplicas;
      reason = BELOW_MIN;
    }
    if (desired !== current) this.rescaled(now, current, desired);
    this.lastComputed = true;
    this.lastMetricReplicas = prenormalized;
    this.lastStabilized = this.normStabilized;
    this.lastReason = reason;
    return desired;
  }

  /** The above-max and below-min paths: a rescale without reading metrics. */
  private rescaleWithoutMetrics(now: number, current: number, desired: number, reason: string): number {
    this.rescaled(now, current, desired);
    return this.outcome(desired, reason, true);
  }

  /** What a successful rescale leaves behind: a scale event (with `behavior`) and the `ScaledToZero` condition. */
  private rescaled(now: number, current: number, desired: number): void {
    this.storeScaleEvent(now, current, desired);
    this.condition = this.zero.afterRescale(this.condition, current, desired);
  }

  /** A decision without metric-based replicas; `clearProposals` when the metrics were not computed at all. */
  private outcome(replicas: number, reason: string, clearProposals: boolean): number {
    if (clearProposals) {
      const proposals = this.scratchProposals;
      for (let i = 0; i < proposals.length; i++) proposals[i] = -1;
    }
    this.lastComputed = false;
    this.lastMetricReplicas = -1;
    this.lastStabilized = -1;
    this.lastReason = reason;
    return replicas;
  }

  /** Sets the normalize outputs (no object per sync) and returns the replicas. */
  private normalized(replicas: number, stabilized: number, reason: string): number {
    this.normStabilized = stabilized;
    this.normReason = reason;
    return replicas;
  }

  /** normalizeDesiredReplicas: the path taken when `spec.behavior` is absent. */
  private normalizeLegacy(now: number, current: number, prenormalized: number): number {
    // stabilizeRecommendation
    const recs = this.recommendations!;
    const cutoff = now - this.downscaleStabilizationMicros;
    let maxRecommendation = prenormalized;
    let oldIndex = -1;
    for (let i = 0; i < recs.length; i++) {
      const rec = recs[i];
      if (rec.timestamp < cutoff) oldIndex = i;
      else if (rec.recommendation > maxRecommendation) maxRecommendation = rec.recommendation;
    }
    // Records this sync's recommendation in the last outdated slot (updated in place), or appends it.
    if (oldIndex >= 0) {
      const slot = recs[oldIndex];
      slot.recommendation = prenormalized;
      slot.timestamp = now;
    } else {
      recs.push({ recommendation: prenormalized, timestamp: now });
    }

    // convertDesiredReplicasWithRules
    const scaleUpLimit = Math.trunc(Math.max(2.0 * current, 4.0));
    let maximumAllowed: number;
    let reason: string;
    if (this.maxReplicas > scaleUpLimit) {
      maximumAllowed = scaleUpLimit;
      reason = 'ScaleUpLimit';
    } else {
      maximumAllowed = this.maxReplicas;
      reason = 'TooManyReplicas';
    }
    if (maxRecommendation < this.minReplicas) {
      return this.normalized(this.minReplicas, maxRecommendation, 'TooFewReplicas');
    }
    if (maxRecommendation > maximumAllowed) return this.normalized(maximumAllowed, maxRecommendation, reason);
    this.normStabilized = maxRecommendation;
    this.normReason = maxRecommendation === prenormalized ? 'DesiredWithinRange' : 'ScaleDownStabilized';
    return maxRecommendation;
  }

  /** normalizeDesiredReplicasWithBehaviors */
  private normalizeWithBehaviors(now: number, current: number, prenormalized: number): number {
    const up = this.scaleUp!;
    const down = this.scaleDown!;
    // stabilizeRecommendationWithBehaviors
    const recs = this.recommendations!;
    const upCutoff = now - up.stabilizationWindowMicros;
    const downCutoff = now - down.stabilizationWindowMicros;
    let upRecommendation = prenormalized;
    let downRecommendation = prenormalized;
    let oldIndex = -1;
    for (let i = 0; i < recs.length; i++) {
      const rec = recs[i];
      const timestamp = rec.timestamp;
      // min and max by comparison (recommendations are whole numbers >= 0, never -0)
      if (timestamp > upCutoff && rec.recommendation < upRecommendation) upRecommendation = rec.recommendation;
      if (timestamp > downCutoff && rec.recommendation > downRecommendation) downRecommendation = rec.recommendation;
      if (timestamp < upCutoff && timestamp < downCutoff) oldIndex = i;
    }
    let stabilized = current;
    if (stabilized < upRecommendation) stabilized = upRecommendation;
    if (stabilized > downRecommendation) stabilized = downRecommendation;
    // Records this sync's recommendation in the last outdated slot (updated in place), or appends it.
    if (oldIndex >= 0) {
      const slot = recs[oldIndex];
      slot.recommendation = prenormalized;
      slot.timestamp = now;
    } else {
      recs.push({ recommendation: prenormalized, timestamp: now });
    }
    const stabilizedReason = stabilized === prenormalized ? 'DesiredWithinRange' : (prenormalized >= current ? 'ScaleUpStabilized' : 'ScaleDownStabilized');

    // convertDesiredReplicasWithBehaviorRate
    if (stabilized > current) {
      let scaleUpLimit = this.scaleUpLimit(now, current, up);
      if (scaleUpLimit < current) scaleUpLimit = current;
      let maximumAllowed = this.maxReplicas;
      let reason: string;
      if (maximumAllowed > scaleUpLimit) {
        maximumAllowed = scaleUpLimit;
        reason = 'ScaleUpLimit';
      } else {
        reason = 'TooManyReplicas';
      }
      if (stabilized > maximumAllowed) return this.normalized(maximumAllowed, stabilized, reason);
    } else if (stabilized < current) {
      let scaleDownLimit = this.scaleDownLimit(now, current, down);
      if (scaleDownLimit > current) scaleDownLimit = current;
      let minimumAllowed = this.minReplicas;
      let reason: string;
      if (minimumAllowed < scaleDownLimit) {
        minimumAllowed = scaleDownLimit;
        reason = 'ScaleDownLimit';
      } else {
        reason = 'TooFewReplicas';
      }
      if (stabilized < minimumAllowed) return this.normalized(minimumAllowed, stabilized, reason);
    }
    this.normStabilized = stabilized;
    this.normReason = stabilizedReason;
    return stabilized;
  }

  /** calculateScaleUpLimitWithScalingRules */
  private scaleUpLimit(now: number, current: number, rules: ScalingRules): number {
    if (rules.selectPolicy === SelectPolicy.DISABLED) return current;
    const useMin = rules.selectPolicy === SelectPolicy.MIN;
    let result = useMin ? MAX_INT32 : MIN_INT32;
    for (const policy of rules.policies) {
      const added = replicasChangePerPeriod(now, policy.periodMicros, this.scaleUpEvents);
      const deleted = replicasChangePerPeriod(now, policy.periodMicros, this.scaleDownEvents);
      const periodStart = current - added + deleted;
      const proposed = policy.type === PolicyType.PODS
        ? periodStart + policy.value
        : Math.trunc(Math.ceil(periodStart * (1 + policy.value / 100)));
      result = useMin ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  /** calculateScaleDownLimitWithBehaviors */
  private scaleDownLimit(now: number, current: number, rules: ScalingRules): number {
    if (rules.selectPolicy === SelectPolicy.DISABLED) return current;
    const useMin = rules.selectPolicy === SelectPolicy.MIN;
    let result = useMin ? MIN_INT32 : MAX_INT32;
    for (const policy of rules.policies) {
      const added = replicasChangePerPeriod(now, policy.periodMicros, this.scaleUpEvents);
      const deleted = replicasChangePerPeriod(now, policy.periodMicros, this.scaleDownEvents);
      const periodStart = current - added + deleted;
      const proposed = policy.type === PolicyType.PODS
        ? periodStart - policy.value
        : Math.trunc(periodStart * (1 - policy.value / 100));
      result = useMin ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  /**
   * storeScaleEvent: marks the events older than the longest policy period outdated (markScaleEventsOutdated)
   * and reuses the last outdated slot, updated in place, as the controller does (the list stays bounded).
   */
  private storeScaleEvent(now: number, previous: number, next: number): void {
    if (!this.hasBehavior) return;
    const upward = next > previous;
    const events = upward ? this.scaleUpEvents : this.scaleDownEvents;
    const cutoff = now - (upward ? this.scaleUp! : this.scaleDown!).longestPeriodMicros;
    let oldIndex = -1;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (event.timestamp < cutoff) event.outdated = true;
      if (event.outdated) oldIndex = i;
    }
    const replicaChange = Math.abs(next - previous);
    if (oldIndex >= 0) {
      const slot = events[oldIndex];
      slot.replicaChange = replicaChange;
      slot.timestamp = now;
      slot.outdated = false;
    } else {
      events.push({ replicaChange, timestamp: now, outdated: false });
    }
  }
}

/** getReplicasChangePerPeriod: events strictly after now - period (microseconds). */
function replicasChangePerPeriod(now: number, periodMicros: number, events: TimestampedScaleEvent[]): number {
  const cutoff = now - periodMicros;
  let replicas = 0;
  for (const event of events) {
    if (event.timestamp > cutoff) replicas += event.replicaChange;
  }
  return replicas;
}

/** The API server's defaulting of one direction of `behavior` (GenerateHPAScaleUpRules / ...ScaleDownRules); `raw` passed `checkHpaSpec`. */
function defaultRules(raw: any, up: boolean, downscaleStabilizationSeconds: number): ScalingRules {
  const r = raw ?? {};
  const raws: any[] = r.policies !== undefined ? r.policies
    : up
      ? [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }]
      : [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  const policies: ScalingPolicy[] = raws.map(p => ({
    type: p.type === 'Pods' ? PolicyType.PODS : PolicyType.PERCENT,
    value: p.value,
    periodSeconds: p.periodSeconds,
    periodMicros: p.periodSeconds * MICROS,
  }));
  const rawSelect = r.selectPolicy ?? 'Max';
  const selectPolicy = rawSelect === 'Min' ? SelectPolicy.MIN : rawSelect === 'Disabled' ? SelectPolicy.DISABLED : SelectPolicy.MAX;
  // scaleUp defaults to 0 s; scaleDown is left nil by the API and filled in by the controller from its flag, in
  // whole seconds (maybeInitScaleDownStabilizationWindow: `(int32)(window.Seconds())`).
  const window = r.stabilizationWindowSeconds ?? (up ? 0 : Math.trunc(downscaleStabilizationSeconds));
  const tolerance = r.tolerance !== undefined ? quantityApproximateFloat(r.tolerance) : undefined;
  return {
    stabilizationWindowSeconds: window,
    stabilizationWindowMicros: window * MICROS,
    selectPolicy,
    policies,
    longestPeriodMicros: policies.reduce((acc, p) => Math.max(acc, p.periodMicros), 0),
    tolerance,
  };
}

/** The decision's view of the condition. */
function conditionValue(condition: ScaledToZeroCondition): boolean | undefined {
  return condition === ScaledToZeroCondition.ABSENT ? undefined : condition === ScaledToZeroCondition.TRUE;
}
