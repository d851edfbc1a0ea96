/**
 * Internal: Prometheus Adapter configuration as data. Reads the adapter rules found in ConfigMaps
 * (to tell whether a custom metric is served) and renders rules for the metrics HPAs use.
 */
import { HPA, isKedaGeneratedHpa, nameOf, nsOf } from './manifest';
import { parseYamlText } from './yaml-text';

/** The metric APIs an HPA metric is read from. */
export type MetricApi = 'custom' | 'external';

/** A custom metric an HPA reads through the custom or external metrics API. */
export interface UsedMetric {
  readonly hpa: any;
  readonly index: number;
  readonly type: 'Pods' | 'Object' | 'External';
  readonly name: string;
  readonly api: MetricApi;
  /** For Object metrics: the kind of the described object (Service, Ingress...). */
  readonly describedKind?: string;
}

/** Pods, Object and External metrics of every HPA (KEDA-generated HPAs excluded: KEDA serves those). */
export function customMetricsOf(objects: any[]): UsedMetric[] {
  const out: UsedMetric[] = [];
  for (const hpa of objects) {
    if (hpa?.kind !== HPA || isKedaGeneratedHpa(hpa)) continue;
    (Array.isArray(hpa.spec?.metrics) ? hpa.spec.metrics : []).forEach((m: any, index: number) => {
      if (m?.type === 'Pods' && m.pods?.metric?.name) {
        out.push({ hpa, index, type: 'Pods', name: m.pods.metric.name, api: 'custom' });
      } else if (m?.type === 'Object' && m.object?.metric?.name) {
        out.push({ hpa, index, type: 'Object', name: m.object.metric.name, api: 'custom', describedKind: m.object.describedObject?.kind });
      } else if (m?.type === 'External' && m.external?.metric?.name) {
        out.push({ hpa, index, type: 'External', name: m.external.metric.name, api: 'external' });
      }
    });
  }
  return out;
}

/** One adapter config (a parsed `config.yaml`) and where it was found. */
export interface AdapterConfigEntry {
  readonly configMap: any;
  /** The data key it was read from (`config.yaml`). */
  readonly key: string;
  /** Index of the YAML document in that entry. */
  readonly document: number;
  readonly config: any;
}

/** Adapter configs found in ConfigMaps, with their ConfigMap and data key. */
export function adapterConfigEntriesOf(objects: any[]): AdapterConfigEntry[] {
  const entries: AdapterConfigEntry[] = [];
  for (const cm of objects) {
    if (cm?.kind !== 'ConfigMap' || !cm.data || typeof cm.data !== 'object') continue;
    for (const [key, text] of Object.entries(cm.data)) {
      if (typeof text !== 'string' || !/seriesQuery|externalRules|resourceRules/.test(text)) continue;
      let docs: any[];
      try {
        docs = parseYamlText(text);
      } catch {
        continue;
      }
      docs.forEach((d, document) => {
        if (d && typeof d === 'object' && (Array.isArray(d.rules) || Array.isArray(d.externalRules))) {
          entries.push({ configMap: cm, key, document, config: d });
        }
      });
    }
  }
  return entries;
}

/** Adapter configs found in ConfigMaps: any data entry with `rules`/`externalRules` lists. */
export function adapterConfigsOf(objects: any[]): any[] {
  return adapterConfigEntriesOf(objects).map(e => e.config);
}

/** The series name a seriesQuery selects literally, or undefined when it selects by regex. */
function literalSeries(seriesQuery: unknown): string | undefined {
  if (typeof seriesQuery !== 'string') return undefined;
  const bare = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[\s\S]*\})?\s*$/.exec(seriesQuery);
  if (bare) return bare[1];
  const byName = /__name__\s*=\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"/.exec(seriesQuery);
  return byName ? byName[1] : undefined;
}

/** The metric names one adapter rule exposes, or 'any' when it cannot be known offline (regex series). */
export function exposedNames(rule: any): string[] | 'any' {
  const series = literalSeries(rule?.seriesQuery);
  const matches: string | undefined = rule?.name?.matches;
  const as: string | undefined = rule?.name?.as;
  if (as && !as.includes('$')) return [as];
  if (!series) return 'any';
  if (!matches && !as) return [series];
  let re: RegExp;
  try {
    re = new RegExp(matches ?? '^(.*)$');
  } catch {
    return 'any';
  }
  const m = re.exec(series);
  if (!m) return [];
  const template = as ?? (m.length > 1 ? '$1' : '$0');
  return [template.replace(/\$\{?(\d+)\}?/g, (_s, n) => m[Number(n)] ?? '')];
}

/** Whether some adapter config serves the metric through its API. */
export function adapterServes(configs: any[], metric: { name: string; api: MetricApi }): boolean {
  for (const cfg of configs) {
    const rules: any[] = (metric.api === 'custom' ? cfg.rules : cfg.externalRules) ?? [];
    for (const rule of rules) {
      const names = exposedNames(rule);
      if (names === 'any' || names.includes(metric.name)) return true;
    }
  }
  return false;
}

/** Default metricsQuery: sum the series over the requested objects. */
export const DEFAULT_METRICS_QUERY = 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)';

/** Renders one adapter rule that exposes a series under the metric's own name. */
export function renderRule(metric: { name: string; type: string; describedKind?: string }, metricsQuery: string,
  namespaceLabel: string, podLabel: string, seriesName?: string): any {
  const overrides: Record<string, any> = { [namespaceLabel]: { resource: 'namespace' } };
  let seriesFilter = `${namespaceLabel}!=""`;
  if (metric.type === 'Pods') {
    overrides[podLabel] = { resource: 'pod' };
    seriesFilter += `,${podLabel}!=""`;
  } else if (metric.type === 'Object' && metric.describedKind) {
    const label = metric.describedKind.toLowerCase();
    overrides[label] = { resource: label };
  }
  // the Prometheus series behind an API metric name like "requests-per-second" is "requests_per_second"
  const series = seriesName ?? seriesNameFor(metric.name);
  const escaped = series.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    seriesQuery: `${series}{${seriesFilter}}`,
    resources: { overrides },
    name: { matches: `^${escaped}$`, as: metric.name },
    metricsQuery,
  };
}

/** A valid Prometheus series name for a metric name (invalid characters become "_"). */
export function seriesNameFor(metricName: string): string {
  const s = metricName.replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[a-zA-Z_:]/.test(s) ? s : `_${s}`;
}

/** "ns/name" of an HPA for messages. */
export function hpaLabel(hpa: any): string {
  return nsOf(hpa) ? `${nsOf(hpa)}/${nameOf(hpa)}` : nameOf(hpa);
}
