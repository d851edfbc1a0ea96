/**
 * Property-test harness: start from a valid props object of one public entry point, replace ONE prop (nested ones too,
 * plus an unknown key) with a hostile JavaScript value, and require that the entry point either
 *   - throws an Error (not a TypeError/RangeError/ReferenceError/SyntaxError from JavaScript internals) whose message
 *     holds where it happened (the construct path, e.g. `test/Svc`, or the entry point, e.g. `Metric.pods`), the prop
 *     (its last name segment) and the value; or
 *   - succeeds with output that passes the schema checks and the API-server rules (test/validate.ts validateAll), and
 *     the replaced value was acceptable: a value of the wrong JavaScript type, an unknown enum string or an unknown key
 *     must never produce output (no silent output).
 */
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import * as lib from '../../src';
import { validateAll } from '../validate';

export type PathSeg = string | number;
export type Path = PathSeg[];

/** What an entry point produced. */
export interface Output {
  /** Synthesized manifests: validated with the schemas and API rules. */
  readonly manifests?: any[];
  /** The cluster the manifests are for (the chart's `KubernetesTarget`). @default - the library's default */
  readonly target?: lib.KubernetesTarget;
  /** Any other result (simulator summaries, findings, ...): must hold no NaN/Infinity where numbers are expected. */
  readonly result?: unknown;
}

export interface EntryPoint {
  /** Report name, e.g. `GpuInferenceService` or `Metric.pods`. */
  readonly name: string;
  /** Text every error thrown by `make` must contain: the construct path or the entry point name. */
  readonly where: string;
  /** A fresh valid props object (for positional factories: the arguments by their parameter names). */
  readonly valid: () => any;
  /** Calls the entry point. Errors thrown here must name `where`. */
  readonly make: (props: any) => unknown;
  /**
   * Uses what `make` returned (a factory product) in a known-good host construct and synthesizes it. Errors thrown here
   * must name `hostWhere`. Constructors synthesize in `make` and have no `use`.
   */
  readonly use?: (made: any) => Output;
  readonly hostWhere?: string;
  /** Paths never replaced (e.g. a positional argument that is a fixed host value). */
  readonly skip?: (path: Path) => boolean;
  /** Whether to also try an unknown key next to the real ones (props objects only, not positional arguments). */
  readonly unknownKeys?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------------
// hostile values

/** Deterministic hostile values tried on every prop. */
export const SPECIALS: ReadonlyArray<unknown> = [
  null, undefined, NaN, Infinity, -Infinity, 2 ** 31, -1, 0, 0.5, 1e21, '', ' ', 'a'.repeat(300), 'Ünïcødé-名前-😀',
  'KEDA', 'keda', 'Job', true, [], [null], {}, { a: 1 }, () => 1,
];

/** Random hostile values. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...SPECIALS, -0, 2 ** 53, -(2 ** 31) - 1, 2 ** 31 - 1 + 0.5, 'a b', '\n', 'HPA', 'consumer ', 'TriggerAuthentication', '1', '-1',
    'true', 'null', 'Max', 'Percent', 'Utilization', [1, 'a'], new Date(0), Object.create(null)),
  fc.anything({
    withNullPrototype: true, withBigInt: false, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true,
  }),
  fc.string(), fc.fullUnicodeString(), fc.integer(), fc.double(), fc.array(fc.string(), { maxLength: 3 }),
);

// ---------------------------------------------------------------------------------------------------------------------
// paths and replacement

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Every replaceable path of a valid props object: plain objects and arrays are entered, class instances are leaves. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => { out.push([...prefix, i]); out.push(...pathsOf(v, [...prefix, i])); });
  } else if (isPlainObject(value)) {
    for (const k of Object.keys(value)) {
      if (value[k] === undefined) continue;
      out.push([...prefix, k]);
      out.push(...pathsOf(value[k], [...prefix, k]));
    }
  }
  return out;
}

/** A near-miss of a real key (a typo), not itself a key of the object. */
export function typoOf(obj: Record<string, unknown>): string | undefined {
  const keys = Object.keys(obj);
  for (const k of keys) {
    for (const t of [`${k}s`, k.slice(0, -1), k.toLowerCase() === k ? `${k[0].toUpperCase()}${k.slice(1)}` : k.toLowerCase()]) {
      if (t.length > 1 && !keys.includes(t)) return t;
    }
  }
  return undefined;
}

/** Unknown-key paths: one typo key per plain (struct-like) object whose keys look like prop names. */
export function typoPaths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    // maps (labels, env, metadata) have free-form keys: an extra key there is legal
    const struct = keys.length > 0 && keys.every(k => /^[a-z][A-Za-z0-9]*$/.test(k)) && !isMapPath(prefix);
    const typo = struct ? typoOf(value) : undefined;
    if (typo) out.push([...prefix, typo]);
    for (const k of keys) out.push(...typoPaths(value[k], [...prefix, k]));
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...typoPaths(v, [...prefix, i])));
  }
  return out;
}

/** Props whose value is a string map: unknown keys are data, not typos. */
const MAP_PROPS = new Set(['env', 'selectorLabels', 'podLabels', 'podAnnotations', 'nodeSelector', 'labels', 'serviceLabels',
  'matchLabels', 'metadata', 'metricsQueries', 'literalSecretValues', 'signals']);
function isMapPath(prefix: Path): boolean {
  const last = prefix[prefix.length - 1];
  return typeof last === 'string' && MAP_PROPS.has(last);
}

function clone(v: unknown): any {
  if (Array.isArray(v)) return v.map(clone);
  if (isPlainObject(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) o[k] = clone(v[k]);
    return o;
  }
  return v;
}

export function getPath(root: unknown, path: Path): unknown {
  let cur: any = root;
  for (const seg of path) cur = cur?.[seg];
  return cur;
}

export function setPath(root: unknown, path: Path, value: unknown): any {
  if (path.length === 0) return value;
  const copy = clone(root);
  let cur = copy;
  for (const seg of path.slice(0, -1)) cur = cur[seg];
  cur[path[path.length - 1]] = value;
  return copy;
}

export function showPath(path: Path): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || '(props)';
}

/** The last name segment of a path: what the error must name. */
export function propName(path: Path): string {
  const names = path.filter((s): s is string => typeof s === 'string');
  return names[names.length - 1] ?? 'props';
}

// ---------------------------------------------------------------------------------------------------------------------
// types and enums

/** The JavaScript type of a value, with arrays, null and class instances told apart. */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return isPlainObject(v) ? 'object' : `instance of ${(v as object).constructor?.name ?? '?'}`;
  return typeof v;
}

/** Whether `value` is of a different JavaScript type than `original` (recursing into arrays and common object keys). */
/** Manifest fields whose values are Kubernetes quantities: a number is as good as a string there. */
const QUANTITY_FIELDS = new Set(['averageValue', 'value', 'tolerance']);

export function wrongType(original: unknown, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const ko = kindOf(original);
  const kv = kindOf(value);
  if (ko !== kv) return `${kv} where the valid props had ${ko}`;
  if (Array.isArray(original) && Array.isArray(value) && original.length > 0) {
    for (const v of value) {
      const w = wrongType(original[0], v);
      if (w) return `an element: ${w}`;
    }
  }
  if (isPlainObject(original) && isPlainObject(value)) {
    for (const k of Object.keys(value)) {
      if (k in original) {
        const w = wrongType(original[k], value[k]);
        if (w) return `${k}: ${w}`;
      }
    }
  }
  return undefined;
}

/** String enums exported by the library: value -> the enum's values. */
const ENUMS: Map<string, { name: string; values: string[] }> = (() => {
  const m = new Map<string, { name: string; values: string[] }>();
  for (const [name, e] of Object.entries(lib)) {
    if (!e || typeof e !== 'object' || Array.isArray(e)) continue;
    const entries = Object.entries(e);
    if (entries.length === 0 || !entries.every(([k, v]) => /^[A-Z][A-Z0-9_]*$/.test(k) && typeof v === 'string')) continue;
    const values = entries.map(([, v]) => v as string);
    for (const v of values) if (!m.has(v)) m.set(v, { name, values });
  }
  return m;
})();

/** When `original` is an enum member: why `value` is not one (undefined when it is or when it's no enum prop). */
export function badEnum(original: unknown, value: unknown): string | undefined {
  if (typeof original !== 'string' || typeof value !== 'string') return undefined;
  const e = ENUMS.get(original);
  if (!e || e.values.includes(value)) return undefined;
  return `${JSON.stringify(value)} is not a ${e.name} (${e.values.join(', ')})`;
}

// ---------------------------------------------------------------------------------------------------------------------
// the check of one case

export function show(v: unknown): string {
  if (typeof v === 'string') return v.length > 60 ? `${JSON.stringify(v.slice(0, 40))}… (${v.length} chars)` : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'function') return `function ${v.toString().slice(0, 30)}`;
  if (typeof v === 'symbol' || typeof v === 'bigint') return String(v);
  try {
    return `${kindOf(v)} ${(JSON.stringify(v) ?? '').slice(0, 80)}`;
  } catch {
    return kindOf(v);
  }
}

/** How the error message must show the value, when it is a primitive (objects are not required). */
function valueTexts(v: unknown): string[] | undefined {
  if (typeof v === 'number') return [String(v), `${v}`];
  // a left-out prop may be reported as missing ("is required") rather than as "=undefined"
  if (v === undefined) return undefined;
  if (typeof v === 'boolean' || v === null) return [String(v)];
  if (typeof v === 'string') {
    const j = JSON.stringify(v);
    // a long value may be shortened: its start must show
    return v.length > 40 ? [j.slice(0, 21), v.slice(0, 20)] : [j, v];
  }
  return undefined;
}

const STRICT_FACTORIES = process.env.FUZZ_STRICT_FACTORIES === '1';

const JS_INTERNAL_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];

/** Checks an error thrown for the case; returns why it is not acceptable. */
function badError(e: unknown, where: string, path: Path, value: unknown, stage: string): string | undefined {
  if (!(e instanceof Error)) return `${stage} threw a non-Error: ${show(e)}`;
  const internal = JS_INTERNAL_ERRORS.find(c => e instanceof c);
  if (internal) return `${stage} threw a ${internal.name} (JavaScript internals, not a prop error): ${e.message.split('\n')[0]}`;
  const missing: string[] = [];
  if (!e.message.includes(where)) missing.push(`where (${where})`);
  const prop = propName(path);
  // an object with an unknown key is reported on that key (`[Trigger.kafka] a=1: is not a property of ...`)
  const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  if (!e.message.includes(prop) && !keys.some(k => e.message.includes(`${k}=`))) missing.push(`the prop (${prop})`);
  // secret values are never echoed: the message shows "<redacted>" instead
  const secret = path.indexOf('literalSecretValues');
  const texts = secret >= 0 && secret < path.length - 1 ? ['"<redacted>"'] : valueTexts(value);
  if (texts && !texts.some(t => e.message.includes(t))) missing.push(`the value (${texts[0]})`);
  if (missing.length > 0) return `${stage} threw an Error without ${missing.join(', ')}: ${e.message.split('\n')[0].slice(0, 300)}`;
  return undefined;
}

/** Finds NaN / Infinity anywhere in a non-manifest result. */
function nonFinite(v: unknown, path = 'result', seen = new Set<unknown>()): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${path} = ${v}`;
  if (v === null || typeof v !== 'object' || seen.has(v)) return undefined;
  seen.add(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < Math.min(v.length, 2000); i++) {
      const r = nonFinite(v[i], `${path}[${i}]`, seen);
      if (r) return r;
    }
    return undefined;
  }
  for (const [k, x] of Object.entries(v)) {
    const r = nonFinite(x, `${path}.${k}`, seen);
    if (r) return r;
  }
  return undefined;
}

/** Runs one case; returns a description of what is wrong, or undefined when the case is acceptable. */
export function runCase(ep: EntryPoint, path: Path, value: unknown, unknownKey = false): string | undefined {
  const valid = ep.valid();
  const original = unknownKey ? undefined : getPath(valid, path);
  const props = setPath(valid, path, value);
  let made: unknown;
  try {
    made = ep.make(props);
  } catch (e) {
    return badError(e, ep.where, path, value, ep.name);
  }
  let output: Output;
  if (ep.use) {
    try {
      output = ep.use(made);
    } catch (e) {
      // A factory that accepts a bad value leaves the error to the construct using its product: that error must name
      // the host construct's path instead. FUZZ_STRICT_FACTORIES=1 requires factories to reject bad values themselves.
      if (STRICT_FACTORIES && !(e instanceof Error && e.message.includes(ep.where))) {
        return `${ep.name} accepted the value; only its host construct rejected it: ${(e as Error).message?.split('\n')[0].slice(0, 200)}`;
      }
      return badError(e, ep.hostWhere ?? 'test/Host', path, value, `the host of ${ep.name}`);
    }
  } else {
    output = made as Output;
  }
  try {
    if (output?.manifests) validateAll(output.manifests, output.target);
  } catch (e) {
    return `synthesized output that breaks the schema/API rules: ${(e as Error).message.split('\n').slice(0, 4).join(' | ').slice(0, 500)}`;
  }
  const nf = output?.result === undefined ? undefined : nonFinite(output.result);
  if (nf) return `succeeded with a non-finite number in its result: ${nf}`;
  if (unknownKey) return `silent output: the unknown key ${showPath(path)} was ignored`;
  // Kubernetes quantities in manifests are int-or-string (YAML `averageValue: 10` loads as a number)
  const quantity = QUANTITY_FIELDS.has(String(path[path.length - 1])) && typeof value === 'number' && typeof original === 'string';
  const wt = quantity ? undefined : wrongType(original, value);
  if (wt) return `silent output: accepted ${wt}`;
  const be = badEnum(original, value);
  if (be) return `silent output: accepted ${be}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// the jest/fast-check driver

/** Failing values reported per prop (the loop over SPECIALS stops there). */
const MAX_FAILURES_SHOWN = 4;

/** Random cases per prop after the deterministic SPECIALS. */
export const RANDOM_RUNS_PER_PROP = Number(process.env.FUZZ_RUNS_PER_PROP ?? 6);
const SEED = process.env.FUZZ_SEED === undefined ? 20261207 : Number(process.env.FUZZ_SEED);

/**
 * Declares one jest test per replaceable prop of the entry point (and one per unknown key): every SPECIALS value, then
 * random hostile values. A failure lists the entry point, the prop, each failing value and what went wrong.
 */
export function fuzzEntryPoint(ep: EntryPoint): void {
  const valid = ep.valid();
  const paths = pathsOf(valid).filter(p => !ep.skip?.(p));
  const typos = ep.unknownKeys === false ? [] : typoPaths(valid).filter(p => !ep.skip?.(p));
  describe(ep.name, () => {
    test('the valid props synthesize cleanly', () => {
      expect(runCase(ep, [], valid)).toBeUndefined();
    });
    if (paths.length > 0) {
      test.each(paths.map(p => [showPath(p), p] as const))('%s', (_name, path) => {
        const failures: string[] = [];
        for (const v of SPECIALS) {
          const why = runCase(ep, path as Path, v);
          if (why) failures.push(`${ep.name} ${showPath(path as Path)} = ${show(v)}: ${why}`);
          // enough to show the problem; the rest would only cost time
          if (failures.length >= MAX_FAILURES_SHOWN) break;
        }
        if (failures.length === 0) {
          fc.assert(fc.property(hostile, v => {
            const why = runCase(ep, path as Path, v);
            if (why) throw new Error(`${ep.name} ${showPath(path as Path)} = ${show(v)}: ${why}`);
          }), { numRuns: RANDOM_RUNS_PER_PROP, seed: SEED, endOnFailure: true });
        }
        if (failures.length > 0) {
          throw new Error(`hostile values fail (first ${failures.length} shown, in SPECIALS order):\n  ${failures.join('\n  ')}`);
        }
      });
    }
    // (jest rejects test.each with an empty table: positional arguments have no unknown keys)
    if (typos.length > 0) {
      test.each(typos.map(p => [showPath(p), p] as const))('unknown key %s', (_name, path) => {
        const failures: string[] = [];
        for (const v of [1, 'x', true, {}]) {
          const why = runCase(ep, path as Path, v, true);
          if (why) failures.push(`${ep.name} ${showPath(path as Path)} = ${show(v)}: ${why}`);
        }
        if (failures.length > 0) throw new Error(failures.join('\n  '));
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// helpers for entry points

/**
 * Synthesizes a construct built by `build` under Testing.chart() (path `test/<id>`), for the target Kubernetes
 * version when given (set on the chart before `build`).
 */
export function synthOf(build: (chart: any) => void, target?: lib.KubernetesTargetProps): Output {
  const chart = Testing.chart();
  if (target) lib.KubernetesTarget.set(chart, target);
  build(chart);
  return { manifests: Testing.synth(chart), target: lib.KubernetesTarget.of(chart) };
}
