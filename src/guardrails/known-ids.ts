/**
 * Internal: every warning and rule ID the library knows, for the checks of `Warnings.acknowledge`,
 * the `ml-autoscaling.io/suppress` annotation and `lint --disable`: a misspelled ID would otherwise
 * silence nothing, silently.
 */
import { INVALID_SUPPRESSION } from './engine';
import { ALL_RULES } from './rules';
import { closestKey } from '../validate/closest-key';

/** Guardrail rule IDs (the engine's rules and the suppression check): what the annotation and `disabledRules` take. */
export function guardrailRuleIds(): string[] {
  return [...ALL_RULES.map(r => r.id), INVALID_SUPPRESSION.id];
}

/**
 * IDs of the warnings constructs add at construction (`Warnings.add`): not guardrail rules, they are
 * about construct props, not rendered objects, so `lint` and the validation plugin never report them.
 * Required when called, not imported: those modules import `Warnings`, which imports this one, and an
 * import here would run them half-loaded when one of them is the first module an app loads.
 */
export function constructWarningIds(): string[] {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return [
    require('../queue-batch-worker').QueueBatchWorker.NO_MAX_PROCESSING_TIME_WARNING,
    require('../keda/authentication').KedaTriggerAuthentication.LITERAL_SECRET_WARNING,
    require('../keda/render-scaled-object').IDLE_REPLICAS_WARNING,
    require('../keda/render-triggers').CREDENTIAL_IN_METADATA_WARNING,
    require('../keda/pause').PAUSED_WARNING,
    require('../monitoring/autoscaling-rules').AutoscalingRules.NO_WORKLOADS_WARNING,
    require('../monitoring/autoscaling-dashboard').AutoscalingDashboard.NO_WORKLOADS_WARNING,
  ];
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Whether `id` names a guardrail rule. */
export function isGuardrailRuleId(id: string): boolean {
  return guardrailRuleIds().includes(id);
}

/**
 * The problem with a rule ID given to `--disable` (or `disabledRules`), or undefined when it names a
 * rule: `is not a guardrail rule (did you mean "ML-W-..."?)`.
 */
export function unknownRuleIdProblem(id: string): string | undefined {
  const known = guardrailRuleIds();
  if (known.includes(id)) return undefined;
  return `is not a guardrail rule${didYouMean(id, known)}`;
}

/** ` (did you mean "X"?)` for the closest known ID, or `` when none is close. */
export function didYouMean(id: string, known: readonly string[]): string {
  const closest = closestKey(id, known);
  return closest ? ` (did you mean "${closest}"?)` : '';
}
