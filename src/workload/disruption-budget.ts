/**
 * The PodDisruptionBudget that protects warm model pods from voluntary evictions (node drains,
 * cluster-autoscaler scale-down).
 */
export interface DisruptionBudgetOptions {
  /**
   * Create the PodDisruptionBudget. With `false`, setting any other option is an error (it would be ignored).
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Pods that may be evicted at once. Mutually exclusive with `minAvailable`.
   * @default 1 (drains proceed one pod at a time, even at minimum scale)
   */
  readonly maxUnavailable?: number;

  /**
   * Pods that must stay available. If it is >= the autoscaler's minimum, node drains block at
   * minimum scale: allowed, with a synth warning.
   * @default - not set (maxUnavailable 1 is used)
   */
  readonly minAvailable?: number;

  /**
   * Object name.
   * @default - `<name>-pdb` when the service has a name, otherwise generated
   */
  readonly name?: string;
}
