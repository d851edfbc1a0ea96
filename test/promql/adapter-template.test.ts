import { adapterTemplateError, renderAdapterTemplate } from '../../src/promql/adapter-template';
import { substituteGrafanaVariables } from '../../src/promql/grafana-variables';
import { promqlSyntaxError } from '../../src/promql/promql-syntax';

describe('Prometheus Adapter metricsQuery templates', () => {
  test.each([
    ['sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)', 'sum(my_series{namespace="ns",pod=~"a|b"}) by (pod)'],
    ['sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)', 'sum(rate(my_series{namespace="ns",pod=~"a|b"}[2m])) by (pod)'],
    ['sum(<<.Series>>{<<.LabelMatchers>>}) by (<<range $i, $l := .GroupBySlice>><<if $i>>,<<end>><<$l>><<end>>)',
      'sum(my_series{namespace="ns",pod=~"a|b"}) by (pod)'],
    ['sum(<<.Series>>{namespace="<<index .LabelValuesByName "namespace">>"})', 'sum(my_series{namespace="ns"})'],
    ['sum(<<.Series>>{pod=~"<<.LabelValuesByName.pod>>"})', 'sum(my_series{pod=~"a|b"})'],
    ['<<- /* a comment */ ->> sum(<<.Series>>)', 'sum(my_series)'],
  ])('renders %s', (template, rendered) => {
    expect(renderAdapterTemplate(template)).toBe(rendered);
    expect(adapterTemplateError(template)).toBeUndefined();
  });

  test('a PromQL error in the literal text is positioned in the template, with the rendered query', () => {
    const e = adapterTemplateError('sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>')!;
    expect(e.message).toBe('unclosed "(" (the query ends before its ")")');
    expect(`${e.line}:${e.column}`).toBe('1:51');
    expect(e.excerpt).toBe(`    sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>\n    ${' '.repeat(50)}^`);
    expect(e.rendered).toBe('sum(rate(my_series{namespace="ns",pod=~"a|b"}[2m])) by (pod');
    expect(e.renderedExcerpt).toContain('by (pod\n');
  });

  test('an error in what a placeholder renders points at the placeholder', () => {
    const e = adapterTemplateError('rate(<<.Series>>{<<.LabelMatchers>>})')!;
    expect(e.column).toBe(6);
    expect(e.message).toContain('expected a range vector in argument 1 of rate()');
    expect(e.message).toContain('(in the text this placeholder renders)');
  });

  test.each([
    ['sum(<<.Serie>>{<<.LabelMatchers>>})', '1:5', 'unknown placeholder <<.Serie>> (the adapter\'s metricsQuery has .Series, .LabelMatchers, .LabelValuesByName, .GroupBy, .GroupBySlice)'],
    ['sum(<<.Series>>) by (<<.GroupBySlice>>)', '1:22', '<<.GroupBySlice>> prints a Go slice ("[pod]"), not PromQL'],
    ['sum(<<.Series', '1:5', 'unclosed template action "<<"'],
    ['sum(<<.Series>>) by (<<range .GroupBySlice>><<.>>)', '1:22', '<<range>> has no <<end>>'],
    ['sum(<<.Series>>)<<end>>', '1:17', 'unexpected <<end>>'],
    ['sum(<<$x>>)', '1:5', 'undefined variable $x'],
    ['', '1:1', 'empty query'],
  ])('template error: %j at %s', (template, position, message) => {
    const e = adapterTemplateError(template)!;
    expect(`${e.line}:${e.column}`).toBe(position);
    expect(e.message).toContain(message);
    expect(e.fix).toBeTruthy();
  });

  test('Go template features not rendered here are not checked (no false alarm)', () => {
    expect(adapterTemplateError('sum(<<printf "%s" .Series>>{<<.LabelMatchers>>})')).toBeUndefined();
    expect(renderAdapterTemplate('sum(<<printf "%s" .Series>>)')).toBeUndefined();
  });
});

describe('Grafana variables', () => {
  test.each([
    ['sum(rate(x{namespace="$namespace"}[$__rate_interval]))', 'sum(rate(x{namespace="value"}[5m]))'],
    ['sum by ($label) (rate(x[${interval}]))', 'sum by (label) (rate(x[5m]))'],
    ['topk($k, x{pod=~"${pod:regex}"}) offset $offset', 'topk(1, x{pod=~"value"}) offset 5m'],
    ['$metric{a="b"} * [[factor]]', 'metric{a="b"} * 1'],
    ['x{$label="a"}', 'x{label="a"}'],
    ['increase(x[$__range]) / $__range_s', 'increase(x[1h]) / 3600'],
    ['label_replace(x, "a", "$1", "b", "(.*)")', 'label_replace(x, "a", "$1", "b", "(.*)")'],
  ])('%s -> %s', (expr, substituted) => {
    const s = substituteGrafanaVariables(expr);
    expect(s.query).toBe(substituted);
    expect(promqlSyntaxError(s.query)).toBeUndefined();
  });

  test('offsets map back to the dashboard text', () => {
    const expr = 'sum(rate(x{namespace="$namespace"}[$__rate_interval])';
    const s = substituteGrafanaVariables(expr);
    const e = promqlSyntaxError(s.query)!;
    expect(s.originalOffset(e.offset)).toBe(3);
    const e2 = promqlSyntaxError(substituteGrafanaVariables('rate(x{a="$a"}[$__rate_interval]) +').query)!;
    expect(substituteGrafanaVariables('rate(x{a="$a"}[$__rate_interval]) +').originalOffset(e2.offset)).toBe(35);
  });
});
