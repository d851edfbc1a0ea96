import { DisruptionBudgetOptions } from './disruption-budget';
import { boolean, Check, integer, optional, string, struct } from '../validate/check';
import { DNS1123_SUBDOMAIN_NAME } from '../validate/formats';

/** `DisruptionBudgetOptions` (mutual exclusions are checked where it is rendered). */
export const DISRUPTION_BUDGET: Check = struct<DisruptionBudgetOptions>('DisruptionBudgetOptions', {
  enabled: optional(boolean()),
  maxUnavailable: optional(integer({ min: 1, fix: 'set maxUnavailable to at least 1 (0 blocks every drain), or disable the budget' })),
  minAvailable: optional(integer({ min: 0 })),
  name: optional(string({ format: DNS1123_SUBDOMAIN_NAME })),
});
