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

export { Violation, formatViolation } from './violation';
export { HPA_MIN_REPLICAS_FLOOR } from './autoscaling';

const BY_KIND: Record<string, (r: Report, obj: any) => void> = {
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

/** All violations of one object (empty when it passes). */
export function apiRuleViolations(obj: any): Violation[] {
  const r = new Report(`${obj?.kind}/${obj?.metadata?.name}`);
  checkObjectMeta(r, obj);
  BY_KIND[obj?.kind]?.(r, obj);
  checkNumbers(r, obj);
  return r.violations;
}

/** Throws with every violation of the object, one per line. */
export function assertApiRules(obj: any): void {
  const v = apiRuleViolations(obj);
  if (v.length > 0) {
    throw new Error(`${obj?.kind} ${obj?.metadata?.name} breaks API server rules:\n  ${v.map(formatViolation).join('\n  ')}`);
  }
}
