import { Check, fail, typeOf } from '../validate/check';

/**
 * The largest metric target this library renders: 10^15. The HPA controller compares targets in
 * milli-units as int64 (`MilliValue()`), which overflows a little above 9.2 * 10^15; 10^15 keeps
 * every target exact in JavaScript numbers too.
 */
export const MAX_TARGET_QUANTITY = 1e15;

/** The digits of a non-negative number without exponent, when it has at most 3 decimals, else undefined. */
function milliDigits(value: number): { whole: string; milli: string } | undefined {
  const text = String(value);
  const m = /^(\d+)(?:\.(\d{1,3}))?$/.exec(text);
  if (!m) return undefined;
  return { whole: m[1], milli: (m[2] ?? '').padEnd(3, '0') };
}

/**
 * Why `value` cannot be a metric target quantity (a finite number greater than 0, at most
 * `MAX_TARGET_QUANTITY`, exact in milli-units), or undefined when it can.
 */
export function targetQuantityProblem(value: unknown): string | undefined {
  if (typeof value !== 'number') return `must be a number, got ${value === undefined ? 'undefined' : typeOf(value)}`;
  if (!Number.isFinite(value)) return `must be a finite number, got ${String(value)}`;
  if (value <= 0) return 'must be greater than 0 (the API server rejects targets of 0 or less)';
  if (value > MAX_TARGET_QUANTITY) return `must be at most ${MAX_TARGET_QUANTITY.toLocaleString('en-US')} (10^15; the HPA compares targets in int64 milli-units)`;
  if (value < 0.001) return 'is below 0.001, the smallest positive quantity in milli-units (it would render as "0", which the API server rejects)';
  if (milliDigits(value) === undefined) {
    return 'is not exact in milli-units: Kubernetes quantities keep at most 3 decimals, so it would be rounded';
  }
  return undefined;
}

/** The valid targets nearest to `value` (whole milli-units), for fixes. */
export function nearestTargetQuantities(value: number): number[] {
  const down = Math.floor(value * 1000) / 1000;
  const up = Math.ceil(value * 1000) / 1000;
  return [...new Set([down, up])].filter(v => v > 0 && v <= MAX_TARGET_QUANTITY && milliDigits(v) !== undefined);
}

/** Integers as-is, fractions in milli-units ("0.5" -> "500m"): the API server's canonical form. */
function milliQuantity(digits: { whole: string; milli: string }): string {
  if (digits.milli === '000') return digits.whole;
  return `${`${digits.whole}${digits.milli}`.replace(/^0+/, '')}m`;
}

/**
 * Renders a target as a Kubernetes quantity string: integers as-is, fractions in milli-units
 * ("0.5" -> "500m"), which is how the API server canonicalizes them; never with an exponent.
 * Only values accepted by `targetQuantityProblem` are rendered; others throw.
 */
export function toQuantity(value: number): string {
  const problem = targetQuantityProblem(value);
  const digits = milliDigits(value);
  if (problem !== undefined || digits === undefined) throw new Error(`quantity ${String(value)} ${problem ?? 'cannot be rendered'}`);
  return milliQuantity(digits);
}

/**
 * The largest tolerance this library renders is just below 1: a scale-down tolerance of 1 or more
 * blocks every scale-down (the usage ratio would have to fall below 0), and a scale-up tolerance of
 * 1 waits for more than twice the target. The API server itself only requires >= 0.
 */
export const MAX_TOLERANCE = 0.999;

/**
 * Why `value` cannot be a `ScalingRules.tolerance` (a fraction of at least 0 and below 1, exact in
 * milli-units), or undefined when it can.
 */
export function toleranceProblem(value: unknown): string | undefined {
  if (typeof value !== 'number') return `must be a number (a fraction such as 0.05 for 5%), got ${value === undefined ? 'undefined' : typeOf(value)}`;
  if (!Number.isFinite(value)) return `must be a finite number, got ${String(value)}`;
  if (value < 0) return 'must be at least 0 (the API server rejects a negative tolerance)';
  if (value >= 1) {
    return 'must be below 1: it is a fraction of the target (0.05 = 5%), and a scale-down tolerance of 1 or more would block ' +
      'every scale-down (a scale-up one would wait for more than twice the target)';
  }
  if (milliDigits(Math.abs(value)) === undefined) return 'has more than 3 decimals: tolerances are rendered in milli-units (steps of 0.1%), so it would be rounded';
  return undefined;
}

/**
 * Renders a tolerance as the quantity the API server stores (0.05 -> "50m", 0 -> "0"), exactly.
 * Only values accepted by `toleranceProblem` are rendered; others throw.
 */
export function toToleranceQuantity(value: number): string {
  const problem = toleranceProblem(value);
  const digits = milliDigits(Math.abs(value)); // -0 is 0
  if (problem !== undefined || digits === undefined) throw new Error(`tolerance ${String(value)} ${problem ?? 'cannot be rendered'}`);
  return milliQuantity(digits);
}

/** `ScalingRules.tolerance`: a fraction in 0..0.999 with at most 3 decimals. */
export function toleranceFraction(): Check {
  const expected = 'a fraction of at least 0 and below 1 with at most 3 decimals (0.05 = 5%)';
  return {
    expected,
    check(value, site) {
      const problem = toleranceProblem(value);
      if (problem === undefined) return;
      let fix = 'pass a fraction such as 0.05 (5%), or leave tolerance out for the cluster-wide default (0.1)';
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 1) {
        const near = [Math.floor(value * 1000) / 1000, Math.ceil(value * 1000) / 1000].filter(v => v <= MAX_TOLERANCE);
        fix = `use ${[...new Set(near)].join(' or ')}`;
      } else if (typeof value === 'number' && value >= 1) {
        fix = 'use a fraction below 1, e.g. 0.05 for 5%; to stop scaling in one direction set selectPolicy: SelectPolicy.DISABLED';
      }
      fail(site, value, problem, fix);
    },
  };
}

/**
 * A metric target in natural units (`MetricTarget.averageValue`/`value`): a finite number greater
 * than 0, at most 10^15, exact in milli-units (0.0015 would silently become "2m").
 */
export function targetQuantity(): Check {
  const expected = 'a number greater than 0 and at most 10^15 with at most 3 decimals';
  return {
    expected,
    check(value, site) {
      const problem = targetQuantityProblem(value);
      if (problem === undefined) return;
      let fix = `pass ${expected}, e.g. 10 or 0.5`;
      if (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_TARGET_QUANTITY) {
        const near = nearestTargetQuantities(value);
        fix = near.length > 0
          ? `use ${near.map(v => `${v} ("${toQuantity(v)}")`).join(' or ')}, or scale the metric so its target is a whole number`
          : 'scale the metric (e.g. report it in thousandths) so that its target is at least 0.001';
      } else if (typeof value === 'number' && value > MAX_TARGET_QUANTITY) {
        fix = 'scale the metric down (e.g. report it in thousands) so that its target is at most 10^15';
      }
      fail(site, value, problem, fix);
    },
  };
}
