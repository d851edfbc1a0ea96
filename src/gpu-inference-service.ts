import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ScalingBehavior } from './autoscaling/behavior';
import { SCALING_BEHAVIOR } from './autoscaling/behavior-check';
import { Metric } from './autoscaling/metric';
import { renderBehavior } from './autoscaling/render-behavior';
import { renderHpa } from './autoscaling/render-hpa';
import { propError } from './errors';
import { Guardrails } from './guardrails/guardrails';
import { METRIC, MODEL_SERVING_SHAPE } from './serving/model-serving-check';
import { ModelServingProps } from './serving/model-serving-props';
import { renderServing } from './serving/render-serving';
import { arrayOf, checkProps, checkValue, integer, optional, Shape, string } from './validate/check';
import { DNS1123_SUBDOMAIN_NAME } from './validate/formats';
import { checkDerivedName } from './workload/derived-names';

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

/** The checks of `GpuInferenceServiceProps`. */
const GPU_INFERENCE_SERVICE_SHAPE: Shape<GpuInferenceServiceProps> = {
  ...MODEL_SERVING_SHAPE,
  minReplicas: optional(integer({
    min: 1, fix: 'set minReplicas to at least 1 (to scale to zero use QueueBatchWorker or HybridMlService with KEDA)',
  })),
  maxReplicas: integer({ min: 1, fix: 'set maxReplicas to at least 1' }),
  metrics: optional(arrayOf(METRIC)),
  behavior: optional(SCALING_BEHAVIOR),
  hpaName: optional(string({ format: DNS1123_SUBDOMAIN_NAME })),
};

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
    if (props.hpaName === undefined && props.name !== undefined) {
      checkDerivedName(this, 'name', props.name, `${props.name}-hpa`, 'HorizontalPodAutoscaler name', 253, 'hpaName');
    }

    const { deployment, service, podDisruptionBudget, parts } = renderServing(this, props, this.minReplicas);
    this.deployment = deployment;
    this.service = service;
    this.podDisruptionBudget = podDisruptionBudget;
    this.modelLoadSeconds = parts.modelLoadSeconds;
    this.metrics = (props.metrics ?? []).slice();

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
