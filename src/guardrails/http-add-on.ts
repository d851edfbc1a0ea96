/**
 * Internal: what the manifests say about the KEDA HTTP add-on (v0.15.0) in front of a workload: which
 * `HTTPScaledObject` or `InterceptorRoute` routes to it, how long the interceptor holds a request while
 * no pod is ready, and which routes (Ingress, Gateway HTTPRoute) send clients past the interceptor.
 * Facts only, no findings.
 *
 * Hold timeouts, as the interceptor applies them (interceptor/middleware/endpoint_resolver.go and
 * pkg/routing/table.go @ v0.15.0):
 * - InterceptorRoute `spec.timeouts.readiness`, when set (even `"0s"`), replaces the interceptor's
 *   global `KEDA_HTTP_READINESS_TIMEOUT`; 0 means no dedicated deadline (the request timeout,
 *   `spec.timeouts.request`, or the client bounds the wait); with `spec.coldStart.fallback` a 0 becomes 30 s.
 * - HTTPScaledObject `spec.timeouts.conditionWait` applies only above 0; `spec.coldStartTimeoutFailoverRef`
 *   replaces it with its `timeoutSeconds` (default 30).
 * - Otherwise the interceptor's global settings decide (0, no deadline, since v0.14.0; 20 s in the
 *   manifests of v0.8-v0.13), which the manifests do not show.
 */
import { Autoscaler, HTTP_SCALED_OBJECT, ManifestIndex, nameOf, nsOf } from './manifest';
import { parseGoDuration } from '../kubernetes/go-duration';

/** Kind of the add-on's v1beta1 route. */
export const INTERCEPTOR_ROUTE = 'InterceptorRoute';

/** The interceptor's proxy Service (the add-on's Helm chart and manifests, namespace `keda`). */
export const INTERCEPTOR_PROXY = 'keda-add-ons-http-interceptor-proxy';

/** The readiness wait the interceptor applies with a fallback and no other value (`defaultFallbackReadinessTimeout`). */
const FALLBACK_READINESS_SECONDS = 30;

/** An add-on object that holds a workload's requests while no pod is ready. */
export interface RequestHolder {
  /** The HTTPScaledObject or InterceptorRoute. */
  readonly obj: any;
  /** Seconds a request is held for a ready pod, when the object says; undefined: the interceptor's global settings decide. */
  readonly holdSeconds?: number;
  /** The field the hold comes from, e.g. `spec.timeouts.readiness`. */
  readonly location: string;
  /** How the hold was worked out, for messages. */
  readonly how: string;
  /** The Service the add-on forwards to (InterceptorRoute `spec.target.service`, HTTPScaledObject `spec.scaleTargetRef.service`). */
  readonly service?: string;
}

function isAddOn(o: any, kind: string): boolean {
  return o?.kind === kind && String(o.apiVersion ?? '').startsWith('http.keda.sh/');
}

/** The hold of an InterceptorRoute. */
function interceptorRouteHold(o: any): Omit<RequestHolder, 'obj' | 'service'> {
  const timeouts = o.spec?.timeouts ?? {};
  const fallback = o.spec?.coldStart?.fallback !== undefined && o.spec?.coldStart?.fallback !== null;
  const readiness = parseGoDuration(timeouts.readiness);
  const request = parseGoDuration(timeouts.request);
  if (readiness === undefined) {
    return timeouts.readiness === undefined && fallback
      ? { holdSeconds: FALLBACK_READINESS_SECONDS, location: 'spec.coldStart.fallback', how: 'the 30 s the interceptor waits before its fallback' }
      : { location: 'spec.timeouts.readiness', how: 'the interceptor\'s global KEDA_HTTP_READINESS_TIMEOUT' };
  }
  if (readiness > 0) {
    const bounded = request !== undefined && request > 0 && request < readiness;
    return bounded
      ? { holdSeconds: request, location: 'spec.timeouts.request', how: `timeouts.request ${timeouts.request} (below timeouts.readiness ${timeouts.readiness})` }
      : { holdSeconds: readiness, location: 'spec.timeouts.readiness', how: `timeouts.readiness ${timeouts.readiness}` };
  }
  if (fallback) {
    return { holdSeconds: FALLBACK_READINESS_SECONDS, location: 'spec.timeouts.readiness', how: 'timeouts.readiness 0 with a fallback: 30 s' };
  }
  return request !== undefined && request > 0
    ? { holdSeconds: request, location: 'spec.timeouts.request', how: `timeouts.request ${timeouts.request} (timeouts.readiness 0)` }
    : { location: 'spec.timeouts.readiness', how: 'timeouts.readiness 0: no deadline of its own' };
}

/** The hold of an HTTPScaledObject. */
function httpScaledObjectHold(o: any): Omit<RequestHolder, 'obj' | 'service'> {
  const failover = o.spec?.coldStartTimeoutFailoverRef;
  if (failover && typeof failover === 'object') {
    const t = failover.timeoutSeconds;
    const s = typeof t === 'number' && Number.isFinite(t) && t >= 0 ? t : 30;
    return { holdSeconds: s, location: 'spec.coldStartTimeoutFailoverRef.timeoutSeconds', how: `coldStartTimeoutFailoverRef.timeoutSeconds ${s}${t === undefined ? ' (default)' : ''}` };
  }
  const wait = parseGoDuration(o.spec?.timeouts?.conditionWait);
  if (wait !== undefined && wait > 0) {
    return { holdSeconds: wait, location: 'spec.timeouts.conditionWait', how: `timeouts.conditionWait ${o.spec.timeouts.conditionWait}` };
  }
  return { location: 'spec.timeouts.conditionWait', how: 'the interceptor\'s global readiness timeout' };
}

/** The add-on objects that hold this workload's requests: HTTPScaledObjects scaling it, InterceptorRoutes to a Service selecting its pods. */
export function requestHoldersOf(index: ManifestIndex, workload: any): RequestHolder[] {
  return index.memo('requestHolders', workload, () => {
    const ns = nsOf(workload);
    const out: RequestHolder[] = [];
    for (const o of index.byKind(HTTP_SCALED_OBJECT)) {
      if (!isAddOn(o, HTTP_SCALED_OBJECT) || nsOf(o) !== ns) continue;
      const ref = o.spec?.scaleTargetRef ?? {};
      if ((ref.name ?? ref.deployment) !== nameOf(workload)) continue;
      out.push({ obj: o, service: typeof ref.service === 'string' ? ref.service : undefined, ...httpScaledObjectHold(o) });
    }
    const routes = index.byKind(INTERCEPTOR_ROUTE);
    if (routes.length > 0) {
      const services = new Set(index.servicesSelecting(workload).map(nameOf));
      for (const o of routes) {
        const service = o?.spec?.target?.service;
        if (!isAddOn(o, INTERCEPTOR_ROUTE) || nsOf(o) !== ns || typeof service !== 'string' || !services.has(service)) continue;
        out.push({ obj: o, service, ...interceptorRouteHold(o) });
      }
    }
    return out;
  });
}

/** Whether an autoscaler reads the add-on's scaler (an `external-push`/`external` trigger at its scaler's address). */
export function readsAddOnScaler(a: Autoscaler): boolean {
  if (a.kind === HTTP_SCALED_OBJECT) return true;
  const triggers = a.obj?.spec?.triggers;
  return Array.isArray(triggers) && triggers.some((t: any) => /keda-add-ons-http|http-add-on/.test(String(t?.metadata?.scalerAddress ?? '')));
}

/** A route that sends clients to a Service: where, and the Service's name. */
export interface ClientRoute {
  readonly obj: any;
  readonly location: string;
  readonly service: string;
}

/** The Services Ingresses and Gateway HTTPRoutes of a namespace send clients to. */
export function clientRoutesIn(index: ManifestIndex, ns: string): ClientRoute[] {
  return index.memo('clientRoutes', ns, () => {
    const out: ClientRoute[] = [];
    for (const ing of index.byKind('Ingress')) {
      if (nsOf(ing) !== ns) continue;
      const def = ing.spec?.defaultBackend?.service?.name;
      if (typeof def === 'string') out.push({ obj: ing, location: 'spec.defaultBackend.service.name', service: def });
      (Array.isArray(ing.spec?.rules) ? ing.spec.rules : []).forEach((r: any, i: number) => {
        (Array.isArray(r?.http?.paths) ? r.http.paths : []).forEach((p: any, j: number) => {
          const name = p?.backend?.service?.name;
          if (typeof name === 'string') out.push({ obj: ing, location: `spec.rules[${i}].http.paths[${j}].backend.service.name`, service: name });
        });
      });
    }
    for (const route of index.byKind('HTTPRoute')) {
      if (nsOf(route) !== ns || !String(route.apiVersion ?? '').startsWith('gateway.networking.k8s.io/')) continue;
      (Array.isArray(route.spec?.rules) ? route.spec.rules : []).forEach((r: any, i: number) => {
        (Array.isArray(r?.backendRefs) ? r.backendRefs : []).forEach((b: any, j: number) => {
          const kind = b?.kind ?? 'Service';
          const sameNs = b?.namespace === undefined || b.namespace === ns;
          if (kind === 'Service' && sameNs && typeof b?.name === 'string') {
            out.push({ obj: route, location: `spec.rules[${i}].backendRefs[${j}].name`, service: b.name });
          }
        });
      });
    }
    return out;
  });
}
