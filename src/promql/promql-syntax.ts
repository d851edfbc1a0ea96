/**
 * PromQL syntax checks with Prometheus' own grammar: a malformed query (in a KEDA trigger, an
 * adapter rule, a PrometheusRule, a dashboard) is reported at synth with its line:column, instead
 * of failing at query time on the cluster ("parse error" in KEDA's or the adapter's logs).
 */
import { parsePromql, PromqlNode } from './promql-parser';
import {
  closingOf, excerpt, lineColumn, openBrackets, skipBlank, tokenAt, tokenBefore,
} from './query-text';
import { misplacedRangeProblem, RangeVectorProblem, rangeArgumentProblem } from './range-vectors';

/** The first syntax error of a PromQL query. */
export interface PromqlSyntaxError {
  /** 0-based offset in the query text. */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** What is wrong there: `unexpected ")"`, `unclosed "{"`, `unexpected end of query`, ... */
  readonly message: string;
  /** The query's line with a caret under the position (indented, two lines). */
  readonly excerpt: string;
  /** How to correct it: `close the "(" opened at 1:4 with ")"`. */
  readonly fix: string;
}

const GROUPING_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const MATCH_OPERATORS = new Set(['=', '!=', '=~', '!~']);
const CLOSERS = new Set([')', ']', '}']);
const BINARY_OPERATORS = new Set(['+', '-', '*', '/', '%', '^', '==', '!=', '>', '<', '>=', '<=', 'and', 'or', 'unless', 'atan2', 'bool']);

const DEFAULT_FIX = 'correct the query there (PromQL syntax: https://prometheus.io/docs/prometheus/latest/querying/basics/)';

function at(query: string, offset: number, message: string, fix = DEFAULT_FIX): PromqlSyntaxError {
  const { line, column } = lineColumn(query, offset);
  return { offset, line, column, message, excerpt: excerpt(query, offset), fix };
}

function quoted(token: string): string {
  return /^["'`]/.test(token) ? `string ${token}` : `"${token}"`;
}

/** The message for the parser's first error node, from the text around it. */
function describeError(query: string, from: number): PromqlSyntaxError {
  const offset = skipBlank(query, from);
  const token = tokenAt(query, offset);
  const prev = tokenBefore(query, offset);
  if (token === undefined) {
    const open = openBrackets(query, query.length);
    if (open.length) {
      const b = open[open.length - 1];
      return at(query, b.offset, `unclosed "${b.bracket}" (the query ends before its "${closingOf(b.bracket)}")`,
        `close the "${b.bracket}" opened at ${pos(query, b.offset)} with "${closingOf(b.bracket)}"`);
    }
    const end = query.trimEnd().length;
    return at(query, end, `unexpected end of query${prev ? ` after ${quoted(prev.token)}` : ''}`,
      prev ? `complete the expression after "${prev.token}", or remove "${prev.token}"` : DEFAULT_FIX);
  }
  if (CLOSERS.has(token)) {
    const open = openBrackets(query, offset);
    const top = open[open.length - 1];
    if (!top) return at(query, offset, `unexpected "${token}" (no bracket is open here)`, `remove this "${token}" or add its opening bracket`);
    if (closingOf(top.bracket) !== token) {
      return at(query, offset, `unexpected "${token}" (the innermost open bracket is "${top.bracket}" at ${pos(query, top.offset)})`,
        `close the "${top.bracket}" opened at ${pos(query, top.offset)} with "${closingOf(top.bracket)}" first`);
    }
    if (prev?.token === ',') return at(query, prev.offset, `unexpected "," before "${token}"`, 'remove the trailing ","');
    return at(query, offset, `unexpected "${token}"${prev ? ` after ${quoted(prev.token)}` : ''}`);
  }
  if (prev && GROUPING_KEYWORDS.has(prev.token.toLowerCase()) && token !== '(') {
    return at(query, offset, `expected "(" after "${prev.token}", got ${quoted(token)}`,
      `put the labels in parentheses: ${prev.token} (${/^[A-Za-z_]\w*$/.test(token) ? token : 'label'}, ...)`);
  }
  if (token === '(' && prev && /^[A-Za-z_][A-Za-z0-9_]*$/.test(prev.token)) {
    return at(query, prev.offset, `unknown function "${prev.token}"`,
      'use a PromQL function (https://prometheus.io/docs/prometheus/latest/querying/functions/) or aggregation');
  }
  if (prev && MATCH_OPERATORS.has(prev.token) && openBrackets(query, offset).some(b => b.bracket === '{') && !/^["'`]/.test(token)) {
    return at(query, offset, `expected a quoted label value after "${prev.token}", got ${quoted(token)}`,
      `quote label values: ${prev.token}"${token.replace(/"/g, '')}"`);
  }
  if (token.startsWith('$')) {
    return at(query, offset, `unexpected "${token}" (a template variable: Prometheus does not substitute it)`,
      'write the value itself (e.g. 5m), or render the query where its variables are substituted');
  }
  if (prev && BINARY_OPERATORS.has(prev.token.toLowerCase()) && BINARY_OPERATORS.has(token.toLowerCase())) {
    return at(query, offset, `unexpected ${quoted(token)} after "${prev.token}" (an operator needs an expression on each side)`,
      `remove one of the operators, or put an expression between "${prev.token}" and "${token}"`);
  }
  return at(query, offset, `unexpected ${quoted(token)}`);
}

function pos(query: string, offset: number): string {
  const { line, column } = lineColumn(query, offset);
  return `${line}:${column}`;
}

/**
 * The first syntax error of `query` under Prometheus' PromQL grammar (3.x, lezer-promql 0.315), or
 * undefined when it parses as one expression. Also refused, as Prometheus' type check does: a range
 * function without a range (`rate(x)`) and a range vector where an instant vector is needed
 * (`sum(x[5m])`). An empty or blank query is an error. Names of series, labels and functions Prometheus
 * knows are not checked beyond the grammar.
 */
export function promqlSyntaxError(query: string): PromqlSyntaxError | undefined {
  if (query.trim() === '') return at(query, 0, 'empty query', 'write the PromQL expression to evaluate, e.g. sum(rate(http_requests_total[5m]))');
  if (query.replace(/#.*$/gm, '').trim() === '') {
    return at(query, query.trimEnd().length, 'empty query (only comments)', 'write the PromQL expression to evaluate after the comment');
  }
  const tree = parsePromql(query);
  let errorAt = -1;
  let typeProblem: RangeVectorProblem | undefined;
  tree.iterate({
    enter(ref) {
      if (errorAt >= 0) return false;
      if (ref.type.isError) {
        errorAt = ref.from;
        return false;
      }
      if (typeProblem) return undefined;
      const name = ref.type.name;
      if (name === 'FunctionCall') typeProblem = rangeArgumentProblem(query, ref.node);
      else if (name === 'MatrixSelector' || name === 'SubqueryExpr') typeProblem = misplacedRangeProblem(query, ref.node);
      return undefined;
    },
  });
  if (errorAt >= 0) return describeError(query, errorAt);
  const expressions: PromqlNode[] = [];
  for (let c = tree.topNode.firstChild; c; c = c.nextSibling) if (c.type.name !== 'LineComment') expressions.push(c);
  if (expressions.length === 0) return describeError(query, 0);
  if (expressions.length > 1 || expressions[0].to < tree.length && query.slice(expressions[0].to).replace(/#.*$/gm, '').trim()) {
    return describeError(query, expressions.length > 1 ? expressions[1].from : expressions[0].to);
  }
  if (typeProblem) return at(query, typeProblem.offset, typeProblem.message, typeProblem.fix);
  return undefined;
}
