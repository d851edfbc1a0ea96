import { ApiObject, Chart, Lazy, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULT_METRICS_QUERY, customMetricsOf, renderRule, seriesNameFor } from './adapter-config';
import { Guardrails } from './guardrails';
import { SERVER_METRICS } from '../annotations';
import { GpuMetricLabels } from '../model-server/scaling-signal';
import { apiNameOf, DCGM_EXPORTER, knownMetric, parseServerMetrics } from '../model-server/server-catalog';
import { ADAPTER_METRICS_QUERY } from '../promql/promql-formats';
import { checkProps, checkValue, enumOf, mapOf, optional, Shape, string, StringFormat } from '../validate/check';
import { DNS1123_LABEL_NAME, DNS1123_SUBDOMAIN_NAME } from '../validate/formats';

/**
 * Props of `PrometheusAdapterRules`.
 */
export interface PrometheusAdapterRulesProps {
  /**
   * Name of the ConfigMap the Prometheus Adapter reads its `config.yaml` from. With the
   * prometheus-community Helm chart, set the chart's `rules.existing` to this name.
   * @default "prometheus-adapter"
   */
  readonly name?: string;

  /**
   * Namespace the adapter runs in.
   * @default "monitoring"
   */
  readonly namespace?: string;

  /**
   * The adapter `metricsQuery` template used for every rule (Go template with `<<.Series>>`,
   * `<<.LabelMatchers>>`, `<<.GroupBy>>`).
   * @default "sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)"
   */
  readonly metricsQuery?: string;

  /**
   * `metricsQuery` per metric name, for metrics that need another aggregation (e.g. a rate over a counter).
   * @default - every metric uses `metricsQuery`
   */
  readonly metricsQueries?: { [metricName: string]: string };

  /**
   * Prometheus label that holds the Kubernetes namespace of a series.
   * @default "namespace"
   */
  readonly namespaceLabel?: string;

  /**
   * Prometheus label that holds the pod name of a series.
   * @default "pod"
   */
  readonly podLabel?: string;

  /**
   * Which labels carry the pod and namespace on the DCGM exporter's GPU series
   * (`DCGM_FI_DEV_GPU_UTIL`, `DCGM_FI_DEV_FB_USED`): `exported_pod`/`exported_namespace` with the
   * exporter's Helm chart defaults (`honorLabels: false`), `pod`/`namespace` with `honorLabels: true`.
   * @default GpuMetricLabels.EXPORTED
   */
  readonly gpuMetricLabels?: GpuMetricLabels;
}

interface DeclaredMetric {
  readonly name: string;
  readonly type: 'Pods' | 'Object' | 'External';
  readonly describedKind?: string;
}

/** Metric names as the custom/external metrics APIs take them (series names are derived from them). */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:.-]*$/;

const METRIC_NAME_FORMAT: StringFormat = {
  description: 'a metric name (letters, digits, "_", ":", "." and "-", starting with a letter, "_" or ":")',
  test: v => (METRIC_NAME.test(v) ? undefined : 'is not a valid metric name'),
  fix: () => 'use letters, digits, "_", ":", "." and "-", starting with a letter, "_" or ":"',
};

const PROMETHEUS_LABEL: StringFormat = {
  description: 'a Prometheus label name (letters, digits and "_", not starting with a digit)',
  test: v => (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(v) ? undefined : 'is not a valid Prometheus label name'),
  fix: () => 'use letters, digits and underscores, e.g. "pod"',
};

const METRIC_NAME_CHECK = string({ format: METRIC_NAME_FORMAT });

const PROPS: Shape<PrometheusAdapterRulesProps> = {
  name: optional(string({ format: DNS1123_SUBDOMAIN_NAME })),
  namespace: optional(string({ format: DNS1123_LABEL_NAME })),
  metricsQuery: optional(string({ format: ADAPTER_METRICS_QUERY })),
  metricsQueries: optional(mapOf(METRIC_NAME_CHECK, string({ format: ADAPTER_METRICS_QUERY }))),
  namespaceLabel: optional(string({ format: PROMETHEUS_LABEL })),
  podLabel: optional(string({ format: PROMETHEUS_LABEL })),
  gpuMetricLabels: optional(enumOf(GpuMetricLabels, 'GpuMetricLabels')),
};

/** The metricsQuery for per-pod values that are averaged over the pod's series (GPUs, engines). */
const AVERAGE_METRICS_QUERY = 'avg(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)';

/**
 * The Prometheus Adapter's rules ConfigMap for every custom metric the chart's HPAs read: the fix
 * for "HPA shows <unknown> for custom metrics".
 *
 * At synth it scans the chart for `autoscaling/v2` HorizontalPodAutoscalers and writes one adapter
 * rule per `Pods`/`Object` metric (under `rules:`, served on custom.metrics.k8s.io) and per
 * `External` metric (under `externalRules:`, served on external.metrics.k8s.io), each exposing the
 * Prometheus series of the same name with `namespace`/`pod` resource overrides. HPAs added after
 * this construct are included too. The guardrail `ML-W-CUSTOM-METRIC-WITHOUT-ADAPTER-RULE` reads
 * the same ConfigMap.
 */
export class PrometheusAdapterRules extends Construct {
  /** The adapter ConfigMap (escape hatch). */
  public readonly configMap: ApiObject;

  private readonly declared: DeclaredMetric[] = [];
  private readonly metricsQuery: string;
  private readonly metricsQueries: { [metricName: string]: string };
  private readonly namespaceLabel: string;
  private readonly podLabel: string;
  private readonly gpuMetricLabels: GpuMetricLabels;
  private readonly customMetricsQuery: boolean;

  constructor(scope: Construct, id: string, props: PrometheusAdapterRulesProps = {}) {
    super(scope, id);
    checkProps(this, 'PrometheusAdapterRulesProps', PROPS, props, true);
    this.metricsQuery = props.metricsQuery ?? DEFAULT_METRICS_QUERY;
    // a copy: later changes to the caller's object cannot bypass the checks
    this.metricsQueries = { ...props.metricsQueries };
    this.namespaceLabel = props.namespaceLabel ?? 'namespace';
    this.podLabel = props.podLabel ?? 'pod';
    this.gpuMetricLabels = props.gpuMetricLabels ?? GpuMetricLabels.EXPORTED;
    this.customMetricsQuery = props.metricsQuery !== undefined;

    // the rendered rules are checked like every construct's objects (ML-E-PROMQL-SYNTAX reads their metricsQuery)
    Guardrails.enforce(Chart.of(this));
    this.configMap = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: props.name ?? 'prometheus-adapter', namespace: props.namespace ?? 'monitoring' },
      data: { 'config.yaml': Lazy.any({ produce: () => this.renderConfig() }) },
    });
  }

  /**
   * Declares a per-pod custom metric no HPA in the chart reads (e.g. one a ScaledObject or a
   * dashboard reads through the custom metrics API).
   */
  public addPodsMetric(name: string): void {
    this.declare({ name, type: 'Pods' });
  }

  /**
   * Declares an external metric no HPA in the chart reads.
   */
  public addExternalMetric(name: string): void {
    this.declare({ name, type: 'External' });
  }

  /**
   * The metric names the rules will serve, as known now (HPAs added later are included at synth).
   */
  public get metricNames(): string[] {
    return this.metrics().map(m => m.name);
  }

  private declare(metric: DeclaredMetric): void {
    checkValue(this, 'name', metric.name, METRIC_NAME_CHECK);
    this.declared.push(metric);
  }

  /** API name -> series of the model servers' metrics the chart's pods declare (`ml-autoscaling.io/server-metrics`). */
  private annotatedSeries(): Map<string, string> {
    const out = new Map<string, string>();
    for (const c of Chart.of(this).node.findAll()) {
      if (!ApiObject.isApiObject(c) || !['Deployment', 'StatefulSet'].includes((c as ApiObject).kind)) continue;
      const text = (c as ApiObject).toJson()?.spec?.template?.metadata?.annotations?.[SERVER_METRICS];
      for (const series of Object.values(parseServerMetrics(text) ?? {})) {
        if (series) out.set(apiNameOf(series), series);
      }
    }
    return out;
  }

  /** Every metric to serve: declared ones and the custom/external metrics of the chart's HPAs. */
  private metrics(): DeclaredMetric[] {
    // only HPAs are rendered: never this or another adapter ConfigMap (their data is lazy too)
    const hpas = Chart.of(this).node.findAll()
      .filter(c => ApiObject.isApiObject(c) && (c as ApiObject).kind === 'HorizontalPodAutoscaler')
      .map(c => (c as ApiObject).toJson());
    const used = customMetricsOf(hpas).filter(m => METRIC_NAME.test(m.name))
      .map(m => ({ name: m.name, type: m.type, describedKind: m.describedKind }));
    const unique = new Map<string, DeclaredMetric>();
    for (const m of [...this.declared, ...used]) {
      const key = `${m.type === 'External' ? 'external' : 'custom'}|${m.type}|${m.describedKind ?? ''}|${m.name}`;
      if (!unique.has(key)) unique.set(key, m);
    }
    return [...unique.values()].sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
  }

  private renderConfig(): string {
    const rules: any[] = [];
    const externalRules: any[] = [];
    const annotated = this.annotatedSeries();
    for (const m of this.metrics()) {
      // the series behind the API name: a model server's (`vllm_num_requests_waiting` <- `vllm:num_requests_waiting`)
      const known = knownMetric(m.name);
      const series = annotated.get(m.name) ?? known?.series ?? seriesNameFor(m.name);
      const gpu = known !== undefined && DCGM_EXPORTER.metrics.includes(known);
      const labels = gpu ? (this.gpuMetricLabels === GpuMetricLabels.HONORED ? DCGM_EXPORTER.honoredLabels : DCGM_EXPORTER.exportedLabels)
        : { namespace: this.namespaceLabel, pod: this.podLabel };
      const query = this.metricsQueries[m.name]
        ?? (m.type === 'Pods' && !this.customMetricsQuery && known?.podAggregation === 'avg' ? AVERAGE_METRICS_QUERY : this.metricsQuery);
      const rule = renderRule(m, query, labels.namespace, labels.pod, series);
      (m.type === 'External' ? externalRules : rules).push(rule);
    }
    return Yaml.stringify({ rules, externalRules });
  }
}
