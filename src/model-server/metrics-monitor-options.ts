import { Duration } from 'cdk8s';

/**
 * A Prometheus Operator `PodMonitor` for the workload's metrics endpoint: the series behind its
 * scaling signals exist only once Prometheus scrapes them. It selects exactly the workload's pods
 * (its selector labels, in its namespace), so the targets carry the `namespace` and `pod` labels the
 * adapter rules and the KEDA queries select by.
 */
export interface MetricsMonitorOptions {
  /**
   * Labels on the PodMonitor, e.g. `{ release: 'kube-prometheus-stack' }` when the Prometheus
   * Operator selects PodMonitors by label (kube-prometheus-stack's default).
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Scrape interval: signals go stale by up to this much on top of the autoscaler's period.
   * @default Duration.seconds(15)
   */
  readonly interval?: Duration;

  /**
   * Name of the PodMonitor.
   * @default - `<name>-metrics` when the workload has a name, otherwise generated
   */
  readonly name?: string;
}
