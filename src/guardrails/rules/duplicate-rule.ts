/**
 * Two objects with the same identity in one set of manifests: `kubectl apply` keeps only the last.
 */
import { GuardrailSeverity } from '../finding';
import { kubectlResource, nameOf, nsFlag, nsOf } from '../manifest';
import { RawFinding, Rule, RuleContext } from '../rule';

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> core): versions of one group are one object. */
function groupOf(apiVersion: unknown): string {
  const v = typeof apiVersion === 'string' ? apiVersion : '';
  const slash = v.indexOf('/');
  return slash < 0 ? '' : v.slice(0, slash);
}

export const duplicateObject: Rule = {
  id: 'ML-E-DUPLICATE-OBJECT',
  severity: GuardrailSeverity.ERROR,
  title: 'Two objects with the same kind, namespace and name',
  rationale: 'The API server stores one object per group, kind, namespace and name: `kubectl apply` of both ' +
    'silently keeps the last one written, so one of the two declared workloads or autoscalers never exists.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    const first = new Map<string, number>();
    const objects = ctx.index.objects;
    for (let i = 0; i < objects.length; i++) {
      const obj = objects[i];
      if (typeof obj.metadata?.name !== 'string' || typeof obj.kind !== 'string') continue;
      const name = nameOf(obj);
      const key = `${groupOf(obj.apiVersion)}|${obj.kind}|${nsOf(obj)}|${name}`;
      const seen = first.get(key);
      if (seen === undefined) {
        first.set(key, i);
        continue;
      }
      out.push({
        obj,
        location: 'metadata.name',
        problem: `is declared twice (objects #${seen + 1} and #${i + 1} of these manifests): the cluster keeps only one of them`,
        fix: 'give one of them another name (or namespace), or remove the duplicate',
        confirm: `kubectl get ${kubectlResource(obj.kind)} ${name}${nsFlag(obj)} -o yaml`,
      });
    }
    return out;
  },
};
