/**
 * Internal: what the manifests say about the KEDA HTTP add-on (v0.15.0) in front of a workload: which
 * `HTTPScaledObject` or `InterceptorRoute` routes to it, how long the interceptor holds a request while
 * no pod is ready, and which routes (Ingress, Gateway HTTPRoute) send clients past the interceptor.
 * Facts only, no findings.
 *
 * How long each holds a request is read by `http-add-on/add-on-hold.ts`, shared with the simulator.
 */
import { Autoscaler, HTTP_SCALED_OBJECT, ManifestIndex, nameOf, nsOf } from './manifest';
import { AddOnHold, httpScaledObjectHold, interceptorRouteHold } from '../http-add-on/add-on-hold';
import { isAddOnScalerTrigger } from '../http-add-on/add-on-services';

/** Kind of the add-on's v1beta1 route. */
export const INTERCEPTOR_ROUTE = 'InterceptorRoute';


/** An add-on object that holds a workload's requests while no pod is ready. */
export interface RequestHolder extends AddOnHold {
  /** The HTTPScaledObject or InterceptorRoute. */
  readonly obj: any;
  /** The Service the add-on forwards to (InterceptorRoute `spec.target.service`, HTTPScaledObject `spec.scaleTargetRef.service`). */
  readonly service?: string;
}

function isAddOn(o: any, kind: string): boolean {
  return o?.kind === kind && String(o.apiVersion ?? '').startsWith('http.keda.sh/');
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
  return Array.isArray(triggers) && triggers.some(isAddOnScalerTrigger);
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
