/**
 * The README's "Scale to zero: the HPA (1.37) or KEDA?" table is the output of
 * examples/compare-scale-to-zero.ts: it changes only with the simulator or the constructs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { scaleToZeroComparison } from '../../examples/compare-scale-to-zero';

test('the README shows the table the comparison prints', () => {
  const lines = scaleToZeroComparison();
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  expect(readme).toContain(lines.join('\n'));
});

test('the comparison says what the README says about it', () => {
  const rows = scaleToZeroComparison().slice(2).map(l => l.split(' | ').map(c => c.replace(/^\| |\s\|$/g, '')));
  const byName = (prefix: string) => rows.find(r => r[0].startsWith(prefix))!;
  const [hpaDefault, hpaFast, keda, kedaActivation, alwaysOn] = [
    byName('HPA, minReplicas 0 (library'), byName('HPA, minReplicas 0, scale-up window 0'), byName('KEDA, activation 0'),
    byName('KEDA, activation 5'), byName('HPA, minReplicas 1'),
  ];
  const seconds = (c: string) => Number(c.replace(' s', ''));
  // the default 60 s scale-up window delays waking; without it the HPA wakes as fast as KEDA
  expect(seconds(hpaDefault[4])).toBe(seconds(keda[4]) + 45);
  expect(hpaFast[4]).toBe(keda[4]);
  // an activation threshold above the trickle parks the service between bursts: more cold starts
  expect(Number(kedaActivation[3])).toBeGreaterThan(Number(keda[3]));
  // scale to zero saves GPU-hours against the always-on baseline
  for (const r of [hpaDefault, hpaFast, keda]) expect(Number(r[6])).toBeLessThan(Number(alwaysOn[6]) * 0.8);
  expect(alwaysOn[3]).toBe('0');
});
