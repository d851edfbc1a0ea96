import { IConstruct } from 'constructs';
import { propError } from '../errors';
import { closestKey } from './closest-key';

/**
 * The one runtime check of public inputs (props objects, factory arguments, options). Callers
 * without TypeScript (JavaScript, jsii languages) get no compile-time types: every value is checked
 * for type, enum membership, range and format before use, and an unknown key on a props object is
 * reported with the closest known key. Errors name where (construct path or entry point), the prop
 * (a path such as `behavior.scaleDown.policies[0]`), the value and the fix, like `propError`.
 */

/** Where a value came from: the construct (or entry point, e.g. `Metric.pods`) and the prop path. */
export interface Site {
  readonly scope: IConstruct | string;
  readonly prop: string;
}

/** A check of one value. */
export interface Check {
  /** What the value must be, for messages: `an integer in 1..2147483647`. */
  readonly expected: string;
  /** Whether `undefined` is accepted (the prop may be left out). */
  readonly optional?: boolean;
  /** Throws a `CheckError` (through `fail`) unless the value is acceptable. */
  check(value: unknown, site: Site): void;
}

/** The largest int32, the API server's limit for replica counts, ports and most integer fields. */
export const INT32_MAX = 2147483647;

/** Throws the library's prop error for `site`. */
export function fail(site: Site, value: unknown, problem: string, fix: string): never {
  throw propError(site.scope, site.prop, value, problem, fix);
}

/** `got a string`, `got null`, ... for type errors. */
export function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  const t = typeof value;
  if (t === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function mustBe(check: Check, site: Site, value: unknown, fix?: string): never {
  return fail(site, value, `must be ${check.expected}, got ${typeOf(value)}`, fix ?? `set ${site.prop} to ${check.expected}`);
}

/** Runs `check` on `value` at `scope`/`prop`. */
export function checkValue(scope: IConstruct | string, prop: string, value: unknown, check: Check): void {
  check.check(value, { scope, prop });
}

/** An optional value: `undefined` is accepted (not `null`: omit the key instead). */
export function optional(inner: Check): Check {
  return {
    expected: inner.expected,
    optional: true,
    check(value, site) {
      if (value === undefined) return;
      if (value === null) fail(site, value, `must be ${inner.expected} or left out`, `leave ${site.prop} out instead of setting null`);
      inner.check(value, site);
    },
  };
}

/** Options of `integer`. */
export interface IntegerOptions {
  readonly min?: number;
  /** @default INT32_MAX */
  readonly max?: number;
  readonly fix?: string;
}

/** An integer in [min, max] (int32 by default, as the API server stores them). */
export function integer(options: IntegerOptions = {}): Check {
  const min = options.min ?? -INT32_MAX - 1;
  const max = options.max ?? INT32_MAX;
  const expected = max >= Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in ${min}..${max}`;
  const c: Check = {
    expected,
    check(value, site) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) mustBe(c, site, value, options.fix);
    },
  };
  return c;
}

/** Options of `number`. */
export interface NumberOptions {
  readonly min?: number;
  readonly max?: number;
  /** Whether `min` itself is excluded (e.g. "greater than 0"). */
  readonly exclusiveMin?: boolean;
  readonly fix?: string;
}

/** A finite number in range. */
export function number(options: NumberOptions = {}): Check {
  const { min, max, exclusiveMin } = options;
  const parts: string[] = [];
  if (min !== undefined) parts.push(exclusiveMin ? `greater than ${min}` : `>= ${min}`);
  if (max !== undefined) parts.push(`<= ${max}`);
  const expected = `a finite number${parts.length ? ` ${parts.join(' and ')}` : ''}`;
  const c: Check = {
    expected,
    check(value, site) {
      const ok = typeof value === 'number' && Number.isFinite(value)
        && (min === undefined || (exclusiveMin ? value > min : value >= min))
        && (max === undefined || value <= max);
      if (!ok) mustBe(c, site, value, options.fix);
    },
  };
  return c;
}

/** true or false. */
export function boolean(): Check {
  const c: Check = {
    expected: 'true or false',
    check(value, site) {
      if (typeof value !== 'boolean') mustBe(c, site, value);
    },
  };
  return c;
}

/** A format a string must have. */
export interface StringFormat {
  /** What it is, for messages: `a DNS-1123 label (lower-case letters, digits and '-', ...)`. */
  readonly description: string;
  /** Returns a problem, or undefined when the string is fine. */
  test(value: string): string | undefined;
  /** A fix for the value, e.g. a suggested name. */
  fix?(value: string): string;
}

/** Options of `string`. */
export interface StringOptions {
  /** @default 0 (empty strings are rejected unless minLength is 0 explicitly, see `allowEmpty`) */
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly format?: StringFormat;
  readonly fix?: string;
}

/** A string, non-empty unless `minLength: 0`, optionally of a format. */
export function string(options: StringOptions = {}): Check {
  const minLength = options.minLength ?? 1;
  const format = options.format;
  const expected = format ? format.description : minLength > 0 ? 'a non-empty string' : 'a string';
  const c: Check = {
    expected,
    check(value, site) {
      if (typeof value !== 'string') mustBe(c, site, value, options.fix);
      if (value.length < minLength) {
        fail(site, value, minLength === 1 ? 'must not be empty' : `must be at least ${minLength} characters long`, options.fix ?? `set ${site.prop} to ${expected}`);
      }
      if (options.maxLength !== undefined && value.length > options.maxLength) {
        fail(site, value, `is ${value.length} characters long, at most ${options.maxLength} are allowed`, options.fix ?? `shorten ${site.prop}`);
      }
      if (format) {
        const problem = format.test(value);
        if (problem !== undefined) fail(site, value, problem, options.fix ?? format.fix?.(value) ?? `set ${site.prop} to ${format.description}`);
      }
    },
  };
  return c;
}

/** A member of a string enum: the exact value, with one error listing the allowed ones. */
export function enumOf(enumObject: object, enumName: string): Check {
  const values = Object.values(enumObject).filter(v => typeof v === 'string') as string[];
  const listed = values.map(v => `${enumName}.${Object.keys(enumObject).find(k => (enumObject as any)[k] === v)} ("${v}")`).join(', ');
  const c: Check = {
    expected: `one of ${listed}`,
    check(value, site) {
      if (typeof value !== 'string' || !values.includes(value)) {
        const near = typeof value === 'string' ? values.find(v => v.toLowerCase() === value.toLowerCase()) : undefined;
        fail(site, value, `must be one of ${listed}`, near ? `use "${near}" (enum values are case-sensitive)` : `use one of the ${enumName} members`);
      }
    },
  };
  return c;
}

/** An instance of a class (one of the library's value classes, or cdk8s' `Duration`, `Size`, ...). */
export function instanceOf(test: (value: unknown) => boolean, className: string, fix: string): Check {
  const c: Check = {
    expected: `a ${className}`,
    check(value, site) {
      if (value === null || typeof value !== 'object' || !test(value)) mustBe(c, site, value, fix);
    },
  };
  return c;
}

/** Options of `arrayOf`. */
export interface ArrayOptions {
  readonly minLength?: number;
  readonly maxLength?: number;
}

/** An array whose every element passes `item` (reported as `prop[i]`). */
export function arrayOf(item: Check, options: ArrayOptions = {}): Check {
  const c: Check = {
    expected: `an array (each entry ${item.expected})`,
    check(value, site) {
      if (!Array.isArray(value)) mustBe(c, site, value);
      if (options.minLength !== undefined && value.length < options.minLength) {
        fail(site, value, `must have at least ${options.minLength} entr${options.minLength === 1 ? 'y' : 'ies'}`, `add entries to ${site.prop}`);
      }
      if (options.maxLength !== undefined && value.length > options.maxLength) {
        fail(site, value, `must have at most ${options.maxLength} entries`, `remove entries from ${site.prop}`);
      }
      for (let i = 0; i < value.length; i++) item.check(value[i], { scope: site.scope, prop: `${site.prop}[${i}]` });
    },
  };
  return c;
}

/** Whether `value` is a plain object (a props bag or map), not an array or class instance. */
export function isPlainObject(value: unknown): value is { [key: string]: unknown } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A string-keyed map (labels, env, ...): keys pass `key`, values pass `value`. */
export function mapOf(key: Check, val: Check): Check {
  const c: Check = {
    expected: `an object mapping ${key.expected} to ${val.expected}`,
    check(value, site) {
      if (!isPlainObject(value)) mustBe(c, site, value);
      for (const k of Object.keys(value)) {
        key.check(k, { scope: site.scope, prop: `${site.prop} key` });
        val.check(value[k], { scope: site.scope, prop: `${site.prop}[${JSON.stringify(k)}]` });
      }
    },
  };
  return c;
}

/**
 * The checks of a props interface, one per key. `Shape<FooProps>` makes the compiler require a
 * check for every prop of `FooProps` (and reject checks for props it does not have), so the runtime
 * checks cannot drift from the public types.
 */
export type Shape<T> = { readonly [K in keyof Required<T>]: Check };

/**
 * A props object (a jsii struct): a plain object, no keys but `shape`'s (the closest known key is
 * named), every value checked by its key's check.
 */
export function struct<T>(typeName: string, shape: Shape<T>): Check {
  const keys = Object.keys(shape);
  const c: Check = {
    expected: `a ${typeName} object`,
    check(value, site) {
      if (!isPlainObject(value)) mustBe(c, site, value, `pass ${site.prop} as an object literal ({ ... })`);
      checkShape(site, typeName, keys, shape as { [key: string]: Check }, value);
    },
  };
  return c;
}

function checkShape(site: Site, typeName: string, keys: string[], shape: { [key: string]: Check }, value: { [key: string]: unknown }): void {
  const prefix = site.prop ? `${site.prop}.` : '';
  for (const k of Object.keys(value)) {
    if (Object.prototype.hasOwnProperty.call(shape, k)) continue;
    const near = closestKey(k, keys);
    fail({ scope: site.scope, prop: `${prefix}${k}` }, value[k], `is not a property of ${typeName}`,
      near ? `did you mean "${prefix}${near}"?` : `remove it (${typeName} has: ${keys.join(', ')})`);
  }
  for (const k of keys) shape[k].check(value[k], { scope: site.scope, prop: `${prefix}${k}` });
}

/**
 * Checks a constructor's or method's props object against its shape: `props` itself must be an
 * object (or left out when `optionalProps`), its keys known and every value valid. `argName` names
 * the argument in the message when it is not an object (`props` for constructors, `options` for
 * static entry points).
 */
export function checkProps<T>(scope: IConstruct | string, typeName: string, shape: Shape<T>, props: unknown,
  optionalProps = false, argName = typeof scope === 'string' ? 'options' : 'props'): asserts props is T {
  if (props === undefined && optionalProps) return;
  const required = Object.keys(shape).filter(k => !(shape as { [key: string]: Check })[k].optional);
  if (!isPlainObject(props)) {
    fail({ scope, prop: argName }, props, `must be a ${typeName} object`, `pass an object literal${required.length ? ` with at least ${required.join(', ')}` : ''}`);
  }
  checkShape({ scope, prop: '' }, typeName, Object.keys(shape), shape as { [key: string]: Check }, props);
}

/** Any value accepted by `test`, described by `expected`. */
export function satisfies(expected: string, test: (value: unknown) => boolean, fix?: string): Check {
  const c: Check = {
    expected,
    check(value, site) {
      if (!test(value)) mustBe(c, site, value, fix);
    },
  };
  return c;
}

/** Passes when any of the checks passes (e.g. a port number or a port name). */
export function anyOf(expected: string, ...checks: Check[]): Check {
  const c: Check = {
    expected,
    check(value, site) {
      for (const inner of checks) {
        try {
          inner.check(value, site);
          return;
        } catch {
          // try the next alternative
        }
      }
      mustBe(c, site, value);
    },
  };
  return c;
}

/** Not checked here: the value is validated where it is used (documented at the use). */
export function anything(expected: string): Check {
  return { expected, check() {} };
}
