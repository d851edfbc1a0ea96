/**
 * Internal: what the library knows about model servers and the DCGM exporter, as data: ports, health
 * endpoints, metrics endpoints and the metric names behind each scaling signal, for a stated upstream
 * version, each with its source. The public presets (`ModelServer`), the guardrails and the simulator
 * all read this one table (a lower room: it imports nothing of the library).
 */

import { SignalKind } from './signal-kind';

export { SignalKind };

/** A metric a server exports. */
export interface ServerMetric {
  /** The Prometheus series name as exported (may contain `:`). */
  readonly series: string;
  readonly signal: SignalKind;
  /** Unit of one series' value. */
  readonly unit: 'requests' | 'fraction' | 'percent' | 'MiB';
  /**
   * How the series of one pod combine into the pod's value: `sum` (engines of one pod share its queue),
   * `avg` (utilization over the pod's GPUs).
   */
  readonly podAggregation: 'sum' | 'avg';
  /** Series labels that narrow it (e.g. TRT-LLM's `request_type`). */
  readonly matchLabels?: { readonly [label: string]: string };
  /** Where the name, type and meaning were checked. */
  readonly source: string;
}

/** A metric name an older version exported and the stated version no longer does. */
export interface RetiredMetric {
  readonly series: string;
  /** The version that stopped exporting it. */
  readonly goneSince: string;
  /** What to use instead, if anything. */
  readonly replacement?: string;
  readonly source: string;
}

/** The model servers the presets cover. */
export type ServerId = 'vllm' | 'sglang' | 'tgi' | 'triton';

/** One model server, as of `version`. */
export interface ServerSpec {
  readonly id: ServerId;
  readonly displayName: string;
  /** The upstream version the facts were checked against. */
  readonly version: string;
  /**
   * Whether it serves LLMs: `true`, or `'backend'` when it depends on the backend (Triton: only its
   * vLLM and TensorRT-LLM images and backends).
   */
  readonly llm: true | 'backend';
  /** Image repositories (without registry-less aliases), matched before the tag. */
  readonly imageRepositories: readonly string[];
  /** Image tag suffixes that mean an LLM backend, for `llm: 'backend'`. */
  readonly llmImageTags?: readonly RegExp[];
  /** The HTTP port the image listens on by default. */
  readonly httpPort: number;
  /** The flag that changes it. */
  readonly portFlag: string;
  /** Metrics port when separate from the HTTP port. */
  readonly metricsPort?: number;
  /** The flag that changes the metrics port. */
  readonly metricsPortFlag?: string;
  readonly metricsPath: string;
  readonly livenessPath: string;
  readonly readinessPath: string;
  /** Flags the server needs for the library's use (metrics, reachable address), with why. */
  readonly requiredFlags: ReadonlyArray<{ readonly flag: string; readonly value?: string; readonly why: string }>;
  /** Flags that break the signals, with why. */
  readonly conflictingFlags: ReadonlyArray<{ readonly flag: string; readonly why: string }>;
  readonly metrics: readonly ServerMetric[];
  readonly retired: readonly RetiredMetric[];
  /** Labels the server puts on its series (the scrape adds namespace, pod, container, endpoint, job). */
  readonly labels: readonly string[];
  /** Where ports and endpoints were checked. */
  readonly sources: readonly string[];
}

const VLLM_LOGGERS = 'vllm/v1/metrics/loggers.py (v0.12.0 to v0.30.0); docs.vllm.ai/en/v0.12.0/usage/metrics/';

/**
 * vLLM, V1 engine. Names stable from v0.12.0 (the release that removed the names deprecated in 0.9.2).
 */
export const VLLM: ServerSpec = {
  id: 'vllm',
  displayName: 'vLLM',
  version: '0.12.0',
  llm: true,
  imageRepositories: ['vllm/vllm-openai', 'docker.io/vllm/vllm-openai'],
  httpPort: 8000,
  portFlag: '--port',
  metricsPath: '/metrics',
  livenessPath: '/health',
  readinessPath: '/health',
  requiredFlags: [],
  conflictingFlags: [],
  metrics: [
    { series: 'vllm:num_requests_waiting', signal: SignalKind.QUEUE_SIZE, unit: 'requests', podAggregation: 'sum', source: VLLM_LOGGERS },
    { series: 'vllm:num_requests_running', signal: SignalKind.BATCH_SIZE, unit: 'requests', podAggregation: 'sum', source: VLLM_LOGGERS },
    // "KV-cache usage. 1 means 100 percent usage." (a fraction despite the name); one series per engine
    { series: 'vllm:kv_cache_usage_perc', signal: SignalKind.KV_CACHE_USAGE, unit: 'fraction', podAggregation: 'avg', source: VLLM_LOGGERS },
  ],
  retired: [
    {
      series: 'vllm:gpu_cache_usage_perc',
      goneSince: '0.12.0',
      replacement: 'vllm:kv_cache_usage_perc',
      source: 'vLLM PR #18354 (renamed in 0.9.2), PR #24245 (hidden in 0.11), PR #29330 (removed in 0.12.0)',
    },
    { series: 'vllm:gpu_prefix_cache_queries', goneSince: '0.12.0', replacement: 'vllm:prefix_cache_queries', source: 'vLLM PR #29330' },
    { series: 'vllm:gpu_prefix_cache_hits', goneSince: '0.12.0', replacement: 'vllm:prefix_cache_hits', source: 'vLLM PR #29330' },
    { series: 'vllm:num_requests_swapped', goneSince: '0.11.0', source: 'vLLM PR #15458 (V0 only; V0 removed in 0.11.0)' },
    { series: 'vllm:cpu_cache_usage_perc', goneSince: '0.11.0', source: 'vLLM PR #15458 (V0 only; V0 removed in 0.11.0)' },
    { series: 'vllm:gpu_prefix_cache_hit_rate', goneSince: '0.11.0', source: 'vLLM PR #15458 (V0 only)' },
    { series: 'vllm:cpu_prefix_cache_hit_rate', goneSince: '0.11.0', source: 'vLLM PR #15458 (V0 only)' },
    { series: 'vllm:time_in_queue_requests', goneSince: '0.11.0', replacement: 'vllm:request_queue_time_seconds', source: 'vLLM PR #15458 (V0 only)' },
  ],
  labels: ['model_name', 'engine'],
  sources: [
    'docs.vllm.ai/en/v0.12.0/cli/serve/ (--port, default 8000)',
    'vllm/entrypoints/serve/instrumentator/health.py (GET /health, 503 when the engine is dead)',
    'docs.vllm.ai/en/v0.32.0/usage/metrics/ (/metrics on the API server port)',
  ],
};

const SGLANG_COLLECTOR = 'python/sglang/srt/metrics/collector.py (SchedulerMetricsCollector, 0.5.x); docs.sglang.io production metrics';

/** SGLang 0.5.x. */
export const SGLANG: ServerSpec = {
  id: 'sglang',
  displayName: 'SGLang',
  version: '0.5',
  llm: true,
  imageRepositories: ['lmsysorg/sglang', 'docker.io/lmsysorg/sglang'],
  httpPort: 30000,
  portFlag: '--port',
  metricsPath: '/metrics',
  livenessPath: '/health',
  readinessPath: '/health_generate',
  requiredFlags: [
    { flag: '--enable-metrics', why: 'SGLang serves /metrics only with --enable-metrics (default off)' },
    { flag: '--host', value: '0.0.0.0', why: 'SGLang binds 127.0.0.1 by default, so probes and scrapes from outside the pod fail' },
  ],
  conflictingFlags: [
    {
      flag: '--enable-metrics-for-all-schedulers',
      why: 'it records the scheduler gauges once per tensor-parallel rank, so summing a pod\'s series counts each request once per rank',
    },
  ],
  metrics: [
    { series: 'sglang:num_queue_reqs', signal: SignalKind.QUEUE_SIZE, unit: 'requests', podAggregation: 'sum', source: SGLANG_COLLECTOR },
    { series: 'sglang:num_running_reqs', signal: SignalKind.BATCH_SIZE, unit: 'requests', podAggregation: 'sum', source: SGLANG_COLLECTOR },
    { series: 'sglang:token_usage', signal: SignalKind.KV_CACHE_USAGE, unit: 'fraction', podAggregation: 'avg', source: SGLANG_COLLECTOR },
  ],
  retired: [],
  labels: ['model_name', 'engine_type', 'tp_rank', 'pp_rank', 'dp_rank'],
  sources: [
    'python/sglang/srt/server_args.py (port 30000, host 127.0.0.1, enable_metrics False)',
    'python/sglang/srt/entrypoints/http_server.py (GET /health and /health_generate, 503 while starting)',
    'docs.sglang.io/docs/references/production_metrics (/metrics on the server port with --enable-metrics)',
  ],
};

const TGI_METRICS = 'docs/source/reference/metrics.md @ v3.3.7; backends/v3/src/queue.rs and backend.rs';

/** Hugging Face Text Generation Inference 3.3.7 (in maintenance mode since December 2025). */
export const TGI: ServerSpec = {
  id: 'tgi',
  displayName: 'TGI',
  version: '3.3.7',
  llm: true,
  imageRepositories: ['ghcr.io/huggingface/text-generation-inference'],
  // the launcher defaults to 3000, but the image sets ENV PORT=80
  httpPort: 80,
  portFlag: '--port',
  metricsPath: '/metrics',
  livenessPath: '/health',
  readinessPath: '/health',
  requiredFlags: [],
  conflictingFlags: [],
  metrics: [
    { series: 'tgi_queue_size', signal: SignalKind.QUEUE_SIZE, unit: 'requests', podAggregation: 'sum', source: TGI_METRICS },
    { series: 'tgi_batch_current_size', signal: SignalKind.BATCH_SIZE, unit: 'requests', podAggregation: 'sum', source: TGI_METRICS },
  ],
  retired: [],
  labels: [],
  sources: [
    'launcher/src/main.rs @ v3.3.7 (--port, default 3000) and Dockerfile @ v3.3.7 (ENV PORT=80)',
    'router/src/server.rs @ v3.3.7 (GET /health, 503 when down; GET /metrics on the serving port)',
  ],
};

const TRITON_METRICS = 'docs/user_guide/metrics.md @ v2.71.0; core/src/metrics.cc';
const TRTLLM_METRICS = 'tensorrtllm_backend README "Triton metrics" (TensorRT-LLM backend only)';

/** NVIDIA Triton Inference Server 2.71.0 (NGC 26.07). */
export const TRITON: ServerSpec = {
  id: 'triton',
  displayName: 'Triton',
  version: '2.71.0',
  llm: 'backend',
  imageRepositories: ['nvcr.io/nvidia/tritonserver'],
  llmImageTags: [/-vllm-python-py3$/, /-trtllm-python-py3$/],
  httpPort: 8000,
  portFlag: '--http-port',
  metricsPort: 8002,
  metricsPortFlag: '--metrics-port',
  metricsPath: '/metrics',
  livenessPath: '/v2/health/live',
  readinessPath: '/v2/health/ready',
  requiredFlags: [],
  conflictingFlags: [{ flag: '--allow-metrics=false', why: 'it turns off the metrics endpoint' }],
  metrics: [
    // per model (labels model, version); the same as the queue size (metrics.md)
    { series: 'nv_inference_pending_request_count', signal: SignalKind.QUEUE_SIZE, unit: 'requests', podAggregation: 'sum', source: TRITON_METRICS },
    {
      series: 'nv_trt_llm_request_metrics',
      signal: SignalKind.BATCH_SIZE,
      unit: 'requests',
      podAggregation: 'sum',
      matchLabels: { request_type: 'active' },
      source: TRTLLM_METRICS,
    },
    {
      series: 'nv_trt_llm_kv_cache_block_metrics',
      signal: SignalKind.KV_CACHE_USAGE,
      unit: 'fraction',
      podAggregation: 'avg',
      matchLabels: { kv_cache_block_type: 'fraction' },
      source: TRTLLM_METRICS,
    },
    { series: 'nv_gpu_utilization', signal: SignalKind.GPU_UTILIZATION, unit: 'fraction', podAggregation: 'avg', source: TRITON_METRICS },
  ],
  retired: [],
  labels: ['model', 'version'],
  sources: [
    'src/command_line_parser.h @ v2.71.0 (http 8000, metrics 8002); src/grpc/grpc_server.h (grpc 8001)',
    'deploy/k8s-onprem/templates/deployment.yaml @ v2.71.0 (/v2/health/live, /v2/health/ready)',
    'docs/user_guide/metrics.md @ v2.71.0 (http://localhost:8002/metrics)',
  ],
};

/** Every preset server. */
export const SERVERS: readonly ServerSpec[] = [VLLM, SGLANG, TGI, TRITON];

/** The server with this id. */
export function serverById(id: string): ServerSpec | undefined {
  return SERVERS.find(s => s.id === id);
}

const DCGM_CSV = 'etc/default-counters.csv @ NVIDIA/dcgm-exporter 4.5.3-4.8.2';

/**
 * NVIDIA's DCGM exporter 4.8.x (4.5.3-4.8.2). Per-pod labels need Kubernetes attribution
 * (`DCGM_EXPORTER_KUBERNETES=true`, set by its Helm chart, and the kubelet pod-resources socket). 4.9.0
 * renames the default metrics and changes utilization to a 0..1 ratio: name the metric explicitly there.
 */
export const DCGM_EXPORTER = {
  version: '4.8.x',
  port: 9400,
  metrics: [
    { series: 'DCGM_FI_DEV_GPU_UTIL', signal: SignalKind.GPU_UTILIZATION, unit: 'percent', podAggregation: 'avg', source: DCGM_CSV },
    { series: 'DCGM_FI_DEV_FB_USED', signal: SignalKind.GPU_MEMORY_USED, unit: 'MiB', podAggregation: 'sum', source: DCGM_CSV },
  ] as readonly ServerMetric[],
  /** The pod's labels on the series: with the exporter's ServiceMonitor at `honorLabels: true`. */
  honoredLabels: { pod: 'pod', namespace: 'namespace' },
  /** ... and with the Helm chart's default `honorLabels: false` (Prometheus renames the clashing labels). */
  exportedLabels: { pod: 'exported_pod', namespace: 'exported_namespace' },
  sources: [
    'pkg/cmd/app.go @ 4.5.3-4.8.2 (--kubernetes / DCGM_EXPORTER_KUBERNETES, listen :9400)',
    'internal/pkg/transformation/const.go (pod, namespace, container labels)',
    'deployment/values.yaml @ 4.5.3-4.8.2 (serviceMonitor.honorLabels: false)',
  ],
} as const;

/** Every known metric: the servers' and the DCGM exporter's. */
export const KNOWN_METRICS: readonly ServerMetric[] = [...SERVERS.flatMap(s => s.metrics), ...DCGM_EXPORTER.metrics];

/**
 * The name a custom/external metrics API serves a series under: `:` becomes `_` (Kubernetes accepts
 * `:`, but it is reserved for recording rules in Prometheus and trips tools along the way), so
 * `vllm:num_requests_waiting` is served as `vllm_num_requests_waiting`.
 */
export function apiNameOf(series: string): string {
  return series.replace(/:/g, '_');
}

/** Known metrics by series name and by API name. */
const KNOWN_BY_NAME = new Map<string, ServerMetric>();
for (const m of KNOWN_METRICS) {
  KNOWN_BY_NAME.set(m.series, m);
  if (!KNOWN_BY_NAME.has(apiNameOf(m.series))) KNOWN_BY_NAME.set(apiNameOf(m.series), m);
}

/** The known metric a series name or an API metric name refers to. */
export function knownMetric(name: string): ServerMetric | undefined {
  return KNOWN_BY_NAME.get(name);
}

/** Retired metrics by series name and by API name, with their server. */
const RETIRED_BY_NAME = new Map<string, { server: ServerSpec; metric: RetiredMetric }>();
for (const server of SERVERS) {
  for (const metric of server.retired) {
    for (const name of [metric.series, apiNameOf(metric.series)]) {
      if (!RETIRED_BY_NAME.has(name)) RETIRED_BY_NAME.set(name, { server, metric });
    }
  }
}

/** The retired metric a series name or an API metric name refers to, with its server. */
export function retiredMetric(name: string): { server: ServerSpec; metric: RetiredMetric } | undefined {
  return RETIRED_BY_NAME.get(name);
}

/** PromQL words that look like names but are not series. */
const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and',
  'or', 'unless', 'inf', 'nan', 'atan2', 'start', 'end']);

/**
 * The series names a PromQL query reads: not string literals, label matchers, label lists, range or
 * offset durations, function names or keywords.
 */
export function seriesNamesInQuery(query: unknown): string[] {
  if (typeof query !== 'string') return [];
  const bare = query
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ')
    .replace(/\boffset\s+-?[0-9a-zA-Z]+/gi, ' ');
  const names: string[] = [];
  for (const m of bare.matchAll(/(?<![0-9.a-zA-Z_:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (m[2] || PROMQL_WORDS.has(m[1].toLowerCase())) continue;
    if (!names.includes(m[1])) names.push(m[1]);
  }
  return names;
}


/** The known metrics a PromQL query reads. */
export function knownMetricsInQuery(query: string): ServerMetric[] {
  const found: ServerMetric[] = [];
  for (const token of seriesNamesInQuery(query)) {
    const m = KNOWN_BY_NAME.get(token);
    if (m && m.series !== token) continue; // a series name, not an API name
    if (m && !found.includes(m)) found.push(m);
  }
  return found;
}

/** The retired metrics a PromQL query reads. */
export function retiredMetricsInQuery(query: string): Array<{ server: ServerSpec; metric: RetiredMetric }> {
  const found: Array<{ server: ServerSpec; metric: RetiredMetric }> = [];
  for (const token of seriesNamesInQuery(query)) {
    const r = retiredMetric(token);
    if (r && !found.some(f => f.metric === r.metric)) found.push(r);
  }
  return found;
}

/** The image's repository: without tag or digest (`nvcr.io/nvidia/tritonserver:26.07-py3` -> `nvcr.io/nvidia/tritonserver`). */
function repositoryOf(image: string): { repository: string; tag: string } {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon > slash) return { repository: noDigest.slice(0, colon), tag: noDigest.slice(colon + 1) };
  return { repository: noDigest, tag: '' };
}

/** Each server's image repositories without their registry host (`ghcr.io/huggingface/x` -> `huggingface/x`). */
const IMAGE_PATHS = SERVERS.map(server => ({ server, paths: server.imageRepositories.map(r => r.replace(/^[^/]+[.:][^/]*\//, '')) }));

/**
 * The preset server an image runs, by its repository, and whether that image serves an LLM (Triton:
 * only its vLLM and TensorRT-LLM images).
 */
export function serverForImage(image: string): { server: ServerSpec; llm: boolean } | undefined {
  if (typeof image !== 'string') return undefined;
  const { repository, tag } = repositoryOf(image.trim());
  for (const { server, paths } of IMAGE_PATHS) {
    // the repository itself, or a mirror of it (`123.dkr.ecr.us-east-1.amazonaws.com/vllm/vllm-openai`)
    if (!server.imageRepositories.includes(repository) && !paths.some(p => repository === p || repository.endsWith(`/${p}`))) continue;
    const llm = server.llm === true || (server.llmImageTags ?? []).some(re => re.test(tag));
    return { server, llm };
  }
  return undefined;
}

/**
 * The signal -> series map of the `ml-autoscaling.io/server-metrics` annotation, or undefined when the
 * text is not such a map (unknown signal names and non-string series are dropped).
 */
export function parseServerMetrics(text: unknown): Partial<Record<SignalKind, string>> | undefined {
  if (typeof text !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const out: Partial<Record<SignalKind, string>> = {};
  const kinds = Object.values(SignalKind) as string[];
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (kinds.includes(k) && typeof v === 'string' && v.length > 0) out[k as SignalKind] = v;
  }
  return out;
}
