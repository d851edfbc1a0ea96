/**
 * Label selectors. Mirrors k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go ValidateLabelSelector /
 * ValidateLabelSelectorRequirement, and apps/validation ValidateDeploymentSpec ("selector does not match template labels").
 */
import { isLabelValue, isQualifiedName } from './formats';
import { checkLabels } from './metadata';
import { isObject, Report } from './violation';

export function checkLabelSelector(r: Report, path: string, selector: any): void {
  if (selector === undefined) return;
  if (!isObject(selector)) {
    r.add(path, selector, 'must be a label selector object (ValidateLabelSelector)');
    return;
  }
  checkLabels(r, `${path}.matchLabels`, selector.matchLabels);
  (Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []).forEach((e: any, i: number) => {
    const p = `${path}.matchExpressions[${i}]`;
    r.expect(isQualifiedName(e?.key), `${p}.key`, e?.key, 'must be a qualified name (ValidateLabelSelectorRequirement: ValidateLabelName)');
    if (e?.operator === 'In' || e?.operator === 'NotIn') {
      r.expect(Array.isArray(e.values) && e.values.length > 0, `${p}.values`, e.values, 'must be non-empty for In/NotIn (ValidateLabelSelectorRequirement)');
    } else if (e?.operator === 'Exists' || e?.operator === 'DoesNotExist') {
      r.expect(!e.values || e.values.length === 0, `${p}.values`, e.values, 'must be empty for Exists/DoesNotExist (ValidateLabelSelectorRequirement)');
    } else {
      r.add(`${p}.operator`, e?.operator, 'must be In, NotIn, Exists or DoesNotExist (ValidateLabelSelectorRequirement)');
    }
    (Array.isArray(e?.values) ? e.values : []).forEach((v: unknown, j: number) =>
      r.expect(isLabelValue(v), `${p}.values[${j}]`, v, 'must be a label value (ValidateLabelSelectorRequirement: IsValidLabelValue)'));
  });
}

/** Whether every matchLabels entry is present in the labels (matchExpressions are not evaluated). */
export function selectorMatches(selector: any, labels: any): boolean {
  const ml = isObject(selector?.matchLabels) ? selector.matchLabels : {};
  const l = isObject(labels) ? labels : {};
  return Object.entries(ml).every(([k, v]) => l[k] === v);
}

export function isEmptySelector(selector: any): boolean {
  return !isObject(selector) || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}
