import { SGLANG, ServerSpec, TGI, TRITON, VLLM } from './server-catalog';
import { SignalKind } from './signal-kind';
import { boolean, checkProps, optional, Shape, string, StringFormat } from '../validate/check';
import { DNS1123_LABEL_NAME, HTTP_PATH } from '../validate/formats';
import { PORT } from '../workload/probes-check';

/** A Prometheus series name as a server exports it (`:` allowed, as in `vllm:num_requests_waiting`). */
const SERIES_NAME: StringFormat = {
  description: 'a Prometheus metric name (letters, digits, "_" and ":", not starting with a digit)',
  test: v => (/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(v) ? undefined : 'is not a Prometheus metric name'),
  fix: () => 'give the series name exactly as the server exports it, e.g. "inference_queue_depth"',
};

/**
 * A model server you run yourself (e.g. the article's own inference server): where it serves, where
 * it reports health and metrics, and which of its metrics measure which signal.
 */
export interface CustomModelServerProps {
  /** Short name, written on the pods (`ml-autoscaling.io/model-server`); a DNS-1123 label, e.g. `ml-inference`. */
  readonly name: string;
  /** The HTTP port it serves requests on. */
  readonly httpPort: number;
  /**
   * The port of its Prometheus metrics endpoint, when not the HTTP port.
   * @default - the HTTP port
   */
  readonly metricsPort?: number;
  /**
   * Path of the metrics endpoint.
   * @default "/metrics"
   */
  readonly metricsPath?: string;
  /**
   * Liveness (and startup) probe path.
   * @default "/health"
   */
  readonly livenessPath?: string;
  /**
   * Readiness probe path.
   * @default "/ready"
   */
  readonly readinessPath?: string;
  /**
   * Whether it serves a large language model (continuous batching keeps the GPU busy whatever the
   * load, so GPU utilization is no scaling signal for it).
   * @default false
   */
  readonly llm?: boolean;
  /**
   * Gauge of requests waiting, per pod (e.g. the article's `inference_queue_depth`).
   * @default - none: `ScalingSignal.queueSize` is an error with this server
   */
  readonly queueSizeMetric?: string;
  /**
   * Gauge of requests being processed, per pod.
   * @default - none: `ScalingSignal.batchSize` is an error with this server
   */
  readonly batchSizeMetric?: string;
  /**
   * Gauge of the KV-cache share in use, a fraction 0..1.
   * @default - none: `ScalingSignal.kvCacheUsage` is an error with this server
   */
  readonly kvCacheUsageMetric?: string;
}

const CUSTOM_PROPS: Shape<CustomModelServerProps> = {
  name: string({ format: DNS1123_LABEL_NAME }),
  httpPort: PORT,
  metricsPort: optional(PORT),
  metricsPath: optional(string({ format: HTTP_PATH })),
  livenessPath: optional(string({ format: HTTP_PATH })),
  readinessPath: optional(string({ format: HTTP_PATH })),
  llm: optional(boolean()),
  queueSizeMetric: optional(string({ format: SERIES_NAME })),
  batchSizeMetric: optional(string({ format: SERIES_NAME })),
  kvCacheUsageMetric: optional(string({ format: SERIES_NAME })),
};

/** A flag the server's command line must (or must not) carry, and why. */
export interface ServerFlag {
  /** The flag, e.g. `--enable-metrics`. */
  readonly flag: string;
  /**
   * Its value, when one is needed.
   * @default - a switch without value
   */
  readonly value?: string;
  /** Why. */
  readonly reason: string;
}

/**
 * A model server preset: its serving port, health endpoints, metrics endpoint, the flags the library
 * relies on, and the metric names behind each scaling signal, for a stated upstream version. Give it
 * to `GpuInferenceService`, `HybridMlService` or `QueueBatchWorker` as `modelServer`: ports and probes
 * follow from it (unless the props set them), and `ScalingSignal`s render the right metric.
 *
 * Every name, port and path is checked against the upstream source or docs cited on each factory.
 */
export class ModelServer {
  /**
   * vLLM (V1 engine, 0.12.0 or later; names unchanged through v0.30): port 8000 (`--port`),
   * liveness and readiness `GET /health`, metrics on `/metrics` of the same port (always on).
   * Queue size `vllm:num_requests_waiting`, batch size `vllm:num_requests_running`, KV-cache usage
   * `vllm:kv_cache_usage_perc` (a fraction 0..1; `vllm:gpu_cache_usage_perc` was removed in 0.12.0);
   * labels `model_name`, `engine`.
   *
   * Sources: docs.vllm.ai/en/v0.12.0/cli/serve/; vllm/entrypoints/serve/instrumentator/health.py;
   * vllm/v1/metrics/loggers.py; docs.vllm.ai/en/v0.32.0/usage/metrics/.
   */
  public static vllm(): ModelServer {
    return ModelServer.fromSpec(VLLM);
  }

  /**
   * SGLang 0.5: port 30000 (`--port`), liveness `GET /health`, readiness `GET /health_generate`
   * (503 while starting), metrics on `/metrics` of the same port **only with `--enable-metrics`**,
   * and it binds 127.0.0.1 unless `--host 0.0.0.0`: both flags are required in `args` (an error
   * otherwise). Queue size `sglang:num_queue_reqs`, batch size `sglang:num_running_reqs`, KV-cache
   * usage `sglang:token_usage`; labels `model_name`, `engine_type`, `tp_rank`, `pp_rank`. Without
   * `--enable-metrics-for-all-schedulers` (an error with a preset: it repeats the gauges per rank)
   * only tensor-parallel rank 0 records them, so a pod's series sum to its requests.
   *
   * Sources: python/sglang/srt/server_args.py; python/sglang/srt/entrypoints/http_server.py;
   * python/sglang/srt/metrics/collector.py; docs.sglang.io/docs/references/production_metrics.
   */
  public static sglang(): ModelServer {
    return ModelServer.fromSpec(SGLANG);
  }

  /**
   * Hugging Face Text Generation Inference 3.3.7 (maintenance mode since December 2025): the image
   * listens on port 80 (`ENV PORT=80`; the launcher's own default is 3000), liveness and readiness
   * `GET /health`, metrics on `/metrics` of the serving port. Queue size `tgi_queue_size`, batch
   * size `tgi_batch_current_size`; no KV-cache metric; no labels of its own.
   *
   * Sources: launcher/src/main.rs, Dockerfile, router/src/server.rs and
   * docs/source/reference/metrics.md at v3.3.7.
   */
  public static tgi(): ModelServer {
    return ModelServer.fromSpec(TGI);
  }

  /**
   * NVIDIA Triton Inference Server 2.71.0 (NGC 26.07): HTTP 8000 (`--http-port`), liveness
   * `GET /v2/health/live`, readiness `GET /v2/health/ready`, metrics on port 8002 (`--metrics-port`)
   * `/metrics`. Queue size `nv_inference_pending_request_count` (per model: labels `model`,
   * `version`); with the TensorRT-LLM backend, batch size `nv_trt_llm_request_metrics{request_type="active"}`
   * and KV-cache usage `nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type="fraction"}`. An LLM
   * server only with an LLM backend (the `-vllm-python-py3` and `-trtllm-python-py3` images).
   *
   * Sources: src/command_line_parser.h, deploy/k8s-onprem/templates/deployment.yaml and
   * docs/user_guide/metrics.md at v2.71.0; core/src/metrics.cc; tensorrtllm_backend README.
   */
  public static triton(): ModelServer {
    return ModelServer.fromSpec(TRITON);
  }

  /**
   * Your own server, e.g. the article's: `ModelServer.custom({ name: 'ml-inference', httpPort: 8080,
   * metricsPort: 8000, queueSizeMetric: 'inference_queue_depth' })`.
   */
  public static custom(props: CustomModelServerProps): ModelServer {
    checkProps('ModelServer.custom', 'CustomModelServerProps', CUSTOM_PROPS, props);
    if (props.metricsPort !== undefined && props.metricsPort === props.httpPort) {
      // one port: leave metricsPort out
      return ModelServer.custom({ ...props, metricsPort: undefined });
    }
    const metrics: Partial<Record<SignalKind, string>> = {};
    if (props.queueSizeMetric) metrics[SignalKind.QUEUE_SIZE] = props.queueSizeMetric;
    if (props.batchSizeMetric) metrics[SignalKind.BATCH_SIZE] = props.batchSizeMetric;
    if (props.kvCacheUsageMetric) metrics[SignalKind.KV_CACHE_USAGE] = props.kvCacheUsageMetric;
    return new ModelServer({
      name: props.name,
      displayName: props.name,
      httpPort: props.httpPort,
      metricsPort: props.metricsPort,
      metricsPath: props.metricsPath ?? '/metrics',
      livenessPath: props.livenessPath ?? '/health',
      readinessPath: props.readinessPath ?? '/ready',
      llm: props.llm ?? false,
      requiredFlags: [],
      conflictingFlags: [],
      metrics,
    });
  }

  private static fromSpec(spec: ServerSpec): ModelServer {
    const metrics: Partial<Record<SignalKind, string>> = {};
    const selectors: Partial<Record<SignalKind, { [label: string]: string }>> = {};
    for (const m of spec.metrics) {
      if (m.signal === SignalKind.GPU_UTILIZATION || m.signal === SignalKind.GPU_MEMORY_USED) continue;
      metrics[m.signal] = m.series;
      if (m.matchLabels) selectors[m.signal] = { ...m.matchLabels };
    }
    return new ModelServer({
      name: spec.id,
      displayName: spec.displayName,
      version: spec.version,
      httpPort: spec.httpPort,
      portFlag: spec.portFlag,
      metricsPort: spec.metricsPort,
      metricsPortFlag: spec.metricsPortFlag,
      metricsPath: spec.metricsPath,
      livenessPath: spec.livenessPath,
      readinessPath: spec.readinessPath,
      llm: spec.llm === true,
      llmDependsOnImage: spec.llm === 'backend',
      requiredFlags: spec.requiredFlags.map(f => ({ flag: f.flag, value: f.value, reason: f.why })),
      conflictingFlags: spec.conflictingFlags.map(f => ({ flag: f.flag, reason: f.why })),
      metrics,
      selectors,
    });
  }

  /** `vllm`, `sglang`, `tgi`, `triton`, or the custom server's name. */
  public readonly name: string;
  /** Display name, e.g. `vLLM`. */
  public readonly displayName: string;
  /**
   * The upstream version the preset was checked against.
   * @default - none for a custom server
   */
  public readonly version?: string;
  /** The HTTP port the server listens on by default. */
  public readonly httpPort: number;
  /**
   * The server flag that moves the HTTP port (`--port`).
   * @default - none for a custom server
   */
  public readonly portFlag?: string;
  /**
   * The metrics port when it is not the HTTP port (Triton: 8002).
   * @default - metrics on the HTTP port
   */
  public readonly metricsPort?: number;
  /**
   * The server flag that moves the metrics port.
   * @default - none
   */
  public readonly metricsPortFlag?: string;
  /** Path of the metrics endpoint. */
  public readonly metricsPath: string;
  /** Liveness (and startup) probe path. */
  public readonly livenessPath: string;
  /** Readiness probe path. */
  public readonly readinessPath: string;
  /** Whether it serves an LLM (for Triton: see `llmDependsOnImage`). */
  public readonly llm: boolean;
  /** Whether the image (backend) decides if it serves an LLM (Triton). */
  public readonly llmDependsOnImage: boolean;
  /** Flags the library needs on the server's command line (checked at synth). */
  public readonly requiredFlags: ServerFlag[];
  /** Flags that break the signals (an error at synth). */
  public readonly conflictingFlags: ServerFlag[];
  private readonly metrics: Partial<Record<SignalKind, string>>;
  private readonly selectors: Partial<Record<SignalKind, { [label: string]: string }>>;

  private constructor(spec: {
    name: string;
    displayName: string;
    version?: string;
    httpPort: number;
    portFlag?: string;
    metricsPort?: number;
    metricsPortFlag?: string;
    metricsPath: string;
    livenessPath: string;
    readinessPath: string;
    llm: boolean;
    llmDependsOnImage?: boolean;
    requiredFlags: ServerFlag[];
    conflictingFlags: ServerFlag[];
    metrics: Partial<Record<SignalKind, string>>;
    selectors?: Partial<Record<SignalKind, { [label: string]: string }>>;
  }) {
    this.name = spec.name;
    this.displayName = spec.displayName;
    this.version = spec.version;
    this.httpPort = spec.httpPort;
    this.portFlag = spec.portFlag;
    this.metricsPort = spec.metricsPort;
    this.metricsPortFlag = spec.metricsPortFlag;
    this.metricsPath = spec.metricsPath;
    this.livenessPath = spec.livenessPath;
    this.readinessPath = spec.readinessPath;
    this.llm = spec.llm;
    this.llmDependsOnImage = spec.llmDependsOnImage ?? false;
    this.requiredFlags = spec.requiredFlags;
    this.conflictingFlags = spec.conflictingFlags;
    this.metrics = spec.metrics;
    this.selectors = spec.selectors ?? {};
  }

  /**
   * The series the server exports for a signal, if any (e.g. `vllm:num_requests_waiting` for the queue size).
   */
  public metricFor(signal: SignalKind): string | undefined {
    return this.metrics[signal];
  }

  /** The label selector that narrows the series to the signal (TRT-LLM's `request_type`), if any. @internal */
  public _selectorFor(signal: SignalKind): { [label: string]: string } | undefined {
    const s = this.selectors[signal];
    return s ? { ...s } : undefined;
  }

  /** The signal -> series map, for the `ml-autoscaling.io/server-metrics` annotation. @internal */
  public _metricsAnnotation(): string {
    const ordered: Record<string, string> = {};
    for (const kind of Object.values(SignalKind)) {
      const series = this.metrics[kind];
      if (series) ordered[kind] = series;
    }
    return JSON.stringify(ordered);
  }

  /** `vLLM 0.12.0`, or the custom name. */
  public toString(): string {
    return this.version ? `${this.displayName} ${this.version}` : this.displayName;
  }
}
