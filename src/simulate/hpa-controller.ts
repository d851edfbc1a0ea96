import { checkHpaSpec } from './hpa-spec-check';
import { HPA_CONTROLLER_OPTIONS } from './options-check';
import { observationToMilli, quantityApproximateFloat, quantityMilliValue } from './quantity-math';
import { arrayOf, anything, checkProps, checkValue, fail, integer, number, optional } from '../validate/check';

const SYNC = 'HpaController.sync';
const TIME = number({ fix: 'pass the time of the sync in seconds, not going backwards' });
const REPLICAS = integer({ min: 0 });
const OBSERVATIONS = arrayOf(anything('a number, a quantity string or null'));

/**
 * Settings of the kube-controller-manager that change how every HPA behaves.
 */
export interface HpaControllerOptions {
  /**
   * `--horizontal-pod-autoscaler-downscale-stabilization`: the scale-down stabilization window used by
   * HPAs without `behavior`, and by HPAs whose `behavior.scaleDown` omits `stabilizationWindowSeconds`.
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
   * Whether the `HPAConfigurableTolerance` feature gate is on, so that `behavior.scaleUp.tolerance` and
   * `behavior.scaleDown.tolerance` are honoured (beta and on by default since Kubernetes 1.34).
   * @default true
   */
  readonly configurableTolerance?: boolean;
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
  /** Why the count is what it is, in the controller's words (e.g. "ScaleUpLimit", "ScalingDisabled"). */
  readonly reason: string;
}

enum MetricKind {
  RESOURCE_UTILIZATION,
  RESOURCE_AVERAGE_VALUE,
  PODS_AVERAGE_VALUE,
  OBJECT_VALUE,
  OBJECT_AVERAGE_VALUE,
  EXTERNAL_VALUE,
  EXTERNAL_AVERAGE_VALUE,
}

interface ParsedMetric {
  readonly kind: MetricKind;
  /** Utilization percent for RESOURCE_UTILIZATION, milli-units otherwise. */
  readonly target: number;
  readonly name: string;
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
}

interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: SelectPolicy;
  readonly policies: ScalingPolicy[];
  readonly tolerance?: number;
}

interface TimestampedRecommendation {
  recommendation: number;
  timestamp: number;
}

interface TimestampedScaleEvent {
  replicaChange: number;
  timestamp: number;
  outdated: boolean;
}

const MAX_INT32 = 2147483647;
const MIN_INT32 = -2147483648;

/**
 * The Kubernetes autoscaling/v2 horizontal pod autoscaler controller, for one HPA, as a pure function of
 * time: feed it the replica count and metric observations at each sync and it returns the replica count
 * the controller would set, keeping the controller's memory (recommendations, scale events) in between.
 *
 * Follows `pkg/controller/podautoscaler/horizontal.go` and `replica_calculator.go` (Kubernetes 1.33-1.35),
 * assuming feature gates at their defaults (`HPAScaleToZero` off, `HPAConfigurableTolerance` on) and all
 * timestamps of one sync taken at the same instant.
 *
 * Pods: the controller sees `currentReplicas` pods, of which `readyReplicas` are ready and report
 * metrics; the others are treated as Pending pods (no metrics; counted as 0 on a scale-up, as the
 * replica calculator does). Missing metrics of Running pods and the CPU initialization period are not
 * modelled: they need per-pod data.
 *
 * Observations, aligned with `spec.metrics` (numbers or quantity strings such as "500m", or `null` for a
 * metric that cannot be fetched):
 * - Resource/ContainerResource, Utilization target: the ready pods' average utilization in percent of requests;
 * - Resource/ContainerResource AverageValue and Pods: the ready pods' average in natural units (cores, bytes, items);
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

  private readonly metrics: ParsedMetric[];
  private readonly scaleUp?: ScalingRules;
  private readonly scaleDown?: ScalingRules;
  private readonly downscaleStabilizationSeconds: number;
  /** The tolerance band around a usage ratio of 1: `1 - scaleDown tolerance` to `1 + scaleUp tolerance`. */
  private readonly toleranceLow: number;
  private readonly toleranceHigh: number;

  private recommendations: TimestampedRecommendation[] | undefined;
  private readonly scaleUpEvents: TimestampedScaleEvent[] = [];
  private readonly scaleDownEvents: TimestampedScaleEvent[] = [];
  /** The last sync's decision, built from the fields below when asked for (`lastDecision`). */
  private decision: HpaSyncDecision | undefined;
  /** Whether a sync has completed (the fields below describe it). */
  private synced = false;
  private lastTime = 0;
  private lastCurrent = 0;
  private lastReplicas = 0;
  private lastMetricReplicas = -1;
  private lastStabilized = -1;
  private lastReason = '';
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
   * @param options controller-wide settings
   */
  constructor(spec: any, options: HpaControllerOptions = {}) {
    checkProps('HpaController', 'HpaControllerOptions', HPA_CONTROLLER_OPTIONS, options, true);
    // The whole object (as synthesized) or just its spec, checked once here (not per sync).
    const s: any = checkHpaSpec('HpaController', 'spec', spec);
    this.maxReplicas = s.maxReplicas;
    this.minReplicas = s.minReplicas ?? 1;
    this.downscaleStabilizationSeconds = options.downscaleStabilizationSeconds ?? 300;
    const tolerance = options.tolerance ?? 0.1;

    const rawMetrics: any[] = Array.isArray(s.metrics) && s.metrics.length > 0 ? s.metrics
      // API default (SetDefaults_HorizontalPodAutoscaler): CPU at 80% of requests.
      : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
    this.metrics = rawMetrics.map(m => parseMetric(m));
    this.metricCount = this.metrics.length;
    this.lastProposals = new Array<number>(this.metricCount).fill(-1);
    this.scratchProposals = new Array<number>(this.metricCount).fill(-1);

    this.hasBehavior = s.behavior !== undefined;
    let up = tolerance;
    let down = tolerance;
    if (this.hasBehavior) {
      this.scaleUp = defaultRules(s.behavior.scaleUp, true, this.downscaleStabilizationSeconds);
      this.scaleDown = defaultRules(s.behavior.scaleDown, false, this.downscaleStabilizationSeconds);
      if (options.configurableTolerance ?? true) {
        up = this.scaleUp.tolerance ?? up;
        down = this.scaleDown.tolerance ?? down;
      }
    }
    this.toleranceLow = 1.0 - down;
    this.toleranceHigh = 1.0 + up;
    this.historySeconds = this.hasBehavior
      ? Math.max(...[this.scaleUp!, this.scaleDown!].flatMap(r => [r.stabilizationWindowSeconds, ...r.policies.map(p => p.periodSeconds)]))
      : this.downscaleStabilizationSeconds;
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
    };
  }

  /**
   * One reconcile of the HPA at `nowSeconds` (must not go backwards).
   *
   * @param nowSeconds the time of this sync, in seconds from any origin
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
    const now = nowSeconds;
    // recordInitialRecommendation
    if (this.recommendations === undefined) this.recommendations = [{ recommendation: currentReplicas, timestamp: now }];

    const replicas = this.reconcile(now, currentReplicas, ready, observations);
    // Completed: this sync's outcome becomes the last decision (a sync that throws leaves the previous one).
    const done = this.scratchProposals;
    this.scratchProposals = this.lastProposals;
    this.lastProposals = done;
    this.lastTime = now;
    this.lastCurrent = currentReplicas;
    this.lastReplicas = replicas;
    this.decision = undefined;
    this.synced = true;
    return replicas;
  }

  /** Returns the replica count; the rest of the decision goes to the `last*` fields and the scratch proposals. */
  private reconcile(now: number, current: number, ready: number, observations: any[]): number {
    if (current === 0) {
      // Scaling is disabled while the target is scaled to zero (HPAScaleToZero off).
      return this.outcome(0, 'ScalingDisabled', true);
    }
    if (current > this.maxReplicas) {
      this.storeScaleEvent(now, current, this.maxReplicas);
      return this.outcome(this.maxReplicas, 'Current number of replicas above Spec.MaxReplicas', true);
    }
    if (current < this.minReplicas) {
      this.storeScaleEvent(now, current, this.minReplicas);
      return this.outcome(this.minReplicas, 'Current number of replicas below Spec.MinReplicas', true);
    }

    // computeReplicasForMetrics
    const metrics = this.metrics;
    const count = metrics.length;
    const proposals = this.scratchProposals;
    let replicas = 0;
    let invalid = 0;
    for (let i = 0; i < count; i++) {
      const p = this.metricProposal(metrics[i], observations[i], current, ready, i);
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
    const normalized = this.hasBehavior
      ? this.normalizeWithBehaviors(now, current, prenormalized)
      : this.normalizeLegacy(now, current, prenormalized);
    if (normalized !== current) this.storeScaleEvent(now, current, normalized);
    this.lastComputed = true;
    this.lastMetricReplicas = prenormalized;
    this.lastStabilized = this.normStabilized;
    this.lastReason = this.normReason;
    return normalized;
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

  private isWithinTolerance(ratio: number): boolean {
    return this.toleranceLow <= ratio && ratio <= this.toleranceHigh;
  }

  /** One metric's replica proposal, or -1 on the controller's error path for that metric. */
  private metricProposal(metric: ParsedMetric, raw: unknown, current: number, ready: number, index: number): number {
    if (raw === null || raw === undefined) return -1;
    // A quantity string ("500m", "2Gi") is read exactly, as the metrics APIs report values.
    let observation = raw;
    if (typeof raw === 'string') {
      try {
        observation = quantityMilliValue(raw) / 1000;
      } catch (e) {
        fail({ scope: SYNC, prop: `observations[${index}]` }, raw, `is not a quantity for ${metric.name} (${(e as Error).message})`,
          'pass a number, a quantity string such as "500m", or null when the metric cannot be fetched');
      }
    }
    if (typeof observation !== 'number' || !Number.isFinite(observation) || observation < 0) {
      fail({ scope: SYNC, prop: `observations[${index}]` }, raw, `must be a number >= 0 or null (the observation for ${metric.name})`,
        'pass a number, a quantity string such as "500m", or null when the metric cannot be fetched');
    }
    const unready = current - ready;
    switch (metric.kind) {
      case MetricKind.RESOURCE_UTILIZATION: {
        if (ready === 0) return -1; // no metrics for targeted pods
        // metricsTotal*100/requestsTotal in integers: the utilization is truncated to whole percent.
        const utilization = Math.floor(observation + 1e-9);
        const usageRatio = utilization / metric.target;
        const scaleUpWithUnready = unready > 0 && usageRatio > 1.0;
        if (!scaleUpWithUnready) {
          if (this.toleranceLow <= usageRatio && usageRatio <= this.toleranceHigh) return current; // isWithinTolerance
          return Math.ceil(usageRatio * ready);
        }
        // Pending pods count as 0% of their (equal) requests.
        const newUtilization = Math.floor((observation * ready) / current + 1e-9);
        return this.unreadyAdjusted(usageRatio, newUtilization / metric.target, current);
      }
      case MetricKind.RESOURCE_AVERAGE_VALUE:
      case MetricKind.PODS_AVERAGE_VALUE: {
        if (ready === 0) return -1;
        const averageMilli = observationToMilli(observation, 'floor');
        const usageRatio = averageMilli / metric.target;
        const scaleUpWithUnready = unready > 0 && usageRatio > 1.0;
        if (!scaleUpWithUnready) {
          if (this.toleranceLow <= usageRatio && usageRatio <= this.toleranceHigh) return current; // isWithinTolerance
          return Math.ceil(usageRatio * ready);
        }
        const newUsage = Math.floor((averageMilli * ready) / current);
        return this.unreadyAdjusted(usageRatio, newUsage / metric.target, current);
      }
      case MetricKind.OBJECT_VALUE:
      case MetricKind.EXTERNAL_VALUE: {
        const usage = observationToMilli(observation, 'ceil');
        const usageRatio = usage / metric.target;
        // getUsageRatioReplicaCount (current != 0 here)
        if (this.toleranceLow <= usageRatio && usageRatio <= this.toleranceHigh) return current; // isWithinTolerance
        const proposal = usageRatio * ready;
        return proposal > MAX_INT32 ? MAX_INT32 : Math.ceil(proposal);
      }
      case MetricKind.OBJECT_AVERAGE_VALUE:
      case MetricKind.EXTERNAL_AVERAGE_VALUE: {
        const usage = observationToMilli(observation, 'ceil');
        const usageRatio = usage / (metric.target * current);
        if (this.toleranceLow <= usageRatio && usageRatio <= this.toleranceHigh) return current; // isWithinTolerance
        const proposal = Math.ceil(usage / metric.target);
        return proposal > MAX_INT32 ? MAX_INT32 : proposal;
      }
    }
  }

  /** The second half of the replica calculator, once Pending pods were counted as using nothing. */
  private unreadyAdjusted(usageRatio: number, newUsageRatio: number, current: number): number {
    if (this.isWithinTolerance(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
      return current;
    }
    const newReplicas = Math.ceil(newUsageRatio * current);
    if ((newUsageRatio < 1.0 && newReplicas > current) || (newUsageRatio > 1.0 && newReplicas < current)) return current;
    return newReplicas;
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
    const cutoff = now - this.downscaleStabilizationSeconds;
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
    const upCutoff = now - up.stabilizationWindowSeconds;
    const downCutoff = now - down.stabilizationWindowSeconds;
    let upRecommendation = prenormalized;
    let downRecommendation = prenormalized;
    let oldIndex = -1;
    for (let i = 0; i < recs.length; i++) {
      const rec = recs[i];
      const timestamp = rec.timestamp;
      // min and max by comparison (recommendations are integers; a -0 could only differ in sign from Math.min,
      // and an up recommendation of 0 never wins below since current >= 1 here)
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
      const added = replicasChangePerPeriod(now, policy.periodSeconds, this.scaleUpEvents);
      const deleted = replicasChangePerPeriod(now, policy.periodSeconds, this.scaleDownEvents);
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
      const added = replicasChangePerPeriod(now, policy.periodSeconds, this.scaleUpEvents);
      const deleted = replicasChangePerPeriod(now, policy.periodSeconds, this.scaleDownEvents);
      const periodStart = current - added + deleted;
      const proposed = policy.type === PolicyType.PODS
        ? periodStart - policy.value
        : Math.trunc(periodStart * (1 - policy.value / 100));
      result = useMin ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  /** storeScaleEvent: reuses the last outdated slot, as the controller does (the list stays bounded). */
  private storeScaleEvent(now: number, previous: number, next: number): void {
    if (!this.hasBehavior) return;
    const upward = next > previous;
    const events = upward ? this.scaleUpEvents : this.scaleDownEvents;
    const rules = upward ? this.scaleUp! : this.scaleDown!;
    const longest = rules.policies.reduce((acc, p) => Math.max(acc, p.periodSeconds), 0);
    const cutoff = now - longest;
    let oldIndex = -1;
    for (const event of events) {
      if (event.timestamp < cutoff) event.outdated = true;
    }
    events.forEach((event, i) => {
      if (event.outdated) oldIndex = i;
    });
    const entry = { replicaChange: Math.abs(next - previous), timestamp: now, outdated: false };
    if (oldIndex >= 0) events[oldIndex] = entry; else events.push(entry);
  }
}

/** getReplicasChangePerPeriod: events strictly after now - period. */
function replicasChangePerPeriod(now: number, periodSeconds: number, events: TimestampedScaleEvent[]): number {
  const cutoff = now - periodSeconds;
  let replicas = 0;
  for (const event of events) {
    if (event.timestamp > cutoff) replicas += event.replicaChange;
  }
  return replicas;
}

/** The API server's defaulting of one direction of `behavior` (GenerateHPAScaleUpRules / ...ScaleDownRules); `raw` passed `checkHpaSpec`. */
function defaultRules(raw: any, up: boolean, downscaleStabilizationSeconds: number): ScalingRules {
  const r = raw ?? {};
  const policies: ScalingPolicy[] = r.policies !== undefined
    ? (r.policies as any[]).map(p => ({ type: p.type === 'Pods' ? PolicyType.PODS : PolicyType.PERCENT, value: p.value, periodSeconds: p.periodSeconds }))
    : up
      ? [{ type: PolicyType.PODS, value: 4, periodSeconds: 15 }, { type: PolicyType.PERCENT, value: 100, periodSeconds: 15 }]
      : [{ type: PolicyType.PERCENT, value: 100, periodSeconds: 15 }];
  const rawSelect = r.selectPolicy ?? 'Max';
  const selectPolicy = rawSelect === 'Min' ? SelectPolicy.MIN : rawSelect === 'Disabled' ? SelectPolicy.DISABLED : SelectPolicy.MAX;
  // scaleUp defaults to 0 s; scaleDown is left nil by the API and filled in by the controller from its flag.
  const window = r.stabilizationWindowSeconds ?? (up ? 0 : downscaleStabilizationSeconds);
  const tolerance = r.tolerance !== undefined ? quantityApproximateFloat(r.tolerance) : undefined;
  return { stabilizationWindowSeconds: window, selectPolicy, policies, tolerance };
}

/** The controller's reading of one metric; `m` passed `checkHpaSpec`. */
function parseMetric(m: any): ParsedMetric {
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = m.type === 'Resource' ? m.resource : m.containerResource;
      const target = src.target;
      const name = `${src.name} ${m.type === 'Resource' ? 'resource' : 'container resource'}`;
      // The controller checks AverageValue before AverageUtilization.
      if (target.averageValue !== undefined) {
        return { kind: MetricKind.RESOURCE_AVERAGE_VALUE, target: quantityMilliValue(target.averageValue), name };
      }
      return { kind: MetricKind.RESOURCE_UTILIZATION, target: target.averageUtilization, name };
    }
    case 'Pods':
      return { kind: MetricKind.PODS_AVERAGE_VALUE, target: quantityMilliValue(m.pods.target.averageValue), name: `pods metric ${m.pods.metric.name}` };
    case 'Object': {
      const target = m.object.target;
      const name = `object metric ${m.object.metric.name}`;
      return target.type === 'Value'
        ? { kind: MetricKind.OBJECT_VALUE, target: quantityMilliValue(target.value), name }
        : { kind: MetricKind.OBJECT_AVERAGE_VALUE, target: quantityMilliValue(target.averageValue), name };
    }
    default: {
      const target = m.external.target;
      const name = `external metric ${m.external.metric.name}`;
      // The controller checks AverageValue before Value.
      return target.averageValue !== undefined
        ? { kind: MetricKind.EXTERNAL_AVERAGE_VALUE, target: quantityMilliValue(target.averageValue), name }
        : { kind: MetricKind.EXTERNAL_VALUE, target: quantityMilliValue(target.value), name };
    }
  }
}
