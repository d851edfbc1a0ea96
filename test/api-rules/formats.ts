/**
 * String formats of the Kubernetes API server.
 * Mirrors k8s.io/apimachinery/pkg/util/validation/validation.go (function names cited per predicate)
 * and k8s.io/apimachinery/pkg/api/resource/quantity.go (ParseQuantity).
 */

// IsDNS1123Label: dns1123LabelFmt, DNS1123LabelMaxLength = 63
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_LABEL_MAX = 63;
// IsDNS1123Subdomain: dns1123SubdomainFmt = label('.'label)*, DNS1123SubdomainMaxLength = 253
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1123_SUBDOMAIN_MAX = 253;
// IsDNS1035Label: dns1035LabelFmt, DNS1035LabelMaxLength = 63
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
// IsQualifiedName: qualifiedNameFmt, qualifiedNameMaxLength = 63
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
export const QUALIFIED_NAME_MAX = 63;
// IsValidLabelValue: labelValueFmt (optional), LabelValueMaxLength = 63
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export const LABEL_VALUE_MAX = 63;
// IsEnvVarName: envVarNameFmt (the strict rule; Kubernetes >= 1.32 with RelaxedEnvironmentVariableValidation also
// accepts any printable ASCII but '=', so this is the portable subset)
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
// IsValidPortName: IANA_SVC_NAME, at most 15 characters
const PORT_NAME_CHARS = /^[-a-z0-9]+$/;
const PORT_NAME_LETTER = /[a-z]/;

export const isString = (v: unknown): v is string => typeof v === 'string';

/** IsDNS1123Label */
export function isDns1123Label(v: unknown): boolean {
  return isString(v) && v.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(v);
}

/** IsDNS1123Subdomain */
export function isDns1123Subdomain(v: unknown): boolean {
  return isString(v) && v.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(v);
}

/** IsDNS1035Label */
export function isDns1035Label(v: unknown): boolean {
  return isString(v) && v.length <= DNS1123_LABEL_MAX && DNS1035_LABEL.test(v);
}

/** IsQualifiedName: [prefix/]name, prefix a DNS-1123 subdomain, name <= 63 of the qualified-name charset. */
export function isQualifiedName(v: unknown): boolean {
  if (!isString(v)) return false;
  const parts = v.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    if (parts[0].length === 0 || !isDns1123Subdomain(parts[0])) return false;
    name = parts[1];
  } else {
    return false;
  }
  return name.length > 0 && name.length <= QUALIFIED_NAME_MAX && QUALIFIED_NAME_PART.test(name);
}

/** IsValidLabelValue */
export function isLabelValue(v: unknown): boolean {
  return isString(v) && v.length <= LABEL_VALUE_MAX && LABEL_VALUE.test(v);
}

/** IsEnvVarName */
export function isEnvVarName(v: unknown): boolean {
  return isString(v) && v.length > 0 && ENV_VAR_NAME.test(v);
}

/** IsValidPortName (IANA_SVC_NAME) */
export function isPortName(v: unknown): boolean {
  return isString(v) && v.length >= 1 && v.length <= 15 && PORT_NAME_CHARS.test(v) && PORT_NAME_LETTER.test(v)
    && !v.includes('--') && !v.startsWith('-') && !v.endsWith('-');
}

/** IsValidPortNum: 1..65535 */
export function isPortNumber(v: unknown): boolean {
  return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
}

export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

export function isInt32(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= INT32_MIN && (v as number) <= INT32_MAX;
}

export function isInt64(v: unknown): v is number {
  return Number.isSafeInteger(v);
}

/**
 * resource.ParseQuantity: <signedNumber><suffix>, suffix a binary SI (Ki..Ei), decimal SI (n u m "" k M G T P E)
 * or decimal exponent (e/E followed by a signed integer).
 */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** Whether the value parses as a Kubernetes quantity (a JSON number is accepted the way the API decodes it). */
export function isQuantity(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  return isString(v) && QUANTITY.test(v);
}

const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** The numeric value of a quantity (approximate, for sign and ordering checks); NaN when it does not parse. */
export function quantityValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (!isQuantity(v)) return NaN;
  const s = v as string;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(s)!;
  const base = Number(m[1]);
  const suffix = m[2];
  if (suffix === '') return base;
  if (/^[eE]/.test(suffix)) return base * 10 ** Number(suffix.slice(1));
  return base * SUFFIX[suffix];
}
