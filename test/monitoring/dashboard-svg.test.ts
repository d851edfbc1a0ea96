import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { batchChart, dashboardJson, inferenceChart } from './dashboard-fixtures';
import { GrafanaDashboard } from '../../src/monitoring/dashboard-api';
import { dashboardsSvg } from '../../src/monitoring/dashboard-svg';

/**
 * docs/img/dashboard.svg (the README's picture of the dashboard) is the layout of the dashboards generated for the
 * article's inference service and batch worker. Regenerate it with
 *   UPDATE_DOCS=1 npx jest --coverage=false test/monitoring/dashboard-svg
 */
const FILE = path.join(__dirname, '..', '..', 'docs', 'img', 'dashboard.svg');

function render(): string {
  const dashboards = [inferenceChart(), batchChart()].map(({ chart }) => dashboardJson(Testing.synth(chart)) as GrafanaDashboard);
  return dashboardsSvg(dashboards);
}

test('docs/img/dashboard.svg is a fresh rendering of the article charts\' dashboards', () => {
  const svg = render();
  if (process.env.UPDATE_DOCS === '1') fs.writeFileSync(FILE, svg);
  expect(fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : '(missing: run with UPDATE_DOCS=1)').toBe(svg);
});

test('the picture shows every panel title and type on the 24-column grid, escaped', () => {
  const svg = render();
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg).toContain('ml-workloads/ml-inference-service (HPA ml-inference-hpa)');
  expect(svg).toContain('ml-workloads/ml-batch-processor (ScaledObject ml-batch-processor-scaler)');
  expect(svg).toContain('timeseries, unit percent');
  expect(svg).toContain('KEDA prometheus &quot;gpu_utilization&quot;');
  expect(svg).not.toMatch(/"gpu_utilization"/);
  // 25 grid lines per dashboard
  expect(svg.match(/<line /g)?.length).toBe(50);
});
