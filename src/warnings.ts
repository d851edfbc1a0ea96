import { IConstruct } from 'constructs';

const WARNINGS_KEY = Symbol.for('cdk8s-ml-autoscaling.warnings');
const ACKS_KEY = Symbol.for('cdk8s-ml-autoscaling.acknowledged');
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
   * @param scope the construct (or a parent of it)
   * @param id the warning's stable ID
   * @param reason why this is fine here (kept for reviewers)
   */
  public static acknowledge(scope: IConstruct, id: string, reason: string): void {
    const acks: Record<string, string> = ((scope as any)[ACKS_KEY] ??= {});
    acks[id] = reason;
  }

  /**
   * Lists the unacknowledged warnings of a construct and all its children.
   */
  public static of(scope: IConstruct): WarningEntry[] {
    return scope.node.findAll().flatMap(c => Warnings.ownUnacknowledged(c));
  }

  private static ownUnacknowledged(scope: IConstruct): WarningEntry[] {
    const list: WarningEntry[] = (scope as any)[WARNINGS_KEY] ?? [];
    return list.filter(w => !Warnings.isAcknowledged(scope, w.id));
  }

  private static isAcknowledged(scope: IConstruct, id: string): boolean {
    for (const c of scope.node.scopes) {
      const acks = (c as any)[ACKS_KEY];
      if (acks && id in acks) return true;
    }
    return false;
  }
}
