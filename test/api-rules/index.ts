/**
 * The API server's and the KEDA operator's output rules, checked on every synthesized object (test/validate.ts
 * validateObject calls assertApiRules after the schema check). Each rule names the upstream function it mirrors.
 */
import { checkHpa } from './autoscaling';
import { checkScaledJob, checkScaledObject, checkTriggerAuthentication } from './keda';
import { checkObjectMeta } from './metadata';
import { checkNumbers } from './numbers';
import { formatViolation, Report, Violation } from './violation';
import { checkDeployment, checkJobSpec, checkPdb, checkService } from './workloads';
import { KubernetesTarget } from '../../src';

export { Violation, formatViolation } from './violation';
export { hpaMinReplicasFloor } from './autoscaling';

/** The target of objects checked without one: the library's default (`KubernetesTarget.DEFAULT_VERSION`). */
const DEFAULT_TARGET = KubernetesTarget.forVersion();

const BY_KIND: Record<string, (r: Report, obj: any, target: KubernetesTarget) => void> = {
  Deployment: checkDeployment,
  Job: (r, obj) => checkJobSpec(r, 'spec', obj.spec),
  Service: checkService,
  PodDisruptionBudget: checkPdb,
  HorizontalPodAutoscaler: checkHpa,
  ScaledObject: checkScaledObject,
  ScaledJob: checkScaledJob,
  TriggerAuthentication: checkTriggerAuthentication,
  ClusterTriggerAuthentication: checkTriggerAuthentication,
};

/**
 * All violations of one object (empty when it passes), for the API server of `target` (feature gates change what
 * it accepts: minReplicas 0 needs HPAScaleToZero).
 */
export function apiRuleViolations(obj: any, target: KubernetesTarget = DEFAULT_TARGET): Violation[] {
  const r = new Report(`${obj?.kind}/${obj?.metadata?.name}`);
  checkObjectMeta(r, obj);
  BY_KIND[obj?.kind]?.(r, obj, target);
  checkNumbers(r, obj);
  return r.violations;
}

/** Throws with every violation of the object, one per line. */
export function assertApiRules(obj: any, target: KubernetesTarget = DEFAULT_TARGET): void {
  const v = apiRuleViolations(obj, target);
  if (v.length > 0) {
    throw new Error(`${obj?.kind} ${obj?.metadata?.name} breaks API server rules (${target}):\n  ${v.map(formatViolation).join('\n  ')}`);
  }
}
