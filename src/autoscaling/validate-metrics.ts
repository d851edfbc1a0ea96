import { IConstruct } from 'constructs';
import { Metric, MetricSourceType } from './metric';
import { MetricTargetType } from './metric-target';
import { propError } from '../errors';
import { checkValue, integer } from '../validate/check';

/** What the metrics are checked against: the container and the resources it requests. */
export interface MetricContext {
  readonly containerName: string;
  readonly requested: Set<string>;
}

/**
 * Checks metrics as the API server and the HPA controller would, plus "a utilization target needs a
 * request" (the controller reports the metric as unknown otherwise).
 * @param allowEmpty true while more metrics may still be added
 */
export function validateMetrics(scope: IConstruct, prop: string, metrics: Metric[], ctx: MetricContext, allowEmpty = false): void {
  if (!allowEmpty && metrics.length === 0) {
    throw propError(scope, prop, [], 'no metrics to scale on',
      'pass metrics, e.g. [Metric.cpuUtilization(70)], or signals, e.g. [ScalingSignal.queueSize(5)] with a modelServer, or call addMetric(...)');
  }
  metrics.forEach((m, i) => {
    const at = `${prop}[${i}]`;
    if (!(m.name.length > 0)) throw propError(scope, `${at}.name`, m.name, 'must not be empty', 'name the metric');
    if (!(m._allowedTargets().includes(m.target.type))) {
      throw propError(scope, `${at}.target`, m.target.type,
        `is not allowed for ${m.sourceType} metrics`, `use one of ${m._allowedTargets().join(', ')}`);
    }
    if (m.target.type === MetricTargetType.UTILIZATION) {
      checkValue(scope, `${at}.target.averageUtilization`, m.target.amount,
        integer({ min: 1, fix: 'use a whole percentage greater than 0, e.g. MetricTarget.averageUtilization(70)' }));
    } else {
      if (!(Number.isFinite(m.target.amount) && m.target.amount > 0)) {
        throw propError(scope, `${at}.target`, m.target.amount,
          'must be greater than 0', 'use a positive target value');
      }
    }
    if (m.sourceType === MetricSourceType.RESOURCE || m.sourceType === MetricSourceType.CONTAINER_RESOURCE) {
      if (!(m.name === 'cpu' || m.name === 'memory')) {
        throw propError(scope, `${at}.resourceName`, m.name,
          'resource metrics exist only for cpu and memory', 'use "cpu" or "memory"; scale on GPU with a Pods or External metric');
      }
      if (m.sourceType === MetricSourceType.CONTAINER_RESOURCE) {
        if (!(m.containerName === ctx.containerName)) {
          throw propError(scope, `${at}.containerName`, m.containerName,
            `names no container of this workload (its container is "${ctx.containerName}")`, `use "${ctx.containerName}"`);
        }
      }
      if (m.target.type === MetricTargetType.UTILIZATION) {
        if (!(ctx.requested.has(m.name))) {
          throw propError(scope, `${at}`, `${m.name} ${m.target.amount}%`,
            `a ${m.name} utilization target needs a ${m.name} request on the container, otherwise the HPA reports the metric as unknown`, `set ${m.name === 'cpu' ? 'cpuRequest' : 'memoryRequest'}, or use an AverageValue target`);
        }
      }
    }
  });
}
