import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SUPPRESS } from '../annotations';
import { Warnings } from '../warnings';
import { GuardrailFinding, GuardrailRuleInfo, GuardrailSeverity, GuardrailsOptions } from './finding';
import { ManifestIndex, annotationsOf, kubectlResource, nameOf, nsFlag, nsOf, podTemplateOf, qualifiedName } from './manifest';
import { RawFinding, Rule } from './rule';
import { ALL_RULES } from './rules';

/**
 * Options of `Guardrails.enforce` and of the cdk8s validation plugin.
 */
export interface GuardrailsEnforceOptions extends GuardrailsOptions {
  /**
   * Treat warnings as errors (fail synth on any finding).
   * @default false
   */
  readonly failOnWarnings?: boolean;
}

const ENFORCED = Symbol.for('cdk8s-ml-autoscaling.guardrails.enforced');

const INVALID_SUPPRESSION: GuardrailRuleInfo = {
  id: 'ML-W-INVALID-SUPPRESSION',
  severity: GuardrailSeverity.WARNING,
  title: 'A suppression annotation without a reason, or naming an unknown rule',
  rationale: 'A suppression is a reviewed decision: without a reason nobody can tell later whether it still ' +
    'holds. Such a suppression does not suppress anything.',
};

interface SuppressionEntry {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * The ML autoscaling linter: rules over rendered Kubernetes and KEDA objects (ours or anyone's).
 *
 * Each finding names the object, the problem, the fix and the kubectl command that confirms it on a
 * live cluster. Suppress a finding on one object with the annotation
 * `ml-autoscaling.io/suppress: "RULE-ID: reason; OTHER-ID: reason"`.
 */
export class Guardrails {
  /**
   * Runs every rule over the objects (as synthesized, or loaded from YAML) and returns the findings,
   * errors first.
   *
   * @param objects Kubernetes/KEDA objects as plain JSON; `List` objects are expanded
   * @param options GPU budget, disabled rules, ...
   */
  public static check(objects: any[], options: GuardrailsOptions = {}): GuardrailFinding[] {
    const flat = flatten(objects);
    const index = new ManifestIndex(flat);
    const disabled = new Set(options.disabledRules ?? []);
    const known = new Set([...ALL_RULES.map(r => r.id), INVALID_SUPPRESSION.id]);
    const findings: GuardrailFinding[] = [];
    const seen = new Set<string>();

    for (const rule of ALL_RULES) {
      if (disabled.has(rule.id)) continue;
      let raws: RawFinding[];
      try {
        raws = rule.check({ index, options });
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
          findings.push(toFinding(INVALID_SUPPRESSION, {
            obj,
            location: `metadata.annotations["${SUPPRESS}"]`,
            problem: unknown
              ? `suppresses "${entry.ruleId}", which is not a guardrail rule (nothing is suppressed)`
              : `suppresses ${entry.ruleId} without a reason, so it does not suppress anything`,
            fix: unknown
              ? 'use a rule ID listed in docs/rules.md (`cdk8s-ml-autoscaling lint --help` lists them)'
              : `write the reason after the rule ID: "${entry.ruleId}: why this is fine here"`,
            confirm: `kubectl get ${kubectlResource(obj.kind)} ${nameOf(obj)}${nsFlag(obj)} -o jsonpath='{.metadata.annotations}'`,
          }, undefined));
        }
      }
    }

    const rank = (f: GuardrailFinding) => (f.severity === GuardrailSeverity.ERROR ? 0 : 1);
    return findings.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(x => x.f);
  }

  /**
   * Every rule the engine runs, in order (errors first), plus the suppression check.
   */
  public static rules(): GuardrailRuleInfo[] {
    return [...ALL_RULES, INVALID_SUPPRESSION].map(r => ({ id: r.id, severity: r.severity, title: r.title, rationale: r.rationale }));
  }

  /**
   * Runs the guardrails over every API object under `scope` when the app is synthesized (at
   * validation time, so objects and metrics added later are seen). Errors become validation errors
   * (synth fails); warnings are printed through `Warnings` with the rule ID, on the construct that
   * renders the object, so `Warnings.acknowledge(construct, ruleId, reason)` silences them.
   *
   * Calling it again on the same scope runs the rules once, with the options merged (constructs
   * call it on their chart; an app can add `gpuBudget`, `disabledRules`, ... with its own call,
   * before or after): later values win, `disabledRules` and `gpuResourceNames` accumulate,
   * `failOnWarnings` holds once set.
   *
   * @param scope usually the chart (`Chart.of(this)`)
   */
  public static enforce(scope: IConstruct, options: GuardrailsEnforceOptions = {}): void {
    const existing: GuardrailsEnforceOptions | undefined = (scope as any)[ENFORCED];
    if (existing) {
      // constructs call this once each, usually without options: nothing to merge then
      if (hasDefinedValue(options)) (scope as any)[ENFORCED] = mergeOptions(existing, options);
      return;
    }
    Object.defineProperty(scope, ENFORCED, { value: { ...options }, enumerable: false, writable: true });
    scope.node.addValidation({ validate: () => enforceNow(scope, (scope as any)[ENFORCED]) });
  }

  /**
   * One line: `error ML-E-TWO-AUTOSCALERS HorizontalPodAutoscaler ns/name at spec.x: problem. Fix: ... Check: kubectl ...`.
   */
  public static formatFinding(finding: GuardrailFinding): string {
    return finding.message;
  }

  /** Whether any finding is an error. */
  public static hasErrors(findings: GuardrailFinding[]): boolean {
    return findings.some(f => f.severity === GuardrailSeverity.ERROR);
  }

  private constructor() {}
}

/**
 * The synth-time check of `enforce`: serializes every API object under `scope` with cdk8s' own
 * `ApiObject.toJson()`, afresh each time (the JSON is only read, never kept nor handed to the
 * synth), and reports the findings on the constructs that render the objects.
 *
 * cdk8s runs every validation once per `app.synth()`/`synthYaml()` and again inside every
 * `chart.toJson()` (so 1 + number of charts times per app synth): each run checks the objects as
 * they are then. The last run before a chart is written is the one inside its `chart.toJson()`,
 * after every validation of the app has run at least once.
 */
function enforceNow(scope: IConstruct, options: GuardrailsEnforceOptions): string[] {
  const apiObjects: ApiObject[] = [];
  const all = scope.node.findAll();
  for (let i = 0; i < all.length; i++) if (ApiObject.isApiObject(all[i])) apiObjects.push(all[i] as ApiObject);
  const objects = new Array(apiObjects.length);
  for (let i = 0; i < apiObjects.length; i++) objects[i] = apiObjects[i].toJson();
  const findings = Guardrails.check(objects, options);
  if (findings.length === 0) return [];
  // the constructs that render each object, to report on (several for a duplicate)
  const owners = new Map<string, ApiObject[]>();
  for (let i = 0; i < apiObjects.length; i++) {
    const key = `${objects[i]?.kind}|${nsOf(objects[i])}|${nameOf(objects[i])}`;
    const list = owners.get(key);
    if (list) list.push(apiObjects[i]);
    else owners.set(key, [apiObjects[i]]);
  }
  const errors: string[] = [];
  for (const f of findings) {
    const found = owners.get(`${f.kind}|${f.namespace ?? ''}|${f.name}`);
    if (f.severity === GuardrailSeverity.ERROR || options.failOnWarnings) {
      const paths = (found ?? [scope]).map(o => o.node.path);
      errors.push(`${f.message} (construct${paths.length > 1 ? 's' : ''}: ${paths.join(', ')})`);
    } else {
      // Warnings prints "[WARNING] <rule ID> at <construct path>: " itself
      Warnings.add(found?.[0] ?? scope, f.ruleId, f.message.slice(`${f.severity} ${f.ruleId} `.length));
    }
  }
  return errors;
}

function hasDefinedValue(options: object): boolean {
  for (const key in options) if ((options as any)[key] !== undefined) return true;
  return false;
}

function mergeOptions(a: GuardrailsEnforceOptions, b: GuardrailsEnforceOptions): GuardrailsEnforceOptions {
  const defined = Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined));
  return {
    ...a,
    ...defined,
    disabledRules: [...new Set([...(a.disabledRules ?? []), ...(b.disabledRules ?? [])])],
    gpuResourceNames: [...new Set([...(a.gpuResourceNames ?? []), ...(b.gpuResourceNames ?? [])])],
    failOnWarnings: Boolean(a.failOnWarnings || b.failOnWarnings),
  };
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
