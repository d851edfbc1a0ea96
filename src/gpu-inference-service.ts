import { ApiObject, Duration, Lazy, Names } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MODEL_LOAD_SECONDS } from './annotations';
import { ScalingBehavior } from './autoscaling/behavior';
import { Metric } from './autoscaling/metric';
import { renderBehavior } from './autoscaling/render-behavior';
import { validateMetrics } from './autoscaling/validate-metrics';
import { check, checkDnsName, checkInteger, durationSeconds, objectMeta } from './errors';
import { DisruptionBudgetOptions } from './workload/disruption-budget';
import { ModelContainerProps } from './workload/model-container';
import { ModelProbes } from './workload/probes';
import { renderDisruptionBudget } from './workload/render-disruption-budget';
import { RenderedPod, renderModelPod } from './workload/render-pod';
import { renderProbes } from './workload/render-probes';

/** The model load time assumed when none is declared: the article's upper bound. */
export const DEFAULT_MODEL_LOAD_SECONDS = 120;

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

/**
 * Props of `GpuInferenceService`.
 */
export interface GpuInferenceServiceProps extends ModelServingProps {
  /**
   * Fewest replicas (at least 1: an HPA cannot scale to zero).
   * @default - 2, or maxReplicas if lower
   */
  readonly minReplicas?: number;

  /**
   * Most replicas.
   */
  readonly maxReplicas: number;

  /**
   * Metrics to scale on; more can be added with `addMetric`. At least one is required.
   * @default - none
   */
  readonly metrics?: Metric[];

  /**
   * Scale-up and scale-down behavior.
   * @default - see `ScalingBehavior`: cautious scale-down that never undercuts the model load time
   */
  readonly behavior?: ScalingBehavior;

  /**
   * Name of the HorizontalPodAutoscaler.
   * @default - `<name>-hpa` when a name is given, otherwise generated
   */
  readonly hpaName?: string;
}

/**
 * What the serving pieces rendered (used by the serving constructs).
 * @internal
 */
export interface _ServingParts {
  readonly pod: RenderedPod;
  readonly modelLoadSeconds: number;
  readonly selectorLabels: { [key: string]: string };
}

/**
 * A GPU model server scaled by an autoscaling/v2 HorizontalPodAutoscaler: Deployment, ClusterIP
 * Service, HPA and PodDisruptionBudget, with probes that survive the model load.
 */
export class GpuInferenceService extends Construct {
  /** The Deployment (escape hatch: `deployment.addJsonPatch(...)`). */
  public readonly deployment: ApiObject;
  /** The ClusterIP Service. */
  public readonly service: ApiObject;
  /** The HorizontalPodAutoscaler. */
  public readonly hpa: ApiObject;
  /** The PodDisruptionBudget, unless disabled. */
  public readonly podDisruptionBudget?: ApiObject;
  /** Fewest replicas. */
  public readonly minReplicas: number;
  /** Most replicas. */
  public readonly maxReplicas: number;
  /** Declared model load time in seconds. */
  public readonly modelLoadSeconds: number;
  private readonly metrics: Metric[];
  private readonly parts: _ServingParts;

  constructor(scope: Construct, id: string, props: GpuInferenceServiceProps) {
    super(scope, id);
    checkInteger(this, 'maxReplicas', props.maxReplicas, 1, Number.MAX_SAFE_INTEGER, 'set maxReplicas to at least 1');
    this.maxReplicas = props.maxReplicas;
    this.minReplicas = props.minReplicas ?? Math.min(2, props.maxReplicas);
    checkInteger(this, 'minReplicas', this.minReplicas, 1, Number.MAX_SAFE_INTEGER,
      'set minReplicas to at least 1 (to scale to zero use QueueBatchWorker or HybridMlService with KEDA)');
    check(this.minReplicas <= this.maxReplicas, this, 'minReplicas', this.minReplicas,
      `is greater than maxReplicas (${this.maxReplicas})`, 'lower minReplicas or raise maxReplicas');
    checkDnsName(this, 'hpaName', props.hpaName);

    const { deployment, service, podDisruptionBudget, parts } = renderServing(this, props, this.minReplicas);
    this.deployment = deployment;
    this.service = service;
    this.podDisruptionBudget = podDisruptionBudget;
    this.parts = parts;
    this.modelLoadSeconds = parts.modelLoadSeconds;
    this.metrics = [...(props.metrics ?? [])];

    const behavior = renderBehavior(this, 'behavior', props.behavior, this.modelLoadSeconds);
    this.hpa = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Hpa', {
      metadata: objectMeta(props.hpaName ?? (props.name ? `${props.name}-hpa` : undefined), props.namespace),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        metrics: Lazy.any({ produce: () => this.metrics.map(m => m._toKube()) }) as any,
        behavior,
      },
    });
    this.node.addValidation({
      validate: () => {
        validateMetrics(this, 'metrics', this.metrics, this.parts.pod);
        return [];
      },
    });
    // Fail fast for metrics given in props; later ones are checked at synth.
    validateMetrics(this, 'metrics', this.metrics, this.parts.pod, true);
  }

  /**
   * Adds a metric to scale on (e.g. `Metric.pods({ name: 'inference_queue_depth', target: MetricTarget.averageValue(10) })`).
   */
  public addMetric(metric: Metric): void {
    this.metrics.push(metric);
  }
}

/**
 * Renders the serving workload shared by the serving constructs: Deployment (no replicas: an
 * autoscaler owns them), Service and PodDisruptionBudget.
 * @internal
 */
export function renderServing(scope: Construct, props: ModelServingProps, minReplicas: number) {
  checkDnsName(scope, 'name', props.name);
  checkDnsName(scope, 'namespace', props.namespace, 'label');
  checkDnsName(scope, 'serviceName', props.serviceName, 'label');
  const httpPort = props.httpPort ?? 8080;
  checkInteger(scope, 'httpPort', httpPort, 1, 65535);
  checkInteger(scope, 'metricsPort', props.metricsPort, 1, 65535);
  check(props.metricsPort === undefined || props.metricsPort !== httpPort, scope, 'metricsPort', props.metricsPort,
    'is the same as httpPort', 'serve metrics on a separate port (the article uses 8000)');
  const modelLoadSeconds = durationSeconds(scope, 'modelLoadTime', props.modelLoadTime, 0) ?? DEFAULT_MODEL_LOAD_SECONDS;
  const selectorLabels = props.selectorLabels ?? { app: props.name ?? Names.toLabelValue(scope) };
  check(Object.keys(selectorLabels).length > 0, scope, 'selectorLabels', selectorLabels, 'must not be empty',
    'give at least one label, e.g. { app: "ml-inference" }');

  const ports: k8s.ContainerPort[] = [{ containerPort: httpPort, name: 'http' }];
  if (props.metricsPort !== undefined) ports.push({ containerPort: props.metricsPort, name: 'metrics' });
  const annotations: { [key: string]: string } = { [MODEL_LOAD_SECONDS]: String(modelLoadSeconds) };
  if (props.metricsPort !== undefined) {
    annotations['prometheus.io/scrape'] = 'true';
    annotations['prometheus.io/port'] = String(props.metricsPort);
    annotations['prometheus.io/path'] = props.metricsPath ?? '/metrics';
  }
  const pod = renderModelPod(scope, props, {
    defaultContainerName: 'inference',
    selectorLabels,
    ports,
    probes: renderProbes(scope, modelLoadSeconds, httpPort, props.probes),
    annotations,
  });

  const deployment = new k8s.KubeDeployment(scope, 'Resource', {
    metadata: objectMeta(props.name, props.namespace),
    spec: { selector: { matchLabels: { ...selectorLabels } }, template: pod.template },
  });
  const service = new k8s.KubeService(scope, 'Service', {
    metadata: objectMeta(props.serviceName ?? props.name, props.namespace),
    spec: {
      type: 'ClusterIP',
      selector: { ...selectorLabels },
      ports: ports.map(p => ({ name: p.name, port: p.containerPort, targetPort: k8s.IntOrString.fromString(p.name!) })),
    },
  });
  const podDisruptionBudget = renderDisruptionBudget(scope, props.disruptionBudget, {
    defaultName: props.name ? `${props.name}-pdb` : undefined,
    namespace: props.namespace,
    selectorLabels,
    minReplicas,
  });
  const parts: _ServingParts = { pod, modelLoadSeconds, selectorLabels };
  return { deployment, service, podDisruptionBudget, parts };
}
