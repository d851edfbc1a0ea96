/**
 * The fields of a Prometheus Operator `ServiceMonitor` (monitoring.coreos.com/v1) that
 * `MetricsServiceMonitor` renders, typed after the operator's CRD (field names and meanings as in
 * `kubectl explain servicemonitor.spec`). Internal: not part of the public API, and only the subset
 * the library writes. The tests check every rendered ServiceMonitor against the full CRD schema
 * (`@kubernetes-models/prometheus-operator`, a devDependency; test/validate.ts).
 */

/** apiVersion and kind of a ServiceMonitor. */
export const SERVICE_MONITOR_GVK = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' };

/** `metadata` of the ServiceMonitor (the subset rendered). */
export interface ServiceMonitorMetadata {
  /** Name; cdk8s generates one when undefined. */
  readonly name?: string;
  /** Labels on the ServiceMonitor, e.g. the one a Prometheus selects ServiceMonitors by. */
  readonly labels?: { [key: string]: string };
}

/** `spec.selector`: the Services to scrape, by label (a label selector with `matchLabels` only). */
export interface ServiceMonitorSelector {
  readonly matchLabels: { [key: string]: string };
}

/** `spec.namespaceSelector`: the namespaces the Services are looked up in; `any` or a name list. */
export type ServiceMonitorNamespaceSelector =
  | { readonly any: true }
  | { readonly matchNames: string[] };

/** One of `spec.endpoints`: a scraped Service port. */
export interface ServiceMonitorEndpoint {
  /** Name of the Service port. */
  readonly port: string;
  /** HTTP path of the metrics endpoint. */
  readonly path: string;
  /** Scrape interval as a Prometheus duration, e.g. "15s". */
  readonly interval: string;
}

/** `spec` of the ServiceMonitor (the subset rendered). */
export interface ServiceMonitorSpec {
  readonly selector: ServiceMonitorSelector;
  readonly namespaceSelector: ServiceMonitorNamespaceSelector;
  readonly endpoints: ServiceMonitorEndpoint[];
}

/** Props of the ServiceMonitor object as rendered by `kubeObject` (apiVersion and kind added there). */
export interface ServiceMonitorProps {
  readonly metadata: ServiceMonitorMetadata;
  readonly spec: ServiceMonitorSpec;
}
