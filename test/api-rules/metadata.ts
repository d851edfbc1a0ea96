/**
 * Object metadata rules: names per kind, namespace, labels, annotations.
 * Mirrors k8s.io/apimachinery/pkg/api/validation/objectmeta.go (ValidateObjectMeta, ValidateAnnotations,
 * TotalAnnotationSizeLimitB), k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go (ValidateLabels,
 * ValidateLabelName) and the per-kind name functions of k8s.io/kubernetes/pkg/apis/{core,apps,...}/validation.
 */
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isLabelValue, isQualifiedName, isString } from './formats';
import { isObject, Report } from './violation';

/** ValidateAnnotations: TotalAnnotationSizeLimitB = 256 * (1 << 10). */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

type NameRule = { readonly test: (v: unknown) => boolean; readonly rule: string };

const DNS1035: NameRule = {
  test: isDns1035Label,
  rule: 'must be a DNS-1035 label (<= 63 chars, lowercase alphanumerics and "-", starting with a letter) (core/validation ValidateServiceName = NameIsDNS1035Label)',
};
const DNS1123_LABEL: NameRule = {
  test: isDns1123Label,
  rule: 'must be a DNS-1123 label (<= 63 chars, lowercase alphanumerics and "-") (core/validation ValidateNamespaceName = NameIsDNS1123Label)',
};
const DNS1123_SUBDOMAIN: NameRule = {
  test: isDns1123Subdomain,
  rule: 'must be a DNS-1123 subdomain (<= 253 chars, lowercase alphanumerics, "-" and ".") (NameIsDNSSubdomain)',
};

/**
 * metadata.name format by kind. Everything not listed is a DNS-1123 subdomain: Deployment (ValidateDeploymentName),
 * HPA (ValidateHorizontalPodAutoscalerName), PDB, ConfigMap, Secret, ServiceAccount, Job, and custom resources
 * (apiextensions-apiserver validates CR names with NameIsDNSSubdomain).
 */
const NAME_RULES: Record<string, NameRule> = {
  Service: DNS1035,
  Namespace: DNS1123_LABEL,
};

export function nameRule(kind: string): NameRule {
  return NAME_RULES[kind] ?? DNS1123_SUBDOMAIN;
}

/** ValidateLabels: every key a qualified name (ValidateLabelName), every value IsValidLabelValue. */
export function checkLabels(r: Report, path: string, labels: unknown): void {
  if (labels === undefined) return;
  if (!isObject(labels)) {
    r.add(path, labels, 'must be a map of string to string (ValidateLabels)');
    return;
  }
  for (const [key, value] of Object.entries(labels)) {
    r.expect(isQualifiedName(key), `${path}[${JSON.stringify(key)}]`, key,
      'label key must be a qualified name: optional DNS-1123 subdomain prefix (<= 253) and "/", then a name <= 63 of [A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9] (ValidateLabelName / IsQualifiedName)');
    r.expect(isString(value) && isLabelValue(value), `${path}[${JSON.stringify(key)}]`, value,
      'label value must be a string of <= 63 chars, empty or [A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9] (IsValidLabelValue)');
  }
}

/** ValidateAnnotations: keys qualified names (lowercased), values strings, total size <= 256 KiB. */
export function checkAnnotations(r: Report, path: string, annotations: unknown): void {
  if (annotations === undefined) return;
  if (!isObject(annotations)) {
    r.add(path, annotations, 'must be a map of string to string (ValidateAnnotations)');
    return;
  }
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    r.expect(isQualifiedName(key.toLowerCase()), `${path}[${JSON.stringify(key)}]`, key,
      'annotation key must be a qualified name (ValidateAnnotations / IsQualifiedName)');
    r.expect(isString(value), `${path}[${JSON.stringify(key)}]`, value, 'annotation value must be a string (ObjectMeta.annotations is map[string]string)');
    total += key.length + (isString(value) ? value.length : 0);
  }
  r.expect(total <= TOTAL_ANNOTATION_SIZE_LIMIT, path, `${total} bytes`,
    `total annotation size must be <= ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes (ValidateAnnotationsSize, TotalAnnotationSizeLimitB)`);
}

/** ValidateObjectMeta with the kind's name function, plus namespace, labels and annotations. */
export function checkObjectMeta(r: Report, obj: any): void {
  const meta = obj.metadata;
  if (!isObject(meta)) {
    r.add('metadata', meta, 'must be an object (ValidateObjectMeta)');
    return;
  }
  const rule = nameRule(obj.kind);
  r.expect(isString(meta.name) && meta.name.length > 0, 'metadata.name', meta.name, 'name or generateName is required (ValidateObjectMeta)');
  if (isString(meta.name) && meta.name.length > 0) r.expect(rule.test(meta.name), 'metadata.name', meta.name, rule.rule);
  if (meta.namespace !== undefined) {
    r.expect(isDns1123Label(meta.namespace), 'metadata.namespace', meta.namespace,
      'must be a DNS-1123 label (ValidateObjectMeta namespace check = ValidateNamespaceName)');
  }
  checkLabels(r, 'metadata.labels', meta.labels);
  checkAnnotations(r, 'metadata.annotations', meta.annotations);
}
