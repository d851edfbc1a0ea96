import { ApiObject, GroupVersionKind } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Renders a core Kubernetes object through the typed k8s bindings' props, converted to JSON once, as
 * a plain `ApiObject`. The generated `Kube*` classes would redo that conversion (a walk over the whole
 * object) at every `toJson()`, and synth serializes each object several times (guardrails, cdk8s'
 * validation passes, output). The JSON is identical.
 */
export function kubeObject<P>(scope: Construct, id: string, gvk: GroupVersionKind, props: P,
  toJson: (props: P) => Record<string, any> | undefined): ApiObject {
  return new ApiObject(scope, id, { ...gvk, ...toJson(props) } as any);
}
