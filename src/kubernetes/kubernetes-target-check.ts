import { GATE_NAMES } from './gate-stages';
import type { KubernetesTargetProps } from './kubernetes-target';
import { KUBERNETES_VERSION } from './kubernetes-version';
import { boolean, mapOf, optional, Shape, string } from '../validate/check';
import { oneOfStrings } from '../validate/formats';

const VERSION = string({ format: KUBERNETES_VERSION });
const GATES = mapOf(string({ format: oneOfStrings(GATE_NAMES as string[]) }), boolean());

/** The checks of `KubernetesTargetProps`. */
export const KUBERNETES_TARGET_SHAPE: Shape<KubernetesTargetProps> = {
  version: optional(VERSION),
  featureGates: optional(GATES),
};
