import { Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { ScalingPolicy, SelectPolicy } from '../../src';
import { defaultScaleDownWindowSeconds, renderBehavior } from '../../src/autoscaling/render-behavior';
import { errorOf } from '../error-of';

function scope(): Construct {
  return new Construct(Testing.chart(), 'Svc');
}


describe('renderBehavior', () => {
  test('default scale-down window: max(300 s, model load), capped at the API limit of 3600 s', () => {
    expect(defaultScaleDownWindowSeconds(0)).toBe(300);
    expect(defaultScaleDownWindowSeconds(480)).toBe(480);
    expect(defaultScaleDownWindowSeconds(3600)).toBe(3600);
    expect(defaultScaleDownWindowSeconds(3601)).toBe(3600);
    // a model load time over an hour no longer blames a stabilizationWindow the user never set
    expect(renderBehavior(scope(), 'behavior', undefined, 3601).scaleDown.stabilizationWindowSeconds).toBe(3600);
    expect(renderBehavior(scope(), 'behavior', { scaleDown: { selectPolicy: SelectPolicy.MIN } }, 7200).scaleDown)
      .toEqual({ stabilizationWindowSeconds: 3600, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] });
  });

  test('messages are those of SCALING_BEHAVIOR: construct path, prop path, value and fix', () => {
    expect(errorOf(() => renderBehavior(scope(), 'behavior', { scaleDown: { stabilizationWindow: Duration.hours(2) } }, 0)))
      .toBe('[test/Svc] behavior.scaleDown.stabilizationWindow=7200s: must be between 0 s and 3600 s. Fix: use Duration.seconds(n) with a whole n in 0..3600.');
    expect(errorOf(() => renderBehavior(scope(), 'behavior', { scaleUp: { selectPolicy: 'max' as any } }, 0)))
      .toContain('[test/Svc] behavior.scaleUp.selectPolicy="max": must be one of SelectPolicy.MAX ("Max"), SelectPolicy.MIN ("Min"), SelectPolicy.DISABLED ("Disabled"). Fix: use "Max"');
    expect(errorOf(() => renderBehavior(scope(), 'behavior', { scaleUp: { policies: [{ type: 'Pods', value: 1, period: Duration.seconds(1) } as any] } }, 0)))
      .toContain('[test/Svc] behavior.scaleUp.policies[0]={"type":"Pods","value":1,"period":{"amount":1,"unit":{"label":"seconds","inMillis":1000}}}: must be a ScalingPolicy');
    expect(errorOf(() => renderBehavior(scope(), 'behavior', { scaleUp: { polices: [] } as any }, 0)))
      .toContain('behavior.scaleUp.polices=[]: is not a property of ScalingRules. Fix: did you mean "behavior.scaleUp.policies"?');
    expect(errorOf(() => renderBehavior(scope(), 'behavior', { scaleDown: { policies: [] } }, 0)))
      .toContain('behavior.scaleDown.policies=[]: needs at least one policy unless selectPolicy is DISABLED');
  });

  test('a policy made with `new` from JavaScript (bypassing the factories) is still checked', () => {
    const policy = new (ScalingPolicy as any)('Pods', 0, Duration.seconds(30));
    expect(errorOf(() => renderBehavior(scope(), 'behavior', { scaleUp: { policies: [policy] } }, 0)))
      .toContain('[test/Svc] behavior.scaleUp.policies[0].value=0: must be an integer in 1..2147483647');
  });

  test('property: any JS value as behavior is rendered or rejected with the construct and the prop', () => {
    const junk = fc.oneof(fc.anything(), fc.constantFrom(null, NaN, 'Max', '', { scaleUp: null }, { scaleDown: { policies: [null] } },
      { scaleUp: { stabilizationWindow: Duration.millis(1500) } }, { scaleUp: { policies: [ScalingPolicy.pods(1, Duration.seconds(1))], selectPolicy: 'Fastest' } }));
    fc.assert(fc.property(junk, fc.integer({ min: 0, max: 100000 }), (behavior, load) => {
      let rendered: unknown;
      try {
        rendered = renderBehavior(scope(), 'behavior', behavior as any, load);
      } catch (e) {
        expect(e).not.toBeInstanceOf(TypeError);
        expect((e as Error).message).toMatch(/^\[test\/Svc\] behavior/);
        expect((e as Error).message).toContain('Fix: ');
        return;
      }
      const json = JSON.parse(JSON.stringify(rendered));
      for (const dir of ['scaleUp', 'scaleDown']) {
        expect(json[dir].stabilizationWindowSeconds).toBeGreaterThanOrEqual(0);
        expect(json[dir].stabilizationWindowSeconds).toBeLessThanOrEqual(3600);
      }
    }), { numRuns: 300 });
  });
});
