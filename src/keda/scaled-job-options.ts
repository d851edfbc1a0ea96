import { Duration } from 'cdk8s';

/**
 * How a ScaledJob turns queue length into new Jobs.
 */
export enum JobScalingStrategy {
  /** New Jobs = queue length - running Jobs. */
  DEFAULT = 'default',
  /** Like DEFAULT, with `customScalingQueueLengthDeduction` and `customScalingRunningJobPercentage`. */
  CUSTOM = 'custom',
  /** For queues that do not count locked (in-flight) messages: takes pending Jobs into account. */
  ACCURATE = 'accurate',
  /** Fills up to maxReplicas as long as there are messages. */
  EAGER = 'eager',
}

/**
 * How the values of several triggers of a ScaledJob are combined.
 */
export enum MultipleScalersCalculation {
  /** Largest value. */
  MAX = 'max',
  /** Smallest value. */
  MIN = 'min',
  /** Average. */
  AVG = 'avg',
  /** Sum. */
  SUM = 'sum',
}

/**
 * What KEDA does with running Jobs when the ScaledJob changes.
 */
export enum JobRolloutStrategy {
  /** Running Jobs finish; new Jobs use the new template. */
  GRADUAL = 'gradual',
  /** Running Jobs are deleted (KEDA's default: kills in-flight training). */
  IMMEDIATE = 'immediate',
}

/**
 * Settings of a KEDA ScaledJob: one Kubernetes Job per work item.
 */
export interface ScaledJobOptions {
  /**
   * Pods per Job running in parallel.
   * @default 1
   */
  readonly parallelism?: number;

  /**
   * Retries of a failed pod before the Job fails (GPU retries are expensive).
   * @default 2
   */
  readonly backoffLimit?: number;

  /**
   * Hard limit on a Job's run time (counted from the Job's start, so it includes scheduling, image
   * pull and model load).
   * @default - the worker's maxProcessingTime plus 10 minutes when declared, otherwise none
   */
  readonly activeDeadline?: Duration;

  /**
   * Delete finished Jobs after this long.
   * @default - none: the history limits clean up
   */
  readonly ttlAfterFinished?: Duration;

  /**
   * Scaling strategy.
   * @default JobScalingStrategy.DEFAULT
   */
  readonly scalingStrategy?: JobScalingStrategy;

  /**
   * Queue length deducted before computing new Jobs (CUSTOM strategy only).
   * @default - none
   */
  readonly customScalingQueueLengthDeduction?: number;

  /**
   * Fraction (0..1) of running Jobs counted as busy (CUSTOM strategy only).
   * @default - none
   */
  readonly customScalingRunningJobPercentage?: number;

  /**
   * Pod conditions that count a Job as pending (ACCURATE and others), e.g. `['Ready', 'PodScheduled']`.
   * @default - none
   */
  readonly pendingPodConditions?: string[];

  /**
   * How several triggers combine.
   * @default - KEDA's default, MAX
   */
  readonly multipleScalersCalculation?: MultipleScalersCalculation;

  /**
   * Successful Jobs kept (KEDA keeps 100).
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;

  /**
   * Failed Jobs kept (KEDA keeps 100).
   * @default 5
   */
  readonly failedJobsHistoryLimit?: number;

  /**
   * What happens to running Jobs when the ScaledJob changes.
   * @default JobRolloutStrategy.GRADUAL (KEDA's default, immediate, deletes running Jobs)
   */
  readonly rolloutStrategy?: JobRolloutStrategy;

  /**
   * Name of the ScaledJob. At most 63 characters: KEDA labels every Job with
   * `scaledjob.keda.sh/name: <ScaledJob name>`.
   * @default - the worker's name
   */
  readonly scaledJobName?: string;
}
