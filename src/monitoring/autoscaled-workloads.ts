import {
  Autoscaler, containersOf, gpusPerPod, HPA, hpaMetrics, isGpuResource, ManifestIndex, modelLoadSeconds, nameOf, nsOf,
  podTemplateOf, SCALED_OBJECT, seconds, triggersOf,
} from '../guardrails/manifest';
import { declaredMetricsOf, hpaReads, numberOf, quantityOf, triggerReads } from '../guardrails/model-server-facts';
import { SignalKind } from '../model-server/server-catalog';
import { podPatternOf } from '../model-server/signal-query';
import { parseDecimal, triggerTarget } from '../simulate/scaled-object-spec-check';

/**
 * What the monitoring constructs (rules, dashboard) need to know about each autoscaled workload,
 * read from the rendered objects only (the same JSON the cluster gets), so alerts and panels can
 * never drift from the autoscalers they watch.
 */

/** KEDA scalers that measure a backlog (items waiting), for "the queue grows while at max". */
const QUEUE_SCALERS = new Set([
  'rabbitmq', 'kafka', 'apache-kafka', 'aws-sqs-queue', 'redis', 'redis-cluster', 'redis-streams', 'azure-queue',
  'azure-servicebus', 'gcp-pubsub', 'nats-jetstream', 'activemq', 'artemis-queue', 'ibmmq', 'pulsar', 'stan',
]);

/** One metric an HPA scales on, as kube-state-metrics reports it (`..._spec_target_metric`). */
export interface HpaMetricView {
  /** Index in `spec.metrics`. */
  readonly index: number;
  /** The metric's type: Resource, ContainerResource, Pods, Object, External. */
  readonly type: string;
  /** kube-state-metrics' `metric_name` label: the resource name (`cpu`) or the metric name. */
  readonly metricName: string;
  /** kube-state-metrics' `metric_target_type` label: `utilization`, `average` or `value`. */
  readonly targetType: 'utilization' | 'average' | 'value';
  /** The target as a number (utilization in percent, quantities in base units). */
  readonly target: number;
  /** Whether the metric is a backlog: a model server's queue, or a custom metric named like one (`inference_queue_depth`). */
  readonly queue: boolean;
}

/** One trigger of a ScaledObject. */
export interface TriggerView {
  readonly index: number;
  /** Scaler type (`rabbitmq`, `prometheus`, `cpu`, ...). */
  readonly type: string;
  /** The trigger's `name`, when set. */
  readonly name?: string;
  /** The per-replica target (threshold), when the trigger states or defaults one. */
  readonly target?: number;
  /** Whether the scaler measures a backlog (message queues, a model server's queue in a prometheus query). */
  readonly queue: boolean;
  /** The PromQL of a `prometheus` trigger. */
  readonly query?: string;
  /** The trigger's `metricType` (`AverageValue`, KEDA's default, `Value` or `Utilization`), when set. */
  readonly metricType?: string;
}

/** An autoscaled Deployment or StatefulSet and the facts its autoscaler and pod template state. */
export interface AutoscaledWorkload {
  readonly namespace: string;
  /** `Deployment` or `StatefulSet`. */
  readonly kind: string;
  readonly name: string;
  /** A regular expression matching the workload's pod names (RE2, for PromQL `pod=~`). */
  readonly podPattern: string;
  /** `HorizontalPodAutoscaler` or `ScaledObject`. */
  readonly autoscalerKind: string;
  readonly autoscalerName: string;
  /** The HPA that runs the scaling: the HPA itself, or the one KEDA creates for the ScaledObject. */
  readonly hpaName: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** The declared model load time (`ml-autoscaling.io/model-load-seconds`), if any. */
  readonly modelLoadSeconds?: number;
  /** The longest startup probe budget of its containers (initialDelay + failureThreshold x period), if any. */
  readonly startupBudgetSeconds?: number;
  /** GPUs each pod requests. */
  readonly gpusPerPod: number;
  /** The GPU resource names its containers request or limit (`nvidia.com/gpu`), sorted. */
  readonly gpuResources: readonly string[];
  /** The HPA's metrics (empty for a ScaledObject: its triggers say what it scales on). */
  readonly hpaMetrics: readonly HpaMetricView[];
  /** The ScaledObject's triggers (empty for an HPA). */
  readonly triggers: readonly TriggerView[];
}

/**
 * The HPA KEDA creates for a ScaledObject: `keda-hpa-<name>`, or
 * `spec.advanced.horizontalPodAutoscalerConfig.name` (KEDA pkg/controller/keda/hpa.go, getHPAName).
 */
export function kedaHpaName(scaledObject: any): string {
  const custom = scaledObject?.spec?.advanced?.horizontalPodAutoscalerConfig?.name;
  return typeof custom === 'string' && custom ? custom : `keda-hpa-${nameOf(scaledObject)}`;
}

const QUEUE_NAME = /queue|backlog|pending|waiting|lag|depth/i;

function hpaMetricViews(hpa: any, declared: Partial<Record<SignalKind, string>>): HpaMetricView[] {
  const reads = hpaReads(hpa, declared);
  return hpaMetrics(hpa).flatMap(({ m }, index): HpaMetricView[] => {
    const type = String(m?.type ?? '');
    const key = ({ Resource: 'resource', ContainerResource: 'containerResource', Pods: 'pods', Object: 'object', External: 'external' } as any)[type];
    const src = key ? m[key] : undefined;
    if (!src || typeof src !== 'object') return [];
    const metricName = key === 'resource' || key === 'containerResource' ? src.name : src.metric?.name;
    const t = src.target ?? {};
    const [targetType, raw] = t.averageUtilization !== undefined
      ? ['utilization', numberOf(t.averageUtilization)] as const
      : t.averageValue !== undefined ? ['average', quantityOf(t.averageValue)] as const : ['value', quantityOf(t.value)] as const;
    if (typeof metricName !== 'string' || raw === undefined) return [];
    const read = reads[index];
    const queue = (read?.known ?? []).some(r => r.signal === SignalKind.QUEUE_SIZE) ||
      (type !== 'Resource' && type !== 'ContainerResource' && QUEUE_NAME.test(metricName));
    return [{ index, type, metricName, targetType, target: raw, queue }];
  });
}

function triggerViews(scaledObject: any, declared: Partial<Record<SignalKind, string>>): TriggerView[] {
  const triggers = triggersOf(scaledObject);
  const reads = triggerReads(triggers, declared);
  return triggers.map((t, index): TriggerView => {
    const type = String(t?.type ?? '');
    const metadata = t?.metadata && typeof t.metadata === 'object' ? t.metadata : {};
    const raw = triggerTarget(type, metadata).raw;
    const target = raw === undefined ? undefined : parseDecimal(raw);
    const query = type === 'prometheus' && typeof metadata.query === 'string' ? metadata.query : undefined;
    const queue = QUEUE_SCALERS.has(type) || (reads[index]?.known ?? []).some(r => r.signal === SignalKind.QUEUE_SIZE);
    return {
      index,
      type,
      name: typeof t?.name === 'string' ? t.name : undefined,
      target: target !== undefined && Number.isFinite(target) ? target : undefined,
      queue,
      query,
      metricType: typeof t?.metricType === 'string' ? t.metricType : undefined,
    };
  });
}

/** The GPU resource names the pod's containers ask for. */
function gpuResourcesOf(podSpec: any): string[] {
  const names = new Set<string>();
  for (const c of containersOf(podSpec)) {
    for (const name of [...Object.keys(c?.resources?.limits ?? {}), ...Object.keys(c?.resources?.requests ?? {})]) {
      if (isGpuResource(name)) names.add(name);
    }
  }
  return [...names].sort();
}

/** The longest startup probe budget among the pod's containers. */
function startupBudget(podSpec: any): number | undefined {
  const budgets = containersOf(podSpec).filter(c => c?.startupProbe).map(c => {
    const p = c.startupProbe;
    return seconds(p.initialDelaySeconds, 0) + seconds(p.failureThreshold, 3) * seconds(p.periodSeconds, 10);
  });
  return budgets.length ? Math.max(...budgets) : undefined;
}

function viewOf(index: ManifestIndex, a: Autoscaler): AutoscaledWorkload | undefined {
  const workload = index.targetOf(a);
  if (!workload || !['Deployment', 'StatefulSet'].includes(workload.kind)) return undefined;
  const podSpec = podTemplateOf(workload)?.spec;
  const declared = declaredMetricsOf(workload);
  const isKeda = a.kind === SCALED_OBJECT;
  return {
    namespace: nsOf(workload) || 'default',
    kind: workload.kind,
    name: nameOf(workload),
    podPattern: podPatternOf(workload.kind, nameOf(workload)),
    autoscalerKind: a.kind,
    autoscalerName: nameOf(a.obj),
    hpaName: isKeda ? kedaHpaName(a.obj) : nameOf(a.obj),
    minReplicas: a.min,
    maxReplicas: a.max,
    modelLoadSeconds: modelLoadSeconds(workload),
    startupBudgetSeconds: startupBudget(podSpec),
    gpusPerPod: gpusPerPod(podSpec),
    gpuResources: gpuResourcesOf(podSpec),
    hpaMetrics: isKeda ? [] : hpaMetricViews(a.obj, declared),
    triggers: isKeda ? triggerViews(a.obj, declared) : [],
  };
}

/**
 * Every Deployment or StatefulSet among `objects` that an HPA or a ScaledObject among them scales,
 * in document order of the autoscalers. Workloads without an autoscaler, ScaledJobs and autoscalers
 * whose target is not among the objects are left out: there is nothing of theirs to watch.
 */
export function autoscaledWorkloads(objects: any[]): AutoscaledWorkload[] {
  const index = new ManifestIndex(objects);
  const out: AutoscaledWorkload[] = [];
  for (const a of index.autoscalers) {
    if (a.kind !== HPA && a.kind !== SCALED_OBJECT) continue;
    const view = viewOf(index, a);
    if (view) out.push(view);
  }
  return out;
}
