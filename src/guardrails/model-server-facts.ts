/**
 * Internal: what the rendered objects say about model servers: which server a workload runs (its
 * `ml-autoscaling.io/model-server` annotation, else a well-known image) and which signal each HPA
 * metric or KEDA trigger reads (the workload's `ml-autoscaling.io/server-metrics` annotation, the
 * shared catalog, GPU metric names). Read by the model-server rules; facts only, no findings.
 */
import { MODEL_SERVER, SERVER_METRICS } from '../annotations';
import {
  Autoscaler, HPA, ManifestIndex, containersOf, hpaMetrics, isResourceTrigger, parseQuantity, podTemplateOf, triggersOf, workloadAnnotation,
} from './manifest';
import {
  DCGM_EXPORTER, SERVERS, ServerSpec, SignalKind, TRITON, apiNameOf, knownMetric, parseServerMetrics, serverById,
  serverForImage, seriesNamesInQuery,
} from '../model-server/server-catalog';

/** The model server a workload runs, as the manifests tell it. */
export interface WorkloadServer {
  /** The preset server, when it is one of the catalog's. */
  readonly spec?: ServerSpec;
  /** `vLLM`, `Triton`, or a custom server's annotated name. */
  readonly name: string;
  /** Whether it serves an LLM (Triton: only with its vLLM or TensorRT-LLM image). */
  readonly llm: boolean;
  /** How it was recognized, for messages: `annotation ml-autoscaling.io/model-server: vllm`, `image vllm/vllm-openai:v0.12.0`. */
  readonly how: string;
  /** The signal -> series map of the `ml-autoscaling.io/server-metrics` annotation (may be empty). */
  readonly declared: Partial<Record<SignalKind, string>>;
}

/** Whether an image's tag marks one of Triton's LLM images (`...-vllm-python-py3`, `...-trtllm-python-py3`). */
function tritonLlmTag(image: unknown): boolean {
  if (typeof image !== 'string') return false;
  const at = image.indexOf('@');
  const noDigest = (at >= 0 ? image.slice(0, at) : image).trim();
  return (TRITON.llmImageTags ?? []).some(re => re.test(noDigest));
}

/** The model server a workload (anything with a pod template) runs, or undefined when nothing says. */
export function serverOfWorkload(workload: any): WorkloadServer | undefined {
  const containers = containersOf(podTemplateOf(workload)?.spec);
  let byImage: { server: ServerSpec; llm: boolean; image: string } | undefined;
  for (let i = 0; i < containers.length; i++) {
    const image = containers[i].image;
    const found = typeof image === 'string' ? serverForImage(image) : undefined;
    if (found && (!byImage || (found.llm && !byImage.llm))) byImage = { ...found, image };
  }
  const declared = parseServerMetrics(workloadAnnotation(workload, SERVER_METRICS)) ?? {};
  const annotated = workloadAnnotation(workload, MODEL_SERVER)?.trim();
  if (annotated) {
    const how = `annotation ${MODEL_SERVER}: ${annotated}`;
    const spec = serverById(annotated.toLowerCase());
    if (!spec) return { name: annotated, llm: false, how, declared };
    const llm = spec.llm === true || (spec === TRITON && containers.some(c => tritonLlmTag(c.image)));
    return { spec, name: spec.displayName, llm, how, declared };
  }
  if (!byImage) return undefined;
  return { spec: byImage.server, name: byImage.server.displayName, llm: byImage.llm, how: `image ${byImage.image}`, declared };
}

/** GPU utilization series by name: DCGM's, Triton's, and hand-written names such as `gpu_utilization`. */
const GPU_UTILIZATION_NAME = /gpu[_-]?util|util.*gpu|DCGM_FI_DEV_GPU_UTIL|DCGM_FI_PROF_GR_ENGINE_ACTIVE|DCGM_FI_PROF_SM_ACTIVE/i;
/** GPU memory series by name. */
const GPU_MEMORY_NAME = /DCGM_FI_DEV_FB_USED|gpu[_-]?mem/i;

/** One series a metric or query reads, and the signal it measures. */
export interface SeriesReading {
  /** The name as written (series or API form). */
  readonly name: string;
  /** The exported series it stands for (`vllm:num_requests_waiting` for `vllm_num_requests_waiting`). */
  readonly series: string;
  readonly signal: SignalKind;
  /** Where the signal is known from: the workload's annotation, the catalog, or the name's shape (GPU names). */
  readonly via: 'declared' | 'catalog' | 'name';
}

/** The signal a metric or series name reads, or undefined for a name that is none of the known signals. */
export function readingOfName(name: unknown, declared: Partial<Record<SignalKind, string>> = {}): SeriesReading | undefined {
  if (typeof name !== 'string' || !name) return undefined;
  for (const [signal, series] of Object.entries(declared) as Array<[SignalKind, string]>) {
    if (name === series || name === apiNameOf(series)) return { name, series, signal, via: 'declared' };
  }
  const known = knownMetric(name);
  if (known) return { name, series: known.series, signal: known.signal, via: 'catalog' };
  if (GPU_MEMORY_NAME.test(name)) return { name, series: name, signal: SignalKind.GPU_MEMORY_USED, via: 'name' };
  if (GPU_UTILIZATION_NAME.test(name)) return { name, series: name, signal: SignalKind.GPU_UTILIZATION, via: 'name' };
  return undefined;
}

/** What one HPA metric or KEDA trigger scales on. */
export interface SignalRead {
  /** `cpu`/`memory` (Resource metrics, KEDA cpu/memory triggers), `series` (names or a query), `other`. */
  readonly kind: 'cpu' | 'memory' | 'series' | 'other';
  /** The series of known signals it reads. */
  readonly known: readonly SeriesReading[];
  /** Series it reads that are none of the known signals (request rates, external queues, ...). */
  readonly unknown: readonly string[];
  /** The metric name or the query, as written, for messages. */
  readonly text: string;
  readonly location: string;
  /** The target as written (HPA `averageValue`/`value`, KEDA `threshold`). */
  readonly target?: unknown;
  /** Where the target is. */
  readonly targetLocation?: string;
}

/** The name and target of an HPA Pods/Object/External metric (autoscaling/v2, and v2beta1's fields). */
function hpaCustomMetric(m: any): { name: unknown; target: unknown; targetField: string } | undefined {
  const key = m?.type === 'Pods' ? 'pods' : m?.type === 'Object' ? 'object' : m?.type === 'External' ? 'external' : undefined;
  const src = key ? m[key] : undefined;
  if (!key || !src || typeof src !== 'object') return undefined;
  const name = src.metric?.name ?? src.metricName;
  const t = src.target;
  if (t && typeof t === 'object') {
    const field = t.averageValue !== undefined && t.averageValue !== null ? 'averageValue' : 'value';
    return { name, target: t[field], targetField: `${key}.target.${field}` };
  }
  const old = ['targetAverageValue', 'targetValue'].find(f => src[f] !== undefined && src[f] !== null);
  return { name, target: old ? src[old] : undefined, targetField: `${key}.${old ?? 'target'}` };
}

/** What each metric of an HPA reads (autoscaling/v1 and an HPA without metrics read cpu). */
export function hpaReads(hpa: any, declared: Partial<Record<SignalKind, string>> = {}): SignalRead[] {
  return hpaMetrics(hpa).map(({ m, location }) => {
    if (m?.type === 'Resource' || m?.type === 'ContainerResource') {
      const name = (m.type === 'Resource' ? m.resource : m.containerResource)?.name;
      const kind = name === 'cpu' || name === 'memory' ? name : 'other';
      return { kind, known: [], unknown: [], text: `${String(name)} ${m.type === 'Resource' ? 'utilization' : 'container utilization'}`, location };
    }
    const custom = hpaCustomMetric(m);
    if (!custom || typeof custom.name !== 'string') return { kind: 'other', known: [], unknown: [], text: String(m?.type ?? '<no type>'), location };
    const reading = readingOfName(custom.name, declared);
    return {
      kind: 'series',
      known: reading ? [reading] : [],
      unknown: reading ? [] : [custom.name],
      text: custom.name,
      location,
      target: custom.target,
      targetLocation: `${location}.${custom.targetField}`,
    };
  });
}

/** What each trigger of a ScaledObject reads (prometheus queries by their series). */
export function triggerReads(triggers: readonly any[], declared: Partial<Record<SignalKind, string>> = {}): SignalRead[] {
  return triggers.map((t, i) => {
    const location = `spec.triggers[${i}]`;
    if (isResourceTrigger(t)) return { kind: t.type, known: [], unknown: [], text: `${t.type} trigger`, location };
    if (t?.type !== 'prometheus') return { kind: 'other', known: [], unknown: [], text: `${String(t?.type ?? '<no type>')} trigger`, location };
    const query = t.metadata?.query;
    const known: SeriesReading[] = [];
    const unknown: string[] = [];
    for (const name of seriesNamesInQuery(query)) {
      const reading = readingOfName(name, declared);
      if (reading) known.push(reading); else unknown.push(name);
    }
    return {
      kind: 'series',
      known,
      unknown,
      text: String(query ?? ''),
      location,
      target: t.metadata?.threshold,
      targetLocation: `${location}.metadata.threshold`,
    };
  });
}

/** A number written as a number or a string (metadata values), or undefined (an empty string is not 0). */
export function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** A Kubernetes quantity (`"0"`, `"0m"`, `"0.0"`, `5`), or undefined when unreadable. */
export function quantityOf(v: unknown): number | undefined {
  if (typeof v === 'string' && v.trim() === '') return undefined;
  const n = parseQuantity(v);
  return Number.isFinite(n) ? n : undefined;
}

/** The signals that say how busy the GPU is, not how much work waits. */
export function isGpuSignal(signal: SignalKind): boolean {
  return signal === SignalKind.GPU_UTILIZATION || signal === SignalKind.GPU_MEMORY_USED;
}

/** The series a server exports for a signal: the declared one, else the catalog's. */
export function seriesFor(server: WorkloadServer | undefined, signal: SignalKind): string | undefined {
  return server?.declared?.[signal] ?? server?.spec?.metrics.find(m => m.signal === signal)?.series;
}

/** The signal -> series map a workload declares (`ml-autoscaling.io/server-metrics`), or an empty map. */
export function declaredMetricsOf(workload: any): Partial<Record<SignalKind, string>> {
  return workload ? parseServerMetrics(workloadAnnotation(workload, SERVER_METRICS)) ?? {} : {};
}

/** Who exports a series, for messages: `vLLM`, `the DCGM exporter`, or the workload's server. */
export function exporterOf(reading: SeriesReading, server?: WorkloadServer): string {
  if (reading.via === 'declared') return server?.name ?? 'the model server';
  const preset = SERVERS.find(s => s.metrics.some(m => m.series === reading.series));
  if (preset) return preset.displayName;
  if (DCGM_EXPORTER.metrics.some(m => m.series === reading.series)) return 'the DCGM exporter';
  return server?.name ?? 'the GPU exporter';
}

/** The version an image tag names (`v0.10.1`, `0.9.2-cu124`), as [major, minor, patch], or undefined. */
export function imageVersion(image: unknown): [number, number, number] | undefined {
  if (typeof image !== 'string') return undefined;
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = noDigest.lastIndexOf(':');
  if (colon < 0 || colon < noDigest.lastIndexOf('/')) return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:$|[-+])/.exec(noDigest.slice(colon + 1));
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** Whether version `a` is older than the dotted version `b`. */
export function olderThan(a: [number, number, number], b: string): boolean {
  const parts = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const x = a[i];
    const y = parts[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

/** The model server a workload runs, once per check (see `ManifestIndex.memo`). */
export function workloadServer(index: ManifestIndex, workload: any): WorkloadServer | undefined {
  return workload ? index.memo('workloadServer', workload, serverOfWorkload) : undefined;
}

/** What an autoscaler's metrics or triggers read, judged with its workload's declared metrics, once per check. */
export function autoscalerReads(index: ManifestIndex, a: Autoscaler, workload: any): SignalRead[] {
  return index.memo('autoscalerReads', a, () => {
    const declared = workload ? index.memo('declaredMetrics', workload, declaredMetricsOf) : {};
    return a.kind === HPA ? hpaReads(a.obj, declared) : triggerReads(triggersOf(a.obj), declared);
  });
}
