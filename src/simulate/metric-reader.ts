import { Curves } from './queue-curves';

/**
 * What an observer reads from the model state (queue, items in service, arrival rate, busy percent and
 * ready replicas at one time). A code and a parameter rather than a closure: the simulation evaluates
 * every metric at every sync.
 */
export const enum ObserverKind {
  /** The queue. */
  QUEUE,
  /** The queue plus the items in service (the completion rate times the service time, Little's law). */
  BACKLOG,
  /** The arrival rate over the metric window. */
  ARRIVAL_RATE,
  /** The busy percent over the metric window. */
  BUSY_PERCENT,
  /** QUEUE per ready pod (0 without ready pods). */
  QUEUE_PER_POD,
  /** BACKLOG per ready pod (0 without ready pods). */
  BACKLOG_PER_POD,
  /** ARRIVAL_RATE per ready pod (0 without ready pods). */
  ARRIVAL_RATE_PER_POD,
  /** A constant: `value`. */
  CONSTANT,
  /** The busy share of `value` cores: `busyPercent / 100 * value` (with `value` 1: a busy fraction 0..1). */
  BUSY_CORES,
  /**
   * The sum over pods of each pod's busy percent (the completions over the window in units of one
   * replica's capacity, times 100), times `value` (1 for percent, 0.01 for a fraction).
   */
  BUSY_SUM,
  /** The items in service (completion rate x service time), at most the concurrency of the ready pods. */
  IN_SERVICE,
  /** IN_SERVICE per ready pod (0 without ready pods). */
  IN_SERVICE_PER_POD,
  /** IN_SERVICE / (concurrency x ready pods): the share of the concurrency in use, 0..1 (0 without ready pods). */
  CONCURRENCY_USED,
  /** IN_SERVICE / concurrency: the sum over pods of each pod's CONCURRENCY_USED. */
  CONCURRENCY_USED_SUM,
}

export interface Observer {
  readonly kind: ObserverKind;
  readonly value: number;
}

/** What the controllers read: the model state at one time, from the curves (metrics `lag` seconds old). */
export class MetricReader {
  /** The busy percent over the window ending at `busyEnd`, as last computed (the curves before it never change). */
  private busyEnd = NaN;
  private busy = 0;

  /**
   * `capacity` items per second per ready replica, each replica processing up to `concurrency` items at
   * once (so an item takes `concurrency / capacity` seconds).
   */
  constructor(private readonly curves: Curves, private readonly lag: number, private readonly window: number,
    private readonly capacity: number, private readonly initialRate: number, private readonly concurrency = 1) {}

  /** Fills `out` with the value of each observer for a controller reading metrics at `now`. */
  public observe(now: number, ready: number, observers: Observer[], out: number[]): void {
    const at = now - this.lag;
    let queue = 0;
    let inFlight = 0;
    let arrivalRate = this.initialRate;
    let busyPercent = 0;
    let busySum = 0;
    if (at >= 0) {
      const curves = this.curves;
      const from = Math.max(0, at - this.window);
      const span = at - from;
      const lastSecond = Math.max(0, at - 1);
      curves.sampleWindow(from, at, lastSecond);
      const arrivedAt = curves.arrivedAtEnd;
      const servedAt = curves.servedAtEnd;
      const capacityInWindow = curves.capacityAtEnd - curves.capacityAtStart;
      const servedInWindow = servedAt - curves.servedAtStart;
      queue = Math.max(0, arrivedAt - servedAt - curves.failedAtEnd);
      // Little's law: the completion rate over the last second times the service time (concurrency / capacity).
      if (at > 0) inFlight = ((servedAt - curves.servedAtLastSecond) / (at - lastSecond) / this.capacity) * this.concurrency;
      if (span > 0) {
        arrivalRate = (arrivedAt - curves.arrivedAtStart) / span;
        busySum = (100 * servedInWindow) / (span * this.capacity);
      }
      busyPercent = capacityInWindow > 0 ? (100 * servedInWindow) / capacityInWindow : 0;
      this.busyEnd = at;
      this.busy = busyPercent;
    }
    // What the ready pods can hold at once bounds the items in service (pods may have gone since `at`).
    const slots = this.concurrency * ready;
    const inService = inFlight < slots ? inFlight : slots;
    for (let i = 0; i < observers.length; i++) {
      const o = observers[i];
      let v: number;
      switch (o.kind) {
        case ObserverKind.QUEUE: v = queue; break;
        case ObserverKind.BACKLOG: v = queue + inFlight; break;
        case ObserverKind.ARRIVAL_RATE: v = arrivalRate; break;
        case ObserverKind.BUSY_PERCENT: v = busyPercent; break;
        case ObserverKind.QUEUE_PER_POD: v = ready > 0 ? queue / ready : 0; break;
        case ObserverKind.BACKLOG_PER_POD: v = ready > 0 ? (queue + inFlight) / ready : 0; break;
        case ObserverKind.ARRIVAL_RATE_PER_POD: v = ready > 0 ? arrivalRate / ready : 0; break;
        case ObserverKind.CONSTANT: v = o.value; break;
        case ObserverKind.BUSY_SUM: v = busySum * o.value; break;
        case ObserverKind.IN_SERVICE: v = inService; break;
        case ObserverKind.IN_SERVICE_PER_POD: v = ready > 0 ? inService / ready : 0; break;
        case ObserverKind.CONCURRENCY_USED: v = slots > 0 ? inService / slots : 0; break;
        case ObserverKind.CONCURRENCY_USED_SUM: v = inService / this.concurrency; break;
        default: v = (busyPercent / 100) * o.value; break;
      }
      out[i] = v;
    }
  }

  /** The busy share of the ready replicas' capacity over the window ending at `t` (no lag), in percent. */
  public busyPercentAt(t: number): number {
    if (t === this.busyEnd) return this.busy; // the controllers read the same window at this time
    const curves = this.curves;
    curves.sample(Math.max(0, t - this.window));
    const capacityFrom = curves.sampledCapacity;
    const servedFrom = curves.sampledServed;
    curves.sample(t);
    const capacityInWindow = curves.sampledCapacity - capacityFrom;
    return capacityInWindow > 0 ? (100 * (curves.sampledServed - servedFrom)) / capacityInWindow : 0;
  }
}
