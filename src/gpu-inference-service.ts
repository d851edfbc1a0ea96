import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ScalingBehavior } from './autoscaling/behavior';
import { SCALING_BEHAVIOR } from './autoscaling/behavior-check';
import { checkScaleToZeroGate } from './autoscaling/hpa-scale-to-zero';
import { Metric } from './autoscaling/metric';
import { renderBehavior } from './autoscaling/render-behavior';
import { renderHpa } from './autoscaling/render-hpa';
import { propError } from './errors';
import { Guardrails } from './guardrails/guardrails';
import { signalToMetric } from './model-server/render-signals';
import { METRIC, MODEL_SERVING_SHAPE } from './serving/model-serving-check';
import { ModelServingProps } from './serving/model-serving-props';
import { renderServing } from './serving/render-serving';
import { checkScaleToZeroOptIn } from './serving/scale-to-zero';
import { arrayOf, boolean, checkProps, checkValue, integer, optional, Shape, string } from './validate/check';
import { DNS1123_SUBDOMAIN_NAME } from './validate/formats';
import { checkDerivedName } from './workload/derived-names';

/**
 * Props of `GpuInferenceService`.
 */
export interface GpuInferenceServiceProps extends ModelServingProps {
  /**
   * Fewest replicas. 0 scales the service to zero through the HPA itself (no KEDA), which needs all
   * of:
   * - the `HPAScaleToZero` feature gate in the target cluster (`KubernetesTarget`): beta and on by
   *   default since Kubernetes 1.37; for 1.35 and 1.36 set it in `featureGates` if your cluster
   *   enables it on the API server and the kube-controller-manager;
   * - at least one Object or External metric (e.g. a queue length), checked at synth: Resource and
   *   Pods metrics have no samples at zero pods, so they cannot wake the service;
   * - `scaleToZero: true`.
   * The Deployment pins no replica count: it starts with one pod, which the HPA removes after the
   * scale-down window when no work waits.
   * @default - 2, or maxReplicas if lower
   */
  readonly minReplicas?: number;

  /**
   * Opt in to `minReplicas: 0`. At zero replicas the Service has no endpoints: requests fail for
   * the whole cold start (the model load time) unless something buffers them (a queue in front).
   * Say so on the pods with the annotation `ml-autoscaling.io/request-buffering: "true"`
   * (`podAnnotations`), or the guardrail ML-W-SCALE-TO-ZERO-WITHOUT-BUFFER warns. For synchronous
   * HTTP clients use `HybridMlService` in KEDA mode with `requestBuffering` (the KEDA HTTP add-on):
   * the add-on's request count reaches only a KEDA ScaledObject, so an HPA could not wake on the
   * requests it holds. An error without `minReplicas: 0` (it would do nothing).
   * @default false
   */
  readonly scaleToZero?: boolean;

  /**
   * Most replicas.
   */
  readonly maxReplicas: number;

  /**
   * Metrics to scale on; more can be added with `addMetric`. At least one metric or signal is
   * required, and with `minReplicas: 0` at least one Object or External metric (checked at synth).
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

/** The checks of `GpuInferenceServiceProps`. */
const GPU_INFERENCE_SERVICE_SHAPE: Shape<GpuInferenceServiceProps> = {
  ...MODEL_SERVING_SHAPE,
  minReplicas: optional(integer({
    min: 0, fix: 'set minReplicas to 0 (scale to zero, see its documentation) or more',
  })),
  scaleToZero: optional(boolean()),
  maxReplicas: integer({ min: 1, fix: 'set maxReplicas to at least 1' }),
  metrics: optional(arrayOf(METRIC)),
  behavior: optional(SCALING_BEHAVIOR),
  hpaName: optional(string({ format: DNS1123_SUBDOMAIN_NAME })),
};

/** How else to scale a GPU service to zero, for errors. */
const KEDA_ALTERNATIVE = 'scale to zero with KEDA instead (HybridMlService in KEDA mode, or QueueBatchWorker for queue consumers), which works on any version';

/**
 * A GPU model server scaled by an autoscaling/v2 HorizontalPodAutoscaler: Deployment, ClusterIP
 * Service, HPA and PodDisruptionBudget, with probes that survive the model load. With
 * `minReplicas: 0` the HPA scales it to zero and back on an Object or External metric (Kubernetes
 * 1.37, or the `HPAScaleToZero` gate).
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
  /** The PodMonitor, with `metricsMonitor`. */
  public readonly podMonitor?: ApiObject;
  /** Fewest replicas (0 when the HPA scales the service to zero). */
  public readonly minReplicas: number;
  /** Most replicas. */
  public readonly maxReplicas: number;
  /** Declared model load time in seconds. */
  public readonly modelLoadSeconds: number;
  private readonly metrics: Metric[];

  constructor(scope: Construct, id: string, props: GpuInferenceServiceProps) {
    super(scope, id);
    checkProps(this, 'GpuInferenceServiceProps', GPU_INFERENCE_SERVICE_SHAPE, props);
    // Chart-wide guardrails at synth: one autoscaler per workload, and the other rules (see docs/rules.md).
    Guardrails.enforce(Chart.of(this));
    this.maxReplicas = props.maxReplicas;
    this.minReplicas = props.minReplicas ?? Math.min(2, props.maxReplicas);
    if (!(this.minReplicas <= this.maxReplicas)) {
      throw propError(this, 'minReplicas', this.minReplicas,
        `is greater than maxReplicas (${this.maxReplicas})`, 'lower minReplicas or raise maxReplicas');
    }
    if (this.minReplicas === 0) checkScaleToZeroGate(this, KEDA_ALTERNATIVE);
    checkScaleToZeroOptIn(this, this.minReplicas, props.scaleToZero);
    if (props.hpaName === undefined && props.name !== undefined) {
      checkDerivedName(this, 'name', props.name, `${props.name}-hpa`, 'HorizontalPodAutoscaler name', 253, 'hpaName');
    }

    const { deployment, service, podDisruptionBudget, podMonitor, parts } = renderServing(this, props, this.minReplicas);
    this.deployment = deployment;
    this.service = service;
    this.podDisruptionBudget = podDisruptionBudget;
    this.podMonitor = podMonitor;
    this.modelLoadSeconds = parts.modelLoadSeconds;
    this.metrics = [
      ...(props.metrics ?? []),
      ...(props.signals ?? []).map((signal, i) => signalToMetric(this, `signals[${i}]`, signal, props.modelServer)),
    ];

    const behavior = renderBehavior(this, 'behavior', props.behavior, this.modelLoadSeconds);
    this.hpa = renderHpa(this, {
      name: props.hpaName ?? (props.name ? `${props.name}-hpa` : undefined),
      namespace: props.namespace,
      deploymentName: deployment.name,
      minReplicas: this.minReplicas,
      maxReplicas: this.maxReplicas,
      metrics: this.metrics,
      behavior,
      context: parts.pod,
      scaleToZeroAlternative: KEDA_ALTERNATIVE,
    });
  }

  /**
   * Adds a metric to scale on (e.g. `Metric.pods({ name: 'inference_queue_depth', target: MetricTarget.averageValue(10) })`).
   */
  public addMetric(metric: Metric): void {
    checkValue(this, 'addMetric', metric, METRIC);
    this.metrics.push(metric);
  }
}
