/**
 * Internal: the PromQL in rendered objects, with where it is: KEDA prometheus triggers, PrometheusRule
 * expressions, Prometheus Adapter metricsQuery templates and Grafana dashboard panels.
 */
import { adapterConfigEntriesOf } from './adapter-config';
import { SCALED_JOB, SCALED_OBJECT, triggersOf } from './manifest';

/** Where a PromQL text comes from, which decides how it is prepared before parsing. */
export enum PromqlSourceKind {
  /** Plain PromQL (KEDA trigger, PrometheusRule). */
  QUERY = 'query',
  /** A Prometheus Adapter metricsQuery Go template. */
  ADAPTER_TEMPLATE = 'adapter-template',
  /** A Grafana panel target: Grafana substitutes its variables first. */
  GRAFANA = 'grafana',
}

/** One PromQL text found in an object. */
export interface PromqlSource {
  readonly obj: any;
  /** JSON path in the object (into a ConfigMap entry's parsed content for adapters and dashboards). */
  readonly location: string;
  readonly query: string;
  readonly kind: PromqlSourceKind;
  /** What reads it, for messages: `KEDA's prometheus scaler`. */
  readonly reader: string;
  /** The Prometheus server address, when the object names it (KEDA triggers). */
  readonly serverAddress?: string;
}

/** `data["config.yaml"]` for a ConfigMap data key. */
function dataPath(key: string): string {
  return `data[${JSON.stringify(key)}]`;
}

function kedaQueries(objects: readonly any[]): PromqlSource[] {
  const out: PromqlSource[] = [];
  for (const obj of objects) {
    if (obj?.kind !== SCALED_OBJECT && obj?.kind !== SCALED_JOB) continue;
    triggersOf(obj).forEach((t, i) => {
      const query = t.metadata?.query;
      if (t.type !== 'prometheus' || typeof query !== 'string') return;
      const address = t.metadata?.serverAddress;
      out.push({
        obj,
        location: `spec.triggers[${i}].metadata.query`,
        query,
        kind: PromqlSourceKind.QUERY,
        reader: "KEDA's prometheus scaler",
        serverAddress: typeof address === 'string' ? address : undefined,
      });
    });
  }
  return out;
}

function ruleExpressions(objects: readonly any[]): PromqlSource[] {
  const out: PromqlSource[] = [];
  for (const obj of objects) {
    if (obj?.kind !== 'PrometheusRule' || !String(obj?.apiVersion ?? '').startsWith('monitoring.coreos.com/')) continue;
    const groups = Array.isArray(obj.spec?.groups) ? obj.spec.groups : [];
    groups.forEach((g: any, gi: number) => {
      (Array.isArray(g?.rules) ? g.rules : []).forEach((r: any, ri: number) => {
        if (typeof r?.expr !== 'string') return;
        out.push({
          obj,
          location: `spec.groups[${gi}].rules[${ri}].expr`,
          query: r.expr,
          kind: PromqlSourceKind.QUERY,
          reader: `Prometheus (${r.alert !== undefined ? 'alerting' : 'recording'} rule)`,
        });
      });
    });
  }
  return out;
}

function adapterTemplates(configMaps: readonly any[]): PromqlSource[] {
  const out: PromqlSource[] = [];
  for (const e of adapterConfigEntriesOf(configMaps as any[])) {
    const doc = e.document > 0 ? `[document ${e.document}]` : '';
    for (const list of ['rules', 'externalRules']) {
      (Array.isArray(e.config[list]) ? e.config[list] : []).forEach((r: any, i: number) => {
        if (typeof r?.metricsQuery !== 'string') return;
        out.push({
          obj: e.configMap,
          location: `${dataPath(e.key)}${doc}.${list}[${i}].metricsQuery`,
          query: r.metricsQuery,
          kind: PromqlSourceKind.ADAPTER_TEMPLATE,
          reader: 'the Prometheus Adapter',
        });
      });
    }
  }
  return out;
}

/** Whether a dashboard panel target reads a Prometheus data source (not Loki, which also has `expr`). */
function isPrometheusTarget(target: any, panel: any): boolean {
  for (const ds of [target?.datasource, panel?.datasource]) {
    if (ds === undefined || ds === null) continue;
    const type = typeof ds === 'object' ? ds.type : undefined;
    if (typeof type === 'string' && !type.startsWith('$') && type !== 'prometheus') return false;
    if (typeof ds === 'string' && /loki|tempo|elastic|influx|graphite/i.test(ds)) return false;
    if (typeof type === 'string') return true;
  }
  return true;
}

/** Panels of a dashboard, rows' nested panels included (current schema and the old `rows[]`). */
function panelsOf(dashboard: any, path: string, out: Array<{ panel: any; path: string }>): void {
  const walk = (panels: unknown, at: string) => {
    if (!Array.isArray(panels)) return;
    panels.forEach((p: any, i: number) => {
      if (!p || typeof p !== 'object') return;
      out.push({ panel: p, path: `${at}[${i}]` });
      walk(p.panels, `${at}[${i}].panels`);
    });
  };
  walk(dashboard?.panels, `${path}.panels`);
  (Array.isArray(dashboard?.rows) ? dashboard.rows : []).forEach((r: any, i: number) => walk(r?.panels, `${path}.rows[${i}].panels`));
}

/** Whether a ConfigMap is a Grafana dashboard for the sidecar (label `grafana_dashboard`). */
export function isGrafanaDashboardConfigMap(cm: any): boolean {
  const labels = cm?.metadata?.labels;
  return cm?.kind === 'ConfigMap' && labels && typeof labels === 'object' && labels.grafana_dashboard !== undefined;
}

function dashboardExpressions(configMaps: readonly any[]): PromqlSource[] {
  const out: PromqlSource[] = [];
  for (const cm of configMaps) {
    if (!isGrafanaDashboardConfigMap(cm) || !cm.data || typeof cm.data !== 'object') continue;
    for (const [key, text] of Object.entries(cm.data)) {
      if (!key.endsWith('.json') || typeof text !== 'string') continue;
      let dashboard: any;
      try {
        dashboard = JSON.parse(text);
      } catch {
        continue;
      }
      const panels: Array<{ panel: any; path: string }> = [];
      panelsOf(dashboard, dataPath(key), panels);
      for (const { panel, path } of panels) {
        (Array.isArray(panel.targets) ? panel.targets : []).forEach((t: any, i: number) => {
          if (typeof t?.expr !== 'string' || t.expr.trim() === '' || !isPrometheusTarget(t, panel)) return;
          out.push({
            obj: cm,
            location: `${path}.targets[${i}].expr`,
            query: t.expr,
            kind: PromqlSourceKind.GRAFANA,
            reader: typeof panel.title === 'string' && panel.title !== '' ? `Grafana (panel ${JSON.stringify(panel.title)})` : 'Grafana',
          });
        });
      }
    }
  }
  return out;
}

/** Every PromQL text in the objects. */
export function promqlSourcesOf(objects: readonly any[], configMaps: readonly any[]): PromqlSource[] {
  return [...kedaQueries(objects), ...ruleExpressions(objects), ...adapterTemplates(configMaps), ...dashboardExpressions(configMaps)];
}
