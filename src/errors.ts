import { SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Formats a value for an error message: strings quoted, objects as JSON, durations in seconds, sizes
 * in KiB, long texts shortened. Never throws, whatever the value (it describes bad input).
 */
export function describeValue(value: unknown): string {
  try {
    return shorten(describe(value));
  } catch {
    return `<${typeof value}>`;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'symbol' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value && typeof value === 'object') {
    const v = value as any;
    if (typeof v.toMilliseconds === 'function') {
      const ms = v.toMilliseconds();
      return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
    }
    if (typeof v.toKibibytes === 'function') return `${v.toKibibytes({ rounding: SizeRoundingBehavior.NONE })}KiB`;
    if (v.constructor?.name === 'Cpu' && 'amount' in v) return `Cpu(${JSON.stringify(v.amount)})`;
  }
  return JSON.stringify(value) ?? String(value);
}

function shorten(text: string): string {
  return text.length > 1000 ? `${text.slice(0, 1000)}... (${text.length} characters)` : text;
}

/**
 * The one way this library reports bad input: names the construct, the prop, the bad value and the fix.
 *
 *   [Chart/Inference] minReplicas=0: must be at least 1 for an HPA. Fix: set minReplicas >= 1, ...
 */
export function propError(scope: IConstruct | string, prop: string, value: unknown, problem: string, fix: string): Error {
  const path = typeof scope === 'string' ? scope : scope.node.path;
  return new Error(`[${path}] ${prop}=${describeValue(value)}: ${problem}. Fix: ${fix}${/[.?!]$/.test(fix) ? '' : '.'}`);
}

/** Throws a propError unless `ok`. */
export function check(ok: boolean, scope: IConstruct | string, prop: string, value: unknown, problem: string, fix: string): void {
  if (!ok) throw propError(scope, prop, value, problem, fix);
}

/**
 * Converts a cdk8s Duration to whole seconds, rejecting negative or fractional values (props are
 * checked by their shapes first; this also guards values computed from them).
 */
export function durationSeconds(scope: IConstruct | string, prop: string,
  value: { toMilliseconds(): number } | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const ms = value.toMilliseconds();
  const seconds = ms / 1000;
  if (Number.isFinite(ms) && Number.isInteger(seconds) && seconds >= min && seconds <= max) return seconds;
  const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min} s` : `between ${min} s and ${max} s`;
  throw propError(scope, prop, value, `must be a whole number of seconds, ${range}`,
    `use Duration.seconds(n) with n ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`}`);
}

/**
 * Object metadata with only the keys that are set: cdk8s would let an explicit `name: undefined`
 * override the generated name.
 */
export function objectMeta(name: string | undefined, namespace: string | undefined): { name?: string; namespace?: string } {
  const meta: { name?: string; namespace?: string } = {};
  if (name !== undefined) meta.name = name;
  if (namespace !== undefined) meta.namespace = namespace;
  return meta;
}
