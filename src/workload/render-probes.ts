import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { intOrString } from './kube-object';
import { ModelProbes } from './probes';
import { durationSeconds } from '../errors';

export interface RenderedProbes {
  startupProbe?: k8s.Probe;
  readinessProbe: k8s.Probe;
  livenessProbe: k8s.Probe;
}

/** Headroom on top of the declared model load time: 25%, at least 30 s. */
export function loadBudgetSeconds(modelLoadSeconds: number): number {
  return modelLoadSeconds + Math.max(30, Math.ceil(modelLoadSeconds * 0.25));
}

/**
 * Probes that follow from the model load time (see `ModelProbes`), from props already checked
 * against `MODEL_PROBES`.
 */
export function renderProbes(scope: IConstruct, modelLoadSeconds: number, httpPort: number,
  probes: ModelProbes = {}): RenderedProbes {
  const port = probes.port ?? httpPort;
  const failureThreshold = probes.failureThreshold ?? 3;
  const readinessPath = probes.readinessPath ?? '/ready';
  const livenessPath = probes.livenessPath ?? '/health';
  const seconds = (prop: string, d: any, def: number, min: number) =>
    durationSeconds(scope, `probes.${prop}`, d, min) ?? def;
  const startupPeriod = seconds('startupPeriod', probes.startupPeriod, 10, 1);
  const readinessPeriod = seconds('readinessPeriod', probes.readinessPeriod, 10, 1);
  const livenessPeriod = seconds('livenessPeriod', probes.livenessPeriod, 30, 1);
  const useStartup = probes.startupProbe ?? true;
  const budget = loadBudgetSeconds(modelLoadSeconds);

  const http = (path: string) => ({ path, port: intOrString(port) });
  const readinessDelay = durationSeconds(scope, 'probes.readinessInitialDelay', probes.readinessInitialDelay)
    ?? (useStartup ? undefined : modelLoadSeconds);
  const livenessDelay = durationSeconds(scope, 'probes.livenessInitialDelay', probes.livenessInitialDelay)
    ?? (useStartup ? undefined : budget);

  const readinessProbe: k8s.Probe = {
    httpGet: http(readinessPath), periodSeconds: readinessPeriod, failureThreshold, initialDelaySeconds: readinessDelay,
  };
  const livenessProbe: k8s.Probe = {
    httpGet: http(livenessPath), periodSeconds: livenessPeriod, failureThreshold, initialDelaySeconds: livenessDelay,
  };
  // Without a startup probe, liveness alone guards the load; the guardrail
  // ML-W-LIVENESS-KILLS-LOADING-POD reports at synth when it can kill a pod still loading.
  if (!useStartup) return { readinessProbe, livenessProbe };
  const startupProbe: k8s.Probe = {
    httpGet: http(livenessPath), periodSeconds: startupPeriod, failureThreshold: Math.ceil(budget / startupPeriod),
  };
  return { startupProbe, readinessProbe, livenessProbe };
}
