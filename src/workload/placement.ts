/**
 * A weighted scheduling preference (preferredDuringSchedulingIgnoredDuringExecution).
 */
export interface PreferredNodeAffinity {
  /** 1..100: how strongly to prefer matching nodes. */
  readonly weight: number;
  /** Node label key, e.g. `workload-type`. */
  readonly key: string;
  /** Accepted label values, e.g. `['ml-inference']`. */
  readonly values: string[];
}

/**
 * A toleration for a node taint.
 */
export interface TolerationSpec {
  /** Taint key. */
  readonly key: string;
  /**
   * Taint value; when omitted the toleration matches any value (operator Exists).
   * @default - any value
   */
  readonly value?: string;
  /**
   * Taint effect: exactly `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
   * @default - all effects
   */
  readonly effect?: string;
}

/**
 * Where the pods may and should run.
 */
export interface PlacementProps {
  /**
   * Node labels the pods require (`nodeSelector`).
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Instance types the pods require (`node.kubernetes.io/instance-type` In ...), e.g.
   * `['g4dn.xlarge', 'p3.2xlarge']`.
   * @default - any instance type
   */
  readonly requiredInstanceTypes?: string[];

  /**
   * Weighted preferences, e.g. the article's warm pool: `{ weight: 100, key: 'workload-type', values: ['ml-inference'] }`.
   * @default - none
   */
  readonly preferredNodeAffinities?: PreferredNodeAffinity[];

  /**
   * Extra tolerations (the GPU taint is tolerated by default, see `GpuRequest.tolerateTaint`).
   * @default - none
   */
  readonly tolerations?: TolerationSpec[];
}
