import { k8s } from 'cdk8s-plus-28';
import {
  CONTAINER_NAME, EXTERNAL_METRIC_OPTIONS, METRIC_TARGET, OBJECT_METRIC_OPTIONS, PODS_METRIC_OPTIONS, RESOURCE_NAME,
} from './metric-check';
import { MetricTarget, MetricTargetType } from './metric-target';
import { UTILIZATION_PERCENT } from './utilization-check';
import { DCGM_EXPORTER, SignalKind } from '../model-server/server-catalog';
import { checkProps, checkValue, number } from '../validate/check';

/** DCGM's GPU utilization series (percent, 4.8.x). */
const DCGM_GPU_UTIL = DCGM_EXPORTER.metrics.find(m => m.signal === SignalKind.GPU_UTILIZATION)!.series;

/** A GPU utilization target in percent: above 0, at most 100, at most 3 decimals (a quantity). */
const GPU_PERCENT = number({ min: 0, exclusiveMin: true, max: 100, fix: 'set percent to a number greater than 0 and at most 100, e.g. 70' });

/**
 * Kinds of autoscaling/v2 metric sources.
 */
export enum MetricSourceType {
  /** CPU or memory of the pods, from metrics-server. */
  RESOURCE = 'Resource',
  /** CPU or memory of one container of the pods. */
  CONTAINER_RESOURCE = 'ContainerResource',
  /** A custom metric reported per pod (custom.metrics.k8s.io, e.g. through Prometheus Adapter). */
  PODS = 'Pods',
  /** A custom metric describing another Kubernetes object (e.g. an Ingress's request rate). */
  OBJECT = 'Object',
  /** A metric from outside the cluster (external.metrics.k8s.io, e.g. a queue length). */
  EXTERNAL = 'External',
}

/**
 * A label selector for metric series: `matchLabels` only, as custom/external metric adapters use.
 */
export interface MetricSelector {
  /** Labels the series must carry. */
  readonly matchLabels: { [key: string]: string };
}

/**
 * Options for a custom per-pod metric.
 */
export interface PodsMetricOptions {
  /** Metric name as served by the custom metrics API (e.g. `inference_queue_depth`). */
  readonly name: string;
  /** Target average value per pod. Must be an average-value target. */
  readonly target: MetricTarget;
  /**
   * Narrows the series.
   * @default - all series of the metric for the pods
   */
  readonly selector?: MetricSelector;
}

/**
 * The object an Object metric describes.
 */
export interface DescribedObject {
  /** API version, e.g. `networking.k8s.io/v1`. */
  readonly apiVersion: string;
  /** Kind, e.g. `Ingress`. */
  readonly kind: string;
  /** Name of the object (same namespace as the autoscaler). */
  readonly name: string;
}

/**
 * Options for an Object metric.
 */
export interface ObjectMetricOptions {
  /** Metric name. */
  readonly name: string;
  /** The object the metric describes. */
  readonly describedObject: DescribedObject;
  /** Value (whole) or average value (divided by the replica count) target. */
  readonly target: MetricTarget;
  /**
   * Narrows the series.
   * @default - none
   */
  readonly selector?: MetricSelector;
}

/**
 * Options for an External metric.
 */
export interface ExternalMetricOptions {
  /** Metric name as served by the external metrics API (e.g. `requests_per_second`). */
  readonly name: string;
  /** Value (whole) or average value (divided by the replica count) target. */
  readonly target: MetricTarget;
  /**
   * Selects the series (e.g. `{ matchLabels: { service: 'hybrid-ml' } }`).
   * @default - none
   */
  readonly selector?: MetricSelector;
}

/**
 * One autoscaling/v2 metric: what to measure and the target to keep it at.
 */
export class Metric {
  /**
   * Average CPU utilization of the pods in percent of their CPU requests (e.g. 70).
   *
   * @param percent a whole number of at least 1 (above 100 is allowed), at most 2147483647
   */
  public static cpuUtilization(percent: number): Metric {
    checkValue('Metric.cpuUtilization', 'percent', percent, UTILIZATION_PERCENT);
    return Metric.resource('cpu', MetricTarget.averageUtilization(percent));
  }

  /**
   * Average memory utilization of the pods in percent of their memory requests (e.g. 80).
   *
   * @param percent a whole number of at least 1 (above 100 is allowed), at most 2147483647
   */
  public static memoryUtilization(percent: number): Metric {
    checkValue('Metric.memoryUtilization', 'percent', percent, UTILIZATION_PERCENT);
    return Metric.resource('memory', MetricTarget.averageUtilization(percent));
  }

  /**
   * Average GPU utilization of the pods in percent (e.g. 70), from NVIDIA's DCGM exporter 4.8
   * (`DCGM_FI_DEV_GPU_UTIL`, a Pods metric with an AverageValue target; a pod with several GPUs
   * counts their average). `PrometheusAdapterRules` serves it by the exporter's pod labels
   * (`gpuMetricLabels`). The exporter must attribute GPUs to pods: `DCGM_EXPORTER_KUBERNETES=true`
   * (its Helm chart sets it) and the kubelet pod-resources socket mounted. A fair signal for non-LLM
   * models; an LLM server keeps its GPU busy whatever the load (scale it on `ScalingSignal.queueSize`).
   *
   * Sources: etc/default-counters.csv and pkg/cmd/app.go of NVIDIA/dcgm-exporter 4.5.3-4.8.2. From
   * 4.9.0 the exporter renames the metric and reports a 0..1 ratio: use `Metric.pods` with its name.
   *
   * @param percent greater than 0, at most 100
   */
  public static gpuUtilization(percent: number): Metric {
    checkValue('Metric.gpuUtilization', 'percent', percent, GPU_PERCENT);
    return Metric.pods({ name: DCGM_GPU_UTIL, target: MetricTarget.averageValue(percent) });
  }

  /**
   * A resource metric (`cpu` or `memory`) of the whole pod.
   *
   * @param resourceName `cpu` or `memory` (a resource name; the construct rejects others, which the HPA cannot read)
   * @param target a `MetricTarget` (Utilization or AverageValue)
   */
  public static resource(resourceName: string, target: MetricTarget): Metric {
    checkValue('Metric.resource', 'resourceName', resourceName, RESOURCE_NAME);
    checkValue('Metric.resource', 'target', target, METRIC_TARGET);
    return new Metric(MetricSourceType.RESOURCE, resourceName, target, { resourceName });
  }

  /**
   * A resource metric (`cpu` or `memory`) of one container of the pod.
   *
   * @param resourceName `cpu` or `memory`
   * @param containerName the container's name (a DNS-1123 label)
   * @param target a `MetricTarget` (Utilization or AverageValue)
   */
  public static containerResource(resourceName: string, containerName: string, target: MetricTarget): Metric {
    checkValue('Metric.containerResource', 'resourceName', resourceName, RESOURCE_NAME);
    checkValue('Metric.containerResource', 'containerName', containerName, CONTAINER_NAME);
    checkValue('Metric.containerResource', 'target', target, METRIC_TARGET);
    return new Metric(MetricSourceType.CONTAINER_RESOURCE, resourceName, target, { resourceName, containerName });
  }

  /**
   * A custom per-pod metric, e.g. the article's `inference_queue_depth` with an average value of 10.
   */
  public static pods(options: PodsMetricOptions): Metric {
    checkProps('Metric.pods', 'PodsMetricOptions', PODS_METRIC_OPTIONS, options);
    return new Metric(MetricSourceType.PODS, options.name, options.target, { selector: options.selector });
  }

  /**
   * A metric describing another Kubernetes object.
   */
  public static object(options: ObjectMetricOptions): Metric {
    checkProps('Metric.object', 'ObjectMetricOptions', OBJECT_METRIC_OPTIONS, options);
    return new Metric(MetricSourceType.OBJECT, options.name, options.target,
      { selector: options.selector, describedObject: options.describedObject });
  }

  /**
   * A metric from outside the cluster, e.g. the article's `requests_per_second` with selector
   * `service: hybrid-ml` and an average value of 100.
   */
  public static external(options: ExternalMetricOptions): Metric {
    checkProps('Metric.external', 'ExternalMetricOptions', EXTERNAL_METRIC_OPTIONS, options);
    return new Metric(MetricSourceType.EXTERNAL, options.name, options.target, { selector: options.selector });
  }

  /** Resource name for Resource/ContainerResource metrics. */
  public readonly resourceName?: string;
  /** Container name for ContainerResource metrics. */
  public readonly containerName?: string;
  /** Label selector for custom metrics. */
  public readonly selector?: MetricSelector;
  /** The object an Object metric describes. */
  public readonly describedObject?: DescribedObject;

  private constructor(
    /** Metric source type. */
    public readonly sourceType: MetricSourceType,
    /** Metric name (the resource name for resource metrics). */
    public readonly name: string,
    /** Target. */
    public readonly target: MetricTarget,
    extra: { resourceName?: string; containerName?: string; selector?: MetricSelector; describedObject?: DescribedObject }) {
    this.resourceName = extra.resourceName;
    this.containerName = extra.containerName;
    // copies: later changes to the caller's objects cannot bypass the checks
    this.selector = extra.selector ? { matchLabels: { ...extra.selector.matchLabels } } : undefined;
    this.describedObject = extra.describedObject
      ? { apiVersion: extra.describedObject.apiVersion, kind: extra.describedObject.kind, name: extra.describedObject.name } : undefined;
  }

  /**
   * Target types each source allows (the API server rejects the others).
   * @internal
   */
  public _allowedTargets(): MetricTargetType[] {
    switch (this.sourceType) {
      case MetricSourceType.RESOURCE:
      case MetricSourceType.CONTAINER_RESOURCE:
        return [MetricTargetType.UTILIZATION, MetricTargetType.AVERAGE_VALUE];
      case MetricSourceType.PODS:
        return [MetricTargetType.AVERAGE_VALUE];
      default:
        return [MetricTargetType.VALUE, MetricTargetType.AVERAGE_VALUE];
    }
  }

  /** @internal */
  public _toKube(): k8s.MetricSpecV2 {
    const target = this.target._toKube();
    const metric = { name: this.name, selector: this.selector ? { matchLabels: this.selector.matchLabels } : undefined };
    switch (this.sourceType) {
      case MetricSourceType.RESOURCE:
        return { type: this.sourceType, resource: { name: this.name, target } };
      case MetricSourceType.CONTAINER_RESOURCE:
        return { type: this.sourceType, containerResource: { name: this.name, container: this.containerName!, target } };
      case MetricSourceType.PODS:
        return { type: this.sourceType, pods: { metric, target } };
      case MetricSourceType.OBJECT:
        return { type: this.sourceType, object: { metric, target, describedObject: { ...this.describedObject! } } };
      default:
        return { type: this.sourceType, external: { metric, target } };
    }
  }
}
