import { JobRolloutStrategy, JobScalingStrategy, MultipleScalersCalculation, ScaledJobOptions } from './scaled-job-options';
import { arrayOf, Check, enumOf, integer, number, optional, string, struct } from '../validate/check';
import { fastDuration } from '../validate/fast';
import { DNS1123_SUBDOMAIN_NAME } from '../validate/formats';

/** `ScaledJobOptions` (strategy-dependent settings and the name's length are checked where it is rendered). */
export const SCALED_JOB_OPTIONS: Check = struct<ScaledJobOptions>('ScaledJobOptions', {
  parallelism: optional(integer({ min: 1 })),
  backoffLimit: optional(integer({ min: 0 })),
  activeDeadline: optional(fastDuration({ minSeconds: 1 })),
  ttlAfterFinished: optional(fastDuration()),
  scalingStrategy: optional(enumOf(JobScalingStrategy, 'JobScalingStrategy')),
  customScalingQueueLengthDeduction: optional(integer({ min: 0 })),
  customScalingRunningJobPercentage: optional(number({ min: 0, max: 1, fix: 'e.g. 0.5 to count half of the running Jobs as busy' })),
  pendingPodConditions: optional(arrayOf(string({ fix: 'name a pod condition, e.g. "Ready"' }))),
  multipleScalersCalculation: optional(enumOf(MultipleScalersCalculation, 'MultipleScalersCalculation')),
  successfulJobsHistoryLimit: optional(integer({ min: 0 })),
  failedJobsHistoryLimit: optional(integer({ min: 0 })),
  rolloutStrategy: optional(enumOf(JobRolloutStrategy, 'JobRolloutStrategy')),
  scaledJobName: optional(string({ format: DNS1123_SUBDOMAIN_NAME })),
});
