/**
 * A rule violation in a synthesized object: which object, where, what value, which rule.
 * The rule text names the upstream function it mirrors so a failure can be checked against the source.
 */
export interface Violation {
  readonly object: string;
  readonly path: string;
  readonly value: unknown;
  readonly rule: string;
}

/** Collects violations for one object. */
export class Report {
  readonly violations: Violation[] = [];
  constructor(readonly object: string) {}

  add(path: string, value: unknown, rule: string): void {
    this.violations.push({ object: this.object, path, value, rule });
  }

  /** Adds a violation unless ok. */
  expect(ok: boolean, path: string, value: unknown, rule: string): void {
    if (!ok) this.add(path, value, rule);
  }
}

export function show(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value === undefined) return 'undefined';
  try {
    const s = JSON.stringify(value);
    return s.length > 200 ? `${s.slice(0, 200)}… (${s.length} chars)` : s;
  } catch {
    return String(value);
  }
}

export function formatViolation(v: Violation): string {
  return `${v.object} ${v.path} = ${show(v.value)}: ${v.rule}`;
}

export const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
