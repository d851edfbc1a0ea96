import { SignalKind } from './server-catalog';
import { checkProps, checkValue, enumOf, fail, number, optional, Shape, string } from '../validate/check';

/**
 * Which labels carry the GPU's pod and namespace on the DCGM exporter's series in Prometheus.
 */
export enum GpuMetricLabels {
  /**
   * `exported_pod` / `exported_namespace`: the exporter's ServiceMonitor keeps `honorLabels: false`
   * (the dcgm-exporter Helm chart's default), so Prometheus renames the workload's labels, which
   * clash with the exporter pod's own.
   */
  EXPORTED = 'exported',
  /** `pod` / `namespace`: the exporter's ServiceMonitor sets `honorLabels: true`. */
  HONORED = 'honored',
}

/**
 * Options of every scaling signal.
 */
export interface ScalingSignalOptions {
  /**
   * KEDA only: the signal counts as active (which keeps the workload from being parked at zero) only
   * above this value. At most the target (an error above it: the service would be parked at zero
   * while each replica still has more than its target). Model-server series exist only while the
   * server's pods run, so this never wakes a workload from zero.
   * @default - KEDA's default, 0
   */
  readonly activationThreshold?: number;

  /**
   * KEDA only: the trigger's name (letters, digits and `_`, for `scalingModifiers` formulas).
   * @default - the signal's kind, e.g. `queue_size`
   */
  readonly triggerName?: string;
}

/**
 * Options of `ScalingSignal.gpuUtilization`.
 */
export interface GpuUtilizationSignalOptions extends ScalingSignalOptions {
  /**
   * Which labels carry the pod on the DCGM exporter's series (KEDA queries; for the HPA, set it on
   * `PrometheusAdapterRules`).
   * @default GpuMetricLabels.EXPORTED
   */
  readonly labels?: GpuMetricLabels;
}

const TRIGGER_NAME = string({
  format: {
    description: 'an identifier (letters, digits and "_", not starting with a digit, at most 63 characters)',
    test: v => (/^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/.test(v) ? undefined : 'is not an identifier of at most 63 characters'),
    fix: () => 'use letters, digits and "_", e.g. "queue_size"',
  },
});

const OPTIONS: Shape<ScalingSignalOptions> = {
  activationThreshold: optional(number({ min: 0 })),
  triggerName: optional(TRIGGER_NAME),
};

const GPU_OPTIONS: Shape<GpuUtilizationSignalOptions> = {
  ...OPTIONS,
  labels: optional(enumOf(GpuMetricLabels, 'GpuMetricLabels')),
};

/** A target with at most 3 decimals (Kubernetes quantities keep milli-units), above 0. */
function targetCheck(max: number, fix: string) {
  return number({ min: 0, exclusiveMin: true, max, fix });
}

/**
 * What to scale a model server on, said as what, not how. The construct renders it for its
 * controller: for the HPA a `Pods` metric with an AverageValue target (served by
 * `PrometheusAdapterRules`); for KEDA a `prometheus` trigger summing the series over exactly the
 * workload's pods, with the same per-replica target. Queue, batch and KV-cache signals need the
 * construct's `modelServer` (they read its metrics); GPU utilization reads NVIDIA's DCGM exporter.
 *
 * Which to choose (GKE's "Best practices for autoscaling LLM inference workloads with GPUs"): the
 * queue size for throughput at a latency target (start at 3-5 per replica), the batch size for
 * tighter latency (just below the engine's maximum batch), the KV-cache usage as a secondary signal,
 * and GPU utilization only for non-LLM models: an LLM server keeps the GPU busy whatever the load.
 */
export class ScalingSignal {
  /**
   * Requests waiting in the server's queue, per replica (e.g. 5 for vLLM's
   * `vllm:num_requests_waiting`): maximizes throughput under a latency target.
   *
   * @param perReplica waiting requests each replica may hold: greater than 0, at most 3 decimals
   */
  public static queueSize(perReplica: number, options: ScalingSignalOptions = {}): ScalingSignal {
    return ScalingSignal.make('ScalingSignal.queueSize', SignalKind.QUEUE_SIZE, 'perReplica', perReplica, 1e9, options);
  }

  /**
   * Requests in the server's running batch, per replica: for latency tighter than the queue size
   * allows. Set it just below the engine's maximum batch (vLLM `--max-num-seqs`, SGLang
   * `--max-running-requests`).
   *
   * @param perReplica running requests per replica: greater than 0, at most 3 decimals
   */
  public static batchSize(perReplica: number, options: ScalingSignalOptions = {}): ScalingSignal {
    return ScalingSignal.make('ScalingSignal.batchSize', SignalKind.BATCH_SIZE, 'perReplica', perReplica, 1e9, options);
  }

  /**
   * Share of the KV cache in use, averaged over the replicas (e.g. 0.8): a secondary signal beside
   * the queue size (above ~0.9 requests get preempted).
   *
   * @param fraction greater than 0, at most 1, at most 3 decimals
   */
  public static kvCacheUsage(fraction: number, options: ScalingSignalOptions = {}): ScalingSignal {
    return ScalingSignal.make('ScalingSignal.kvCacheUsage', SignalKind.KV_CACHE_USAGE, 'fraction', fraction, 1, options);
  }

  /**
   * GPU utilization in percent, averaged over the replicas' GPUs, from NVIDIA's DCGM exporter 4.8
   * (`DCGM_FI_DEV_GPU_UTIL`; the exporter needs Kubernetes pod attribution,
   * `DCGM_EXPORTER_KUBERNETES=true`, which its Helm chart sets). A fair signal for non-LLM models
   * (the article's ResNet); never for an LLM server.
   *
   * @param percent greater than 0, at most 100
   */
  public static gpuUtilization(percent: number, options: GpuUtilizationSignalOptions = {}): ScalingSignal {
    const site = 'ScalingSignal.gpuUtilization';
    checkProps(site, 'GpuUtilizationSignalOptions', GPU_OPTIONS, options);
    return ScalingSignal.make(site, SignalKind.GPU_UTILIZATION, 'percent', percent, 100, options, options.labels ?? GpuMetricLabels.EXPORTED);
  }

  private static make(site: string, kind: SignalKind, prop: string, value: number, max: number,
    options: ScalingSignalOptions, gpuLabels?: GpuMetricLabels): ScalingSignal {
    checkValue(site, prop, value, targetCheck(max, `set ${prop} to a number greater than 0 and at most ${max}`));
    if (gpuLabels === undefined) checkProps(site, 'ScalingSignalOptions', OPTIONS, options);
    if (Math.abs(Math.round(value * 1000) - value * 1000) > 1e-6) {
      fail({ scope: site, prop }, value, 'has more than 3 decimals (Kubernetes quantities keep milli-units)', `round ${prop} to 3 decimals`);
    }
    const activation = options.activationThreshold;
    if (activation !== undefined && activation > value) {
      fail({ scope: site, prop: 'options.activationThreshold' }, activation,
        `is above the target ${prop}=${value}: KEDA would park the service at zero while each replica still has more than its target`,
        'set activationThreshold at most the target, or leave it out');
    }
    return new ScalingSignal(kind, value, options.activationThreshold, options.triggerName, gpuLabels);
  }

  private constructor(
    /** What the signal measures. */
    public readonly kind: SignalKind,
    /** The per-replica target (requests, fraction or percent). */
    public readonly target: number,
    /** KEDA activation threshold. */
    public readonly activationThreshold?: number,
    /** KEDA trigger name. */
    public readonly triggerName?: string,
    /** For GPU utilization: which labels carry the pod. */
    public readonly gpuLabels?: GpuMetricLabels) {
  }
}
