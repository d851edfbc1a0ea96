/**
 * A Kubernetes feature gate the library knows (the gate's name is the value).
 */
export enum FeatureGate {
  /**
   * `HPAScaleToZero` (KEP-2021): an HPA with `minReplicas: 0` and at least one Object or External
   * metric scales its target to zero and back. Alpha (off) since 1.16, beta and on by default since
   * 1.37; since 1.36 the kube-controller-manager must have it too, not only the API server.
   */
  HPA_SCALE_TO_ZERO = 'HPAScaleToZero',

  /**
   * `HPAConfigurableTolerance` (KEP-4951): `behavior.scaleUp.tolerance` and
   * `behavior.scaleDown.tolerance`. Alpha (off) in 1.33 and 1.34, beta and on by default in 1.35 and
   * 1.36, GA (always on) since 1.37. With the gate off the API server drops the fields silently.
   */
  HPA_CONFIGURABLE_TOLERANCE = 'HPAConfigurableTolerance',
}
