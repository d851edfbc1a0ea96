import { AlertSettings, alertingRules } from './alerting-rules';
import { AutoscaledWorkload } from './autoscaled-workloads';
import { RuleGroup } from './prometheus-rule-api';
import { recordingRules } from './recording-rules';

/** The recording rules group. */
export const RECORDING_GROUP = 'ml-autoscaling.rules';
/** The alerting rules group. */
export const ALERTING_GROUP = 'ml-autoscaling.alerts';

/**
 * The rule groups for `workloads`, none without workloads. Prometheus evaluates groups independently:
 * the cold-start alert reads the p95 the recording group stored at its last evaluation.
 */
export function autoscalingRuleGroups(workloads: readonly AutoscaledWorkload[], settings: AlertSettings): RuleGroup[] {
  if (workloads.length === 0) return [];
  return [
    { name: RECORDING_GROUP, rules: workloads.flatMap(recordingRules) },
    { name: ALERTING_GROUP, rules: workloads.flatMap(w => alertingRules(w, settings)) },
  ];
}

