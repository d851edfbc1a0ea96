/**
 * PromQL that Prometheus would refuse: a KEDA trigger that never gets a value, a rule that never
 * evaluates, an adapter metric that is never served, a dashboard panel with "parse error".
 */
import { adapterTemplateError, renderAdapterTemplate } from '../../promql/adapter-template';
import { substituteGrafanaVariables } from '../../promql/grafana-variables';
import { PromqlSyntaxError, promqlSyntaxError } from '../../promql/promql-syntax';
import { inlineExcerpt, lineColumn, shellQuote } from '../../promql/query-text';
import { GuardrailSeverity } from '../finding';
import { nameOf, nsFlag } from '../manifest';
import { PromqlSource, PromqlSourceKind, promqlSourcesOf } from '../promql-sources';
import { RawFinding, Rule, RuleContext } from '../rule';

/** The first error of a source's PromQL, positioned in its own text; the PromQL actually parsed when it differs. */
function errorOf(source: PromqlSource): { error: PromqlSyntaxError; parsed?: string } | undefined {
  switch (source.kind) {
    case PromqlSourceKind.ADAPTER_TEMPLATE: {
      const error = adapterTemplateError(source.query);
      return error ? { error, parsed: error.rendered } : undefined;
    }
    case PromqlSourceKind.GRAFANA: {
      const s = substituteGrafanaVariables(source.query);
      const error = promqlSyntaxError(s.query);
      if (!error) return undefined;
      const offset = s.originalOffset(error.offset);
      return { error: { ...error, offset, ...lineColumn(source.query, offset) }, parsed: s.query === source.query ? undefined : s.query };
    }
    default: {
      const error = promqlSyntaxError(source.query);
      return error ? { error } : undefined;
    }
  }
}

/** A command that shows Prometheus' (or promtool's) own verdict on the query. */
function confirmOf(source: PromqlSource, parsed: string | undefined): string {
  const obj = source.obj;
  if (obj?.kind === 'PrometheusRule') {
    return `kubectl get prometheusrule ${nameOf(obj)}${nsFlag(obj)} -o jsonpath='{.spec}' > /tmp/rules.json && promtool check rules /tmp/rules.json`;
  }
  if (source.serverAddress) {
    return `kubectl run promql-check --rm -i --restart=Never --image=curlimages/curl${nsFlag(obj)} -- -sG ${shellQuote(`${source.serverAddress.replace(/\/+$/, '')}/api/v1/query`)} `
      + `--data-urlencode ${shellQuote(`query=${source.query}`)}`;
  }
  const query = source.kind === PromqlSourceKind.ADAPTER_TEMPLATE ? renderAdapterTemplate(source.query) ?? source.query : parsed ?? source.query;
  return `promtool --experimental promql format ${shellQuote(query)}`;
}

export const promqlSyntax: Rule = {
  id: 'ML-E-PROMQL-SYNTAX',
  severity: GuardrailSeverity.ERROR,
  title: 'A PromQL query (KEDA prometheus trigger, PrometheusRule, adapter metricsQuery, Grafana panel) that does not parse',
  rationale: 'Prometheus refuses a malformed query at query time ("bad_data: parse error"): KEDA\'s scaler errors and the ' +
    'workload never scales on it, a rule never evaluates, the adapter serves no value (the HPA shows <unknown>), a panel ' +
    'stays empty. Checked with Prometheus\' own grammar, before anything is applied.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (const source of promqlSourcesOf(ctx.index.objects, ctx.index.byKind('ConfigMap'))) {
      const found = errorOf(source);
      if (!found) continue;
      const { error, parsed } = found;
      const rendered = parsed && source.kind === PromqlSourceKind.ADAPTER_TEMPLATE
        ? ` (the template renders, with representative values, ${JSON.stringify(parsed)})`
        : parsed ? ` (with Grafana's variables substituted: ${JSON.stringify(parsed)})` : '';
      out.push({
        obj: source.obj,
        location: source.location,
        problem: `${source.reader} would get a query Prometheus refuses: ${error.message} at line ${error.line}, column ${error.column}: `
          + `${inlineExcerpt(source.query, error.offset)}${rendered}`,
        fix: error.fix,
        confirm: confirmOf(source, parsed),
      });
    }
    return out;
  },
};
