import { promqlSyntaxError } from '../../src/promql/promql-syntax';

/** Queries Prometheus accepts: the library's own and the Prometheus documentation's. */
const VALID = [
  // the library's
  'sum(vllm:num_requests_waiting{namespace="ml",pod=~"llm-[a-z0-9]+-[a-z0-9]+"})',
  'sum(avg by (exported_pod) (DCGM_FI_DEV_GPU_UTIL{exported_namespace="ml",exported_pod=~"gpu[.]svc-[a-z0-9]+-[a-z0-9]+"}))',
  'avg(gpu_utilization{job="ml-inference"})',
  // querying/basics
  'http_requests_total',
  'http_requests_total{job="prometheus",group="canary"}',
  'http_requests_total{environment=~"staging|testing|development",method!="GET"}',
  '{__name__=~"job:.*"}',
  'http_requests_total{job="prometheus"}[5m]',
  'http_requests_total offset 5m',
  'sum(http_requests_total{method="GET"} offset 5m)',
  'rate(http_requests_total[5m] offset 1w)',
  'http_requests_total @ 1609746000',
  'rate(http_requests_total[5m] @ 1609746000)',
  'http_requests_total @ start()',
  'rate(http_requests_total[5m])[30m:1m]',
  'max_over_time(deriv(rate(distance_covered_total[5s])[30s:5s])[10m:])',
  '"a string"', "'single'", '`raw \\ string`', '5m', '1.5e3', '0x1F', 'Inf', '-NaN',
  // operators
  'method_code:http_errors:rate5m{code="500"} / ignoring(code) method:http_requests:rate5m',
  'method_code:http_errors:rate5m / ignoring(code) group_left method:http_requests:rate5m',
  'sum(rate(x[5m])) by (pod) / on(pod) group_left(node) kube_pod_info',
  'a * on() group_left(b) c',
  'x > bool 1',
  'x == bool on(a) y',
  'up and on(instance) (node_load1 > 1) or vector(0) unless z',
  '2 ^ 3 ^ 2 % 5 - -x',
  'x atan2 y',
  // aggregations
  'sum without (instance) (http_requests_total)',
  'sum by (application, group) (http_requests_total)',
  'sum(http_requests_total) by (application, group)',
  'count_values("version", build_version)',
  'topk(5, http_requests_total)',
  'bottomk(3, sum by (pod) (x))',
  'quantile(0.9, x)',
  'group by (a) (x)',
  // functions
  'histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[10m])))',
  'histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[10m]))',
  'label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*")',
  'label_join(up, "foo", ",", "a", "b")',
  'predict_linear(node_filesystem_free_bytes[1h], 4 * 3600) < 0',
  'quantile_over_time(0.95, x[1h])',
  'absent(nonexistent{job="myjob"})',
  'clamp_max(x, 100)',
  'time() - process_start_time_seconds',
  'increase(x[1h]) / 3600',
  'avg_over_time(x[5m:30s])',
  'rate((x[5m]))',
  'sum(rate(x[5m])) # a comment',
  'sum(\n  rate(x[5m])\n) by (\n  pod,\n)',
  'x{a="b",}',
  'x{"utf8.name"="v"}',
];

test.each(VALID)('valid: %s', q => {
  expect(promqlSyntaxError(q)).toBeUndefined();
});

/** Malformed queries: [query, line:column, message part]. */
const INVALID: Array<[string, string, string]> = [
  ['sum(rate(x[5m])', '1:4', 'unclosed "("'],
  ['foo{a="b"', '1:4', 'unclosed "{"'],
  ['x[5m', '1:2', 'unclosed "["'],
  ['sum(x))', '1:7', 'unexpected ")" (no bracket is open here)'],
  ['sum(x{a="b")', '1:12', 'unexpected ")" (the innermost open bracket is "{" at 1:6)'],
  ['rate(x)', '1:6', 'expected a range vector in argument 1 of rate(), got an instant vector'],
  ['quantile_over_time(0.9, x)', '1:25', 'argument 2 of quantile_over_time()'],
  ['rate()', '1:6', 'rate() needs a range vector'],
  ['sum(x[5m])', '1:5', 'unexpected range vector in an aggregation'],
  ['abs(x[5m])', '1:5', 'unexpected range vector in argument 1 of abs()'],
  ['x[5m] + 1', '1:1', 'unexpected range vector in a binary operation'],
  ['x +', '1:4', 'unexpected end of query after "+"'],
  ['sum(x) /', '1:9', 'unexpected end of query after "/"'],
  ['sum by pod (x)', '1:8', 'expected "(" after "by", got "pod"'],
  ['foo{a=b}', '1:7', 'expected a quoted label value after "=", got "b"'],
  ['foo{a~"b"}', '1:6', 'unexpected'],
  ['x{,}', '1:3', 'unexpected ","'],
  ['sum(x,)', '1:6', 'unexpected "," before ")"'],
  ['x y', '1:3', 'unexpected "y"'],
  ['foo(x)', '1:1', 'unknown function "foo"'],
  ['atan2(x, y)', '1:1', 'unknown function "atan2"'],
  ['x == = 1', '1:6', 'unexpected "="'],
  ['rate(x[$__rate_interval])', '1:8', 'unexpected "$__rate_interval" (a template variable'],
  ['', '1:1', 'empty query'],
  ['   ', '1:1', 'empty query'],
  ['\n', '1:1', 'empty query'],
  ['\n\nsum(', '3:4', 'unclosed "("'],
  ['# only a comment', '1:17', 'empty query (only comments)'],
  ['sum(\n  rate(x[5m])\n) by (pod', '3:6', 'unclosed "("'],
];

test.each(INVALID)('refused: %j at %s', (q, position, message) => {
  const e = promqlSyntaxError(q);
  expect(e).toBeDefined();
  expect(`${e!.line}:${e!.column}`).toBe(position);
  expect(e!.message).toContain(message);
  expect(e!.fix.length).toBeGreaterThan(10);
  // the excerpt shows the line with a caret under the column
  const [line, caret] = e!.excerpt.split('\n');
  expect(caret.indexOf('^') - 4).toBe(e!.column - 1);
  expect(line.slice(4)).toBe(q.split('\n')[e!.line - 1].replace(/\t/g, ' '));
});

test('fixes name what to change', () => {
  expect(promqlSyntaxError('sum(rate(x[5m])')!.fix).toBe('close the "(" opened at 1:4 with ")"');
  expect(promqlSyntaxError('sum by pod (x)')!.fix).toBe('put the labels in parentheses: by (pod, ...)');
  expect(promqlSyntaxError('foo{a=b}')!.fix).toBe('quote label values: ="b"');
  expect(promqlSyntaxError('rate(x)')!.fix).toBe('add a range: rate(x[5m]), or use a subquery');
  expect(promqlSyntaxError('sum(x,)')!.fix).toBe('remove the trailing ","');
});

test('long lines are cut around the position in the excerpt', () => {
  const q = `sum(${'a_very_long_series_name + '.repeat(10)}x`;
  const e = promqlSyntaxError(q)!;
  const [line, caret] = e.excerpt.split('\n');
  expect(line.length).toBeLessThanOrEqual(4 + 100 + 6);
  expect(line[caret.indexOf('^')]).toBe('(');
});

test('fast enough to run on every query at synth', () => {
  const q = 'histogram_quantile(0.99, sum by (le, pod) (rate(vllm:e2e_request_latency_seconds_bucket{namespace="ml",pod=~"llm-.*"}[5m])))';
  promqlSyntaxError(q);
  const start = process.hrtime.bigint();
  for (let i = 0; i < 1000; i++) promqlSyntaxError(q);
  const perQueryMs = Number(process.hrtime.bigint() - start) / 1e6 / 1000;
  expect(perQueryMs).toBeLessThan(2);
});
