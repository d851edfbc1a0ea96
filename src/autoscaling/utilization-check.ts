import { Check, integer } from '../validate/check';

/** A utilization target: a whole percentage of at least 1 (int32, as the API server stores it). */
export const UTILIZATION_PERCENT: Check = integer({
  min: 1,
  fix: 'use a whole percentage of at least 1, e.g. 70 (more than 100 is allowed: usage above the request)',
});
