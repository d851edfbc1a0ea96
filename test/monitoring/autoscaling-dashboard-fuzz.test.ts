import { ApiObject } from 'cdk8s';
import { AutoscalingDashboard } from '../../src';
import { EntryPoint, fuzzEntryPoint, synthOf } from '../fuzz/harness';

/**
 * Arbitrary JavaScript values for every prop of AutoscalingDashboard (fast-check, the shared fuzz harness): a prop
 * error naming the construct, the prop and the value, or valid output; never a TypeError.
 */

const labels = { app: 'w' };

/** A Deployment scaled by an HPA on cpu: something for the dashboard to show. */
function workload(chart: any): void {
  new ApiObject(chart, 'Deploy', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'w', namespace: 'ns' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  });
  new ApiObject(chart, 'Hpa', {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'w', namespace: 'ns' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  });
}

const DASHBOARD: EntryPoint = {
  name: 'AutoscalingDashboard',
  where: 'test/Svc',
  valid: () => ({
    name: 'dash',
    namespace: 'monitoring',
    title: 'GPU serving',
    uid: 'gpu-serving',
    folder: 'ML',
    folderAnnotation: 'grafana_folder',
    sidecarLabel: 'grafana_dashboard',
    sidecarLabelValue: '1',
    labels: { team: 'ml' },
  }),
  make: props => synthOf(chart => {
    workload(chart);
    new AutoscalingDashboard(chart, 'Svc', props);
  }),
};

fuzzEntryPoint(DASHBOARD);
