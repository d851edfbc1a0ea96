import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Check, fail, INT32_MAX, instanceOf, mapOf, string, typeOf } from './check';
import { LABEL_VALUE_FORMAT, QUALIFIED_NAME } from './formats';

/**
 * Checks of the shared value types (cdk8s `Duration`/`Size`, cdk8s-plus `Cpu`) and of label and
 * annotation maps, used by every entry point through `Shape`s.
 */

/** Options of `duration`. */
export interface DurationOptions {
  /** Smallest allowed value in seconds. @default 0 */
  readonly minSeconds?: number;
  /** Largest allowed value in seconds. @default INT32_MAX */
  readonly maxSeconds?: number;
  readonly fix?: string;
}

/** A cdk8s `Duration` of whole seconds in range (the API server stores seconds as integers). */
export function duration(options: DurationOptions = {}): Check {
  const min = options.minSeconds ?? 0;
  const max = options.maxSeconds ?? INT32_MAX;
  const range = `${min} s..${max} s`;
  const fix = options.fix ?? `use Duration.seconds(n) with a whole n in ${min}..${max}`;
  const isDuration = instanceOf(v => v instanceof Duration || typeof (v as any).toMilliseconds === 'function', 'Duration', fix);
  return {
    expected: `a Duration of whole seconds in ${range}`,
    check(value, site) {
      isDuration.check(value, site);
      let ms: unknown;
      try {
        ms = (value as Duration).toMilliseconds();
      } catch (e) {
        fail(site, value, `is not a usable Duration (${(e as Error).message})`, fix);
      }
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms % 1000 !== 0) {
        fail(site, value, `must be a whole number of seconds, got ${typeof ms === 'number' ? `${ms} ms` : typeOf(ms)}`, fix);
      }
      const s = ms / 1000;
      if (s < min || s > max) fail(site, value, `must be between ${min} s and ${max} s`, fix);
    },
  };
}

/** A cdk8s `Size` of more than 0 bytes (memory requests, limits and targets). */
export function positiveSize(): Check {
  const fix = 'use Size.mebibytes(n) or Size.gibibytes(n) with n > 0';
  const isSize = instanceOf(v => v instanceof Size || typeof (v as any).toKibibytes === 'function', 'Size', fix);
  return {
    expected: 'a Size greater than 0',
    check(value, site) {
      isSize.check(value, site);
      let kib: unknown;
      try {
        kib = (value as Size).toKibibytes({ rounding: SizeRoundingBehavior.NONE });
      } catch (e) {
        fail(site, value, `is not a usable Size (${(e as Error).message})`, fix);
      }
      if (typeof kib !== 'number' || !Number.isFinite(kib) || kib <= 0) fail(site, value, 'must be greater than 0', fix);
      if (!Number.isInteger(kib * 1024)) fail(site, value, 'must be a whole number of bytes', fix);
    },
  };
}

/** A cdk8s-plus `Cpu` of more than 0 millicores, whole millicores (the API server's precision). */
export function positiveCpu(): Check {
  const fix = 'use Cpu.millis(n) or Cpu.units(n) with more than 0 millicores';
  const isCpu = instanceOf(v => v instanceof Cpu || typeof (v as any).amount === 'string', 'Cpu', fix);
  return {
    expected: 'a Cpu greater than 0',
    check(value, site) {
      isCpu.check(value, site);
      const amount = (value as Cpu).amount;
      const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(amount));
      const millis = m ? Number(m[1]) * (m[2] ? 1 : 1000) : NaN;
      if (!(millis > 0) || !Number.isFinite(millis)) fail(site, value, `must be more than 0 millicores, got "${amount}"`, fix);
      if (!Number.isInteger(millis)) fail(site, value, `must be a whole number of millicores, got "${amount}"`, fix);
    },
  };
}

/** Labels: qualified-name keys, label values. */
export function labels(): Check {
  return mapOf(string({ format: QUALIFIED_NAME }), string({ minLength: 0, format: LABEL_VALUE_FORMAT }));
}

/** Annotations: qualified-name keys, any string values. */
export function annotations(): Check {
  return mapOf(string({ format: QUALIFIED_NAME }), string({ minLength: 0 }));
}

/**
 * `duration`, also for Durations cdk8s cannot convert to milliseconds (e.g. `Duration.millis(0.5)`,
 * whose conversion throws before the prop could be named): reported on the prop, like any other.
 */
export function convertibleDuration(options: DurationOptions = {}): Check {
  const inner = duration(options);
  const fix = options.fix ?? `use Duration.seconds(n) with a whole n in ${options.minSeconds ?? 0}..${options.maxSeconds ?? INT32_MAX}`;
  return {
    expected: inner.expected,
    check(value, site) {
      if (value !== null && typeof value === 'object' && typeof (value as any).toMilliseconds === 'function') {
        try {
          (value as Duration).toMilliseconds();
        } catch {
          const v = value as any;
          const shown = `${v.amount} ${v.unit?.label ?? ''}`.trim();
          fail(site, shown, 'must be a whole number of seconds (this Duration is not even a whole number of milliseconds)', fix);
        }
      }
      inner.check(value, site);
    },
  };
}
