import { Construct, IConstruct } from 'constructs';
import { acknowledgementOf, recordAcknowledgement } from './guardrails/acknowledgements';
import { constructWarningIds, didYouMean, guardrailRuleIds, isGuardrailRuleId } from './guardrails/known-ids';
import { Check, checkValue, fail, instanceOf, string, StringFormat } from './validate/check';

const WARNING_ID_FORMAT: StringFormat = {
  description: 'a warning ID (e.g. "ML-W-PDB-BLOCKS-DRAIN": letters, digits, "-", "_" and ".", no spaces)',
  test: v => (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v) ? undefined : 'is not a warning ID (letters, digits, "-", "_" and ".", starting with a letter or digit)'),
};
const SCOPE: Check = instanceOf(v => Construct.isConstruct(v), 'Construct', 'pass the construct the warning is about (or a parent of it)');
const WARNING_ID: Check = string({ format: WARNING_ID_FORMAT, fix: 'use the ID printed with the warning, e.g. "ML-W-PDB-BLOCKS-DRAIN"' });
const TEXT: Check = string();

/** IDs passed to `Warnings.add` in this process (an app's own warnings can be acknowledged once added). */
const added = new Set<string>();

/** A warning ID this library (or `Warnings.add`) knows: a misspelled acknowledgement would silence nothing. */
const KNOWN_WARNING_ID: Check = {
  expected: 'a known warning or guardrail rule ID',
  check(value, site) {
    const known = [...guardrailRuleIds(), ...constructWarningIds(), ...added];
    if (known.includes(value as string)) return;
    fail(site, value, `is not a warning nor a guardrail rule ID${didYouMean(value as string, known)}, so it would acknowledge nothing`,
      'use the ID printed with the warning; Guardrails.rules() lists the rule IDs (an ID of your own Warnings.add is known once added)');
  },
};

/** A reason written into the `ml-autoscaling.io/suppress` annotation, where ";" and new lines separate entries. */
const ANNOTATION_REASON: Check = string({
  format: {
    description: 'a reason on one line, without ";"',
    test: v => (/[;\n\r]/.test(v) ? 'contains ";" or a line break, which separate entries of the ml-autoscaling.io/suppress annotation it is written into' : undefined),
    fix: () => 'write the reason on one line without ";" (e.g. use "," instead)',
  },
});

const WARNINGS_KEY = Symbol.for('cdk8s-ml-autoscaling.warnings');
const PRINTER_KEY = Symbol.for('cdk8s-ml-autoscaling.printer');

/** Warnings already printed: cdk8s validates an app more than once per synth (app, then each chart). */
const printed = new WeakSet<WarningEntry>();

/**
 * A risky-but-legal setting found at synth time.
 */
export interface WarningEntry {
  /** Stable identifier, e.g. `ML-W-PDB-BLOCKS-DRAIN`. Use it to acknowledge the warning. */
  readonly id: string;
  /** Construct path the warning is attached to. */
  readonly path: string;
  /** What is risky and how to fix it. */
  readonly message: string;
}

/**
 * Warnings with stable IDs (cdk8s has no warnings API of its own).
 *
 * Warnings are printed to stderr when the chart is synthesized, unless acknowledged on the
 * construct or one of its parents with `Warnings.acknowledge(scope, id, reason)`.
 */
export class Warnings {
  /**
   * Records a warning on a construct. It is printed once, at synth.
   */
  public static add(scope: IConstruct, id: string, message: string): void {
    checkValue('Warnings.add', 'scope', scope, SCOPE);
    checkValue('Warnings.add', 'id', id, WARNING_ID);
    checkValue('Warnings.add', 'message', message, TEXT);
    added.add(id);
    const list: WarningEntry[] = ((scope as any)[WARNINGS_KEY] ??= []);
    if (list.some(w => w.id === id && w.message === message)) return;
    list.push({ id, path: scope.node.path, message });
    if (!(scope as any)[PRINTER_KEY]) {
      (scope as any)[PRINTER_KEY] = true;
      scope.node.addValidation({
        validate: () => {
          if (process.env.CDK8S_ML_AUTOSCALING_QUIET !== '1') {
            for (const w of Warnings.ownUnacknowledged(scope)) {
              if (printed.has(w)) continue;
              printed.add(w);
              process.stderr.write(`[WARNING] ${w.id} at ${w.path}: ${w.message}\n`);
            }
          }
          return [];
        },
      });
    }
  }

  /**
   * Acknowledges a warning for a construct and everything below it: it is no longer printed nor listed.
   *
   * The ID must be one the library knows: a guardrail rule ID (`Guardrails.rules()`), the ID of a
   * construct warning, or one already passed to `Warnings.add`. An acknowledged guardrail rule
   * travels with the objects: at synth, each object under `scope` with a finding of that rule gets
   * the annotation `ml-autoscaling.io/suppress: "RULE-ID: reason"`, so `lint`, the validation plugin
   * and `Guardrails.check` do not report it again.
   *
   * @param scope the construct (or a parent of it)
   * @param id the warning's stable ID
   * @param reason why this is fine here (kept for reviewers; must not be empty; for a rule ID, one line without ";")
   */
  public static acknowledge(scope: IConstruct, id: string, reason: string): void {
    checkValue('Warnings.acknowledge', 'scope', scope, SCOPE);
    checkValue('Warnings.acknowledge', 'id', id, WARNING_ID);
    checkValue('Warnings.acknowledge', 'reason', reason, string({ fix: 'say why the warning is fine here, for reviewers' }));
    checkValue('Warnings.acknowledge', 'id', id, KNOWN_WARNING_ID);
    if (isGuardrailRuleId(id)) checkValue('Warnings.acknowledge', 'reason', reason, ANNOTATION_REASON);
    recordAcknowledgement(scope, id, reason);
  }

  /**
   * Lists the unacknowledged warnings of a construct and all its children.
   */
  public static of(scope: IConstruct): WarningEntry[] {
    checkValue('Warnings.of', 'scope', scope, SCOPE);
    return scope.node.findAll().flatMap(c => Warnings.ownUnacknowledged(c));
  }

  private static ownUnacknowledged(scope: IConstruct): WarningEntry[] {
    const list: WarningEntry[] = (scope as any)[WARNINGS_KEY] ?? [];
    return list.filter(w => !Warnings.isAcknowledged(scope, w.id));
  }

  private static isAcknowledged(scope: IConstruct, id: string): boolean {
    return acknowledgementOf(scope, id) !== undefined;
  }
}
