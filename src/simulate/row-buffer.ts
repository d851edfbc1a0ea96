import { Curves } from './queue-curves';
import { TimelinePoint } from './simulation-types';

/** The most breakpoints or rows the buffers make room for up front (they grow beyond it when needed). */
const MAX_INITIAL_ROOM = 262144;

/**
 * The timeline rows, one column per field while the run goes: the row objects are made once the waits
 * are known, each in one go (no field added or changed afterwards).
 */
export class RowBuffer {
  private size = 0;
  /** Rows with room in the columns. */
  private room: number;
  private time: number[];
  private arrivals: Float64Array;
  private desired: number[];
  private ready: number[];
  private queue: Float64Array;
  private utilization: Float64Array;
  private active: Array<boolean | undefined> | undefined;

  /**
   * @param expectedSize rows to make room for (the buffer grows beyond it if needed)
   * @param withActive whether rows have the `active` field (ScaledObjects)
   */
  constructor(expectedSize: number, withActive: boolean) {
    const room = Math.max(16, Math.min(Math.ceil(expectedSize), MAX_INITIAL_ROOM));
    this.room = room;
    // Plain arrays for the times and replica counts: whole numbers stay unboxed in the row objects
    // (typed arrays hand out boxed numbers). Filled in order by `add`.
    this.time = new Array<number>(room);
    this.arrivals = new Float64Array(room);
    this.desired = new Array<number>(room);
    this.ready = new Array<number>(room);
    this.queue = new Float64Array(room);
    this.utilization = new Float64Array(room);
    this.active = withActive ? new Array<boolean | undefined>(room) : undefined;
  }

  public add(time: number, arrivals: number, desired: number, ready: number, queue: number, utilization: number, active: boolean | undefined): void {
    const k = this.size;
    if (k === this.room) this.grow();
    this.time[k] = time;
    this.arrivals[k] = arrivals;
    this.desired[k] = desired;
    this.ready[k] = ready;
    this.queue[k] = queue;
    this.utilization[k] = utilization;
    if (this.active !== undefined) this.active[k] = active;
    this.size = k + 1;
  }

  /** The rows, with the FIFO wait: the item that brings the arrivals to level L leaves when departures reach L. */
  public toTimeline(curves: Curves, end: number): TimelinePoint[] {
    const n = this.size;
    const times = this.time;
    const waits = curves.waitsAt(times, n, end);
    const { arrivals, desired, ready, queue, utilization, active } = this;
    const rows: TimelinePoint[] = new Array(n);
    for (let k = 0; k < n; k++) {
      rows[k] = active !== undefined
        ? {
          time: times[k],
          arrivalsPerSecond: arrivals[k],
          desiredReplicas: desired[k],
          readyReplicas: ready[k],
          queueDepth: queue[k],
          utilizationPercent: utilization[k],
          waitSeconds: waits[k],
          active: active[k],
        }
        : {
          time: times[k],
          arrivalsPerSecond: arrivals[k],
          desiredReplicas: desired[k],
          readyReplicas: ready[k],
          queueDepth: queue[k],
          utilizationPercent: utilization[k],
          waitSeconds: waits[k],
        };
    }
    return rows;
  }

  /** Doubles the room of the columns. */
  private grow(): void {
    const bigger = (a: Float64Array): Float64Array => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.arrivals = bigger(this.arrivals);
    this.queue = bigger(this.queue);
    this.utilization = bigger(this.utilization);
    this.room = this.arrivals.length;
    this.time.length = this.room;
    this.desired.length = this.room;
    this.ready.length = this.room;
    if (this.active !== undefined) this.active.length = this.room;
  }
}
