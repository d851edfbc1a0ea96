/**
 * The HPA's replica calculator (`pkg/controller/podautoscaler/replica_calculator.go`) for one metric at
 * one sync, and the controller's reading of a metric spec. Internal: `HpaController` is the public face.
 */
import { observationMilliShare, observationToMilli, ParsedQuantity, parsedFloor, parsedMilliValue, parseQuantity, quantityMilliValue } from './quantity-math';
import { fail } from '../validate/check';

const SYNC = 'HpaController.sync';
const BAD_OBSERVATION_FIX = 'pass a number, a quantity string such as "500m", or null when the metric cannot be fetched';

export const MAX_INT32 = 2147483647;

export enum MetricKind {
  RESOURCE_UTILIZATION,
  RESOURCE_AVERAGE_VALUE,
  PODS_AVERAGE_VALUE,
  OBJECT_VALUE,
  OBJECT_AVERAGE_VALUE,
  EXTERNAL_VALUE,
  EXTERNAL_AVERAGE_VALUE,
}

export interface ParsedMetric {
  readonly kind: MetricKind;
  /** Utilization percent for RESOURCE_UTILIZATION, milli-units otherwise. */
  readonly target: number;
  readonly name: string;
}

/** Whether a metric is an Object or External metric: the only kinds that can wake a target at zero pods. */
export function isObjectOrExternal(metric: ParsedMetric): boolean {
  return metric.kind >= MetricKind.OBJECT_VALUE;
}

/**
 * The replica calculator with the HPA's tolerances (`tolerancesForHpa`): a usage ratio within
 * `1 - scaleDown <= ratio <= 1 + scaleUp` (inclusive, NaN never within) keeps the current count.
 */
export class ReplicaCalculator {
  /** `1 - scaleDown tolerance` and `1 + scaleUp tolerance`. */
  private readonly low: number;
  private readonly high: number;

  constructor(scaleDownTolerance: number, scaleUpTolerance: number) {
    this.low = 1.0 - scaleDownTolerance;
    this.high = 1.0 + scaleUpTolerance;
  }

  /** `Tolerances.isWithin`. */
  public isWithin(ratio: number): boolean {
    return this.low <= ratio && ratio <= this.high;
  }

  /**
   * One metric's replica proposal, or -1 on the controller's error path for that metric.
   *
   * `current` is the target's replica count (spec and status alike), `ready` the pods that report
   * metrics. At zero pods Resource, ContainerResource and Pods metrics have no samples (an error,
   * whatever was observed); Value targets skip the tolerance (`ceil(usage / target)`); AverageValue
   * targets divide by zero replicas, a ratio that is never within the tolerance.
   */
  public proposal(metric: ParsedMetric, raw: unknown, current: number, ready: number, index: number): number {
    if (raw === null || raw === undefined) return -1;
    // A quantity string ("500m", "2Gi") is read exactly, as the metrics APIs report values: its milli-value
    // (rounded up) where the controller reads one, its exact value where it averages or divides (so that
    // "0.166667" and 0.166667 give one decision).
    let observation = raw;
    let exact: ParsedQuantity | undefined;
    if (typeof raw === 'string') {
      try {
        exact = parseQuantity(raw);
      } catch (e) {
        fail({ scope: SYNC, prop: `observations[${index}]` }, raw, `is not a quantity for ${metric.name} (${(e as Error).message})`, BAD_OBSERVATION_FIX);
      }
      observation = exact.numerator < 0n ? -1 : parsedMilliValue(exact) / 1000;
    }
    if (typeof observation !== 'number' || !Number.isFinite(observation) || observation < 0) {
      fail({ scope: SYNC, prop: `observations[${index}]` }, raw, `must be a number >= 0 or null (the observation for ${metric.name})`, BAD_OBSERVATION_FIX);
    }
    const unready = current - ready;
    switch (metric.kind) {
      case MetricKind.RESOURCE_UTILIZATION: {
        if (ready === 0) return -1; // no pods, or no metrics for the targeted pods
        // metricsTotal*100/requestsTotal in integers: the utilization is truncated to whole percent.
        const utilization = exact !== undefined ? parsedFloor(exact, 1, 1) : Math.floor(observation + 1e-9);
        const usageRatio = utilization / metric.target;
        const scaleUpWithUnready = unready > 0 && usageRatio > 1.0;
        if (!scaleUpWithUnready) {
          if (this.isWithin(usageRatio)) return current;
          return Math.ceil(usageRatio * ready);
        }
        // Pending pods count as 0% of their (equal) requests.
        const newUtilization = exact !== undefined ? parsedFloor(exact, ready, current) : Math.floor((observation * ready) / current + 1e-9);
        return this.unreadyAdjusted(usageRatio, newUtilization / metric.target, current);
      }
      case MetricKind.RESOURCE_AVERAGE_VALUE:
      case MetricKind.PODS_AVERAGE_VALUE: {
        if (ready === 0) return -1;
        // The ready pods report whole milli-values totalling average * ready (floored); GetMetricUsageRatio
        // divides the total by the pods in integers: the average's milli-value, rounded down.
        const usage = exact !== undefined ? parsedFloor(exact, 1000, 1) : observationToMilli(observation, 'floor');
        const usageRatio = usage / metric.target;
        const scaleUpWithUnready = unready > 0 && usageRatio > 1.0;
        if (!scaleUpWithUnready) {
          if (this.isWithin(usageRatio)) return current;
          return Math.ceil(usageRatio * ready);
        }
        // Pending pods count as 0: the same total divided by all the pods.
        const newUsage = exact !== undefined ? parsedFloor(exact, 1000 * ready, current) : observationMilliShare(observation, ready, current);
        return this.unreadyAdjusted(usageRatio, newUsage / metric.target, current);
      }
      case MetricKind.OBJECT_VALUE:
      case MetricKind.EXTERNAL_VALUE: {
        const usage = observationToMilli(observation, 'ceil');
        const usageRatio = usage / metric.target;
        // getUsageRatioReplicaCount
        if (current === 0) {
          // Scale to zero or n pods depending on usageRatio: no tolerance, no pod count. (Go's int32() of a
          // ratio beyond int32 is platform-defined; saturated here, as the current != 0 branch does.)
          const fromZero = Math.ceil(usageRatio);
          return fromZero > MAX_INT32 ? MAX_INT32 : fromZero;
        }
        if (this.isWithin(usageRatio)) return current;
        const proposal = usageRatio * ready;
        return proposal > MAX_INT32 ? MAX_INT32 : Math.ceil(proposal);
      }
      case MetricKind.OBJECT_AVERAGE_VALUE:
      case MetricKind.EXTERNAL_AVERAGE_VALUE: {
        const usage = observationToMilli(observation, 'ceil');
        // At 0 status replicas: +Inf (usage > 0) or NaN (usage 0), never within the tolerance.
        const usageRatio = usage / (metric.target * current);
        if (this.isWithin(usageRatio)) return current;
        const proposal = Math.ceil(usage / metric.target);
        return proposal > MAX_INT32 ? MAX_INT32 : proposal;
      }
    }
  }

  /** The second half of the replica calculator, once Pending pods were counted as using nothing. */
  private unreadyAdjusted(usageRatio: number, newUsageRatio: number, current: number): number {
    if (this.isWithin(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
      return current;
    }
    const newReplicas = Math.ceil(newUsageRatio * current);
    if ((newUsageRatio < 1.0 && newReplicas > current) || (newUsageRatio > 1.0 && newReplicas < current)) return current;
    return newReplicas;
  }
}

/** The controller's reading of one metric; `m` passed `checkHpaSpec`. */
export function parseMetric(m: any): ParsedMetric {
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
