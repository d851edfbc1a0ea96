/**
 * Internal: the rule engine behind `Guardrails.check`, `Guardrails.enforce`, the validation plugin and
 * `lint`: runs every rule over plain objects, applies suppressions and orders the findings.
 */
import { SUPPRESS } from '../annotations';
import { GuardrailFinding, GuardrailRuleInfo, GuardrailSeverity, GuardrailsOptions } from './finding';
import { ManifestIndex, annotationsOf, kubectlResource, nameOf, nsFlag, nsOf, podTemplateOf, qualifiedName } from './manifest';
import { RawFinding, Rule } from './rule';
import { ALL_RULES } from './rules';
import { targetDeclaredBy } from '../kubernetes/declared-target';
import { KubernetesTarget } from '../kubernetes/kubernetes-target';
import { closestKey } from '../validate/closest-key';

export const INVALID_SUPPRESSION: GuardrailRuleInfo = {
  id: 'ML-W-INVALID-SUPPRESSION',
  severity: GuardrailSeverity.WARNING,
  title: 'A suppression annotation without a reason, or naming an unknown rule',
  rationale: 'A suppression is a reviewed decision: without a reason nobody can tell later whether it still ' +
    'holds. Such a suppression does not suppress anything, so the finding it meant to silence is still reported at ' +
    'its own severity (a warning here, not an error: manifests annotated for a newer rule set, or objects from ' +
    'charts you do not edit, still lint).',
};

interface SuppressionEntry {
  readonly ruleId: string;
  readonly reason: string;
}


/** `Guardrails.check` without the input check (callers pass options they have checked). */
export function runRules(objects: any[], options: GuardrailsOptions): GuardrailFinding[] {
  const flat = flatten(objects);
  const index = new ManifestIndex(flat);
  const disabled = new Set(options.disabledRules ?? []);
  const known = new Set([...ALL_RULES.map(r => r.id), INVALID_SUPPRESSION.id]);
  const findings: GuardrailFinding[] = [];
  const seen = new Set<string>();
  const target = KubernetesTarget.forVersion({ version: options.kubernetesVersion, featureGates: options.featureGates });
  const explicit = options.kubernetesVersion !== undefined || options.featureGates !== undefined;
  const declared = new Map<string, KubernetesTarget>();
  const targetOf = (obj: any): KubernetesTarget => (explicit ? target : targetDeclaredBy(obj, declared) ?? target);

  for (const rule of ALL_RULES) {
    if (disabled.has(rule.id)) continue;
    let raws: RawFinding[];
    try {
      raws = rule.check({ index, options, targetOf });
    } catch (e: any) {
      // a rule must never take the whole run down on a manifest shape it did not expect
      raws = [{
        obj: { kind: 'Rule', metadata: { name: rule.id } },
        problem: `the rule could not evaluate these manifests (${e?.message ?? e})`,
        fix: 'report this with the manifest that triggers it; meanwhile disable the rule',
        confirm: 'n/a',
      }];
    }
    for (const raw of raws) {
      const key = `${rule.id}|${raw.obj?.kind}|${qualifiedName(raw.obj)}|${raw.location}|${raw.problem}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const reason = suppressionsOf(raw.obj).find(s => s.ruleId === rule.id && s.reason)?.reason;
      if (reason !== undefined && !options.includeSuppressed) continue;
      findings.push(toFinding(rule, raw, reason));
    }
  }

  if (!disabled.has(INVALID_SUPPRESSION.id)) {
    for (let i = 0; i < flat.length; i++) {
      const obj = flat[i];
      const entries = suppressionsOf(obj);
      if (entries.length === 0) continue;
      for (const entry of entries) {
        const unknown = !known.has(entry.ruleId);
        if (entry.reason && !unknown) continue;
        const closest = unknown ? closestKey(entry.ruleId, [...known]) : undefined;
        findings.push(toFinding(INVALID_SUPPRESSION, {
          obj,
          location: `metadata.annotations["${SUPPRESS}"]`,
          problem: unknown
            ? `suppresses "${entry.ruleId}", which is not a guardrail rule (nothing is suppressed)`
            : `suppresses ${entry.ruleId} without a reason, so it does not suppress anything`,
          fix: unknown
            ? (closest ? `did you mean "${closest}"? Use a rule ID` : 'use a rule ID') +
              ' listed in docs/rules.md (`cdk8s-ml-autoscaling lint --help` lists them)'
            : `write the reason after the rule ID: "${entry.ruleId}: why this is fine here"`,
          confirm: `kubectl get ${kubectlResource(obj.kind)} ${nameOf(obj)}${nsFlag(obj)} -o jsonpath='{.metadata.annotations}'`,
        }, undefined));
      }
    }
  }

  const rank = (f: GuardrailFinding) => (f.severity === GuardrailSeverity.ERROR ? 0 : 1);
  return findings.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(x => x.f);
}

function flatten(objects: any[]): any[] {
  const out: any[] = [];
  const list = objects ?? [];
  for (let i = 0; i < list.length; i++) {
    const o = list[i];
    if (!o || typeof o !== 'object' || Array.isArray(o)) continue;
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      out.push(...flatten(o.items));
    } else {
      out.push(o);
    }
  }
  return out;
}

/** Parses `RULE-ID: reason; OTHER-ID: reason` from the object (and its pod template, for workloads). */
const NO_SUPPRESSIONS: SuppressionEntry[] = [];

function suppressionsOf(obj: any): SuppressionEntry[] {
  const own = annotationsOf(obj)[SUPPRESS];
  const fromTemplate = podTemplateOf(obj)?.metadata?.annotations?.[SUPPRESS];
  if (typeof own !== 'string' && typeof fromTemplate !== 'string') return NO_SUPPRESSIONS; // the usual case
  const values = [own, fromTemplate];
  const entries: SuppressionEntry[] = [];
  for (const value of values) {
    if (typeof value !== 'string') continue;
    for (const part of value.split(/[;\n]/)) {
      const text = part.trim();
      if (!text) continue;
      const colon = text.indexOf(':');
      const ruleId = (colon < 0 ? text : text.slice(0, colon)).trim();
      const reason = colon < 0 ? '' : text.slice(colon + 1).trim();
      if (ruleId) entries.push({ ruleId, reason });
    }
  }
  return entries;
}

function toFinding(rule: Rule | GuardrailRuleInfo, raw: RawFinding, suppressedReason: string | undefined): GuardrailFinding {
  const obj = raw.obj ?? {};
  const kind = String(obj.kind ?? '<no kind>');
  const name = nameOf(obj);
  const namespace = nsOf(obj) || undefined;
  const at = raw.location ? ` at ${raw.location}` : '';
  const problem = raw.problem.replace(/\.$/, '');
  const fix = raw.fix.replace(/\.$/, '');
  const suppressed = suppressedReason !== undefined ? ` [suppressed: ${suppressedReason}]` : '';
  const message = `${rule.severity} ${rule.id} ${kind} ${qualifiedName(obj)}${at}: ${problem}. Fix: ${fix}. ` +
    `Check: ${raw.confirm}${suppressed}`;
  return {
    ruleId: rule.id,
    severity: rule.severity,
    kind,
    name,
    namespace,
    apiVersion: typeof obj.apiVersion === 'string' ? obj.apiVersion : undefined,
    location: raw.location,
    problem,
    fix,
    confirm: raw.confirm,
    message,
    suppressedReason,
  };
}
