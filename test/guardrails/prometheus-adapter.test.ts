import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Guardrails } from '../../src/guardrails/guardrails';
import { MetricsServiceMonitor } from '../../src/guardrails/metrics-service-monitor';
import { PrometheusAdapterRules } from '../../src/guardrails/prometheus-adapter-rules';
import { parseYamlText } from '../../src/guardrails/yaml-text';
import { findOne, synthValid } from '../validate';
import { cleanManifests } from './manifests';
import { errorOf } from '../error-of';


function hpa(chart: Chart, id: string, metrics: any[]): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: id },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: id }, minReplicas: 1, maxReplicas: 4, metrics },
  });
}

const podsMetric = (name: string) => ({ type: 'Pods', pods: { metric: { name }, target: { type: 'AverageValue', averageValue: '10' } } });
const externalMetric = (name: string) => ({ type: 'External', external: { metric: { name }, target: { type: 'AverageValue', averageValue: '100' } } });
const objectMetric = (name: string) => ({
  type: 'Object',
  object: { metric: { name }, describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' }, target: { type: 'Value', value: '5' } },
});
const cpuMetric = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };

function adapterConfig(manifests: any[], name = 'prometheus-adapter'): any {
  const cm = findOne(manifests, 'ConfigMap', name);
  return parseYamlText(cm.data['config.yaml'])[0];
}

describe('PrometheusAdapterRules', () => {
  test('writes a rule for every Pods, Object and External metric of the chart\'s HPAs', () => {
    const chart = Testing.chart();
    hpa(chart, 'inference', [cpuMetric, podsMetric('inference_queue_depth')]);
    hpa(chart, 'hybrid', [externalMetric('requests_per_second'), objectMetric('http_requests')]);
    new PrometheusAdapterRules(chart, 'Adapter');
    const manifests = synthValid(chart);
    const cm = findOne(manifests, 'ConfigMap', 'prometheus-adapter');
    expect(cm.metadata.namespace).toBe('monitoring');
    const config = adapterConfig(manifests);
    expect(config.rules).toEqual([
      {
        seriesQuery: 'http_requests{namespace!=""}',
        resources: { overrides: { namespace: { resource: 'namespace' }, service: { resource: 'service' } } },
        name: { matches: '^http_requests$', as: 'http_requests' },
        metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
      },
      {
        seriesQuery: 'inference_queue_depth{namespace!="",pod!=""}',
        resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
        name: { matches: '^inference_queue_depth$', as: 'inference_queue_depth' },
        metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
      },
    ]);
    expect(config.externalRules).toEqual([{
      seriesQuery: 'requests_per_second{namespace!=""}',
      resources: { overrides: { namespace: { resource: 'namespace' } } },
      name: { matches: '^requests_per_second$', as: 'requests_per_second' },
      metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
    }]);
  });

  test('the guardrail sees the metrics as served (no <unknown> warning)', () => {
    const objects = cleanManifests().filter(o => o.kind !== 'ConfigMap');
    const chart = Testing.chart();
    objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
    expect(Guardrails.check(Testing.synth(chart)).map(f => f.ruleId)).toEqual(['ML-W-CUSTOM-METRIC-WITHOUT-ADAPTER-RULE']);
    new PrometheusAdapterRules(chart, 'Adapter');
    expect(Guardrails.check(Testing.synth(chart))).toEqual([]);
  });

  test('includes HPAs added after it, and metrics declared by hand', () => {
    const chart = Testing.chart();
    const adapter = new PrometheusAdapterRules(chart, 'Adapter', { name: 'adapter-rules', namespace: 'observability' });
    hpa(chart, 'late', [podsMetric('tokens_in_flight')]);
    adapter.addExternalMetric('queue_messages_ready');
    expect(adapter.metricNames).toEqual(['queue_messages_ready', 'tokens_in_flight']);
    const manifests = synthValid(chart);
    expect(findOne(manifests, 'ConfigMap', 'adapter-rules').metadata.namespace).toBe('observability');
    const config = adapterConfig(manifests, 'adapter-rules');
    expect(config.rules.map((r: any) => r.name.as)).toEqual(['tokens_in_flight']);
    expect(config.externalRules.map((r: any) => r.name.as)).toEqual(['queue_messages_ready']);
  });

  test('one rule per metric even when several HPAs read it; per-metric queries and labels', () => {
    const chart = Testing.chart();
    hpa(chart, 'a', [podsMetric('requests_total')]);
    hpa(chart, 'b', [podsMetric('requests_total')]);
    new PrometheusAdapterRules(chart, 'Adapter', {
      metricsQueries: { requests_total: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)' },
      namespaceLabel: 'kubernetes_namespace',
      podLabel: 'kubernetes_pod_name',
    });
    const [rule] = adapterConfig(synthValid(chart)).rules;
    expect(rule.metricsQuery).toBe('sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)');
    expect(rule.seriesQuery).toBe('requests_total{kubernetes_namespace!="",kubernetes_pod_name!=""}');
    expect(rule.resources.overrides).toEqual({ kubernetes_namespace: { resource: 'namespace' }, kubernetes_pod_name: { resource: 'pod' } });
  });

  test('an empty chart gives empty rule lists, and two adapters in one chart do not recurse', () => {
    const chart = Testing.chart();
    new PrometheusAdapterRules(chart, 'A', { name: 'a' });
    new PrometheusAdapterRules(chart, 'B', { name: 'b' });
    expect(adapterConfig(synthValid(chart), 'a')).toEqual({ rules: [], externalRules: [] });
  });

  test('rejects invalid props with the prop name', () => {
    const chart = Testing.chart();
    expect(() => new PrometheusAdapterRules(chart, 'Q', { metricsQuery: 'sum(up)' })).toThrow(/metricsQuery="sum\(up\)": must use the <<.Series>>/);
    expect(() => new PrometheusAdapterRules(chart, 'L', { podLabel: 'pod-name' })).toThrow(/podLabel="pod-name"/);
    const ok = new PrometheusAdapterRules(chart, 'M');
    expect(() => ok.addPodsMetric('9bad')).toThrow(/name="9bad": is not a valid metric name/);
  });
});

describe('MetricsServiceMonitor', () => {
  test('renders a ServiceMonitor valid for the prometheus-operator model', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ml-workloads' });
    new MetricsServiceMonitor(chart, 'Metrics', {
      name: 'inference-metrics',
      serviceLabels: { app: 'inference' },
      port: 'metrics',
      labels: { release: 'kube-prometheus-stack' },
    });
    const sm = findOne(synthValid(chart), 'ServiceMonitor', 'inference-metrics');
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(sm.metadata).toMatchObject({ namespace: 'ml-workloads', labels: { release: 'kube-prometheus-stack' } });
    expect(sm.spec).toEqual({
      selector: { matchLabels: { app: 'inference' } },
      namespaceSelector: { matchNames: ['ml-workloads'] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '15s' }],
    });
  });

  test('interval, path and service namespace; any namespace when the chart has none', () => {
    const chart = Testing.chart();
    new MetricsServiceMonitor(chart, 'A', { serviceLabels: { app: 'a' }, port: 'm', interval: Duration.seconds(30), path: '/stats' });
    new MetricsServiceMonitor(chart, 'B', { serviceLabels: { app: 'b' }, port: 'm', serviceNamespace: 'team-b' });
    const monitors = synthValid(chart).filter(o => o.kind === 'ServiceMonitor');
    expect(monitors[0].spec.endpoints[0]).toEqual({ port: 'm', path: '/stats', interval: '30s' });
    expect(monitors[0].spec.namespaceSelector).toEqual({ any: true });
    expect(monitors[1].spec.namespaceSelector).toEqual({ matchNames: ['team-b'] });
  });

  test('rejects invalid props with the prop name', () => {
    const chart = Testing.chart();
    expect(() => new MetricsServiceMonitor(chart, 'A', { serviceLabels: {}, port: 'm' })).toThrow(/serviceLabels=\{\}: must select/);
    expect(() => new MetricsServiceMonitor(chart, 'B', { serviceLabels: { a: 'b' }, port: '' })).toThrow(/port="": must not be empty/);
    expect(() => new MetricsServiceMonitor(chart, 'C', { serviceLabels: { a: 'b' }, port: 'm', path: 'metrics' })).toThrow(/path="metrics"/);
    expect(() => new MetricsServiceMonitor(chart, 'D', { serviceLabels: { a: 'b' }, port: 'm', interval: Duration.millis(1500) })).toThrow(/interval=/);
    expect(() => new MetricsServiceMonitor(chart, 'E', { serviceLabels: { a: 'b' }, port: 'm', name: 'Bad_Name' })).toThrow(/name="Bad_Name"/);
  });
});

describe('properties', () => {
  const metricName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,30}$/);
  const metric = fc.record({ kind: fc.constantFrom('Pods', 'External', 'Object'), name: metricName });

  test('random HPAs: the adapter ConfigMap is schema-valid and serves every custom metric', () => {
    fc.assert(fc.property(fc.array(fc.array(metric, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), hpas => {
      const chart = Testing.chart();
      hpas.forEach((metrics, i) => hpa(chart, `h${i}`, metrics.map(m =>
        m.kind === 'Pods' ? podsMetric(m.name) : m.kind === 'External' ? externalMetric(m.name) : objectMetric(m.name))));
      new PrometheusAdapterRules(chart, 'Adapter');
      const manifests = synthValid(chart);
      const findings = Guardrails.check(manifests).filter(f => f.ruleId === 'ML-W-CUSTOM-METRIC-WITHOUT-ADAPTER-RULE');
      expect(findings).toEqual([]);
    }), { numRuns: 60 });
  });

  test('random invalid props always throw an error naming the prop', () => {
    const invalid = fc.oneof(
      fc.string().filter(q => !q.includes('<<.Series>>')).map(q => ['metricsQuery', { metricsQuery: q }] as const),
      fc.string().filter(l => !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l)).map(l => ['podLabel', { podLabel: l }] as const),
      fc.string().filter(l => !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l)).map(l => ['namespaceLabel', { namespaceLabel: l }] as const),
    );
    fc.assert(fc.property(invalid, ([prop, props]) => {
      expect(() => new PrometheusAdapterRules(Testing.chart(), 'A', props)).toThrow(new RegExp(`\\] ${prop}=`));
    }), { numRuns: 100 });
  });

  test('random ServiceMonitor props: valid ones pass the model, invalid ones name the prop', () => {
    const labels = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/), fc.stringMatching(/^[a-z0-9]{1,10}$/), { minKeys: 1, maxKeys: 3 });
    fc.assert(fc.property(labels, fc.stringMatching(/^[a-z]([a-z0-9-]{0,9}[a-z0-9])?$/), fc.integer({ min: 1, max: 600 }), (serviceLabels, port, seconds) => {
      const chart = Testing.chart();
      new MetricsServiceMonitor(chart, 'M', { serviceLabels, port, interval: Duration.seconds(seconds) });
      const sm = findOne(synthValid(chart), 'ServiceMonitor');
      expect(sm.spec.endpoints[0].interval).toBe(`${seconds}s`);
    }), { numRuns: 60 });
    fc.assert(fc.property(fc.string().filter(p => !p.startsWith('/')), path => {
      expect(() => new MetricsServiceMonitor(Testing.chart(), 'M', { serviceLabels: { a: 'b' }, port: 'm', path })).toThrow(/\] path=/);
    }), { numRuns: 60 });
  });
});

test('PrometheusAdapterRules: a metric name that is not a Prometheus name reads the matching series', () => {
  const chart = Testing.chart();
  hpa(chart, 'web', [objectMetric('requests-per-second')]);
  new PrometheusAdapterRules(chart, 'Adapter');
  const manifests = synthValid(chart);
  expect(adapterConfig(manifests).rules[0]).toMatchObject({
    seriesQuery: 'requests_per_second{namespace!=""}',
    name: { matches: '^requests_per_second$', as: 'requests-per-second' },
  });
  expect(Guardrails.check(manifests)).toEqual([]);
});

describe('JavaScript callers: every prop is checked (issue 11)', () => {

  test('type, unknown keys and formats name the construct, the prop, the value and the fix', () => {
    const chart = Testing.chart();
    expect(errorOf(() => new PrometheusAdapterRules(chart, 'A', { namepsace: 'monitoring' } as any)))
      .toBe('[test/A] namepsace="monitoring": is not a property of PrometheusAdapterRulesProps. Fix: did you mean "namespace"?');
    expect(errorOf(() => new PrometheusAdapterRules(chart, 'B', { namespace: 'Monitoring' })))
      .toContain('[test/B] namespace="Monitoring": is not a valid DNS-1123 label');
    expect(errorOf(() => new PrometheusAdapterRules(chart, 'C', { metricsQueries: { q: 5 as any } })))
      .toContain('[test/C] metricsQueries["q"]=5: must be an adapter metricsQuery template using <<.Series>>, got a number');
    expect(errorOf(() => new PrometheusAdapterRules(chart, 'D', { metricsQueries: { '9q': 'sum(<<.Series>>)' } })))
      .toContain('[test/D] metricsQueries key="9q": is not a valid metric name');
    expect(errorOf(() => new PrometheusAdapterRules(chart, 'E', { metricsQuery: 'sum(<<.Series>>)' }).addExternalMetric(undefined as any)))
      .toContain('[test/E] name=undefined: must be a metric name');
    expect(errorOf(() => new MetricsServiceMonitor(chart, 'F', { serviceLabels: { app: 'a b' }, port: 'metrics' })))
      .toContain('[test/F] serviceLabels["app"]="a b": is not a valid label value');
    expect(errorOf(() => new MetricsServiceMonitor(chart, 'G', { serviceLabels: { app: 'a' }, port: 'metrics', interval: 15 as any })))
      .toContain('[test/G] interval=15: must be a Duration, got a number');
    expect(errorOf(() => new MetricsServiceMonitor(chart, 'H', { serviceLabels: { app: 'a' }, port: 9090 as any })))
      .toContain('[test/H] port=9090: must be a DNS-1123 label');
    expect(errorOf(() => new MetricsServiceMonitor(chart, 'I', undefined as any)))
      .toContain('[test/I] props=undefined: must be a MetricsServiceMonitorProps object. Fix: pass an object literal with at least serviceLabels, port');
  });

  const junk: fc.Arbitrary<any> = fc.oneof(fc.anything(), fc.constantFrom(NaN, Infinity, 2 ** 31, '', null, '🙂', 'Monitoring', [], {}), fc.string());

  test.each(['name', 'namespace', 'metricsQuery', 'metricsQueries', 'namespaceLabel', 'podLabel', 'unknown'])('PrometheusAdapterRules %s', prop => {
    fc.assert(fc.property(junk, v => {
      const chart = Testing.chart();
      try {
        new PrometheusAdapterRules(chart, 'A', { [prop]: v });
      } catch (e) {
        expect(e).not.toBeInstanceOf(TypeError);
        expect((e as Error).message).toMatch(new RegExp(`^\\[test/A\\] ${prop}`));
        return;
      }
      expect(() => Testing.synth(chart)).not.toThrow();
    }), { numRuns: 100 });
  });

  test.each(['serviceLabels', 'port', 'serviceNamespace', 'path', 'interval', 'labels', 'name', 'unknown'])('MetricsServiceMonitor %s', prop => {
    fc.assert(fc.property(junk, v => {
      const chart = Testing.chart();
      try {
        new MetricsServiceMonitor(chart, 'M', { serviceLabels: { app: 'a' }, port: 'metrics', [prop]: v });
      } catch (e) {
        expect(e).not.toBeInstanceOf(TypeError);
        expect((e as Error).message).toMatch(new RegExp(`^\\[test/M\\] ${prop}`));
        return;
      }
      expect(() => Testing.synth(chart)).not.toThrow();
    }), { numRuns: 100 });
  });
});
