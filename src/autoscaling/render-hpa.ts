import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { checkScaleFromZeroMetrics } from './hpa-scale-to-zero';
import { Metric } from './metric';
import { RenderedBehavior } from './render-behavior';
import { MetricContext, validateMetrics } from './validate-metrics';
import { objectMeta } from '../errors';
import { declaredTargetAnnotations } from '../kubernetes/declared-target';
import { kubeObject } from '../workload/kube-object';

/** Everything an autoscaling/v2 HPA on a Deployment needs. */
export interface HpaRenderProps {
  readonly name?: string;
  readonly namespace?: string;
  readonly deploymentName: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** A live array: metrics added until synth are rendered and checked. */
  readonly metrics: Metric[];
  readonly behavior: RenderedBehavior;
  /** What the metrics are checked against (container, requested resources). */
  readonly context: MetricContext;
  /** With `minReplicas` 0: how else to scale to zero, for the fix of the "no Object or External metric" error. */
  readonly scaleToZeroAlternative: string;
}

/**
 * Renders the HPA (child id `Hpa`) and checks its metrics now (those given in props) and at synth
 * (those added later, "at least one", and with `minReplicas` 0 at least one Object or External
 * metric). `minReplicas` 0 must already be allowed for the target (`checkScaleToZeroGate`).
 */
export function renderHpa(scope: Construct, props: HpaRenderProps): ApiObject {
  // Metrics stay lazy so that addMetric works until synth.
  const metrics = Lazy.any({ produce: () => props.metrics.map(m => m._toKube()) });
  const hpa = kubeObject<k8s.KubeHorizontalPodAutoscalerV2Props>(scope, 'Hpa', k8s.KubeHorizontalPodAutoscalerV2.GVK, {
    metadata: withAnnotations(objectMeta(props.name, props.namespace), declaredTargetAnnotations(scope)),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.deploymentName },
      minReplicas: props.minReplicas,
      maxReplicas: props.maxReplicas,
      behavior: props.behavior,
      metrics: metrics as any,
    },
  });
  validateMetrics(scope, 'metrics', props.metrics, props.context, true);
  scope.node.addValidation({
    validate: () => {
      validateMetrics(scope as IConstruct, 'metrics', props.metrics, props.context);
      checkScaleFromZeroMetrics(scope, props.minReplicas, props.metrics, props.scaleToZeroAlternative);
      return [];
    },
  });
  return hpa;
}

/** `meta` with `annotations` when there are any (no empty map in the manifest). */
function withAnnotations(meta: { name?: string; namespace?: string }, annotations: { [key: string]: string }): object {
  return Object.keys(annotations).length > 0 ? { ...meta, annotations } : meta;
}
