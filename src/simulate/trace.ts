import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';
import { DEMAND_POINTS } from './options-check';
import { checkTraceTime, TraceCsvReader } from './trace-csv';
import { checkValue, fail, number, string } from '../validate/check';

const CSV = 'DemandTrace.fromCsv';
const CSV_FILE = 'DemandTrace.fromCsvFile';

/** Bytes read from a trace file at a time. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * One step of a demand trace.
 */
export interface DemandPoint {
  /** Seconds from the start of the run. */
  readonly time: number;
  /** Work items arriving per second from `time` until the next point (ignored on the last point, which ends the run). */
  readonly arrivalsPerSecond: number;
}

/**
 * Demand over time: a piecewise-constant arrival rate. The last point ends the run.
 *
 * Limits: at most 366 days (the last time is at most 31,622,400 s) and at most 15,000,000 points.
 */
export class DemandTrace {
  /**
   * Parses CSV with a header `time,arrivals` (more columns are ignored): seconds from the start and
   * arrivals per second from that time until the next row. Blank lines and `#` comments are skipped.
   */
  public static fromCsv(text: string): DemandTrace {
    checkValue(CSV, 'text', text, string({ minLength: 0, fix: 'pass the CSV file\'s text, e.g. fs.readFileSync(path, "utf8")' }));
    const reader = new TraceCsvReader(CSV, 'text', text);
    reader.feed(text);
    const { times, rates } = reader.finish();
    return new DemandTrace(times, rates);
  }

  /**
   * Reads a CSV file as `fromCsv` parses text, a chunk at a time: the file is never held whole in memory
   * (a trace keeps 16 bytes per row).
   */
  public static fromCsvFile(path: string): DemandTrace {
    checkValue(CSV_FILE, 'path', path, string({ fix: 'pass the path of the trace CSV file' }));
    const reader = new TraceCsvReader(CSV_FILE, 'path', path);
    const unreadable = (e: unknown): never => fail({ scope: CSV_FILE, prop: 'path' }, path,
      `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'pass the path of an existing, readable CSV file');
    let fd = -1;
    try {
      fd = fs.openSync(path, 'r');
    } catch (e) {
      unreadable(e);
    }
    const read = (buffer: Buffer): number => {
      try {
        return fs.readSync(fd, buffer, 0, buffer.length, null);
      } catch (e) {
        return unreadable(e);
      }
    };
    try {
      // The shortest row is 4 bytes ("0,1\n").
      reader.reserve(fs.fstatSync(fd).size / 4 + 2);
      const buffer = Buffer.alloc(CHUNK_BYTES);
      // Decodes UTF-8 across chunk boundaries.
      const decoder = new StringDecoder('utf8');
      for (;;) {
        const n = read(buffer);
        if (n === 0) break;
        reader.feed(decoder.write(n === CHUNK_BYTES ? buffer : buffer.subarray(0, n)));
      }
      reader.feed(decoder.end());
    } finally {
      fs.closeSync(fd);
    }
    const { times, rates } = reader.finish();
    return new DemandTrace(times, rates);
  }

  /**
   * A trace from points in time order; the first must be at time 0 and the last ends the run.
   * Times and rates must be finite numbers >= 0, times strictly increasing.
   */
  public static fromPoints(points: DemandPoint[]): DemandTrace {
    checkValue('DemandTrace.fromPoints', 'points', points, DEMAND_POINTS);
    const times = new Float64Array(points.length);
    const rates = new Float64Array(points.length);
    points.forEach((p, i) => {
      checkTraceTime(p.time, i > 0 ? times[i - 1] : 0, i, () => ({ scope: 'DemandTrace.fromPoints', prop: `points[${i}].time` }),
        'start the trace with { time: 0, arrivalsPerSecond: ... }');
      times[i] = p.time;
      rates[i] = p.arrivalsPerSecond;
    });
    return new DemandTrace(times, rates);
  }

  /** The length of the run in seconds (the time of the last point). */
  public readonly durationSeconds: number;
  /** The number of points. */
  public readonly pointCount: number;
  /**
   * The times of the points (checked: from 0, strictly increasing).
   * @internal
   */
  public readonly _times: Float64Array;
  /**
   * The arrival rates of the points.
   * @internal
   */
  public readonly _rates: Float64Array;

  private constructor(times: Float64Array, rates: Float64Array) {
    this._times = times;
    this._rates = rates;
    this.pointCount = times.length;
    this.durationSeconds = times[times.length - 1];
  }

  /** The points, in time order (a new array on each call: a long trace is kept as two number columns). */
  public get points(): DemandPoint[] {
    const out: DemandPoint[] = new Array(this.pointCount);
    for (let i = 0; i < this.pointCount; i++) out[i] = { time: this._times[i], arrivalsPerSecond: this._rates[i] };
    return out;
  }

  /** The arrival rate in effect at `time` (0 after the end). */
  public rateAt(time: number): number {
    checkValue('DemandTrace.rateAt', 'time', time, number());
    if (time < 0 || time >= this.durationSeconds) return 0;
    const times = this._times;
    let lo = 0;
    let hi = this.pointCount - 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      if (times[mid] <= time) lo = mid; else hi = mid - 1;
    }
    return this._rates[lo];
  }

  /** The number of items arriving in [startSeconds, endSeconds). */
  public arrivalsBetween(startSeconds: number, endSeconds: number): number {
    checkValue('DemandTrace.arrivalsBetween', 'startSeconds', startSeconds, number());
    checkValue('DemandTrace.arrivalsBetween', 'endSeconds', endSeconds, number());
    const times = this._times;
    let total = 0;
    for (let i = 0; i < this.pointCount - 1; i++) {
      const start = Math.max(startSeconds, times[i]);
      const end = Math.min(endSeconds, times[i + 1]);
      if (end > start) total += (end - start) * this._rates[i];
    }
    return total;
  }
}
