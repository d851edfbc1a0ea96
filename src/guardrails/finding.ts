/**
 * How bad a guardrail finding is.
 */
export enum GuardrailSeverity {
  /** The configuration does not work as written (rejected, ignored, or fights itself): synth fails, the CLI exits 1. */
  ERROR = 'error',
  /** Risky but legal: printed, does not fail synth, the CLI still exits 0. */
  WARNING = 'warning',
}

/**
 * One problem found in the rendered objects, tied to one object.
 */
export interface GuardrailFinding {
  /** Stable rule identifier, e.g. `ML-E-TWO-AUTOSCALERS`. Use it to suppress the finding. */
  readonly ruleId: string;
  /** Error or warning. */
  readonly severity: GuardrailSeverity;
  /** Kind of the object the finding is about, e.g. `HorizontalPodAutoscaler`. */
  readonly kind: string;
  /** `metadata.name` of the object. */
  readonly name: string;
  /**
   * `metadata.namespace` of the object.
   * @default - the manifest names no namespace (the namespace it is applied to)
   */
  readonly namespace?: string;
  /**
   * `apiVersion` of the object.
   * @default - not written in the manifest
   */
  readonly apiVersion?: string;
  /**
   * Field inside the object where the problem is, e.g. `spec.triggers[0].metadata.type`.
   * @default - the object as a whole
   */
  readonly location?: string;
  /** What is wrong, in the user's terms. */
  readonly problem: string;
  /** What to change. */
  readonly fix: string;
  /** The kubectl command that confirms the problem on a live cluster. */
  readonly confirm: string;
  /** The whole finding on one line: severity, rule, object, problem, fix and kubectl check. */
  readonly message: string;
  /**
   * The reason given in the object's `ml-autoscaling.io/suppress` annotation, when the finding is suppressed.
   * Suppressed findings are only returned with `includeSuppressed`.
   * @default - not suppressed
   */
  readonly suppressedReason?: string;
}

/**
 * What a guardrail rule checks, for listings and documentation.
 */
export interface GuardrailRuleInfo {
  /** Stable rule identifier. */
  readonly id: string;
  /** Error or warning. */
  readonly severity: GuardrailSeverity;
  /** One line: what the rule catches. */
  readonly title: string;
  /** Why it matters. */
  readonly rationale: string;
}

/**
 * Options of a guardrails run.
 */
export interface GuardrailsOptions {
  /**
   * The most GPUs all autoscaled workloads together may claim at their maximum replicas.
   * @default - no budget: the GPU budget rule does not run
   */
  readonly gpuBudget?: number;
  /**
   * Extra extended-resource names that count as GPUs, besides `nvidia.com/gpu`, `nvidia.com/mig-*`,
   * `amd.com/gpu` and `gpu.intel.com/*`.
   * @default - only the well-known GPU resource names
   */
  readonly gpuResourceNames?: string[];
  /**
   * Rule IDs not to run at all (for every object). Prefer per-object suppression with a reason.
   * @default - all rules run
   */
  readonly disabledRules?: string[];
  /**
   * Also return suppressed findings (with `suppressedReason` set), e.g. for audits.
   * @default false
   */
  readonly includeSuppressed?: boolean;
  /**
   * The Kubernetes version the manifests are for (`"1.37"`): rules that depend on it (HPA scale to
   * zero, tolerance, AmbiguousSelector) judge by it.
   * @default - `Guardrails.enforce`: the `KubernetesTarget` of its scope; otherwise
   * `KubernetesTarget.DEFAULT_VERSION`
   */
  readonly kubernetesVersion?: string;
  /**
   * Feature gates set differently from the version's defaults (e.g. `{ HPAScaleToZero: true }`).
   * @default - `Guardrails.enforce`: those of its scope's `KubernetesTarget` (unless `kubernetesVersion`
   * is given); otherwise the version's defaults
   */
  readonly featureGates?: { [gate: string]: boolean };
}
