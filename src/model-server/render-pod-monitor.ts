import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { MetricsMonitorOptions } from './metrics-monitor-options';
import { POD_MONITOR_GVK, PodMonitorProps } from './pod-monitor-api';
import { durationSeconds } from '../errors';
import { optional, Shape, string, struct } from '../validate/check';
import { DNS1123_SUBDOMAIN_NAME } from '../validate/formats';
import { duration, labels } from '../validate/values';
import { kubeObject } from '../workload/kube-object';

/** The checks of `MetricsMonitorOptions`. */
export const METRICS_MONITOR_OPTIONS = struct<MetricsMonitorOptions>('MetricsMonitorOptions', {
  labels: optional(labels()),
  interval: optional(duration({ minSeconds: 1 })),
  name: optional(string({ format: DNS1123_SUBDOMAIN_NAME })),
} as Shape<MetricsMonitorOptions>);

/** Where the workload serves metrics. */
export interface ScrapeTarget {
  readonly workloadName?: string;
  readonly namespace?: string;
  readonly selectorLabels: { [key: string]: string };
  /** Name of the container port. */
  readonly port: string;
  readonly path: string;
}

/** Renders the PodMonitor (options already checked against `METRICS_MONITOR_OPTIONS`). */
export function renderPodMonitor(scope: Construct, options: MetricsMonitorOptions, target: ScrapeTarget): ApiObject {
  const interval = durationSeconds(scope, 'metricsMonitor.interval', options.interval, 1) ?? 15;
  const name = options.name ?? (target.workloadName ? `${target.workloadName}-metrics` : undefined);
  const namespace = target.namespace ?? Chart.of(scope).namespace;
  return kubeObject<PodMonitorProps>(scope, 'PodMonitor', POD_MONITOR_GVK, {
    metadata: {
      ...(name !== undefined ? { name } : {}),
      ...(target.namespace !== undefined ? { namespace: target.namespace } : {}),
      ...(options.labels !== undefined ? { labels: { ...options.labels } } : {}),
    },
    spec: {
      selector: { matchLabels: { ...target.selectorLabels } },
      namespaceSelector: namespace ? { matchNames: [namespace] } : { any: true },
      podMetricsEndpoints: [{ port: target.port, path: target.path, interval: `${interval}s` }],
    },
  });
}
