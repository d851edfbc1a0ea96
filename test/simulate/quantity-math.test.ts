import { observationToMilli, quantityApproximateFloat, quantityMilliValue } from '../../src/simulate/quantity-math';

describe('quantity maths', () => {
  test.each([
    ['10', 10000],
    ['500m', 500],
    ['1.5', 1500],
    ['0.1', 100],
    ['100u', 1], // MilliValue rounds up
    ['1k', 1000000],
    ['1Ki', 1024000],
    ['2Gi', 2 * 1024 ** 3 * 1000],
    ['1e3', 1000000],
    [7.25, 7250],
  ])('%s is %d milli-units', (quantity, milli) => {
    expect(quantityMilliValue(quantity)).toBe(milli);
  });

  test('rejects what is not a quantity', () => {
    expect(() => quantityMilliValue('ten')).toThrow(/not a Kubernetes quantity/);
    expect(() => quantityMilliValue('1.2.3')).toThrow(/not a Kubernetes quantity/);
  });

  test('approximate floats follow mantissa times a power of ten', () => {
    expect(quantityApproximateFloat('0.05')).toBe(0.05);
    expect(quantityApproximateFloat('50m')).toBe(0.05);
    expect(quantityApproximateFloat('2')).toBe(2);
  });

  test('observations within float noise of a milli-unit are that milli-unit', () => {
    expect(observationToMilli(0.1, 'ceil')).toBe(100);
    expect(observationToMilli(1.0005, 'ceil')).toBe(1001);
    expect(observationToMilli(1.0005, 'floor')).toBe(1000);
  });
});
