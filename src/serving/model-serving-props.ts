import { Duration } from 'cdk8s';
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
   * HTTP port of the model server (named `http`).
   * @default 8080
   */
  readonly httpPort?: number;

  /**
   * Prometheus metrics port (named `metrics`); also exposed by the Service and announced with
   * `prometheus.io/*` annotations on the pods.
   * @default - no metrics port
   */
  readonly metricsPort?: number;

  /**
   * Path of the metrics endpoint. Only used with `metricsPort` (an error without it).
   * @default '/metrics'
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
   * @default - startup probe sized from modelLoadTime, readiness `/ready`, liveness `/health`
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
