import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DisruptionBudgetOptions } from './disruption-budget';
import { intOrString, kubeObject } from './kube-object';
import { check, objectMeta, propError } from '../errors';

/**
 * Renders the PodDisruptionBudget (maxUnavailable 1 unless told otherwise), from options already
 * checked against `DISRUPTION_BUDGET`.
 */
export function renderDisruptionBudget(scope: Construct, options: DisruptionBudgetOptions | undefined, ctx: {
  defaultName?: string;
  defaultNameProp?: string;
  defaultNameValue?: string;
  namespace?: string;
  selectorLabels: { [key: string]: string };
  minReplicas: number;
}): ApiObject | undefined {
  const o = options ?? {};
  if (o.enabled === false) {
    const ignored = (['minAvailable', 'maxUnavailable', 'name'] as const).find(k => o[k] !== undefined);
    if (ignored !== undefined) {
      throw propError(scope, `disruptionBudget.${ignored}`, o[ignored], 'is ignored: enabled is false, so no PodDisruptionBudget is created',
        `remove ${ignored}, or remove enabled: false`);
    }
    return undefined;
  }
  check(o.minAvailable === undefined || o.maxUnavailable === undefined, scope, 'disruptionBudget.minAvailable',
    o.minAvailable, 'cannot be set together with maxUnavailable', 'set only one of minAvailable and maxUnavailable');
  const name = o.name ?? ctx.defaultName;
  if (o.name === undefined && name !== undefined && name.length > 253) {
    throw propError(scope, ctx.defaultNameProp ?? 'name', ctx.defaultNameValue,
      `makes the PodDisruptionBudget name "${name}" of ${name.length} characters (at most 253)`,
      `shorten ${ctx.defaultNameProp ?? 'name'}, or set disruptionBudget.name`);
  }
  // minAvailable >= the autoscaler's minimum is legal but blocks drains: the guardrail
  // ML-W-PDB-BLOCKS-DRAIN reports it at synth, for our PDBs and hand-written ones alike.
  // At minReplicas 0 (KEDA, or an HPA with HPAScaleToZero) the default maxUnavailable 1 is right at
  // every size: at zero pods the budget has nothing to protect, at one pod a drain may evict it (the
  // autoscaler brings it back). A user's minAvailable >= 1 is kept as written: it blocks drains
  // whenever the service is down to one pod, which the same guardrail reports (it judges a minimum
  // of 0 as 1, the smallest size at which pods exist).
  const useMin = o.minAvailable !== undefined;
  return kubeObject<k8s.KubePodDisruptionBudgetProps>(scope, 'Pdb', k8s.KubePodDisruptionBudget.GVK, {
    metadata: objectMeta(name, ctx.namespace),
    spec: {
      selector: { matchLabels: { ...ctx.selectorLabels } },
      minAvailable: useMin ? intOrString(o.minAvailable!) : undefined,
      maxUnavailable: useMin ? undefined : intOrString(o.maxUnavailable ?? 1),
    },
  });
}
