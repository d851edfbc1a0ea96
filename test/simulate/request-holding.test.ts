import { Simulator } from '../../src/simulate/simulator';
import { DemandTrace } from '../../src/simulate/trace';

/**
 * A KEDA ScaledObject at zero (minReplicaCount 0) on a request-rate trigger polled every second, so the
 * first arrival at t = 0 wakes it at once: with a 90 s cold start the first pod is ready at t = 90.
 */
const SCALED_OBJECT = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'chat' },
  spec: {
    scaleTargetRef: { name: 'chat' },
    minReplicaCount: 0,
    maxReplicaCount: 4,
    pollingInterval: 1,
    cooldownPeriod: 300,
    triggers: [{ type: 'prometheus', metadata: { query: 'sum(rate(http_requests_total[1m]))', threshold: '5', activationThreshold: '0' } }],
  },
};

/** "One request at t = 0": 1 item/s during the first second, then nothing until t = 300. */
const ONE_REQUEST = DemandTrace.fromPoints([
  { time: 0, arrivalsPerSecond: 1 },
  { time: 1, arrivalsPerSecond: 0 },
  { time: 300, arrivalsPerSecond: 0 },
]);

const run = (options: Record<string, unknown>, trace = ONE_REQUEST) => Simulator.run({
  scaledObject: SCALED_OBJECT,
  trace,
  capacityPerReplica: 10,
  coldStartSeconds: 90,
  initialReplicas: 0,
  signals: { prometheus: 'ARRIVAL_RATE' as any },
  ...options,
});

describe('request holding: the hand-computed cases of issue 15', () => {
  test('without requestHolding nothing changes: no new summary fields', () => {
    const s = run({}).summary;
    expect(s.requestsHeld).toBeUndefined();
    expect(s.requestsFailed).toBeUndefined();
    expect(s.firstRequestWaitAfterIdleSeconds).toBeUndefined();
    expect(s.maxTimeToFirstReadySeconds).toBe(90);
    expect(s.itemsServed).toBeCloseTo(1, 9);
  });

  test('one request at t = 0, 90 s cold start, 60 s timeout: it is held, then fails; nothing is served', () => {
    const s = run({ requestHolding: { timeoutSeconds: 60 } }).summary;
    expect(s.requestsHeld).toBeCloseTo(1, 9);
    expect(s.requestsFailed).toBeCloseTo(1, 9);
    expect(s.itemsServed).toBeCloseTo(0, 9);
    expect(s.itemsQueuedAtEnd).toBe(0);
    // the first request waited 60 s, then failed (the items of the first second fail from t = 60 to 61)
    expect(s.firstRequestWaitAfterIdleSeconds).toBe(60);
    expect(s.maxQueueWaitSeconds).toBeCloseTo(60, 9);
    expect(s.warnings).toEqual([]);
  });

  test('the same with a 120 s timeout: nothing fails, the first request waited 90 s', () => {
    const s = run({ requestHolding: { timeoutSeconds: 120 } }).summary;
    expect(s.requestsHeld).toBeCloseTo(1, 9);
    expect(s.requestsFailed).toBe(0);
    expect(s.itemsServed).toBeCloseTo(1, 9);
    expect(s.firstRequestWaitAfterIdleSeconds).toBe(90);
    // it waits until the pod is ready at 90, then its service (the fluid queue: 1 item at 10/s)
    expect(s.maxQueueWaitSeconds).toBeCloseTo(90, 9);
  });

  test('no deadline (timeoutSeconds left out): held until the pod is ready', () => {
    const s = run({ requestHolding: {} }).summary;
    expect(s.requestsFailed).toBe(0);
    expect(s.firstRequestWaitAfterIdleSeconds).toBe(90);
  });

  test('a timeout in the middle of the first second: the items older than the timeout at t = 90 fail', () => {
    // items arriving at s in [0, 1] would wait 90 - s; with a 89.5 s timeout those arriving before 0.5 s fail
    const s = run({ requestHolding: { timeoutSeconds: 89.5 } }).summary;
    expect(s.requestsFailed).toBeCloseTo(0.5, 9);
    expect(s.itemsServed).toBeCloseTo(0.5, 9);
    expect(s.firstRequestWaitAfterIdleSeconds).toBe(89.5);
  });

  test('no holder: every request that arrives while no pod is ready fails at once', () => {
    // 2/s for 200 s: the pod is ready at 90, so the 180 items of the first 90 s fail, the other 220 are served
    const trace = DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 2 }, { time: 200, arrivalsPerSecond: 0 }, { time: 300, arrivalsPerSecond: 0 }]);
    const s = run({ requestHolding: { enabled: false } }, trace).summary;
    expect(s.requestsHeld).toBe(0);
    expect(s.requestsFailed).toBeCloseTo(180, 9);
    expect(s.itemsServed).toBeCloseTo(220, 9);
    expect(s.maxQueueDepth).toBe(0);
    expect(s.maxQueueWaitSeconds).toBe(0);
    expect(s.firstRequestWaitAfterIdleSeconds).toBe(0);
  });

  test('requests that arrive while a pod is ready never fail, however long they queue', () => {
    // one ready pod at 1 item/s against 3/s for 100 s: a queue of 200 (a 200 s wait at the end), no timeout applies
    const trace = DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 3 }, { time: 100, arrivalsPerSecond: 0 }, { time: 400, arrivalsPerSecond: 0 }]);
    const s = run({ requestHolding: { timeoutSeconds: 10 }, initialReplicas: 1, capacityPerReplica: 1, coldStartSeconds: 1000 }, trace).summary;
    expect(s.requestsHeld).toBe(0);
    expect(s.requestsFailed).toBe(0);
    expect(s.maxQueueWaitSeconds).toBeGreaterThan(10);
    expect(s.firstRequestWaitAfterIdleSeconds).toBe(0);
  });
});
