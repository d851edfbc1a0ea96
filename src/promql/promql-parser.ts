/**
 * Internal: Prometheus' own PromQL grammar (@prometheus-io/lezer-promql, bundled in
 * vendor/lezer-promql.ts) behind the small part of lezer's API this library uses.
 */

/** A node type of the grammar (`AggregateExpr`, `MatrixSelector`, ... or `⚠` for a syntax error). */
export interface PromqlNodeType {
  readonly name: string;
  readonly isError: boolean;
}

/** A node of the syntax tree: its type and its span in the query text. */
export interface PromqlNode {
  readonly type: PromqlNodeType;
  readonly from: number;
  readonly to: number;
  readonly parent: PromqlNode | null;
  readonly firstChild: PromqlNode | null;
  readonly nextSibling: PromqlNode | null;
  getChildren(type: string): PromqlNode[];
}

/** What `iterate` passes to `enter`: return false to skip the node's children. */
export interface PromqlNodeRef {
  readonly type: PromqlNodeType;
  readonly from: number;
  readonly to: number;
  readonly node: PromqlNode;
}

/** A parsed query. lezer never throws: syntax errors are `⚠` nodes in the tree. */
export interface PromqlTree {
  readonly topNode: PromqlNode;
  readonly length: number;
  iterate(spec: { enter(node: PromqlNodeRef): boolean | void; leave?(node: PromqlNodeRef): void }): void;
}

interface PromqlParser {
  parse(text: string): PromqlTree;
}

let parser: PromqlParser | undefined;

/** Parses `query` with Prometheus' grammar (loaded on first use: most apps never parse PromQL). */
export function parsePromql(query: string): PromqlTree {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parser ??= require('../../vendor/lezer-promql').parser as PromqlParser;
  return parser.parse(query);
}
