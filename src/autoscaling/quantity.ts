/**
 * Renders a number as a Kubernetes quantity string: integers as-is, fractions in milli-units
 * ("0.5" -> "500m"), which is how the API server canonicalizes them.
 */
export function toQuantity(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const milli = Math.round(value * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}
