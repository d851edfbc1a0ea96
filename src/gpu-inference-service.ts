import { ApiObject, Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ScalingBehavior } from './autoscaling/behavior';
import { Metric } from './autoscaling/metric';
import { renderBehavior } from './autoscaling/render-behavior';
import { validateMetrics } from './autoscaling/validate-metrics';
import { check, checkDnsName, checkInteger, objectMeta } from './errors';
import { Guardrails } from './guardrails/guardrails';
import { ModelServingProps } from './serving/model-serving-props';
import { renderServing, ServingParts } from './serving/render-serving';

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
  private readonly parts: ServingParts;

  constructor(scope: Construct, id: string, props: GpuInferenceServiceProps) {
    super(scope, id);
    // Chart-wide guardrails at synth: one autoscaler per workload, and the other rules (see docs/rules.md).
    Guardrails.enforce(Chart.of(this));
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
