/**
 * The README's request-buffering table is the output of examples/compare-request-buffering.ts: it changes only
 * with the simulator, the constructs or the example.
 */
import * as fs from 'fs';
import * as path from 'path';
import { requestBufferingComparison } from '../../examples/compare-request-buffering';

const lines = requestBufferingComparison();
const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

test('the README shows the table the comparison prints', () => {
  expect(readme).toContain(lines.join('\n'));
});

test('the comparison says what the README says about it', () => {
  const rows = lines.slice(2).map(l => l.split(' | ').map(c => c.replace(/^\| |\s\|$/g, '')));
  const [none, short, minute, derived] = rows;
  const num = (c: string) => Number(c.replace(/[, s]/g, ''));
  // no holder: the service never wakes, every request fails
  expect(none[1]).toBe('0..0');
  expect(num(none[4])).toBeGreaterThan(0);
  // a hold shorter than the cold start fails requests; the derived hold fails none, the first waits 135 s
  expect(num(short[4])).toBeGreaterThan(num(minute[4]));
  expect(num(minute[4])).toBeGreaterThan(0);
  expect(num(derived[4])).toBe(0);
  expect(derived[5]).toBe('135 s');
  expect(readme).toContain('the first pod is ready 135 s after');
  for (const r of [short, minute, derived]) expect(num(r[3])).toBe(num(derived[3]));
});
