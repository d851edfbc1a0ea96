import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Warnings } from '../warnings';
import { ENFORCED_KEY, findingKey, ownersByKey, stampAcknowledged } from './acknowledgements';
import { INVALID_SUPPRESSION, runRules } from './engine';
import { GuardrailFinding, GuardrailRuleInfo, GuardrailSeverity, GuardrailsOptions } from './finding';
import { GUARDRAILS_ENFORCE_OPTIONS_SHAPE, GUARDRAILS_OPTIONS_SHAPE, OBJECTS } from './options-check';
import { ALL_RULES } from './rules';
import { KubernetesTarget } from '../kubernetes/kubernetes-target';
import { checkProps, checkValue, instanceOf } from '../validate/check';

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

const CONSTRUCT = instanceOf(v => Construct.isConstruct(v), 'construct', 'pass a chart (or the app) as scope');

const ENFORCED = ENFORCED_KEY;


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
    checkValue('Guardrails.check', 'objects', objects, OBJECTS);
    checkProps('Guardrails.check', 'GuardrailsOptions', GUARDRAILS_OPTIONS_SHAPE, options);
    return runRules(objects, options);
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
   * renders the object, so `Warnings.acknowledge(construct, ruleId, reason)` silences them (and
   * writes the acknowledgement into the objects, as the `ml-autoscaling.io/suppress` annotation).
   *
   * Calling it again on the same scope runs the rules once, with the options merged (constructs
   * call it on their chart; an app can add `gpuBudget`, `disabledRules`, ... with its own call,
   * before or after): later values win, `disabledRules` and `gpuResourceNames` accumulate,
   * `failOnWarnings` holds once set.
   *
   * @param scope usually the chart (`Chart.of(this)`)
   */
  public static enforce(scope: IConstruct, options: GuardrailsEnforceOptions = {}): void {
    checkValue('Guardrails.enforce', 'scope', scope, CONSTRUCT);
    checkProps(scope, 'GuardrailsEnforceOptions', GUARDRAILS_ENFORCE_OPTIONS_SHAPE, options);
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
function enforceNow(scope: IConstruct, given: GuardrailsEnforceOptions): string[] {
  // the scope's KubernetesTarget unless the options name a version (gates then start from its defaults)
  const target = KubernetesTarget.of(scope);
  const options: GuardrailsEnforceOptions = {
    ...given,
    kubernetesVersion: given.kubernetesVersion ?? target.version,
    featureGates: given.featureGates ?? (given.kubernetesVersion === undefined ? target.featureGates : undefined),
  };
  const apiObjects: ApiObject[] = [];
  const all = scope.node.findAll();
  for (let i = 0; i < all.length; i++) if (ApiObject.isApiObject(all[i])) apiObjects.push(all[i] as ApiObject);
  const objects = new Array(apiObjects.length);
  for (let i = 0; i < apiObjects.length; i++) objects[i] = apiObjects[i].toJson();
  // suppressed findings too: those silenced by `Warnings.acknowledge` are stamped on their objects
  const raw = runRules(objects, { ...options, includeSuppressed: true });
  if (raw.length === 0) return [];
  // the constructs that render each object, to report on (several for a duplicate)
  const owners = ownersByKey(apiObjects, objects);
  const silenced = stampAcknowledged(raw, owners, new Map(apiObjects.map((o, i) => [o, objects[i]])));
  const findings = raw.filter(f => !silenced.has(f) && (options.includeSuppressed || f.suppressedReason === undefined));
  const errors: string[] = [];
  for (const f of findings) {
    const found = owners.get(findingKey(f));
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
