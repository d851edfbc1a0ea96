import { ApiObject, Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { renderPauseAnnotations } from './pause';
import { triggerRenderer, TriggerContext } from './render-triggers';
import { JobRolloutStrategy, JobScalingStrategy, ScaledJobOptions } from './scaled-job-options';
import { KedaScalingOptions, PauseOptions } from './scaled-object-options';
import { Trigger } from './trigger';
import type {
  ScaledJobProps, ScaledJobSpecJobTargetRefTemplate, ScaledJobSpecRolloutStrategy, ScaledJobSpecScalingStrategyMultipleScalersCalculation,
  ScaledJobSpecScalingStrategyStrategy,
} from '../../imports/keda.sh';
import { check, checkDnsName, checkInteger, durationSeconds, objectMeta } from '../errors';
import { kubeObject } from '../workload/kube-object';

/** apiVersion and kind of a KEDA ScaledJob (the generated binding's GVK). */
export const SCALED_JOB_GVK = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob' };

/** Defaults of ScaledJobOptions, in one place (documented there). */
export const SCALED_JOB_DEFAULTS = {
  minReplicas: 0,
  pollingIntervalSeconds: 30,
  parallelism: 1,
  backoffLimit: 2,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 5,
  scalingStrategy: JobScalingStrategy.DEFAULT,
  rolloutStrategy: JobRolloutStrategy.GRADUAL,
  /** Added to maxProcessingTime for the default activeDeadline: scheduling, image pull, model load. */
  startupBudgetSeconds: 600,
};

/** Everything needed to render a ScaledJob. */
export interface ScaledJobRenderProps {
  readonly scaling: KedaScalingOptions;
  readonly job: ScaledJobOptions;
  readonly name?: string;
  readonly namespace?: string;
  /** The Job's pod template (restartPolicy Never). */
  readonly template: k8s.PodTemplateSpec;
  readonly triggers: Trigger[];
  readonly containerName: string;
  /** Declared maximum processing time of one item: sets the default activeDeadlineSeconds. */
  readonly maxProcessingSeconds?: number;
  readonly pause?: PauseOptions;
}

export interface RenderedScaledJob {
  readonly apiObject: ApiObject;
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

/**
 * Validates and renders a ScaledJob through the generated bindings. Child id: `Resource`.
 */
export function renderScaledJob(scope: Construct, props: ScaledJobRenderProps): RenderedScaledJob {
  const s = props.scaling;
  const j = props.job;
  const d = SCALED_JOB_DEFAULTS;
  checkInteger(scope, 'maxReplicas', s.maxReplicas, 1, Number.MAX_SAFE_INTEGER, 'set maxReplicas (most concurrent Jobs) to at least 1');
  const minReplicas = s.minReplicas ?? d.minReplicas;
  checkInteger(scope, 'minReplicas', minReplicas, 0);
  check(minReplicas <= s.maxReplicas, scope, 'minReplicas', minReplicas, `is greater than maxReplicas (${s.maxReplicas})`,
    'lower minReplicas or raise maxReplicas');
  const pollingInterval = durationSeconds(scope, 'pollingInterval', s.pollingInterval, 1) ?? d.pollingIntervalSeconds;
  const parallelism = j.parallelism ?? d.parallelism;
  checkInteger(scope, 'job.parallelism', parallelism, 1);
  const backoffLimit = j.backoffLimit ?? d.backoffLimit;
  checkInteger(scope, 'job.backoffLimit', backoffLimit, 0);
  const successful = j.successfulJobsHistoryLimit ?? d.successfulJobsHistoryLimit;
  const failed = j.failedJobsHistoryLimit ?? d.failedJobsHistoryLimit;
  checkInteger(scope, 'job.successfulJobsHistoryLimit', successful, 0);
  checkInteger(scope, 'job.failedJobsHistoryLimit', failed, 0);
  const activeDeadlineSeconds = durationSeconds(scope, 'job.activeDeadline', j.activeDeadline, 1)
    ?? (props.maxProcessingSeconds === undefined ? undefined : props.maxProcessingSeconds + d.startupBudgetSeconds);
  if (props.maxProcessingSeconds !== undefined && j.activeDeadline !== undefined) {
    check(activeDeadlineSeconds! >= props.maxProcessingSeconds, scope, 'job.activeDeadline', j.activeDeadline,
      `is shorter than maxProcessingTime (${props.maxProcessingSeconds}s): Jobs would be killed before they can finish an item`,
      'raise activeDeadline or lower maxProcessingTime');
  }
  const ttl = durationSeconds(scope, 'job.ttlAfterFinished', j.ttlAfterFinished, 0);
  checkDnsName(scope, 'job.scaledJobName', j.scaledJobName);

  const strategy = j.scalingStrategy ?? d.scalingStrategy;
  const custom = strategy === JobScalingStrategy.CUSTOM;
  check(custom || (j.customScalingQueueLengthDeduction === undefined && j.customScalingRunningJobPercentage === undefined), scope,
    'job.scalingStrategy', strategy, 'ignores customScalingQueueLengthDeduction and customScalingRunningJobPercentage',
    'set scalingStrategy: JobScalingStrategy.CUSTOM, or remove the custom settings');
  checkInteger(scope, 'job.customScalingQueueLengthDeduction', j.customScalingQueueLengthDeduction, 0);
  if (j.customScalingRunningJobPercentage !== undefined) {
    const p = j.customScalingRunningJobPercentage;
    check(Number.isFinite(p) && p >= 0 && p <= 1, scope, 'job.customScalingRunningJobPercentage', p, 'must be a fraction between 0 and 1',
      'e.g. 0.5 to count half of the running Jobs as busy');
  }
  for (const [i, c] of (j.pendingPodConditions ?? []).entries()) {
    check(typeof c === 'string' && c.length > 0, scope, `job.pendingPodConditions[${i}]`, c, 'must name a pod condition', 'e.g. "Ready"');
  }

  const namespace = props.namespace ?? Chart.of(scope).namespace;
  const annotations = renderPauseAnnotations(scope, 'pause', props.pause, false);
  const ctx: TriggerContext = { owner: 'ScaledJob', namespace, containerName: props.containerName };
  const triggers = props.triggers;
  const render = triggerRenderer(scope, 'triggers', triggers, ctx);
  // A plain ApiObject (see kubeObject); the pod template is the library's own (renderModelPod).
  const apiObject = kubeObject<ScaledJobProps>(scope, 'Resource', SCALED_JOB_GVK, {
    metadata: {
      ...objectMeta(j.scaledJobName ?? props.name, props.namespace),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      jobTargetRef: {
        parallelism,
        backoffLimit,
        activeDeadlineSeconds,
        ttlSecondsAfterFinished: ttl,
        // k8s.PodTemplateSpec and the CRD's embedded pod template are the same schema.
        template: props.template as unknown as ScaledJobSpecJobTargetRefTemplate,
      },
      minReplicaCount: minReplicas,
      maxReplicaCount: s.maxReplicas,
      pollingInterval,
      successfulJobsHistoryLimit: successful,
      failedJobsHistoryLimit: failed,
      rollout: { strategy: (j.rolloutStrategy ?? d.rolloutStrategy) as string as ScaledJobSpecRolloutStrategy },
      scalingStrategy: {
        strategy: strategy as string as ScaledJobSpecScalingStrategyStrategy,
        customScalingQueueLengthDeduction: j.customScalingQueueLengthDeduction,
        customScalingRunningJobPercentage: j.customScalingRunningJobPercentage === undefined
          ? undefined : String(j.customScalingRunningJobPercentage),
        pendingPodConditions: j.pendingPodConditions ? [...j.pendingPodConditions] : undefined,
        multipleScalersCalculation: j.multipleScalersCalculation as string as ScaledJobSpecScalingStrategyMultipleScalersCalculation | undefined,
      },
      triggers: Lazy.any({ produce: () => render() }) as any,
    },
  });
  render(true);
  scope.node.addValidation({ validate: () => { render(); return []; } });
  return { apiObject, minReplicas, maxReplicas: s.maxReplicas };
}
