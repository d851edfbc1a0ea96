import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DisruptionBudgetOptions } from './disruption-budget';
import { intOrString, kubeObject } from './kube-object';
import { check, checkDnsName, checkInteger, objectMeta } from '../errors';

/** Renders the PodDisruptionBudget (maxUnavailable 1 unless told otherwise). */
export function renderDisruptionBudget(scope: Construct, options: DisruptionBudgetOptions | undefined, ctx: {
  defaultName?: string; namespace?: string; selectorLabels: { [key: string]: string }; minReplicas: number;
}): ApiObject | undefined {
  const o = options ?? {};
  if (o.enabled === false) return undefined;
  check(o.minAvailable === undefined || o.maxUnavailable === undefined, scope, 'disruptionBudget.minAvailable',
    o.minAvailable, 'cannot be set together with maxUnavailable', 'set only one of minAvailable and maxUnavailable');
  checkInteger(scope, 'disruptionBudget.minAvailable', o.minAvailable, 0);
  checkInteger(scope, 'disruptionBudget.maxUnavailable', o.maxUnavailable, 1, Number.MAX_SAFE_INTEGER,
    'set maxUnavailable to at least 1 (0 blocks every drain), or disable the budget');
  checkDnsName(scope, 'disruptionBudget.name', o.name);
  // minAvailable >= the autoscaler's minimum is legal but blocks drains: the guardrail
  // ML-W-PDB-BLOCKS-DRAIN reports it at synth, for our PDBs and hand-written ones alike.
  const useMin = o.minAvailable !== undefined;
  return kubeObject<k8s.KubePodDisruptionBudgetProps>(scope, 'Pdb', k8s.KubePodDisruptionBudget.GVK, {
    metadata: objectMeta(o.name ?? ctx.defaultName, ctx.namespace),
    spec: {
      selector: { matchLabels: { ...ctx.selectorLabels } },
      minAvailable: useMin ? intOrString(o.minAvailable!) : undefined,
      maxUnavailable: useMin ? undefined : intOrString(o.maxUnavailable ?? 1),
    },
  });
}
