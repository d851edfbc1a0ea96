import { IConstruct } from 'constructs';
import { ModelServer } from './model-server';
import { GpuMetricLabels, ScalingSignal } from './scaling-signal';
import { apiNameOf, DCGM_EXPORTER, knownMetric, SignalKind } from './server-catalog';
import { MAX_SIGNAL_DEPLOYMENT_NAME, signalQuery, SignalSeries } from './signal-query';
import { Metric } from '../autoscaling/metric';
import { MetricTarget } from '../autoscaling/metric-target';
import { propError } from '../errors';
import { Trigger } from '../keda/trigger';

const SIGNAL_FACTORY: Record<SignalKind, string> = {
  [SignalKind.QUEUE_SIZE]: 'queueSize',
  [SignalKind.BATCH_SIZE]: 'batchSize',
  [SignalKind.KV_CACHE_USAGE]: 'kvCacheUsage',
  [SignalKind.GPU_UTILIZATION]: 'gpuUtilization',
  [SignalKind.GPU_MEMORY_USED]: 'gpuMemoryUsed',
};

/** The series a signal reads for this server (GPU signals read the DCGM exporter). */
function seriesOf(scope: IConstruct, prop: string, signal: ScalingSignal, server: ModelServer | undefined): SignalSeries {
  if (signal.kind === SignalKind.GPU_UTILIZATION) {
    const dcgm = DCGM_EXPORTER.metrics.find(m => m.signal === SignalKind.GPU_UTILIZATION)!;
    const labels = signal.gpuLabels === GpuMetricLabels.HONORED ? DCGM_EXPORTER.honoredLabels : DCGM_EXPORTER.exportedLabels;
    return { series: dcgm.series, podAggregation: 'avg', podLabel: labels.pod, namespaceLabel: labels.namespace };
  }
  const factory = `ScalingSignal.${SIGNAL_FACTORY[signal.kind]}`;
  if (!server) {
    throw propError(scope, prop, factory, 'reads the model server\'s metrics, and the construct has no modelServer',
      'set modelServer (e.g. ModelServer.vllm(), or ModelServer.custom({...}) naming your server\'s metrics)');
  }
  const series = server.metricFor(signal.kind);
  if (!series) {
    const offered = Object.values(SignalKind).filter(k => server.metricFor(k) !== undefined).map(k => `ScalingSignal.${SIGNAL_FACTORY[k]}`);
    throw propError(scope, prop, factory, `${server.toString()} exports no ${signal.kind} metric`,
      server.version
        ? `scale on ${offered.join(' or ')} instead`
        : `name the metric in ModelServer.custom({ ${signal.kind}Metric: '...' }), or scale on ${offered.join(' or ') || 'another signal'}`);
  }
  // a custom server's series: summed per pod unless the catalog knows better
  const known = knownMetric(series);
  return {
    series,
    selector: server._selectorFor(signal.kind),
    podAggregation: known?.podAggregation ?? (signal.kind === SignalKind.KV_CACHE_USAGE ? 'avg' : 'sum'),
    podLabel: 'pod',
    namespaceLabel: 'namespace',
  };
}

/**
 * The HPA form of a signal: a Pods metric with an AverageValue target, named as the adapter serves it
 * (`vllm:num_requests_waiting` -> `vllm_num_requests_waiting`; `PrometheusAdapterRules` maps it back).
 */
export function signalToMetric(scope: IConstruct, prop: string, signal: ScalingSignal, server: ModelServer | undefined): Metric {
  const s = seriesOf(scope, prop, signal, server);
  return Metric.pods({
    name: apiNameOf(s.series),
    target: MetricTarget.averageValue(signal.target),
    selector: s.selector ? { matchLabels: s.selector } : undefined,
  });
}

/** Where the workload's pods are, for the KEDA query. */
export interface SignalWorkload {
  /** The Deployment's name: its pods are `<name>-<pod-template-hash>-<suffix>`. */
  readonly deploymentName: string;
  readonly namespace: string;
  /** Prometheus' URL. */
  readonly serverAddress: string;
}

/**
 * The KEDA form of a signal: a `prometheus` trigger whose query sums the series over exactly the
 * Deployment's pods (`pod=~"<name>-<hash>-<suffix>"` in its namespace), with the signal's target per
 * replica (AverageValue, KEDA's default), so KEDA asks for the same replica count as the HPA would.
 */
export function signalToTrigger(scope: IConstruct, prop: string, signal: ScalingSignal, server: ModelServer | undefined,
  workload: SignalWorkload): Trigger {
  const s = seriesOf(scope, prop, signal, server);
  if (workload.deploymentName.length > MAX_SIGNAL_DEPLOYMENT_NAME) {
    throw propError(scope, 'name', workload.deploymentName,
      `is longer than ${MAX_SIGNAL_DEPLOYMENT_NAME} characters: pod names are cut to 58 characters before their random suffix, so the ` +
      'query of a KEDA scaling signal could not tell this Deployment\'s pods by name', `use a name of at most ${MAX_SIGNAL_DEPLOYMENT_NAME} characters`);
  }
  return Trigger.prometheus({
    name: signal.triggerName ?? signal.kind.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`),
    serverAddress: workload.serverAddress,
    query: signalQuery(s, workload.namespace, workload.deploymentName),
    threshold: signal.target,
    activationThreshold: signal.activationThreshold,
  });
}
