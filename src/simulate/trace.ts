import { DEMAND_POINTS } from './options-check';
import { checkValue, fail, number, Site, string } from '../validate/check';

const CSV = 'DemandTrace.fromCsv';
const ROW_FORMAT = '"<seconds from the start>,<arrivals per second>" (e.g. "0,5" and "60,0")';

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
 */
export class DemandTrace {
  /**
   * Parses CSV with a header `time,arrivals` (more columns are ignored): seconds from the start and
   * arrivals per second from that time until the next row. Blank lines and `#` comments are skipped.
   */
  public static fromCsv(text: string): DemandTrace {
    checkValue(CSV, 'text', text, string({ minLength: 0, fix: 'pass the CSV file\'s text, e.g. fs.readFileSync(path, "utf8")' }));
    const rows = text.split(/\r?\n/).map((l, i) => ({ line: l.trim(), row: i + 1 })).filter(r => r.line !== '' && !r.line.startsWith('#'));
    if (rows.length === 0) {
      fail({ scope: CSV, prop: 'text' }, text, 'has no header and no rows', `start with the header "time,arrivals", then at least two rows ${ROW_FORMAT}`);
    }
    const header = rows[0].line.split(',').map(h => h.trim().toLowerCase());
    const timeCol = header.indexOf('time');
    const arrivalsCol = header.indexOf('arrivals');
    if (timeCol < 0 || arrivalsCol < 0) {
      fail({ scope: CSV, prop: 'text' }, text, `has the header "${rows[0].line.slice(0, 80)}", which does not name the columns "time" and "arrivals"`,
        'start with the header "time,arrivals" (more columns are ignored)');
    }
    const rowOf: number[] = [];
    const points = rows.slice(1).map(({ line, row }) => {
      const cells = line.split(',').map(c => c.trim());
      const cell = (col: number, name: string, what: string, fix: string): number => {
        const raw = cells[col] ?? '';
        const value = raw === '' ? NaN : Number(raw);
        if (!Number.isFinite(value)) fail({ scope: CSV, prop: `text (row ${row}, ${name})` }, raw, `is not ${what}`, fix);
        if (value < 0) fail({ scope: CSV, prop: `text (row ${row}, ${name})` }, raw, 'must be >= 0', fix);
        return value;
      };
      rowOf.push(row);
      return {
        time: cell(timeCol, 'time', 'a number of seconds', 'write the seconds from the start of the run, e.g. 60'),
        arrivalsPerSecond: cell(arrivalsCol, 'arrivals', 'a number per second', 'write the arrivals per second, e.g. 5'),
      };
    });
    if (points.length < 2) {
      fail({ scope: CSV, prop: 'text' }, text, `has ${points.length} row(s); a trace needs at least two points, one per row (the last one ends the run)`,
        `add rows ${ROW_FORMAT}`);
    }
    return new DemandTrace(points, i => ({ scope: CSV, prop: `text (row ${rowOf[i]}, time)` }), 'make the first row "0,<arrivals per second>"');
  }

  /**
   * A trace from points in time order; the first must be at time 0 and the last ends the run.
   * Times and rates must be finite numbers >= 0, times strictly increasing.
   */
  public static fromPoints(points: DemandPoint[]): DemandTrace {
    checkValue('DemandTrace.fromPoints', 'points', points, DEMAND_POINTS);
    return new DemandTrace(points, i => ({ scope: 'DemandTrace.fromPoints', prop: `points[${i}].time` }), 'start the trace with { time: 0, arrivalsPerSecond: ... }');
  }

  /** The points, in time order. */
  public readonly points: DemandPoint[];
  /** The length of the run in seconds (the time of the last point). */
  public readonly durationSeconds: number;

  /** `points` are well-formed (`DEMAND_POINTS`); the order is checked here and reported at `timeOf(i)`. */
  private constructor(points: DemandPoint[], timeOf: (index: number) => Site, startFix: string) {
    if (points[0].time !== 0) {
      fail(timeOf(0), points[0].time, 'must be 0 (the trace starts at time 0)', startFix);
    }
    points.forEach((p, i) => {
      if (i > 0 && !(p.time > points[i - 1].time)) {
        fail(timeOf(i), p.time, `must be greater than the previous point's time (${points[i - 1].time}): times increase strictly`,
          'list the points in strictly increasing time order');
      }
    });
    this.points = points.map(p => ({ time: p.time, arrivalsPerSecond: p.arrivalsPerSecond }));
    this.durationSeconds = points[points.length - 1].time;
  }

  /** The arrival rate in effect at `time` (0 after the end). */
  public rateAt(time: number): number {
    checkValue('DemandTrace.rateAt', 'time', time, number());
    if (time < 0 || time >= this.durationSeconds) return 0;
    let lo = 0;
    let hi = this.points.length - 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      if (this.points[mid].time <= time) lo = mid; else hi = mid - 1;
    }
    return this.points[lo].arrivalsPerSecond;
  }

  /** The number of items arriving in [startSeconds, endSeconds). */
  public arrivalsBetween(startSeconds: number, endSeconds: number): number {
    checkValue('DemandTrace.arrivalsBetween', 'startSeconds', startSeconds, number());
    checkValue('DemandTrace.arrivalsBetween', 'endSeconds', endSeconds, number());
    let total = 0;
    for (let i = 0; i < this.points.length - 1; i++) {
      const start = Math.max(startSeconds, this.points[i].time);
      const end = Math.min(endSeconds, this.points[i + 1].time);
      if (end > start) total += (end - start) * this.points[i].arrivalsPerSecond;
    }
    return total;
  }
}
