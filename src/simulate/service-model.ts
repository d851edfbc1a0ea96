import { fail } from '../validate/check';

/**
 * The service side of the workload model: how much one ready replica does. A replica processes up to
 * `concurrency` items at once, each for `serviceTime` seconds, so it completes `capacity = concurrency /
 * serviceTime` items per second. The options give the capacity, or the concurrency and the service time,
 * or all three when they agree; one of concurrency and service time with the capacity gives the other.
 */
export interface ServiceModel {
  /** Items one ready replica completes per second. */
  readonly capacity: number;
  /** Items one ready replica processes at once (the engine's batch). */
  readonly concurrency: number;
  /** Seconds one item takes. */
  readonly serviceTime: number;
}

/** The three options, as given (each already checked to be a finite number > 0 when present). */
export interface ServiceModelOptions {
  readonly capacityPerReplica?: number;
  readonly concurrencyPerReplica?: number;
  readonly serviceTimeSeconds?: number;
}

/** Relative tolerance of `capacity = concurrency / serviceTime` (float noise of values written by hand). */
const TOLERANCE = 1e-6;

/**
 * Resolves the service model from the options; errors name `site` and the option (`prefix` + its name,
 * e.g. `options.capacityPerReplica`) with the fix.
 */
export function serviceModelOf(options: ServiceModelOptions, site: string, prefix: string): ServiceModel {
  const capacity = options.capacityPerReplica;
  const concurrency = options.concurrencyPerReplica;
  const serviceTime = options.serviceTimeSeconds;
  const name = (key: keyof ServiceModelOptions) => `${prefix}${key}`;
  if (capacity === undefined) {
    if (concurrency === undefined && serviceTime === undefined) {
      fail({ scope: site, prop: name('capacityPerReplica') }, undefined, 'is missing: the workload model needs the capacity of one replica',
        `give ${name('capacityPerReplica')} (items one ready replica completes per second, e.g. 20), or ${name('concurrencyPerReplica')} ` +
        `and ${name('serviceTimeSeconds')} (e.g. 8 requests at once, 2 s each: 4 per second)`);
    }
    if (serviceTime === undefined) {
      fail({ scope: site, prop: name('serviceTimeSeconds') }, undefined,
        `is missing: ${name('concurrencyPerReplica')}=${concurrency} alone does not give the capacity of one replica`,
        `give ${name('serviceTimeSeconds')} too (how long one item takes; capacity = concurrency / service time), or ${name('capacityPerReplica')}`);
    }
    if (concurrency === undefined) {
      fail({ scope: site, prop: name('concurrencyPerReplica') }, undefined,
        `is missing: ${name('serviceTimeSeconds')}=${serviceTime} alone does not give the capacity of one replica`,
        `give ${name('concurrencyPerReplica')} too (items one replica processes at once, e.g. the engine's maximum batch), or ${name('capacityPerReplica')}`);
    }
    return { capacity: concurrency / serviceTime, concurrency, serviceTime };
  }
  if (concurrency === undefined && serviceTime === undefined) return { capacity, concurrency: 1, serviceTime: 1 / capacity };
  if (concurrency === undefined) return { capacity, concurrency: capacity * serviceTime!, serviceTime: serviceTime! };
  if (serviceTime === undefined) return { capacity, concurrency, serviceTime: concurrency / capacity };
  const derived = concurrency / serviceTime;
  if (Math.abs(derived - capacity) > TOLERANCE * Math.max(derived, capacity)) {
    fail({ scope: site, prop: name('capacityPerReplica') }, capacity,
      `disagrees with ${name('concurrencyPerReplica')}=${concurrency} / ${name('serviceTimeSeconds')}=${serviceTime} = ${round(derived)} items per second`,
      `give either ${name('capacityPerReplica')} or ${name('concurrencyPerReplica')} and ${name('serviceTimeSeconds')} ` +
      '(leave one of the three out and it is derived), or make capacity = concurrency / service time');
  }
  return { capacity, concurrency, serviceTime };
}

function round(n: number): string {
  return String(Number(n.toPrecision(6)));
}
