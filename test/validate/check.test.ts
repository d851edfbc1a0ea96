import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  arrayOf, boolean, checkProps, enumOf, integer, number, optional, Shape, string, struct,
} from '../../src/validate/check';
import { closestKey } from '../../src/validate/closest-key';
import { DNS1035_LABEL_NAME, ENV_VAR_NAME, LABEL_VALUE_FORMAT, QUALIFIED_NAME } from '../../src/validate/formats';
import { duration, labels, positiveCpu, positiveSize } from '../../src/validate/values';

enum Color { RED = 'Red', BLUE = 'Blue' }
interface Inner { readonly count: number }
interface Props {
  readonly name: string;
  readonly replicas?: number;
  readonly color?: Color;
  readonly enabled?: boolean;
  readonly inner?: Inner;
  readonly items?: string[];
}
const SHAPE: Shape<Props> = {
  name: string({ format: DNS1035_LABEL_NAME }),
  replicas: optional(integer({ min: 1 })),
  color: optional(enumOf(Color, 'Color')),
  enabled: optional(boolean()),
  inner: optional(struct<Inner>('Inner', { count: number({ min: 0, exclusiveMin: true }) })),
  items: optional(arrayOf(string())),
};

function scope(): Construct {
  return new Construct(Testing.chart(), 'Thing');
}

function error(props: unknown): string {
  try {
    checkProps(scope(), 'Props', SHAPE, props);
  } catch (e) {
    expect(e).not.toBeInstanceOf(TypeError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('checkProps', () => {
  test('accepts valid props', () => {
    expect(() => checkProps(scope(), 'Props', SHAPE, { name: 'svc', replicas: 3, color: Color.RED, inner: { count: 0.5 }, items: ['a'] })).not.toThrow();
  });

  test('names the construct path, the prop, the value and the fix', () => {
    expect(error({ name: 'svc', replicas: 0 })).toBe('[test/Thing] replicas=0: must be an integer in 1..2147483647, got a number. Fix: set replicas to an integer in 1..2147483647.');
  });

  test('an unknown key names the closest known key', () => {
    expect(error({ name: 'svc', replica: 3 })).toContain('replica=3: is not a property of Props. Fix: did you mean "replicas"?');
  });

  test('enums: exact values only, one error listing the allowed ones', () => {
    const msg = error({ name: 'svc', color: 'red' });
    expect(msg).toContain('color="red": must be one of Color.RED ("Red"), Color.BLUE ("Blue")');
    expect(msg).toContain('use "Red"');
  });

  test('int32 overflow, NaN and strings are rejected', () => {
    expect(error({ name: 'svc', replicas: 2 ** 31 })).toContain('replicas=2147483648');
    expect(error({ name: 'svc', replicas: NaN })).toContain('got NaN');
    expect(error({ name: 'svc', replicas: '3' })).toContain('got a string');
  });

  test('null is not "left out"', () => {
    expect(error({ name: 'svc', color: null })).toContain('leave color out instead of setting null');
  });

  test('nested structs and arrays report their path', () => {
    expect(error({ name: 'svc', inner: { count: 0 } })).toContain('inner.count=0: must be a finite number greater than 0');
    expect(error({ name: 'svc', inner: { cout: 1 } })).toContain('inner.cout=1: is not a property of Inner. Fix: did you mean "inner.count"?');
    expect(error({ name: 'svc', items: ['a', 5] })).toContain('items[1]=5');
  });

  test('missing props and non-object props', () => {
    expect(error(undefined)).toContain('props=undefined: must be a Props object. Fix: pass an object literal with at least name');
    expect(error({})).toContain('name=undefined: must be a DNS-1035 label');
    expect(error([])).toContain('must be a Props object');
  });

  test('formats: DNS-1035 service names', () => {
    expect(error({ name: '9inference' })).toContain('is not a valid DNS-1035 label');
    expect(error({ name: 'ml.inference' })).toContain('is not a valid DNS-1035 label');
    expect(error({ name: 'a'.repeat(64) })).toContain('is 64 characters long');
  });
});

describe('formats', () => {
  test('qualified names', () => {
    expect(QUALIFIED_NAME.test('app.kubernetes.io/name')).toBeUndefined();
    expect(QUALIFIED_NAME.test('Example.com/x')).toBeDefined();
    expect(QUALIFIED_NAME.test('a/b/c')).toBeDefined();
    expect(QUALIFIED_NAME.test('-x')).toBeDefined();
    expect(QUALIFIED_NAME.test('x'.repeat(64))).toBeDefined();
  });
  test('label values', () => {
    expect(LABEL_VALUE_FORMAT.test('')).toBeUndefined();
    expect(LABEL_VALUE_FORMAT.test('v1.0_a-b')).toBeUndefined();
    expect(LABEL_VALUE_FORMAT.test('a b')).toBeDefined();
    expect(LABEL_VALUE_FORMAT.test('x'.repeat(64))).toBeDefined();
  });
  test('env var names', () => {
    expect(ENV_VAR_NAME.test('MODEL_PATH')).toBeUndefined();
    expect(ENV_VAR_NAME.test('A=B')).toBeDefined();
    expect(ENV_VAR_NAME.test('')).toBeDefined();
    expect(ENV_VAR_NAME.test('1A')).toBeDefined();
  });
  test('closest key', () => {
    expect(closestKey('maxReplica', ['minReplicas', 'maxReplicas'])).toBe('maxReplicas');
    expect(closestKey('zzzzzzzz', ['minReplicas', 'maxReplicas'])).toBeUndefined();
  });
});

describe('value checks', () => {
  const at = { scope: 'X', prop: 'p' };
  test('durations are whole seconds in range', () => {
    expect(() => duration().check(Duration.seconds(3), at)).not.toThrow();
    expect(() => duration().check(Duration.millis(1500), at)).toThrow('p=1500ms: must be a whole number of seconds');
    expect(() => duration().check(120, at)).toThrow('p=120: must be a Duration, got a number');
    expect(() => duration({ maxSeconds: 3600 }).check(Duration.seconds(3601), at)).toThrow('must be between 0 s and 3600 s');
  });
  test('sizes and cpus are positive', () => {
    expect(() => positiveSize().check(Size.gibibytes(4), at)).not.toThrow();
    expect(() => positiveSize().check('4Gi', at)).toThrow('p="4Gi": must be a Size, got a string');
    expect(() => positiveSize().check(Size.gibibytes(0), at)).toThrow('must be greater than 0');
    expect(() => positiveCpu().check(Cpu.millis(500), at)).not.toThrow();
    expect(() => positiveCpu().check(Cpu.millis(0), at)).toThrow('more than 0 millicores');
    expect(() => positiveCpu().check(2, at)).toThrow('p=2: must be a Cpu, got a number');
  });
  test('label maps', () => {
    expect(() => labels().check({ 'app.kubernetes.io/name': 'x' }, at)).not.toThrow();
    expect(() => labels().check({ app: 'a b' }, at)).toThrow('p["app"]="a b"');
    expect(() => labels().check({ app: 5 }, at)).toThrow('must be a label value');
  });
});

describe('messages', () => {
  test('describe any value without throwing, shortened when long', () => {
    const at = { scope: 'X', prop: 'p' };
    const msg = (v: unknown) => {
      try {
        integer().check(v, at);
      } catch (e) {
        expect(e).not.toBeInstanceOf(TypeError);
        return (e as Error).message;
      }
      return '';
    };
    expect(msg(Symbol('s'))).toContain('p=Symbol(s)');
    expect(msg(BigInt(10))).toContain('p=10');
    expect(msg(function named() {})).toContain('p=function named');
    const circular: any = {};
    circular.self = circular;
    expect(msg(circular)).toContain('p=<object>');
    expect(msg('x'.repeat(1200))).toContain('(1202 characters)');
    expect(msg('y'.repeat(300))).toContain(`"${'y'.repeat(300)}"`);
    expect(msg(Size.gibibytes(1))).toContain('p=1048576KiB');
    expect(msg(Cpu.millis(5))).toContain('p=Cpu("5m")');
    expect(msg({ toMilliseconds: () => { throw new Error('boom'); } })).toContain('p=<object>');
  });

  test('a missing argument is named as the argument', () => {
    expect(() => checkProps('Trigger.kafka', 'KafkaTriggerOptions', SHAPE, undefined, false, 'options'))
      .toThrow('[Trigger.kafka] options=undefined: must be a KafkaTriggerOptions object');
  });

  test('closest key by prefix', () => {
    expect(closestKey('container', ['containerName', 'parameter'])).toBe('containerName');
    expect(closestKey('role', ['roleArn', 'identityOwner'])).toBe('roleArn');
  });
});
