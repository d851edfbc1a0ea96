/**
 * A request holder in front of the service (the KEDA HTTP add-on's interceptor): requests that arrive
 * while no pod is ready are held in the queue for at most `timeout` seconds, and those still waiting
 * then fail (leave the queue unserved). Without a holder (`hold` false) requests that arrive while no
 * pod is ready fail at once: the Service has no endpoints.
 *
 * In the fluid model a held item fails when the arrivals `timeout` seconds ago pass the departures: while
 * no pod is ready, departures follow `max(departures, arrivals(t - timeout))`. Arrivals come from the trace
 * alone, so that curve is known up front; it bends at the trace's times plus the timeout, which the
 * simulation adds as events while no pod is ready (`nextBreak`), so each step has one failure rate.
 *
 * Items already queued when the last ready pod goes away were proxied to a pod, not held: they do not
 * time out, and (FIFO, no service while no pod is ready) neither do the items held behind them during
 * that span; `blockedSpans` counts such spans for a warning.
 */
export class RequestHolder {
  /** Items held: with a holder, those that arrived while no pod was ready (0 without a holder). */
  public held = 0;
  /** Items that failed: held ones that timed out, or without a holder those that arrived while no pod was ready. */
  public failed = 0;
  /** The longest wait of the first request after an idle span at zero ready pods (see `SimulationSummary`). */
  public firstWaitMax = 0;
  /** Spans at zero ready pods that began with items queued (no item timed out in them). */
  public blockedSpans = 0;
  /** Items per second failing from the time the last `step` returned until its `next`. */
  public failRate = 0;
  /** Arrivals by each trace time, for `arrivedBy`. */
  private readonly cumulative: Float64Array;
  /** The trace point whose time plus the timeout `nextBreak` returned last (times only grow). */
  private breakIndex = 0;
  /** Whether a span at zero ready pods is open, whether it began with items queued, and when its first item arrived. */
  private open = false;
  private blocked = false;
  private idleStart = NaN;

  /**
   * @param times the trace's times (ascending, the first 0, the last the end of the run)
   * @param rates the trace's rates (rate k from time k to time k + 1)
   * @param hold whether requests are held (false: they fail at once while no pod is ready)
   * @param timeout seconds a held request waits at most (Infinity: no deadline)
   */
  constructor(private readonly times: ArrayLike<number>, private readonly rates: ArrayLike<number>,
    public readonly hold: boolean, public readonly timeout: number) {
    const n = times.length;
    this.cumulative = new Float64Array(n);
    for (let k = 1; k < n; k++) this.cumulative[k] = this.cumulative[k - 1] + rates[k - 1] * (times[k] - times[k - 1]);
  }

  /** Items arrived by `x` (0 before time 0): the arrival curve, from the trace. */
  public arrivedBy(x: number): number {
    const times = this.times;
    const n = times.length;
    if (x <= 0) return 0;
    if (x >= times[n - 1]) return this.cumulative[n - 1];
    const lo = this.pieceOf(x);
    return this.cumulative[lo] + this.rates[lo] * (x - times[lo]);
  }

  /** The trace's rate at `x` (0 before time 0). */
  private rateAt(x: number): number {
    const times = this.times;
    const n = times.length;
    if (x < 0 || x >= times[n - 1]) return 0;
    return this.rates[this.pieceOf(x)];
  }

  /** The trace step holding `x` (0 <= x < the last time): times[k] <= x < times[k + 1]. */
  private pieceOf(x: number): number {
    const times = this.times;
    let lo = 0;
    let hi = times.length - 1;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (times[mid] <= x) lo = mid; else hi = mid;
    }
    return lo;
  }

  /** The first time after `t` at which the arrivals `timeout` seconds earlier change rate (Infinity if none). */
  public nextBreak(t: number): number {
    if (!this.hold || this.timeout === Infinity) return Infinity;
    const times = this.times;
    while (this.breakIndex < times.length && times[this.breakIndex] + this.timeout <= t + 1e-9) this.breakIndex++;
    return this.breakIndex < times.length ? times[this.breakIndex] + this.timeout : Infinity;
  }

  /**
   * One step from `t` to `next` with `ready` pods, items arriving at `rate` per second and `queue` items
   * waiting at `t`, for a step at zero ready pods: the failure rate from each time on. Returns the time
   * failures begin (`next` if none) and sets `failRate` (constant until `next`: `next` is at most `nextBreak(t)`).
   * Call it for every step (it closes spans when pods are ready).
   */
  public step(t: number, next: number, ready: number, rate: number, queue: number): number {
    this.failRate = 0;
    if (ready > 0) {
      if (this.open) this.closeSpan(t);
      return next;
    }
    if (!this.open) {
      if (rate <= 0 && queue <= 0) return next;
      this.open = true;
      this.blocked = queue > 0;
      if (this.blocked) this.blockedSpans++;
      // The first request after idle arrives now (a span that begins with items queued is not after idle).
      this.idleStart = this.blocked ? NaN : t;
    }
    const span = next - t;
    if (this.hold) this.held += rate * span;
    if (this.blocked) return next;
    if (!this.hold) {
      // Every arrival fails at once: departures follow arrivals.
      this.failRate = rate;
      this.failed += rate * span;
      return t;
    }
    if (this.timeout === Infinity) return next;
    // Departures at t, and the arrivals timeout seconds ago, which failures follow once they catch up.
    const departed = this.arrivedBy(t) - queue;
    const behind = this.arrivedBy(t - this.timeout);
    const oldRate = this.rateAt(t - this.timeout);
    const gap = departed - behind > 0 ? departed - behind : 0;
    if (oldRate <= 0 || gap >= oldRate * span) return next;
    const start = t + gap / oldRate;
    this.failRate = oldRate;
    this.failed += oldRate * (next - start);
    return start;
  }

  /** Ends the run at `end`: a span still open counts up to it. */
  public finish(end: number): void {
    if (this.open) this.closeSpan(end);
  }

  /** Closes the span at zero ready pods at `t` (a pod became ready, or the run ended). */
  private closeSpan(t: number): void {
    this.open = false;
    if (Number.isNaN(this.idleStart)) return;
    // The first request waits until the first ready pod, or fails at the timeout (at once without a holder).
    const waited = !this.hold ? 0 : Math.min(t - this.idleStart, this.timeout);
    if (waited > this.firstWaitMax) this.firstWaitMax = waited;
  }
}
