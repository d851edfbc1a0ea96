import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing, Yaml } from 'cdk8s';
import { adapterConfigMap, cleanManifests, NS, pick } from './manifests';
import { runLintCommand } from '../../src/cli/lint-command';
import { Guardrails } from '../../src/guardrails/guardrails';
import { PrometheusAdapterRules } from '../../src/guardrails/prometheus-adapter-rules';
import { Trigger } from '../../src/keda/trigger';
import { errorOf } from '../error-of';

const ID = 'ML-E-PROMQL-SYNTAX';

function run(objects: any[]) {
  return Guardrails.check(objects).filter(f => f.ruleId === ID);
}

function prometheusRule(exprs: string[]): any {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'ml-rules', namespace: NS },
    spec: { groups: [{ name: 'ml', rules: exprs.map((expr, i) => ({ record: `ml:rule${i}`, expr })) }] },
  };
}

function dashboard(json: any): any {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'ml-dashboard', namespace: 'monitoring', labels: { grafana_dashboard: '1' } },
    data: { 'ml.json': JSON.stringify(json) },
  };
}

function adapterWith(metricsQuery: string): any {
  const cm = adapterConfigMap();
  cm.data['config.yaml'] = cm.data['config.yaml'].replace(/metricsQuery: .*/, `metricsQuery: ${JSON.stringify(metricsQuery)}`);
  return cm;
}

test('the clean manifests have no finding', () => {
  expect(run(cleanManifests())).toEqual([]);
});

test('a KEDA prometheus trigger: location, position, excerpt, fix and a query against its Prometheus', () => {
  const objects = cleanManifests();
  const so = pick(objects, 'ScaledObject', 'worker');
  so.spec.triggers.push({ type: 'prometheus', metadata: { serverAddress: 'http://prometheus.monitoring:9090', threshold: '5', query: 'sum(rate(x[5m])' } });
  const [f, ...more] = run(objects);
  expect(more).toEqual([]);
  expect(f.location).toBe(`spec.triggers[${so.spec.triggers.length - 1}].metadata.query`);
  expect(f.problem).toBe('KEDA\'s prometheus scaler would get a query Prometheus refuses: unclosed "(" (the query ends before its ")") '
    + 'at line 1, column 4: sum<HERE>(rate(x[5m])');
  expect(f.fix).toBe('close the "(" opened at 1:4 with ")"');
  expect(f.confirm).toBe(`kubectl run promql-check --rm -i --restart=Never --image=curlimages/curl -n ${NS} -- -sG `
    + '\'http://prometheus.monitoring:9090/api/v1/query\' --data-urlencode \'query=sum(rate(x[5m])\'');
});

test('ScaledJobs too; other trigger types are not read', () => {
  const objects = cleanManifests();
  const sj = objects.find(o => o.kind === 'ScaledJob');
  sj.spec.triggers = [{ type: 'prometheus', metadata: { serverAddress: 'http://p:9090', threshold: '1', query: 'sum by pod (x)' } },
    { type: 'custom', metadata: { query: 'sum(' } }];
  expect(run(objects).map(f => [f.kind, f.location, f.fix])).toEqual([['ScaledJob', 'spec.triggers[0].metadata.query', 'put the labels in parentheses: by (pod, ...)']]);
});

test('PrometheusRule expressions, with promtool check rules', () => {
  const findings = run([prometheusRule(['sum(rate(x[5m]))', 'rate(x)', 'x +'])]);
  expect(findings.map(f => [f.location, f.problem.split(': ')[1]])).toEqual([
    ['spec.groups[0].rules[1].expr', 'expected a range vector in argument 1 of rate(), got an instant vector (no range such as [5m]) at line 1, column 6'],
    ['spec.groups[0].rules[2].expr', 'unexpected end of query after "+" at line 1, column 4'],
  ]);
  expect(findings[0].problem).toMatch(/^Prometheus \(recording rule\) would get/);
  expect(findings[0].confirm).toBe(`kubectl get prometheusrule ml-rules -n ${NS} -o jsonpath='{.spec}' > /tmp/rules.json && promtool check rules /tmp/rules.json`);
});

test('the adapter ConfigMap: metricsQuery templates rendered, positioned in the template', () => {
  expect(run([adapterWith('sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)')])).toEqual([]);
  const [f] = run([adapterWith('sum(<<.Series>>{<<.LabelMatchers>>) by (<<.GroupBy>>)')]);
  expect(f.location).toBe('data["config.yaml"].rules[0].metricsQuery');
  expect(f.problem).toContain('the Prometheus Adapter would get a query Prometheus refuses: unexpected ")" (the innermost open bracket is "{" at 1:14)');
  expect(f.problem).toContain('at line 1, column 35: sum(<<.Series>>{<<.LabelMatchers>><HERE>) by (<<.GroupBy>>)');
  expect(f.problem).toContain('the template renders, with representative values, "sum(my_series{namespace=\\"ns\\",pod=~\\"a|b\\") by (pod)"');
  expect(f.confirm).toBe('promtool --experimental promql format \'sum(my_series{namespace="ns",pod=~"a|b") by (pod)\'');
  const [unknown] = run([adapterWith('sum(<<.Serie>>)')]);
  expect(unknown.problem).toContain('unknown placeholder <<.Serie>>');
});

test('Grafana dashboards: panels, rows\' nested panels and old rows[], variables substituted, Loki skipped', () => {
  const cm = dashboard({
    panels: [
      { title: 'ok', targets: [{ expr: 'sum(rate(x{namespace="$namespace"}[$__rate_interval])) by ($label)' }] },
      { type: 'row', title: 'row', panels: [{ title: 'nested', targets: [{ expr: 'x' }, { expr: 'sum(rate(x[$__rate_interval])' }] }] },
      { title: 'logs', datasource: { type: 'loki', uid: 'l' }, targets: [{ expr: '{app="x"} |= "error"' }] },
      { title: 'empty', targets: [{ expr: '' }, { refId: 'B' }] },
    ],
    rows: [{ panels: [{ title: 'old', targets: [{ expr: 'foo{a=b}' }] }] }],
  });
  const findings = run([cm]);
  expect(findings.map(f => f.location)).toEqual([
    'data["ml.json"].panels[1].panels[0].targets[1].expr',
    'data["ml.json"].rows[0].panels[0].targets[0].expr',
  ]);
  expect(findings[0].problem).toBe('Grafana (panel "nested") would get a query Prometheus refuses: unclosed "(" (the query ends before its ")") '
    + 'at line 1, column 4: sum<HERE>(rate(x[$__rate_interval]) (with Grafana\'s variables substituted: "sum(rate(x[5m])")');
  expect(findings[0].confirm).toBe('promtool --experimental promql format \'sum(rate(x[5m])\'');
  // a ConfigMap without the sidecar's label is not a dashboard
  delete cm.metadata.labels;
  expect(run([cm])).toEqual([]);
});

describe('at synth', () => {
  test('a malformed query in a rendered object fails app.synth() with the rule and the construct path', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'monitoring');
    new PrometheusAdapterRules(chart, 'Adapter');
    new ApiObject(chart, 'Rules', prometheusRule(['sum(rate(x[5m])']));
    expect(() => app.synth()).toThrow(/ML-E-PROMQL-SYNTAX PrometheusRule ml-workloads\/ml-rules at spec\.groups\[0\]\.rules\[0\]\.expr: .*unclosed "\(".*construct: monitoring\/Rules/s);
  });

  test('a chart whose adapter metricsQuery is malformed fails: the prop at construction, the rendered ConfigMap at synth', () => {
    const chart = Testing.chart();
    const message = errorOf(() => new PrometheusAdapterRules(chart, 'Adapter', { metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by <<.GroupBy>>' }));
    expect(message).toContain('[test/Adapter] metricsQuery="sum(<<.Series>>{<<.LabelMatchers>>}) by <<.GroupBy>>": is not valid PromQL at line 1, column 41: '
      + 'expected "(" after "by", got "pod" (in the text this placeholder renders)');
    expect(message).toContain('The PromQL it renders (with representative values):\n    sum(my_series{namespace="ns",pod=~"a|b"}) by pod');
    expect(message).toContain('Fix: put the labels in parentheses: by (pod, ...)');
    expect(errorOf(() => new PrometheusAdapterRules(Testing.chart(), 'A', { metricsQueries: { x: 'rate(<<.Series>>{<<.LabelMatchers>>})' } })))
      .toContain('metricsQueries["x"]=');

    // an adapter ConfigMap written by hand (or patched) is checked from the rendered objects
    const app = Testing.app();
    const c = new Chart(app, 'adapter');
    new PrometheusAdapterRules(c, 'Rules', { name: 'generated' });
    new ApiObject(c, 'Handwritten', adapterWith('sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>'));
    expect(() => app.synth()).toThrow(/ML-E-PROMQL-SYNTAX ConfigMap monitoring\/prometheus-adapter at data\["config.yaml"\]\.rules\[0\]\.metricsQuery: .*construct: adapter\/Handwritten/s);
  });

  test('Trigger.prometheus names the entry point, the prop, the position and the fix', () => {
    const message = errorOf(() => Trigger.prometheus({ serverAddress: 'http://prometheus:9090', threshold: 5, query: 'sum(rate(x[5m])' }));
    expect(message).toBe('[Trigger.prometheus] query="sum(rate(x[5m])": is not valid PromQL at line 1, column 4: unclosed "(" (the query ends before its ")")\n'
      + '    sum(rate(x[5m])\n       ^\n  Prometheus would reject it at query time. Fix: close the "(" opened at 1:4 with ")".');
    expect(errorOf(() => Trigger.prometheus({ serverAddress: 'http://prometheus:9090', threshold: 5, query: 'rate(x)' })))
      .toContain('Fix: add a range: rate(x[5m]), or use a subquery.');
  });
});

test('lint reports it on hand-written YAML and exits 1', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promql-lint-'));
  try {
    const file = path.join(dir, 'rules.yaml');
    Yaml.save(file, [prometheusRule(['sum by pod (x)'])]);
    const out: string[] = [];
    const err: string[] = [];
    const code = runLintCommand([file], { stdout: l => out.push(...l.split('\n')), stderr: l => err.push(l) });
    expect(code).toBe(1);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^\S+rules\.yaml: error ML-E-PROMQL-SYNTAX PrometheusRule ml-workloads\/ml-rules at spec\.groups\[0\]\.rules\[0\]\.expr: .+ Fix: .+ Check: .+$/);
    expect(out[0]).toContain('expected "(" after "by", got "pod" at line 1, column 8: sum by <HERE>pod (x)');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
