/**
 * Internal: acknowledgements made with `Warnings.acknowledge`, and how they travel with the objects.
 *
 * An acknowledgement of a guardrail rule ID is written into the rendered objects it silences, as the
 * `ml-autoscaling.io/suppress` annotation (`RULE-ID: reason`), at synth: `lint`, the validation
 * plugin and `Guardrails.check` then read the same decision from the manifests instead of reporting
 * the finding again. Acknowledgements of construct warnings (not rules) stay in the construct tree.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SUPPRESS } from '../annotations';
import { runRules } from './engine';
import { GuardrailFinding, GuardrailsOptions } from './finding';
import { isGuardrailRuleId } from './known-ids';
import { nameOf, nsOf } from './manifest';

const ACKS_KEY = Symbol.for('cdk8s-ml-autoscaling.acknowledged');
/** Set by `Guardrails.enforce` on its scope: the objects under it are stamped by that run of the rules. */
export const ENFORCED_KEY = Symbol.for('cdk8s-ml-autoscaling.guardrails.enforced');
const STAMPER_KEY = Symbol.for('cdk8s-ml-autoscaling.acknowledged.stamper');

/** Whether any guardrail rule was acknowledged in this process (the usual case is none: nothing to stamp). */
let ruleAcknowledged = false;

/**
 * Records `Warnings.acknowledge(scope, id, reason)`. For a guardrail rule ID, also stamps the objects
 * under `scope` at synth (a validation of `scope`: cdk8s validates before it renders the objects).
 */
export function recordAcknowledgement(scope: IConstruct, id: string, reason: string): void {
  const acks: Record<string, string> = ((scope as any)[ACKS_KEY] ??= {});
  acks[id] = reason;
  if (!isGuardrailRuleId(id)) return;
  ruleAcknowledged = true;
  if ((scope as any)[STAMPER_KEY]) return;
  Object.defineProperty(scope, STAMPER_KEY, { value: true, enumerable: false });
  scope.node.addValidation({ validate: () => stampUnder(scope) });
}

/** The reason of the nearest acknowledgement of `id` on `construct` or one of its parents, or undefined. */
export function acknowledgementOf(construct: IConstruct, id: string): string | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const acks = (scopes[i] as any)[ACKS_KEY];
    if (acks && Object.prototype.hasOwnProperty.call(acks, id)) return acks[id];
  }
  return undefined;
}

/** The API objects rendering each `Kind|namespace|name` (several for a duplicate). */
export function ownersByKey(apiObjects: ApiObject[], objects: any[]): Map<string, ApiObject[]> {
  const owners = new Map<string, ApiObject[]>();
  for (let i = 0; i < apiObjects.length; i++) {
    const key = objectKey(objects[i]?.kind, nsOf(objects[i]), nameOf(objects[i]));
    const list = owners.get(key);
    if (list) list.push(apiObjects[i]);
    else owners.set(key, [apiObjects[i]]);
  }
  return owners;
}

/** The key of `ownersByKey` for a finding. */
export function findingKey(f: GuardrailFinding): string {
  return objectKey(f.kind, f.namespace ?? '', f.name);
}

function objectKey(kind: unknown, namespace: string, name: string): string {
  return `${kind}|${namespace}|${name}`;
}

/**
 * Writes the acknowledgements that silence `findings` into the objects they are about, and returns
 * the findings so silenced. Findings already suppressed by the annotation are left alone.
 */
export function stampAcknowledged(findings: GuardrailFinding[], owners: Map<string, ApiObject[]>,
  objects: Map<ApiObject, any>): Set<GuardrailFinding> {
  const silenced = new Set<GuardrailFinding>();
  if (!ruleAcknowledged) return silenced;
  for (const f of findings) {
    if (f.suppressedReason !== undefined) continue;
    for (const owner of owners.get(findingKey(f)) ?? []) {
      const reason = acknowledgementOf(owner, f.ruleId);
      if (reason === undefined) continue;
      stamp(owner, objects.get(owner), f.ruleId, reason);
      silenced.add(f);
    }
  }
  return silenced;
}

/**
 * Adds `ruleId: reason` to the object's suppress annotation (kept: entries already there). `json` is
 * the object as just serialized, so an entry written by an earlier pass is seen and not repeated.
 */
function stamp(owner: ApiObject, json: any, ruleId: string, reason: string): void {
  const current = json?.metadata?.annotations?.[SUPPRESS];
  const text = typeof current === 'string' ? current.trim() : '';
  const ids = text.split(/[;\n]/).map(part => part.split(':')[0].trim());
  if (ids.includes(ruleId)) return;
  const value = text ? `${text}; ${ruleId}: ${reason}` : `${ruleId}: ${reason}`;
  owner.metadata.addAnnotation(SUPPRESS, value);
}

/**
 * The validation an acknowledgement of a rule adds to its scope, for objects no `Guardrails.enforce`
 * covers (under an enforced scope, that run of the rules stamps them: our constructs enforce their
 * chart). Runs the rules over every object of the app (rules look across objects) and stamps the
 * uncovered ones under `scope`. The GPU budget rule runs with a budget of 0, so every autoscaled GPU
 * workload under the scope carries its acknowledgement whatever budget `lint` or the plugin is given.
 */
function stampUnder(scope: IConstruct): string[] {
  const enforced = (c: IConstruct) => (c as any)[ENFORCED_KEY] !== undefined;
  if (scope.node.scopes.some(enforced)) return [];
  const below = scope.node.findAll();
  const uncovered = new Set<IConstruct>();
  for (let i = 0; i < below.length; i++) {
    if (ApiObject.isApiObject(below[i]) && !below[i].node.scopes.some(enforced)) uncovered.add(below[i]);
  }
  if (uncovered.size === 0) return [];
  const apiObjects: ApiObject[] = [];
  const all = scope.node.root.node.findAll();
  for (let i = 0; i < all.length; i++) if (ApiObject.isApiObject(all[i])) apiObjects.push(all[i] as ApiObject);
  const objects = apiObjects.map(o => o.toJson());
  const options: GuardrailsOptions = { includeSuppressed: true, gpuBudget: 0 };
  const findings = runRules(objects, options);
  const owners = ownersByKey(apiObjects, objects);
  for (const [key, list] of owners) owners.set(key, list.filter(o => uncovered.has(o)));
  stampAcknowledged(findings, owners, new Map(apiObjects.map((o, i) => [o, objects[i]])));
  return [];
}
