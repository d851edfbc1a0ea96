import { AutoscaledWorkload, HpaMetricView, TriggerView } from './autoscaled-workloads';
import { DATASOURCE, FieldDefaults, PrometheusTarget, ThresholdStep } from './dashboard-api';
import * as q from './workload-queries';

/**
 * The panels of one autoscaled workload, read from its view (the rendered autoscaler and pod
 * template), without positions: `dashboard-model.ts` lays them out.
 *
 * Targets and thresholds: an HPA metric's panel plots the live target
 * (`kube_horizontalpodautoscaler_spec_target_metric`, so an HPA edited in the cluster shows what it
 * really runs) and draws the declared target of the rendered HPA as a threshold line (still there
 * when kube-state-metrics leaves out that EXPERIMENTAL series). A KEDA trigger's threshold has no
 * series of its own (KEDA's HPA names its metrics `s<index>-<metric>`), so the declared threshold is
 * drawn as a line.
 */

/** A panel before layout. */
export interface PanelSpec {
  readonly type: 'timeseries' | 'stat';
  readonly title: string;
  readonly description: string;
  readonly defaults: FieldDefaults;
  readonly targets: PrometheusTarget[];
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function targets(...queries: Array<[expr: string, legend: string]>): PrometheusTarget[] {
  return queries.map(([expr, legendFormat], i) => ({ datasource: DATASOURCE, refId: REF_IDS[i], expr, legendFormat }));
}

/** Thresholds: green below, then one colored step per (finite, increasing) value; drawn as lines when any. */
type Step = [value: number | undefined, color: string];

function defaults(unit: string, steps: Step[], extra: { min?: number; decimals?: number } = {}): FieldDefaults {
  const out: ThresholdStep[] = [{ color: 'green', value: null }];
  for (const [value, color] of steps) {
    if (value === undefined || !Number.isFinite(value)) continue;
    const last = out[out.length - 1].value;
    if (last === null || value > last) out.push({ color, value });
  }
  return {
    unit,
    ...extra,
    thresholds: { mode: 'absolute', steps: out },
    custom: { thresholdsStyle: { mode: out.length > 1 ? 'dashed' : 'off' } },
  };
}

/** `<namespace>/<name> (<HPA|ScaledObject> <autoscaler>)`: the title of the workload's row. */
export function rowTitle(w: AutoscaledWorkload): string {
  const kind = w.autoscalerKind === 'HorizontalPodAutoscaler' ? 'HPA' : w.autoscalerKind;
  return `${w.namespace}/${w.name} (${kind} ${w.autoscalerName})`;
}

function replicasPanel(w: AutoscaledWorkload): PanelSpec {
  return {
    type: 'timeseries',
    title: 'Replicas',
    description: `Current and desired replicas of the HPA ${w.hpaName} between its bounds (rendered: ${w.minReplicas}..${w.maxReplicas}).`,
    defaults: defaults('short', [], { min: 0, decimals: 0 }),
    targets: targets(
      [q.replicas(w, 'current'), 'current'], [q.replicas(w, 'desired'), 'desired'],
      [q.replicas(w, 'min'), 'min'], [q.replicas(w, 'max'), 'max'],
    ),
  };
}

function metricUnit(m: HpaMetricView): string {
  if (m.targetType === 'utilization') return 'percent';
  if (m.type === 'Resource' || m.type === 'ContainerResource') return m.metricName === 'memory' ? 'bytes' : 'short';
  return 'short';
}

function hpaMetricPanel(w: AutoscaledWorkload, m: HpaMetricView, title?: string): PanelSpec {
  const target = m.targetType === 'utilization' ? `${m.target}%` : `${m.target}`;
  return {
    type: 'timeseries',
    title: title ?? `${m.type} ${m.metricName} (${m.targetType} target ${target})`,
    description: `The HPA's current value of metric ${m.index} (${m.metricName}) against its target; the dashed line is the rendered target.`,
    defaults: defaults(metricUnit(m), [[m.target, 'red']], { min: 0 }),
    targets: targets([q.hpaMetricValue(w, m), 'current'], [q.hpaMetricTarget(w, m), 'target']),
  };
}

function triggerTitle(t: TriggerView): string {
  return `KEDA ${t.type}${t.name ? ` "${t.name}"` : ''} (trigger ${t.index})`;
}

/** cpu and memory triggers are plain Resource metrics of KEDA's HPA (their scalers report no value of their own). */
function resourceTriggerPanel(w: AutoscaledWorkload, t: TriggerView): PanelSpec | undefined {
  if ((t.type !== 'cpu' && t.type !== 'memory') || t.target === undefined) return undefined;
  const m: HpaMetricView = {
    index: t.index,
    type: 'Resource',
    metricName: t.type,
    targetType: t.metricType === 'AverageValue' ? 'average' : 'utilization',
    target: t.target,
    queue: false,
  };
  return hpaMetricPanel(w, m, `${triggerTitle(t)} (${m.targetType} target ${m.targetType === 'utilization' ? `${t.target}%` : t.target})`);
}

function triggerPanel(w: AutoscaledWorkload, t: TriggerView): PanelSpec {
  const resource = resourceTriggerPanel(w, t);
  if (resource) return resource;
  // metricType Value compares the total with the threshold; AverageValue (the default) the value per replica
  const total = t.metricType === 'Value';
  const threshold = t.target === undefined ? 'no threshold' : `threshold ${t.target}`;
  return {
    type: 'timeseries',
    title: `${triggerTitle(t)}: ${total ? 'value' : 'per replica'} vs ${threshold}`,
    description: total
      ? 'The value the scaler reports (keda_scaler_metrics_value), compared as a whole with the threshold (metricType Value).'
      : 'The value the scaler reports (keda_scaler_metrics_value) divided by the current replicas (at least 1): ' +
        "KEDA's HPA compares this per-replica value with the threshold (metricType AverageValue).",
    defaults: defaults('short', [[t.target, 'red']], { min: 0 }),
    targets: targets(total ? [q.triggerValue(w, t), 'value'] : [q.triggerValuePerReplica(w, t), 'per replica']),
  };
}

function coldStartPanel(w: AutoscaledWorkload): PanelSpec {
  const load = w.modelLoadSeconds === undefined ? '' : `; the dashed lines are the declared model load time (${w.modelLoadSeconds} s)`;
  const budget = w.startupBudgetSeconds === undefined ? '' : ` and the startup probe budget (${w.startupBudgetSeconds} s)`;
  return {
    type: 'timeseries',
    title: 'Cold start per pod',
    description: `Seconds from each Ready pod's creation to its last transition to Ready${load}${load ? budget : ''}.`,
    defaults: defaults('s', [[w.modelLoadSeconds, 'orange'], [w.modelLoadSeconds === undefined ? undefined : w.startupBudgetSeconds, 'red']], { min: 0 }),
    targets: targets([q.podColdStartSeconds(w), '{{pod}}']),
  };
}

function gpuPanel(w: AutoscaledWorkload): PanelSpec | undefined {
  const requested = q.gpusRequested(w);
  if (requested === undefined || w.gpusPerPod <= 0) return undefined;
  return {
    type: 'timeseries',
    title: `GPUs in use (${w.gpuResources.join(', ')})`,
    description: `GPUs the workload's pods request now, against what maxReplicas would take (${w.maxReplicas} x ${w.gpusPerPod} per pod).`,
    defaults: defaults('short', [], { min: 0, decimals: 0 }),
    targets: targets([requested, 'requested'], [`${q.replicas(w, 'max')} * ${w.gpusPerPod}`, 'at maxReplicas']),
  };
}

/** Replicas, one panel per HPA metric or KEDA trigger, cold start, and GPUs (for workloads with GPUs). */
export function workloadPanels(w: AutoscaledWorkload): PanelSpec[] {
  const gpus = gpuPanel(w);
  return [
    replicasPanel(w),
    ...w.hpaMetrics.map(m => hpaMetricPanel(w, m)),
    ...w.triggers.map(t => triggerPanel(w, t)),
    coldStartPanel(w),
    ...(gpus ? [gpus] : []),
  ];
}
