/**
 * Internal: where a `KubernetesTarget` set with `KubernetesTarget.set` lives in the construct tree
 * (construct context), and how it is written into and read back from rendered autoscalers, so that
 * `lint` and the validation plugin judge the manifests for the target the app declared.
 */
import { IConstruct } from 'constructs';
import { FEATURE_GATES, KUBERNETES_VERSION } from '../annotations';

/** The construct-context key of the target. */
export const TARGET_CONTEXT_KEY = 'ml-autoscaling.io/kubernetes-target';

/** The target set on `scope` or an ancestor (`KubernetesTarget.set`), or undefined when none was. */
export function targetSetAbove(scope: IConstruct): unknown {
  return scope.node.tryGetContext(TARGET_CONTEXT_KEY);
}

/** What a target is written as on an autoscaler: the version and, if any, the explicit gates. */
export function targetAnnotationValues(version: string, featureGates: { [gate: string]: boolean }): { [key: string]: string } {
  const gates = Object.entries(featureGates).map(([g, on]) => `${g}=${on}`).join(',');
  return gates ? { [KUBERNETES_VERSION]: version, [FEATURE_GATES]: gates } : { [KUBERNETES_VERSION]: version };
}
