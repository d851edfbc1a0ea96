import * as fs from 'fs';
import { Yaml } from 'cdk8s';
import { runRules } from './engine';
import { GuardrailFinding, GuardrailSeverity } from './finding';
import { Guardrails, GuardrailsEnforceOptions } from './guardrails';
import { GUARDRAILS_ENFORCE_OPTIONS_SHAPE } from './options-check';
import { checkProps } from '../validate/check';

/**
 * A resource named in a validation violation (cdk8s-cli's `ValidationViolatingResource`).
 */
export interface GuardrailsViolatingResource {
  /** `metadata.name` of the resource (cdk8s maps it to the construct path). */
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
 *   - package: cdk8s-ml-autoscaling
 *     version: 0.1.0
 *     class: GuardrailsValidation
 *     properties:
 *       gpuBudget: 16
 * ```
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
      for (const obj of Yaml.load(manifest)) {
        if (!obj || typeof obj !== 'object') continue;
        objects.push(obj);
        const key = `${obj.kind}|${obj.metadata?.namespace ?? ''}|${obj.metadata?.name}`;
        if (!fileOf.has(key)) fileOf.set(key, manifest);
      }
    }
    const findings = runRules(objects, this.options);
    let failed = false;
    for (const f of findings) {
      const blocking = f.severity === GuardrailSeverity.ERROR || this.options.failOnWarnings === true;
      failed = failed || blocking;
      context.report.addViolation({
        ruleName: `${f.ruleId} (${f.severity}) ${f.kind} ${f.namespace ? f.namespace + '/' : ''}${f.name}`,
        recommendation: f.problem,
        fix: `${f.fix}. Check: ${f.confirm}`,
        violatingResources: [{
          resourceName: f.name,
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
