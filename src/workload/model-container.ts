import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { GpuRequest } from './gpu';
import { PlacementProps } from './placement';

/**
 * An environment variable read from an existing Secret (the value never appears in the manifest).
 */
export interface SecretEnv {
  /** Variable name. */
  readonly name: string;
  /** Name of the existing Secret. */
  readonly secretName: string;
  /** Key in the Secret. */
  readonly key: string;
}

/**
 * Security settings of the model container.
 */
export interface ContainerSecurity {
  /**
   * Require a non-root user (an error together with `runAsUser: 0`).
   * @default false (many model-serving images run as root)
   */
  readonly runAsNonRoot?: boolean;
  /**
   * User ID to run as (>= 0).
   * @default - the image's user
   */
  readonly runAsUser?: number;
  /**
   * Mount the root filesystem read-only.
   * @default false
   */
  readonly readOnlyRootFilesystem?: boolean;
}

/**
 * The container and pod pieces every ML workload shares: image, command, env, model location,
 * CPU/memory/GPU resources, placement and security.
 */
export interface ModelContainerProps {
  /** Container image, e.g. `your-registry/ml-inference:v1.0`. */
  readonly image: string;

  /**
   * Container name.
   * @default - 'inference' for serving workloads, 'worker' for queue workers
   */
  readonly containerName?: string;

  /**
   * Entrypoint override.
   * @default - the image's entrypoint
   */
  readonly command?: string[];

  /**
   * Arguments.
   * @default - the image's arguments
   */
  readonly args?: string[];

  /**
   * Plain environment variables. Never put secrets here: use `secretEnv`.
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Environment variables read from existing Secrets.
   * @default - none
   */
  readonly secretEnv?: SecretEnv[];

  /**
   * Where the model lives, exposed to the container as `modelPathEnvName` (the article's `MODEL_PATH`).
   * @default - not set
   */
  readonly modelPath?: string;

  /**
   * Name of the environment variable carrying `modelPath` (an error without `modelPath`).
   * @default 'MODEL_PATH'
   */
  readonly modelPathEnvName?: string;

  /**
   * CPU request. HPA CPU utilization targets are percentages of it.
   * @default - none (then CPU utilization metrics are rejected)
   */
  readonly cpuRequest?: Cpu;

  /**
   * CPU limit.
   * @default - none
   */
  readonly cpuLimit?: Cpu;

  /**
   * Memory request. HPA memory utilization targets are percentages of it.
   * @default - none (then memory utilization metrics are rejected)
   */
  readonly memoryRequest?: Size;

  /**
   * Memory limit.
   * @default - none
   */
  readonly memoryLimit?: Size;

  /**
   * GPUs per pod.
   * @default - no GPU
   */
  readonly gpu?: GpuRequest;

  /**
   * Node selection, affinity and tolerations.
   * @default - GPU taint toleration only (when a GPU is requested)
   */
  readonly placement?: PlacementProps;

  /**
   * Container security settings. Privilege escalation is always disabled.
   * @default - privilege escalation disabled, image user
   */
  readonly security?: ContainerSecurity;

  /**
   * Service account of the pods (e.g. one bound to a cloud IAM role).
   * @default - the namespace's default service account
   */
  readonly serviceAccountName?: string;

  /**
   * Extra labels on the pods (not used in selectors). A key of the selector labels with another
   * value is an error (the selector label would overwrite it).
   * @default - none
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * Extra annotations on the pods. Annotations the construct writes from its props (the model load
   * time from `modelLoadTime`, the maximum processing time from `maxProcessingTime`, `prometheus.io/*`
   * from `metricsPort`/`metricsPath`) may not be set here to another value: set the prop instead.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
}
