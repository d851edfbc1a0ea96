import { Duration } from 'cdk8s';
import { ScalingBehavior } from '../autoscaling/behavior';

/**
 * Replica bounds and polling shared by ScaledObjects and ScaledJobs.
 */
export interface KedaScalingOptions {
  /**
   * Fewest replicas (ScaledObject) or Jobs (ScaledJob); 0 scales to zero when the queue is empty.
   * @default 0
   */
  readonly minReplicas?: number;

  /**
   * Most replicas (ScaledObject) or concurrently running Jobs (ScaledJob).
   */
  readonly maxReplicas: number;

  /**
   * How often KEDA checks the triggers (and activates from zero).
   * @default Duration.seconds(30) (KEDA's default)
   */
  readonly pollingInterval?: Duration;
}

/**
 * What KEDA does with the replica count when a scaler keeps failing.
 */
export enum FallbackBehavior {
  /** Go to `replicas`. */
  STATIC = 'static',
  /** Keep the current replica count. */
  CURRENT_REPLICAS = 'currentReplicas',
  /** The higher of the current count and `replicas`. */
  CURRENT_REPLICAS_IF_HIGHER = 'currentReplicasIfHigher',
  /** The lower of the current count and `replicas`. */
  CURRENT_REPLICAS_IF_LOWER = 'currentReplicasIfLower',
}

/**
 * Replicas to hold while the scalers fail (e.g. the queue's API is unreachable).
 */
export interface ScalingFallback {
  /** Consecutive scaler failures before the fallback applies (>= 1). */
  readonly failureThreshold: number;
  /** Replicas to use (>= 0). */
  readonly replicas: number;
  /**
   * How `replicas` is applied.
   * @default FallbackBehavior.STATIC
   */
  readonly behavior?: FallbackBehavior;
}

/**
 * Target type of a scalingModifiers formula.
 */
export enum ModifierMetricType {
  /** The formula's value divided by the replica count is kept at the target. */
  AVERAGE_VALUE = 'AverageValue',
  /** The whole value is kept at the target. */
  VALUE = 'Value',
}

/**
 * Combines named triggers into one metric with a formula (e.g. `queue / 5 + gpu / 70`).
 */
export interface ScalingModifiers {
  /** Expression over trigger names (expr-lang), e.g. `max(rabbit, gpu * 2)`. */
  readonly formula: string;
  /** Target of the composite metric (> 0). */
  readonly target: number;
  /**
   * Activation target of the composite metric.
   * @default - KEDA's default, 0
   */
  readonly activationTarget?: number;
  /**
   * Target type.
   * @default ModifierMetricType.AVERAGE_VALUE (KEDA's default)
   */
  readonly metricType?: ModifierMetricType;
}

/**
 * KEDA's pause controls, written as annotations on the ScaledObject (KEDA reads them there, not on
 * the workload).
 */
export interface PauseOptions {
  /**
   * Stop autoscaling at the current replica count (`autoscaling.keda.sh/paused`).
   * @default false
   */
  readonly paused?: boolean;
  /**
   * Scale to this many replicas and stop autoscaling (`autoscaling.keda.sh/paused-replicas`).
   * @default - not set
   */
  readonly pausedReplicas?: number;
  /**
   * Block scale-in only (`autoscaling.keda.sh/paused-scale-in`).
   * @default false
   */
  readonly pauseScaleIn?: boolean;
  /**
   * Block scale-out only (`autoscaling.keda.sh/paused-scale-out`).
   * @default false
   */
  readonly pauseScaleOut?: boolean;
}

/**
 * Settings of a KEDA ScaledObject (shared by `QueueBatchWorker` and `HybridMlService`).
 */
export interface ScaledObjectOptions extends KedaScalingOptions {
  /**
   * Name of the ScaledObject. With the default HPA name (`keda-hpa-<name>`) it may have at most 54
   * characters.
   * @default - `<workload name>-scaler` when the workload has a name, otherwise generated from the
   * construct path (at most 54 characters)
   */
  readonly scaledObjectName?: string;

  /**
   * How long after the last active trigger KEDA scales from minimum (1) to zero. Only applies to
   * scaling to zero; between 1 and max the HPA behavior applies.
   * @default Duration.seconds(300) (KEDA's default)
   */
  readonly cooldownPeriod?: Duration;

  /**
   * Delay after creation before the first scale to zero (lets a new rollout load its model first).
   * @default - KEDA's default, 0
   */
  readonly initialCooldownPeriod?: Duration;

  /**
   * Replicas while no trigger is active (must be below minReplicas; KEDA only supports 0).
   * @default - not set: minReplicas applies
   */
  readonly idleReplicas?: number;

  /**
   * Replicas to hold while the scalers fail. Needs a trigger other than cpu/memory.
   * @default - no fallback
   */
  readonly fallback?: ScalingFallback;

  /**
   * HPA scale-up and scale-down behavior (the same classes `GpuInferenceService` uses), passed
   * through `advanced.horizontalPodAutoscalerConfig.behavior`. Parts left out of a given behavior
   * take the ML-friendly defaults of `ScalingBehavior`.
   * @default - none: the HPA's own defaults apply
   */
  readonly behavior?: ScalingBehavior;

  /**
   * Name of the HPA KEDA creates (`advanced.horizontalPodAutoscalerConfig.name`).
   * @default - KEDA's default, `keda-hpa-<scaledObjectName>`
   */
  readonly hpaName?: string;

  /**
   * Let KEDA adopt an existing HPA named `hpaName` instead of rejecting the ScaledObject
   * (`scaledobject.keda.sh/transfer-hpa-ownership`). Needs `hpaName`.
   * @default false
   */
  readonly transferHpaOwnership?: boolean;

  /**
   * When the ScaledObject is deleted, scale the workload back to its replica count from before KEDA.
   * @default false (KEDA's default: keep the current count)
   */
  readonly restoreToOriginalReplicaCount?: boolean;

  /**
   * Combine named triggers with a formula.
   * @default - none
   */
  readonly scalingModifiers?: ScalingModifiers;

  /**
   * Pause controls.
   * @default - not paused
   */
  readonly pause?: PauseOptions;
}
