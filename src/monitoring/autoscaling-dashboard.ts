import { createHash } from 'crypto';
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { autoscaledWorkloads } from './autoscaled-workloads';
import { GrafanaDashboard, UID_MAX_LENGTH } from './dashboard-api';
import { dashboardOf } from './dashboard-model';
import { propError } from '../errors';
import { checkProps, mapOf, optional, Shape, string, StringFormat } from '../validate/check';
import { DNS1123_LABEL_NAME, DNS1123_SUBDOMAIN_NAME, LABEL_VALUE_FORMAT, QUALIFIED_NAME } from '../validate/formats';
import { Warnings } from '../warnings';

/**
 * Props of `AutoscalingDashboard`.
 */
export interface AutoscalingDashboardProps {
  /**
   * Name of the ConfigMap; the dashboard JSON is its data key `<name>.json`.
   * @default "ml-autoscaling-dashboard"
   */
  readonly name?: string;

  /**
   * Namespace of the ConfigMap. kube-prometheus-stack's Grafana sidecar searches every namespace
   * (`grafana.sidecar.dashboards.searchNamespace: ALL`).
   * @default "monitoring"
   */
  readonly namespace?: string;

  /**
   * Title of the dashboard in Grafana.
   * @default "ML autoscaling: <chart id>"
   */
  readonly title?: string;

  /**
   * The dashboard's uid (at most 40 letters, digits, "-" and "_"): Grafana identifies the dashboard
   * by it, so keep it stable.
   * @default - "<chart path>-<name>", shortened with a hash when longer than 40 characters
   */
  readonly uid?: string;

  /**
   * Grafana folder (a directory of the sidecar) to put the dashboard in: written to the annotation
   * `folderAnnotation`. It takes effect only when the Grafana chart's
   * `sidecar.dashboards.folderAnnotation` is set to that annotation and
   * `sidecar.dashboards.provider.foldersFromFilesStructure` is true.
   * @default - no annotation: the dashboard goes into the sidecar provider's folder
   */
  readonly folder?: string;

  /**
   * The annotation the sidecar reads the folder from (the Grafana chart's
   * `sidecar.dashboards.folderAnnotation`). Only used with `folder`.
   * @default "k8s-sidecar-target-directory" (the k8s-sidecar default)
   */
  readonly folderAnnotation?: string;

  /**
   * The label the Grafana sidecar selects dashboard ConfigMaps by
   * (kube-prometheus-stack `grafana.sidecar.dashboards.label`).
   * @default "grafana_dashboard"
   */
  readonly sidecarLabel?: string;

  /**
   * The value of `sidecarLabel` (kube-prometheus-stack `grafana.sidecar.dashboards.labelValue`).
   * @default "1"
   */
  readonly sidecarLabelValue?: string;

  /**
   * Extra labels on the ConfigMap (not `sidecarLabel`: set it with `sidecarLabelValue`).
   * @default - only the sidecar label
   */
  readonly labels?: { [key: string]: string };
}

/** The data key `<name>.json` must fit in a ConfigMap key (253 characters). */
const NAME_MAX_LENGTH = 253 - '.json'.length;

const UID_FORMAT: StringFormat = {
  description: `a dashboard uid (at most ${UID_MAX_LENGTH} letters, digits, "-" and "_")`,
  test: v => (/^[A-Za-z0-9_-]+$/.test(v) ? undefined : 'is not a dashboard uid (letters, digits, "-" and "_" only)'),
  fix: v => `use "${sanitizeUid(v) || 'ml-autoscaling'}"`,
};

const SINGLE_LINE: StringFormat = {
  description: 'a text on one line',
  test: v => (/[\r\n]/.test(v) ? 'contains a line break' : undefined),
  fix: () => 'write it on one line',
};

const PROPS: Shape<AutoscalingDashboardProps> = {
  name: optional(string({ format: DNS1123_SUBDOMAIN_NAME, maxLength: NAME_MAX_LENGTH })),
  namespace: optional(string({ format: DNS1123_LABEL_NAME })),
  title: optional(string({ format: SINGLE_LINE })),
  uid: optional(string({ format: UID_FORMAT, maxLength: UID_MAX_LENGTH })),
  folder: optional(string({ format: SINGLE_LINE })),
  folderAnnotation: optional(string({ format: QUALIFIED_NAME })),
  sidecarLabel: optional(string({ format: QUALIFIED_NAME })),
  sidecarLabelValue: optional(string({ format: LABEL_VALUE_FORMAT, minLength: 0 })),
  labels: optional(mapOf(string({ format: QUALIFIED_NAME }), string({ format: LABEL_VALUE_FORMAT, minLength: 0 }))),
};

function sanitizeUid(v: string): string {
  return v.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
}

/** `<chart path>-<name>`, or its first 31 characters and 8 of its SHA-256 when longer than 40. */
function defaultUid(chartPath: string, name: string): string {
  const full = sanitizeUid(`${chartPath}-${name}`) || 'ml-autoscaling';
  if (full.length <= UID_MAX_LENGTH) return full;
  const hash = createHash('sha256').update(`${chartPath}/${name}`).digest('hex').slice(0, 8);
  return `${full.slice(0, UID_MAX_LENGTH - 9).replace(/-+$/, '')}-${hash}`;
}

/** The kinds the dashboard reads: autoscalers and the workloads they scale (never other lazy objects). */
const SCANNED_KINDS = new Set(['Deployment', 'StatefulSet', 'HorizontalPodAutoscaler', 'ScaledObject']);

/**
 * A Grafana dashboard for every autoscaled workload of the chart, as a ConfigMap the
 * kube-prometheus-stack Grafana sidecar loads (label `grafana_dashboard: "1"`).
 *
 * At synth it reads the chart's rendered Deployments and StatefulSets and the HPAs and KEDA
 * ScaledObjects that scale them (also those added after this construct) and shows per workload:
 * current, desired, min and max replicas; each HPA metric against its target; each KEDA trigger's
 * value per replica against its threshold; cold start per pod against the declared model load time;
 * GPUs in use against what maxReplicas would take. Every panel reads the `datasource` template
 * variable (a Prometheus datasource), kube-state-metrics and KEDA's operator metrics.
 *
 * A chart without autoscaled workloads gets a dashboard without panels and the warning
 * `ML-W-DASHBOARD-WITHOUT-WORKLOADS` (like `AutoscalingRules`: legal, but most likely a construct
 * added to the wrong chart).
 */
export class AutoscalingDashboard extends Construct {
  /** ID of the warning for a chart without autoscaled workloads. */
  public static readonly NO_WORKLOADS_WARNING = 'ML-W-DASHBOARD-WITHOUT-WORKLOADS';

  /** The dashboard ConfigMap (escape hatch). */
  public readonly configMap: ApiObject;

  /** The data key holding the dashboard JSON: `<name>.json`. */
  public readonly dataKey: string;

  /** The dashboard's uid. */
  public readonly uid: string;

  private readonly title: string;

  constructor(scope: Construct, id: string, props: AutoscalingDashboardProps = {}) {
    super(scope, id);
    checkProps(this, 'AutoscalingDashboardProps', PROPS, props, true);
    const name = props.name ?? 'ml-autoscaling-dashboard';
    const sidecarLabel = props.sidecarLabel ?? 'grafana_dashboard';
    const labels = { ...props.labels };
    if (Object.prototype.hasOwnProperty.call(labels, sidecarLabel)) {
      throw propError(this, `labels[${JSON.stringify(sidecarLabel)}]`, labels[sidecarLabel], 'is the sidecar label, which the construct sets',
        'remove it from labels and set sidecarLabelValue instead');
    }
    if (props.folderAnnotation !== undefined && props.folder === undefined) {
      throw propError(this, 'folderAnnotation', props.folderAnnotation, 'has no effect without folder', 'set folder too, or leave folderAnnotation out');
    }
    const chart = Chart.of(this);
    this.dataKey = `${name}.json`;
    this.uid = props.uid ?? defaultUid(chart.node.path, name);
    this.title = props.title ?? `ML autoscaling: ${chart.node.id}`;

    const annotations = props.folder === undefined ? undefined
      : { [props.folderAnnotation ?? 'k8s-sidecar-target-directory']: props.folder };
    this.configMap = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        namespace: props.namespace ?? 'monitoring',
        labels: { ...labels, [sidecarLabel]: props.sidecarLabelValue ?? '1' },
        ...(annotations ? { annotations } : {}),
      },
      data: { [this.dataKey]: Lazy.any({ produce: () => `${JSON.stringify(this.render(), null, 2)}\n` }) },
    });
    // cdk8s validates before it renders: warn then too, so `cdk8s synth` prints it
    this.node.addValidation({ validate: () => { this.render(); return []; } });
  }

  /** The dashboard of the chart's autoscaled workloads, as rendered now. */
  private render(): GrafanaDashboard {
    const chart = Chart.of(this);
    const objects = chart.node.findAll()
      .filter(c => ApiObject.isApiObject(c) && SCANNED_KINDS.has((c as ApiObject).kind))
      .map(c => (c as ApiObject).toJson());
    const workloads = autoscaledWorkloads(objects);
    if (workloads.length === 0) {
      Warnings.add(this, AutoscalingDashboard.NO_WORKLOADS_WARNING,
        `no HorizontalPodAutoscaler or ScaledObject in chart ${chart.node.path || '(root)'} scales a Deployment or StatefulSet ` +
        'of the chart, so the dashboard has no panels: add AutoscalingDashboard to the chart that holds the autoscaled workloads ' +
        '(one per chart)');
    }
    return dashboardOf(workloads, { uid: this.uid, title: this.title });
  }
}
