/** The FIFO waits of a run, as a function of the arrival level: linear on each segment. */
export interface WaitSummary {
  /** The longest wait. */
  readonly maxWait: number;
  /** Arrival time during which the wait exceeded the latency target (0 without one). */
  readonly late: number;
  /** Items over all segments. */
  readonly total: number;
  /** Items of the segments that do not wait at all. */
  readonly zero: number;
  /**
   * The segments that wait (the first `count`): items in each, and the wait at its start and end, in single
   * precision (12 bytes a segment: a long run has tens of millions; the percentile moves by about 1e-7 of itself).
   */
  readonly count: number;
  readonly weight: Float32Array;
  readonly w0: Float32Array;
  readonly w1: Float32Array;
}

/**
 * The cumulative arrival, departure and capacity curves, piecewise linear between breakpoints.
 */
export class Curves {
  /** Breakpoints in use (the arrays below have room for more); the first is at time 0 with all curves at 0. */
  private size = 1;
  private time: Float64Array;
  private arrived: Float64Array;
  private served: Float64Array;
  private capacity: Float64Array;
  /**
   * Items that left the queue without service (held requests that timed out, `request-holder.ts`), cumulative;
   * `served` holds every departure (completions and failures), so the FIFO waits count a failed item's wait
   * until it failed. Only with a request holder: without one the curves are as before, bit for bit.
   */
  private failed: Float64Array | undefined;
  /** Failures at the end of the window of the last `sampleWindow` (0 without failures). */
  public failedAtEnd = 0;
  /** The curves at the time of the last `sample`. */
  public sampledArrived = 0;
  public sampledServed = 0;
  public sampledCapacity = 0;
  /** The curves at the start and end of the window of the last `sampleWindow`, and departures at its last second. */
  public arrivedAtStart = 0;
  public servedAtStart = 0;
  public capacityAtStart = 0;
  public arrivedAtEnd = 0;
  public servedAtEnd = 0;
  public capacityAtEnd = 0;
  public servedAtLastSecond = 0;

  /**
   * @param expectedSize breakpoints to make room for (bounded by the run size limits; the curves grow beyond it if needed)
   * @param withFailures whether items can leave without service (a failure curve is kept)
   */
  constructor(expectedSize: number, withFailures = false) {
    const room = Math.max(16, Math.ceil(expectedSize));
    this.time = new Float64Array(room);
    this.arrived = new Float64Array(room);
    this.served = new Float64Array(room);
    this.capacity = new Float64Array(room);
    this.failed = withFailures ? new Float64Array(room) : undefined;
  }

  /**
   * Extends the curves to `until` with constant arrival, service and capacity rates, and `failRate` items
   * per second leaving unserved (only with `withFailures`).
   */
  public advance(until: number, arrivalRate: number, serviceRate: number, capacityRate: number, failRate = 0): void {
    const last = this.size - 1;
    const span = until - this.time[last];
    if (span <= 0) return;
    if (this.size === this.time.length) this.grow();
    const arrived = this.arrived[last] + arrivalRate * span;
    this.time[this.size] = until;
    this.arrived[this.size] = arrived;
    const failed = this.failed;
    if (failed === undefined) {
      this.served[this.size] = Math.min(this.served[last] + serviceRate * span, arrived);
    } else {
      this.served[this.size] = Math.min(this.served[last] + (serviceRate + failRate) * span, arrived);
      failed[this.size] = failed[last] + failRate * span;
    }
    this.capacity[this.size] = this.capacity[last] + capacityRate * span;
    this.size++;
  }

  /** Items that left unserved by `t` (0 without a failure curve). */
  public failedAt(t: number): number {
    return this.failed === undefined ? 0 : this.valueAt(this.failed, t);
  }

  /**
   * Marks the queue empty at the last breakpoint: departures equal arrivals there. Without it the float
   * rounding of `advance` can leave a sliver of an item (1e-10) "queued" behind an empty queue, which
   * waits through the next span without capacity (a night at zero replicas) and makes a bogus longest wait.
   */
  public settle(): void {
    const last = this.size - 1;
    this.served[last] = this.arrived[last];
  }

  public arrivedAt(t: number): number {
    return this.valueAt(this.arrived, t);
  }

  /** Items completed (served) by `t`: departures without failures. */
  public servedAt(t: number): number {
    const departed = this.valueAt(this.served, t);
    return this.failed === undefined ? departed : departed - this.valueAt(this.failed, t);
  }

  /**
   * The three curves at `t` (one search for all), into `sampledArrived`, `sampledServed` (completions),
   * `sampledCapacity`.
   */
  public sample(t: number): void {
    this.sampleDepartures(t);
    if (this.failed !== undefined) this.sampledServed -= this.valueAt(this.failed, t);
  }

  private sampleDepartures(t: number): void {
    const time = this.time;
    const last = this.size - 1;
    if (t >= time[last] || t <= 0) {
      const i = t >= time[last] ? last : 0;
      this.sampledArrived = this.arrived[i];
      this.sampledServed = this.served[i];
      this.sampledCapacity = this.capacity[i];
      return;
    }
    const lo = this.pieceOf(t);
    const f = (t - time[lo]) / (time[lo + 1] - time[lo]);
    const arrived = this.arrived;
    const served = this.served;
    const capacity = this.capacity;
    this.sampledArrived = arrived[lo] + (arrived[lo + 1] - arrived[lo]) * f;
    this.sampledServed = served[lo] + (served[lo + 1] - served[lo]) * f;
    this.sampledCapacity = capacity[lo] + (capacity[lo + 1] - capacity[lo]) * f;
  }

  /**
   * What a metric window needs in one call: the three curves at `start` and `end` (fields `...AtStart`,
   * `...AtEnd`) and completions at `lastSecond`, with the values `sample` and `servedAt` give, and the
   * failures at `end` (`failedAtEnd`: the queue is arrivals - completions - failures).
   */
  public sampleWindow(start: number, end: number, lastSecond: number): void {
    this.sampleWindowDepartures(start, end, lastSecond);
    const failed = this.failed;
    if (failed === undefined) return;
    const atEnd = this.valueAt(failed, end);
    this.failedAtEnd = atEnd;
    this.servedAtEnd -= atEnd;
    this.servedAtStart -= this.valueAt(failed, start);
    this.servedAtLastSecond -= this.valueAt(failed, lastSecond);
  }

  private sampleWindowDepartures(start: number, end: number, lastSecond: number): void {
    const time = this.time;
    const arrived = this.arrived;
    const served = this.served;
    const capacity = this.capacity;
    const last = this.size - 1;
    const lastTime = time[last];
    if (end >= lastTime || end <= 0) {
      const i = end >= lastTime ? last : 0;
      this.arrivedAtEnd = arrived[i];
      this.servedAtEnd = served[i];
      this.capacityAtEnd = capacity[i];
    } else {
      const lo = this.pieceOf(end);
      const f = (end - time[lo]) / (time[lo + 1] - time[lo]);
      this.arrivedAtEnd = arrived[lo] + (arrived[lo + 1] - arrived[lo]) * f;
      this.servedAtEnd = served[lo] + (served[lo + 1] - served[lo]) * f;
      this.capacityAtEnd = capacity[lo] + (capacity[lo + 1] - capacity[lo]) * f;
    }
    if (start >= lastTime || start <= 0) {
      const i = start >= lastTime ? last : 0;
      this.arrivedAtStart = arrived[i];
      this.servedAtStart = served[i];
      this.capacityAtStart = capacity[i];
    } else {
      const lo = this.pieceOf(start);
      const f = (start - time[lo]) / (time[lo + 1] - time[lo]);
      this.arrivedAtStart = arrived[lo] + (arrived[lo + 1] - arrived[lo]) * f;
      this.servedAtStart = served[lo] + (served[lo + 1] - served[lo]) * f;
      this.capacityAtStart = capacity[lo] + (capacity[lo + 1] - capacity[lo]) * f;
    }
    if (lastSecond >= lastTime || lastSecond <= 0) {
      this.servedAtLastSecond = served[lastSecond >= lastTime ? last : 0];
    } else {
      const lo = this.pieceOf(lastSecond);
      this.servedAtLastSecond = served[lo] + (served[lo + 1] - served[lo]) * ((lastSecond - time[lo]) / (time[lo + 1] - time[lo]));
    }
  }

  /**
   * The FIFO wait of an item arriving at each of the first `n` of `times` (ascending): the item that brings
   * the arrivals to level L leaves when departures first reach L (`end` if they never do).
   */
  public waitsAt(times: ArrayLike<number>, n: number, end: number): Float64Array {
    const waits = new Float64Array(n);
    const time = this.time;
    const arrived = this.arrived;
    const served = this.served;
    const last = this.size - 1;
    const lastTime = time[last];
    const totalServed = served[last];
    let piece = 0; // arrival piece of the previous time: times only grow
    let first = 0; // first departure index of the previous level: levels only grow
    for (let k = 0; k < n; k++) {
      const t = times[k];
      // The arrivals at t.
      let level: number;
      if (t >= lastTime) {
        level = arrived[last];
      } else if (t <= 0) {
        level = arrived[0];
      } else {
        let lo = piece;
        for (let steps = 0; lo + 1 < last && time[lo + 1] <= t && steps < 16; steps++) lo++;
        if (!(time[lo] <= t && t < time[lo + 1])) lo = this.bisect(t, 0, last);
        piece = lo;
        level = arrived[lo] + (arrived[lo + 1] - arrived[lo]) * ((t - time[lo]) / (time[lo + 1] - time[lo]));
      }
      // When departures first reach it (comparisons for min and max: all values are finite, none is -0).
      const threshold = level - 1e-9 * (level > 1 ? level : 1);
      let departure: number;
      if (totalServed < threshold) {
        departure = end;
      } else {
        // The first index whose departures reach the threshold: from the previous one when every index
        // before it is below the threshold, else by bisection.
        let lo = first;
        if (lo > 0 && served[lo - 1] >= threshold) lo = 0;
        for (let steps = 0; served[lo] < threshold && steps < 16; steps++) lo++;
        if (served[lo] < threshold) {
          let hi = last;
          while (lo < hi) {
            const mid = Math.floor((lo + hi) / 2);
            if (served[mid] >= threshold) hi = mid; else lo = mid + 1;
          }
        }
        first = lo;
        if (lo === 0) {
          departure = time[0];
        } else {
          const d0 = served[lo - 1];
          const share = (level - d0) / (served[lo] - d0);
          departure = time[lo - 1] + (time[lo] - time[lo - 1]) * (share < 1 ? (share > 0 ? share : 0) : 1);
        }
      }
      const wait = departure - t;
      waits[k] = wait > 0 ? wait : 0;
    }
    return waits;
  }

  /**
   * The wait as a function of the arrival level, cut where either curve bends: linear on each segment.
   * Items still queued at the end wait until `end` (a lower bound). Keeps only the segments that wait.
   */
  public waitSummary(end: number, latencyTarget: number | undefined): WaitSummary {
    const { time, arrived, served } = this;
    const m = this.size;
    // Segments end where either curve bends: at most two per breakpoint. Unwritten room never becomes resident.
    const room = 2 * m + 2;
    const weight = new Float32Array(room);
    const w0s = new Float32Array(room);
    const w1s = new Float32Array(room);
    let count = 0;
    let maxWait = 0;
    let late = 0;
    let total = 0;
    let zero = 0;
    const totalServed = served[m - 1];
    let ia = 0; // arrival piece [ia, ia + 1]
    let id = 0; // departure piece [id, id + 1]
    let level = 0;
    const top = arrived[m - 1];
    const stop = top - 1e-12 * Math.max(1, top);
    const lastPiece = m - 2;
    // Levels are finite and never -0, so min and max are plain comparisons.
    while (level < stop) {
      while (ia < lastPiece && arrived[ia + 1] <= level) ia++;
      while (id < lastPiece && served[id + 1] <= level) id++;
      const a0 = arrived[ia];
      const a1 = arrived[ia + 1];
      // The next level where either curve bends (or the departures end).
      let nextLevel = a1 < top ? a1 : top;
      if (level < totalServed) {
        const d1 = served[id + 1];
        if (d1 > level && d1 < nextLevel) nextLevel = d1;
        if (totalServed < nextLevel) nextLevel = totalServed;
      }
      if (nextLevel <= level) {
        const bound = a1 > level ? a1 : top;
        nextLevel = top < bound ? top : bound;
      }
      if (nextLevel <= level) break;
      const items = nextLevel - level;
      if (ia === id && a1 > a0 && served[ia] === a0 && served[ia + 1] === a1 && level >= a0 && nextLevel <= a1 && nextLevel <= totalServed) {
        // No queue on this piece: both curves are the same line, so arrival and departure times coincide and
        // the wait is 0 at both ends (what the general case below computes, with less work).
        total += items;
        zero += items;
        level = nextLevel;
        continue;
      }
      // Arrival times of both levels on piece ia.
      const ta = time[ia];
      const spanA = time[ia + 1] - ta;
      const x0 = ta + spanA * (a1 > a0 ? (level - a0) / (a1 - a0) : 0);
      const x1 = ta + spanA * (a1 > a0 ? (nextLevel - a0) / (a1 - a0) : 0);
      let w0: number;
      let w1: number;
      if ((level + nextLevel) / 2 > totalServed) {
        // censored: still queued at the end
        w0 = Math.max(0, end - x0);
        w1 = Math.max(0, end - x1);
      } else {
        // Departure times of both levels on piece id (`end` past the last departure).
        const d0 = served[id];
        const d1 = served[id + 1];
        const td = time[id];
        const spanD = time[id + 1] - td;
        const y0 = level > totalServed + 1e-9 * Math.max(1, level) ? end
          : td + spanD * (d1 > d0 ? Math.min(1, Math.max(0, (level - d0) / (d1 - d0))) : 1);
        const y1 = nextLevel > totalServed + 1e-9 * Math.max(1, nextLevel) ? end
          : td + spanD * (d1 > d0 ? Math.min(1, Math.max(0, (nextLevel - d0) / (d1 - d0))) : 1);
        w0 = Math.max(0, y0 - x0);
        w1 = Math.max(0, y1 - x1);
      }
      maxWait = Math.max(maxWait, w0, w1);
      if (latencyTarget !== undefined) late += (x1 - x0) * shareAbove(w0, w1, latencyTarget);
      total += items;
      if (w0 <= 0 && w1 <= 0) {
        zero += items;
      } else {
        weight[count] = items;
        w0s[count] = w0;
        w1s[count] = w1;
        count++;
      }
      level = nextLevel;
    }
    return { maxWait, late, total, zero, count, weight, w0: w0s, w1: w1s };
  }

  /** Drops the capacity curve (read by `sample` and `sampleWindow` only) once the run no longer needs them. */
  public releaseCapacity(): void {
    this.capacity = new Float64Array(0);
  }

  /** Grows the room of the arrays by half. */
  private grow(): void {
    const bigger = (a: Float64Array): Float64Array => {
      const b = new Float64Array(Math.ceil(a.length * 1.5));
      b.set(a);
      return b;
    };
    this.time = bigger(this.time);
    this.arrived = bigger(this.arrived);
    this.served = bigger(this.served);
    this.capacity = bigger(this.capacity);
    if (this.failed !== undefined) this.failed = bigger(this.failed);
  }

  private valueAt(values: Float64Array, t: number): number {
    const time = this.time;
    const last = this.size - 1;
    if (t >= time[last]) return values[last];
    if (t <= 0) return values[0];
    const lo = this.pieceOf(t);
    return values[lo] + (values[lo + 1] - values[lo]) * ((t - time[lo]) / (time[lo + 1] - time[lo]));
  }

  /** The piece [lo, lo + 1] holding `t` (0 < t < last time). Queries are mostly near the end: search back from it. */
  private pieceOf(t: number): number {
    const time = this.time;
    let lo = this.size - 2;
    for (let steps = 0; time[lo] > t && steps < 16; steps++) lo--;
    return time[lo] > t ? this.bisect(t, 0, lo) : lo;
  }

  /** The piece holding `t`, by bisection between pieces `lo` and `hi` (time[lo] <= t < time[hi]). */
  private bisect(t: number, lo: number, hi: number): number {
    const time = this.time;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (time[mid] <= t) lo = mid; else hi = mid;
    }
    return lo;
  }
}

/** The share of a linear ramp from w0 to w1 that lies above `target`. */
function shareAbove(w0: number, w1: number, target: number): number {
  const lo = Math.min(w0, w1);
  const hi = Math.max(w0, w1);
  if (lo > target) return 1;
  if (hi <= target) return 0;
  return (hi - target) / (hi - lo);
}

/** The share of a linear ramp from w0 to w1 that lies at or below `v`. */
function shareAtMost(w0: number, w1: number, v: number): number {
  const lo = Math.min(w0, w1);
  const hi = Math.max(w0, w1);
  if (hi <= v) return 1;
  if (lo > v) return 0;
  return (v - lo) / (hi - lo);
}

/**
 * The smallest wait v such that items waiting at most v make up `q` of all items: bisection on the CDF,
 * over the segments that wait at all (usually a small share of the run).
 */
export function weightedPercentile(waits: WaitSummary, q: number): number {
  const { total, zero, count, weight, w0, w1 } = waits;
  const max = waits.maxWait;
  const needed = q * total * (1 - 1e-12);
  if (total <= 0 || max <= 0 || zero >= needed) return 0;
  const cdf = (v: number): number => {
    let covered = zero;
    for (let k = 0; k < count; k++) covered += weight[k] * shareAtMost(w0[k], w1[k], v);
    return covered;
  };
  let lo = 0;
  let hi = max;
  for (let i = 0; i < 50 && hi - lo > 1e-9 * max; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) >= needed) hi = mid; else lo = mid;
  }
  return hi;
}
