/**
 * Internal shape of a guardrail rule. Rules are plain objects over rendered manifests; the public
 * surface is `Guardrails` (check/enforce) and `GuardrailRuleInfo` (listing).
 */
import { GuardrailSeverity, GuardrailsOptions } from './finding';
import { ManifestIndex } from './manifest';
import { KubernetesTarget } from '../kubernetes/kubernetes-target';

/** A finding before the engine adds the rule's ID, severity and the object's identity. */
export interface RawFinding {
  /** The object the finding is about (suppressions are read from it). */
  readonly obj: any;
  readonly location?: string;
  readonly problem: string;
  readonly fix: string;
  readonly confirm: string;
}

export interface RuleContext {
  readonly index: ManifestIndex;
  readonly options: GuardrailsOptions;
  /**
   * The cluster an object is for: `options.kubernetesVersion`/`featureGates` when given, else the
   * target the object declares (`ml-autoscaling.io/kubernetes-version`, written by the constructs for
   * a `KubernetesTarget` set in the app), else `KubernetesTarget.DEFAULT_VERSION`.
   */
  targetOf(obj: any): KubernetesTarget;
}

export interface Rule {
  readonly id: string;
  readonly severity: GuardrailSeverity;
  readonly title: string;
  readonly rationale: string;
  check(ctx: RuleContext): RawFinding[];
}
