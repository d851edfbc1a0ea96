import { ApiObject, Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { renderPauseAnnotations } from './pause';
import { MAX_LABEL_VALUE } from './render-scaled-object';
import { triggerRenderer, TriggerContext } from './render-triggers';
import { JobRolloutStrategy, JobScalingStrategy, ScaledJobOptions } from './scaled-job-options';
import { KedaScalingOptions, PauseOptions } from './scaled-object-options';
import { Trigger } from './trigger';
import type {
  ScaledJobProps, ScaledJobSpecJobTargetRefTemplate, ScaledJobSpecRolloutStrategy, ScaledJobSpecScalingStrategyMultipleScalersCalculation,
  ScaledJobSpecScalingStrategyStrategy,
} from '../../imports/keda.sh';
import { check, durationSeconds, objectMeta, propError } from '../errors';
import { checkEnvReferences, podTemplateOf } from '../workload/env-references';
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
 * Validates (beyond the options' `Shape`, checked by the construct) and renders a ScaledJob through
 * the generated bindings. Child id: `Resource`.
 */
export function renderScaledJob(scope: Construct, props: ScaledJobRenderProps): RenderedScaledJob {
  const s = props.scaling;
  const j = props.job;
  const d = SCALED_JOB_DEFAULTS;
  const minReplicas = s.minReplicas ?? d.minReplicas;
  check(minReplicas <= s.maxReplicas, scope, 'minReplicas', minReplicas, `is greater than maxReplicas (${s.maxReplicas})`,
    'lower minReplicas or raise maxReplicas');
  const pollingInterval = durationSeconds(scope, 'pollingInterval', s.pollingInterval, 1) ?? d.pollingIntervalSeconds;
  const parallelism = j.parallelism ?? d.parallelism;
  const backoffLimit = j.backoffLimit ?? d.backoffLimit;
  const successful = j.successfulJobsHistoryLimit ?? d.successfulJobsHistoryLimit;
  const failed = j.failedJobsHistoryLimit ?? d.failedJobsHistoryLimit;
  const activeDeadlineSeconds = durationSeconds(scope, 'job.activeDeadline', j.activeDeadline, 1)
    ?? (props.maxProcessingSeconds === undefined ? undefined : props.maxProcessingSeconds + d.startupBudgetSeconds);
  if (props.maxProcessingSeconds !== undefined && j.activeDeadline !== undefined) {
    check(activeDeadlineSeconds! >= props.maxProcessingSeconds, scope, 'job.activeDeadline', j.activeDeadline,
      `is shorter than maxProcessingTime (${props.maxProcessingSeconds}s): Jobs would be killed before they can finish an item`,
      'raise activeDeadline or lower maxProcessingTime');
  }
  const ttl = durationSeconds(scope, 'job.ttlAfterFinished', j.ttlAfterFinished, 0);
  checkScaledJobName(scope, j.scaledJobName, props.name);

  const strategy = j.scalingStrategy ?? d.scalingStrategy;
  const custom = strategy === JobScalingStrategy.CUSTOM;
  check(custom || (j.customScalingQueueLengthDeduction === undefined && j.customScalingRunningJobPercentage === undefined), scope,
    'job.scalingStrategy', strategy, 'ignores customScalingQueueLengthDeduction and customScalingRunningJobPercentage',
    'set scalingStrategy: JobScalingStrategy.CUSTOM, or remove the custom settings');

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
  const template = podTemplateOf(apiObject, ['spec', 'jobTargetRef', 'template']);
  scope.node.addValidation({
    validate: () => {
      render();
      checkEnvReferences(scope, 'triggers', triggers, template);
      return [];
    },
  });
  return { apiObject, minReplicas, maxReplicas: s.maxReplicas };
}

/** KEDA labels every Job with `scaledjob.keda.sh/name: <ScaledJob name>`: the name must be a label value too. */
function checkScaledJobName(scope: Construct, scaledJobName: string | undefined, name: string | undefined): void {
  const prop = scaledJobName !== undefined ? 'job.scaledJobName' : 'name';
  const value = scaledJobName ?? name;
  if (value === undefined || value.length <= MAX_LABEL_VALUE) return;
  throw propError(scope, prop, value,
    `is ${value.length} characters long; KEDA labels every Job with scaledjob.keda.sh/name: <ScaledJob name>, and a label value has at most ${MAX_LABEL_VALUE}`,
    `shorten ${prop} to at most ${MAX_LABEL_VALUE} characters${prop === 'name' ? ', or set job.scaledJobName' : ''}`);
}
