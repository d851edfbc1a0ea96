import { MetricSignal, RequestHolding } from './simulation-types';
import { addOnHold } from '../http-add-on/add-on-hold';
import { isAddOnScalerTrigger } from '../http-add-on/add-on-services';
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

/** Where a finding came from, for messages: `manifests(InterceptorRoute/chat)`. */
function label(manifestsArg: string, o: any): string {
  return `${manifestsArg}(${o.kind}/${o.metadata?.name})`;
}

/** Whether Service `service` selects the pods of `workload` (a non-empty selector, all of it in the pod template's labels). */
function selects(service: any, workload: any): boolean {
  const selector = service?.spec?.selector;
  const labels = workload?.spec?.template?.metadata?.labels ?? {};
  if (selector === null || typeof selector !== 'object' || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The simulator's holding for one add-on object (its hold as the interceptor applies it), with warnings. */
function holdingOf(o: any, site: string, where: string, warnings: string[]): RequestHolding {
  const hold = addOnHold(o);
  if (hold.invalidField) {
    fail({ scope: site, prop: `${where} ${hold.invalidField}` }, hold.invalidField.split('.').reduce((v: any, k) => v?.[k], o),
      'is not a duration', 'write a Go duration, e.g. "120s", "2m" or "1m30s"');
  }
  if (hold.placeholder) {
    warnings.push(`${where}: spec.coldStart.placeholder answers requests at once while the workload has no ready endpoints, so ` +
      'nothing is held; the simulation counts those requests in requestsFailed (not served by this workload).');
    return { enabled: false };
  }
  if (hold.holdSeconds === undefined) {
    warnings.push(`${where}: no timeout of its own (${hold.how}), so the simulation holds requests without a deadline (the ` +
      'interceptor\'s defaults since v0.14.0); in reality the interceptor\'s KEDA_HTTP_READINESS_TIMEOUT and KEDA_HTTP_REQUEST_TIMEOUT ' +
      '(or the deprecated KEDA_CONDITION_WAIT_TIMEOUT, which wins when set) and the client\'s own timeout decide. Fix: set ' +
      'requestHolding.timeoutSeconds (--hold-timeout) to the timeout your setup applies.');
    return {};
  }
  if (hold.fallbackService !== undefined) {
    warnings.push(`${where}: requests held longer than ${hold.holdSeconds} s (${hold.how}) go to the fallback service ` +
      `"${hold.fallbackService}"; the simulation counts them in requestsFailed (not served by this workload).`);
  }
  return { timeoutSeconds: hold.holdSeconds };
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
    const holding = holdingOf(o, site, where, warnings);
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


/**
 * The ScaledObject as KEDA sees it once the add-on's scaler has answered: its external scaler reports the
 * InterceptorRoute's (or HTTPScaledObject's) target per replica (`scalingMetric.concurrency.targetValue`,
 * else `requestRate.targetValue`), which the trigger's metadata does not carry; the simulator reads it as
 * the trigger's `targetValue`. With both metrics, concurrency is used (a warning says so). Also the
 * signals of those triggers: concurrency counts requests held and in service (BACKLOG), request rate
 * the arrivals (ARRIVAL_RATE). The ScaledObject is returned unchanged when no trigger reads the add-on.
 */
export function withAddOnTargets(scaledObject: any, objects: any[], warnings: string[]):
{ scaledObject: any; signals: { [trigger: string]: MetricSignal } } {
  const triggers: any[] = Array.isArray(scaledObject?.spec?.triggers) ? scaledObject.spec.triggers : [];
  if (!triggers.some(isAddOnScalerTrigger)) return { scaledObject, signals: {} };
  const ns = scaledObject.metadata?.namespace;
  const signals: { [trigger: string]: MetricSignal } = {};
  const rewritten = triggers.map((t, i) => {
    if (!isAddOnScalerTrigger(t) || t.metadata?.targetValue !== undefined) return t;
    const routeName = t.metadata?.interceptorRoute ?? t.metadata?.httpScaledObject;
    const kind = t.metadata?.interceptorRoute !== undefined ? 'InterceptorRoute' : 'HTTPScaledObject';
    const source = objects.find(o => o?.kind === kind && o?.metadata?.name === routeName && (o?.metadata?.namespace ?? ns) === ns);
    const metric = source?.spec?.scalingMetric ?? {};
    const concurrency = metric.concurrency?.targetValue;
    const rate = metric.requestRate?.targetValue;
    const target = concurrency ?? rate ?? (kind === 'HTTPScaledObject' ? 100 : undefined);
    if (target === undefined) return t; // the spec check names the missing target
    if (concurrency !== undefined && rate !== undefined) {
      warnings.push(`trigger ${i + 1} (${t.type}): ${kind} ${routeName} scales on concurrency and request rate; the simulation ` +
        'uses its concurrency target (KEDA takes the larger proposal of both).');
    }
    if (t.name !== undefined) signals[t.name] = concurrency === undefined && rate !== undefined ? MetricSignal.ARRIVAL_RATE : MetricSignal.BACKLOG;
    return { ...t, metadata: { ...t.metadata, targetValue: String(target) } };
  });
  return { scaledObject: { ...scaledObject, spec: { ...scaledObject.spec, triggers: rewritten } }, signals };
}
