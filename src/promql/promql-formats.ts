/**
 * String formats for props that hold PromQL, for the shared runtime checks (`string({ format })`):
 * a malformed query fails at synth with its line:column, an excerpt and the fix.
 */
import { adapterTemplateError } from './adapter-template';
import { PromqlSyntaxError, promqlSyntaxError } from './promql-syntax';
import { StringFormat } from '../validate/check';

/** `is not valid PromQL at line L, column C: <message>` and the excerpt, for prop errors. */
export function describePromqlError(e: PromqlSyntaxError, extra = ''): string {
  return `is not valid PromQL at line ${e.line}, column ${e.column}: ${e.message}\n${e.excerpt}${extra}\n  Prometheus would reject it at query time`;
}

/** The fix of a PromQL error, for the format's `fix` (the position is in the problem). */
function fixOf(e: PromqlSyntaxError | undefined): string {
  return e ? `${e.fix}` : 'write a valid PromQL expression';
}

/** A PromQL query, checked with Prometheus' grammar (`Trigger.prometheus({ query })`, ...). */
export const PROMQL_QUERY: StringFormat = {
  description: 'a PromQL query (e.g. "sum(rate(http_requests_total[2m]))")',
  test: v => {
    if (v.trim() === '') return 'is only whitespace';
    const e = promqlSyntaxError(v);
    return e ? describePromqlError(e) : undefined;
  },
  fix: v => (v.trim() === '' ? 'set it to a PromQL query, e.g. sum(rate(http_requests_total[2m]))' : fixOf(promqlSyntaxError(v))),
};

/** A Prometheus Adapter metricsQuery template: `<<.Series>>` used, placeholders known, the PromQL it renders valid. */
export const ADAPTER_METRICS_QUERY: StringFormat = {
  description: 'an adapter metricsQuery template using <<.Series>>',
  test: v => {
    if (!v.includes('<<.Series>>')) return 'must use the <<.Series>> template placeholder';
    const e = adapterTemplateError(v);
    if (!e) return undefined;
    const rendered = e.renderedExcerpt ? `\n  The PromQL it renders (with representative values):\n${e.renderedExcerpt}` : '';
    return describePromqlError(e, rendered);
  },
  fix: v => (v.includes('<<.Series>>') ? fixOf(adapterTemplateError(v))
    : 'write the query around <<.Series>>{<<.LabelMatchers>>}, e.g. "sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)"'),
};
