import { Duration } from 'cdk8s';
import { MetricsMonitorOptions } from '../model-server/metrics-monitor-options';
import { ModelServer } from '../model-server/model-server';
import { ScalingSignal } from '../model-server/scaling-signal';
import { DisruptionBudgetOptions } from '../workload/disruption-budget';
import { ModelContainerProps } from '../workload/model-container';
import { ModelProbes } from '../workload/probes';

/**
 * Props of a GPU model-serving workload (shared by `GpuInferenceService` and `HybridMlService`).
 */
export interface ModelServingProps extends ModelContainerProps {
  /**
   * Name of the Deployment (a DNS-1123 subdomain). Without `serviceName` it is also the Service name,
   * so it must then be a DNS-1035 label (starts with a letter, at most 63 characters); without
   * `selectorLabels` it is also the pods' label value (`app: <name>`, at most 63 characters). Names
   * derived from it (`<name>-hpa`, `<name>-pdb`, `<name>-scaler`) must fit their limits too: the
   * error names the prop that overrides each.
   * @default - generated from the construct path
   */
  readonly name?: string;

  /**
   * Namespace of every object.
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Labels that select the pods (Deployment, Service, PodDisruptionBudget).
   * @default - `{ app: <name> }`
   */
  readonly selectorLabels?: { [key: string]: string };

  /**
   * The model server the pods run (`ModelServer.vllm()`, `.sglang()`, `.tgi()`, `.triton()`,
   * `.custom({...})`): ports, probe paths and the metrics endpoint follow from it unless set here,
   * the flags it needs are checked in `command`/`args`, and `signals` read its metrics. Written on the
   * pods (`ml-autoscaling.io/model-server`, `ml-autoscaling.io/server-metrics`) for the guardrails
   * and the simulator.
   * @default - none: set the ports and probes yourself
   */
  readonly modelServer?: ModelServer;

  /**
   * What to scale on, said as what, not how (`ScalingSignal.queueSize(5)`, `.batchSize(n)`,
   * `.kvCacheUsage(0.8)`, `.gpuUtilization(70)`): rendered as a Pods metric for the HPA (served by
   * `PrometheusAdapterRules`) or as a `prometheus` trigger for KEDA (summing over exactly this
   * Deployment's pods). Queue, batch and KV-cache signals need `modelServer`. Scrape the metrics
   * with `metricsMonitor` (or your own monitor).
   * @default - none
   */
  readonly signals?: ScalingSignal[];

  /**
   * Render a Prometheus Operator PodMonitor for the metrics endpoint (`metricsPort`, or the model
   * server's): what makes the signals' series exist.
   * @default - no monitor
   */
  readonly metricsMonitor?: MetricsMonitorOptions;

  /**
   * HTTP port of the model server (named `http`).
   * @default - the model server's port, else 8080
   */
  readonly httpPort?: number;

  /**
   * Prometheus metrics port (named `metrics`) when it is not the HTTP port; also exposed by the
   * Service and announced with `prometheus.io/*` annotations on the pods.
   * @default - the model server's metrics port (Triton: 8002); with a model server that serves
   * metrics on its HTTP port, that port; else no metrics port
   */
  readonly metricsPort?: number;

  /**
   * Path of the metrics endpoint. Only used with `metricsPort` or `modelServer` (an error without).
   * @default - the model server's, else '/metrics'
   */
  readonly metricsPath?: string;

  /**
   * How long a new pod takes to load its model and become useful (30-120 s is typical). Drives the
   * startup probe and the minimum scale-down stabilization (max(300 s, modelLoadTime)). At most one
   * hour: the API server allows stabilization windows of at most 3600 s, so a longer load time is an
   * error on this prop rather than a window silently shorter than the load.
   * @default Duration.seconds(120)
   */
  readonly modelLoadTime?: Duration;

  /**
   * Probe settings.
   * @default - startup probe sized from modelLoadTime; readiness and liveness paths of the model
   * server, else readiness `/ready`, liveness `/health`
   */
  readonly probes?: ModelProbes;

  /**
   * Name of the Service.
   * @default - the Deployment's name
   */
  readonly serviceName?: string;

  /**
   * The PodDisruptionBudget.
   * @default - maxUnavailable 1
   */
  readonly disruptionBudget?: DisruptionBudgetOptions;
}
