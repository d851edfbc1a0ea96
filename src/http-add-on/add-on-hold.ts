/**
 * How long the KEDA HTTP add-on's interceptor (v0.15.0) holds a request for a ready pod, read from one
 * `HTTPScaledObject` or `InterceptorRoute` as JSON: one reading of the add-on's rules, shared by the
 * guardrails and the simulator. Imports nothing of the library but the duration format.
 *
 * As the interceptor applies them (interceptor/middleware/endpoint_resolver.go and pkg/routing/table.go
 * @ v0.15.0):
 * - InterceptorRoute `spec.timeouts.readiness`, when set (even `"0s"`), replaces the interceptor's global
 *   `KEDA_HTTP_READINESS_TIMEOUT`; 0 means no deadline of its own (`spec.timeouts.request`, the request's
 *   whole budget, or the client bounds the wait); with `spec.coldStart.fallback` a readiness of 0 (or
 *   none, with the global default of 0) becomes 30 s; `spec.coldStart.placeholder` answers at once, so
 *   nothing is held.
 * - HTTPScaledObject `spec.timeouts.conditionWait` applies only above 0; `spec.coldStartTimeoutFailoverRef`
 *   replaces it with its `timeoutSeconds` (default 30).
 * - Otherwise the interceptor's global settings decide, which manifests do not show: since v0.14.0
 *   `KEDA_HTTP_READINESS_TIMEOUT` and `KEDA_HTTP_REQUEST_TIMEOUT` default to 0 (no deadline), but the
 *   deprecated `KEDA_CONDITION_WAIT_TIMEOUT` (20 s in the manifests of v0.8 to v0.13) still wins when set.
 */
import { parseGoDuration } from '../kubernetes/go-duration';

/** The readiness wait the interceptor applies with a fallback and no other value (`defaultFallbackReadinessTimeout`). */
export const FALLBACK_HOLD_SECONDS = 30;

/** What one add-on object does with a request while no pod is ready. */
export interface AddOnHold {
  /** Seconds the request is held for a ready pod; undefined: no deadline in the object (the interceptor's global settings decide). */
  readonly holdSeconds?: number;
  /** Whether the interceptor answers at once with a placeholder instead of holding. */
  readonly placeholder: boolean;
  /** The Service a request goes to when the hold ends, if any (fallback / failover). */
  readonly fallbackService?: string;
  /** The field the hold comes from, e.g. `spec.timeouts.readiness`. */
  readonly location: string;
  /** How the hold was worked out, for messages. */
  readonly how: string;
  /** A timeout field whose value is not a Go duration (the API server stores it, the interceptor fails on it). */
  readonly invalidField?: string;
}

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** The hold of an InterceptorRoute (http.keda.sh/v1beta1). */
export function interceptorRouteHold(o: any): AddOnHold {
  const timeouts = o?.spec?.timeouts ?? {};
  const coldStart = o?.spec?.coldStart ?? {};
  const fallbackService = typeof coldStart.fallback?.service?.name === 'string' ? coldStart.fallback.service.name : undefined;
  const hasFallback = isSet(coldStart.fallback);
  const invalid = ['readiness', 'request'].find(k => isSet(timeouts[k]) && parseGoDuration(timeouts[k]) === undefined);
  if (invalid) {
    return { placeholder: false, location: `spec.timeouts.${invalid}`, how: `timeouts.${invalid} ${JSON.stringify(timeouts[invalid])}`, invalidField: `spec.timeouts.${invalid}` };
  }
  if (isSet(coldStart.placeholder)) {
    return { placeholder: true, location: 'spec.coldStart.placeholder', how: 'a placeholder response while no pod is ready' };
  }
  const readiness = isSet(timeouts.readiness) ? parseGoDuration(timeouts.readiness)! : undefined;
  const request = isSet(timeouts.request) ? parseGoDuration(timeouts.request)! : undefined;
  const requestBound = request !== undefined && request > 0 ? request : undefined;
  if (readiness !== undefined && readiness > 0) {
    return requestBound !== undefined && requestBound < readiness
      ? {
        holdSeconds: requestBound,
        placeholder: false,
        fallbackService,
        location: 'spec.timeouts.request',
        how: `timeouts.request ${timeouts.request} (below timeouts.readiness ${timeouts.readiness})`,
      }
      : { holdSeconds: readiness, placeholder: false, fallbackService, location: 'spec.timeouts.readiness', how: `timeouts.readiness ${timeouts.readiness}` };
  }
  if (hasFallback && (readiness === 0 || readiness === undefined)) {
    const hold = requestBound !== undefined ? Math.min(requestBound, FALLBACK_HOLD_SECONDS) : FALLBACK_HOLD_SECONDS;
    return {
      holdSeconds: hold,
      placeholder: false,
      fallbackService,
      location: readiness === undefined ? 'spec.coldStart.fallback' : 'spec.timeouts.readiness',
      how: `the ${FALLBACK_HOLD_SECONDS} s the interceptor waits before its fallback${readiness === undefined ? ' (with the global readiness timeout at its default of 0)' : ''}`,
    };
  }
  if (readiness === 0 && requestBound !== undefined) {
    return { holdSeconds: requestBound, placeholder: false, location: 'spec.timeouts.request', how: `timeouts.request ${timeouts.request} (timeouts.readiness 0)` };
  }
  if (readiness === 0) return { placeholder: false, location: 'spec.timeouts.readiness', how: 'timeouts.readiness 0: no deadline of its own' };
  return requestBound !== undefined
    ? { holdSeconds: requestBound, placeholder: false, location: 'spec.timeouts.request', how: `timeouts.request ${timeouts.request} (no readiness timeout of its own)` }
    : { placeholder: false, location: 'spec.timeouts.readiness', how: 'the interceptor\'s global KEDA_HTTP_READINESS_TIMEOUT' };
}

/** The hold of an HTTPScaledObject (http.keda.sh/v1alpha1). */
export function httpScaledObjectHold(o: any): AddOnHold {
  const failover = o?.spec?.coldStartTimeoutFailoverRef;
  if (failover !== null && typeof failover === 'object') {
    const t = failover.timeoutSeconds;
    const s = typeof t === 'number' && Number.isFinite(t) && t > 0 ? t : FALLBACK_HOLD_SECONDS;
    return {
      holdSeconds: s,
      placeholder: false,
      fallbackService: typeof failover.service === 'string' ? failover.service : undefined,
      location: 'spec.coldStartTimeoutFailoverRef.timeoutSeconds',
      how: `coldStartTimeoutFailoverRef.timeoutSeconds ${s}${t === undefined ? ' (default)' : ''}`,
    };
  }
  const raw = o?.spec?.timeouts?.conditionWait;
  const wait = parseGoDuration(raw);
  if (isSet(raw) && wait === undefined) {
    return { placeholder: false, location: 'spec.timeouts.conditionWait', how: `timeouts.conditionWait ${JSON.stringify(raw)}`, invalidField: 'spec.timeouts.conditionWait' };
  }
  if (wait !== undefined && wait > 0) {
    return { holdSeconds: wait, placeholder: false, location: 'spec.timeouts.conditionWait', how: `timeouts.conditionWait ${raw}` };
  }
  return { placeholder: false, location: 'spec.timeouts.conditionWait', how: 'the interceptor\'s global readiness timeout' };
}

/** The hold of either add-on kind. */
export function addOnHold(o: any): AddOnHold {
  return o?.kind === 'InterceptorRoute' ? interceptorRouteHold(o) : httpScaledObjectHold(o);
}
