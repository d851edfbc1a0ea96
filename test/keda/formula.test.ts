import * as fc from 'fast-check';
import { formulaIdentifiers } from '../../src/keda/formula';

describe('formulaIdentifiers', () => {
  test('finds trigger names, skipping functions, keywords, members and strings', () => {
    expect(formulaIdentifiers('max(queue, gpu / 70 * 5)')).toEqual(['queue', 'gpu']);
    expect(formulaIdentifiers('queue > 10 && not paused ? queue : float(0)')).toEqual(['queue', 'paused']);
    expect(formulaIdentifiers('queue + 1e3 + x.y')).toEqual(['queue', 'x']);
    expect(formulaIdentifiers('"gpu" in ["a"] ? queue : 0')).toEqual(['queue']);
    expect(formulaIdentifiers('trig_1 + trig_1')).toEqual(['trig_1']);
  });

  test('property: a sum of identifiers yields exactly those identifiers, in order, once', () => {
    const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter(s => formulaIdentifiers(s).length === 1);
    fc.assert(fc.property(fc.array(ident, { minLength: 1, maxLength: 6 }), (ids) => {
      const expected = ids.filter((id, i) => ids.indexOf(id) === i);
      expect(formulaIdentifiers(ids.join(' + '))).toEqual(expected);
    }));
  });
});
