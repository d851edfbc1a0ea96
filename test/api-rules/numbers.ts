/**
 * Every number in an object: the API server decodes integer fields into int32 (Go `int32`) unless the field is
 * one of the few `int64` ones; no field of the kinds this library renders is a float (quantities are strings).
 * JSON cannot carry NaN or Infinity (JSON.stringify silently writes null). Also catches JavaScript values that were
 * stringified by accident ("NaN", "undefined", "[object Object]").
 */
import { isInt32, isInt64 } from './formats';
import { isObject, Report } from './violation';

/** Fields the API stores as int64 (core/v1 types.go): the rest are int32. */
export const INT64_FIELDS = new Set([
  'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'runAsUser', 'runAsGroup', 'fsGroup', 'supplementalGroups',
  'expirationSeconds', 'deletionGracePeriodSeconds', 'generation',
]);

const ACCIDENTAL_STRINGS = new Set(['NaN', 'undefined', 'Infinity', '-Infinity']);

export function checkNumbers(r: Report, value: unknown, path = '', field = ''): void {
  if (typeof value === 'number') {
    const p = path || '(root)';
    if (!Number.isFinite(value)) {
      r.add(p, value, 'must be a finite number (JSON has no NaN/Infinity)');
    } else if (!Number.isInteger(value)) {
      r.add(p, value, 'must be an integer (no field of these kinds is a float; quantities are strings)');
    } else if (INT64_FIELDS.has(field)) {
      r.expect(isInt64(value), p, value, 'must be a safe int64 integer');
    } else {
      r.expect(isInt32(value), p, value, 'must fit in an int32 (-2^31..2^31-1): the API server stores this field as int32');
    }
  } else if (typeof value === 'string') {
    r.expect(!ACCIDENTAL_STRINGS.has(value) && !value.includes('[object Object]'), path, value,
      'looks like a JavaScript value stringified by accident');
  } else if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    r.add(path, String(value), `a ${typeof value} is not JSON`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkNumbers(r, v, `${path}[${i}]`, field));
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${path ? `${path}.` : ''}${k}` : `${path}[${JSON.stringify(k)}]`;
      checkNumbers(r, v, key, k);
    }
  }
}
