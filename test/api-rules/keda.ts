/**
 * KEDA (keda.sh/v1alpha1) rules the operator and its admission webhooks apply. Mirrors kedacore/keda
 * apis/keda/v1alpha1: scaledobject_webhook.go (verifyReplicaCount -> CheckReplicaCountBoundsAreValid, verifyTriggers ->
 * ValidateTriggers, verifyFallback -> CheckFallbackValid), scaledobject_types.go, scaledjob_types.go, scaletriggers_types.go
 * (ScaleTriggers.Metadata map[string]string) and controllers/keda/hpa.go (getHPAName = "keda-hpa-" + name) /
 * scaledjob_controller.go (every Job labelled scaledjob.keda.sh/name = <ScaledJob name>).
 */
import { checkBehavior } from './autoscaling';
import { DNS1123_SUBDOMAIN_MAX, isDns1123Subdomain, isInt32, isLabelValue, isString } from './formats';
import { isObject, Report } from './violation';
import { checkJobSpec } from './workloads';

/** KEDA defaults (scaledobject_types.go / scaledjob_types.go). */
const DEFAULT_MAX_REPLICAS = 100;

function nonNegativeInt32(r: Report, path: string, v: unknown, fn: string): void {
  if (v === undefined) return;
  r.expect(isInt32(v) && v >= 0, path, v, `must be an int32 >= 0 (${fn})`);
}

/** ValidateTriggers: at least one trigger, names unique, metadata a map of strings. */
function checkTriggers(r: Report, triggers: any): void {
  r.expect(Array.isArray(triggers) && triggers.length > 0, 'spec.triggers', triggers, 'no triggers defined (ValidateTriggers)');
  const names = new Set<string>();
  (Array.isArray(triggers) ? triggers : []).forEach((t: any, i: number) => {
    const p = `spec.triggers[${i}]`;
    r.expect(isString(t?.type) && t.type.length > 0, `${p}.type`, t?.type, 'trigger type is required (ScaleTriggers.Type)');
    if (t?.name !== undefined) {
      r.expect(!names.has(t.name), `${p}.name`, t.name, 'triggerName is defined multiple times (ValidateTriggers)');
      names.add(t.name);
    }
    if (!isObject(t?.metadata)) {
      r.add(`${p}.metadata`, t?.metadata, 'must be a map of string to string (ScaleTriggers.Metadata map[string]string)');
    } else {
      for (const [k, v] of Object.entries(t.metadata)) {
        r.expect(isString(v), `${p}.metadata.${k}`, v, 'trigger metadata values must be strings (ScaleTriggers.Metadata map[string]string)');
      }
    }
    if (t?.authenticationRef !== undefined) {
      r.expect(isDns1123Subdomain(t.authenticationRef?.name), `${p}.authenticationRef.name`, t.authenticationRef?.name,
        'must name a TriggerAuthentication (a DNS-1123 subdomain)');
      if (t.authenticationRef?.kind !== undefined) {
        r.expect(['TriggerAuthentication', 'ClusterTriggerAuthentication'].includes(t.authenticationRef.kind), `${p}.authenticationRef.kind`,
          t.authenticationRef.kind, 'must be TriggerAuthentication or ClusterTriggerAuthentication (AuthenticationRef.Kind)');
      }
    }
    if (t?.metricType !== undefined) {
      r.expect(['AverageValue', 'Value', 'Utilization'].includes(t.metricType), `${p}.metricType`, t.metricType, 'must be AverageValue, Value or Utilization (ScaleTriggers.MetricType)');
    }
  });
}

export function checkScaledObject(r: Report, obj: any): void {
  const spec = obj.spec ?? {};
  r.expect(isDns1123Subdomain(spec.scaleTargetRef?.name), 'spec.scaleTargetRef.name', spec.scaleTargetRef?.name, 'scaleTargetRef.name is required (ScaleTarget.Name)');
  for (const f of ['minReplicaCount', 'maxReplicaCount', 'idleReplicaCount', 'pollingInterval', 'cooldownPeriod', 'initialCooldownPeriod']) {
    nonNegativeInt32(r, `spec.${f}`, spec[f], 'ScaledObjectSpec *int32');
  }
  const min = spec.minReplicaCount ?? 0;
  const max = spec.maxReplicaCount ?? DEFAULT_MAX_REPLICAS;
  r.expect(!(min > max), 'spec.minReplicaCount', spec.minReplicaCount, `MinReplicaCount=${min} must be less than MaxReplicaCount=${max} (CheckReplicaCountBoundsAreValid)`);
  if (spec.idleReplicaCount !== undefined) {
    r.expect(spec.idleReplicaCount < min, 'spec.idleReplicaCount', spec.idleReplicaCount,
      `IdleReplicaCount=${spec.idleReplicaCount} must be less than MinReplicaCount=${min} (CheckReplicaCountBoundsAreValid)`);
  }
  const fb = spec.fallback;
  if (fb !== undefined) {
    nonNegativeInt32(r, 'spec.fallback.failureThreshold', fb.failureThreshold, 'CheckFallbackValid');
    nonNegativeInt32(r, 'spec.fallback.replicas', fb.replicas, 'CheckFallbackValid');
  }
  const hpaConfig = spec.advanced?.horizontalPodAutoscalerConfig;
  const hpaName = hpaConfig?.name ?? `keda-hpa-${obj.metadata?.name}`;
  r.expect(isDns1123Subdomain(hpaName) && hpaName.length <= DNS1123_SUBDOMAIN_MAX, 'metadata.name', obj.metadata?.name,
    `the HPA KEDA creates is named ${JSON.stringify(hpaName)}, which must be a DNS-1123 subdomain <= 253 (controllers/keda/hpa.go getHPAName)`);
  checkBehavior(r, 'spec.advanced.horizontalPodAutoscalerConfig.behavior', hpaConfig?.behavior);
  checkTriggers(r, spec.triggers);
}

export function checkScaledJob(r: Report, obj: any): void {
  const spec = obj.spec ?? {};
  r.expect(isLabelValue(obj.metadata?.name), 'metadata.name', obj.metadata?.name,
    'must be <= 63 chars: KEDA labels every Job with scaledjob.keda.sh/name=<name>, a label value (IsValidLabelValue)');
  for (const f of ['minReplicaCount', 'maxReplicaCount', 'pollingInterval', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    nonNegativeInt32(r, `spec.${f}`, spec[f], 'ScaledJobSpec *int32');
  }
  const min = spec.minReplicaCount ?? 0;
  const max = spec.maxReplicaCount ?? DEFAULT_MAX_REPLICAS;
  r.expect(!(min > max), 'spec.minReplicaCount', spec.minReplicaCount, `MinReplicaCount=${min} must be less than MaxReplicaCount=${max} (CheckReplicaCountBoundsAreValid)`);
  checkJobSpec(r, 'spec.jobTargetRef', spec.jobTargetRef);
  checkTriggers(r, spec.triggers);
}

const POD_IDENTITY_PROVIDERS = ['none', 'azure', 'azure-workload', 'gcp', 'aws', 'aws-eks', 'aws-kiam'];

/** TriggerAuthentication / ClusterTriggerAuthentication spec (triggerauthentication_types.go). */
export function checkTriggerAuthentication(r: Report, obj: any): void {
  const spec = obj.spec ?? {};
  if (spec.podIdentity !== undefined) {
    r.expect(POD_IDENTITY_PROVIDERS.includes(spec.podIdentity?.provider), 'spec.podIdentity.provider', spec.podIdentity?.provider,
      `must be one of ${POD_IDENTITY_PROVIDERS.join(', ')} (PodIdentityProvider)`);
  }
  for (const list of ['secretTargetRef', 'env']) {
    (Array.isArray(spec[list]) ? spec[list] : []).forEach((e: any, i: number) => {
      r.expect(isString(e?.parameter) && e.parameter.length > 0, `spec.${list}[${i}].parameter`, e?.parameter, 'parameter is required');
      r.expect(isString(e?.name) && e.name.length > 0, `spec.${list}[${i}].name`, e?.name, 'name is required');
      if (list === 'secretTargetRef') {
        r.expect(isDns1123Subdomain(e?.name), `spec.${list}[${i}].name`, e?.name, 'must name a Secret (DNS-1123 subdomain)');
        r.expect(isString(e?.key) && /^[-._a-zA-Z0-9]+$/.test(e.key), `spec.${list}[${i}].key`, e?.key, 'must be a Secret key (IsConfigMapKey)');
      }
    });
  }
}
