/**
 * Kubernetes quantity arithmetic the controllers depend on (internal, not exported from the package).
 *
 * The HPA compares metric values with targets in milli-units (`Quantity.MilliValue()`, which rounds
 * up), so parsing is done on the decimal digits, never through a float, to keep "0.1" exactly 100m.
 */

const DECIMAL_SUFFIX: Record<string, number> = { 'n': -9, 'u': -6, 'm': -3, '': 0, 'k': 3, 'M': 6, 'G': 9, 'T': 12, 'P': 15, 'E': 18 };
const BINARY_SUFFIX: Record<string, bigint> = {
  Ki: 2n ** 10n, Mi: 2n ** 20n, Gi: 2n ** 30n, Ti: 2n ** 40n, Pi: 2n ** 50n, Ei: 2n ** 60n,
};

/** A quantity's exact value. */
export interface ParsedQuantity {
  /** value = numerator / denominator, exactly (denominator > 0). */
  readonly numerator: bigint;
  readonly denominator: bigint;
}

function parseExact(input: string | number): ParsedQuantity {
  const text = typeof input === 'number' ? numberToPlainString(input) : String(input).trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    throw new Error(`"${text}" is not a Kubernetes quantity (e.g. "10", "500m", "1.5", "2Gi")`);
  }
  const sign = m[1] === '-' ? -1n : 1n;
  const intDigits = m[2] || '0';
  const fracDigits = m[3] ?? '';
  let numerator = sign * BigInt(intDigits + fracDigits);
  let denominator = 10n ** BigInt(fracDigits.length);
  if (m[4]) {
    const exp = Number(m[4].slice(1));
    if (exp >= 0) numerator *= 10n ** BigInt(exp); else denominator *= 10n ** BigInt(-exp);
  } else if (m[5]) {
    const suffix = m[5];
    if (suffix in BINARY_SUFFIX) {
      numerator *= BINARY_SUFFIX[suffix];
    } else {
      const exp = DECIMAL_SUFFIX[suffix];
      if (exp >= 0) numerator *= 10n ** BigInt(exp); else denominator *= 10n ** BigInt(-exp);
    }
  }
  return { numerator, denominator };
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`${value} is not a finite number`);
  return String(value);
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a > 0n) === (b > 0n)) ? q + 1n : q;
}

/** `resource.MustParse(q).MilliValue()`: the value in milli-units, rounded up. */
export function quantityMilliValue(input: string | number): number {
  return parsedMilliValue(parseExact(input));
}

/** A quantity string's exact value (throws on what is not a quantity). */
export function parseQuantity(input: string): ParsedQuantity {
  return parseExact(input);
}

/** `MilliValue()` of a parsed quantity: the value in milli-units, rounded up. */
export function parsedMilliValue(q: ParsedQuantity): number {
  return Number(ceilDiv(q.numerator * 1000n, q.denominator));
}

/** `floor(value * multiplier / divisor)` of a parsed quantity, exactly; multiplier and divisor are positive integers. */
export function parsedFloor(q: ParsedQuantity, multiplier: number, divisor: number): number {
  const n = q.numerator * BigInt(multiplier);
  const d = q.denominator * BigInt(divisor);
  const quotient = n / d;
  return Number(n % d !== 0n && n < 0n ? quotient - 1n : quotient);
}

/** `Quantity.AsApproximateFloat64()`: mantissa times a power of ten, as Kubernetes computes it. */
export function quantityApproximateFloat(input: string | number): number {
  const { numerator, denominator } = parseExact(input);
  // denominator is 10^k, or 10^k times a binary factor folded into the numerator: express as base * 10^exp.
  let exp = 0;
  let d = denominator;
  while (d > 1n && d % 10n === 0n) {
    d /= 10n;
    exp--;
  }
  const base = Number(numerator) / Number(d);
  return exp === 0 ? base : base * Math.pow(10, exp);
}

/** Parses a plain decimal (KEDA trigger metadata uses strconv.ParseFloat). */
export function parseFloatStrict(input: unknown, what: string): number {
  const value = typeof input === 'number' ? input : Number(String(input).trim());
  if (input === undefined || input === null || String(input).trim() === '' || !Number.isFinite(value)) {
    throw new Error(`${what}=${JSON.stringify(input)} is not a number`);
  }
  return value;
}

/**
 * A metric value reported to the HPA, in milli-units. Values that are whole milli-units up to float noise
 * (0.1 * 1000 = 100.00000000000001) are taken as such; others are rounded the way the given mode says.
 */
export function observationToMilli(value: number, mode: 'ceil' | 'floor'): number {
  const scaled = value * 1000;
  const nearest = Math.round(scaled);
  if (Math.abs(scaled - nearest) < 1e-6) return nearest;
  return mode === 'ceil' ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * The pods' share of a per-pod average reported as a number: `count` pods report whole milli-values totalling
 * `value * count` milli-units (floored), and the total is divided among `divisor` pods in integers, as the
 * replica calculator does (`metricsTotal / int64(len(metrics))`). Float noise is taken as
 * `observationToMilli` takes it: an average within it of a whole milli-unit is that milli-unit, and so is a
 * total.
 */
export function observationMilliShare(value: number, count: number, divisor: number): number {
  const scaled = value * 1000;
  const nearest = Math.round(scaled);
  let total: number;
  if (Math.abs(scaled - nearest) < 1e-6) {
    total = nearest * count;
  } else {
    const product = scaled * count;
    const whole = Math.round(product);
    total = Math.abs(product - whole) < 1e-6 ? whole : Math.floor(product);
  }
  return Math.floor(total / divisor);
}
