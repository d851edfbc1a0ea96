import { App, Chart, Testing } from 'cdk8s';
import { ArticleInferenceChart } from '../../examples/inference';
import { ArticleBatchProcessorChart } from '../../examples/queue-workers';
import { AutoscalingDashboard } from '../../src';

/**
 * The article's inference service and batch worker charts with an `AutoscalingDashboard` added
 * (the examples themselves are left as they are), and the dashboard JSON of a synthesized chart.
 */

export function withDashboard<T extends Chart>(make: (app: App) => T): { chart: T; dashboard: AutoscalingDashboard } {
  const chart = make(Testing.app());
  const dashboard = new AutoscalingDashboard(chart, 'Dashboard');
  return { chart, dashboard };
}

export const inferenceChart = () => withDashboard(app => new ArticleInferenceChart(app, 'inference', { monitoring: false }));
export const batchChart = () => withDashboard(app => new ArticleBatchProcessorChart(app, 'batch-processor', { monitoring: false }));

/** The dashboard ConfigMap among synthesized manifests. */
export function dashboardConfigMap(manifests: any[]): any {
  const found = manifests.filter(m => m.kind === 'ConfigMap' && m.metadata?.labels?.grafana_dashboard !== undefined);
  if (found.length !== 1) throw new Error(`expected one dashboard ConfigMap, found ${found.length}`);
  return found[0];
}

/** The parsed dashboard JSON of the chart's (only) dashboard ConfigMap. */
export function dashboardJson(manifests: any[]): unknown {
  const cm = dashboardConfigMap(manifests);
  const keys = Object.keys(cm.data);
  if (keys.length !== 1 || !keys[0].endsWith('.json')) throw new Error(`unexpected data keys ${keys.join(', ')}`);
  return JSON.parse(cm.data[keys[0]]);
}
