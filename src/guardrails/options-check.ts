import { GuardrailsOptions } from './finding';
import { GuardrailsEnforceOptions } from './guardrails';
import { unknownRuleIdProblem } from './known-ids';
import { KUBERNETES_TARGET_SHAPE } from '../kubernetes/kubernetes-target-check';
import { arrayOf, boolean, Check, integer, optional, satisfies, Shape, string } from '../validate/check';
import { EXTENDED_RESOURCE_NAME } from '../validate/formats';

/** The ID of a guardrail rule (a misspelled one would disable nothing). */
const RULE_ID = string({
  format: {
    description: 'a rule ID such as "ML-W-GPU-WITHOUT-PLACEMENT"',
    test: v => (/^ML-[EW]-[A-Z0-9-]+$/.test(v) ? unknownRuleIdProblem(v) : 'is not a rule ID (ML-E-... or ML-W-...)'),
    fix: () => 'use an ID listed by Guardrails.rules() (`cdk8s-ml-autoscaling lint --help`)',
  },
});

const RESOURCE_NAME = string({ format: EXTENDED_RESOURCE_NAME });

export const GUARDRAILS_OPTIONS_SHAPE: Shape<GuardrailsOptions> = {
  gpuBudget: optional(integer({ min: 0 })),
  gpuResourceNames: optional(arrayOf(RESOURCE_NAME)),
  disabledRules: optional(arrayOf(RULE_ID)),
  includeSuppressed: optional(boolean()),
  kubernetesVersion: KUBERNETES_TARGET_SHAPE.version,
  featureGates: KUBERNETES_TARGET_SHAPE.featureGates,
};

export const GUARDRAILS_ENFORCE_OPTIONS_SHAPE: Shape<GuardrailsEnforceOptions> = {
  ...GUARDRAILS_OPTIONS_SHAPE,
  failOnWarnings: optional(boolean()),
};

/** The objects `Guardrails.check` takes: an array of objects (plain JSON manifests, `List`s expanded). */
export const OBJECTS: Check = arrayOf(satisfies('an object (a Kubernetes manifest)',
  v => v !== null && typeof v === 'object' && !Array.isArray(v), 'pass the parsed manifests only (skip empty YAML documents)'));
