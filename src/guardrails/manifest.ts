/**
 * Internal helpers that read facts from rendered Kubernetes/KEDA objects (plain JSON as synthesized
 * or loaded from YAML). Not part of the public API: the rules import them, the index does not.
 */
import { MAX_PROCESSING_SECONDS, MODEL_LOAD_SECONDS, REQUEST_BUFFERING } from '../annotations';

/** Kinds whose pods come from `spec.template`. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'ReplicationController', 'Rollout']);

/** Kinds an HPA or a ScaledObject can target and whose replicas we understand. */
export const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Rollout']);

export const HPA = 'HorizontalPodAutoscaler';
export const SCALED_OBJECT = 'ScaledObject';
export const SCALED_JOB = 'ScaledJob';
/** KEDA HTTP add-on: creates (and owns) a ScaledObject for its workload. */
export const HTTP_SCALED_OBJECT = 'HTTPScaledObject';

/** The namespace of an object; objects without one share the same (default) namespace. */
export function nsOf(obj: any): string {
  const ns = obj?.metadata?.namespace;
  return typeof ns === 'string' ? ns : '';
}

export function nameOf(obj: any): string {
  const n = obj?.metadata?.name;
  return typeof n === 'string' ? n : '<unnamed>';
}

export function annotationsOf(obj: any): Record<string, string> {
  const a = obj?.metadata?.annotations;
  return a && typeof a === 'object' ? a : {};
}

/** `-n ns` for kubectl, or nothing when the manifest does not name a namespace. */
export function nsFlag(obj: any): string {
  const ns = nsOf(obj);
  return ns ? ` -n ${ns}` : '';
}

/** "ns/name" or "name" (no namespace in the manifest). */
export function qualifiedName(obj: any): string {
  const ns = nsOf(obj);
  return ns ? `${ns}/${nameOf(obj)}` : nameOf(obj);
}

/** "Kind ns/name" for messages. */
export function describe(obj: any): string {
  return `${obj?.kind ?? '<no kind>'} ${qualifiedName(obj)}`;
}

/** The lower-case plural kubectl understands for common kinds. */
export function kubectlResource(kind: string): string {
  const known: Record<string, string> = {
    HorizontalPodAutoscaler: 'hpa',
    ScaledObject: 'scaledobject',
    ScaledJob: 'scaledjob',
    PodDisruptionBudget: 'pdb',
    Deployment: 'deployment',
    StatefulSet: 'statefulset',
    ConfigMap: 'configmap',
    Service: 'service',
  };
  return known[kind] ?? kind.toLowerCase();
}

/** The pod template of a workload-like object (spec.template, CronJob's job template, ScaledJob's job target). */
export function podTemplateOf(obj: any): any | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  const kind = obj.kind;
  if (TEMPLATE_KINDS.has(kind)) return obj.spec?.template;
  if (kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template;
  if (kind === SCALED_JOB) return obj.spec?.jobTargetRef?.template;
  if (kind === 'Pod') return { metadata: obj.metadata, spec: obj.spec };
  return undefined;
}

/** JSON path of the pod spec inside the object, for locations in findings. */
export function podSpecPath(obj: any): string {
  switch (obj?.kind) {
    case 'CronJob': return 'spec.jobTemplate.spec.template.spec';
    case SCALED_JOB: return 'spec.jobTargetRef.template.spec';
    case 'Pod': return 'spec';
    default: return 'spec.template.spec';
  }
}

const NONE: readonly any[] = Object.freeze([]);

/**
 * The entries of a list that are objects (manifests from YAML may hold anything). Read-only: the
 * list itself when every entry is an object (the usual case, and the rules ask for it many times
 * per object), else a filtered copy.
 */
function objectsIn(list: unknown): any[] {
  if (!Array.isArray(list)) return NONE as any[];
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (!x || typeof x !== 'object') return list.filter(c => c && typeof c === 'object');
  }
  return list;
}

export function containersOf(podSpec: any): any[] {
  return objectsIn(podSpec?.containers);
}

export function initContainersOf(podSpec: any): any[] {
  return objectsIn(podSpec?.initContainers);
}

/** Reads an annotation from the pod template first, then from the workload itself. */
export function workloadAnnotation(obj: any, key: string): string | undefined {
  const t = podTemplateOf(obj);
  const fromTemplate = t?.metadata?.annotations?.[key];
  if (fromTemplate !== undefined && fromTemplate !== null) return String(fromTemplate);
  const own = annotationsOf(obj)[key];
  return own !== undefined && own !== null ? String(own) : undefined;
}

function secondsAnnotation(obj: any, key: string): number | undefined {
  const raw = workloadAnnotation(obj, key);
  if (raw === undefined) return undefined;
  const n = Number(String(raw).trim().replace(/s$/, ''));
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Declared model load time (cold start) in seconds, from the `ml-autoscaling.io/model-load-seconds` annotation. */
export function modelLoadSeconds(obj: any): number | undefined {
  return secondsAnnotation(obj, MODEL_LOAD_SECONDS);
}

/** Declared maximum processing time of one work item, in seconds. */
export function maxProcessingSeconds(obj: any): number | undefined {
  return secondsAnnotation(obj, MAX_PROCESSING_SECONDS);
}

export function requestBuffering(obj: any): boolean {
  return String(workloadAnnotation(obj, REQUEST_BUFFERING) ?? '').toLowerCase() === 'true';
}

const QUANTITY_SUFFIXES: Record<string, number> = {
  '': 1,
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 1024,
  'Mi': 1024 ** 2,
  'Gi': 1024 ** 3,
  'Ti': 1024 ** 4,
  'Pi': 1024 ** 5,
  'Ei': 1024 ** 6,
};

/** Parsed quantities: a fleet repeats the same few ("1", "4Gi", "2000m") thousands of times. */
const parsedQuantities = new Map<string, number>();

/** Parses a Kubernetes quantity ("500m", "4Gi", "1", 2) into a number of base units; NaN when unreadable. */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return NaN;
  const known = parsedQuantities.get(q);
  if (known !== undefined) return known;
  const m = /^\s*([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)\s*([a-zA-Z]*)\s*$/.exec(q);
  const mult = m ? QUANTITY_SUFFIXES[m[2]] : undefined;
  const value = m && mult !== undefined && Object.prototype.hasOwnProperty.call(QUANTITY_SUFFIXES, m[2]) ? Number(m[1]) * mult : NaN;
  if (parsedQuantities.size < 10_000) parsedQuantities.set(q, value);
  return value;
}

/** Extended resources are fully-qualified names outside the kubernetes.io domain (nvidia.com/gpu, amd.com/gpu). */
export function isExtendedResource(name: string): boolean {
  const slash = name.indexOf('/');
  if (slash < 0) return false;
  const domain = name.slice(0, slash);
  return !(domain === 'kubernetes.io' || domain.endsWith('.kubernetes.io') || name.startsWith('requests.'));
}

/** Default GPU resource names: NVIDIA (incl. MIG and shared), AMD, Intel. */
export const DEFAULT_GPU_RESOURCE_PATTERNS: RegExp[] = [
  /^nvidia\.com\/(gpu|mig-.*|gpu\.shared)$/,
  /^amd\.com\/gpu$/,
  /^gpu\.intel\.com\/.+$/,
];

/** Resource names checked against DEFAULT_GPU_RESOURCE_PATTERNS (a fleet repeats the same few). */
const defaultGpuNames = new Map<string, boolean>();

export function isGpuResource(name: string, extraNames: readonly string[] = []): boolean {
  if (extraNames.length > 0 && extraNames.includes(name)) return true;
  let gpu = defaultGpuNames.get(name);
  if (gpu === undefined) {
    gpu = DEFAULT_GPU_RESOURCE_PATTERNS.some(re => re.test(name));
    if (defaultGpuNames.size < 10_000) defaultGpuNames.set(name, gpu);
  }
  return gpu;
}

/** GPUs of one container: the limit, or the request when no limit is written. */
function containerGpus(c: any, extraNames: readonly string[]): number {
  const limits = c?.resources?.limits ?? {};
  const requests = c?.resources?.requests ?? {};
  let total = 0;
  for (const name in limits) {
    if (!isGpuResource(name, extraNames)) continue;
    const v = parseQuantity(limits[name] ?? requests[name]);
    if (Number.isFinite(v)) total += v;
  }
  for (const name in requests) {
    if (name in limits || !isGpuResource(name, extraNames)) continue;
    const v = parseQuantity(requests[name]);
    if (Number.isFinite(v)) total += v;
  }
  return total;
}

/** GPUs one pod claims: the sum over containers, or the largest init container if more. */
export function gpusPerPod(podSpec: any, extraNames: readonly string[] = []): number {
  const containers = containersOf(podSpec);
  let main = 0;
  for (let i = 0; i < containers.length; i++) main += containerGpus(containers[i], extraNames);
  const init = initContainersOf(podSpec);
  let largestInit = 0;
  for (let i = 0; i < init.length; i++) largestInit = Math.max(largestInit, containerGpus(init[i], extraNames));
  return Math.max(main, largestInit);
}

/** Whether a container requests a resource (a limit alone defaults the request to it). */
export function containerRequests(c: any, resource: string): boolean {
  const req = parseQuantity(c?.resources?.requests?.[resource]);
  const lim = parseQuantity(c?.resources?.limits?.[resource]);
  return (Number.isFinite(req) && req > 0) || (Number.isFinite(lim) && lim > 0);
}

/** Whether a LimitRange in the namespace gives containers a default request or limit for the resource. */
export function limitRangeDefaults(objects: any[], ns: string, resource: string): boolean {
  return objects.some(o => o?.kind === 'LimitRange' && nsOf(o) === ns &&
    (o.spec?.limits ?? []).some((l: any) => l?.type === 'Container' &&
      (parseQuantity(l.defaultRequest?.[resource]) > 0 || parseQuantity(l.default?.[resource]) > 0)));
}

/** Label selector match (matchLabels and matchExpressions). An empty selector matches everything. */
export function selectorMatches(selector: any, labels: Record<string, string> | undefined): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (l[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values: string[] = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(l[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(l[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** A Service's plain `selector` map matched against pod labels (an empty selector selects nothing). */
export function serviceSelects(service: any, labels: Record<string, string> | undefined): boolean {
  const sel = service?.spec?.selector;
  if (!sel || typeof sel !== 'object' || Object.keys(sel).length === 0) return false;
  const l = labels ?? {};
  return Object.entries(sel).every(([k, v]) => l[k] === v);
}

function groupOf(apiVersion: string | undefined, kind: string): string {
  if (apiVersion && typeof apiVersion === 'string') {
    return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  }
  // missing apiVersion: infer the usual group of the kind
  if (['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet'].includes(kind)) return 'apps';
  if (kind === 'Rollout') return 'argoproj.io';
  return '';
}

/** What an autoscaler scales. */
export interface TargetRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

export function targetKey(t: TargetRef): string {
  return `${t.group}|${t.kind}|${t.namespace}|${t.name}`;
}

export function objectTargetKey(obj: any): string {
  return targetKey({ group: groupOf(obj?.apiVersion, obj?.kind), kind: obj?.kind, name: nameOf(obj), namespace: nsOf(obj) });
}

/** An HPA, ScaledObject or ScaledJob with its resolved defaults. */
export interface Autoscaler {
  readonly obj: any;
  readonly kind: string;
  /** Undefined for ScaledJobs (they create Jobs, they do not scale a workload). */
  readonly target?: TargetRef;
  readonly min: number;
  readonly max: number;
  /** Undefined when the manifest does not say (defaults are reflected in min/max). */
  readonly minWritten: boolean;
}

/** Whether an HPA was generated by KEDA for a ScaledObject (e.g. manifests dumped from a cluster). */
export function isKedaGeneratedHpa(hpa: any): boolean {
  const owners: any[] = hpa?.metadata?.ownerReferences ?? [];
  if (owners.some(o => o?.kind === SCALED_OBJECT)) return true;
  return Boolean(hpa?.metadata?.labels?.['scaledobject.keda.sh/name']);
}

function num(v: unknown, dflt: number): number {
  if (v === undefined || v === null || v === '') return dflt;
  const n = Number(v);
  return Number.isFinite(n) ? n : dflt;
}

/** Every autoscaler in the list, with KEDA/HPA defaults applied (HPA min 1; KEDA min 0, max 100). */
export function autoscalersOf(objects: any[]): Autoscaler[] {
  const result: Autoscaler[] = [];
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    if (!o || typeof o !== 'object') continue;
    if (o.kind === HPA && String(o.apiVersion ?? '').startsWith('autoscaling/')) {
      if (isKedaGeneratedHpa(o)) continue;
      const ref = o.spec?.scaleTargetRef ?? {};
      result.push({
        obj: o,
        kind: HPA,
        target: ref.name ? { group: groupOf(ref.apiVersion, ref.kind ?? ''), kind: ref.kind ?? '', name: ref.name, namespace: nsOf(o) } : undefined,
        min: num(o.spec?.minReplicas, 1),
        max: num(o.spec?.maxReplicas, 0),
        minWritten: o.spec?.minReplicas !== undefined,
      });
    } else if (o.kind === SCALED_OBJECT && String(o.apiVersion ?? '').startsWith('keda.sh/')) {
      const ref = o.spec?.scaleTargetRef ?? {};
      const kind = ref.kind ?? 'Deployment';
      result.push({
        obj: o,
        kind: SCALED_OBJECT,
        target: ref.name ? { group: groupOf(ref.apiVersion, kind), kind, name: ref.name, namespace: nsOf(o) } : undefined,
        min: num(o.spec?.minReplicaCount, 0),
        max: num(o.spec?.maxReplicaCount, 100),
        minWritten: o.spec?.minReplicaCount !== undefined,
      });
    } else if (o.kind === HTTP_SCALED_OBJECT && String(o.apiVersion ?? '').startsWith('http.keda.sh/')) {
      const ref = o.spec?.scaleTargetRef ?? {};
      const kind = ref.kind ?? 'Deployment';
      const name = ref.name ?? ref.deployment;
      result.push({
        obj: o,
        kind: HTTP_SCALED_OBJECT,
        target: name ? { group: groupOf(ref.apiVersion, kind), kind, name, namespace: nsOf(o) } : undefined,
        min: num(o.spec?.replicas?.min, 0),
        max: num(o.spec?.replicas?.max, 100),
        minWritten: o.spec?.replicas?.min !== undefined,
      });
    } else if (o.kind === SCALED_JOB && String(o.apiVersion ?? '').startsWith('keda.sh/')) {
      result.push({
        obj: o,
        kind: SCALED_JOB,
        min: num(o.spec?.minReplicaCount, 0),
        max: num(o.spec?.maxReplicaCount, 100),
        minWritten: o.spec?.minReplicaCount !== undefined,
      });
    }
  }
  return result;
}

interface LabelIndex {
  /** Objects whose selector requires the label pair "key=value". */
  readonly byPair: Map<string, Array<[number, any]>>;
  /** Objects whose selector has no matchLabels (expressions only, or empty): always candidates. */
  readonly unkeyed: Array<[number, any]>;
}

/**
 * Indexes the objects once per run so rules stay near-linear on large manifests: by kind,
 * workloads by target key, autoscaler targets (cached), and PDBs/Services by selector labels.
 */
export class ManifestIndex {
  public readonly autoscalers: Autoscaler[];
  /** The objects that carry a pod template (workloads, ScaledJobs, Pods, CronJobs), in order. */
  public readonly podObjects: any[] = [];
  private readonly workloads = new Map<string, any>();
  private readonly looseWorkloads = new Map<string, any>();
  private readonly kinds = new Map<string, any[]>();
  private readonly targets = new Map<Autoscaler, any>();
  private readonly labelIndexes = new Map<string, Map<string, LabelIndex>>();
  private readonly memos = new Map<string, Map<unknown, unknown>>();

  constructor(public readonly objects: any[]) {
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i];
      if (!o || typeof o !== 'object') continue;
      const list = this.kinds.get(o.kind);
      if (list) list.push(o); else this.kinds.set(o.kind, [o]);
      if (!podTemplateOf(o)) continue;
      this.podObjects.push(o);
      if (o.kind !== SCALED_JOB && o.kind !== 'Pod') {
        this.workloads.set(objectTargetKey(o), o);
        const loose = `${o.kind}|${nsOf(o)}|${nameOf(o)}`;
        if (!this.looseWorkloads.has(loose)) this.looseWorkloads.set(loose, o);
      }
    }
    this.autoscalers = autoscalersOf(objects);
  }

  /**
   * A fact several rules derive from one object (what an autoscaler's metrics read, which server a
   * workload runs), computed once per check: the index lives for one check of one set of objects.
   */
  public memo<K, T>(fact: string, key: K, compute: (key: K) => T): T {
    let facts = this.memos.get(fact);
    if (!facts) this.memos.set(fact, facts = new Map());
    if (facts.has(key)) return facts.get(key) as T;
    const value = compute(key);
    facts.set(key, value);
    return value;
  }

  /** The workload an autoscaler targets, when it is among the objects. */
  public targetOf(a: Autoscaler): any | undefined {
    if (!a.target) return undefined;
    if (this.targets.has(a)) return this.targets.get(a);
    // exact group/kind/name, else tolerate a scaleTargetRef without apiVersion group (e.g. "v1")
    const found = this.workloads.get(targetKey(a.target)) ??
      this.looseWorkloads.get(`${a.target.kind}|${a.target.namespace}|${a.target.name}`);
    this.targets.set(a, found);
    return found;
  }

  /** Autoscalers (HPA, ScaledObject) that scale this workload. */
  public autoscalersOf(workload: any): Autoscaler[] {
    return this.autoscalers.filter(a => a.target && this.targetOf(a) === workload);
  }

  /** The pod spec an autoscaler scales (the target's, or the ScaledJob's own). */
  public podSpecOf(a: Autoscaler): any | undefined {
    if (a.kind === SCALED_JOB) return podTemplateOf(a.obj)?.spec;
    const t = this.targetOf(a);
    return t ? podTemplateOf(t)?.spec : undefined;
  }

  /** Objects of one kind, in document order. */
  public byKind(kind: string): any[] {
    return this.kinds.get(kind) ?? [];
  }

  /** PodDisruptionBudgets in the workload's namespace whose selector matches its pod labels. */
  public pdbsSelecting(workload: any): any[] {
    const labels = podTemplateOf(workload)?.metadata?.labels;
    return this.candidates('PodDisruptionBudget', nsOf(workload), labels, pdb => pdb.spec?.selector?.matchLabels)
      .filter(pdb => selectorMatches(pdb.spec?.selector, labels));
  }

  /** Services in the workload's namespace whose selector selects its pods. */
  public servicesSelecting(workload: any): any[] {
    const labels = podTemplateOf(workload)?.metadata?.labels;
    return this.candidates('Service', nsOf(workload), labels, svc => svc.spec?.selector)
      .filter(svc => serviceSelects(svc, labels));
  }

  private candidates(kind: string, ns: string, labels: Record<string, string> | undefined,
    required: (o: any) => Record<string, unknown> | undefined): any[] {
    let perNs = this.labelIndexes.get(kind);
    if (!perNs) {
      perNs = new Map();
      const objects = this.byKind(kind);
      // key each object by its rarest required label pair, so common labels do not make everything a candidate
      const frequency = new Map<string, number>();
      const pairsOf = objects.map(o => Object.entries(required(o) ?? {}).map(([k, v]) => `${nsOf(o)}|${k}=${String(v)}`));
      for (const pairs of pairsOf) for (const p of pairs) frequency.set(p, (frequency.get(p) ?? 0) + 1);
      objects.forEach((o, i) => {
        const key = nsOf(o);
        let idx = perNs!.get(key);
        if (!idx) perNs!.set(key, idx = { byPair: new Map(), unkeyed: [] });
        const pairs = pairsOf[i];
        if (pairs.length === 0) {
          idx.unkeyed.push([i, o]);
        } else {
          const rarest = pairs.reduce((a, b) => (frequency.get(b)! < frequency.get(a)! ? b : a));
          const pair = rarest.slice(key.length + 1);
          const list = idx.byPair.get(pair);
          if (list) list.push([i, o]); else idx.byPair.set(pair, [[i, o]]);
        }
      });
      this.labelIndexes.set(kind, perNs);
    }
    const idx = perNs.get(ns);
    if (!idx) return [];
    const found: Array<[number, any]> = [...idx.unkeyed];
    for (const [k, v] of Object.entries(labels ?? {})) found.push(...(idx.byPair.get(`${k}=${String(v)}`) ?? []));
    return found.sort((a, b) => a[0] - b[0]).map(([, o]) => o);
  }
}

/**
 * The metrics an HPA scales on, with their location. autoscaling/v1 has only
 * targetCPUUtilizationPercentage, and an HPA without metrics defaults to 80% cpu utilization.
 */
export function hpaMetrics(hpa: any): Array<{ m: any; location: string }> {
  const cpu = (utilization: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: utilization } } });
  if (hpa.apiVersion === 'autoscaling/v1') {
    return [{ m: cpu(hpa.spec?.targetCPUUtilizationPercentage ?? 80), location: 'spec.targetCPUUtilizationPercentage' }];
  }
  const metrics = hpa.spec?.metrics;
  if (metrics === undefined || metrics === null || (Array.isArray(metrics) && metrics.length === 0)) {
    return [{ m: cpu(80), location: 'spec.metrics' }];
  }
  return Array.isArray(metrics) ? metrics.map((m, i) => ({ m, location: `spec.metrics[${i}]` })) : [];
}

/** Triggers of a ScaledObject or ScaledJob. */
export function triggersOf(obj: any): any[] {
  return objectsIn(obj?.spec?.triggers);
}

export function isResourceTrigger(trigger: any): boolean {
  return trigger?.type === 'cpu' || trigger?.type === 'memory';
}

/** Integer seconds from a manifest field with a default. */
export function seconds(v: unknown, dflt: number): number {
  return num(v, dflt);
}
