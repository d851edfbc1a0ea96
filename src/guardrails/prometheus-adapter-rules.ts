import { ApiObject, Chart, Lazy, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULT_METRICS_QUERY, customMetricsOf, renderRule } from './adapter-config';
import { checkProps, checkValue, mapOf, optional, Shape, string, StringFormat } from '../validate/check';
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

const SERIES_QUERY: StringFormat = {
  description: 'an adapter metricsQuery template using <<.Series>>',
  test: v => (v.includes('<<.Series>>') ? undefined : 'must use the <<.Series>> template placeholder'),
  fix: () => 'write the query around <<.Series>>{<<.LabelMatchers>>}, e.g. "sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)"',
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
  metricsQuery: optional(string({ format: SERIES_QUERY })),
  metricsQueries: optional(mapOf(METRIC_NAME_CHECK, string({ format: SERIES_QUERY }))),
  namespaceLabel: optional(string({ format: PROMETHEUS_LABEL })),
  podLabel: optional(string({ format: PROMETHEUS_LABEL })),
};

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

  constructor(scope: Construct, id: string, props: PrometheusAdapterRulesProps = {}) {
    super(scope, id);
    checkProps(this, 'PrometheusAdapterRulesProps', PROPS, props, true);
    this.metricsQuery = props.metricsQuery ?? DEFAULT_METRICS_QUERY;
    // a copy: later changes to the caller's object cannot bypass the checks
    this.metricsQueries = { ...props.metricsQueries };
    this.namespaceLabel = props.namespaceLabel ?? 'namespace';
    this.podLabel = props.podLabel ?? 'pod';

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
    for (const m of this.metrics()) {
      const rule = renderRule(m, this.metricsQueries[m.name] ?? this.metricsQuery, this.namespaceLabel, this.podLabel);
      (m.type === 'External' ? externalRules : rules).push(rule);
    }
    return Yaml.stringify({ rules, externalRules });
  }
}
