import { observationMilliShare, observationToMilli, parsedFloor, parsedMilliValue, parseQuantity, quantityApproximateFloat, quantityMilliValue } from '../../src/simulate/quantity-math';

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

describe('exact and per-pod quantity maths', () => {
  test('parsedFloor is floor(value * multiplier / divisor), exactly', () => {
    expect(parsedFloor(parseQuantity('0.166667'), 1000 * 6, 1)).toBe(1000); // 1000.002
    expect(parsedFloor(parseQuantity('166667u'), 1000, 1)).toBe(166);
    expect(parsedFloor(parseQuantity('69.9999'), 1, 1)).toBe(69);
    expect(parsedFloor(parseQuantity('0.15125'), 1000 * 4, 5)).toBe(121); // 605 / 5
    expect(parsedFloor(parseQuantity('1Ki'), 1, 1000)).toBe(1);
    expect(parsedMilliValue(parseQuantity('0.166667'))).toBe(167);
  });

  test('observationMilliShare: the pods\' whole milli-value total, shared in integers', () => {
    expect(observationMilliShare(0.166667, 6, 6)).toBe(166);
    expect(observationMilliShare(0.15125, 4, 5)).toBe(121); // total 605m
    expect(observationMilliShare(0.151, 4, 5)).toBe(120); // a whole milli-value: 604 / 5
    // float noise around a whole milli-value or a whole total is that value
    expect(observationMilliShare(0.1 + 0.2, 3, 3)).toBe(300);
    expect(observationMilliShare(0.0015, 2, 1)).toBe(3);
    expect(observationMilliShare(0.29999999999999993, 1, 1)).toBe(300);
  });
});
