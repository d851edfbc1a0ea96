import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Check, isPlainObject, mapOf, string } from './check';
import { LABEL_VALUE_FORMAT, QUALIFIED_NAME } from './formats';
import { convertibleDuration, DurationOptions, positiveCpu, positiveSize } from './values';

/**
 * Variants of the shared checks with the same messages, cheaper when the value is valid: props are
 * checked for every instance of a fleet (see BENCHMARKS.md), and almost every value is valid.
 */
/**
 * `check`, skipping values it accepted before with the same `keyOf(value)`: the value classes
 * (`Cpu`, `Size`, `Duration`) are immutable, and a fleet repeats the same few amounts.
 */
export function memoized(check: Check, keyOf: (value: unknown) => string | undefined, limit = 10_000): Check {
  const accepted = new Set<string>();
  return {
    expected: check.expected,
    optional: check.optional,
    check(value, site) {
      const key = keyOf(value);
      if (key !== undefined && accepted.has(key)) return;
      check.check(value, site);
      if (key !== undefined && accepted.size < limit) accepted.add(key);
    },
  };
}

/** The identity of a cdk8s `Size`/`Duration` (amount and unit) or cdk8s-plus `Cpu` (amount), for `memoized`. */
export function valueClassKey(value: unknown): string | undefined {
  if (value instanceof Cpu) return typeof value.amount === 'string' ? `Cpu:${value.amount}` : undefined;
  if (value instanceof Size || value instanceof Duration) {
    const v = value as any;
    return typeof v.amount === 'number' && typeof v.unit?.label === 'string' ? `${value.constructor.name}:${v.amount}:${v.unit.label}` : undefined;
  }
  return undefined;
}

/**
 * `mapOf` with the same checks and messages, building each entry's prop path only when an entry
 * fails (maps are checked for every instance of a fleet).
 */
export function lightMapOf(key: Check, val: Check): Check {
  const full = mapOf(key, val);
  return {
    expected: full.expected,
    check(value, site) {
      if (isPlainObject(value)) {
        try {
          for (const k of Object.keys(value)) {
            key.check(k, site);
            val.check(value[k], site);
          }
          return;
        } catch {
          // reported below, with the entry's path
        }
      }
      full.check(value, site);
    },
  };
}

/** `labels()`, faster when the labels are valid. */
export function lightLabels(): Check {
  return lightMapOf(string({ format: QUALIFIED_NAME }), string({ minLength: 0, format: LABEL_VALUE_FORMAT }));
}

/** `annotations()`, faster when the annotations are valid. */
export function lightAnnotations(): Check {
  return lightMapOf(string({ format: QUALIFIED_NAME }), string({ minLength: 0 }));
}

/** `check` of a value class (`Cpu`, `Size`, `Duration`), skipping amounts it accepted before. */
export function memoizedValue(check: Check): Check {
  return memoized(check, valueClassKey);
}

/** `convertibleDuration`, memoized. */
export function fastDuration(options: DurationOptions = {}): Check {
  return memoizedValue(convertibleDuration(options));
}

/** `positiveCpu`, memoized. */
export function fastCpu(): Check {
  return memoizedValue(positiveCpu());
}

/** `positiveSize`, memoized. */
export function fastSize(): Check {
  return memoizedValue(positiveSize());
}
