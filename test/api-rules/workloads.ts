/**
 * Deployment, Job, Service, PodDisruptionBudget rules. Mirrors k8s.io/kubernetes/pkg/apis/apps/validation
 * (ValidateDeploymentSpec), pkg/apis/batch/validation (validateJobSpec), pkg/apis/core/validation (ValidateService,
 * validateServicePort), pkg/apis/policy/validation (ValidatePodDisruptionBudgetSpec).
 */
import { isDns1123Label, isInt32, isPortName, isPortNumber, isString } from './formats';
import { checkLabels } from './metadata';
import { checkPodTemplate } from './pod';
import { checkLabelSelector, isEmptySelector, selectorMatches } from './selectors';
import { isObject, Report } from './violation';

function nonNegativeInt32(r: Report, path: string, v: unknown, fn: string): void {
  if (v === undefined) return;
  r.expect(isInt32(v) && v >= 0, path, v, `must be an int32 >= 0 (${fn})`);
}

/** ValidateDeploymentSpec */
export function checkDeployment(r: Report, obj: any): void {
  const spec = obj.spec ?? {};
  nonNegativeInt32(r, 'spec.replicas', spec.replicas, 'ValidateDeploymentSpec: ValidateNonnegativeField');
  nonNegativeInt32(r, 'spec.revisionHistoryLimit', spec.revisionHistoryLimit, 'ValidateDeploymentSpec');
  nonNegativeInt32(r, 'spec.minReadySeconds', spec.minReadySeconds, 'ValidateDeploymentSpec');
  r.expect(!isEmptySelector(spec.selector), 'spec.selector', spec.selector, 'empty selector is invalid for deployment (ValidateDeploymentSpec)');
  checkLabelSelector(r, 'spec.selector', spec.selector);
  r.expect(selectorMatches(spec.selector, spec.template?.metadata?.labels), 'spec.template.metadata.labels', spec.template?.metadata?.labels,
    `selector ${JSON.stringify(spec.selector?.matchLabels)} does not match template labels (ValidateDeploymentSpec)`);
  checkPodTemplate(r, 'spec.template', spec.template, ['Always']);
}

/** validateJobSpec (also used for KEDA ScaledJob jobTargetRef, which is a batch/v1 JobSpec) */
export function checkJobSpec(r: Report, path: string, spec: any): void {
  if (!isObject(spec)) {
    r.add(path, spec, 'job spec is required');
    return;
  }
  for (const f of ['parallelism', 'completions', 'backoffLimit']) nonNegativeInt32(r, `${path}.${f}`, spec[f], 'validateJobSpec: ValidateNonnegativeField');
  if (spec.activeDeadlineSeconds !== undefined) {
    r.expect(Number.isSafeInteger(spec.activeDeadlineSeconds) && spec.activeDeadlineSeconds > 0, `${path}.activeDeadlineSeconds`,
      spec.activeDeadlineSeconds, 'must be a positive int64 (validateJobSpec)');
  }
  nonNegativeInt32(r, `${path}.ttlSecondsAfterFinished`, spec.ttlSecondsAfterFinished, 'validateJobSpec');
  checkLabelSelector(r, `${path}.selector`, spec.selector);
  checkPodTemplate(r, `${path}.template`, spec.template, ['OnFailure', 'Never']);
}

/** ValidateService / validateServicePort */
export function checkService(r: Report, obj: any): void {
  const spec = obj.spec ?? {};
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  r.expect(Array.isArray(spec.ports) && (ports.length > 0 || spec.type === 'ExternalName' || spec.clusterIP === 'None'), 'spec.ports', spec.ports,
    'must have at least one port (ValidateService)');
  const names = new Set<string>();
  ports.forEach((p: any, i: number) => {
    const pp = `spec.ports[${i}]`;
    if (ports.length > 1 || p?.name !== undefined) {
      r.expect(isDns1123Label(p?.name), `${pp}.name`, p?.name, 'must be a DNS-1123 label, required when there are several ports (validateServicePort)');
      r.expect(!names.has(p?.name), `${pp}.name`, p?.name, 'port names must be unique (validateServicePort: Duplicate)');
      names.add(p?.name);
    }
    r.expect(isPortNumber(p?.port), `${pp}.port`, p?.port, 'must be 1..65535 (validateServicePort: IsValidPortNum)');
    const t = p?.targetPort;
    if (t !== undefined) {
      r.expect(typeof t === 'number' ? isPortNumber(t) : isPortName(t), `${pp}.targetPort`, t,
        'must be 1..65535 or an IANA_SVC_NAME (validateServicePort: ValidatePortNumOrName)');
    }
    if (p?.protocol !== undefined) r.expect(['TCP', 'UDP', 'SCTP'].includes(p.protocol), `${pp}.protocol`, p.protocol, 'must be TCP, UDP or SCTP');
  });
  checkLabels(r, 'spec.selector', spec.selector);
}

const PERCENT = /^(\d+)%$/;

/** ValidatePodDisruptionBudgetSpec: ValidatePositiveIntOrPercent + IsNotMoreThan100Percent; not both fields. */
export function checkPdb(r: Report, obj: any): void {
  const spec = obj.spec ?? {};
  const set = ['minAvailable', 'maxUnavailable'].filter(f => spec[f] !== undefined);
  // Upstream rejects both ("minAvailable and maxUnavailable cannot be both set"); a PDB with neither is accepted by the
  // API server but protects nothing, so this library rule requires exactly one.
  r.expect(set.length === 1, 'spec', set, 'exactly one of minAvailable / maxUnavailable (ValidatePodDisruptionBudgetSpec rejects both; neither protects nothing)');
  for (const f of set) {
    const v = spec[f];
    if (typeof v === 'number') {
      r.expect(isInt32(v) && v >= 0, `spec.${f}`, v, 'must be an int32 >= 0 (ValidatePositiveIntOrPercent)');
    } else {
      const m = isString(v) ? PERCENT.exec(v) : null;
      r.expect(!!m && Number(m[1]) <= 100, `spec.${f}`, v, 'must be an integer or a percentage "0%".."100%" (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent)');
    }
  }
  checkLabelSelector(r, 'spec.selector', spec.selector);
  r.expect(spec.selector !== undefined, 'spec.selector', spec.selector, 'a PDB without selector selects nothing (policy/v1: null selector matches no pods)');
}
