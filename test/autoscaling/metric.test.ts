import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { MetricTarget, Metric, ScalingPolicy } from '../../src';
import { MAX_TARGET_QUANTITY, toQuantity } from '../../src/autoscaling/quantity';
import { errorOf } from '../error-of';


/** Kubernetes quantities (k8s.io/apimachinery resource.Quantity), as the API server parses them. */
const QUANTITY = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[mkMGTPE]|)$/;

function expectPositiveQuantity(q: unknown): void {
  expect(typeof q).toBe('string');
  expect(q).toMatch(QUANTITY);
  expect(q as string).not.toMatch(/[eE]/);
  const m = /^(\d+)(m?)$/.exec(q as string);
  expect(m).not.toBeNull();
  expect(Number(m![1])).toBeGreaterThan(0);
}

describe('MetricTarget quantities', () => {
  test('integers and milli-units render exactly', () => {
    expect(MetricTarget.averageValue(10)._toKube().averageValue).toBe('10');
    expect(MetricTarget.averageValue(0.5)._toKube().averageValue).toBe('500m');
    expect(MetricTarget.averageValue(1.5)._toKube().averageValue).toBe('1500m');
    expect(MetricTarget.averageValue(0.001)._toKube().averageValue).toBe('1m');
    expect(MetricTarget.value(1.001)._toKube().value).toBe('1001m');
    expect(MetricTarget.value(MAX_TARGET_QUANTITY)._toKube().value).toBe('1000000000000000');
    expect(toQuantity(123456789.5)).toBe('123456789500m');
  });

  test('1e-4 would render "0": rejected with the smallest valid value', () => {
    expect(errorOf(() => MetricTarget.averageValue(1e-4))).toBe(
      '[MetricTarget.averageValue] value=0.0001: is below 0.001, the smallest positive quantity in milli-units (it would render as "0", which the API server rejects). '
      + 'Fix: use 0.001 ("1m"), or scale the metric so its target is a whole number.');
  });

  test('0.0015 would be rounded to "2m": rejected with the nearest valid values', () => {
    const msg = errorOf(() => MetricTarget.averageValue(0.0015));
    expect(msg).toContain('[MetricTarget.averageValue] value=0.0015: is not exact in milli-units');
    expect(msg).toContain('Fix: use 0.001 ("1m") or 0.002 ("2m")');
  });

  test('1e21 would render as "1e+21": rejected above 10^15', () => {
    const msg = errorOf(() => MetricTarget.value(1e21));
    expect(msg).toContain('[MetricTarget.value] value=1e+21: must be at most 1,000,000,000,000,000');
    expect(msg).toContain('Fix: scale the metric down');
  });

  test.each([
    [-1, 'must be greater than 0'],
    [0, 'must be greater than 0'],
    [NaN, 'must be a finite number, got NaN'],
    [Infinity, 'must be a finite number, got Infinity'],
    ['10', 'must be a number, got a string'],
    [null, 'must be a number, got null'],
    [undefined, 'must be a number, got undefined'],
  ])('averageValue(%p) is rejected', (value, problem) => {
    const msg = errorOf(() => MetricTarget.averageValue(value as any));
    expect(msg).toContain('[MetricTarget.averageValue] value=');
    expect(msg).toContain(problem);
    expect(msg).toContain('Fix: ');
  });

  test('utilization targets are int32 integers >= 1', () => {
    expect(MetricTarget.averageUtilization(150)._toKube()).toEqual({ type: 'Utilization', averageUtilization: 150 });
    expect(errorOf(() => MetricTarget.averageUtilization(0))).toBe(
      '[MetricTarget.averageUtilization] percent=0: must be an integer in 1..2147483647, got a number. '
      + 'Fix: use a whole percentage of at least 1, e.g. 70 (more than 100 is allowed: usage above the request).');
    expect(errorOf(() => MetricTarget.averageUtilization(70.5))).toContain('percent=70.5: must be an integer');
    expect(errorOf(() => MetricTarget.averageUtilization(2 ** 31))).toContain('percent=2147483648: must be an integer in 1..2147483647');
    expect(errorOf(() => Metric.cpuUtilization('70' as any))).toContain('[Metric.cpuUtilization] percent="70": must be an integer in 1..2147483647, got a string');
    expect(errorOf(() => Metric.memoryUtilization(-5))).toContain('[Metric.memoryUtilization] percent=-5');
  });
});

describe('Metric factories', () => {
  const target = MetricTarget.averageValue(10);

  test('options: type, unknown keys, formats', () => {
    expect(errorOf(() => Metric.pods({ name: 'q', target: 10 as any }))).toBe(
      '[Metric.pods] target=10: must be a MetricTarget, got a number. '
      + 'Fix: use MetricTarget.averageUtilization(percent), MetricTarget.averageValue(n) or MetricTarget.value(n).');
    expect(errorOf(() => Metric.pods({ name: 'q', target, selecter: {} } as any))).toContain(
      '[Metric.pods] selecter={}: is not a property of PodsMetricOptions. Fix: did you mean "selector"?');
    expect(errorOf(() => Metric.pods(undefined as any))).toContain('[Metric.pods] options=undefined: must be a PodsMetricOptions object');
    expect(errorOf(() => Metric.external({ name: 'a/b', target }))).toContain('[Metric.external] name="a/b": is not a valid metric name');
    expect(errorOf(() => Metric.external({ name: '', target }))).toContain('[Metric.external] name="": must not be empty');
    expect(errorOf(() => Metric.external({ name: 'rps', target, selector: { matchLabels: { 'bad key!': 'x' } } })))
      .toContain('[Metric.external] selector.matchLabels key="bad key!"');
    expect(errorOf(() => Metric.external({ name: 'rps', target, selector: { matchLabels: { service: 'a b' } } })))
      .toContain('[Metric.external] selector.matchLabels["service"]="a b": is not a valid label value');
    expect(errorOf(() => Metric.external({ name: 'rps', target, selector: { service: 'x' } as any })))
      .toContain('selector.service="x": is not a property of MetricSelector');
    expect(errorOf(() => Metric.object({ name: 'rps', target, describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'Main' } })))
      .toContain('[Metric.object] describedObject.name="Main": is not a valid DNS-1123 subdomain');
    expect(errorOf(() => Metric.object({ name: 'rps', target, describedObject: { apiVersion: 'v1', kind: '', name: 'x' } })))
      .toContain('[Metric.object] describedObject.kind="": must not be empty');
    expect(errorOf(() => Metric.resource('cpu', undefined as any))).toContain('[Metric.resource] target=undefined: must be a MetricTarget');
    expect(errorOf(() => Metric.containerResource('cpu', 'Main_Container', target))).toContain('[Metric.containerResource] containerName="Main_Container"');
    expect(errorOf(() => Metric.resource(7 as any, target))).toContain('[Metric.resource] resourceName=7: must be a qualified name');
  });

  test('selectors are copied: later changes cannot bypass the checks', () => {
    const selector = { matchLabels: { service: 'ok' } };
    const m = Metric.external({ name: 'rps', target, selector });
    selector.matchLabels.service = 'not ok';
    expect(m._toKube().external?.metric.selector).toEqual({ matchLabels: { service: 'ok' } });
  });
});

describe('ScalingPolicy', () => {
  test('value: int32 >= 1; period: whole seconds in 1..1800', () => {
    expect(errorOf(() => ScalingPolicy.pods(0, Duration.seconds(30)))).toBe(
      '[ScalingPolicy.pods] pods=0: must be an integer in 1..2147483647, got a number. '
      + 'Fix: use ScalingPolicy.pods(n, period) with a whole n >= 1 (a policy of 0 is invalid; set selectPolicy to SelectPolicy.DISABLED to stop scaling in that direction).');
    expect(errorOf(() => ScalingPolicy.percent(2 ** 31, Duration.seconds(30)))).toContain('[ScalingPolicy.percent] percent=2147483648');
    expect(errorOf(() => ScalingPolicy.percent(10, Duration.hours(1)))).toBe(
      '[ScalingPolicy.percent] period=3600s: must be between 1 s and 1800 s. Fix: use Duration.seconds(n) with a whole n in 1..1800 (at most 30 minutes).');
    expect(errorOf(() => ScalingPolicy.percent(10, Duration.seconds(0)))).toContain('[ScalingPolicy.percent] period=0s: must be between 1 s and 1800 s');
    expect(errorOf(() => ScalingPolicy.pods(1, Duration.millis(1500)))).toContain('[ScalingPolicy.pods] period=1500ms: must be a whole number of seconds');
    expect(errorOf(() => ScalingPolicy.pods(1, 30 as any))).toContain('[ScalingPolicy.pods] period=30: must be a Duration, got a number');
  });
});

/** Arbitrary JS values, with the edge cases named in issue 11. */
const junk = fc.oneof(
  fc.anything(),
  fc.constantFrom(NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 1, 0, -0, 1e-4, 0.0015, 1e21, '', null, undefined, 'Utilization', '🙂', 'ünïcödé'),
  fc.double(),
  fc.integer(),
  fc.string(),
);

describe('property: every factory rejects junk with its name and the argument, or renders valid JSON', () => {
  function expectNamedError(fn: () => unknown, entryPoint: string, prop: string): boolean {
    try {
      fn();
      return false;
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect(e).not.toBeInstanceOf(TypeError);
      expect((e as Error).message).toContain(`[${entryPoint}]`);
      expect((e as Error).message).toContain(prop);
      expect((e as Error).message).toContain('Fix: ');
      return true;
    }
  }

  test.each([
    ['MetricTarget.averageValue', 'value', (v: any) => MetricTarget.averageValue(v)],
    ['MetricTarget.value', 'value', (v: any) => MetricTarget.value(v)],
    ['MetricTarget.averageUtilization', 'percent', (v: any) => MetricTarget.averageUtilization(v)],
  ] as const)('%s', (entryPoint, prop, make) => {
    fc.assert(fc.property(junk, v => {
      let t: MetricTarget | undefined;
      if (expectNamedError(() => { t = make(v); }, entryPoint, prop)) return;
      const kube = JSON.parse(JSON.stringify(t!._toKube()));
      if (kube.type === 'Utilization') {
        expect(Number.isInteger(kube.averageUtilization) && kube.averageUtilization >= 1 && kube.averageUtilization <= 2147483647).toBe(true);
      } else {
        expectPositiveQuantity(kube.averageValue ?? kube.value);
      }
    }), { numRuns: 300 });
  });

  test('positive doubles: exact or rejected, never rounded', () => {
    fc.assert(fc.property(fc.double({ min: 1e-9, max: 1e22, noNaN: true }), v => {
      let q: string | undefined;
      if (expectNamedError(() => { q = MetricTarget.averageValue(v)._toKube().averageValue as any; }, 'MetricTarget.averageValue', 'value')) return;
      expectPositiveQuantity(q);
      const m = /^(\d+)(m?)$/.exec(q!)!;
      const decimal = m[2] ? `${m[1].slice(0, -3) || '0'}.${m[1].slice(-3).padStart(3, '0')}` : m[1];
      expect(Number(decimal)).toBe(v);
    }), { numRuns: 300 });
  });

  test.each([
    ['Metric.cpuUtilization', 'percent', (v: any) => Metric.cpuUtilization(v)],
    ['Metric.memoryUtilization', 'percent', (v: any) => Metric.memoryUtilization(v)],
    ['Metric.resource', 'resourceName', (v: any) => Metric.resource(v, MetricTarget.averageUtilization(50))],
    ['Metric.resource', 'target', (v: any) => Metric.resource('cpu', v)],
    ['Metric.containerResource', 'containerName', (v: any) => Metric.containerResource('cpu', v, MetricTarget.averageUtilization(50))],
    ['Metric.pods', '', (v: any) => Metric.pods(v)],
    ['Metric.pods', 'name', (v: any) => Metric.pods({ name: v, target: MetricTarget.averageValue(1) })],
    ['Metric.pods', 'target', (v: any) => Metric.pods({ name: 'q', target: v })],
    ['Metric.pods', 'selector', (v: any) => Metric.pods({ name: 'q', target: MetricTarget.averageValue(1), selector: v })],
    ['Metric.external', 'selector.matchLabels', (v: any) => Metric.external({ name: 'q', target: MetricTarget.value(1), selector: { matchLabels: v } })],
    ['Metric.external', 'selector.matchLabels', (v: any) => Metric.external({ name: 'q', target: MetricTarget.value(1), selector: { matchLabels: { app: v } } })],
    ['Metric.object', 'describedObject', (v: any) => Metric.object({ name: 'q', target: MetricTarget.value(1), describedObject: v })],
    ['Metric.object', 'describedObject.apiVersion', (v: any) => Metric.object({ name: 'q', target: MetricTarget.value(1), describedObject: { apiVersion: v, kind: 'Ingress', name: 'x' } })],
  ] as const)('%s %s', (entryPoint, prop, make) => {
    fc.assert(fc.property(junk, v => {
      let m: Metric | undefined;
      if (expectNamedError(() => { m = make(v); }, entryPoint, prop)) return;
      expect(() => JSON.stringify(m!._toKube())).not.toThrow();
    }), { numRuns: 200 });
  });

  test.each([
    ['ScalingPolicy.pods', 'pods', (v: any) => ScalingPolicy.pods(v, Duration.seconds(30))],
    ['ScalingPolicy.percent', 'percent', (v: any) => ScalingPolicy.percent(v, Duration.seconds(30))],
    ['ScalingPolicy.pods', 'period', (v: any) => ScalingPolicy.pods(1, v)],
  ] as const)('%s %s', (entryPoint, prop, make) => {
    fc.assert(fc.property(junk, v => {
      let p: ScalingPolicy | undefined;
      if (expectNamedError(() => { p = make(v); }, entryPoint, prop)) return;
      expect(Number.isInteger(p!.value) && p!.value >= 1 && p!.value <= 2147483647).toBe(true);
      const s = p!.period.toSeconds();
      expect(Number.isInteger(s) && s >= 1 && s <= 1800).toBe(true);
    }), { numRuns: 200 });
  });
});
