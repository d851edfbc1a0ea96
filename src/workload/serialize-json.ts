import { ApiObject, ApiObjectMetadataDefinition, App, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

/** Returned for an object the one-walk serialization leaves to `ApiObject.toJson()`. */
export const UNUSUAL = Symbol('unusual');

/**
 * What `ApiObject.toJson()` returns for `o`, whose props are `props`, computed in one walk per part
 * instead of cdk8s' `resolve` (a context object, a key path copy and three resolver calls per value)
 * followed by `sanitizeValue`, for the object and again for its metadata. `UNUSUAL` when the app has
 * resolvers other than cdk8s' defaults, or the props hold anything but JSON, `Lazy` values and
 * implicit tokens (objects with a `resolve()` method), or cdk8s' internals are not as expected:
 * the caller then uses `ApiObject.toJson()` itself. test/workload/kube-object.test.ts compares the two.
 */
export function apiObjectJson(o: ApiObject, props: { [key: string]: any }): any {
  const patches = (o as unknown as { patches?: JsonPatch[] }).patches;
  if (!Array.isArray(patches) || !hasDefaultResolvers(o)) return UNUSUAL;
  const sortKeys = !process.env.CDK8S_DISABLE_SORT;
  let json: any = {};
  try {
    // ApiObject.toJson(): { ...props, metadata: metadata.toJson() }, resolved and sanitized
    const metadata = metadataJson(o.metadata);
    if (metadata === UNUSUAL) return UNUSUAL;
    const keys = Object.keys(props);
    if (!('metadata' in props)) keys.push('metadata');
    if (sortKeys) sortStrings(keys);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const v = key === 'metadata' ? metadata : sanitized(props[key], sortKeys, false);
      if (v === UNUSUAL) return UNUSUAL;
      if (v !== undefined) json[key] = v;
    }
    if (patches.length > 0) json = JsonPatch.apply(json, ...patches);
  } catch (e) {
    throw new Error(`Failed serializing construct at path '${o.node.path}' with name '${o.name}': ${e}`);
  }
  // apiVersion, kind and metadata first, as ApiObject.toJson() orders them
  const result: { [key: string]: any } = {};
  if ('apiVersion' in json) result.apiVersion = json.apiVersion;
  if ('kind' in json) result.kind = json.kind;
  if ('metadata' in json) result.metadata = json.metadata;
  for (const k in json) {
    if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata') result[k] = json[k];
  }
  return result;
}

function hasDefaultResolvers(o: ApiObject): boolean {
  const resolvers = (App.of(o) as Partial<App>).resolvers;
  return Array.isArray(resolvers) && resolvers.length === 3 && resolvers[0] instanceof LazyResolver
    && resolvers[1] instanceof ImplicitTokenResolver && resolvers[2] instanceof NumberStringUnionResolver;
}

/** The fields `ApiObjectMetadataDefinition.toJson()` reads (not all of them public). */
const METADATA_FIELDS = ['_additionalAttributes', 'name', 'namespace', 'annotations', 'finalizers', 'ownerReferences', 'labels'];

function hasMetadataFields(m: any): boolean {
  for (let i = 0; i < METADATA_FIELDS.length; i++) if (!(METADATA_FIELDS[i] in m)) return false;
  return true;
}

/**
 * `ApiObjectMetadataDefinition.toJson()`: its fields resolved and sanitized with empty objects and
 * arrays left out and keys sorted.
 */
function metadataJson(metadata: ApiObjectMetadataDefinition): any {
  const m = metadata as any;
  if (!hasMetadataFields(m) || m._additionalAttributes === null || typeof m._additionalAttributes !== 'object') return UNUSUAL;
  return sanitized({
    ...m._additionalAttributes,
    name: m.name,
    namespace: m.namespace,
    annotations: m.annotations,
    finalizers: m.finalizers,
    ownerReferences: m.ownerReferences,
    labels: m.labels,
  }, true, true);
}

/**
 * cdk8s' `sanitizeValue(resolve(value), { sortKeys, filterEmptyArrays: filterEmpty, filterEmptyObjects:
 * filterEmpty })` with the default resolvers; `UNUSUAL` for class instances (number/string unions
 * included), which the caller leaves to cdk8s.
 */
function sanitized(value: any, sortKeys: boolean, filterEmpty: boolean): any {
  while (value !== null && (typeof value === 'object' || typeof value === 'function')) {
    if (value instanceof Lazy) value = value.produce();
    else if (typeof value.resolve === 'function') value = value.resolve();
    else break;
  }
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (filterEmpty && value.length === 0) return undefined;
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = sanitized(value[i], sortKeys, filterEmpty);
      if (v === UNUSUAL) return UNUSUAL;
      out[i] = v;
    }
    return out;
  }
  if (value.constructor !== Object) return UNUSUAL;
  const keys = Object.keys(value);
  if (sortKeys) sortStrings(keys);
  const out: { [key: string]: any } = {};
  let empty = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const v = sanitized(value[key], sortKeys, filterEmpty);
    if (v === UNUSUAL) return UNUSUAL;
    if (v !== undefined) {
      out[key] = v;
      empty = false;
    }
  }
  return filterEmpty && empty ? undefined : out;
}

/**
 * `keys.sort()`: the same order (UTF-16 code units, as the default sort compares strings), by
 * insertion for the few keys of a manifest object. The default sort converts and compares every
 * pair through its generic path and took most of the serialization time.
 */
function sortStrings(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > k) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = k;
  }
}
