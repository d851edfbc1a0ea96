/**
 * The fields of a Prometheus Operator `PodMonitor` (monitoring.coreos.com/v1) that the serving
 * constructs render, typed after the operator's CRD (`kubectl explain podmonitor.spec`). Internal:
 * only the subset the library writes. The tests check every rendered PodMonitor against the full CRD
 * schema (`@kubernetes-models/prometheus-operator`, a devDependency; test/validate.ts).
 */

/** apiVersion and kind of a PodMonitor. */
export const POD_MONITOR_GVK = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor' };

/** `metadata` of the PodMonitor (the subset rendered). */
export interface PodMonitorMetadata {
  /** Name; cdk8s generates one when undefined. */
  readonly name?: string;
  /** Namespace: the workload's. */
  readonly namespace?: string;
  /** Labels on the PodMonitor, e.g. the one a Prometheus selects PodMonitors by. */
  readonly labels?: { [key: string]: string };
}

/** One of `spec.podMetricsEndpoints`: a scraped container port. */
export interface PodMetricsEndpoint {
  /** Name of the container port. */
  readonly port: string;
  /** HTTP path of the metrics endpoint. */
  readonly path: string;
  /** Scrape interval as a Prometheus duration, e.g. "15s". */
  readonly interval: string;
}

/** `spec` of the PodMonitor (the subset rendered). */
export interface PodMonitorSpec {
  /** The pods to scrape, by label. */
  readonly selector: { readonly matchLabels: { [key: string]: string } };
  /** The namespaces the pods are looked up in. */
  readonly namespaceSelector: { readonly matchNames: string[] } | { readonly any: true };
  readonly podMetricsEndpoints: PodMetricsEndpoint[];
}

/** Props of the PodMonitor object as rendered by `kubeObject` (apiVersion and kind added there). */
export interface PodMonitorProps {
  readonly metadata: PodMonitorMetadata;
  readonly spec: PodMonitorSpec;
}
