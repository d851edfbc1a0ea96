import { ScalingBehavior, ScalingPolicy, ScalingRules, SelectPolicy } from './behavior';
import { toleranceFraction } from './quantity';
import { arrayOf, Check, enumOf, instanceOf, optional, struct } from '../validate/check';
import { duration } from '../validate/values';

/** A `ScalingPolicy` made by its factories. */
export const SCALING_POLICY: Check = instanceOf(v => v instanceof ScalingPolicy, 'ScalingPolicy',
  'use ScalingPolicy.percent(n, period) or ScalingPolicy.pods(n, period)');

/** `ScalingRules`: windows of 0 s to 1 hour, as the API server allows; tolerances in 0..0.999. */
export const SCALING_RULES: Check = struct<ScalingRules>('ScalingRules', {
  stabilizationWindow: optional(duration({ maxSeconds: 3600 })),
  policies: optional(arrayOf(SCALING_POLICY)),
  selectPolicy: optional(enumOf(SelectPolicy, 'SelectPolicy')),
  tolerance: optional(toleranceFraction()),
});

/** `ScalingBehavior` (autoscaling/v2 `behavior`, also KEDA's `advanced.horizontalPodAutoscalerConfig.behavior`). */
export const SCALING_BEHAVIOR: Check = struct<ScalingBehavior>('ScalingBehavior', {
  scaleUp: optional(SCALING_RULES),
  scaleDown: optional(SCALING_RULES),
});
