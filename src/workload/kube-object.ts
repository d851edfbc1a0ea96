import { ApiObject, ApiObjectProps, GroupVersionKind } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { apiObjectJson, UNUSUAL } from './serialize-json';

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
  return new RenderedObject(scope, id, { ...props, ...gvk } as ApiObjectProps);
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

/** Objects holding JSON serialized for the synth in progress (dropped at the next microtask). */
let held: RenderedObject[] = [];

/**
 * An object the library rendered. Its props are plain JSON (plus `Lazy` values), so it serializes
 * in one walk (`serialize`), and its JSON can be serialized once per synth for the synth-time
 * guardrails and handed to the synth itself (`serializeForSynth`).
 */
class RenderedObject extends ApiObject {
  private heldJson?: any;

  public constructor(scope: Construct, id: string, private readonly renderedProps: ApiObjectProps) {
    super(scope, id, renderedProps);
  }

  public toJson(): any {
    const json = this.heldJson;
    if (json !== undefined) {
      this.heldJson = undefined;
      return json;
    }
    return this.serialize();
  }

  /** @internal */
  public _serialize(hold: boolean): any {
    this.heldJson = undefined;
    const json = this.serialize();
    if (hold) {
      this.heldJson = json;
      if (held.push(this) === 1) queueMicrotask(releaseSynthJson);
    }
    return json;
  }

  /** @internal */
  public _release(): void {
    this.heldJson = undefined;
  }

  /** `ApiObject.toJson()`, in one walk where it can (see apiObjectJson). */
  private serialize(): any {
    const json = apiObjectJson(this, this.renderedProps);
    return json === UNUSUAL ? super.toJson() : json;
  }
}

/**
 * Serializes an object for a check that runs inside a synth (a validation), always afresh. With
 * `hold`, the object's next `toJson()` returns that same JSON instead of serializing again: cdk8s
 * serializes every object right after the validations, and the synth-time guardrails would
 * otherwise double the cost of a synth. Only for validations that run inside `chart.toJson()`,
 * `app.synth()` or `app.synthYaml()` (no user code runs between them and the serialization); the
 * JSON is used once, and whatever was not used is dropped at the next microtask (or by
 * `releaseSynthJson` when the synth fails). Objects not rendered by the library serialize as usual.
 */
export function serializeForSynth(o: ApiObject, hold: boolean): any {
  // not `instanceof`: ApiObject's Symbol.hasInstance makes every ApiObject an instance of RenderedObject
  return isRendered(o) ? o._serialize(hold) : o.toJson();
}

function isRendered(o: ApiObject): o is RenderedObject {
  return Object.getPrototypeOf(o) === RenderedObject.prototype;
}

/** Drops the JSON held by `serializeForSynth` (the next `toJson()` serializes again). */
export function releaseSynthJson(): void {
  const objects = held;
  held = [];
  for (const o of objects) o._release();
}
