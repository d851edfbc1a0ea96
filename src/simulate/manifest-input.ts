import { findTarget } from './find-target';

const SITE = 'ManifestInput.findTarget';

/**
 * A workload and the autoscaler that scales it, found in a list of manifests.
 */
export interface ScalingTarget {
  /** The workload's name. */
  readonly workloadName: string;
  /** The Deployment/StatefulSet manifest, if the list contains it. */
  readonly workload?: any;
  /** The HorizontalPodAutoscaler targeting the workload (exclusive with `scaledObject`). */
  readonly horizontalPodAutoscaler?: any;
  /** The KEDA ScaledObject targeting the workload (exclusive with `horizontalPodAutoscaler`). */
  readonly scaledObject?: any;
  /** GPUs requested by one pod (sum over containers of `*\/gpu` requests, or limits), 0 if none. */
  readonly gpusPerReplica: number;
  /** CPU cores requested by one pod, 0 if none or unknown. */
  readonly cpuRequestCores: number;
  /** Memory bytes requested by one pod, 0 if none or unknown. */
  readonly memoryRequestBytes: number;
  /** The pod template's `ml-autoscaling.io/model-load-seconds` annotation, if present. */
  readonly modelLoadSeconds?: number;
  /**
   * The pod template's `ml-autoscaling.io/server-metrics` annotation: the series that measures each
   * model-server signal (`queueSize`, `batchSize`, `kvCacheUsage`, `gpuUtilization`, `gpuMemoryUsed`),
   * e.g. `{ queueSize: 'vllm:num_requests_waiting' }`, if present.
   */
  readonly serverMetrics?: { [signal: string]: string };
  /** The largest readiness probe `initialDelaySeconds` of the pod's containers, if any. */
  readonly readinessDelaySeconds?: number;
  /** The workload's `spec.replicas`, if set. */
  readonly replicas?: number;
}

/**
 * Reads plain manifests (e.g. `Yaml.load(file)` or `Testing.synth(chart)`) for the simulator.
 */
export class ManifestInput {
  /**
   * Finds the workload called `name` (or the HPA/ScaledObject called `name`) and the autoscaler that targets it.
   * Namespaces are ignored: names must be unique within the list.
   */
  public static findTarget(manifests: any[], name: string): ScalingTarget {
    return findTarget({ site: SITE, manifests: 'manifests', name: 'name' }, manifests, name);
  }
}
