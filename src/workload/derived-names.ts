import { IConstruct } from 'constructs';
import { propError } from '../errors';

/**
 * Checks a name the construct derives from a prop (`<name>-hpa`, `<name>-scaler`, ...) against the
 * limit of where it ends up, and reports it on the prop the user set, with the prop that overrides it.
 * @param limit 253 for object names, 63 where the name is also a label value
 * @param override the prop that sets the derived name directly, e.g. `hpaName`
 */
export function checkDerivedName(scope: IConstruct, prop: string, value: string, derived: string, what: string,
  limit: number, override: string): void {
  if (derived.length <= limit) return;
  const why = limit === 63 ? `, which is also a label value (at most ${limit} characters)` : ` (at most ${limit} characters)`;
  throw propError(scope, prop, value, `makes the ${what} "${derived}" of ${derived.length} characters${why}`,
    `shorten ${prop} to at most ${limit - (derived.length - value.length)} characters, or set ${override}`);
}
