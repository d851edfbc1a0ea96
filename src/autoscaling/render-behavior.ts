import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ScalingBehavior, ScalingPolicy, ScalingRules, SelectPolicy } from './behavior';
import { durationSeconds, propError } from '../errors';

/** Plain JSON of one direction's rules, as autoscaling/v2 and KEDA's `advanced` expect. */
export interface RenderedRules {
  stabilizationWindowSeconds: number;
  selectPolicy: string;
  policies?: { type: string; value: number; periodSeconds: number }[];
}

/** Plain JSON of `behavior`. */
export interface RenderedBehavior {
  scaleUp: RenderedRules;
  scaleDown: RenderedRules;
}

export const DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS = 300;

/** The defaults in one place (documented on `ScalingBehavior`). */
export function defaultRules(direction: 'scaleUp' | 'scaleDown', modelLoadSeconds: number): Required<ScalingRules> {
  if (direction === 'scaleUp') {
    return {
      stabilizationWindow: Duration.seconds(60),
      policies: [ScalingPolicy.percent(100, Duration.seconds(30)), ScalingPolicy.pods(2, Duration.seconds(30))],
      selectPolicy: SelectPolicy.MAX,
    };
  }
  return {
    stabilizationWindow: Duration.seconds(Math.max(DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS, modelLoadSeconds)),
    policies: [ScalingPolicy.percent(50, Duration.seconds(60))],
    selectPolicy: SelectPolicy.MAX,
  };
}

/**
 * Validates and renders a behavior, filling each missing part from the defaults.
 * @param prop the prop path used in error messages, e.g. `behavior`
 */
export function renderBehavior(scope: IConstruct, prop: string, behavior: ScalingBehavior | undefined,
  modelLoadSeconds: number): RenderedBehavior {
  return {
    scaleUp: renderRules(scope, `${prop}.scaleUp`, behavior?.scaleUp, defaultRules('scaleUp', modelLoadSeconds)),
    scaleDown: renderRules(scope, `${prop}.scaleDown`, behavior?.scaleDown, defaultRules('scaleDown', modelLoadSeconds)),
  };
}

function renderRules(scope: IConstruct, prop: string, rules: ScalingRules | undefined, defaults: Required<ScalingRules>): RenderedRules {
  const window = rules?.stabilizationWindow ?? defaults.stabilizationWindow;
  const selectPolicy = rules?.selectPolicy ?? defaults.selectPolicy;
  const policies = rules?.policies ?? defaults.policies;
  const stabilizationWindowSeconds = durationSeconds(scope, `${prop}.stabilizationWindow`, window, 0, 3600)!;
  if (!(selectPolicy === SelectPolicy.DISABLED || policies.length > 0)) {
    throw propError(scope, `${prop}.policies`, [],
      'needs at least one policy unless selectPolicy is DISABLED', 'add a policy such as ScalingPolicy.pods(1, Duration.minutes(1)), or omit policies to use the defaults');
  }
  const rendered = policies.map((p, i) => {
    const at = `${prop}.policies[${i}]`;
    if (!(Number.isInteger(p.value) && p.value > 0)) {
      throw propError(scope, `${at}.value`, p.value,
        'must be a whole number greater than 0 (a policy of 0 is invalid; use selectPolicy DISABLED to stop scaling)', `use ScalingPolicy.${p.type === 'Pods' ? 'pods' : 'percent'}(n, ...) with an integer n >= 1`);
    }
    return { type: p.type, value: p.value, periodSeconds: durationSeconds(scope, `${at}.period`, p.period, 1, 1800)! };
  });
  return {
    stabilizationWindowSeconds,
    selectPolicy,
    ...(rendered.length > 0 ? { policies: rendered } : {}),
  };
}
