import { HpaControllerOptions } from './hpa-controller';
import { DemandTrace } from './trace';

/**
 * What a metric measures in the workload model, so the simulator can produce its observations.
 */
export enum MetricSignal {
  /** Items waiting in the queue (a Pods metric gets the queue divided by the ready pods). */
  QUEUE_DEPTH = 'QUEUE_DEPTH',
  /**
   * Items waiting plus items being processed (one per busy replica), as brokers count unacknowledged
   * messages (RabbitMQ `messages`, SQS in-flight, Kafka uncommitted lag).
   */
  BACKLOG = 'BACKLOG',
  /** Items arriving per second, averaged over the metric window (per ready pod for a Pods metric). */
  ARRIVAL_RATE = 'ARRIVAL_RATE',
  /**
   * How busy the ready replicas are, in percent of their capacity, averaged over the metric window (GPU
   * utilization: `DCGM_FI_DEV_GPU_UTIL`, 0..100; a metric the model-server catalog knows as a fraction,
   * such as Triton's `nv_gpu_utilization`, gets the same share as 0..1).
   */
  BUSY_PERCENT = 'BUSY_PERCENT',
  /**
   * Items being processed (an engine's running batch, e.g. `vllm:num_requests_running`): the completion
   * rate times `serviceTimeSeconds` (Little's law), at most `concurrencyPerReplica` per ready replica.
   * Per ready pod for a Pods metric; the total for External and Object metrics and KEDA triggers (a
   * PromQL query whose outermost aggregation is `avg`, `max` or `min` reads the per-pod value).
   */
  BATCH_SIZE = 'BATCH_SIZE',
  /**
   * Share of the ready replicas' concurrency in use, a fraction 0..1 per pod (an engine's KV-cache usage,
   * e.g. `vllm:kv_cache_usage_perc`): items being processed / (`concurrencyPerReplica` x ready replicas).
   * External and Object metrics and KEDA triggers read the sum over pods (items being processed /
   * `concurrencyPerReplica`, as `sum(avg by (pod) (...))` returns), unless a PromQL query's outermost
   * aggregation is `avg`, `max` or `min` (the per-pod fraction).
   */
  KV_CACHE_USAGE = 'KV_CACHE_USAGE',
}

/**
 * A request holder in front of the service, such as the KEDA HTTP add-on's interceptor: requests that
 * arrive while no pod is ready wait for one, up to a timeout. Or, with `enabled: false`, the declaration
 * that there is none: requests that arrive while no pod is ready fail at once (the Service has no endpoints).
 */
export interface RequestHolding {
  /**
   * Whether a holder is in front of the service. `false`: requests that arrive while no pod is ready fail
   * at once (connection refused), the case of scale to zero without a holder.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Seconds a request that arrives while no pod is ready waits for a ready pod before it fails (the
   * add-on's per-route readiness timeout: InterceptorRoute `spec.timeouts.readiness`, HTTPScaledObject
   * `spec.timeouts.conditionWait`). It bounds only the wait for a ready backend: requests that arrive
   * while a pod is ready are proxied and queue at the service without a deadline. Not with `enabled: false`.
   * @default - no deadline: held until a pod is ready (the interceptor's defaults since v0.15.0, where
   * KEDA_HTTP_READINESS_TIMEOUT and KEDA_HTTP_REQUEST_TIMEOUT are 0)
   */
  readonly timeoutSeconds?: number;
}

/**
 * Knobs of the workload model shared by `Simulator.run` and `Simulator.fromManifests`.
 */
export interface SimulationOptions {
  /** The demand: arrivals per second over time. */
  readonly trace: DemandTrace;
  /**
   * Work items one ready replica completes per second. Give it, or `concurrencyPerReplica` and
   * `serviceTimeSeconds` (capacity = concurrency / service time); all three must agree if all are given.
   * @default - `concurrencyPerReplica / serviceTimeSeconds`
   */
  readonly capacityPerReplica?: number;
  /**
   * Work items one ready replica processes at once (a model server's maximum batch, e.g. vLLM's
   * `--max-num-seqs`): the ceiling of the in-flight items behind `BATCH_SIZE` and `KV_CACHE_USAGE`.
   * @default - `capacityPerReplica x serviceTimeSeconds` when the service time is given, else 1
   */
  readonly concurrencyPerReplica?: number;
  /**
   * Seconds one work item takes to process (at any concurrency up to `concurrencyPerReplica`).
   * @default - `concurrencyPerReplica / capacityPerReplica` (with the default concurrency of 1: `1 / capacityPerReplica`)
   */
  readonly serviceTimeSeconds?: number;
  /**
   * Seconds from pod creation to ready (scheduling, image pull, model load).
   * @default - for manifests: the `ml-autoscaling.io/model-load-seconds` annotation, else the largest
   * readiness probe `initialDelaySeconds`, else 0; for `Simulator.run`: 0
   */
  readonly coldStartSeconds?: number;
  /**
   * Replicas at time 0, all ready. For an HPA with `minReplicas: 0`, 0 starts the target parked at zero
   * by the HPA (its `ScaledToZero` condition set, so the HPA scales it up when its Object or External
   * metrics ask); an HPA does not scale up a target at zero that it did not park itself (a target
   * scaled to zero by hand, or an HPA with `minReplicas` 1 or more), so such a run stays at zero.
   * @default - the autoscaler's minimum: HPA `minReplicas`, but at least 1 (upstream's advice for
   * scale to zero: start the Deployment with at least one replica), ScaledObject `minReplicaCount`
   */
  readonly initialReplicas?: number;
  /**
   * Seconds between HPA syncs (`--horizontal-pod-autoscaler-sync-period`).
   * @default 15
   */
  readonly hpaSyncPeriodSeconds?: number;
  /**
   * How old the metrics are when a controller reads them, in seconds (scrape and adapter delays).
   * @default 0
   */
  readonly metricLagSeconds?: number;
  /**
   * Seconds over which rates and busy percentages are averaged (like a metrics-server or `rate()` window).
   * @default 15
   */
  readonly metricWindowSeconds?: number;
  /**
   * A queue wait above which an item counts as late, for `secondsOverLatencyTarget`.
   * @default - no target
   */
  readonly latencyTargetSeconds?: number;
  /**
   * Utilization a memory metric reports, in percent of requests (model weights do not move with load).
   * @default 50
   */
  readonly memoryUtilizationPercent?: number;
  /**
   * What each metric measures, by metric name (HPA `metric.name`, `cpu`/`memory`, or a KEDA trigger's
   * `name`, `metadata.metricName` or `type`).
   * @default - from the workload's `ml-autoscaling.io/server-metrics` annotation (for `fromManifests`
   * and `fromConstruct`), else from the model-server catalog (vLLM, SGLang, TGI, Triton, DCGM metric
   * names: queue size -> QUEUE_DEPTH, batch size -> BATCH_SIZE, KV-cache usage -> KV_CACHE_USAGE, GPU
   * utilization -> BUSY_PERCENT), else guessed from the name: utilization/gpu/busy/cpu -> BUSY_PERCENT;
   * rate/rps/requests/throughput -> ARRIVAL_RATE; otherwise QUEUE_DEPTH, and BACKLOG for KEDA broker
   * triggers (rabbitmq, aws-sqs-queue, kafka, ...)
   */
  readonly signals?: { [metricName: string]: MetricSignal };
  /** Controller-wide HPA settings. @default - Kubernetes defaults */
  readonly hpaOptions?: HpaControllerOptions;
  /**
   * The Kubernetes minor version of the cluster (`"1.37"`): how its HPA controller decides, e.g. scale
   * to and from zero with `HPAScaleToZero` (on by default from 1.37). The same as
   * `hpaOptions.kubernetesVersion` (give one of them). KEDA's operator does not depend on it.
   * @default "1.35" (`KubernetesTarget.DEFAULT_VERSION`)
   */
  readonly kubernetesVersion?: string;
  /**
   * Feature gates the cluster sets differently from the version's defaults, e.g. `{ HPAScaleToZero: true }`
   * (the same as `hpaOptions.featureGates`; give one of them).
   * @default - every gate at the version's default
   */
  readonly featureGates?: { [gate: string]: boolean };
  /**
   * Seconds between timeline rows.
   * @default - the HPA sync period
   */
  readonly outputIntervalSeconds?: number;
  /**
   * A request holder in front of the service (the KEDA HTTP add-on's interceptor), or `{ enabled: false }`
   * for none: requests arriving while no pod is ready are held up to a timeout, or fail at once. Gives the
   * summary's `requestsHeld`, `requestsFailed` and `firstRequestWaitAfterIdleSeconds`.
   * @default - for manifests: an HTTPScaledObject or InterceptorRoute routing to the workload, with its
   * per-route timeout; else not modelled (every request waits in the queue, as without these fields)
   */
  readonly requestHolding?: RequestHolding;
}

/**
 * Inputs of one simulation: the autoscaler (exactly one of `horizontalPodAutoscaler` and `scaledObject`) and the workload model.
 */
export interface SimulationProps extends SimulationOptions {
  /** An autoscaling/v2 HorizontalPodAutoscaler (object or spec) as JSON. */
  readonly horizontalPodAutoscaler?: any;
  /** A keda.sh/v1alpha1 ScaledObject as JSON; the HPA KEDA creates is simulated with it. */
  readonly scaledObject?: any;
  /** GPUs per pod, for GPU-hours. @default 0 */
  readonly gpusPerReplica?: number;
  /** CPU cores requested per pod, for cpu AverageValue targets. @default 1 */
  readonly cpuRequestCores?: number;
  /** Memory bytes requested per pod, for memory AverageValue targets. @default 1Gi */
  readonly memoryRequestBytes?: number;
}

/**
 * The state of the simulated service at one time.
 */
export interface TimelinePoint {
  /** Seconds from the start. */
  readonly time: number;
  /** The demand at this time, items per second. */
  readonly arrivalsPerSecond: number;
  /** Pods that exist (the replica count the autoscalers set), after this time's decisions. */
  readonly desiredReplicas: number;
  /** Pods that are ready and serving. */
  readonly readyReplicas: number;
  /** Items waiting. */
  readonly queueDepth: number;
  /** Busy share of the ready replicas' capacity over the metric window, in percent. */
  readonly utilizationPercent: number;
  /** How long an item arriving now waits in the queue (FIFO), in seconds. */
  readonly waitSeconds: number;
  /** For a ScaledObject: whether KEDA considered it active at its last poll. */
  readonly active?: boolean;
}

/**
 * What a run amounts to.
 */
export interface SimulationSummary {
  /** The simulated time, in seconds. */
  readonly durationSeconds: number;
  /** Items that arrived. */
  readonly itemsArrived: number;
  /** Items completed. */
  readonly itemsServed: number;
  /** Items still queued when the run ended. */
  readonly itemsQueuedAtEnd: number;
  /** The longest queue. */
  readonly maxQueueDepth: number;
  /** The longest FIFO wait of any item, in seconds (a lower bound for items still queued at the end). */
  readonly maxQueueWaitSeconds: number;
  /** The 95th percentile of the wait over items, in seconds. */
  readonly p95QueueWaitSeconds: number;
  /** Seconds during which arriving items waited longer than the latency target (0 without a target). */
  readonly secondsOverLatencyTarget: number;
  /** The latency target used, if any. */
  readonly latencyTargetSeconds?: number;
  /** Pod-hours, including pods that are still starting (they hold their resources). */
  readonly replicaHours: number;
  /** GPU-hours: pod-hours times GPUs per pod. */
  readonly gpuHours: number;
  /** Times a controller changed the replica count. */
  readonly scaleEvents: number;
  /** The highest replica count. */
  readonly peakReplicas: number;
  /** The lowest replica count. */
  readonly lowestReplicas: number;
  /**
   * Pods created during the run. Each became ready `podColdStartSeconds` after its creation (unless
   * removed before).
   */
  readonly podsStarted?: number;
  /**
   * Seconds from a pod's creation to Ready, as simulated (the `coldStartSeconds` used): the same
   * definition as the recording rule `ml_autoscaling:pod_cold_start_seconds` that `AutoscalingRules`
   * writes from kube-state-metrics (`kube_pod_status_ready_time - kube_pod_created`), so a run can be
   * compared with production's `ml_autoscaling:cold_start_seconds:p95`.
   * @default - not reported (results made before this field existed)
   */
  readonly podColdStartSeconds?: number;
  /**
   * Cold starts from zero: times work waited with no replica ready (an item arrived, or items were
   * queued, while zero replicas were ready), each lasting until the first pod became ready.
   */
  readonly coldStartsFromZero: number;
  /**
   * The longest cold start from zero, in seconds: from the first item waiting at zero ready replicas to
   * the first ready pod (0 without cold starts; for one still going at the end, up to the end of the run).
   */
  readonly maxTimeToFirstReadySeconds: number;
  /**
   * Items that waited through a cold start from zero: queued when it began, or arriving during it (0 with
   * `requestHolding.enabled` false: those requests fail at once).
   */
  readonly itemsWaitedThroughColdStarts: number;
  /**
   * With a request holder (`requestHolding`): requests that arrived while no pod was ready, and were held.
   * @default - not reported: no request holding modelled (0 with `requestHolding.enabled` false)
   */
  readonly requestsHeld?: number;
  /**
   * With `requestHolding`: requests that failed, never served: held ones still waiting for a ready pod at
   * the timeout or, without a holder, those that arrived while no pod was ready (at once).
   * @default - not reported: no request holding modelled
   */
  readonly requestsFailed?: number;
  /**
   * With `requestHolding`: the longest wait of the first request after an idle period, in seconds. An idle
   * period is a span of zero ready pods that begins with an empty queue; its first request arrives at its
   * start and waits until the first pod is ready (up to the end of the run if none is), or fails at the
   * timeout if that comes first (at once, 0, without a holder). 0 without such spans.
   * @default - not reported: no request holding modelled
   */
  readonly firstRequestWaitAfterIdleSeconds?: number;
  /**
   * What the simulation assumed that the real cluster would not do: e.g. metrics the real HPA could not
   * read (a Resource metric other than cpu or memory, a ContainerResource metric of a container the pod
   * does not have), which are simulated as if readable.
   * @default - none
   */
  readonly warnings?: string[];
}

/**
 * A timeline and its summary.
 */
export interface SimulationResult {
  /** One row per output interval. */
  readonly timeline: TimelinePoint[];
  /** The totals. */
  readonly summary: SimulationSummary;
}
