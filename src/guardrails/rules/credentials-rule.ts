/**
 * Credentials written in clear text where KEDA and Kubernetes expect references: trigger metadata
 * and container env literals.
 */
import { GuardrailSeverity } from '../finding';
import {
  SCALED_JOB, SCALED_OBJECT, containersOf, initContainersOf, kubectlResource, nameOf, nsFlag, podSpecPath,
  podTemplateOf, triggersOf,
} from '../manifest';
import { RawFinding, Rule, RuleContext } from '../rule';

/** `scheme://user:password@host` with a literal password (not a $(VAR) or ${VAR} reference). */
const URI_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@/i;

/**
 * Connection strings that embed a key or password, each with a substring the pattern needs, tested
 * first: this runs for every trigger metadata value, env value and argument of a fleet, and most
 * values contain none of them.
 */
const SECRET_IN_STRING: Array<[RegExp, string]> = [
  [/(?:^|;)\s*(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd)\s*=\s*[^;\s$]/i, '='],
  [/\bAKIA[0-9A-Z]{16}\b/, 'AKIA'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, '-----BEGIN'],
  [/\b(?:ghp|gho|github_pat|glpat|xox[abp]|sk|hf)_[A-Za-z0-9_-]{10,}/, '_'],
];

/** Key names (normalized: lower case, no separators) that hold secrets. */
const SECRET_KEY = /(password|passwd|passphrase|secret|token|apikey|accesskey|accesskeyid|secretkey|privatekey|connectionstring|credentials?|sastoken|authkey)$/;

/** Keys that name where a secret is, not the secret itself. */
const REFERENCE_KEY = /(fromenv|fromenvfile|name|ref|path|file|url|uri|endpoint|header|type|mode|enabled|secretname)$/;

/** Whether a key names a secret (not a reference to one), cached: the same keys repeat across a fleet. */
const secretKeys = new Map<string, boolean>();

function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key);
  if (secret === undefined) {
    const k = key.toLowerCase().replace(/[-_.\s]/g, '');
    secret = SECRET_KEY.test(k) && !REFERENCE_KEY.test(k);
    if (secretKeys.size < 10_000) secretKeys.set(key, secret);
  }
  return secret;
}

const REFERENCE = /^\$(?:\([A-Za-z0-9_]+\)|\{[A-Za-z0-9_]+\})$/;

function isReference(value: string): boolean {
  return value.charCodeAt(0) === 36 /* $ */ && REFERENCE.test(value);
}

function holdsSecret(value: string): boolean {
  for (let i = 0; i < SECRET_IN_STRING.length; i++) {
    const pattern = SECRET_IN_STRING[i];
    if (value.includes(pattern[1]) && pattern[0].test(value)) return true;
  }
  return false;
}

function isFlagLike(value: string): boolean {
  return /^(true|false|yes|no|on|off|none|null|)$/i.test(value) || /^[0-9.]+$/.test(value) ||
    // a file path (e.g. GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/key.json) points at a mounted secret
    /^\.?\.?\//.test(value);
}

/** Why a key/value pair looks like a credential, or undefined. */
export function credentialReason(key: string, raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const value = String(raw).trim();
  if (!value || isReference(value)) return undefined;
  const uri = value.includes('://') && value.includes('@') ? URI_WITH_PASSWORD.exec(value) : null;
  if (uri && !isReference(uri[1]) && !/^\$\(|^\$\{/.test(uri[1])) return 'a URI with a user and password';
  if (holdsSecret(value)) return 'a key or password inside the value';
  if (isSecretKey(key) && !isFlagLike(value)) return `a literal value for "${key}"`;
  return undefined;
}

/** Every string leaf of a JSON value with its path and key. */
function stringLeaves(value: any, at: string, key = '', depth = 0): Array<[string, string, string]> {
  if (depth > 12 || value === null || value === undefined) return [];
  if (typeof value === 'string') return [[at, key, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, `${at}[${i}]`, key, depth + 1));
  if (typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, `${at}.${k}`, k, depth + 1));
  return [];
}

const CONTAINER_FIELDS = ['containers', 'initContainers'] as const;
const ARG_FIELDS = ['command', 'args'] as const;

export const credentialsInManifest: Rule = {
  id: 'ML-E-CREDENTIALS-IN-MANIFEST',
  severity: GuardrailSeverity.ERROR,
  title: 'Credentials written literally in trigger metadata or container env values',
  rationale: 'Manifests end up in git, CI logs and `kubectl get -o yaml` output readable by anyone with view ' +
    'rights: a password in trigger metadata or an env literal leaks. KEDA reads secrets through ' +
    'TriggerAuthentication, containers through secretKeyRef.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    const objects = ctx.index.objects;
    for (let oi = 0; oi < objects.length; oi++) {
      const obj = objects[oi];
      if (!obj || typeof obj !== 'object') continue;
      if ((obj.kind === SCALED_OBJECT || obj.kind === SCALED_JOB) && String(obj.apiVersion ?? '').startsWith('keda.sh/')) {
        triggersOf(obj).forEach((t, i) => {
          const metadata = t.metadata ?? {};
          for (const key in metadata) {
            const reason = credentialReason(key, metadata[key]);
            if (!reason) continue;
            out.push({
              obj,
              location: `spec.triggers[${i}].metadata.${key}`,
              problem: `the ${t.type} trigger's metadata.${key} holds ${reason} in clear text`,
              fix: `put the value in a Secret and reference it from a TriggerAuthentication (secretTargetRef parameter ${key}), ` +
                'then set the trigger\'s authenticationRef; delete the literal and rotate the credential',
              confirm: `kubectl get ${kubectlResource(obj.kind)} ${nameOf(obj)}${nsFlag(obj)} -o jsonpath='{.spec.triggers[${i}].metadata}'`,
            });
          }
        });
      }
      if ((obj.kind === 'TriggerAuthentication' || obj.kind === 'ClusterTriggerAuthentication') &&
        String(obj.apiVersion ?? '').startsWith('keda.sh/')) {
        // literal fields (e.g. hashiCorpVault.credential.token) next to the usual references
        for (const [location, key, value] of stringLeaves(obj.spec, 'spec')) {
          const reason = credentialReason(key, value);
          if (!reason) continue;
          out.push({
            obj,
            location,
            problem: `${location} holds ${reason} in clear text`,
            fix: 'reference a Secret instead (secretTargetRef, or the provider\'s valueFrom.secretKeyRef); rotate the credential',
            confirm: `kubectl get ${kubectlResource(obj.kind)} ${nameOf(obj)}${nsFlag(obj)} -o yaml`,
          });
        }
      }
      const podSpec = podTemplateOf(obj)?.spec;
      if (!podSpec) continue;
      for (const field of CONTAINER_FIELDS) {
        const containers = field === 'containers' ? containersOf(podSpec) : initContainersOf(podSpec);
        for (let ci = 0; ci < containers.length; ci++) {
          const c: any = containers[ci];
          for (const field2 of ARG_FIELDS) {
            const args = c[field2];
            if (!Array.isArray(args)) continue;
            for (let ai = 0; ai < args.length; ai++) {
              // no key here: only values that are credentials by their shape (URI with password, keys)
              const reason = credentialReason('', args[ai]);
              if (!reason) continue;
              out.push({
                obj,
                location: `${podSpecPath(obj)}.${field}[${ci}].${field2}[${ai}]`,
                problem: `container ${c.name} ${field2}[${ai}] holds ${reason} in clear text`,
                fix: 'pass the credential through an env var from a Secret (env.valueFrom.secretKeyRef) and reference it as $(VAR); rotate it',
                confirm: `kubectl get ${kubectlResource(obj.kind)} ${nameOf(obj)}${nsFlag(obj)} -o jsonpath='{.${podSpecPath(obj)}.${field}[${ci}].${field2}}'`,
              });
            }
          }
          const env = Array.isArray(c.env) ? c.env : [];
          for (let ei = 0; ei < env.length; ei++) {
            const e = env[ei];
            if (!e || e.value === undefined || e.valueFrom) continue;
            const reason = credentialReason(String(e.name ?? ''), e.value);
            if (!reason) continue;
            out.push({
              obj,
              location: `${podSpecPath(obj)}.${field}[${ci}].env[${ei}].value`,
              problem: `container ${c.name} env ${e.name} holds ${reason} in clear text`,
              fix: `move the value to a Secret and use env.valueFrom.secretKeyRef for ${e.name}; rotate the credential`,
              confirm: `kubectl get ${kubectlResource(obj.kind)} ${nameOf(obj)}${nsFlag(obj)} -o jsonpath='{.${podSpecPath(obj)}.${field}[${ci}].env}'`,
            });
          }
        }
      }
    }
    return out;
  },
};
