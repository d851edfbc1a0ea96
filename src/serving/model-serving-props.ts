import { Duration } from 'cdk8s';
import { DisruptionBudgetOptions } from '../workload/disruption-budget';
import { ModelContainerProps } from '../workload/model-container';
import { ModelProbes } from '../workload/probes';

/**
 * Props of a GPU model-serving workload (shared by `GpuInferenceService` and `HybridMlService`).
 */
export interface ModelServingProps extends ModelContainerProps {
  /**
   * Name of the Deployment.
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
   * Path of the metrics endpoint.
   * @default '/metrics'
   */
  readonly metricsPath?: string;

  /**
   * How long a new pod takes to load its model and become useful (30-120 s is typical). Drives the
   * startup probe and the minimum scale-down stabilization.
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
