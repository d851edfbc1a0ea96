import type { Dashboard, DataSourceRef, GridPos, Panel, RowPanel, Threshold, VariableModel } from '@grafana/schema';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { batchChart, dashboardConfigMap, dashboardJson, inferenceChart } from './dashboard-fixtures';
import { AutoscalingDashboard, Warnings } from '../../src';
import { promqlSyntaxError } from '../../src/promql/promql-syntax';
import { errorOf } from '../error-of';
import { validateAll } from '../validate';

/** The PromQL syntax errors of `query` (Prometheus' grammar, as the guardrail checks it): their offsets. */
const syntaxErrorsOf = (query: string): number[] => promqlSyntaxError(query) ? [promqlSyntaxError(query)!.offset] : [];

// ---------------------------------------------------------------------------------------------------------------------
// runtime checks of the fields the dashboard relies on, typed with Grafana's schema (@grafana/schema 13.2.3)

function fail(where: string, what: string): never {
  throw new Error(`${where}: ${what}`);
}
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function checkGridPos(where: string, g: GridPos | undefined): GridPos {
  if (!g) fail(where, 'no gridPos');
  for (const k of ['h', 'w', 'x', 'y'] as const) if (!isInt(g[k]) || g[k] < 0) fail(where, `gridPos.${k} is not a non-negative integer`);
  if (g.w < 1 || g.w > 24 || g.x + g.w > 24) fail(where, `gridPos ${JSON.stringify(g)} leaves the 24 columns`);
  if (g.h < 1) fail(where, 'gridPos.h < 1');
  return g;
}

function checkDatasource(where: string, d: DataSourceRef | null | undefined): void {
  if (!d || d.type !== 'prometheus' || d.uid !== '${datasource}') fail(where, `datasource ${JSON.stringify(d)} is not the $datasource variable`);
}

function checkThresholds(where: string, steps: Threshold[] | undefined): void {
  if (!Array.isArray(steps) || steps.length === 0) fail(where, 'no threshold steps');
  if (steps[0].value !== null) fail(where, 'the first threshold step is not the base (null)');
  steps.forEach((s, i) => {
    if (typeof s.color !== 'string' || !s.color) fail(where, `threshold ${i} has no color`);
    if (i > 0 && (typeof s.value !== 'number' || !Number.isFinite(s.value) || s.value <= (steps[i - 1].value ?? -Infinity))) {
      fail(where, `threshold ${i} is not a finite increasing number`);
    }
  });
}

function checkQueryPanel(p: Panel): void {
  const where = `panel ${p.id} "${p.title}"`;
  if (!['timeseries', 'stat'].includes(p.type)) fail(where, `type ${p.type}`);
  if (typeof p.title !== 'string' || !p.title) fail(where, 'no title');
  checkDatasource(where, p.datasource);
  const defaults = p.fieldConfig?.defaults;
  if (!defaults || !['short', 'percent', 's', 'bytes'].includes(defaults.unit ?? '')) fail(where, `unit ${defaults?.unit}`);
  if (defaults.thresholds?.mode !== 'absolute') fail(where, 'thresholds.mode is not absolute');
  checkThresholds(where, defaults.thresholds.steps);
  if (!Array.isArray(p.fieldConfig?.overrides)) fail(where, 'fieldConfig.overrides is not an array');
  if (!Array.isArray(p.targets) || p.targets.length === 0) fail(where, 'no targets');
  const refIds = new Set<string>();
  for (const t of p.targets) {
    if (typeof t.refId !== 'string' || refIds.has(t.refId)) fail(where, `refId ${String(t.refId)} missing or repeated`);
    refIds.add(t.refId);
    checkDatasource(`${where} target ${t.refId}`, t.datasource as DataSourceRef);
    if (typeof t.expr !== 'string' || typeof t.legendFormat !== 'string') fail(where, `target ${t.refId} has no expr/legendFormat`);
  }
}

/** Checks the parsed JSON against the Grafana schema fields relied on; returns it typed. */
function checkDashboard(json: unknown): Dashboard {
  const d = json as Dashboard;
  if (typeof d !== 'object' || d === null) fail('dashboard', 'not an object');
  if (d.schemaVersion !== 42) fail('dashboard', `schemaVersion ${d.schemaVersion}`);
  if (typeof d.uid !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(d.uid)) fail('dashboard', `uid ${d.uid}`);
  if (typeof d.title !== 'string' || !d.title) fail('dashboard', 'no title');
  const vars: VariableModel[] = d.templating?.list ?? [];
  const ds = vars.find(v => v.name === 'datasource');
  if (!ds || ds.type !== 'datasource' || ds.query !== 'prometheus') fail('dashboard', 'no datasource variable of type datasource for prometheus');
  const panels = d.panels ?? [];
  const ids = new Set<number>();
  const placed: Array<{ id: number; g: GridPos }> = [];
  for (const p of panels) {
    if (!isInt(p.id) || ids.has(p.id)) fail('dashboard', `panel id ${p.id} missing or repeated`);
    ids.add(p.id);
    const g = checkGridPos(`panel ${p.id}`, p.gridPos);
    for (const o of placed) {
      if (g.x < o.g.x + o.g.w && o.g.x < g.x + g.w && g.y < o.g.y + o.g.h && o.g.y < g.y + g.h) fail(`panel ${p.id}`, `overlaps panel ${o.id}`);
    }
    placed.push({ id: p.id, g });
    if (p.type === 'row') {
      const row = p as RowPanel;
      if (row.collapsed !== false || !Array.isArray(row.panels) || row.panels.length !== 0 || g.w !== 24 || g.h !== 1) fail(`row ${p.id}`, 'not an expanded full-width row');
    } else {
      checkQueryPanel(p as Panel);
    }
  }
  return d;
}

const inference = () => Testing.synth(inferenceChart().chart);
const batch = () => Testing.synth(batchChart().chart);
const queryPanels = (d: Dashboard) => (d.panels ?? []).filter(p => p.type !== 'row') as Panel[];
const exprsOf = (d: Dashboard) => queryPanels(d).flatMap(p => (p.targets ?? []).map(t => t.expr as string));

// ---------------------------------------------------------------------------------------------------------------------

describe('AutoscalingDashboard', () => {
  test('a ConfigMap the kube-prometheus-stack sidecar loads, with <name>.json, valid for the API server', () => {
    const manifests = validateAll(inference());
    const cm = dashboardConfigMap(manifests);
    expect(cm.metadata).toEqual({ name: 'ml-autoscaling-dashboard', namespace: 'monitoring', labels: { grafana_dashboard: '1' } });
    expect(Object.keys(cm.data)).toEqual(['ml-autoscaling-dashboard.json']);
    expect(cm.data['ml-autoscaling-dashboard.json']).toBe(`${JSON.stringify(JSON.parse(cm.data['ml-autoscaling-dashboard.json']), null, 2)}\n`);
  });

  test('the article inference service: one row, replicas, three HPA metrics, cold start, GPUs on the grid', () => {
    const d = checkDashboard(dashboardJson(inference()));
    expect(d.uid).toBe('inference-ml-autoscaling-dashboard');
    expect(d.title).toBe('ML autoscaling: inference');
    expect((d.panels ?? []).map(p => [p.type, p.title, p.gridPos])).toEqual([
      ['row', 'ml-workloads/ml-inference-service (HPA ml-inference-hpa)', { h: 1, w: 24, x: 0, y: 0 }],
      ['timeseries', 'Replicas', { h: 8, w: 8, x: 0, y: 1 }],
      ['timeseries', 'Resource cpu (utilization target 70%)', { h: 8, w: 8, x: 8, y: 1 }],
      ['timeseries', 'Resource memory (utilization target 80%)', { h: 8, w: 8, x: 16, y: 1 }],
      ['timeseries', 'Pods inference_queue_depth (average target 10)', { h: 8, w: 8, x: 0, y: 9 }],
      ['timeseries', 'Cold start per pod', { h: 8, w: 8, x: 8, y: 9 }],
      ['timeseries', 'GPUs in use (nvidia.com/gpu)', { h: 8, w: 8, x: 16, y: 9 }],
    ]);
    const [replicas, cpu, , queue, cold, gpus] = queryPanels(d);
    const hpa = 'namespace="ml-workloads",horizontalpodautoscaler="ml-inference-hpa"';
    const pods = 'namespace="ml-workloads",pod=~"ml-inference-service-[a-z0-9]+-[a-z0-9]+"';
    const byHpa = 'max by (namespace, horizontalpodautoscaler)';
    const byMetric = 'max by (namespace, horizontalpodautoscaler, metric_name, metric_target_type)';
    expect(replicas.targets?.map(t => [t.legendFormat, t.expr])).toEqual([
      ['current', `${byHpa} (kube_horizontalpodautoscaler_status_current_replicas{${hpa}})`],
      ['desired', `${byHpa} (kube_horizontalpodautoscaler_status_desired_replicas{${hpa}})`],
      ['min', `${byHpa} (kube_horizontalpodautoscaler_spec_min_replicas{${hpa}})`],
      ['max', `${byHpa} (kube_horizontalpodautoscaler_spec_max_replicas{${hpa}})`],
    ]);
    expect(cpu.targets?.map(t => [t.legendFormat, t.expr])).toEqual([
      ['current', `${byMetric} (kube_horizontalpodautoscaler_status_target_metric{${hpa},metric_name="cpu",metric_target_type="utilization"})`],
      ['target', `${byMetric} (kube_horizontalpodautoscaler_spec_target_metric{${hpa},metric_name="cpu",metric_target_type="utilization"})`],
    ]);
    expect(cpu.fieldConfig?.defaults.unit).toBe('percent');
    expect(cpu.fieldConfig?.defaults.thresholds?.steps).toEqual([{ color: 'green', value: null }, { color: 'red', value: 70 }]);
    expect(queue.fieldConfig?.defaults.unit).toBe('short');
    expect(queue.fieldConfig?.defaults.thresholds?.steps.map(s => s.value)).toEqual([null, 10]);
    expect(queue.targets?.[0].expr).toContain('metric_name="inference_queue_depth",metric_target_type="average"');
    expect(cold.targets?.map(t => [t.legendFormat, t.expr])).toEqual([[
      '{{pod}}',
      `max by (namespace, pod) (kube_pod_status_ready_time{${pods}}) - max by (namespace, pod) (kube_pod_created{${pods}}) > 0`,
    ]]);
    expect(cold.fieldConfig?.defaults.unit).toBe('s');
    // the declared model load time (120 s), then the startup probe budget (150 s)
    expect(cold.fieldConfig?.defaults.thresholds?.steps.map(s => s.value)).toEqual([null, 120, 150]);
    expect(gpus.targets?.map(t => [t.legendFormat, t.expr])).toEqual([
      ['requested', `sum(max by (namespace, pod, container, resource) (kube_pod_container_resource_requests{${pods},resource=~"nvidia_com_gpu"}))`],
      ['at maxReplicas', `${byHpa} (kube_horizontalpodautoscaler_spec_max_replicas{${hpa}}) * 1`],
    ]);
  });

  test('the article batch worker: KEDA triggers per replica against their thresholds, on KEDA\'s HPA', () => {
    const d = checkDashboard(dashboardJson(batch()));
    expect((d.panels ?? []).map(p => p.title)).toEqual([
      'ml-workloads/ml-batch-processor (ScaledObject ml-batch-processor-scaler)',
      'Replicas',
      'KEDA rabbitmq (trigger 0): per replica vs threshold 5',
      'KEDA prometheus "gpu_utilization" (trigger 1): per replica vs threshold 70',
      'Cold start per pod',
      'GPUs in use (nvidia.com/gpu)',
    ]);
    const [replicas, rabbit, , cold] = queryPanels(d);
    expect(replicas.targets?.[0].expr).toContain('horizontalpodautoscaler="keda-hpa-ml-batch-processor-scaler"');
    expect(rabbit.targets?.map(t => t.expr)).toEqual([
      'max by (namespace, scaledObject, triggerIndex) (keda_scaler_metrics_value{namespace="ml-workloads",scaledObject="ml-batch-processor-scaler",triggerIndex="0"})' +
      ' / on (namespace) clamp_min(max by (namespace, horizontalpodautoscaler) ' +
      '(kube_horizontalpodautoscaler_status_current_replicas{namespace="ml-workloads",horizontalpodautoscaler="keda-hpa-ml-batch-processor-scaler"}), 1)',
    ]);
    expect(rabbit.fieldConfig?.defaults.thresholds?.steps.map(s => s.value)).toEqual([null, 5]);
    // no declared model load time: no cold-start threshold
    expect(cold.fieldConfig?.defaults.thresholds?.steps).toEqual([{ color: 'green', value: null }]);
  });

  test('every expr parses as PromQL, also with $__rate_interval substituted, and names no other variable', () => {
    const exprs = [...exprsOf(checkDashboard(dashboardJson(inference()))), ...exprsOf(checkDashboard(dashboardJson(batch())))];
    expect(exprs.length).toBeGreaterThan(10);
    for (const e of exprs) {
      const substituted = e.replace(/\$__rate_interval/g, '5m');
      expect([e, syntaxErrorsOf(substituted)]).toEqual([e, []]);
      expect(substituted).not.toMatch(/\$/);
    }
  });

  test('workloads without GPUs have no GPU panel; cpu and Value triggers', () => {
    const chart = Testing.chart();
    new AutoscalingDashboard(chart, 'Dash');
    const labels = { app: 'w' };
    new ApiObject(chart, 'Deploy', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'w', namespace: 'ns' },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    });
    new ApiObject(chart, 'So', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'w', namespace: 'ns' },
      spec: {
        scaleTargetRef: { name: 'w' },
        minReplicaCount: 1,
        maxReplicaCount: 4,
        triggers: [
          { type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } },
          { type: 'prometheus', metricType: 'Value', metadata: { serverAddress: 'http://p:9090', query: 'sum(x)', threshold: '100' } },
        ],
      },
    });
    const d = checkDashboard(dashboardJson(Testing.synth(chart)));
    expect((d.panels ?? []).map(p => p.title)).toEqual([
      'ns/w (ScaledObject w)', 'Replicas', 'KEDA cpu (trigger 0) (utilization target 60%)',
      'KEDA prometheus (trigger 1): value vs threshold 100', 'Cold start per pod',
    ]);
    const [, cpu, value] = queryPanels(d);
    expect(cpu.targets?.[0].expr).toContain('horizontalpodautoscaler="keda-hpa-w",metric_name="cpu",metric_target_type="utilization"');
    expect(cpu.fieldConfig?.defaults.unit).toBe('percent');
    expect(value.targets?.[0].expr).not.toContain('clamp_min');
  });

  test('props: name, namespace, title, uid, folder, sidecar label and extra labels', () => {
    const { chart } = inferenceChart();
    new AutoscalingDashboard(chart, 'Custom', {
      name: 'gpu-dash',
      namespace: 'observability',
      title: 'GPU serving',
      uid: 'gpu-serving',
      folder: 'ML',
      folderAnnotation: 'grafana_folder',
      sidecarLabel: 'my_dashboards',
      sidecarLabelValue: 'yes',
      labels: { team: 'ml' },
    });
    const manifests = validateAll(Testing.synth(chart));
    const cm = manifests.find(m => m.metadata?.name === 'gpu-dash');
    expect(cm.metadata).toEqual({
      name: 'gpu-dash', namespace: 'observability', labels: { team: 'ml', my_dashboards: 'yes' }, annotations: { grafana_folder: 'ML' },
    });
    const d = checkDashboard(JSON.parse(cm.data['gpu-dash.json']));
    expect([d.uid, d.title]).toEqual(['gpu-serving', 'GPU serving']);
    const folder = new AutoscalingDashboard(inferenceChart().chart, 'F', { name: 'f', folder: 'ML' });
    expect(folder.configMap.toJson().metadata.annotations).toEqual({ 'k8s-sidecar-target-directory': 'ML' });
  });

  test('the default uid is at most 40 characters, distinct per chart and name, stable', () => {
    const app = Testing.app();
    const long = 'a-very-long-chart-name-for-the-serving-platform';
    const chart = new (class extends Chart {})(app, long);
    const a = new AutoscalingDashboard(chart, 'A');
    const b = new AutoscalingDashboard(chart, 'B', { name: 'other' });
    expect(a.uid.length).toBeLessThanOrEqual(40);
    expect(a.uid).toMatch(/^a-very-long-chart-name-for-the-[0-9a-f]{8}$/);
    expect(b.uid).not.toBe(a.uid);
    expect(new AutoscalingDashboard(new (class extends Chart {})(Testing.app(), long), 'A').uid).toBe(a.uid);
  });

  test('a chart without autoscaled workloads: a dashboard without panels and a warning naming the fix', () => {
    const chart = Testing.chart();
    new AutoscalingDashboard(chart, 'Dash');
    const manifests = validateAll(Testing.synth(chart));
    const json = dashboardJson(manifests) as any;
    expect(json.panels).toEqual([]);
    const [w, ...rest] = Warnings.of(chart);
    expect(rest).toEqual([]);
    expect(w).toMatchObject({ id: 'ML-W-DASHBOARD-WITHOUT-WORKLOADS', path: 'test/Dash' });
    expect(w.message).toContain('add AutoscalingDashboard to the chart that holds the autoscaled workloads');
  });

  test.each([
    [{ uid: 'x'.repeat(41) }, 'uid="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx": is 41 characters long, at most 40 are allowed'],
    [{ uid: 'my dash' }, 'uid="my dash": is not a dashboard uid (letters, digits, "-" and "_" only). Fix: use "my-dash".'],
    [{ name: 'My_Dash' }, 'name="My_Dash"'],
    [{ namespace: 'a.b' }, 'namespace="a.b"'],
    [{ title: 'a\nb' }, 'title="a\\nb": contains a line break'],
    [{ sidecarLabelValue: 'no spaces' }, 'sidecarLabelValue="no spaces"'],
    [{ labels: { grafana_dashboard: '0' } }, 'labels["grafana_dashboard"]="0": is the sidecar label, which the construct sets. Fix: remove it from labels and set sidecarLabelValue instead.'],
    [{ folderAnnotation: 'grafana_folder' }, 'folderAnnotation="grafana_folder": has no effect without folder'],
    [{ uidd: 'x' }, 'uidd="x": is not a property of AutoscalingDashboardProps. Fix: did you mean "uid"?'],
  ])('props error %j', (props, message) => {
    expect(errorOf(() => new AutoscalingDashboard(Testing.chart(), 'Dash', props as any))).toContain(`[test/Dash] ${message}`);
  });
});
