import { Observer, ObserverKind } from './metric-reader';
import { MetricSignal } from './simulation-types';
import { apiNameOf, knownMetric, KNOWN_METRICS, seriesNamesInQuery, ServerMetric, SignalKind } from '../model-server/server-catalog';

/**
 * What a metric measures in the workload model, recognized without guessing where the inputs say it:
 * the `signals` option, then the workload's `ml-autoscaling.io/server-metrics` annotation, then the
 * model-server catalog, and only then a guess from the name.
 */

/** Where a metric's value is taken over. */
export const enum MetricScope {
  /** One pod's value (HPA Pods metrics; a PromQL query whose outermost aggregation is avg, max or min). */
  POD,
  /** The workload's total (External and Object metrics, KEDA triggers); a busy percent is the pods' average. */
  TOTAL,
  /** A sum over the pods of each pod's value (a PromQL query whose outermost aggregation is `sum`): a busy percent adds up. */
  SUM,
}

/** What a metric measures, and whether a busy share is read as a fraction 0..1 rather than a percent. */
export interface Recognized {
  readonly signal: MetricSignal;
  readonly fraction: boolean;
}

/** The simulator's signal for each signal of the catalog (GPU memory does not move with load: none). */
const FROM_KIND: { readonly [kind: string]: MetricSignal | undefined } = {
  [SignalKind.QUEUE_SIZE]: MetricSignal.QUEUE_DEPTH,
  [SignalKind.BATCH_SIZE]: MetricSignal.BATCH_SIZE,
  [SignalKind.KV_CACHE_USAGE]: MetricSignal.KV_CACHE_USAGE,
  [SignalKind.GPU_UTILIZATION]: MetricSignal.BUSY_PERCENT,
};

/** Guesses what a metric measures from its name. */
export function guessSignal(text: string): MetricSignal {
  const t = text.toLowerCase();
  if (/util|gpu|busy|duty|saturation|cpu/.test(t)) return MetricSignal.BUSY_PERCENT;
  if (/rate|rps|qps|per_?second|requests|throughput|arrival/.test(t)) return MetricSignal.ARRIVAL_RATE;
  return MetricSignal.QUEUE_DEPTH;
}


const AGGREGATION = /^\s*(sum|avg|max|min|count)\s*(?:(?:by|without)\s*\([^)]*\)\s*)?\(/;
const TRAILING_GROUPING = /^\s*(?:(?:by|without)\s*\([^)]*\)\s*)?$/;

/**
 * The outermost aggregation of a PromQL query (`sum(avg by (pod) (x))` -> `sum`), or undefined when the
 * query is not one aggregation over all of it (a bare selector, a function, a binary expression).
 */
export function outermostAggregation(query: string): string | undefined {
  const m = AGGREGATION.exec(query);
  if (!m) return undefined;
  // the aggregation's closing parenthesis must end the query (but for a trailing `by (...)`)
  let depth = 1;
  let i = m[0].length;
  let quote: string | undefined;
  for (; i < query.length && depth > 0; i++) {
    const c = query[i];
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '\'' || c === '`') {
      quote = c;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    }
  }
  return depth === 0 && TRAILING_GROUPING.test(query.slice(i)) ? m[1] : undefined;
}

/** The scope of a query trigger's value: per pod for an outer avg/max/min, a sum over pods for an outer sum. */
export function queryScope(query: unknown): MetricScope {
  if (typeof query !== 'string') return MetricScope.TOTAL;
  const agg = outermostAggregation(query);
  if (agg === 'avg' || agg === 'max' || agg === 'min') return MetricScope.POD;
  return agg === 'sum' ? MetricScope.SUM : MetricScope.TOTAL;
}

/** Recognizes metrics for one simulation; notes what it could not model in `warnings`. */
export class SignalRecognizer {
  /**
   * `signals` is the option (by metric name); `serverMetrics` the workload's annotation (series by
   * catalog signal), if known.
   */
  constructor(private readonly signals: { readonly [name: string]: MetricSignal },
    private readonly serverMetrics: { readonly [kind: string]: string } | undefined,
    private readonly warnings: string[]) {}

  /** The explicit signal of the first of `names` the `signals` option names. */
  public explicit(names: Array<string | undefined>): MetricSignal | undefined {
    for (const n of names) {
      if (n !== undefined && Object.prototype.hasOwnProperty.call(this.signals, n) && this.signals[n] !== undefined) return this.signals[n];
    }
    return undefined;
  }

  /**
   * A metric known by name: an HPA metric (`vllm_num_requests_waiting`) or a KEDA trigger's metric name;
   * `guessFrom` is the text to guess from when nothing says.
   */
  public byName(names: Array<string | undefined>, guessFrom: string, label: string): Recognized {
    const known = names.filter((n): n is string => typeof n === 'string' && n.length > 0);
    return this.recognize(names, label, series => known.some(n => n === series || n === apiNameOf(series)),
      () => known.map(n => knownMetric(n)).find(m => m !== undefined), guessFrom);
  }

  /** A metric read by a PromQL query (and named by `names`, for the `signals` option). */
  public byQuery(names: Array<string | undefined>, query: string, guessFrom: string, label: string): Recognized {
    const tokens = seriesNamesInQuery(query);
    const known = names.filter((n): n is string => typeof n === 'string' && n.length > 0);
    return this.recognize(names, label,
      series => tokens.includes(series) || tokens.includes(apiNameOf(series)) || known.some(n => n === series || n === apiNameOf(series)),
      () => tokens.map(tk => KNOWN_METRICS.find(k => k.series === tk)).find(m => m !== undefined)
        ?? known.map(n => knownMetric(n)).find(m => m !== undefined),
      guessFrom);
  }

  private recognize(names: Array<string | undefined>, label: string, reads: (series: string) => boolean,
    catalog: () => ServerMetric | undefined, guessFrom: string): Recognized {
    const explicit = this.explicit(names);
    const fromCatalog = catalog();
    const fraction = (signal: MetricSignal, metric: ServerMetric | undefined) =>
      signal === MetricSignal.BUSY_PERCENT && metric?.unit === 'fraction';
    if (explicit !== undefined) return { signal: explicit, fraction: fraction(explicit, fromCatalog) };
    for (const [kind, series] of Object.entries(this.serverMetrics ?? {})) {
      if (!reads(series)) continue;
      const signal = FROM_KIND[kind];
      if (signal === undefined) return this.unmodelled(label, series, guessFrom);
      return { signal, fraction: fraction(signal, knownMetric(series)) };
    }
    if (fromCatalog !== undefined) {
      const signal = FROM_KIND[fromCatalog.signal];
      if (signal === undefined) return this.unmodelled(label, fromCatalog.series, guessFrom);
      return { signal, fraction: fraction(signal, fromCatalog) };
    }
    return { signal: guessSignal(guessFrom), fraction: false };
  }

  private unmodelled(label: string, series: string, guessFrom: string): Recognized {
    const signal = guessSignal(guessFrom);
    this.warnings.push(`${label} (${series}): GPU memory in use does not move with load in the workload model (model weights and ` +
      `the KV-cache pool are allocated at start), so the simulator has no value for it; simulated as ${signal}. Fix: scale on the ` +
      'queue size, batch size or KV-cache usage, or say what the metric measures with signals.');
    return { signal, fraction: false };
  }
}

/** The observer of a signal over a scope. */
export function observerOf(r: Recognized, scope: MetricScope): Observer {
  const o = (kind: ObserverKind, value = 0): Observer => ({ kind, value });
  const pod = scope === MetricScope.POD;
  switch (r.signal) {
    case MetricSignal.QUEUE_DEPTH: return o(pod ? ObserverKind.QUEUE_PER_POD : ObserverKind.QUEUE);
    case MetricSignal.BACKLOG: return o(pod ? ObserverKind.BACKLOG_PER_POD : ObserverKind.BACKLOG);
    case MetricSignal.ARRIVAL_RATE: return o(pod ? ObserverKind.ARRIVAL_RATE_PER_POD : ObserverKind.ARRIVAL_RATE);
    case MetricSignal.BATCH_SIZE: return o(pod ? ObserverKind.IN_SERVICE_PER_POD : ObserverKind.IN_SERVICE);
    case MetricSignal.KV_CACHE_USAGE: return o(pod ? ObserverKind.CONCURRENCY_USED : ObserverKind.CONCURRENCY_USED_SUM);
    default:
      if (scope === MetricScope.SUM) return o(ObserverKind.BUSY_SUM, r.fraction ? 0.01 : 1);
      // a fraction: the busy share of one core's worth, busyPercent / 100
      return r.fraction ? o(ObserverKind.BUSY_CORES, 1) : o(ObserverKind.BUSY_PERCENT);
  }
}
