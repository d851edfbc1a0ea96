/**
 * A number as KEDA reads it from trigger metadata: plain decimal notation, never exponent notation
 * (`String(1e21)` is `"1e+21"` and `String(1e-7)` is `"1e-7"`, which Go's `ParseInt` rejects and
 * people misread). The digits are JavaScript's shortest exact representation, only the decimal point
 * is moved.
 */
export function metadataNumber(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const sign = m[1];
  const digits = m[2] + (m[3] ?? '');
  const point = m[2].length + Number(m[4]); // position of the decimal point within `digits`
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
