import { PlacementProps, PreferredNodeAffinity, TolerationSpec } from './placement';
import { arrayOf, Check, integer, optional, string, struct } from '../validate/check';
import { lightLabels } from '../validate/fast';
import { LABEL_VALUE_FORMAT, oneOfStrings, QUALIFIED_NAME } from '../validate/formats';

/** Taint effects the API server knows. */
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

const LABEL_VALUE = string({ minLength: 0, format: LABEL_VALUE_FORMAT });

/** `PreferredNodeAffinity`: weight 1..100, a label key, at least one label value. */
export const PREFERRED_NODE_AFFINITY: Check = struct<PreferredNodeAffinity>('PreferredNodeAffinity', {
  weight: integer({ min: 1, max: 100 }),
  key: string({ format: QUALIFIED_NAME }),
  values: arrayOf(LABEL_VALUE, { minLength: 1 }),
});

/** `TolerationSpec`: a taint key (label key), label value, and an effect the API server knows. */
export const TOLERATION_SPEC: Check = struct<TolerationSpec>('TolerationSpec', {
  key: string({ format: QUALIFIED_NAME, fix: 'set key to the taint key, e.g. "nvidia.com/gpu"' }),
  value: optional(LABEL_VALUE),
  effect: optional(string({ format: oneOfStrings(TAINT_EFFECTS) })),
});

/** `PlacementProps`. */
export const PLACEMENT: Check = struct<PlacementProps>('PlacementProps', {
  nodeSelector: optional(lightLabels()),
  requiredInstanceTypes: optional(arrayOf(string({ format: LABEL_VALUE_FORMAT }))),
  preferredNodeAffinities: optional(arrayOf(PREFERRED_NODE_AFFINITY)),
  tolerations: optional(arrayOf(TOLERATION_SPEC)),
});
