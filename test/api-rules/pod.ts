/**
 * Pod template rules. Mirrors k8s.io/kubernetes/pkg/apis/core/validation/validation.go: ValidatePodTemplateSpec,
 * validatePodSpec, validateContainers / validateContainerCommon, validateContainerPorts, ValidateEnv,
 * ValidateResourceRequirements, validateProbe / validateLivenessProbe / validateStartupProbe,
 * ValidateSecurityContext, validateTolerations, ValidateNodeSelectorRequirement; and the kubelet's
 * verifyRunAsNonRoot (pkg/kubelet/kuberuntime/security_context_others.go) for runAsNonRoot with user 0.
 */
import {
  isDns1123Label, isDns1123Subdomain, isEnvVarName, isInt32, isInt64, isLabelValue, isPortName, isPortNumber,
  isQualifiedName, isQuantity, isString, quantityValue,
} from './formats';
import { checkAnnotations, checkLabels } from './metadata';
import { isObject, Report } from './violation';

/** Resource names that can be overcommitted; every other name containing "/" outside kubernetes.io is extended. */
function isExtendedResource(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

/** IsConfigMapKey: [-._a-zA-Z0-9]+, <= 253 */
const isConfigMapKey = (v: unknown): boolean => isString(v) && v.length > 0 && v.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(v);

function nonNegativeInt32(r: Report, path: string, v: unknown, fn: string): void {
  if (v === undefined) return;
  r.expect(isInt32(v) && v >= 0, path, v, `must be an int32 >= 0 (${fn})`);
}

/** validateProbe (+ liveness/startup successThreshold must be 1) */
function checkProbe(r: Report, path: string, probe: any, kind: 'liveness' | 'readiness' | 'startup'): void {
  if (probe === undefined) return;
  if (!isObject(probe)) {
    r.add(path, probe, 'must be an object');
    return;
  }
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    nonNegativeInt32(r, `${path}.${f}`, probe[f], 'validateProbe: ValidateNonnegativeField');
  }
  if (probe.terminationGracePeriodSeconds !== undefined) {
    r.expect(isInt64(probe.terminationGracePeriodSeconds) && probe.terminationGracePeriodSeconds > 0, `${path}.terminationGracePeriodSeconds`,
      probe.terminationGracePeriodSeconds, 'must be a positive int64 (validateProbe: ValidatePositiveField)');
  }
  if (kind !== 'readiness' && probe.successThreshold !== undefined) {
    r.expect(probe.successThreshold === 1, `${path}.successThreshold`, probe.successThreshold,
      `must be 1 for a ${kind} probe (validate${kind === 'liveness' ? 'Liveness' : 'Startup'}Probe)`);
  }
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter(h => probe[h] !== undefined);
  r.expect(handlers.length === 1, path, handlers, 'must specify exactly one handler of exec, httpGet, tcpSocket, grpc (validateHandler)');
  for (const h of ['httpGet', 'tcpSocket']) {
    const port = probe[h]?.port;
    if (port !== undefined) {
      r.expect(typeof port === 'number' ? isPortNumber(port) : isPortName(port), `${path}.${h}.port`, port,
        'must be a port number 1..65535 or an IANA_SVC_NAME (ValidatePortNumOrName)');
    }
  }
  if (probe.grpc?.port !== undefined) r.expect(isPortNumber(probe.grpc.port), `${path}.grpc.port`, probe.grpc.port, 'must be 1..65535 (IsValidPortNum)');
}

function checkSecurityContext(r: Report, path: string, sc: any): void {
  if (sc === undefined) return;
  if (!isObject(sc)) {
    r.add(path, sc, 'must be an object');
    return;
  }
  for (const f of ['runAsUser', 'runAsGroup', 'fsGroup']) {
    if (sc[f] !== undefined) {
      r.expect(isInt64(sc[f]) && sc[f] >= 0, `${path}.${f}`, sc[f], 'must be an int64 >= 0 (ValidateSecurityContext: ValidateNonnegativeField)');
    }
  }
  r.expect(!(sc.runAsNonRoot === true && sc.runAsUser === 0), `${path}.runAsNonRoot`, sc,
    'runAsNonRoot: true with runAsUser: 0 can never start (kubelet verifyRunAsNonRoot: "container\'s runAsUser breaks non-root policy")');
}

function checkResources(r: Report, path: string, res: any): void {
  if (res === undefined) return;
  if (!isObject(res)) {
    r.add(path, res, 'must be an object');
    return;
  }
  for (const part of ['requests', 'limits']) {
    const m = res[part];
    if (m === undefined) continue;
    if (!isObject(m)) {
      r.add(`${path}.${part}`, m, 'must be a map of resource name to quantity');
      continue;
    }
    for (const [name, q] of Object.entries(m)) {
      const p = `${path}.${part}[${JSON.stringify(name)}]`;
      r.expect(isQualifiedName(name), p, name, 'resource name must be a qualified name (validateResourceName)');
      r.expect(isQuantity(q), p, q, 'must be a quantity, e.g. "500m", "4Gi", "1" (resource.ParseQuantity)');
      if (isQuantity(q)) {
        r.expect(quantityValue(q) >= 0, p, q, 'must be >= 0 (ValidateResourceQuantityValue: ValidateNonnegativeQuantity)');
        if (isExtendedResource(name)) {
          r.expect(Number.isInteger(quantityValue(q)), p, q, 'extended resources must be whole numbers (ValidateResourceQuantityValue: IsIntegerResourceName)');
        }
      }
    }
  }
  const req = isObject(res.requests) ? res.requests : {};
  const lim = isObject(res.limits) ? res.limits : {};
  for (const name of Object.keys(req)) {
    if (lim[name] !== undefined && isQuantity(req[name]) && isQuantity(lim[name])) {
      r.expect(quantityValue(lim[name]) >= quantityValue(req[name]), `${path}.requests[${JSON.stringify(name)}]`, req[name],
        `must be <= the limit ${lim[name]} (ValidateResourceRequirements)`);
    }
    if (isExtendedResource(name)) {
      r.expect(lim[name] !== undefined && quantityValue(lim[name]) === quantityValue(req[name]), `${path}.requests[${JSON.stringify(name)}]`, req[name],
        'extended resource requests must equal limits (ValidateResourceRequirements: "must be equal to <name> limit")');
    }
  }
}

function checkContainer(r: Report, path: string, c: any, names: Set<string>): void {
  if (!isObject(c)) {
    r.add(path, c, 'must be an object');
    return;
  }
  r.expect(isDns1123Label(c.name), `${path}.name`, c.name, 'must be a DNS-1123 label (validateContainers: ValidateDNS1123Label)');
  r.expect(!names.has(c.name), `${path}.name`, c.name, 'container names must be unique (validateContainers: Duplicate)');
  names.add(c.name);
  r.expect(isString(c.image) && c.image.length > 0 && !/\s/.test(c.image), `${path}.image`, c.image,
    'must be a non-empty image reference without whitespace (validateContainersOnlyForPod: image required, no leading/trailing whitespace)');
  for (const f of ['command', 'args']) {
    if (c[f] !== undefined) {
      r.expect(Array.isArray(c[f]) && c[f].every(isString), `${path}.${f}`, c[f], 'must be a list of strings');
    }
  }
  const portNames = new Set<string>();
  (Array.isArray(c.ports) ? c.ports : c.ports === undefined ? [] : [c.ports]).forEach((p: any, i: number) => {
    const pp = `${path}.ports[${i}]`;
    r.expect(isPortNumber(p?.containerPort), `${pp}.containerPort`, p?.containerPort, 'must be 1..65535 (validateContainerPorts: IsValidPortNum)');
    if (p?.name !== undefined) {
      r.expect(isPortName(p.name), `${pp}.name`, p.name,
        'must be an IANA_SVC_NAME: <= 15 chars, lowercase alphanumerics and "-", at least one letter, no "--", not starting or ending with "-" (validateContainerPorts: IsValidPortName)');
      r.expect(!portNames.has(p.name), `${pp}.name`, p.name, 'port names must be unique (validateContainerPorts: Duplicate)');
      portNames.add(p.name);
    }
    if (p?.protocol !== undefined) r.expect(['TCP', 'UDP', 'SCTP'].includes(p.protocol), `${pp}.protocol`, p.protocol, 'must be TCP, UDP or SCTP (validateContainerPorts)');
  });
  const envNames = new Set<string>();
  (Array.isArray(c.env) ? c.env : c.env === undefined ? [] : [c.env]).forEach((e: any, i: number) => {
    const ep = `${path}.env[${i}]`;
    r.expect(isEnvVarName(e?.name), `${ep}.name`, e?.name, 'must be a C-identifier-like env name [-._a-zA-Z][-._a-zA-Z0-9]* (ValidateEnv: IsEnvVarName)');
    r.expect(!envNames.has(e?.name), `${ep}.name`, e?.name, 'env names should be unique (the later one silently wins; apply warns "hides previous definition")');
    envNames.add(e?.name);
    if (e?.value !== undefined) r.expect(isString(e.value), `${ep}.value`, e.value, 'must be a string (EnvVar.value is a string)');
    r.expect(!(e?.value !== undefined && e?.valueFrom !== undefined), ep, e, 'may not have both value and valueFrom (ValidateEnv)');
    const ref = e?.valueFrom?.secretKeyRef ?? e?.valueFrom?.configMapKeyRef;
    if (ref !== undefined) {
      r.expect(isDns1123Subdomain(ref.name), `${ep}.valueFrom.*KeyRef.name`, ref.name, 'must name a Secret/ConfigMap: a DNS-1123 subdomain (validateSecretKeySelector)');
      r.expect(isConfigMapKey(ref.key), `${ep}.valueFrom.*KeyRef.key`, ref.key, 'must be a valid key [-._a-zA-Z0-9]+ <= 253 (validateSecretKeySelector: IsConfigMapKey)');
    }
  });
  checkResources(r, `${path}.resources`, c.resources);
  checkProbe(r, `${path}.livenessProbe`, c.livenessProbe, 'liveness');
  checkProbe(r, `${path}.readinessProbe`, c.readinessProbe, 'readiness');
  checkProbe(r, `${path}.startupProbe`, c.startupProbe, 'startup');
  checkSecurityContext(r, `${path}.securityContext`, c.securityContext);
  const preStop = c.lifecycle?.preStop;
  if (preStop?.exec !== undefined) {
    r.expect(Array.isArray(preStop.exec.command) && preStop.exec.command.length > 0 && preStop.exec.command.every(isString),
      `${path}.lifecycle.preStop.exec.command`, preStop.exec.command, 'must be a non-empty list of strings (validateExecAction)');
  }
}

function checkNodeSelectorRequirement(r: Report, path: string, req: any): void {
  r.expect(isQualifiedName(req?.key), `${path}.key`, req?.key, 'must be a qualified name (ValidateNodeSelectorRequirement: ValidateLabelName)');
  const op = req?.operator;
  const values = req?.values;
  if (op === 'In' || op === 'NotIn') {
    r.expect(Array.isArray(values) && values.length > 0, `${path}.values`, values, 'must be non-empty for In/NotIn (ValidateNodeSelectorRequirement)');
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    r.expect(values === undefined || (Array.isArray(values) && values.length === 0), `${path}.values`, values, 'must be empty for Exists/DoesNotExist (ValidateNodeSelectorRequirement)');
  } else if (op === 'Gt' || op === 'Lt') {
    r.expect(Array.isArray(values) && values.length === 1 && /^-?\d+$/.test(values[0]), `${path}.values`, values, 'must be one integer for Gt/Lt (ValidateNodeSelectorRequirement)');
  } else {
    r.add(`${path}.operator`, op, 'must be In, NotIn, Exists, DoesNotExist, Gt or Lt (ValidateNodeSelectorRequirement)');
  }
  if (Array.isArray(values)) values.forEach((v: unknown, i: number) => r.expect(isString(v), `${path}.values[${i}]`, v, 'must be a string'));
}

function checkAffinity(r: Report, path: string, affinity: any): void {
  const na = affinity?.nodeAffinity;
  if (!na) return;
  const terms = na.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (na.requiredDuringSchedulingIgnoredDuringExecution !== undefined) {
    r.expect(Array.isArray(terms) && terms.length > 0, `${path}.nodeAffinity.required.nodeSelectorTerms`, terms, 'must have at least one term (ValidateNodeSelector)');
  }
  (Array.isArray(terms) ? terms : []).forEach((t: any, i: number) =>
    (t?.matchExpressions ?? []).forEach((e: any, j: number) =>
      checkNodeSelectorRequirement(r, `${path}.nodeAffinity.required.nodeSelectorTerms[${i}].matchExpressions[${j}]`, e)));
  (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((p: any, i: number) => {
    const pp = `${path}.nodeAffinity.preferred[${i}]`;
    r.expect(isInt32(p?.weight) && p.weight >= 1 && p.weight <= 100, `${pp}.weight`, p?.weight, 'must be 1..100 (ValidatePreferredSchedulingTerms)');
    (p?.preference?.matchExpressions ?? []).forEach((e: any, j: number) => checkNodeSelectorRequirement(r, `${pp}.preference.matchExpressions[${j}]`, e));
  });
}

/** validateTolerations */
function checkTolerations(r: Report, path: string, tolerations: any): void {
  if (tolerations === undefined) return;
  (Array.isArray(tolerations) ? tolerations : [tolerations]).forEach((t: any, i: number) => {
    const tp = `${path}[${i}]`;
    if (t?.key !== undefined && t.key !== '') r.expect(isQualifiedName(t.key), `${tp}.key`, t.key, 'must be a qualified name (validateTolerations: ValidateLabelName)');
    if (t?.key === undefined || t.key === '') r.expect(t?.operator === 'Exists', `${tp}.operator`, t?.operator, 'must be Exists when key is empty (validateTolerations)');
    if (t?.operator === 'Exists') r.expect(t.value === undefined || t.value === '', `${tp}.value`, t.value, 'must be empty when operator is Exists (validateTolerations)');
    else if (t?.operator === 'Equal' || t?.operator === undefined) r.expect(t?.value === undefined || isLabelValue(t.value), `${tp}.value`, t?.value, 'must be a label value (validateTolerations: IsValidLabelValue)');
    else r.add(`${tp}.operator`, t?.operator, 'must be Exists or Equal (validateTolerations)');
    if (t?.effect !== undefined && t.effect !== '') r.expect(['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect), `${tp}.effect`, t.effect, 'must be NoSchedule, PreferNoSchedule or NoExecute (validateTaintEffect)');
  });
}

/** ValidatePodTemplateSpec; allowedRestartPolicies per workload (Deployment: Always; Job: OnFailure, Never). */
export function checkPodTemplate(r: Report, path: string, template: any, allowedRestartPolicies: string[]): void {
  if (!isObject(template)) {
    r.add(path, template, 'pod template is required (ValidatePodTemplateSpec)');
    return;
  }
  checkLabels(r, `${path}.metadata.labels`, template.metadata?.labels);
  checkAnnotations(r, `${path}.metadata.annotations`, template.metadata?.annotations);
  const spec = template.spec;
  if (!isObject(spec)) {
    r.add(`${path}.spec`, spec, 'pod spec is required');
    return;
  }
  r.expect(Array.isArray(spec.containers) && spec.containers.length > 0, `${path}.spec.containers`, spec.containers, 'must have at least one container (validateContainers)');
  const names = new Set<string>();
  (Array.isArray(spec.containers) ? spec.containers : []).forEach((c: any, i: number) => checkContainer(r, `${path}.spec.containers[${i}]`, c, names));
  (Array.isArray(spec.initContainers) ? spec.initContainers : []).forEach((c: any, i: number) => checkContainer(r, `${path}.spec.initContainers[${i}]`, c, names));
  checkLabels(r, `${path}.spec.nodeSelector`, spec.nodeSelector);
  checkAffinity(r, `${path}.spec.affinity`, spec.affinity);
  checkTolerations(r, `${path}.spec.tolerations`, spec.tolerations);
  checkSecurityContext(r, `${path}.spec.securityContext`, spec.securityContext);
  if (spec.terminationGracePeriodSeconds !== undefined) {
    r.expect(isInt64(spec.terminationGracePeriodSeconds) && spec.terminationGracePeriodSeconds >= 0, `${path}.spec.terminationGracePeriodSeconds`,
      spec.terminationGracePeriodSeconds, 'must be an int64 >= 0 (validatePodSpec: ValidateNonnegativeField)');
  }
  if (spec.activeDeadlineSeconds !== undefined) {
    r.expect(isInt64(spec.activeDeadlineSeconds) && spec.activeDeadlineSeconds >= 1, `${path}.spec.activeDeadlineSeconds`,
      spec.activeDeadlineSeconds, 'must be an int64 >= 1 (validatePodSpec)');
  }
  if (spec.serviceAccountName !== undefined) {
    r.expect(isDns1123Subdomain(spec.serviceAccountName), `${path}.spec.serviceAccountName`, spec.serviceAccountName,
      'must be a DNS-1123 subdomain (ValidateServiceAccountName)');
  }
  if (spec.priorityClassName !== undefined) {
    r.expect(isDns1123Subdomain(spec.priorityClassName), `${path}.spec.priorityClassName`, spec.priorityClassName, 'must be a DNS-1123 subdomain (ValidatePriorityClassName)');
  }
  const restart = spec.restartPolicy ?? 'Always';
  r.expect(allowedRestartPolicies.includes(restart), `${path}.spec.restartPolicy`, spec.restartPolicy,
    `must be one of ${allowedRestartPolicies.join(', ')} for this workload (ValidateDeploymentSpec / ValidateJobSpec)`);
}
