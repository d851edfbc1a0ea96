/**
 * The kube-controller-manager feature gates that change HPA decisions, per Kubernetes minor, transcribed from
 * pkg/features/kube_features.go:
 *
 *   HPAConfigurableTolerance: {1.33 Alpha default false}, {1.35 Beta default true}, {1.37 GA default true, LockToDefault}
 *   HPAScaleToZero:           {1.16 Alpha default false}, {1.37 Beta default true}
 *
 * and the controller code generation the minor runs: the condition-based scale-to-zero logic of
 * kubernetes/kubernetes PR 135118 from 1.36 on, the older branch (no gate check, no ScaledToZero condition) before.
 */

export interface ReferenceGates {
  readonly HPAScaleToZero: boolean;
  readonly HPAConfigurableTolerance: boolean;
}

/** The minor of a "1.37" / "v1.37.2" version string. */
export function kubernetesMinor(version: string): number {
  const m = /^v?1\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  if (!m) throw new Error(`reference: not a Kubernetes 1.x version: ${version}`);
  return Number(m[1]);
}

/** Gate values at a minor with explicit overrides (an override of a locked gate fails, as the component would). */
export function resolveReferenceGates(minor: number, overrides: Partial<ReferenceGates> = {}): ReferenceGates {
  const toleranceDefault = minor >= 35; // alpha 1.33 (off), beta 1.35 (on), GA 1.37 (locked on)
  const toleranceLocked = minor >= 37;
  const scaleToZeroDefault = minor >= 37; // alpha 1.16 (off), beta 1.37 (on)
  let tolerance = toleranceDefault;
  if (overrides.HPAConfigurableTolerance !== undefined) {
    if (toleranceLocked && overrides.HPAConfigurableTolerance !== toleranceDefault) {
      throw new Error('reference: cannot set feature gate HPAConfigurableTolerance to false, feature is locked to true');
    }
    // below 1.33 the gate does not exist; the field is not honoured either way
    tolerance = minor >= 33 ? overrides.HPAConfigurableTolerance : false;
  } else if (minor < 33) {
    tolerance = false;
  }
  const scaleToZero = overrides.HPAScaleToZero ?? scaleToZeroDefault;
  return { HPAScaleToZero: scaleToZero, HPAConfigurableTolerance: tolerance };
}

/** Whether the minor runs the PR 135118 (condition-based) reconcileAutoscaler. */
export function hasConditionBasedScaleToZero(minor: number): boolean {
  return minor >= 36;
}
