import { StringFormat } from './check';

/**
 * String formats of the Kubernetes API server (k8s.io/apimachinery/pkg/util/validation), checked at
 * synth so that a manifest the API server would reject never leaves synth.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const C_IDENTIFIER_ENV = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** A name like `suggestion` for `value` within `limit` characters. */
export function suggestName(value: string, limit: number, startWithLetter = false): string {
  let s = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  if (startWithLetter) s = s.replace(/^[^a-z]+/, '');
  s = s.slice(0, limit).replace(/-+$/, '');
  return s || 'my-service';
}

function dnsFormat(re: RegExp, limit: number, what: string, description: string, startWithLetter = false): StringFormat {
  return {
    description: `a ${what} (${description}, at most ${limit} characters)`,
    test: v => (v.length > limit ? `is ${v.length} characters long; a ${what} has at most ${limit}`
      : re.test(v) ? undefined : `is not a valid ${what} (${description})`),
    fix: v => `use a name like "${suggestName(v, limit, startWithLetter)}"`,
  };
}

/** Most object names (Deployment, HPA, PDB, ScaledObject, ...): DNS-1123 subdomain, <= 253. */
export const DNS1123_SUBDOMAIN_NAME = dnsFormat(DNS1123_SUBDOMAIN, 253, 'DNS-1123 subdomain',
  "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");

/** Namespaces and names that are also label values: DNS-1123 label, <= 63. */
export const DNS1123_LABEL_NAME = dnsFormat(DNS1123_LABEL, 63, 'DNS-1123 label',
  "lower-case letters, digits and '-', starting and ending with a letter or digit");

/** Service names: DNS-1035 label (starts with a letter), <= 63. */
export const DNS1035_LABEL_NAME = dnsFormat(DNS1035_LABEL, 63, 'DNS-1035 label',
  "lower-case letters, digits and '-', starting with a letter and ending with a letter or digit", true);

/** Why a qualified name (label or annotation key: `[prefix/]name`) is invalid, or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const parts = key.split('/');
  if (parts.length > 2) return 'has more than one "/"';
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0) return 'has an empty prefix before "/"';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return `has a prefix "${prefix}" that is not a DNS-1123 subdomain (lower-case, at most 253 characters)`;
  }
  if (name.length === 0) return 'has an empty name part';
  if (name.length > 63) return `has a name part of ${name.length} characters (at most 63)`;
  if (!QUALIFIED_NAME_PART.test(name)) return "has a name part that is not alphanumeric with '-', '_' or '.' inside";
  return undefined;
}

/** Label and annotation keys: `[prefix/]name`, name <= 63 alphanumerics with `-_.` inside. */
export const QUALIFIED_NAME: StringFormat = {
  description: "a qualified name ([DNS-1123 prefix/]name, name at most 63 alphanumerics with '-', '_', '.' inside)",
  test: qualifiedNameProblem,
};

/** Why a label value is invalid, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `is ${value.length} characters long; a label value has at most 63`;
  if (!LABEL_VALUE.test(value)) return "is not a valid label value (alphanumerics with '-', '_' or '.' inside, or empty)";
  return undefined;
}

/** Label values: empty, or <= 63 alphanumerics with `-_.` inside. */
export const LABEL_VALUE_FORMAT: StringFormat = {
  description: "a label value (at most 63 alphanumerics with '-', '_', '.' inside, or empty)",
  test: labelValueProblem,
};

/** Environment variable names, as API servers in upstream support accept them everywhere. */
export const ENV_VAR_NAME: StringFormat = {
  description: "an environment variable name (letters, digits, '_', '-', '.', not starting with a digit)",
  test: v => (C_IDENTIFIER_ENV.test(v) ? undefined : "is not a valid environment variable name (letters, digits, '_', '-', '.', not starting with a digit; no '=' or spaces)"),
  fix: v => `use a name like "${v.replace(/[^-._a-zA-Z0-9]+/g, '_').replace(/^[0-9]/, '_$&') || 'MY_VAR'}"`,
};

/** Keys of a Secret or ConfigMap. */
export const DATA_KEY: StringFormat = {
  description: "a Secret/ConfigMap key (letters, digits, '-', '_', '.', at most 253 characters)",
  test: v => (v.length <= 253 && CONFIG_MAP_KEY.test(v) && v !== '.' && v !== '..' ? undefined : "is not a valid Secret/ConfigMap key (letters, digits, '-', '_', '.')"),
};

/** Container images: a non-empty reference without whitespace. */
export const IMAGE_REFERENCE: StringFormat = {
  description: 'a container image reference (e.g. "registry/model-server:v1", no whitespace)',
  test: v => (/^\S+$/.test(v) && v === v.trim() ? undefined : 'is not an image reference (it contains whitespace)'),
};

/** An HTTP path for probes and metrics: starts with `/`, no whitespace. */
export const HTTP_PATH: StringFormat = {
  description: 'an HTTP path starting with "/" (no whitespace)',
  test: v => (/^\/\S*$/.test(v) ? undefined : 'is not an HTTP path (it must start with "/" and contain no whitespace)'),
};

/** A string that is one of `values` (for string-typed props without an exported enum). */
export function oneOfStrings(values: string[]): StringFormat {
  const listed = values.map(v => JSON.stringify(v)).join(', ');
  return {
    description: `one of ${listed}`,
    test: v => (values.includes(v) ? undefined : `is not one of ${listed}`),
    fix: v => {
      const near = values.find(x => x.toLowerCase() === v.toLowerCase());
      return near ? `use "${near}" (the values are case-sensitive)` : `use one of ${listed}`;
    },
  };
}

/** Extended resource names (`domain/name`, e.g. `nvidia.com/gpu`, `nvidia.com/mig-1g.10gb`). */
export const EXTENDED_RESOURCE_NAME: StringFormat = {
  description: 'an extended resource name of the form domain/name (e.g. "nvidia.com/gpu")',
  test: v => (/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(v) && v.length <= 253 ? undefined
    : 'is not an extended resource name of the form domain/name'),
  fix: () => 'use e.g. "nvidia.com/gpu", "amd.com/gpu" or "nvidia.com/mig-1g.10gb"',
};
