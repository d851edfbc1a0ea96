/**
 * REFERENCE MODEL of the upstream Kubernetes HPA controller's decision logic, for differential testing of
 * `HpaController` (src/simulate/hpa-controller.ts). It is a straight, deliberately unoptimized transcription of
 * pkg/controller/podautoscaler/horizontal.go and replica_calculator.go of kubernetes/kubernetes (reconcileAutoscaler
 * after and before PR 135118, computeReplicasForMetrics, tolerancesForHpa, stabilization / normalization / rate
 * limits, the replica calculator, computeStatusFor*Metric, calcPlainMetricReplicas, groupPods,
 * GetMetricUsageRatio, GetResourceUtilizationRatio) and pkg/apis/autoscaling/v2/defaults.go. It was written from the Go code, not from
 * the TypeScript implementation, and shares no code with it.
 *
 * Function and variable names follow Go. Go int64 milli-values are JavaScript safe integers (checked), Go
 * float64 are JavaScript numbers computed in the same order of operations, Go `int32(x)` conversions are
 * `goInt32(x)` (truncation; values outside int32, implementation-defined in Go, throw here). Times are integer
 * microseconds, so `time.Before/After` comparisons are exact like Go's nanoseconds.
 *
 * The world one sync sees (what the TypeScript API models too):
 * - the scale subresource: `spec.replicas = specReplicas`, `status.replicas = specReplicas`;
 * - `specReplicas` pods, of which `readyPods` are Running+Ready and report metrics, the rest are Pending (no
 *   metrics); no pod misses metrics otherwise, no pod is within the CPU initialization period, every pod has the
 *   same resource request;
 * - observations aligned with spec.metrics (`null` = the metrics API returns an error):
 *   Resource/ContainerResource Utilization: the exact average utilization (percent of request) of the ready pods;
 *   Resource/ContainerResource AverageValue and Pods: the ready pods' average value (their milli-values total
 *   average * readyPods);
 *   Object Value / AverageValue: the object's value; External Value / AverageValue: the sum of the series.
 */
import { kubernetesMinor, resolveReferenceGates, hasConditionBasedScaleToZero, ReferenceGates } from './go-feature-gates';
import { GoDecimal, floorDiv, goApproximateFloat64, goDecimalFraction, goMilliValue, parseGoQuantity } from './go-quantity';

const MaxInt32 = 2147483647;
const MinInt32 = -2147483648;
const MICROS = 1_000_000;

/** Go `int32(f)` for a float64 f: truncation toward zero. Out-of-range conversions are not modelled. */
export function goInt32(f: number): number {
  if (Number.isNaN(f) || f >= MaxInt32 + 1 || f <= MinInt32 - 1) {
    throw new Error(`reference: int32(${f}) is implementation-defined in Go; not modelled`);
  }
  return Math.trunc(f) + 0; // + 0 turns -0 into 0
}

function goSafeInt64(n: number): number {
  if (!Number.isSafeInteger(n)) throw new Error(`reference: int64 ${n} beyond the modelled range`);
  return n;
}

// ----------------------------------------------------------------------------------------------------------------
// API types (autoscaling/v2, after the API server's defaulting)

interface MetricTarget {
  type: string;
  value?: GoDecimal;
  averageValue?: GoDecimal;
  averageUtilization?: number;
}

interface MetricSpec {
  type: string;
  name: string;
  describedObjectKind?: string;
  target: MetricTarget;
}

interface HPAScalingPolicy {
  type: string; // Pods | Percent
  value: number;
  periodSeconds: number;
}

interface HPAScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: string; // Max | Min | Disabled
  policies?: HPAScalingPolicy[];
  tolerance?: GoDecimal;
}

interface HorizontalPodAutoscalerBehavior {
  scaleUp?: HPAScalingRules;
  scaleDown?: HPAScalingRules;
}

interface HorizontalPodAutoscalerSpec {
  minReplicas?: number;
  maxReplicas: number;
  metrics: MetricSpec[];
  behavior?: HorizontalPodAutoscalerBehavior;
}

export interface HorizontalPodAutoscalerCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
}

interface HorizontalPodAutoscaler {
  spec: HorizontalPodAutoscalerSpec;
  status: { conditions: HorizontalPodAutoscalerCondition[] };
}

interface timestampedRecommendation {
  recommendation: number;
  timestamp: number; // microseconds
}

interface timestampedScaleEvent {
  replicaChange: number; // absolute value, non-negative
  timestamp: number; // microseconds
  outdated: boolean;
}

interface Tolerances {
  scaleDown: number;
  scaleUp: number;
}

function isWithin(t: Tolerances, usageRatio: number): boolean {
  return (1.0 - t.scaleDown) <= usageRatio && usageRatio <= (1.0 + t.scaleUp);
}

// ----------------------------------------------------------------------------------------------------------------
// Decoding the spec JSON the way the API server stores it (defaults.go of autoscaling/v2)

function quantity(raw: unknown, what: string): GoDecimal | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' && typeof raw !== 'number') throw new Error(`reference: ${what} is not a quantity`);
  return parseGoQuantity(raw);
}

function decodeMetric(m: any): MetricSpec {
  const type = String(m.type);
  switch (type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = type === 'Resource' ? m.resource : m.containerResource;
      return {
        type,
        name: String(src.name),
        target: {
          type: String(src.target.type),
          averageValue: quantity(src.target.averageValue, 'averageValue'),
          averageUtilization: src.target.averageUtilization ?? undefined,
        },
      };
    }
    case 'Pods':
      return {
        type,
        name: String(m.pods.metric.name),
        target: { type: String(m.pods.target.type), averageValue: quantity(m.pods.target.averageValue, 'averageValue') },
      };
    case 'Object':
      return {
        type,
        name: String(m.object.metric.name),
        describedObjectKind: String(m.object.describedObject?.kind ?? ''),
        target: {
          type: String(m.object.target.type),
          value: quantity(m.object.target.value, 'value'),
          averageValue: quantity(m.object.target.averageValue, 'averageValue'),
        },
      };
    case 'External':
      return {
        type,
        name: String(m.external.metric.name),
        target: {
          type: String(m.external.target.type),
          value: quantity(m.external.target.value, 'value'),
          averageValue: quantity(m.external.target.averageValue, 'averageValue'),
        },
      };
    default:
      return { type, name: '', target: { type: '' } };
  }
}

function decodeRules(r: any): HPAScalingRules | undefined {
  if (r === undefined || r === null) return undefined;
  return {
    stabilizationWindowSeconds: r.stabilizationWindowSeconds ?? undefined,
    selectPolicy: r.selectPolicy ?? undefined,
    policies: r.policies === undefined || r.policies === null
      ? undefined
      : (r.policies as any[]).map(p => ({ type: String(p.type), value: Number(p.value), periodSeconds: Number(p.periodSeconds) })),
    tolerance: quantity(r.tolerance, 'tolerance'),
  };
}

// copyHPAScalingRules copies all non-`nil` fields in HPA constraint structure
function copyHPAScalingRules(from: HPAScalingRules | undefined, to: HPAScalingRules): HPAScalingRules {
  if (from === undefined) return to;
  if (from.selectPolicy !== undefined) to.selectPolicy = from.selectPolicy;
  if (from.stabilizationWindowSeconds !== undefined) to.stabilizationWindowSeconds = from.stabilizationWindowSeconds;
  if (from.policies !== undefined) to.policies = from.policies;
  if (from.tolerance !== undefined) to.tolerance = from.tolerance;
  return to;
}

function GenerateHPAScaleUpRules(scalingRules: HPAScalingRules | undefined): HPAScalingRules {
  const defaultScalingRules: HPAScalingRules = {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
  return copyHPAScalingRules(scalingRules, defaultScalingRules);
}

function GenerateHPAScaleDownRules(scalingRules: HPAScalingRules | undefined): HPAScalingRules {
  const defaultScalingRules: HPAScalingRules = {
    stabilizationWindowSeconds: undefined,
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
  return copyHPAScalingRules(scalingRules, defaultScalingRules);
}

/** Accepts the spec, or a whole HorizontalPodAutoscaler object. */
function decodeSpec(input: any): HorizontalPodAutoscalerSpec {
  const raw = input && typeof input === 'object' && 'spec' in input ? input.spec : input;
  const spec: HorizontalPodAutoscalerSpec = {
    minReplicas: raw.minReplicas ?? undefined,
    maxReplicas: Number(raw.maxReplicas),
    metrics: ((raw.metrics ?? []) as any[]).map(decodeMetric),
    behavior: undefined,
  };
  // SetDefaults_HorizontalPodAutoscaler
  if (spec.minReplicas === undefined) spec.minReplicas = 1;
  if (spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } }];
  }
  // SetDefaults_HorizontalPodAutoscalerBehavior
  if (raw.behavior !== undefined && raw.behavior !== null) {
    spec.behavior = {
      scaleUp: GenerateHPAScaleUpRules(decodeRules(raw.behavior.scaleUp)),
      scaleDown: GenerateHPAScaleDownRules(decodeRules(raw.behavior.scaleDown)),
    };
  }
  return spec;
}

// ----------------------------------------------------------------------------------------------------------------
// Conditions (setCondition / setConditionInList / removeCondition / getScaledToZeroConditionStatus)

function setConditionInList(list: HorizontalPodAutoscalerCondition[], conditionType: string, status: 'True' | 'False', reason: string): HorizontalPodAutoscalerCondition[] {
  const resList = list;
  let existingCond: HorizontalPodAutoscalerCondition | undefined;
  for (const condition of resList) {
    if (condition.type === conditionType) {
      existingCond = condition;
      break;
    }
  }
  if (existingCond === undefined) {
    existingCond = { type: conditionType, status, reason };
    resList.push(existingCond);
  }
  existingCond.status = status;
  existingCond.reason = reason;
  return resList;
}

function setCondition(hpa: HorizontalPodAutoscaler, conditionType: string, status: 'True' | 'False', reason: string): void {
  hpa.status.conditions = setConditionInList(hpa.status.conditions, conditionType, status, reason);
}

function removeCondition(hpa: HorizontalPodAutoscaler, conditionType: string): void {
  hpa.status.conditions = hpa.status.conditions.filter(c => c.type !== conditionType);
}

function hasObjectOrExternalMetrics(hpa: HorizontalPodAutoscaler): boolean {
  for (const metric of hpa.spec.metrics) {
    if (metric.type === 'Object' || metric.type === 'External') return true;
  }
  return false;
}

function getScaledToZeroConditionStatus(hpa: HorizontalPodAutoscaler): boolean {
  for (const condition of hpa.status.conditions) {
    if (condition.type === 'ScaledToZero') return condition.status === 'True';
  }
  return false;
}

// ----------------------------------------------------------------------------------------------------------------
// The world of one sync: scale subresource, pods, metrics APIs

class MetricError extends Error {}

/** One metric's observation: a number, a quantity string, or null/undefined when the metrics API fails. */
type Observation = number | string | null | undefined;

interface World {
  /** scale.Spec.Replicas */
  specReplicas: number;
  /** scale.Status.Replicas */
  statusReplicas: number;
  /** Running+Ready pods that report metrics */
  readyPods: number;
  /** Pending pods (no metrics) */
  pendingPods: number;
  observations: Observation[];
}

function podCount(w: World): number {
  return w.readyPods + w.pendingPods;
}

/** Per-pod resource utilization average as an exact fraction of percent (the ready pods' average). */
interface Fraction { num: bigint; den: bigint }

function observationFraction(raw: number | string): Fraction {
  return goDecimalFraction(parseGoQuantity(raw));
}

function observationMilli(raw: number | string): number {
  return goMilliValue(parseGoQuantity(raw));
}

// ----------------------------------------------------------------------------------------------------------------
// ReplicaCalculator

class ReplicaCalculator {
  constructor(private readonly w: World) {}

  // GetResourceReplicas (Utilization). Every pod has the same request R; the ready pods' usage totals
  // u% of their requests; Pending pods are unreadyPods; there are no missing or ignored pods.
  GetResourceReplicas(currentReplicas: number, targetUtilization: number, tolerances: Tolerances, raw: Observation): number {
    // metricsClient.GetResourceMetric: no samples (no ready pod, or the API fails) is an error
    if (raw === null || raw === undefined || this.w.readyPods === 0) {
      throw new MetricError('unable to get metrics for resource: no metrics returned from resource metrics API');
    }
    const podList = podCount(this.w);
    if (podList === 0) throw new MetricError('no pods returned by selector while calculating replica count');
    const readyPodCount = this.w.readyPods;
    const unreadyPods = this.w.pendingPods;
    const missingPods = 0;
    const u = observationFraction(raw);
    // GetResourceUtilizationRatio over the ready pods: int32((metricsTotal * 100) / requestsTotal)
    //   metricsTotal * 100 / requestsTotal = u exactly (same request per pod)
    const utilization = Number(floorDiv(u.num, u.den));
    const usageRatio = utilization / targetUtilization;

    const scaleUpWithUnready = unreadyPods > 0 && usageRatio > 1.0;
    if (!scaleUpWithUnready && missingPods === 0) {
      if (isWithin(tolerances, usageRatio)) {
        return currentReplicas;
      }
      return goInt32(Math.ceil(usageRatio * readyPodCount));
    }
    // (no missing pods in this model)
    // on a scale-up, treat unready pods as using 0% of the resource request
    const metricsLen = readyPodCount + unreadyPods;
    // re-run the utilization calculation: total usage unchanged, requests of all metricsLen pods
    const newUtilization = Number(floorDiv(u.num * BigInt(readyPodCount), u.den * BigInt(metricsLen)));
    const newUsageRatio = newUtilization / targetUtilization;
    if (isWithin(tolerances, newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
      return currentReplicas;
    }
    const newReplicas = goInt32(Math.ceil(newUsageRatio * metricsLen));
    if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
      return currentReplicas;
    }
    return newReplicas;
  }

  // GetRawResourceReplicas / GetMetricReplicas -> calcPlainMetricReplicas
  GetPlainMetricReplicas(currentReplicas: number, targetUsage: number, tolerances: Tolerances, raw: Observation): number {
    // metricsClient: no samples is an error
    if (raw === null || raw === undefined || this.w.readyPods === 0) {
      throw new MetricError('unable to get metric: no metrics returned');
    }
    // The observation is the ready pods' average; the pods report integer milli-values (MilliValue), so their
    // total is average * readyPods milli-units (floored, for an average given with more digits than that allows).
    const a = observationFraction(raw);
    const metricsTotal = goSafeInt64(Number(floorDiv(a.num * 1000n * BigInt(this.w.readyPods), a.den)));
    return this.calcPlainMetricReplicas(metricsTotal, currentReplicas, targetUsage, tolerances);
  }

  private calcPlainMetricReplicas(metricsTotal: number, currentReplicas: number, targetUsage: number, tolerances: Tolerances): number {
    const podList = podCount(this.w);
    if (podList === 0) throw new MetricError('no pods returned by selector while calculating replica count');
    const readyPodCount = this.w.readyPods;
    const unreadyPods = this.w.pendingPods;
    const missingPods = 0;
    // metrics: one value per ready pod, totalling metricsTotal
    // GetMetricUsageRatio: currentUsage = metricsTotal / int64(len(metrics))
    const usage = Math.trunc(metricsTotal / readyPodCount);
    const usageRatio = usage / targetUsage;

    const scaleUpWithUnready = unreadyPods > 0 && usageRatio > 1.0;
    if (!scaleUpWithUnready && missingPods === 0) {
      if (isWithin(tolerances, usageRatio)) {
        return currentReplicas;
      }
      return goInt32(Math.ceil(usageRatio * readyPodCount));
    }
    // on a scale-up, treat unready pods as using 0
    const metricsLen = readyPodCount + unreadyPods;
    const newUsage = Math.trunc(metricsTotal / metricsLen);
    const newUsageRatio = newUsage / targetUsage;
    if (isWithin(tolerances, newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
      return currentReplicas;
    }
    const newReplicas = goInt32(Math.ceil(newUsageRatio * metricsLen));
    if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
      return currentReplicas;
    }
    return newReplicas;
  }

  // GetObjectMetricReplicas
  GetObjectMetricReplicas(currentReplicas: number, targetUsage: number, tolerances: Tolerances, raw: Observation): number {
    if (raw === null || raw === undefined) throw new MetricError('unable to get metric');
    const usage = observationMilli(raw);
    const usageRatio = usage / targetUsage;
    return this.getUsageRatioReplicaCount(currentReplicas, usageRatio, tolerances);
  }

  // getUsageRatioReplicaCount
  private getUsageRatioReplicaCount(currentReplicas: number, usageRatio: number, tolerances: Tolerances): number {
    let replicaCount: number;
    if (currentReplicas !== 0) {
      if (isWithin(tolerances, usageRatio)) {
        return currentReplicas;
      }
      const readyPodCount = this.getReadyPodsCount();
      const replicaCountFloat = usageRatio * readyPodCount;
      if (replicaCountFloat > MaxInt32) {
        replicaCount = MaxInt32;
      } else {
        replicaCount = goInt32(Math.ceil(replicaCountFloat));
      }
    } else {
      // Scale to zero or n pods depending on usageRatio
      replicaCount = goInt32(Math.ceil(usageRatio));
    }
    return replicaCount;
  }

  // getReadyPodsCount: pods Running and Ready among those the selector lists
  private getReadyPodsCount(): number {
    if (podCount(this.w) === 0) {
      throw new MetricError('unable to calculate ready pods: no pods returned by selector while calculating replica count');
    }
    return this.w.readyPods;
  }

  // GetObjectPerPodMetricReplicas
  GetObjectPerPodMetricReplicas(statusReplicas: number, targetAverageUsage: number, tolerances: Tolerances, raw: Observation): number {
    if (raw === null || raw === undefined) throw new MetricError('unable to get metric');
    const usage = observationMilli(raw);
    let replicaCount = statusReplicas;
    const usageRatio = usage / (targetAverageUsage * replicaCount);
    if (!isWithin(tolerances, usageRatio)) {
      replicaCount = goInt32(Math.ceil(usage / targetAverageUsage));
    }
    return replicaCount;
  }

  // GetExternalMetricReplicas (the observation is the sum over the series)
  GetExternalMetricReplicas(currentReplicas: number, targetUsage: number, tolerances: Tolerances, raw: Observation): number {
    if (raw === null || raw === undefined) throw new MetricError('unable to get external metric');
    const usage = observationMilli(raw);
    const usageRatio = usage / targetUsage;
    return this.getUsageRatioReplicaCount(currentReplicas, usageRatio, tolerances);
  }

  // GetExternalPerPodMetricReplicas
  GetExternalPerPodMetricReplicas(statusReplicas: number, targetUsagePerPod: number, tolerances: Tolerances, raw: Observation): number {
    if (raw === null || raw === undefined) throw new MetricError('unable to get external metric');
    const usage = observationMilli(raw);
    let replicaCount = statusReplicas;
    const usageRatio = usage / (targetUsagePerPod * replicaCount);
    if (!isWithin(tolerances, usageRatio)) {
      const replicaCountResult = Math.ceil(usage / targetUsagePerPod);
      if (replicaCountResult > MaxInt32) {
        replicaCount = MaxInt32;
      } else {
        replicaCount = goInt32(replicaCountResult);
      }
    }
    return replicaCount;
  }
}

// ----------------------------------------------------------------------------------------------------------------
// The controller

export interface ReferenceOptions {
  /** Kubernetes version of kube-controller-manager, e.g. "1.37". @default "1.35" */
  readonly kubernetesVersion?: string;
  /** Explicit feature gates (win over the version's defaults). */
  readonly featureGates?: Partial<ReferenceGates>;
  /** --horizontal-pod-autoscaler-downscale-stabilization in seconds. @default 300 */
  readonly downscaleStabilizationSeconds?: number;
  /** --horizontal-pod-autoscaler-tolerance. @default 0.1 */
  readonly tolerance?: number;
  /** The ScaledToZero condition the HPA status starts with: true/false = True/False, undefined = absent. */
  readonly scaledToZero?: boolean;
  /** Initial status conditions (overrides `scaledToZero`), as in upstream test tables. */
  readonly initialConditions?: HorizontalPodAutoscalerCondition[];
  /**
   * The controller's recommendation memory at start: undefined = nil (the first sync records
   * {currentReplicas, now}); [] = non-nil empty list as in upstream tests (nothing recorded).
   */
  readonly initialRecommendations?: { recommendation: number; timestampSeconds: number }[];
  /** scaleUpLimitFactor package variable (2.0; upstream unit tests set 8 in init()). */
  readonly scaleUpLimitFactor?: number;
}

export interface ReferenceDecision {
  readonly time: number;
  readonly currentReplicas: number;
  /** The replica count the target has after the sync. */
  readonly replicas: number;
  /** Proposal of each metric; -1 where it failed or metrics were not computed. */
  readonly metricProposals: number[];
  /** computeReplicasForMetrics' result; -1 when not computed or when it gave up. */
  readonly metricReplicas: number;
  /** The stabilized recommendation (before rate limits); -1 when not computed. */
  readonly stabilizedReplicas: number;
  /** Whether the scale was updated. */
  readonly rescaled: boolean;
  /** rescaleReason, or the condition reason when the controller did not rescale. */
  readonly reason: string;
  /** The ScaledToZero condition after the sync: true = True, false = False, undefined = absent. */
  readonly scaledToZero: boolean | undefined;
  /** The HPA's status conditions after the sync, in order. */
  readonly conditions: HorizontalPodAutoscalerCondition[];
  /** The error reconcileAutoscaler returned, if any. */
  readonly error?: string;
}

export class ReferenceHpa {
  readonly minor: number;
  readonly gates: ReferenceGates;
  private readonly hpa: HorizontalPodAutoscaler;
  // HorizontalController fields
  private readonly tolerance: number;
  private readonly downscaleStabilisationWindow: number; // microseconds
  private readonly scaleUpLimitFactor: number;
  private readonly scaleUpLimitMinimum = 4.0;
  private recommendations: timestampedRecommendation[] | null;
  private scaleUpEvents: timestampedScaleEvent[] = [];
  private scaleDownEvents: timestampedScaleEvent[] = [];
  // per-sync scratch
  private now = 0;
  private decisionProposals: number[] = [];
  private decisionStabilized = -1;
  private lastDecisionValue: ReferenceDecision | undefined;

  constructor(spec: unknown, options: ReferenceOptions = {}) {
    this.minor = kubernetesMinor(options.kubernetesVersion ?? '1.35');
    this.gates = resolveReferenceGates(this.minor, options.featureGates ?? {});
    this.tolerance = options.tolerance ?? 0.1;
    this.downscaleStabilisationWindow = Math.round((options.downscaleStabilizationSeconds ?? 300) * MICROS);
    this.scaleUpLimitFactor = options.scaleUpLimitFactor ?? 2.0;
    let conditions: HorizontalPodAutoscalerCondition[] = [];
    if (options.initialConditions) {
      conditions = options.initialConditions.map(c => ({ ...c }));
    } else if (options.scaledToZero !== undefined) {
      conditions = [options.scaledToZero
        ? { type: 'ScaledToZero', status: 'True', reason: 'ScaledToZero' }
        : { type: 'ScaledToZero', status: 'False', reason: 'NotScaledToZero' }];
    }
    this.hpa = { spec: decodeSpec(spec), status: { conditions } };
    this.recommendations = options.initialRecommendations === undefined
      ? null
      : options.initialRecommendations.map(r => ({ recommendation: r.recommendation, timestamp: Math.round(r.timestampSeconds * MICROS) }));
  }

  get lastDecision(): ReferenceDecision | undefined {
    return this.lastDecisionValue;
  }

  /**
   * One reconcileAutoscaler at `nowSeconds` with the target at `specReplicas`, `readyPods` of them ready
   * (default all), and the metric observations. Returns the decision; the target's new replica count is `replicas`.
   */
  reconcile(nowSeconds: number, specReplicas: number, observations: Observation[], readyPods?: number): ReferenceDecision {
    this.now = Math.round(nowSeconds * MICROS);
    const ready = Math.min(readyPods ?? specReplicas, specReplicas);
    const world: World = {
      specReplicas,
      statusReplicas: specReplicas,
      readyPods: ready,
      pendingPods: specReplicas - ready,
      observations,
    };
    this.decisionProposals = this.hpa.spec.metrics.map(() => -1);
    this.decisionStabilized = -1;
    const out = hasConditionBasedScaleToZero(this.minor)
      ? this.reconcileAutoscaler(world)
      : this.reconcileAutoscalerPre136(world);
    const scaledToZeroCondition = this.hpa.status.conditions.find(c => c.type === 'ScaledToZero');
    this.lastDecisionValue = {
      time: nowSeconds,
      currentReplicas: specReplicas,
      replicas: out.replicas,
      metricProposals: [...this.decisionProposals],
      metricReplicas: out.metricReplicas,
      stabilizedReplicas: this.decisionStabilized,
      rescaled: out.rescaled,
      reason: out.reason,
      scaledToZero: scaledToZeroCondition === undefined ? undefined : scaledToZeroCondition.status === 'True',
      conditions: this.hpa.status.conditions.map(c => ({ ...c })),
      error: out.error,
    };
    return this.lastDecisionValue;
  }

  private recordInitialRecommendation(currentReplicas: number): void {
    if (this.recommendations === null) {
      this.recommendations = [{ recommendation: currentReplicas, timestamp: this.now }];
    }
  }

  private shouldComputeMetricsForZeroReplicas(minReplicas: number, scaledToZeroCondition: boolean, canScaleFromZero: boolean): [boolean, boolean] {
    if ((minReplicas !== 0 && scaledToZeroCondition) || canScaleFromZero) {
      return [true, false];
    }
    return [false, true];
  }

  // reconcileAutoscaler (PR 135118, Kubernetes >= 1.36)
  private reconcileAutoscaler(w: World): SyncOutcome {
    const hpa = this.hpa;
    setCondition(hpa, 'AbleToScale', 'True', 'SucceededGetScale');
    const currentReplicas = w.specReplicas;
    this.recordInitialRecommendation(currentReplicas);

    let metricDesiredReplicas = -1;
    let metricName = '';
    let desiredReplicas = 0;
    let rescaleReason = '';
    let retErr: string | undefined;

    let minReplicas: number;
    if (hpa.spec.minReplicas !== undefined) {
      minReplicas = hpa.spec.minReplicas;
    } else {
      minReplicas = 1;
    }

    let rescale = true;

    const scaleToZeroFeatureEnabled = this.gates.HPAScaleToZero;
    const hasObjectOrExtMetrics = hasObjectOrExternalMetrics(hpa);
    const scaledToZeroCondition = scaleToZeroFeatureEnabled && getScaledToZeroConditionStatus(hpa);
    const canScaleFromZero = scaledToZeroCondition && hasObjectOrExtMetrics;

    let needsMetricComputation = true;

    if (currentReplicas === 0) {
      let shouldDisable: boolean;
      [needsMetricComputation, shouldDisable] = this.shouldComputeMetricsForZeroReplicas(minReplicas, scaledToZeroCondition, canScaleFromZero);
      if (shouldDisable) {
        desiredReplicas = 0;
        rescale = false;
        setCondition(hpa, 'ScalingActive', 'False', 'ScalingDisabled');
        rescaleReason = 'ScalingDisabled';
        if (!scaleToZeroFeatureEnabled) {
          removeCondition(hpa, 'ScaledToZero');
        }
      }
    } else if (currentReplicas > hpa.spec.maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = hpa.spec.maxReplicas;
      needsMetricComputation = false;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
      needsMetricComputation = false;
    }

    if (needsMetricComputation) {
      const computed = this.computeReplicasForMetrics(w);
      metricDesiredReplicas = computed.replicas;
      metricName = computed.metric;
      if (computed.err !== undefined && metricDesiredReplicas === -1) {
        return { replicas: currentReplicas, metricReplicas: -1, rescaled: false, reason: computed.conditionReason, error: computed.err };
      }
      if (computed.err !== undefined) {
        retErr = computed.err;
      }
      let rescaleMetric = '';
      if (metricDesiredReplicas > desiredReplicas) {
        desiredReplicas = metricDesiredReplicas;
        rescaleMetric = metricName;
      }
      if (desiredReplicas > currentReplicas) {
        rescaleReason = `${rescaleMetric} above target`;
      }
      if (desiredReplicas < currentReplicas) {
        rescaleReason = 'All metrics below target';
      }
      if (hpa.spec.behavior === undefined) {
        desiredReplicas = this.normalizeDesiredReplicas(currentReplicas, desiredReplicas, minReplicas);
      } else {
        desiredReplicas = this.normalizeDesiredReplicasWithBehaviors(currentReplicas, desiredReplicas, minReplicas);
      }
      // Ensure we scale to at least minReplicas when scaling from zero with increased minReplicas
      if (currentReplicas === 0 && minReplicas !== 0 && scaledToZeroCondition && desiredReplicas < minReplicas) {
        desiredReplicas = minReplicas;
        if (rescaleReason === '') {
          rescaleReason = 'Current number of replicas below Spec.MinReplicas';
        }
      }
      rescale = desiredReplicas !== currentReplicas;
    }
    if (rescale) {
      // the scale update always succeeds in this model
      setCondition(hpa, 'AbleToScale', 'True', 'SucceededRescale');
      this.storeScaleEvent(currentReplicas, desiredReplicas);
      if (scaleToZeroFeatureEnabled) {
        if (currentReplicas > 0 && desiredReplicas === 0 && minReplicas === 0 && hasObjectOrExtMetrics) {
          setCondition(hpa, 'ScaledToZero', 'True', 'ScaledToZero');
        } else {
          setCondition(hpa, 'ScaledToZero', 'False', 'NotScaledToZero');
        }
      } else {
        removeCondition(hpa, 'ScaledToZero');
      }
    } else {
      desiredReplicas = currentReplicas;
      rescaleReason = rescaleReason || 'Decided not to scale';
    }
    return { replicas: desiredReplicas, metricReplicas: metricDesiredReplicas, rescaled: rescale, reason: rescaleReason, error: retErr };
  }

  // reconcileAutoscaler before PR 135118 (Kubernetes <= 1.35): no gate check, no ScaledToZero condition
  private reconcileAutoscalerPre136(w: World): SyncOutcome {
    const hpa = this.hpa;
    setCondition(hpa, 'AbleToScale', 'True', 'SucceededGetScale');
    const currentReplicas = w.specReplicas;
    this.recordInitialRecommendation(currentReplicas);

    let metricDesiredReplicas = -1;
    let metricName = '';
    let desiredReplicas = 0;
    let rescaleReason = '';
    let retErr: string | undefined;

    let minReplicas: number;
    if (hpa.spec.minReplicas !== undefined) {
      minReplicas = hpa.spec.minReplicas;
    } else {
      minReplicas = 1;
    }

    let rescale = true;

    if (currentReplicas === 0 && minReplicas !== 0) {
      // Autoscaling is disabled for this resource
      desiredReplicas = 0;
      rescale = false;
      setCondition(hpa, 'ScalingActive', 'False', 'ScalingDisabled');
      rescaleReason = 'ScalingDisabled';
    } else if (currentReplicas > hpa.spec.maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = hpa.spec.maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const computed = this.computeReplicasForMetrics(w);
      metricDesiredReplicas = computed.replicas;
      metricName = computed.metric;
      if (computed.err !== undefined && metricDesiredReplicas === -1) {
        return { replicas: currentReplicas, metricReplicas: -1, rescaled: false, reason: computed.conditionReason, error: computed.err };
      }
      if (computed.err !== undefined) {
        retErr = computed.err;
      }
      let rescaleMetric = '';
      if (metricDesiredReplicas > desiredReplicas) {
        desiredReplicas = metricDesiredReplicas;
        rescaleMetric = metricName;
      }
      if (desiredReplicas > currentReplicas) {
        rescaleReason = `${rescaleMetric} above target`;
      }
      if (desiredReplicas < currentReplicas) {
        rescaleReason = 'All metrics below target';
      }
      if (hpa.spec.behavior === undefined) {
        desiredReplicas = this.normalizeDesiredReplicas(currentReplicas, desiredReplicas, minReplicas);
      } else {
        desiredReplicas = this.normalizeDesiredReplicasWithBehaviors(currentReplicas, desiredReplicas, minReplicas);
      }
      rescale = desiredReplicas !== currentReplicas;
    }
    if (rescale) {
      setCondition(hpa, 'AbleToScale', 'True', 'SucceededRescale');
      this.storeScaleEvent(currentReplicas, desiredReplicas);
    } else {
      desiredReplicas = currentReplicas;
      rescaleReason = rescaleReason || 'Decided not to scale';
    }
    return { replicas: desiredReplicas, metricReplicas: metricDesiredReplicas, rescaled: rescale, reason: rescaleReason, error: retErr };
  }

  // computeReplicasForMetrics (the selector is always valid here)
  private computeReplicasForMetrics(w: World): { replicas: number; metric: string; err?: string; conditionReason: string } {
    const specReplicas = w.specReplicas;
    const statusReplicas = w.statusReplicas;
    const metricSpecs = this.hpa.spec.metrics;

    let replicas = 0;
    let metric = '';
    let invalidMetricsCount = 0;
    let invalidMetricError: string | undefined;
    let invalidMetricConditionReason = '';

    for (let i = 0; i < metricSpecs.length; i++) {
      let replicaCountProposal: number;
      let metricNameProposal: string;
      try {
        [replicaCountProposal, metricNameProposal] = this.computeReplicasForMetric(metricSpecs[i], specReplicas, statusReplicas, w, i);
      } catch (e) {
        if (!(e instanceof MetricError)) throw e;
        if (invalidMetricsCount <= 0) {
          invalidMetricConditionReason = failedReasonFor(metricSpecs[i].type);
          invalidMetricError = e.message;
        }
        invalidMetricsCount++;
        continue;
      }
      this.decisionProposals[i] = replicaCountProposal;
      if (replicas === 0 || replicaCountProposal > replicas) {
        replicas = replicaCountProposal;
        metric = metricNameProposal;
      }
    }

    if (invalidMetricError !== undefined) {
      invalidMetricError = `invalid metrics (${invalidMetricsCount} invalid out of ${metricSpecs.length}), first error is: ${invalidMetricError}`;
    }
    if (invalidMetricsCount >= metricSpecs.length || (invalidMetricsCount > 0 && replicas < specReplicas)) {
      setCondition(this.hpa, 'ScalingActive', 'False', invalidMetricConditionReason);
      return { replicas: -1, metric: '', err: invalidMetricError, conditionReason: invalidMetricConditionReason };
    }
    setCondition(this.hpa, 'ScalingActive', 'True', 'ValidMetricFound');
    return { replicas, metric, err: invalidMetricError, conditionReason: 'ValidMetricFound' };
  }

  // computeReplicasForMetric + computeStatusFor*Metric: [proposal, metric name]; throws MetricError
  private computeReplicasForMetric(spec: MetricSpec, specReplicas: number, statusReplicas: number, w: World, index: number): [number, string] {
    const calc = new ReplicaCalculator(w);
    const tolerances = this.tolerancesForHpa();
    const raw = w.observations[index];
    switch (spec.type) {
      case 'Object':
        if (spec.target.type === 'Value' && spec.target.value !== undefined) {
          return [calc.GetObjectMetricReplicas(specReplicas, goMilliValue(spec.target.value), tolerances, raw), `${spec.describedObjectKind} metric ${spec.name}`];
        } else if (spec.target.type === 'AverageValue' && spec.target.averageValue !== undefined) {
          return [calc.GetObjectPerPodMetricReplicas(statusReplicas, goMilliValue(spec.target.averageValue), tolerances, raw), `external metric ${spec.name}`];
        }
        throw new MetricError('invalid object metric source: neither a value target nor an average value target was set');
      case 'Pods':
        if (spec.target.averageValue === undefined) throw new MetricError('pods metric without averageValue');
        return [calc.GetPlainMetricReplicas(specReplicas, goMilliValue(spec.target.averageValue), tolerances, raw), `pods metric ${spec.name}`];
      case 'Resource':
      case 'ContainerResource':
        // computeStatusForResourceMetricGeneric: AverageValue first, then AverageUtilization
        if (spec.target.averageValue !== undefined) {
          return [calc.GetPlainMetricReplicas(specReplicas, goMilliValue(spec.target.averageValue), tolerances, raw), `${spec.name} resource`];
        }
        if (spec.target.averageUtilization === undefined) {
          throw new MetricError('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
        }
        return [calc.GetResourceReplicas(specReplicas, spec.target.averageUtilization, tolerances, raw), `${spec.name} resource utilization (percentage of request)`];
      case 'External':
        if (spec.target.averageValue !== undefined) {
          return [calc.GetExternalPerPodMetricReplicas(statusReplicas, goMilliValue(spec.target.averageValue), tolerances, raw), `external metric ${spec.name}`];
        }
        if (spec.target.value !== undefined) {
          return [calc.GetExternalMetricReplicas(specReplicas, goMilliValue(spec.target.value), tolerances, raw), `external metric ${spec.name}`];
        }
        throw new MetricError('invalid external metric source: neither a value target nor an average value target was set');
      default:
        throw new MetricError(`unknown metric source type "${spec.type}"`);
    }
  }

  // tolerancesForHpa
  private tolerancesForHpa(): Tolerances {
    const t: Tolerances = { scaleDown: this.tolerance, scaleUp: this.tolerance };
    const behavior = this.hpa.spec.behavior;
    const allowConfigurableTolerances = this.gates.HPAConfigurableTolerance;
    if (behavior === undefined || !allowConfigurableTolerances) {
      return t;
    }
    if (behavior.scaleDown !== undefined && behavior.scaleDown.tolerance !== undefined) {
      t.scaleDown = goApproximateFloat64(behavior.scaleDown.tolerance);
    }
    if (behavior.scaleUp !== undefined && behavior.scaleUp.tolerance !== undefined) {
      t.scaleUp = goApproximateFloat64(behavior.scaleUp.tolerance);
    }
    return t;
  }

  // stabilizeRecommendation
  private stabilizeRecommendation(prenormalizedDesiredReplicas: number): number {
    let maxRecommendation = prenormalizedDesiredReplicas;
    let foundOldSample = false;
    let oldSampleIndex = 0;
    const cutoff = this.now - this.downscaleStabilisationWindow;
    const recs = this.recommendations ?? [];
    for (let i = 0; i < recs.length; i++) {
      const rec = recs[i];
      if (rec.timestamp < cutoff) {
        foundOldSample = true;
        oldSampleIndex = i;
      } else if (rec.recommendation > maxRecommendation) {
        maxRecommendation = rec.recommendation;
      }
    }
    if (foundOldSample) {
      recs[oldSampleIndex] = { recommendation: prenormalizedDesiredReplicas, timestamp: this.now };
    } else {
      recs.push({ recommendation: prenormalizedDesiredReplicas, timestamp: this.now });
    }
    this.recommendations = recs;
    return maxRecommendation;
  }

  private normalizeDesiredReplicas(currentReplicas: number, prenormalizedDesiredReplicas: number, minReplicas: number): number {
    const stabilizedRecommendation = this.stabilizeRecommendation(prenormalizedDesiredReplicas);
    this.decisionStabilized = stabilizedRecommendation;
    if (stabilizedRecommendation !== prenormalizedDesiredReplicas) {
      setCondition(this.hpa, 'AbleToScale', 'True', 'ScaleDownStabilized');
    } else {
      setCondition(this.hpa, 'AbleToScale', 'True', 'ReadyForNewScale');
    }
    const [desiredReplicas, reason] = this.convertDesiredReplicasWithRules(
      currentReplicas, stabilizedRecommendation, minReplicas, this.hpa.spec.maxReplicas);
    if (desiredReplicas === stabilizedRecommendation) {
      setCondition(this.hpa, 'ScalingLimited', 'False', reason);
    } else {
      setCondition(this.hpa, 'ScalingLimited', 'True', reason);
    }
    return desiredReplicas;
  }

  private normalizeDesiredReplicasWithBehaviors(currentReplicas: number, prenormalizedDesiredReplicas: number, minReplicas: number): number {
    this.maybeInitScaleDownStabilizationWindow();
    const behavior = this.hpa.spec.behavior!;
    const normalizationArg: NormalizationArg = {
      ScaleUpBehavior: behavior.scaleUp!,
      ScaleDownBehavior: behavior.scaleDown!,
      MinReplicas: minReplicas,
      MaxReplicas: this.hpa.spec.maxReplicas,
      CurrentReplicas: currentReplicas,
      DesiredReplicas: prenormalizedDesiredReplicas,
    };
    const [stabilizedRecommendation, reason] = this.stabilizeRecommendationWithBehaviors(normalizationArg);
    this.decisionStabilized = stabilizedRecommendation;
    normalizationArg.DesiredReplicas = stabilizedRecommendation;
    if (stabilizedRecommendation !== prenormalizedDesiredReplicas) {
      setCondition(this.hpa, 'AbleToScale', 'True', reason);
    } else {
      setCondition(this.hpa, 'AbleToScale', 'True', 'ReadyForNewScale');
    }
    const [desiredReplicas, limitReason] = this.convertDesiredReplicasWithBehaviorRate(normalizationArg);
    if (desiredReplicas === stabilizedRecommendation) {
      setCondition(this.hpa, 'ScalingLimited', 'False', limitReason);
    } else {
      setCondition(this.hpa, 'ScalingLimited', 'True', limitReason);
    }
    return desiredReplicas;
  }

  private maybeInitScaleDownStabilizationWindow(): void {
    const behavior = this.hpa.spec.behavior;
    if (behavior !== undefined && behavior.scaleDown !== undefined && behavior.scaleDown.stabilizationWindowSeconds === undefined) {
      // (int32)(a.downscaleStabilisationWindow.Seconds())
      const stabilizationWindowSeconds = goInt32(this.downscaleStabilisationWindow / MICROS);
      behavior.scaleDown.stabilizationWindowSeconds = stabilizationWindowSeconds;
    }
  }

  private getReplicasChangePerPeriod(periodSeconds: number, scaleEvents: timestampedScaleEvent[]): number {
    const cutoff = this.now - periodSeconds * MICROS;
    let replicas = 0;
    for (const rec of scaleEvents) {
      if (rec.timestamp > cutoff) {
        replicas += rec.replicaChange;
      }
    }
    return replicas;
  }

  // storeScaleEvent stores (adds or replaces outdated) scale event.
  private storeScaleEvent(prevReplicas: number, newReplicas: number): void {
    const behavior = this.hpa.spec.behavior;
    if (behavior === undefined) {
      return; // we should not store any event as they will not be used
    }
    let oldSampleIndex = 0;
    let foundOldSample = false;
    if (newReplicas > prevReplicas) {
      const longestPolicyPeriod = getLongestPolicyPeriod(behavior.scaleUp!);
      this.markScaleEventsOutdated(this.scaleUpEvents, longestPolicyPeriod);
      const replicaChange = newReplicas - prevReplicas;
      for (let i = 0; i < this.scaleUpEvents.length; i++) {
        if (this.scaleUpEvents[i].outdated) {
          foundOldSample = true;
          oldSampleIndex = i;
        }
      }
      const newEvent = { replicaChange, timestamp: this.now, outdated: false };
      if (foundOldSample) {
        this.scaleUpEvents[oldSampleIndex] = newEvent;
      } else {
        this.scaleUpEvents.push(newEvent);
      }
    } else {
      const longestPolicyPeriod = getLongestPolicyPeriod(behavior.scaleDown!);
      this.markScaleEventsOutdated(this.scaleDownEvents, longestPolicyPeriod);
      const replicaChange = prevReplicas - newReplicas;
      for (let i = 0; i < this.scaleDownEvents.length; i++) {
        if (this.scaleDownEvents[i].outdated) {
          foundOldSample = true;
          oldSampleIndex = i;
        }
      }
      const newEvent = { replicaChange, timestamp: this.now, outdated: false };
      if (foundOldSample) {
        this.scaleDownEvents[oldSampleIndex] = newEvent;
      } else {
        this.scaleDownEvents.push(newEvent);
      }
    }
  }

  private stabilizeRecommendationWithBehaviors(args: NormalizationArg): [number, string] {
    const now = this.now;
    let foundOldSample = false;
    let oldSampleIndex = 0;

    let upRecommendation = args.DesiredReplicas;
    const upDelaySeconds = args.ScaleUpBehavior.stabilizationWindowSeconds!;
    const upCutoff = now - upDelaySeconds * MICROS;

    let downRecommendation = args.DesiredReplicas;
    const downDelaySeconds = args.ScaleDownBehavior.stabilizationWindowSeconds!;
    const downCutoff = now - downDelaySeconds * MICROS;

    const recs = this.recommendations ?? [];
    for (let i = 0; i < recs.length; i++) {
      const rec = recs[i];
      if (rec.timestamp > upCutoff) {
        upRecommendation = Math.min(rec.recommendation, upRecommendation);
      }
      if (rec.timestamp > downCutoff) {
        downRecommendation = Math.max(rec.recommendation, downRecommendation);
      }
      if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) {
        foundOldSample = true;
        oldSampleIndex = i;
      }
    }

    let recommendation = args.CurrentReplicas;
    if (recommendation < upRecommendation) {
      recommendation = upRecommendation;
    }
    if (recommendation > downRecommendation) {
      recommendation = downRecommendation;
    }

    if (foundOldSample) {
      recs[oldSampleIndex] = { recommendation: args.DesiredReplicas, timestamp: this.now };
    } else {
      recs.push({ recommendation: args.DesiredReplicas, timestamp: this.now });
    }
    this.recommendations = recs;

    let reason: string;
    if (args.DesiredReplicas >= args.CurrentReplicas) {
      reason = 'ScaleUpStabilized';
    } else {
      reason = 'ScaleDownStabilized';
    }
    return [recommendation, reason];
  }

  private convertDesiredReplicasWithBehaviorRate(args: NormalizationArg): [number, string] {
    let possibleLimitingReason = '';
    if (args.DesiredReplicas > args.CurrentReplicas) {
      let scaleUpLimit = this.calculateScaleUpLimitWithScalingRules(
        args.CurrentReplicas, this.scaleUpEvents, this.scaleDownEvents, args.ScaleUpBehavior);
      if (scaleUpLimit < args.CurrentReplicas) {
        // We shouldn't scale up further until the scaleUpEvents will be cleaned up
        scaleUpLimit = args.CurrentReplicas;
      }
      let maximumAllowedReplicas = args.MaxReplicas;
      if (maximumAllowedReplicas > scaleUpLimit) {
        maximumAllowedReplicas = scaleUpLimit;
        possibleLimitingReason = 'ScaleUpLimit';
      } else {
        possibleLimitingReason = 'TooManyReplicas';
      }
      if (args.DesiredReplicas > maximumAllowedReplicas) {
        return [maximumAllowedReplicas, possibleLimitingReason];
      }
    } else if (args.DesiredReplicas < args.CurrentReplicas) {
      let scaleDownLimit = this.calculateScaleDownLimitWithBehaviors(
        args.CurrentReplicas, this.scaleUpEvents, this.scaleDownEvents, args.ScaleDownBehavior);
      if (scaleDownLimit > args.CurrentReplicas) {
        // We shouldn't scale down further until the scaleDownEvents will be cleaned up
        scaleDownLimit = args.CurrentReplicas;
      }
      let minimumAllowedReplicas = args.MinReplicas;
      if (minimumAllowedReplicas < scaleDownLimit) {
        minimumAllowedReplicas = scaleDownLimit;
        possibleLimitingReason = 'ScaleDownLimit';
      } else {
        possibleLimitingReason = 'TooFewReplicas';
      }
      if (args.DesiredReplicas < minimumAllowedReplicas) {
        return [minimumAllowedReplicas, possibleLimitingReason];
      }
    }
    return [args.DesiredReplicas, 'DesiredWithinRange'];
  }

  private convertDesiredReplicasWithRules(
    currentReplicas: number, desiredReplicas: number, hpaMinReplicas: number, hpaMaxReplicas: number): [number, string] {
    let maximumAllowedReplicas: number;
    let possibleLimitingCondition: string;
    const minimumAllowedReplicas = hpaMinReplicas;
    const scaleUpLimit = this.calculateScaleUpLimit(currentReplicas);
    if (hpaMaxReplicas > scaleUpLimit) {
      maximumAllowedReplicas = scaleUpLimit;
      possibleLimitingCondition = 'ScaleUpLimit';
    } else {
      maximumAllowedReplicas = hpaMaxReplicas;
      possibleLimitingCondition = 'TooManyReplicas';
    }
    if (desiredReplicas < minimumAllowedReplicas) {
      possibleLimitingCondition = 'TooFewReplicas';
      return [minimumAllowedReplicas, possibleLimitingCondition];
    } else if (desiredReplicas > maximumAllowedReplicas) {
      return [maximumAllowedReplicas, possibleLimitingCondition];
    }
    return [desiredReplicas, 'DesiredWithinRange'];
  }

  private calculateScaleUpLimit(currentReplicas: number): number {
    return goInt32(Math.max(this.scaleUpLimitFactor * currentReplicas, this.scaleUpLimitMinimum));
  }

  private markScaleEventsOutdated(scaleEvents: timestampedScaleEvent[], longestPolicyPeriod: number): void {
    const cutoff = this.now - longestPolicyPeriod * MICROS;
    for (const event of scaleEvents) {
      if (event.timestamp < cutoff) {
        event.outdated = true;
      }
    }
  }

  private calculateScaleUpLimitWithScalingRules(
    currentReplicas: number, scaleUpEvents: timestampedScaleEvent[], scaleDownEvents: timestampedScaleEvent[],
    scalingRules: HPAScalingRules): number {
    let result: number;
    let proposed = 0;
    let selectPolicyFn: (a: number, b: number) => number;
    if (scalingRules.selectPolicy === 'Disabled') {
      return currentReplicas; // Scaling is disabled
    } else if (scalingRules.selectPolicy === 'Min') {
      result = MaxInt32;
      selectPolicyFn = Math.min;
    } else {
      result = MinInt32;
      selectPolicyFn = Math.max;
    }
    for (const policy of scalingRules.policies ?? []) {
      const replicasAddedInCurrentPeriod = this.getReplicasChangePerPeriod(policy.periodSeconds, scaleUpEvents);
      const replicasDeletedInCurrentPeriod = this.getReplicasChangePerPeriod(policy.periodSeconds, scaleDownEvents);
      const periodStartReplicas = currentReplicas - replicasAddedInCurrentPeriod + replicasDeletedInCurrentPeriod;
      if (policy.type === 'Pods') {
        proposed = periodStartReplicas + policy.value;
      } else if (policy.type === 'Percent') {
        proposed = goInt32(Math.ceil(periodStartReplicas * (1 + policy.value / 100)));
      }
      result = selectPolicyFn(result, proposed);
    }
    return result;
  }

  private calculateScaleDownLimitWithBehaviors(
    currentReplicas: number, scaleUpEvents: timestampedScaleEvent[], scaleDownEvents: timestampedScaleEvent[],
    scalingRules: HPAScalingRules): number {
    let result: number;
    let proposed = 0;
    let selectPolicyFn: (a: number, b: number) => number;
    if (scalingRules.selectPolicy === 'Disabled') {
      return currentReplicas; // Scaling is disabled
    } else if (scalingRules.selectPolicy === 'Min') {
      result = MinInt32;
      selectPolicyFn = Math.max;
    } else {
      result = MaxInt32;
      selectPolicyFn = Math.min;
    }
    for (const policy of scalingRules.policies ?? []) {
      const replicasAddedInCurrentPeriod = this.getReplicasChangePerPeriod(policy.periodSeconds, scaleUpEvents);
      const replicasDeletedInCurrentPeriod = this.getReplicasChangePerPeriod(policy.periodSeconds, scaleDownEvents);
      const periodStartReplicas = currentReplicas - replicasAddedInCurrentPeriod + replicasDeletedInCurrentPeriod;
      if (policy.type === 'Pods') {
        proposed = periodStartReplicas - policy.value;
      } else if (policy.type === 'Percent') {
        proposed = goInt32(periodStartReplicas * (1 - policy.value / 100));
      }
      result = selectPolicyFn(result, proposed);
    }
    return result;
  }
}

interface SyncOutcome {
  replicas: number;
  metricReplicas: number;
  rescaled: boolean;
  reason: string;
  error?: string;
}

interface NormalizationArg {
  ScaleUpBehavior: HPAScalingRules;
  ScaleDownBehavior: HPAScalingRules;
  MinReplicas: number;
  MaxReplicas: number;
  CurrentReplicas: number;
  DesiredReplicas: number;
}

function getLongestPolicyPeriod(scalingRules: HPAScalingRules): number {
  let longestPolicyPeriod = 0;
  for (const policy of scalingRules.policies ?? []) {
    if (policy.periodSeconds > longestPolicyPeriod) {
      longestPolicyPeriod = policy.periodSeconds;
    }
  }
  return longestPolicyPeriod;
}

function failedReasonFor(type: string): string {
  switch (type) {
    case 'Object': return 'FailedGetObjectMetric';
    case 'Pods': return 'FailedGetPodsMetric';
    case 'Resource': return 'FailedGetResourceMetric';
    case 'ContainerResource': return 'FailedGetContainerResourceMetric';
    case 'External': return 'FailedGetExternalMetric';
    default: return 'InvalidMetricSourceType';
  }
}
