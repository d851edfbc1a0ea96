import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Warnings } from '../src';
import { errorOf } from './error-of';

describe('Warnings: arguments are checked (issue 11)', () => {

  test('scope, id, message and reason', () => {
    const chart = Testing.chart();
    expect(errorOf(() => Warnings.add({} as any, 'ML-W-X', 'm'))).toBe(
      '[Warnings.add] scope={}: must be a Construct, got an object. Fix: pass the construct the warning is about (or a parent of it).');
    expect(errorOf(() => Warnings.add(chart, 'ML W X', 'm'))).toContain('[Warnings.add] id="ML W X": is not a warning ID');
    expect(errorOf(() => Warnings.add(chart, 'ML-W-X', ''))).toContain('[Warnings.add] message="": must not be empty');
    expect(errorOf(() => Warnings.acknowledge(chart, 'ML-W-X', undefined as any))).toContain(
      '[Warnings.acknowledge] reason=undefined: must be a non-empty string');
    expect(errorOf(() => Warnings.acknowledge(chart, 5 as any, 'why'))).toContain('[Warnings.acknowledge] id=5: must be a warning ID');
    Warnings.add(chart, 'ML-W-X', 'something');
    Warnings.acknowledge(chart, 'ML-W-X', 'fine here');
    expect(Warnings.of(chart)).toEqual([]);
  });

  test('property: junk arguments are rejected with the entry point and the argument, never a TypeError', () => {
    const junk: fc.Arbitrary<any> = fc.oneof(fc.anything(), fc.constantFrom('', null, undefined, NaN, 'ML-W-X', '🙂'), fc.string());
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 }), junk, (which, v) => {
      const chart = Testing.chart();
      const args: any[] = [chart, 'ML-W-REPLICAS-ON-AUTOSCALED', 'text']; // a known ID: acknowledge rejects unknown ones
      args[which] = v;
      const names = ['scope', 'id', 'message'];
      for (const [method, last] of [['add', 'message'], ['acknowledge', 'reason']] as const) {
        try {
          (Warnings as any)[method](...args);
        } catch (e) {
          expect(e).not.toBeInstanceOf(TypeError);
          expect((e as Error).message).toMatch(new RegExp(`^\\[Warnings\\.${method}\\] ${which === 2 ? last : names[which]}=`));
        }
      }
    }), { numRuns: 200 });
  });
});
