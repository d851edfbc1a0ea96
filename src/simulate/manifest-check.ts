import { quantityMilliValue } from './quantity-math';
import { Check, fail, isPlainObject, optional, Site, string, typeOf } from '../validate/check';
import { DNS1123_LABEL_NAME, DNS1123_SUBDOMAIN_NAME, oneOfStrings } from '../validate/formats';
import { annotations, labels } from '../validate/values';

/**
 * Checks shared by the manifest checks of the simulator (`hpa-spec-check.ts`, `scaled-object-spec-check.ts`):
 * Kubernetes quantities, object metadata, and the whole-object-or-spec form in which both are accepted.
 */

/** The largest milli-value a quantity may have (`Quantity.MilliValue()` is an int64). */
const MAX_MILLI = 9.2e18;

/** Options of `quantity`. */
export interface QuantityOptions {
  /** Whether the quantity must be greater than 0 (metric targets) rather than at least 0 (tolerances). */
  readonly positive: boolean;
  readonly fix?: string;
}

/**
 * A Kubernetes quantity: a string such as "500m", "10" or "2Gi", or a finite number (YAML `averageValue: 10`
 * loads as a number; the API server accepts both), in int64 milli-units.
 */
export function quantity(options: QuantityOptions): Check {
  const bound = options.positive ? 'greater than 0' : 'of at least 0';
  const expected = `a Kubernetes quantity ${bound} (a string such as "10", "500m" or "2Gi", or a number)`;
  const fix = options.fix ?? `use a quantity ${bound}, e.g. "10" or "500m"`;
  return {
    expected,
    check(value, site) {
      if (!(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))) {
        fail(site, value, `must be ${expected}, got ${typeOf(value)}`, fix);
      }
      let milli: number;
      try {
        milli = quantityMilliValue(value);
      } catch {
        return fail(site, value, 'is not a Kubernetes quantity', fix);
      }
      if (options.positive ? !(milli > 0) : !(milli >= 0)) fail(site, value, `must be ${bound}`, fix);
      if (Math.abs(milli) > MAX_MILLI) fail(site, value, 'is too large for a Kubernetes quantity (at most about 9.2e15)', fix);
    },
  };
}

/** A string that is one of `values` (the API's string enums), with the case-insensitive hint. */
export function oneOf(...values: string[]): Check {
  return string({ format: oneOfStrings(values) });
}

const NAME = optional(string({ format: DNS1123_SUBDOMAIN_NAME }));
const NAMESPACE = optional(string({ format: DNS1123_LABEL_NAME }));
const LABELS = optional(labels());
const ANNOTATIONS = optional(annotations());

/**
 * `metadata` of a manifest: name, namespace, labels and annotations are checked; the other fields of
 * ObjectMeta (uid, creationTimestamp, ... as `kubectl get -o yaml` writes them) play no part and are kept.
 */
export const OBJECT_META: Check = {
  expected: 'an ObjectMeta object',
  check(value, site) {
    if (!isPlainObject(value)) fail(site, value, `must be an ObjectMeta object, got ${typeOf(value)}`, `pass ${site.prop} as an object, e.g. { name: "my-app" }`);
    const at = (k: string): Site => ({ scope: site.scope, prop: `${site.prop}.${k}` });
    NAME.check(value.name, at('name'));
    NAMESPACE.check(value.namespace, at('namespace'));
    LABELS.check(value.labels, at('labels'));
    ANNOTATIONS.check(value.annotations, at('annotations'));
  },
};

/** The keys of a whole Kubernetes object (as opposed to its spec). */
const OBJECT_KEYS = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];

/**
 * Whether `value` is the whole object (`apiVersion`, `kind`, `metadata`, `spec`, ...) rather than its
 * spec: it has one of the object's keys and none of the spec's.
 */
export function isWholeObject(value: { [key: string]: unknown }, specKeys: readonly string[]): boolean {
  return OBJECT_KEYS.some(k => k in value) && !specKeys.some(k => k in value);
}
