import { MAX_TRACE_ROWS, MAX_TRACE_SECONDS } from './limits';
import { fail, Site } from '../validate/check';

/**
 * The incremental reader of trace CSV (`time,arrivals`): takes the text in chunks of any size and keeps the
 * rows in two typed arrays (16 bytes a row), so a trace file is never held as one string or as row objects.
 */

const TIME_WHAT = 'a number of seconds';
const TIME_FIX = 'write the seconds from the start of the run, e.g. 60';
const RATE_WHAT = 'a number per second';
const RATE_FIX = 'write the arrivals per second, e.g. 5';
const ROW_FORMAT = '"<seconds from the start>,<arrivals per second>" (e.g. "0,5" and "60,0")';

/**
 * Two columns that grow (by half) as rows come. Room reserved up front costs address space only: the
 * pages of a large typed array become resident when written.
 */
export class TraceColumns {
  public size = 0;
  public times: Float64Array;
  public rates: Float64Array;

  constructor(room = 1024) {
    this.times = new Float64Array(room);
    this.rates = new Float64Array(room);
  }

  /** Makes room for `rows` rows in all (e.g. a file's size divided by its shortest possible row). */
  public reserve(rows: number): void {
    if (rows <= this.times.length) return;
    const times = new Float64Array(rows);
    times.set(this.times.subarray(0, this.size));
    const rates = new Float64Array(rows);
    rates.set(this.rates.subarray(0, this.size));
    this.times = times;
    this.rates = rates;
  }

  public push(time: number, rate: number): void {
    if (this.size === this.times.length) {
      const room = Math.ceil(this.size * 1.5) + 16;
      const times = new Float64Array(room);
      times.set(this.times);
      const rates = new Float64Array(room);
      rates.set(this.rates);
      this.times = times;
      this.rates = rates;
    }
    this.times[this.size] = time;
    this.rates[this.size] = rate;
    this.size++;
  }

  /** The columns cut to their size (views: the spare room was never written, so it never became resident). */
  public trimmed(): { times: Float64Array; rates: Float64Array } {
    return { times: this.times.subarray(0, this.size), rates: this.rates.subarray(0, this.size) };
  }
}

/**
 * Checks of a trace's time column, shared by CSV and points: starts at 0, strictly increasing, within
 * `MAX_TRACE_SECONDS`. `index` is the point's index; `site` names it in errors.
 */
export function checkTraceTime(time: number, previous: number, index: number, site: () => Site, startFix: string): void {
  if (index === 0) {
    if (time !== 0) fail(site(), time, 'must be 0 (the trace starts at time 0)', startFix);
    return;
  }
  if (!(time > previous)) {
    fail(site(), time, `must be greater than the previous point's time (${previous}): times increase strictly`,
      'list the points in strictly increasing time order');
  }
  if (time > MAX_TRACE_SECONDS) {
    fail(site(), time, `is past the longest run the simulator takes, ${MAX_TRACE_SECONDS.toLocaleString('en-US')} s (366 days)`,
      'write seconds from the start of the run, not timestamps (epoch milliseconds? subtract the first time and divide by 1000), ' +
      'or split the trace');
  }
}

/**
 * Reads trace CSV fed in chunks (`feed`, then `finish`). `scope` is the entry point and `prop` the argument
 * holding the CSV (`text`, `path`) in errors, which name the row (line number, blank and comment lines counted).
 */
export class TraceCsvReader {
  private readonly columns = new TraceColumns();
  /** The start of a line split across chunks. */
  private carry = '';
  /** Lines seen so far (the row number of the last one). */
  private line = 0;
  private timeCol = -1;
  private arrivalsCol = -1;
  private headerSeen = false;

  /** `shown` is the value errors about the whole input show (the text, or the file's path). */
  constructor(private readonly scope: string, private readonly prop: string, private readonly shown: unknown) {}

  /** Reserves room for `rows` rows (at most `MAX_TRACE_ROWS` + 1). */
  public reserve(rows: number): void {
    this.columns.reserve(Math.min(Math.ceil(rows), MAX_TRACE_ROWS + 1));
  }

  /** Reads the complete lines of `chunk` (after what earlier chunks left over). */
  public feed(chunk: string): void {
    let text = this.carry + chunk;
    let start = 0;
    let nl = text.indexOf('\n', start);
    while (nl >= 0) {
      this.readLine(text, start, nl);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.carry = text.slice(start);
    text = '';
  }

  /** Reads the last line and returns the columns. */
  public finish(): { times: Float64Array; rates: Float64Array } {
    const whole = this.shown;
    if (this.carry !== '') this.readLine(this.carry, 0, this.carry.length);
    this.carry = '';
    if (!this.headerSeen) {
      fail({ scope: this.scope, prop: this.prop }, whole, 'has no header and no rows', `start with the header "time,arrivals", then at least two rows ${ROW_FORMAT}`);
    }
    if (this.columns.size < 2) {
      fail({ scope: this.scope, prop: this.prop }, whole, `has ${this.columns.size} row(s); a trace needs at least two points, one per row (the last one ends the run)`,
        `add rows ${ROW_FORMAT}`);
    }
    return this.columns.trimmed();
  }

  private readLine(text: string, from: number, to: number): void {
    this.line++;
    let a = from;
    let b = to;
    while (a < b && isSpace(text.charCodeAt(a))) a++;
    while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
    if (a === b || text.charCodeAt(a) === 35 /* # */) return;
    const line = text.slice(a, b);
    if (!this.headerSeen) {
      const header = line.split(',').map(h => h.trim().toLowerCase());
      this.timeCol = header.indexOf('time');
      this.arrivalsCol = header.indexOf('arrivals');
      if (this.timeCol < 0 || this.arrivalsCol < 0) {
        fail({ scope: this.scope, prop: this.prop }, this.shown, `has the header "${line.slice(0, 80)}", which does not name the columns "time" and "arrivals"`,
          'start with the header "time,arrivals" (more columns are ignored)');
      }
      this.headerSeen = true;
      return;
    }
    const columns = this.columns;
    if (columns.size >= MAX_TRACE_ROWS) {
      fail({ scope: this.scope, prop: `${this.prop} (row ${this.line})` }, columns.size + 1,
        `is one row too many: a trace has at most ${MAX_TRACE_ROWS.toLocaleString('en-US')} rows`, 'use coarser steps (e.g. one row per second or per minute)');
    }
    let time: number;
    let rate: number;
    const comma = line.indexOf(',');
    if (this.timeCol === 0 && this.arrivalsCol === 1 && comma > 0 && line.indexOf(',', comma + 1) < 0) {
      // "time,arrivals": no cells array (Number() ignores the spaces around a number)
      time = Number(line.slice(0, comma));
      rate = Number(line.slice(comma + 1));
      if (!(time >= 0 && time < Infinity && rate >= 0 && rate < Infinity) || comma + 1 === line.length) {
        const cells = line.split(',');
        time = this.cell(cells, 0, 'time', TIME_WHAT, TIME_FIX);
        rate = this.cell(cells, 1, 'arrivals', RATE_WHAT, RATE_FIX);
      }
    } else {
      const cells = line.split(',');
      time = this.cell(cells, this.timeCol, 'time', TIME_WHAT, TIME_FIX);
      rate = this.cell(cells, this.arrivalsCol, 'arrivals', RATE_WHAT, RATE_FIX);
    }
    const n = columns.size;
    if (n === 0 || !(time > columns.times[n - 1]) || time > MAX_TRACE_SECONDS) {
      const row = this.line;
      checkTraceTime(time, n > 0 ? columns.times[n - 1] : 0, n,
        () => ({ scope: this.scope, prop: `${this.prop} (row ${row}, time)` }), 'make the first row "0,<arrivals per second>"');
    }
    columns.push(time, rate);
  }

  private cell(cells: string[], col: number, name: string, what: string, fix: string): number {
    const raw = (cells[col] ?? '').trim();
    const value = raw === '' ? NaN : Number(raw);
    if (!Number.isFinite(value)) fail({ scope: this.scope, prop: `${this.prop} (row ${this.line}, ${name})` }, raw, `is not ${what}`, fix);
    if (value < 0) fail({ scope: this.scope, prop: `${this.prop} (row ${this.line}, ${name})` }, raw, 'must be >= 0', fix);
    return value;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10 || c === 0xfeff;
}
