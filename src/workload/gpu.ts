/**
 * GPUs for each pod, as a Kubernetes extended resource (requests always equal limits).
 */
export interface GpuRequest {
  /**
   * GPUs per pod (a whole number >= 1).
   */
  readonly count: number;

  /**
   * The extended resource name: `nvidia.com/gpu`, `amd.com/gpu`, or a MIG profile such as
   * `nvidia.com/mig-1g.10gb`.
   * @default 'nvidia.com/gpu'
   */
  readonly resourceName?: string;

  /**
   * Add a toleration for the GPU nodes' taint (`<taintKey>:NoSchedule`, operator Exists), as GPU
   * node pools are usually tainted so that only GPU pods land there.
   * @default true
   */
  readonly tolerateTaint?: boolean;

  /**
   * Taint key to tolerate (an error with `tolerateTaint: false`, which turns the toleration off).
   * @default - `nvidia.com/gpu` for NVIDIA resources (including MIG profiles), `amd.com/gpu` for AMD,
   * otherwise the resource name
   */
  readonly taintKey?: string;
}
