import { fail, Site } from '../validate/check';

/**
 * The size limits of one simulation, so its time and memory stay bounded by what is simulated
 * (each is stated in `simulate --help` and the README).
 */

/** The longest trace the simulator runs, in seconds: 366 days. */
export const MAX_TRACE_SECONDS = 366 * 24 * 3600;

/** The most rows (points) a trace may have: 16 bytes each, so at most 240 MB. */
export const MAX_TRACE_ROWS = 15_000_000;

/** The most steps of one run: syncs, polls and timeline rows, plus the trace's points. */
export const MAX_STEPS = 20_000_000;

/** The most timeline rows of one run (each becomes an object and a CSV line). */
export const MAX_TIMELINE_ROWS = 2_500_000;

/**
 * The most stored recommendations and scale events the HPA controller may review over a run: each sync
 * reviews those of its longest window (stabilization windows, policy periods), as the real controller does.
 */
export const MAX_CONTROLLER_WORK = 1_000_000_000;

/** Thousands separators, for the numbers in messages. */
export function count(n: number): string {
  return Math.ceil(n).toLocaleString('en-US');
}

/** The size of a run, as `checkRunSize` reads it. */
export interface RunSize {
  readonly durationSeconds: number;
  readonly tracePoints: number;
  readonly syncPeriodSeconds: number;
  readonly outputIntervalSeconds: number;
  /** The KEDA polling interval, if any. */
  readonly pollPeriodSeconds?: number;
  /** How far back the HPA controller's memory reaches (its longest window), in seconds. */
  readonly historySeconds: number;
}

/**
 * Refuses a run beyond the limits. `syncSite` and `outputSite` name the sync period and the output
 * interval in errors (the CLI maps them to its flags). A fix names the shortest period that meets every limit.
 */
export function checkRunSize(size: RunSize, syncSite: Site, outputSite: Site): void {
  const end = size.durationSeconds;
  const sync = size.syncPeriodSeconds;
  const output = size.outputIntervalSeconds;
  const polls = size.pollPeriodSeconds !== undefined ? end / size.pollPeriodSeconds : 0;
  const stepsAt = (s: number, o: number): number => end / s + polls + end / o + size.tracePoints;
  const workAt = (s: number): number => (end / s) * Math.min(end / s, Math.floor(size.historySeconds / s) + 1);
  const rowsAt = (o: number): number => end / o;
  const together = sync === output;
  // The shortest periods meeting every limit (by bisection on a log scale: each count falls as the period grows).
  const least = (ok: (period: number) => boolean): number => {
    if (!ok(end)) return NaN;
    let lo = 1e-9;
    let hi = end;
    for (let i = 0; i < 200 && hi - lo > 1e-6 * hi; i++) {
      const mid = Math.sqrt(lo * hi);
      if (ok(mid)) hi = mid; else lo = mid;
    }
    return Math.ceil(hi * 1000) / 1000;
  };
  const okSync = (s: number): boolean => workAt(s) <= MAX_CONTROLLER_WORK && stepsAt(s, together ? s : output) <= MAX_STEPS
    && (!together || rowsAt(s) <= MAX_TIMELINE_ROWS);
  const okOutput = (o: number): boolean => rowsAt(o) <= MAX_TIMELINE_ROWS && stepsAt(together ? o : sync, o) <= MAX_STEPS
    && (!together || workAt(o) <= MAX_CONTROLLER_WORK);
  const fix = (period: number): string => Number.isFinite(period)
    ? `use at least ${period} s, or a shorter trace` : 'use a shorter or coarser trace';

  const syncs = end / sync;
  const work = workAt(sync);
  if (!(work <= MAX_CONTROLLER_WORK)) {
    fail(syncSite, sync, `makes the HPA controller review ${count(work)} stored recommendations (${count(syncs)} syncs, each over the ` +
      `last ${size.historySeconds} s of its windows; at most ${count(MAX_CONTROLLER_WORK)} in all)`, fix(least(okSync)));
  }
  const rows = rowsAt(output);
  if (!(rows <= MAX_TIMELINE_ROWS)) {
    fail(outputSite, output, `makes ${count(rows)} timeline rows over the ${end} s trace (at most ${count(MAX_TIMELINE_ROWS)})`, fix(least(okOutput)));
  }
  const steps = stepsAt(sync, output);
  if (!(steps <= MAX_STEPS)) {
    fail(syncSite, sync, `makes ${count(steps)} steps (${count(syncs)} syncs, ${count(polls)} polls, ${count(rows)} timeline rows, ` +
      `${count(size.tracePoints)} trace points) over the ${end} s trace (at most ${count(MAX_STEPS)})`, fix(least(okSync)));
  }
}
