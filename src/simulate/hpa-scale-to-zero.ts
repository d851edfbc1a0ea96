/**
 * What the HPA controller does at zero replicas, by Kubernetes version (KEP-2021, `HPAScaleToZero`):
 * the `ScaledToZero` condition of kubernetes/kubernetes PR 135118 (1.36 on) and the older rule it
 * replaced. Internal: `HpaController` applies it at each sync.
 */
import { FeatureGate } from '../kubernetes/feature-gate';
import { KubernetesTarget } from '../kubernetes/kubernetes-target';

/** The `ScaledToZero` condition in the HPA's status. */
export const enum ScaledToZeroCondition {
  /** No condition. */
  ABSENT,
  /** Status True, reason ScaledToZero: the controller scaled the target to zero. */
  TRUE,
  /** Status False, reason NotScaledToZero: set on every other rescale. */
  FALSE,
}

/** The first minor whose kube-controller-manager reads the gate and keeps the condition (PR 135118). */
export const CONDITION_BASED_SINCE_MINOR = 36;

/**
 * The zero-replica rules of one kube-controller-manager, for one HPA.
 *
 * - 1.36 and later (`reconcileAutoscaler` after PR 135118): with `HPAScaleToZero` on, a rescale N -> 0
 *   of an HPA with `minReplicas: 0` and an Object or External metric sets `ScaledToZero=True`, every
 *   other rescale `ScaledToZero=False`; at zero replicas metrics are computed only while the condition
 *   is True (and, with `minReplicas: 0`, an Object or External metric exists), else scaling is disabled.
 *   With the gate off scaling is disabled at zero and the condition is removed.
 * - Before 1.36: at zero replicas scaling is disabled unless `minReplicas` is 0, in which case the
 *   metrics decide (no condition, no gate check in the controller: only the API server checks the gate).
 */
export class ScaleToZeroRules {
  /** Whether the controller keeps the `ScaledToZero` condition (1.36 and later). */
  public readonly conditionBased: boolean;
  /** `HPAScaleToZero` in the kube-controller-manager (read from 1.36 on). */
  public readonly gateEnabled: boolean;

  constructor(target: KubernetesTarget, private readonly minReplicas: number, private readonly hasObjectOrExternal: boolean) {
    this.conditionBased = target.minor >= CONDITION_BASED_SINCE_MINOR;
    this.gateEnabled = target.isEnabled(FeatureGate.HPA_SCALE_TO_ZERO);
  }

  /** `scaledToZeroCondition`: the condition as the controller reads it at the start of a sync. */
  public conditionHolds(condition: ScaledToZeroCondition): boolean {
    return this.conditionBased && this.gateEnabled && condition === ScaledToZeroCondition.TRUE;
  }

  /** At zero replicas: whether the metrics are computed (`shouldComputeMetricsForZeroReplicas`), else scaling is disabled. */
  public computesAtZero(condition: ScaledToZeroCondition): boolean {
    if (!this.conditionBased) return this.minReplicas === 0;
    const holds = this.conditionHolds(condition);
    return (this.minReplicas !== 0 && holds) || (holds && this.hasObjectOrExternal);
  }

  /** The condition after a sync that found scaling disabled at zero replicas. */
  public afterDisabled(condition: ScaledToZeroCondition): ScaledToZeroCondition {
    return this.conditionBased && !this.gateEnabled ? ScaledToZeroCondition.ABSENT : condition;
  }

  /**
   * Whether the post-normalize clamp lifts the count to `minReplicas`: at zero replicas, with the
   * condition held, when `minReplicas` was raised above 0 while parked.
   */
  public clampsToMin(current: number, desired: number, conditionAtStart: ScaledToZeroCondition): boolean {
    return current === 0 && this.minReplicas !== 0 && this.conditionHolds(conditionAtStart) && desired < this.minReplicas;
  }

  /** The condition after a successful rescale from `current` to `desired`. */
  public afterRescale(condition: ScaledToZeroCondition, current: number, desired: number): ScaledToZeroCondition {
    if (!this.conditionBased) return condition;
    if (!this.gateEnabled) return ScaledToZeroCondition.ABSENT;
    return current > 0 && desired === 0 && this.minReplicas === 0 && this.hasObjectOrExternal
      ? ScaledToZeroCondition.TRUE : ScaledToZeroCondition.FALSE;
  }
}
