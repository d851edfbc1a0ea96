import { ApiObject, ApiObjectProps, GroupVersionKind } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * Renders an object written with the typed bindings' props (core `k8s.*` from cdk8s-plus-28, or
 * the KEDA bindings in imports/) as a plain `ApiObject`: the bindings serve as types only. Their
 * generated classes would convert the props at every `toJson()` (a walk that rebuilds each object
 * level key by key, about as costly as the rest of a synth), and only to turn `Quantity` and
 * `IntOrString` instances into their values and rename a few fields. The library writes those
 * values as JSON from the start (`quantity`, `intOrString`) and renders none of the renamed fields
 * (`hostIPC`, `setHostnameAsFQDN`, ...; test/workload/kube-object.test.ts checks the manifests
 * against the generated converters). cdk8s sorts the keys, so the manifests are identical.
 */
export function kubeObject<P extends object>(scope: Construct, id: string, gvk: GroupVersionKind, props: P): ApiObject {
  return new ApiObject(scope, id, { ...props, ...gvk } as ApiObjectProps);
}

/**
 * A quantity ("500m", "4Gi", "1") as it appears in JSON, typed as the bindings' `Quantity` so
 * that typed props accept it (see `kubeObject`; only for props rendered through it).
 */
export function quantity(value: string): k8s.Quantity {
  return value as unknown as k8s.Quantity;
}

/** A port name or number as it appears in JSON, typed as the bindings' `IntOrString` (see `quantity`). */
export function intOrString(value: string | number): k8s.IntOrString {
  return value as unknown as k8s.IntOrString;
}
