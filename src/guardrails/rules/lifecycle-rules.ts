/**
 * Rules about a pod's life around scaling: model loading vs probes, scale to zero in front of
 * synchronous traffic, and shutdown of queue consumers.
 */
import { REQUEST_BUFFERING } from '../../annotations';
import { GuardrailSeverity } from '../finding';
import { readsAddOnScaler, requestHoldersOf } from '../http-add-on';
import {
  Autoscaler, HPA, SCALED_OBJECT, containersOf, describe, kubectlResource, maxProcessingSeconds, modelLoadSeconds, nameOf,
  nsFlag, podSpecPath, podTemplateOf, requestBuffering, seconds,
} from '../manifest';
import { RawFinding, Rule, RuleContext } from '../rule';

/** Seconds until the kubelet gives up on a probe that keeps failing from container start. */
function probeBudget(probe: any): number {
  return seconds(probe?.initialDelaySeconds, 0) + seconds(probe?.failureThreshold, 3) * seconds(probe?.periodSeconds, 10);
}

function podEvents(obj: any): string {
  return `kubectl get events${nsFlag(obj)} --field-selector reason=Unhealthy | grep ${nameOf(obj)}`;
}

export const startupBudgetShort: Rule = {
  id: 'ML-W-STARTUP-BUDGET-SHORT',
  severity: GuardrailSeverity.WARNING,
  title: 'The startup probe gives up before the declared model load time, or nothing keeps a loading pod out of traffic',
  rationale: 'A startup probe that fails for less time than the model takes to load restarts the pod forever ' +
    '(CrashLoopBackOff); a pod with neither startup nor readiness probe receives requests before its model is loaded.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (let ix = 0; ix < ctx.index.podObjects.length; ix++) {
      const obj = ctx.index.podObjects[ix];
      const load = podTemplateOf(obj) ? modelLoadSeconds(obj) : undefined;
      if (load === undefined) continue;
      const containers = containersOf(podTemplateOf(obj)?.spec);
      containers.forEach((c, i) => {
        if (!c.startupProbe) return;
        const budget = probeBudget(c.startupProbe);
        if (budget >= load) return;
        out.push({
          obj,
          location: `${podSpecPath(obj)}.containers[${i}].startupProbe`,
          problem: `container ${c.name}'s startup probe gives up after ${budget}s but the model takes ${load}s to load: ` +
            'the pod is restarted before it is ever ready',
          fix: `raise startupProbe.failureThreshold x periodSeconds (+ initialDelaySeconds) to at least ${load}s, ` +
            `e.g. periodSeconds: 10, failureThreshold: ${Math.ceil(load / 10) + 1}`,
          confirm: podEvents(obj),
        });
      });
      // run-to-completion pods are never "ready" for anyone: only long-running workloads need the gate
      const longRunning = !['Job', 'CronJob', 'ScaledJob', 'Pod'].includes(obj.kind);
      if (longRunning && containers.length > 0 && !containers.some(c => c.startupProbe || c.readinessProbe)) {
        const services = ctx.index.servicesSelecting(obj);
        out.push({
          obj,
          location: `${podSpecPath(obj)}.containers`,
          problem: `declares a ${load}s model load but has no startup or readiness probe: ` + (services.length > 0
            ? `Service ${nameOf(services[0])} sends requests to pods before their model is loaded`
            : 'rollouts count new pods as available (and remove old ones) before their model is loaded'),
          fix: 'add a readinessProbe (and a startupProbe sized to the model load time) that succeeds only once the model is loaded',
          confirm: `kubectl get pods${nsFlag(obj)} -o wide`,
        });
      }
    }
    return out;
  },
};

export const livenessKillsLoadingPod: Rule = {
  id: 'ML-W-LIVENESS-KILLS-LOADING-POD',
  severity: GuardrailSeverity.WARNING,
  title: 'A liveness probe can kill a pod that is still loading its model',
  rationale: 'Without a startup probe the liveness probe runs from container start; if it fails for less time ' +
    'than the model load, the kubelet kills every new pod mid-load, so scale-ups never add capacity.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (let ix = 0; ix < ctx.index.podObjects.length; ix++) {
      const obj = ctx.index.podObjects[ix];
      const load = podTemplateOf(obj) ? modelLoadSeconds(obj) : undefined;
      if (load === undefined) continue;
      containersOf(podTemplateOf(obj)?.spec).forEach((c, i) => {
        if (!c.livenessProbe || c.startupProbe) return;
        const budget = probeBudget(c.livenessProbe);
        if (budget >= load) return;
        out.push({
          obj,
          location: `${podSpecPath(obj)}.containers[${i}].livenessProbe`,
          problem: `container ${c.name}'s liveness probe kills the pod after ${budget}s of failures but the model takes ${load}s to load`,
          fix: `add a startupProbe with a budget of at least ${load}s (liveness only starts after it succeeds), ` +
            `or raise livenessProbe.initialDelaySeconds to ${load}`,
          confirm: podEvents(obj),
        });
      });
    }
    return out;
  },
};

export const graceShorterThanProcessing: Rule = {
  id: 'ML-W-GRACE-SHORTER-THAN-PROCESSING',
  severity: GuardrailSeverity.WARNING,
  title: 'A queue consumer\'s termination grace period is shorter than its declared processing time',
  rationale: 'On scale-in the pod gets SIGTERM and is killed after terminationGracePeriodSeconds (default 30 s): ' +
    'a work item that takes longer is lost half-done and redelivered, paying the GPU time twice.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (let ix = 0; ix < ctx.index.podObjects.length; ix++) {
      const obj = ctx.index.podObjects[ix];
      const podSpec = podTemplateOf(obj)?.spec;
      const processing = podSpec ? maxProcessingSeconds(obj) : undefined;
      if (processing === undefined) continue;
      const grace = seconds(podSpec?.terminationGracePeriodSeconds, 30);
      if (grace >= processing) continue;
      out.push({
        obj,
        location: `${podSpecPath(obj)}.terminationGracePeriodSeconds`,
        problem: `terminationGracePeriodSeconds is ${grace}${podSpec?.terminationGracePeriodSeconds === undefined ? ' (default)' : ''} ` +
          `but one work item may take ${processing}s: scale-in kills items mid-processing`,
        fix: `set terminationGracePeriodSeconds to at least ${processing} and stop taking new work on SIGTERM`,
        confirm: `kubectl get ${kubectlResource(obj.kind)} ${nameOf(obj)}${nsFlag(obj)} -o jsonpath='{.${podSpecPath(obj)}.terminationGracePeriodSeconds}'`,
      });
    }
    return out;
  },
};

/** The KEDA HTTP add-on buffers requests while a workload scales from zero: its scaler feeds the autoscaler, or it routes to the workload. */
function httpAddOnFronts(ctx: RuleContext, workload: any, a: Autoscaler): boolean {
  return readsAddOnScaler(a) || requestHoldersOf(ctx.index, workload).length > 0;
}

export const scaleToZeroWithoutBuffer: Rule = {
  id: 'ML-W-SCALE-TO-ZERO-WITHOUT-BUFFER',
  severity: GuardrailSeverity.WARNING,
  title: 'A synchronous HTTP service (selected by a Service) scales to zero with no request buffering',
  rationale: 'At zero replicas the Service has no endpoints: requests fail (connection refused / 503) for the ' +
    'whole cold start, minutes for a large model. Scale to zero suits queue consumers, or HTTP behind a buffer.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    if (ctx.index.byKind('Service').length === 0) return out; // no Service sends synchronous requests
    for (let ix = 0; ix < ctx.index.autoscalers.length; ix++) {
      const a = ctx.index.autoscalers[ix];
      if (a.min !== 0 || (a.kind !== SCALED_OBJECT && a.kind !== HPA)) continue;
      const w = ctx.index.targetOf(a);
      if (!w) continue;
      const services = ctx.index.servicesSelecting(w);
      if (services.length === 0 || requestBuffering(w) || httpAddOnFronts(ctx, w, a)) continue;
      out.push({
        obj: a.obj,
        location: a.kind === HPA ? 'spec.minReplicas' : 'spec.minReplicaCount',
        problem: `scales ${describe(w)} to zero but Service ${services.map(nameOf).join(', ')} sends it synchronous ` +
          'requests and nothing buffers them: requests fail during every cold start',
        fix: `keep at least 1 replica (${a.kind === HPA ? 'minReplicas' : 'minReplicaCount'}: 1), or hold requests while it starts: ` +
          'the KEDA HTTP add-on (an InterceptorRoute to this Service with timeouts.readiness above the model load time, ' +
          'and its external-push trigger in the ScaledObject; with this library, HybridMlService requestBuffering), or a ' +
          'queue in front; with a buffer of your own, annotate the pod ' +
          `template with ${REQUEST_BUFFERING}: "true"`,
        confirm: `kubectl get endpoints ${nameOf(services[0])}${nsFlag(services[0])}`,
      });
    }
    return out;
  },
};
