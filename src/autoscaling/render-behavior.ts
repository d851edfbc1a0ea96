import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ScalingBehavior, ScalingPolicy, ScalingRules, SelectPolicy } from './behavior';
import { SCALING_BEHAVIOR } from './behavior-check';
import { toToleranceQuantity } from './quantity';
import { durationSeconds, propError } from '../errors';
import { checkValue, integer, optional } from '../validate/check';

const POLICY_VALUE = integer({
  min: 1,
  fix: 'use ScalingPolicy.pods(n, period) or ScalingPolicy.percent(n, period) with a whole n >= 1 (set selectPolicy to SelectPolicy.DISABLED to stop scaling in that direction)',
});

/** Plain JSON of one direction's rules, as autoscaling/v2 and KEDA's `advanced` expect. */
export interface RenderedRules {
  stabilizationWindowSeconds: number;
  selectPolicy: string;
  policies?: { type: string; value: number; periodSeconds: number }[];
  /** A quantity ("50m"); only when the user set it (the cluster-wide default applies otherwise). */
  tolerance?: string;
}

/** Plain JSON of `behavior`. */
export interface RenderedBehavior {
  scaleUp: RenderedRules;
  scaleDown: RenderedRules;
}

export const DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS = 300;

/** The API server's limit for `stabilizationWindowSeconds` (one hour). */
export const MAX_STABILIZATION_SECONDS = 3600;

/**
 * The default scale-down window: 5 minutes, or the model load time if longer, capped at the API
 * server's one hour (a longer model load time is the construct's to judge, not a window the user set).
 */
export function defaultScaleDownWindowSeconds(modelLoadSeconds: number): number {
  const load = Number.isFinite(modelLoadSeconds) ? Math.ceil(modelLoadSeconds) : 0;
  return Math.min(MAX_STABILIZATION_SECONDS, Math.max(DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS, load));
}

/** The rules every direction gets unless the user sets them (tolerance has no default of ours). */
type DefaultedRules = Required<Omit<ScalingRules, 'tolerance'>>;

/** The defaults in one place (documented on `ScalingBehavior`). */
export function defaultRules(direction: 'scaleUp' | 'scaleDown', modelLoadSeconds: number): DefaultedRules {
  if (direction === 'scaleUp') {
    return {
      stabilizationWindow: Duration.seconds(60),
      policies: [ScalingPolicy.percent(100, Duration.seconds(30)), ScalingPolicy.pods(2, Duration.seconds(30))],
      selectPolicy: SelectPolicy.MAX,
    };
  }
  return {
    stabilizationWindow: Duration.seconds(defaultScaleDownWindowSeconds(modelLoadSeconds)),
    policies: [ScalingPolicy.percent(50, Duration.seconds(60))],
    selectPolicy: SelectPolicy.MAX,
  };
}

/**
 * Validates (with `SCALING_BEHAVIOR`, the constructs' props check) and renders a behavior, filling
 * each missing part from the defaults.
 * @param prop the prop path used in error messages, e.g. `behavior`
 */
export function renderBehavior(scope: IConstruct, prop: string, behavior: ScalingBehavior | undefined,
  modelLoadSeconds: number): RenderedBehavior {
  optional(SCALING_BEHAVIOR).check(behavior, { scope, prop });
  return {
    scaleUp: renderRules(scope, `${prop}.scaleUp`, behavior?.scaleUp, defaultRules('scaleUp', modelLoadSeconds)),
    scaleDown: renderRules(scope, `${prop}.scaleDown`, behavior?.scaleDown, defaultRules('scaleDown', modelLoadSeconds)),
  };
}

function renderRules(scope: IConstruct, prop: string, rules: ScalingRules | undefined, defaults: DefaultedRules): RenderedRules {
  const window = rules?.stabilizationWindow ?? defaults.stabilizationWindow;
  const selectPolicy = rules?.selectPolicy ?? defaults.selectPolicy;
  const policies = rules?.policies ?? defaults.policies;
  const stabilizationWindowSeconds = durationSeconds(scope, `${prop}.stabilizationWindow`, window, 0, MAX_STABILIZATION_SECONDS)!;
  if (!(selectPolicy === SelectPolicy.DISABLED || policies.length > 0)) {
    throw propError(scope, `${prop}.policies`, [],
      'needs at least one policy unless selectPolicy is DISABLED', 'add a policy such as ScalingPolicy.pods(1, Duration.minutes(1)), or omit policies to use the defaults');
  }
  const rendered = policies.map((p, i) => {
    const at = `${prop}.policies[${i}]`;
    // ScalingPolicy's factories check value and period; checked again for policies made with `new` from JavaScript.
    checkValue(scope, `${at}.value`, p.value, POLICY_VALUE);
    return { type: p.type, value: p.value, periodSeconds: durationSeconds(scope, `${at}.period`, p.period, 1, 1800)! };
  });
  // Rendered whatever the target version: with HPAConfigurableTolerance off the API server drops it
  // silently, which the guardrails report for the target (a warning, not an error here).
  const tolerance = rules?.tolerance;
  return {
    stabilizationWindowSeconds,
    selectPolicy,
    ...(rendered.length > 0 ? { policies: rendered } : {}),
    ...(tolerance !== undefined ? { tolerance: toToleranceQuantity(tolerance) } : {}),
  };
}
