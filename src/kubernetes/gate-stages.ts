/**
 * The Kubernetes feature gates whose state changes what the library renders, checks or simulates,
 * with the minor version of each stage (k8s.io/kubernetes pkg/features/kube_features.go, versioned
 * feature specs). A gate's default for a target minor is the default of the newest stage at or
 * below it; before its first stage the gate does not exist (and cannot be enabled).
 */

import { FeatureGate } from './feature-gate';

/** One stage of a gate: from `minor` on, the gate defaults to `enabled`. */
interface GateStage {
  readonly minor: number;
  readonly stage: 'alpha' | 'beta' | 'GA';
  readonly enabled: boolean;
  /** GA gates locked to their default: a cluster cannot set them otherwise. */
  readonly locked?: boolean;
}

/** Stages in ascending order. */
export const GATE_STAGES: { readonly [gate in FeatureGate]: readonly GateStage[] } = {
  [FeatureGate.HPA_SCALE_TO_ZERO]: [
    { minor: 16, stage: 'alpha', enabled: false },
    { minor: 37, stage: 'beta', enabled: true },
  ],
  [FeatureGate.HPA_CONFIGURABLE_TOLERANCE]: [
    { minor: 33, stage: 'alpha', enabled: false },
    { minor: 35, stage: 'beta', enabled: true },
    { minor: 37, stage: 'GA', enabled: true, locked: true },
  ],
};

/** The names of the known gates. */
export const GATE_NAMES: readonly string[] = Object.values(FeatureGate);

/** The stage a gate is at in a minor, or undefined before it exists. */
export function gateStage(gate: FeatureGate, minor: number): GateStage | undefined {
  let found: GateStage | undefined;
  for (const s of GATE_STAGES[gate]) if (s.minor <= minor) found = s;
  return found;
}

/** The first minor in which a gate is on by default, if any. */
export function gateOnByDefaultSince(gate: FeatureGate): number | undefined {
  return GATE_STAGES[gate].find(s => s.enabled)?.minor;
}

/** How a gate's stage reads in messages: `beta, on by default since 1.37`. */
export function describeGate(gate: FeatureGate, minor: number): string {
  const s = gateStage(gate, minor);
  const first = GATE_STAGES[gate][0];
  if (!s) return `${gate} does not exist before 1.${first.minor}`;
  return `${gate} is ${s.stage} in 1.${minor}, ${s.enabled ? 'on' : 'off'} by default`;
}
