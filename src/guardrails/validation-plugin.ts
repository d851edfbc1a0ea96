import * as fs from 'fs';
import { runRules } from './engine';
import { GuardrailFinding, GuardrailSeverity } from './finding';
import { Guardrails, GuardrailsEnforceOptions } from './guardrails';
import { GUARDRAILS_ENFORCE_OPTIONS_SHAPE } from './options-check';
import { violatingResourceNames } from './violating-resource-name';
import { parseYamlDocuments } from './yaml-text';
import { propError } from '../errors';
import { checkProps } from '../validate/check';

/**
 * A resource named in a validation violation (cdk8s-cli's `ValidationViolatingResource`).
 */
export interface GuardrailsViolatingResource {
  /**
   * `metadata.name` of the resource, which cdk8s maps to the construct path; `Kind/name` when several
   * synthesized objects share the name (cdk8s keys construct paths by name only, so it would show
   * the path of another object: with `Kind/name` it shows N/A instead).
   */
  readonly resourceName: string;
  /** Where in the resource the problem is. */
  readonly locations: string[];
  /** The manifest file the resource is in. */
  readonly manifestPath: string;
}

/**
 * A violation as cdk8s-cli's validation report takes it (`ValidationViolation`).
 */
export interface GuardrailsViolation {
  /** Rule name shown as the violation title. */
  readonly ruleName: string;
  /** What is wrong. */
  readonly recommendation: string;
  /** How to fix it (and the kubectl check). */
  readonly fix: string;
  /** The resources that violate the rule. */
  readonly violatingResources: GuardrailsViolatingResource[];
}

/**
 * The part of cdk8s-cli's `ValidationReport` the plugin uses.
 */
export interface IGuardrailsValidationReport {
  /** Adds a violation. */
  addViolation(violation: GuardrailsViolation): void;
  /**
   * Submits the report.
   * @param status "success" or "failure"
   * @param metadata extra summary rows
   */
  submit(status: string, metadata?: { [key: string]: string }): void;
}

/**
 * The part of cdk8s-cli's `ValidationContext` the plugin uses.
 */
export interface IGuardrailsValidationContext {
  /** Paths of the synthesized manifest files. */
  readonly manifests: string[];
  /** The report to fill. */
  readonly report: IGuardrailsValidationReport;
}

/**
 * A cdk8s validation plugin that runs the ML autoscaling guardrails inside `cdk8s synth`, for any
 * cdk8s app. List it in `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-ml-autoscaling   # the copy the app already depends on
 *     version: 0.1.0
 *     class: GuardrailsValidation
 *     properties:
 *       gpuBudget: 16
 *       kubernetesVersion: "1.36"    # the cluster (default: what the manifests declare, else "1.35")
 *       featureGates:                # gates the cluster sets differently from that version's defaults
 *         HPAScaleToZero: true       # enabled early on this cluster
 * ```
 *
 * `properties` are `GuardrailsEnforceOptions`, checked when cdk8s loads the plugin. `kubernetesVersion`
 * and `featureGates` choose the Kubernetes version the version-dependent rules judge for (HPA
 * `minReplicas: 0`, `tolerance`, two HPAs on one workload); quote the version (`1.30` unquoted is the
 * YAML number 1.3).
 *
 * With a package name instead of a path (`package: cdk8s-ml-autoscaling`), cdk8s installs a second
 * copy from the npm registry into `~/.cdk8s/plugins`, which needs network access and can differ
 * from the version the app uses.
 *
 * The manifests are parsed in-process, with the YAML parser cdk8s bundles (cdk8s' `Yaml.load`
 * starts a `node` process per file).
 *
 * Errors fail the synth (cdk8s exits with status 2); warnings are listed in the report without
 * failing it, unless `failOnWarnings` is set.
 */
export class GuardrailsValidation {
  private readonly options: GuardrailsEnforceOptions;

  /**
   * @param props the `properties:` of the `cdk8s.yaml` entry
   */
  constructor(props: GuardrailsEnforceOptions = {}) {
    const version: unknown = (props as any)?.kubernetesVersion;
    if (typeof version === 'number') {
      // cdk8s.yaml `kubernetesVersion: 1.30` is the YAML number 1.3: say so rather than "got a number"
      throw propError('GuardrailsValidation', 'kubernetesVersion', version,
        'is a YAML number, not a version (an unquoted 1.30 reads as 1.3)', `quote it in cdk8s.yaml: kubernetesVersion: "${version}"`);
    }
    checkProps('GuardrailsValidation', 'GuardrailsEnforceOptions (cdk8s.yaml properties)', GUARDRAILS_ENFORCE_OPTIONS_SHAPE, props ?? {});
    this.options = props ?? {};
  }

  /**
   * Runs the rules over all synthesized manifests and fills the report (cdk8s-cli's `Validation.validate`).
   *
   * @param context cdk8s-cli's `ValidationContext` (typed loosely: its `manifests` is a readonly array)
   */
  public async validate(context: any): Promise<void> {
    this.validateSync(context as IGuardrailsValidationContext);
  }

  /**
   * Same as `validate`, synchronously; returns the findings.
   */
  public validateSync(context: IGuardrailsValidationContext): GuardrailFinding[] {
    const objects: any[] = [];
    const fileOf = new Map<string, string>();
    for (const manifest of context.manifests ?? []) {
      if (!fs.existsSync(manifest)) continue;
      let docs: any[];
      try {
        docs = parseYamlDocuments(fs.readFileSync(manifest, 'utf-8'));
      } catch (e: any) {
        throw new Error(`[GuardrailsValidation] ${manifest}: not valid YAML (${String(e?.message ?? e).split('\n')[0]}). ` +
          'Fix: correct the manifest, or remove it from the output directory.');
      }
      for (const obj of docs) {
        if (!obj || typeof obj !== 'object') continue;
        objects.push(obj);
        const key = `${obj.kind}|${obj.metadata?.namespace ?? ''}|${obj.metadata?.name}`;
        if (!fileOf.has(key)) fileOf.set(key, manifest);
      }
    }
    const findings = runRules(objects, this.options);
    const resourceName = violatingResourceNames(objects);
    let failed = false;
    for (const f of findings) {
      const blocking = f.severity === GuardrailSeverity.ERROR || this.options.failOnWarnings === true;
      failed = failed || blocking;
      context.report.addViolation({
        ruleName: `${f.ruleId} (${f.severity}) ${f.kind} ${f.namespace ? f.namespace + '/' : ''}${f.name}`,
        recommendation: f.problem,
        fix: `${f.fix}. Check: ${f.confirm}`,
        violatingResources: [{
          resourceName: resourceName(f.kind, f.name),
          locations: [f.location ?? 'metadata.name'],
          manifestPath: fileOf.get(`${f.kind}|${f.namespace ?? ''}|${f.name}`) ?? (context.manifests[0] ?? ''),
        }],
      });
    }
    const errors = findings.filter(f => f.severity === GuardrailSeverity.ERROR).length;
    context.report.submit(failed ? 'failure' : 'success', {
      errors: String(errors),
      warnings: String(findings.length - errors),
      rules: String(Guardrails.rules().length),
    });
    return findings;
  }
}
