/**
 * Rules about holding requests with the KEDA HTTP add-on while a workload scales from zero: a hold
 * shorter than the pods take to start, and client routes that go past the interceptor.
 */
import { INTERCEPTOR_PROXY_PORT, INTERCEPTOR_PROXY_SERVICE } from '../../http-add-on/add-on-services';
import { GuardrailSeverity } from '../finding';
import { clientRoutesIn, RequestHolder, requestHoldersOf } from '../http-add-on';
import { containersOf, describe, kubectlResource, modelLoadSeconds, nameOf, nsFlag, nsOf, podTemplateOf, seconds } from '../manifest';
import { RawFinding, Rule, RuleContext } from '../rule';

/** How long a new pod of the workload takes to start, as declared: the model load time, else its startup probes' budget. */
function startupBudget(workload: any): { seconds: number; source: string } | undefined {
  const load = modelLoadSeconds(workload);
  if (load !== undefined) return { seconds: load, source: `its declared model load time (ml-autoscaling.io/model-load-seconds: ${load})` };
  let budget: number | undefined;
  let container = '';
  for (const c of containersOf(podTemplateOf(workload)?.spec)) {
    const p = c?.startupProbe;
    if (!p || typeof p !== 'object') continue;
    const b = seconds(p.initialDelaySeconds, 0) + seconds(p.failureThreshold, 3) * seconds(p.periodSeconds, 10);
    if (budget === undefined || b > budget) {
      budget = b;
      container = String(c.name ?? '');
    }
  }
  return budget === undefined ? undefined
    : { seconds: budget, source: `the startup probe of container ${container} (initialDelaySeconds + failureThreshold x periodSeconds = ${budget}s)` };
}

function holderName(h: RequestHolder): string {
  return `${h.obj.kind} ${nameOf(h.obj)}`;
}

export const holdTimeoutShort: Rule = {
  id: 'ML-E-HOLD-TIMEOUT-SHORT',
  severity: GuardrailSeverity.ERROR,
  title: 'The KEDA HTTP add-on holds requests for less time than the workload takes to start',
  rationale: 'While a workload scales from zero, the add-on\'s interceptor holds each request until a pod is ready, ' +
    'but only up to its readiness timeout; then the client gets a 504 (502 before v0.14). A GPU model server takes its ' +
    'model load time (30-120 s and more) to become ready, so a shorter hold fails the first requests of every cold start: ' +
    'the buffering the add-on is there for does not happen.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    if (ctx.index.byKind('HTTPScaledObject').length === 0 && ctx.index.byKind('InterceptorRoute').length === 0) return out;
    for (const w of ctx.index.podObjects) {
      const holders = requestHoldersOf(ctx.index, w);
      if (holders.length === 0) continue;
      const budget = startupBudget(w);
      if (!budget) continue;
      for (const h of holders) {
        if (h.holdSeconds === undefined || h.holdSeconds >= budget.seconds) continue;
        out.push({
          obj: h.obj,
          location: h.location,
          problem: `holds requests for ${describe(w)} for ${h.holdSeconds}s (${h.how}) while a pod takes ${budget.seconds}s to start, ` +
            `from ${budget.source}: during a cold start from zero the interceptor answers 504 to every request it held for ${h.holdSeconds}s`,
          fix: h.obj.kind === 'InterceptorRoute'
            ? `set spec.timeouts.readiness to at least ${budget.seconds}s plus scheduling headroom (image pull, node start), e.g. ` +
              `"${Math.ceil(budget.seconds * 1.25 + 30)}s", and keep spec.timeouts.request (if set) and any Ingress or load balancer timeout in front above it`
            : `set spec.timeouts.conditionWait (or coldStartTimeoutFailoverRef.timeoutSeconds with a failover) to at least ${budget.seconds}s plus ` +
              `scheduling headroom, e.g. "${Math.ceil(budget.seconds * 1.25 + 30)}s"; or move to an InterceptorRoute (HTTPScaledObject is deprecated since v0.14)`,
          confirm: `kubectl get ${kubectlResource(h.obj.kind)} ${nameOf(h.obj)}${nsFlag(h.obj)} -o yaml`,
        });
      }
    }
    return out;
  },
};

export const routeBypassesInterceptor: Rule = {
  id: 'ML-W-ROUTE-BYPASSES-INTERCEPTOR',
  severity: GuardrailSeverity.WARNING,
  title: 'An Ingress or HTTPRoute sends clients straight to a workload the KEDA HTTP add-on fronts',
  rationale: 'The add-on holds requests and counts them only when they pass through its interceptor. A route to the ' +
    'workload\'s own Service goes past it: at zero replicas those requests fail at once (the Service has no endpoints), ' +
    'and at any scale the add-on\'s concurrency or request-rate signal never sees them, so the workload scales on part of its load.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    if (ctx.index.byKind('Ingress').length === 0 && ctx.index.byKind('HTTPRoute').length === 0) return out;
    for (const w of ctx.index.podObjects) {
      const holders = requestHoldersOf(ctx.index, w);
      if (holders.length === 0) continue;
      const direct = new Set(ctx.index.servicesSelecting(w).map(nameOf));
      for (const route of clientRoutesIn(ctx.index, nsOf(w))) {
        if (!direct.has(route.service)) continue;
        out.push({
          obj: route.obj,
          location: route.location,
          problem: `sends clients to Service ${route.service}, which reaches the pods of ${describe(w)} directly, past the ` +
            `interceptor of ${holders.map(holderName).join(', ')}: these requests are not held during a cold start from zero ` +
            '(they fail while no pod is ready) and are not counted in the add-on\'s scaling signal',
          fix: `route them through the interceptor: point the backend at an ExternalName Service (e.g. ${route.service}-proxy) ` +
            `whose externalName is ${INTERCEPTOR_PROXY_SERVICE}.keda.svc.cluster.local, port ${INTERCEPTOR_PROXY_PORT}, or at ${INTERCEPTOR_PROXY_SERVICE} in namespace ` +
            'keda (an HTTPRoute needs a ReferenceGrant there), with a Host the route\'s rules match',
          confirm: `kubectl get ${kubectlResource(route.obj.kind)} ${nameOf(route.obj)}${nsFlag(route.obj)} -o yaml`,
        });
      }
    }
    return out;
  },
};
