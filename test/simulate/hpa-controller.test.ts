import * as fc from 'fast-check';
import { HpaController } from '../../src/simulate/hpa-controller';

/** An HPA on one Pods metric (target 10 per pod), optionally with a behavior. */
function podsHpa(extra: Record<string, unknown> = {}): any {
  return {
    minReplicas: 1,
    maxReplicas: 1000,
    metrics: [{ type: 'Pods', pods: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '10' } } }],
    ...extra,
  };
}

describe('HpaController: legacy path vs default behavior', () => {
  test('legacy (no behavior) scales 1 replica under 10x load to max(2*1, 4) = 4', () => {
    const hpa = new HpaController(podsHpa());
    expect(hpa.sync(0, 1, [100])).toBe(4);
    expect(hpa.lastDecision?.metricReplicas).toBe(10);
    expect(hpa.lastDecision?.reason).toBe('ScaleUpLimit');
  });

  test('an empty behavior gets the API defaults: max(1 + 4 pods, 1 * 200%) = 5 in the first 15 s', () => {
    const hpa = new HpaController(podsHpa({ behavior: {} }));
    expect(hpa.sync(0, 1, [100])).toBe(5);
    // 15 s later the event at t=0 is no longer strictly inside the period: 5 + 4 = 9 vs 10 -> 10 (desired)
    expect(hpa.sync(15, 5, [20])).toBe(10);
  });

  test('legacy keeps the highest recommendation of the last 5 minutes on the way down', () => {
    const hpa = new HpaController(podsHpa());
    expect(hpa.sync(0, 10, [10])).toBe(10);
    expect(hpa.sync(15, 10, [1])).toBe(10);
    expect(hpa.sync(300, 10, [1])).toBe(10); // recs at t=0 are exactly at the cutoff: still counted
    expect(hpa.sync(301, 10, [1])).toBe(1);
  });
});

describe('HpaController: rate limits', () => {
  test('a 10% scale-up policy from 100 replicas allows 111 (float rounding of 100 * 1.1)', () => {
    const hpa = new HpaController(podsHpa({
      behavior: { scaleUp: { policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] } },
    }));
    expect(hpa.sync(0, 100, [50])).toBe(111);
  });

  test('a scale event counts only while strictly inside the policy period', () => {
    const hpa = new HpaController(podsHpa({
      behavior: { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] } },
    }));
    expect(hpa.sync(0, 10, [100])).toBe(14);
    expect(hpa.sync(59, 14, [100])).toBe(14);
    expect(hpa.sync(60, 14, [100])).toBe(18);
  });

  test.each([
    ['Max', 20],
    ['Min', 14],
    ['Disabled', 10],
  ])('scale-up selectPolicy %s picks %d', (selectPolicy, expected) => {
    const hpa = new HpaController(podsHpa({
      behavior: {
        scaleUp: {
          selectPolicy,
          policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 100, periodSeconds: 60 }],
        },
      },
    }));
    expect(hpa.sync(0, 10, [100])).toBe(expected);
  });

  test.each([
    ['Max', 5],
    ['Min', 9],
    ['Disabled', 10],
  ])('scale-down selectPolicy %s picks %d', (selectPolicy, expected) => {
    const hpa = new HpaController(podsHpa({
      behavior: {
        scaleDown: {
          stabilizationWindowSeconds: 0,
          selectPolicy,
          policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }],
        },
      },
    }));
    expect(hpa.sync(0, 10, [1])).toBe(expected);
  });

  test('a percent scale-down truncates: 50% of 5 removes down to 2', () => {
    const hpa = new HpaController(podsHpa({
      behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } },
    }));
    expect(hpa.sync(0, 5, [1])).toBe(2);
  });

  test('a scale-up inside the period raises the scale-down period start', () => {
    const hpa = new HpaController(podsHpa({
      behavior: {
        scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
      },
    }));
    expect(hpa.sync(0, 4, [100])).toBe(6);
    // period start for scale-down = 6 - 2 added + 0 deleted = 4 -> limit 3
    expect(hpa.sync(30, 6, [1])).toBe(3);
  });
});

describe('HpaController: stabilization windows', () => {
  test('with behavior, a recommendation exactly at the window edge no longer counts', () => {
    const hpa = new HpaController(podsHpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } }));
    expect(hpa.sync(0, 10, [10])).toBe(10);
    expect(hpa.sync(30, 10, [2])).toBe(10);
    expect(hpa.sync(60, 10, [2])).toBe(2);
  });

  test('without behavior, the flag sets the window and the edge still counts', () => {
    const hpa = new HpaController(podsHpa(), { downscaleStabilizationSeconds: 60 });
    expect(hpa.sync(0, 10, [10])).toBe(10);
    expect(hpa.sync(30, 10, [2])).toBe(10);
    expect(hpa.sync(60, 10, [2])).toBe(10);
    expect(hpa.sync(61, 10, [2])).toBe(2);
  });

  test('a scale-up window applies the lowest recent recommendation', () => {
    const hpa = new HpaController(podsHpa({ behavior: { scaleUp: { stabilizationWindowSeconds: 60 } } }));
    expect(hpa.sync(0, 2, [10])).toBe(2); // initial recommendation 2 at t=0 is inside the window
    expect(hpa.sync(30, 2, [50])).toBe(2);
    // the recommendation of 10 is now the lowest in the window; the default policies allow max(2 + 4, 2 * 2)
    expect(hpa.sync(61, 2, [50])).toBe(6);
  });

  test('the first sync records the current count, so a new HPA does not scale down at once', () => {
    const hpa = new HpaController(podsHpa({ behavior: {} }));
    expect(hpa.sync(0, 8, [1])).toBe(8);
  });
});

describe('HpaController: tolerance and metric maths', () => {
  test('a ratio of exactly 1.1 is within the default tolerance; just above is not', () => {
    expect(new HpaController(podsHpa()).sync(0, 10, [11])).toBe(10);
    expect(new HpaController(podsHpa()).sync(0, 10, [11.001])).toBe(12);
    expect(new HpaController(podsHpa({ behavior: {} })).sync(0, 10, [9])).toBe(10);
  });

  test('behavior.scaleUp.tolerance narrows the band for scale-up only', () => {
    const spec = podsHpa({ behavior: { scaleUp: { tolerance: '0.05' } } });
    expect(new HpaController(spec).sync(0, 10, [10.6])).toBe(11);
    expect(new HpaController(spec, { featureGates: { HPAConfigurableTolerance: false } }).sync(0, 10, [10.6])).toBe(10);
  });

  test('utilization is truncated to whole percent before the ratio', () => {
    const spec = { maxReplicas: 100, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] };
    // 55.9% -> 55% -> ratio 1.1: within tolerance
    expect(new HpaController(spec).sync(0, 10, [55.9])).toBe(10);
    expect(new HpaController(spec).sync(0, 10, [56])).toBe(12);
  });

  test('no metrics means the API default: CPU at 80%', () => {
    const hpa = new HpaController({ maxReplicas: 10 });
    expect(hpa.metricCount).toBe(1);
    expect(hpa.sync(0, 2, [160])).toBe(4);
  });

  test('External Value scales with the ready pods; AverageValue with the total', () => {
    const value = { maxReplicas: 100, metrics: [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '100' } } }] };
    expect(new HpaController(value).sync(0, 4, [300], 2)).toBe(6);
    const avg = { maxReplicas: 100, metrics: [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '30' } } }] };
    expect(new HpaController(avg).sync(0, 5, [250], 2)).toBe(9);
  });

  test('Object AverageValue divides the total by the replica count', () => {
    const spec = { maxReplicas: 100, metrics: [{ type: 'Object', object: { metric: { name: 'q' }, describedObject: { kind: 'Service', name: 's' }, target: { type: 'AverageValue', averageValue: '500m' } } }] };
    expect(new HpaController(spec).sync(0, 4, [2.2])).toBe(4); // 2.2 / (0.5 * 4) = 1.1
    expect(new HpaController(spec).sync(0, 4, [3])).toBe(6);
  });

  test('Pending pods count as zero on a scale-up of a Pods metric', () => {
    // 2 ready of 4 report 30 per pod: 60 over 4 pods -> 15 per pod, ratio 1.5 -> ceil(6) = 6
    expect(new HpaController(podsHpa()).sync(0, 4, [30], 2)).toBe(6);
  });

  test('accepts quantity strings as observations', () => {
    expect(new HpaController(podsHpa()).sync(0, 10, ['11001m'])).toBe(12);
    expect(new HpaController(podsHpa()).sync(0, 10, ['11'])).toBe(10);
  });

  test('the highest proposal wins', () => {
    const spec = {
      maxReplicas: 100,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Pods', pods: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
    };
    const hpa = new HpaController(spec);
    expect(hpa.sync(0, 4, [140, 15])).toBe(8);
    expect(hpa.lastDecision?.metricProposals).toEqual([8, 6]);
  });
});

describe('HpaController: metrics that cannot be fetched', () => {
  const spec = {
    minReplicas: 1,
    maxReplicas: 100,
    metrics: [
      { type: 'Pods', pods: { metric: { name: 'a' }, target: { type: 'AverageValue', averageValue: '10' } } },
      { type: 'External', external: { metric: { name: 'b' }, target: { type: 'Value', value: '100' } } },
    ],
  };

  test('still scales up when the remaining metrics say so', () => {
    expect(new HpaController(spec).sync(0, 4, [null, 200])).toBe(8);
  });

  test('never scales down while a metric is missing', () => {
    const hpa = new HpaController(spec);
    expect(hpa.sync(0, 4, [null, 50])).toBe(4);
    expect(hpa.lastDecision?.reason).toBe('FailedComputeMetricsReplicas');
  });

  test('changes nothing when every metric fails', () => {
    expect(new HpaController(spec).sync(0, 4, [null, null])).toBe(4);
  });
});

describe('HpaController: replica count outside the range', () => {
  test('zero replicas disables scaling', () => {
    expect(new HpaController(podsHpa()).sync(0, 0, [100])).toBe(0);
  });

  test('above max goes to max, below min goes to min, without looking at metrics', () => {
    const spec = podsHpa({ minReplicas: 3, maxReplicas: 5 });
    expect(new HpaController(spec).sync(0, 9, [null])).toBe(5);
    expect(new HpaController(spec).sync(0, 1, [null])).toBe(3);
  });
});

describe('HpaController: input errors', () => {
  test('rejects an observation list of the wrong length', () => {
    expect(() => new HpaController(podsHpa()).sync(0, 1, [])).toThrow(/expected 1 observation/);
  });

  test('rejects an unknown select policy', () => {
    expect(() => new HpaController(podsHpa({ behavior: { scaleUp: { selectPolicy: 'Fastest' } } }))).toThrow(/selectPolicy/);
  });
});

describe('HpaController: properties', () => {
  test('the replica count always stays within [min, max] once it started there', () => {
    const policy = fc.record({
      type: fc.constantFrom('Pods', 'Percent'),
      value: fc.integer({ min: 1, max: 200 }),
      periodSeconds: fc.integer({ min: 1, max: 600 }),
    });
    const rules = fc.option(fc.record({
      stabilizationWindowSeconds: fc.integer({ min: 0, max: 600 }),
      selectPolicy: fc.constantFrom('Max', 'Min', 'Disabled'),
      policies: fc.array(policy, { minLength: 1, maxLength: 3 }),
    }, { requiredKeys: [] }), { nil: undefined });
    const behavior = fc.option(fc.record({ scaleUp: rules, scaleDown: rules }, { requiredKeys: [] }), { nil: undefined });
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 50 }), behavior,
      fc.array(fc.option(fc.double({ min: 0, max: 500, noNaN: true }), { nil: null }), { minLength: 1, maxLength: 60 }),
      (min, extra, beh, observations) => {
        const max = min + extra;
        const hpa = new HpaController(podsHpa({ minReplicas: min, maxReplicas: max, ...(beh ? { behavior: beh } : {}) }));
        let replicas = min;
        observations.forEach((obs, i) => {
          replicas = hpa.sync(i * 15, replicas, [obs]);
          expect(replicas).toBeGreaterThanOrEqual(min);
          expect(replicas).toBeLessThanOrEqual(max);
        });
      }), { numRuns: 300 });
  });
});
