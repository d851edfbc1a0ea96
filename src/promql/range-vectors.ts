/**
 * Internal: where PromQL takes range vectors (`x[5m]`, subqueries). The grammar accepts
 * `rate(x)` and `sum(x[5m])`; Prometheus' type check refuses both at query time.
 */
import { PromqlNode } from './promql-parser';

/** Functions that take a range vector, and which argument (0-based) it is. */
const RANGE_ARGUMENT: { readonly [fn: string]: number } = Object.fromEntries([
  ...['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'changes', 'resets', 'predict_linear',
    'double_exponential_smoothing', 'holt_winters', 'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time',
    'count_over_time', 'stddev_over_time', 'stdvar_over_time', 'last_over_time', 'first_over_time', 'present_over_time',
    'absent_over_time', 'mad_over_time', 'ts_of_first_over_time', 'ts_of_last_over_time', 'ts_of_max_over_time',
    'ts_of_min_over_time'].map(fn => [fn, 0]),
  ['quantile_over_time', 1],
]);

/** Nodes that wrap an expression without changing its type. */
const TRANSPARENT = new Set(['ParenExpr', 'OffsetExpr', 'StepInvariantExpr', 'AnchoredExpr', 'SmoothedExpr']);

const RANGE = new Set(['MatrixSelector', 'SubqueryExpr']);

/** The expression inside type-preserving wrappers (parentheses, `offset`, `@`). */
function unwrap(node: PromqlNode): PromqlNode {
  let n = node;
  while (TRANSPARENT.has(n.type.name) && n.firstChild) n = n.firstChild;
  return n;
}

/** The outermost type-preserving wrapper around `node`. */
function outermost(node: PromqlNode): PromqlNode {
  let n = node;
  while (n.parent && TRANSPARENT.has(n.parent.type.name)) n = n.parent;
  return n;
}

function same(a: PromqlNode, b: PromqlNode): boolean {
  return a.from === b.from && a.to === b.to && a.type.name === b.type.name;
}

/** The expression arguments of a function call or aggregation body. */
function argumentsOf(body: PromqlNode): PromqlNode[] {
  const out: PromqlNode[] = [];
  for (let c = body.firstChild; c; c = c.nextSibling) if (!c.type.isError && c.type.name !== 'LineComment') out.push(c);
  return out;
}

/** A type error of a range vector in the tree, or undefined. */
export interface RangeVectorProblem {
  readonly offset: number;
  readonly message: string;
  readonly fix: string;
}

/** The function name of a FunctionCall node. */
function functionName(query: string, call: PromqlNode): string {
  const id = call.getChildren('FunctionIdentifier')[0];
  return id ? query.slice(id.from, id.to) : '';
}

/** Checks one FunctionCall: its range argument must be a range vector. */
export function rangeArgumentProblem(query: string, call: PromqlNode): RangeVectorProblem | undefined {
  const fn = functionName(query, call);
  const index = RANGE_ARGUMENT[fn];
  if (index === undefined) return undefined;
  const body = call.getChildren('FunctionCallBody')[0];
  const arg = body ? argumentsOf(body)[index] : undefined;
  if (!arg) {
    return { offset: body ? body.to - 1 : call.to, message: `${fn}() needs a range vector as argument ${index + 1}`, fix: `pass a range vector, e.g. ${fn}(my_series[5m])` };
  }
  if (RANGE.has(unwrap(arg).type.name)) return undefined;
  const text = query.slice(arg.from, arg.to);
  return {
    offset: arg.from,
    message: `expected a range vector in argument ${index + 1} of ${fn}(), got an instant vector (no range such as [5m])`,
    fix: `add a range: ${text.length <= 60 && /^[A-Za-z_:][\w:]*(\{[^}]*\})?$/.test(text) ? `${fn}(${index ? '..., ' : ''}${text}[5m])` : 'selector[5m]'}, or use a subquery`,
  };
}

/** Checks one MatrixSelector/SubqueryExpr: only a range function's range argument (or the whole query) takes it. */
export function misplacedRangeProblem(query: string, node: PromqlNode): RangeVectorProblem | undefined {
  const wrapper = outermost(node);
  const parent = wrapper.parent;
  if (!parent || parent.type.name === 'PromQL') return undefined;
  // a subquery's own expression is an instant vector: x[5m] inside it is wrong, the subquery itself is checked here
  if (parent.type.name === 'FunctionCallBody' && parent.parent?.type.name === 'FunctionCall') {
    const fn = functionName(query, parent.parent);
    const index = RANGE_ARGUMENT[fn];
    const args = argumentsOf(parent);
    const position = args.findIndex(a => same(a, wrapper));
    if (index !== undefined && position === index) return undefined;
    return {
      offset: node.from,
      message: `unexpected range vector in argument ${position + 1} of ${fn}(), which takes an instant vector`,
      fix: 'remove the range, or wrap it in a function such as rate() or avg_over_time() first',
    };
  }
  const where = parent.type.name === 'FunctionCallBody' ? 'in an aggregation' : parent.type.name === 'BinaryExpr' ? 'in a binary operation'
    : parent.type.name === 'SubqueryExpr' ? 'inside a subquery' : 'here';
  return {
    offset: node.from,
    message: `unexpected range vector ${where}`,
    fix: 'wrap it in a function such as rate() or avg_over_time(), or remove the range',
  };
}
