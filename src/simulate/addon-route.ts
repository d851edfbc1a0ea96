import type { RequestHolding } from './simulation-types';
import { fail } from '../validate/check';

/**
 * The request holding of the KEDA HTTP add-on (v0.15.0 CRDs) in front of a workload, read from manifests:
 * an `HTTPScaledObject` (http.keda.sh/v1alpha1) whose `spec.scaleTargetRef.name` is the workload, or an
 * `InterceptorRoute` (http.keda.sh/v1beta1) whose `spec.target.service` is a Service selecting the
 * workload's pods. The per-route timeout, when set, is the hold timeout; without one the hold has no
 * deadline in the model (the interceptor's defaults since v0.15.0), with a warning.
 */
export interface AddonHolding {
  /** The holding found, if an add-on object routes to the workload. */
  readonly holding?: RequestHolding;
  /** What the simulation assumed about it. */
  readonly warnings: string[];
}

/** The 30 s the interceptor applies to a route with a fallback service and no readiness timeout (and the failover's default). */
const FALLBACK_DEFAULT_SECONDS = 30;

/** Where a finding came from, for messages: `manifests(InterceptorRoute/chat)`. */
function label(manifestsArg: string, o: any): string {
  return `${manifestsArg}(${o.kind}/${o.metadata?.name})`;
}

/**
 * A Go duration (`time.ParseDuration`, as `metav1.Duration` reads it): "120s", "1m30s", "1.5h", "500ms", "0"
 * -> seconds; `fail`s on `site` otherwise.
 */
export function goDurationSeconds(text: unknown, site: { scope: string; prop: string }): number {
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const t = typeof text === 'string' ? text.trim() : '';
  if (t === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    total += Number(m[1]) * units[m[2]];
    consumed = re.lastIndex;
  }
  if (t === '' || consumed !== t.length) {
    fail(site, text, 'is not a duration', 'write a Go duration, e.g. "120s", "2m" or "1m30s"');
  }
  return total;
}

/** Whether Service `service` selects the pods of `workload` (a non-empty selector, all of it in the pod template's labels). */
function selects(service: any, workload: any): boolean {
  const selector = service?.spec?.selector;
  const labels = workload?.spec?.template?.metadata?.labels ?? {};
  if (selector === null || typeof selector !== 'object' || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The hold timeout of one HTTPScaledObject (undefined: none set), with warnings. */
function fromHttpScaledObject(o: any, site: string, where: string, warnings: string[]): RequestHolding {
  const wait = o.spec?.timeouts?.conditionWait;
  const conditionWait = wait !== undefined && wait !== null
    ? goDurationSeconds(wait, { scope: site, prop: `${where} spec.timeouts.conditionWait` }) : 0;
  const failover = o.spec?.coldStartTimeoutFailoverRef;
  if (failover !== undefined && failover !== null) {
    const seconds = typeof failover.timeoutSeconds === 'number' && failover.timeoutSeconds > 0 ? failover.timeoutSeconds : FALLBACK_DEFAULT_SECONDS;
    const timeout = conditionWait > 0 ? Math.min(conditionWait, seconds) : seconds;
    warnings.push(`${where}: requests held longer than ${timeout} s go to the failover service "${failover.service}" ` +
      '(spec.coldStartTimeoutFailoverRef); the simulation counts them in requestsFailed (not served by this workload).');
    return { timeoutSeconds: timeout };
  }
  if (conditionWait > 0) return { timeoutSeconds: conditionWait };
  warnings.push(`${where}: no spec.timeouts.conditionWait, so the simulation holds requests without a deadline; in reality the ` +
    'interceptor\'s global timeout (KEDA_CONDITION_WAIT_TIMEOUT in older add-on versions, KEDA_HTTP_READINESS_TIMEOUT and ' +
    'KEDA_HTTP_REQUEST_TIMEOUT from v0.15.0) and the client\'s own timeout decide. Fix: set requestHolding.timeoutSeconds ' +
    '(--hold-timeout) to the timeout your setup applies.');
  return {};
}

/** The holding of one InterceptorRoute, with warnings. */
function fromInterceptorRoute(o: any, site: string, where: string, warnings: string[]): RequestHolding {
  const timeouts = o.spec?.timeouts ?? {};
  const read = (key: string): number => (timeouts[key] !== undefined && timeouts[key] !== null
    ? goDurationSeconds(timeouts[key], { scope: site, prop: `${where} spec.timeouts.${key}` }) : 0);
  const readiness = read('readiness');
  const request = read('request');
  const coldStart = o.spec?.coldStart ?? {};
  if (coldStart.placeholder !== undefined && coldStart.placeholder !== null) {
    warnings.push(`${where}: spec.coldStart.placeholder answers requests at once while the workload has no ready endpoints, so ` +
      'nothing is held; the simulation counts those requests in requestsFailed (not served by this workload).');
    return { enabled: false };
  }
  // The hold ends at the readiness deadline, or at the end of the whole request's budget, whichever comes first (0: none).
  const deadlines = [readiness, request].filter(d => d > 0);
  if (coldStart.fallback !== undefined && coldStart.fallback !== null) {
    const timeout = readiness > 0 ? Math.min(...deadlines) : Math.min(FALLBACK_DEFAULT_SECONDS, ...deadlines);
    warnings.push(`${where}: requests held longer than ${timeout} s go to the fallback service "${coldStart.fallback.service?.name}" ` +
      '(spec.coldStart.fallback); the simulation counts them in requestsFailed (not served by this workload).');
    return { timeoutSeconds: timeout };
  }
  if (deadlines.length > 0) return { timeoutSeconds: Math.min(...deadlines) };
  warnings.push(`${where}: no spec.timeouts.readiness or request, so the simulation holds requests without a deadline (the ` +
    'interceptor\'s defaults since v0.15.0); in reality the interceptor\'s KEDA_HTTP_READINESS_TIMEOUT and KEDA_HTTP_REQUEST_TIMEOUT ' +
    'and the client\'s own timeout decide. Fix: set requestHolding.timeoutSeconds (--hold-timeout) to the timeout your setup applies.');
  return {};
}

/**
 * The request holding of the add-on objects in `objects` that route to `workload` (named `workloadName`):
 * with several, the one that holds shortest (a placeholder: none), with a warning.
 */
export function addonHoldingOf(objects: any[], workloadName: string, workload: any, site: string, manifestsArg: string): AddonHolding {
  const isAddon = (o: any, kind: string) => o?.kind === kind && String(o?.apiVersion ?? 'http.keda.sh/').startsWith('http.keda.sh/');
  const services = objects.filter(o => o?.kind === 'Service');
  const found: Array<{ where: string; holding: RequestHolding; warnings: string[] }> = [];
  for (const o of objects) {
    let routes = false;
    if (isAddon(o, 'HTTPScaledObject')) {
      routes = o.spec?.scaleTargetRef?.name === workloadName;
    } else if (isAddon(o, 'InterceptorRoute')) {
      const name = o.spec?.target?.service;
      routes = workload !== undefined && services.some(s => s.metadata?.name === name && selects(s, workload));
    }
    if (!routes) continue;
    const where = label(manifestsArg, o);
    const warnings: string[] = [];
    const holding = o.kind === 'HTTPScaledObject' ? fromHttpScaledObject(o, site, where, warnings) : fromInterceptorRoute(o, site, where, warnings);
    found.push({ where, holding, warnings });
  }
  if (found.length === 0) return { warnings: [] };
  // The shortest hold: no holder first, then the shortest timeout, then no deadline.
  const rank = (h: RequestHolding) => (h.enabled === false ? -1 : h.timeoutSeconds ?? Infinity);
  const chosen = found.reduce((a, b) => (rank(b.holding) < rank(a.holding) ? b : a));
  const warnings = [...chosen.warnings];
  if (found.length > 1) {
    warnings.push(`${found.length} add-on objects route to "${workloadName}" (${found.map(f => f.where).join(', ')}): the simulation ` +
      `uses the shortest hold, ${chosen.where}'s.`);
  }
  return { holding: chosen.holding, warnings };
}
