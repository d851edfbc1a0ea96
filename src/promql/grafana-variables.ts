/**
 * Grafana's template variables in a dashboard's PromQL (`$__rate_interval`, `$namespace`,
 * `${var}`, `${var:regex}`, `[[var]]`), replaced by values that fit where they stand so the query
 * can be parsed offline: an interval (`5m`) in a range or after `offset`, a label name in a
 * grouping or matcher, a value inside quotes, a metric name before a selector, else `1`.
 */

/** Built-in Grafana variables and what they stand for. */
const BUILTINS: { readonly [name: string]: string } = {
  __rate_interval: '5m',
  __interval: '5m',
  __range: '1h',
  __auto: '5m',
  __interval_ms: '300000',
  __range_ms: '3600000',
  __range_s: '3600',
  __from: '1700000000',
  __to: '1700003600',
};

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}|\[\[([A-Za-z_][A-Za-z0-9_]*)(?::[^\]]*)?\]\]|\$([A-Za-z_][A-Za-z0-9_]*)/y;

/** A query with its variables replaced, and where each offset of it came from in the original. */
export interface SubstitutedQuery {
  readonly query: string;
  /** The original offset of an offset of `query` (the variable's start for text a variable produced). */
  originalOffset(offset: number): number;
}

interface Part {
  readonly outFrom: number;
  readonly srcFrom: number;
  readonly length: number;
  readonly literal: boolean;
}

/** Whether `query` holds a Grafana variable. */
export function hasGrafanaVariables(query: string): boolean {
  return /\$\{?[A-Za-z_]|\[\[[A-Za-z_]/.test(query);
}

/** Replaces Grafana's template variables in `query` (see the module doc). */
export function substituteGrafanaVariables(query: string): SubstitutedQuery {
  const parts: Part[] = [];
  let out = '';
  let literalFrom = 0;
  let quote = '';
  const brackets: string[] = [];
  let grouping = false;
  const flush = (to: number) => {
    if (to > literalFrom) {
      parts.push({ outFrom: out.length, srcFrom: literalFrom, length: to - literalFrom, literal: true });
      out += query.slice(literalFrom, to);
    }
  };
  for (let i = 0; i < query.length;) {
    const c = query[i];
    if (quote) {
      if (c === '\\' && quote !== '`') {
        i += 2;
        continue;
      }
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === '(' || c === '{' || c === '[' && !query.startsWith('[[', i)) {
      brackets.push(c);
      if (c === '(') grouping = /\b(by|without|on|ignoring|group_left|group_right)\s*$/i.test(query.slice(Math.max(0, i - 20), i));
    } else if (c === ')' || c === '}' || c === ']' && !query.startsWith(']]', i)) {
      brackets.pop();
      if (c === ')') grouping = false;
    }
    if (c !== '$' && c !== '[') {
      i++;
      continue;
    }
    VARIABLE.lastIndex = i;
    const m = VARIABLE.exec(query);
    if (!m) {
      i++;
      continue;
    }
    const name = m[1] ?? m[2] ?? m[3];
    flush(i);
    const value = valueFor(name, query, i, i + m[0].length, quote !== '', brackets[brackets.length - 1], grouping);
    parts.push({ outFrom: out.length, srcFrom: i, length: value.length, literal: false });
    out += value;
    i += m[0].length;
    literalFrom = i;
  }
  flush(query.length);
  return {
    query: out,
    originalOffset(offset: number): number {
      for (const p of parts) {
        if (offset >= p.outFrom && offset < p.outFrom + p.length) return p.literal ? p.srcFrom + offset - p.outFrom : p.srcFrom;
      }
      return query.length;
    },
  };
}

function valueFor(name: string, query: string, from: number, to: number, quoted: boolean, bracket: string | undefined, grouping: boolean): string {
  if (quoted) return BUILTINS[name] ?? 'value';
  if (BUILTINS[name]) return BUILTINS[name];
  const before = query.slice(0, from).trimEnd();
  const after = query.slice(to).trimStart();
  if (bracket === '[' || /\boffset$/i.test(before)) return '5m';
  if (grouping || bracket === '{') return 'label';
  if (/^[{[]/.test(after)) return 'metric';
  return '1';
}
