import { DEMAND_POINTS } from './options-check';
import { checkValue, fail, number, string } from '../validate/check';

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
    checkValue('DemandTrace.fromCsv', 'text', text, string({ minLength: 0, fix: 'pass the CSV file\'s text, e.g. fs.readFileSync(path, "utf8")' }));
    const lines = text.split(/\r?\n/).map(l => l.trim()).filter(l => l !== '' && !l.startsWith('#'));
    if (lines.length === 0) throw new Error('trace: empty file; expected a header "time,arrivals" and at least two rows');
    const header = lines[0].split(',').map(h => h.trim().toLowerCase());
    const timeCol = header.indexOf('time');
    const arrivalsCol = header.indexOf('arrivals');
    if (timeCol < 0 || arrivalsCol < 0) {
      throw new Error(`trace: header must name the columns "time" and "arrivals", got "${lines[0]}"`);
    }
    const points = lines.slice(1).map((line, i) => {
      const cells = line.split(',').map(c => c.trim());
      const time = Number(cells[timeCol]);
      const arrivals = Number(cells[arrivalsCol]);
      if (cells[timeCol] === undefined || cells[timeCol] === '' || !Number.isFinite(time)) {
        throw new Error(`trace: row ${i + 2}: time "${cells[timeCol] ?? ''}" is not a number of seconds`);
      }
      if (cells[arrivalsCol] === undefined || cells[arrivalsCol] === '' || !Number.isFinite(arrivals)) {
        throw new Error(`trace: row ${i + 2}: arrivals "${cells[arrivalsCol] ?? ''}" is not a number per second`);
      }
      return { time, arrivalsPerSecond: arrivals };
    });
    if (points.length < 2) throw new Error('trace: needs at least two points, one per row (the last one ends the run)');
    points.forEach((p, i) => {
      if (p.time < 0) throw new Error(`trace: row ${i + 2}: time ${p.time} must be >= 0`);
      if (p.arrivalsPerSecond < 0) throw new Error(`trace: row ${i + 2}: arrivals must be >= 0, got ${p.arrivalsPerSecond}`);
    });
    return new DemandTrace(points, 'DemandTrace.fromCsv');
  }

  /**
   * A trace from points in time order; the first must be at time 0 and the last ends the run.
   * Times and rates must be finite numbers >= 0, times strictly increasing.
   */
  public static fromPoints(points: DemandPoint[]): DemandTrace {
    checkValue('DemandTrace.fromPoints', 'points', points, DEMAND_POINTS);
    return new DemandTrace(points, 'DemandTrace.fromPoints');
  }

  /** The points, in time order. */
  public readonly points: DemandPoint[];
  /** The length of the run in seconds (the time of the last point). */
  public readonly durationSeconds: number;

  /** `points` are well-formed (`DEMAND_POINTS`); the order is checked here. */
  private constructor(points: DemandPoint[], site: string) {
    const csv = site === 'DemandTrace.fromCsv';
    const where = (i: number) => (csv ? `trace: row ${i + 2}` : `points[${i}].time`);
    if (points[0].time !== 0) {
      if (csv) throw new Error(`trace: the first point must be at time 0, got ${points[0].time}`);
      fail({ scope: site, prop: where(0) }, points[0].time, 'must be 0 (the trace starts at time 0)', 'start the trace with { time: 0, arrivalsPerSecond: ... }');
    }
    points.forEach((p, i) => {
      if (i > 0 && !(p.time > points[i - 1].time)) {
        if (csv) throw new Error(`trace: point ${i + 1}: times must increase strictly (${points[i - 1].time} then ${p.time})`);
        fail({ scope: site, prop: where(i) }, p.time, `must be greater than the previous point's time (${points[i - 1].time})`, 'list the points in strictly increasing time order');
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
