/**
 * An independent, exact re-implementation of the parts of `k8s.io/apimachinery/pkg/api/resource.Quantity`
 * that the HPA controller uses: `ParseQuantity`, `MilliValue()` (int64, rounded up) and
 * `AsApproximateFloat64()` (float64 of the canonical form the controller decodes from the API server).
 *
 * Written for the reference model only: exact decimal arithmetic on BigInt, no floating point until the
 * final float64 conversion Go does. Only non-negative values are needed by the model.
 */

/** An exact decimal: unscaled * 10^exp10 (binary suffixes are expanded into the unscaled integer). */
export interface GoDecimal {
  readonly unscaled: bigint;
  readonly exp10: number;
}

const DECIMAL_SUFFIX: Record<string, number> = {
  'n': -9, 'u': -6, 'm': -3, '': 0, 'k': 3, 'M': 6, 'G': 9, 'T': 12, 'P': 15, 'E': 18,
};
const BINARY_SUFFIX: Record<string, number> = {
  Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60,
};

/**
 * `resource.ParseQuantity` for the forms the controller sees: `[+-]digits[.digits][suffix]` with a decimal SI,
 * binary SI or `e<exp>` suffix. Numbers are first written as JavaScript writes them (shortest round trip).
 */
export function parseGoQuantity(input: string | number): GoDecimal {
  const str = typeof input === 'number' ? numberToDecimalString(input) : input.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(str);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    throw new Error(`reference: not a quantity: ${JSON.stringify(input)}`);
  }
  const negative = m[1] === '-';
  const whole = m[2];
  const frac = m[3] ?? '';
  const suffix = m[4];
  let unscaled = BigInt((whole + frac) === '' ? '0' : whole + frac);
  let exp10 = -frac.length;
  if (suffix in DECIMAL_SUFFIX) {
    exp10 += DECIMAL_SUFFIX[suffix];
  } else if (suffix in BINARY_SUFFIX) {
    unscaled *= 2n ** BigInt(BINARY_SUFFIX[suffix]);
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    exp10 += Number(suffix.slice(1));
  } else {
    throw new Error(`reference: unknown quantity suffix in ${JSON.stringify(input)}`);
  }
  if (negative) unscaled = -unscaled;
  return { unscaled, exp10 };
}

/** A JavaScript number in plain or exponent decimal notation (String(n) already is one). */
function numberToDecimalString(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`reference: not a finite number: ${n}`);
  return String(n);
}

/** ceil(a / b) for b > 0 on BigInt. */
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && a > 0n) ? q + 1n : q;
}

/** floor(a / b) for b > 0 on BigInt. */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && a < 0n) ? q - 1n : q;
}

/** `q.MilliValue()`: the value in thousandths, rounded up. */
export function goMilliValue(q: GoDecimal): number {
  const e = q.exp10 + 3;
  let milli: bigint;
  if (e >= 0) {
    milli = q.unscaled * 10n ** BigInt(e);
  } else {
    milli = ceilDiv(q.unscaled, 10n ** BigInt(-e));
  }
  const n = Number(milli);
  if (!Number.isSafeInteger(n)) throw new Error('reference: milli-value beyond the modelled range');
  return n;
}

/** The exact value as a fraction num/den (den > 0). */
export function goDecimalFraction(q: GoDecimal): { num: bigint; den: bigint } {
  return q.exp10 >= 0
    ? { num: q.unscaled * 10n ** BigInt(q.exp10), den: 1n }
    : { num: q.unscaled, den: 10n ** BigInt(-q.exp10) };
}

/**
 * Go's `math.Pow(10, k)` for an integer k with |k| <= 22: the loop of repeated squaring on Frexp(10) is exact
 * for those exponents, and a negative exponent takes one correctly rounded reciprocal.
 */
function goPow10(k: number): number {
  if (Math.abs(k) > 22) throw new Error('reference: exponent beyond the modelled range');
  const p = 10 ** Math.abs(k); // exact for |k| <= 22
  return k < 0 ? 1 / p : p;
}

/**
 * `q.AsApproximateFloat64()` of the quantity as the controller holds it: the API server stores the canonical
 * string (mantissa without trailing zero groups, exponent a multiple of 3, `int64Amount.AsCanonicalBytes`),
 * the controller parses that back into `int64Amount{value, scale}` and computes `float64(value) * math.Pow(10, scale)`.
 */
export function goApproximateFloat64(q: GoDecimal): number {
  if (q.unscaled === 0n) return 0;
  // ParseQuantity rounds up to nano precision for more precise inputs.
  let value = q.unscaled;
  let exp = q.exp10;
  if (exp < -9) {
    value = ceilDiv(value, 10n ** BigInt(-9 - exp));
    exp = -9;
  }
  // removeInt64Factors(mantissa, 10)
  while (value !== 0n && value % 10n === 0n) {
    value /= 10n;
    exp += 1;
  }
  // make sure exponent is a multiple of 3 (rounding the exponent down, scaling the mantissa up)
  const r = ((exp % 3) + 3) % 3;
  if (r !== 0) {
    value *= 10n ** BigInt(r);
    exp -= r;
  }
  const base = Number(value);
  if (exp === 0) return base;
  return base * goPow10(exp);
}
