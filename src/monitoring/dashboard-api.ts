/**
 * The fields of a Grafana dashboard (the classic JSON model that file provisioning and the
 * kube-prometheus-stack sidecar load) that `AutoscalingDashboard` renders, named as in Grafana's
 * schema (`@grafana/schema` `Dashboard`, `Panel`, `RowPanel`, `GridPos`, `DataSourceRef`,
 * `ThresholdsConfig`). Internal: not part of the public API, and only the subset the library writes.
 * The tests type the rendered JSON with `@grafana/schema` (a devDependency) and check every field
 * relied on at runtime.
 */

/** The schema version the dashboards are written for (Grafana 12/13: 42; older Grafanas migrate nothing newer). */
export const DASHBOARD_SCHEMA_VERSION = 42;

/** The grid is 24 columns wide (`gridPos.w` 1..24). */
export const GRID_COLUMNS = 24;

/** Grafana's limit for a dashboard uid. */
export const UID_MAX_LENGTH = 40;

/** The name of the datasource template variable every panel and query uses. */
export const DATASOURCE_VARIABLE = 'datasource';

/** `DataSourceRef`: which datasource a panel or query reads (`uid` may be a `${variable}`). */
export interface DataSourceRef {
  readonly type: 'prometheus';
  readonly uid: string;
}

/** `GridPos`: position and size in grid units (`w` in 1..24 columns, `h` in 30 px rows). */
export interface GridPos {
  readonly h: number;
  readonly w: number;
  readonly x: number;
  readonly y: number;
}

/** One step of `ThresholdsConfig.steps`: `value` null is the base (minus infinity). */
export interface ThresholdStep {
  readonly color: string;
  readonly value: number | null;
}

/** `ThresholdsConfig`. */
export interface ThresholdsConfig {
  readonly mode: 'absolute';
  readonly steps: ThresholdStep[];
}

/** `FieldConfig` of `fieldConfig.defaults` (the subset rendered). */
export interface FieldDefaults {
  /** Unit id: `short`, `percent` (0..100), `s`. */
  readonly unit: string;
  readonly min?: number;
  readonly decimals?: number;
  readonly thresholds: ThresholdsConfig;
  /** Panel-type specific settings: the time series' `thresholdsStyle` (thresholds drawn as lines). */
  readonly custom?: { readonly thresholdsStyle: { readonly mode: 'off' | 'line' | 'dashed' } };
}

/** A Prometheus query of a panel (`targets[]`). */
export interface PrometheusTarget {
  readonly datasource: DataSourceRef;
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat: string;
}

/** A `timeseries` or `stat` panel. */
export interface QueryPanel {
  readonly id: number;
  readonly type: 'timeseries' | 'stat';
  readonly title: string;
  readonly description: string;
  readonly gridPos: GridPos;
  readonly datasource: DataSourceRef;
  readonly fieldConfig: { readonly defaults: FieldDefaults; readonly overrides: [] };
  readonly options: { readonly legend?: { readonly displayMode: 'list'; readonly placement: 'bottom'; readonly showLegend: true } };
  readonly targets: PrometheusTarget[];
}

/** `RowPanel`: a row header (expanded, so its panels follow it in the dashboard's `panels`). */
export interface RowPanel {
  readonly id: number;
  readonly type: 'row';
  readonly title: string;
  readonly collapsed: false;
  readonly gridPos: GridPos;
  readonly panels: [];
}

/** Any panel rendered. */
export type DashboardPanel = QueryPanel | RowPanel;

/** The datasource template variable (`templating.list[]`, type `datasource`). */
export interface DatasourceVariable {
  readonly name: string;
  readonly label: string;
  readonly type: 'datasource';
  readonly query: 'prometheus';
  readonly regex: '';
  readonly hide: 0;
  readonly current: Record<string, never>;
}

/** The dashboard (the subset rendered). */
export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: string[];
  readonly editable: boolean;
  readonly schemaVersion: number;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly timezone: string;
  readonly templating: { readonly list: DatasourceVariable[] };
  readonly panels: DashboardPanel[];
}

/** The datasource every panel and query reads: the template variable. */
export const DATASOURCE: DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };
