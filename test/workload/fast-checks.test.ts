import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Check, checkValue, mapOf, string } from '../../src/validate/check';
import { fastCpu, fastDuration, fastSize, lightAnnotations, lightLabels, lightMapOf } from '../../src/validate/fast';
import { ENV_VAR_NAME } from '../../src/validate/formats';
import { annotations, labels } from '../../src/validate/values';

function messageOf(check: Check, value: unknown): string | undefined {
  try {
    checkValue('Thing', 'prop', value, check);
    return undefined;
  } catch (e) {
    expect(e).not.toBeInstanceOf(TypeError);
    return (e as Error).message;
  }
}

describe('fast variants report exactly what the shared checks report', () => {
  test.each<[string, unknown]>([
    ['valid', { 'app': 'x', 'example.com/team': 'ml' }],
    ['bad key', { 'a b': 'x' }],
    ['bad value', { app: 'a b' }],
    ['number value', { app: 5 }],
    ['not an object', 'app=x'],
  ])('labels and annotations: %s', (_label, value) => {
    expect(messageOf(lightLabels(), value)).toBe(messageOf(labels(), value));
    expect(messageOf(lightAnnotations(), value)).toBe(messageOf(annotations(), value));
    const env = string({ format: ENV_VAR_NAME });
    expect(messageOf(lightMapOf(env, string({ minLength: 0 })), value)).toBe(messageOf(mapOf(env, string({ minLength: 0 })), value));
  });

  test('memoized value checks still reject bad values after accepting good ones', () => {
    const cpu = fastCpu();
    expect(messageOf(cpu, Cpu.millis(500))).toBeUndefined();
    expect(messageOf(cpu, Cpu.millis(500))).toBeUndefined();
    expect(messageOf(cpu, Cpu.millis(0))).toContain('prop=');
    expect(messageOf(cpu, 2)).toBe('[Thing] prop=2: must be a Cpu, got a number. Fix: use Cpu.millis(n) or Cpu.units(n) with more than 0 millicores.');
    const size = fastSize();
    expect(messageOf(size, Size.gibibytes(1))).toBeUndefined();
    expect(messageOf(size, '1Gi')).toContain('must be a Size, got a string');
    const d = fastDuration({ minSeconds: 1 });
    expect(messageOf(d, Duration.seconds(30))).toBeUndefined();
    expect(messageOf(d, Duration.seconds(30))).toBeUndefined();
    expect(messageOf(d, Duration.seconds(0))).toContain('prop=0s: must be between 1 s and 2147483647 s');
    expect(messageOf(d, Duration.millis(0.5))).toContain('prop="0.5 millis": must be a whole number of seconds');
    // one unit, other amounts: not mistaken for an accepted value
    expect(messageOf(d, Duration.millis(1500))).toContain('prop=1500ms: must be a whole number of seconds');
  });
});
