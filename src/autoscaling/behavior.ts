import { Duration } from 'cdk8s';
import { Check, checkValue, integer } from '../validate/check';
import { duration } from '../validate/values';

/** A policy's period: whole seconds, 1 s to 30 min (the API server's range). */
const POLICY_PERIOD: Check = duration({
  minSeconds: 1,
  maxSeconds: 1800,
  fix: 'use Duration.seconds(n) with a whole n in 1..1800 (at most 30 minutes)',
});

function policyValue(kind: 'pods' | 'percent'): Check {
  return integer({
    min: 1,
    fix: `use ScalingPolicy.${kind}(n, period) with a whole n >= 1 (a policy of 0 is invalid; set selectPolicy to SelectPolicy.DISABLED to stop scaling in that direction)`,
  });
}

/**
 * How a scaling policy limits change.
 */
export enum ScalingPolicyType {
  /** At most this many pods per period. */
  PODS = 'Pods',
  /** At most this percentage of the current replicas per period. */
  PERCENT = 'Percent',
}

/**
 * Which policy wins when several allow different changes.
 */
export enum SelectPolicy {
  /** The policy allowing the biggest change (Kubernetes' default). */
  MAX = 'Max',
  /** The policy allowing the smallest change. */
  MIN = 'Min',
  /** Never scale in this direction. */
  DISABLED = 'Disabled',
}

/**
 * A rate limit on scaling: at most `value` pods, or `value` percent, per period.
 */
export class ScalingPolicy {
  /**
   * At most `percent` percent of the current replicas per period (e.g. 100 = double).
   *
   * @param percent a whole number of at least 1 (int32)
   * @param period whole seconds, 1 s to 30 min
   */
  public static percent(percent: number, period: Duration): ScalingPolicy {
    checkValue('ScalingPolicy.percent', 'percent', percent, policyValue('percent'));
    checkValue('ScalingPolicy.percent', 'period', period, POLICY_PERIOD);
    return new ScalingPolicy(ScalingPolicyType.PERCENT, percent, period);
  }

  /**
   * At most `pods` pods per period.
   *
   * @param pods a whole number of at least 1 (int32)
   * @param period whole seconds, 1 s to 30 min
   */
  public static pods(pods: number, period: Duration): ScalingPolicy {
    checkValue('ScalingPolicy.pods', 'pods', pods, policyValue('pods'));
    checkValue('ScalingPolicy.pods', 'period', period, POLICY_PERIOD);
    return new ScalingPolicy(ScalingPolicyType.PODS, pods, period);
  }

  private constructor(
    /** Policy type. */
    public readonly type: ScalingPolicyType,
    /** Pods or percent. */
    public readonly value: number,
    /** Period over which the limit applies (1 s to 30 min). */
    public readonly period: Duration) {
  }
}

/**
 * Rules for one scaling direction.
 */
export interface ScalingRules {
  /**
   * How far back the controller looks for the most conservative recommendation before changing
   * (0 s to 1 hour).
   * @default - the construct's default for the direction (see `ScalingBehavior`)
   */
  readonly stabilizationWindow?: Duration;

  /**
   * Rate limits.
   * @default - the construct's default for the direction
   */
  readonly policies?: ScalingPolicy[];

  /**
   * Which policy applies when several do.
   * @default SelectPolicy.MAX
   */
  readonly selectPolicy?: SelectPolicy;

  /**
   * How far the metric may stray from its target before the autoscaler scales in this direction, as
   * a fraction of the target: with 0.05, a scale-up needs usage above 105% of the target, a
   * scale-down usage below 95%. For a large GPU fleet the cluster-wide 10% band is many pods wide;
   * a smaller one tracks demand closer. At least 0 and below 1 (a scale-down tolerance of 1 would
   * block every scale-down), with at most 3 decimals; rendered as a quantity (0.05 -> `"50m"`).
   *
   * Needs the `HPAConfigurableTolerance` feature gate: beta and on by default since Kubernetes 1.35
   * (alpha and off in 1.33 and 1.34). With the gate off the API server drops the field without an
   * error, and the guardrails warn about it for the target version (see `KubernetesTarget`). KEDA
   * (2.18 or later) passes it to the HPA it manages.
   * @default - the cluster-wide tolerance: kube-controller-manager's
   * `--horizontal-pod-autoscaler-tolerance`, 0.1 (10%) unless the cluster operator changed it
   */
  readonly tolerance?: number;
}

/**
 * Scale-up and scale-down behavior of an autoscaler (autoscaling/v2 `behavior`; KEDA passes it
 * through `advanced.horizontalPodAutoscalerConfig.behavior`).
 *
 * Parts left out take ML-friendly defaults:
 * - scale up: 60 s stabilization, at most +100% or +2 pods per 30 s, whichever is more (the article's);
 * - scale down: stabilization of 5 minutes or the model load time if longer (at most 1 hour, the API
 *   server's limit), at most -50% per minute.
 */
export interface ScalingBehavior {
  /**
   * Scale-up rules.
   * @default - 60 s stabilization; Percent 100 per 30 s and Pods 2 per 30 s; select Max
   */
  readonly scaleUp?: ScalingRules;

  /**
   * Scale-down rules.
   * @default - stabilization of 5 minutes or the model load time if longer, capped at 1 hour (the API
   * server's limit for stabilizationWindowSeconds); Percent 50 per 60 s; select Max
   */
  readonly scaleDown?: ScalingRules;
}
