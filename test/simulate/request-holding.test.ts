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
    const trace = DemandTrace.fromPoints([
      { time: 0, arrivalsPerSecond: 2 }, { time: 200, arrivalsPerSecond: 0 }, { time: 300, arrivalsPerSecond: 0 },
    ]);
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
    const trace = DemandTrace.fromPoints([
      { time: 0, arrivalsPerSecond: 3 }, { time: 100, arrivalsPerSecond: 0 }, { time: 400, arrivalsPerSecond: 0 },
    ]);
    const s = run({ requestHolding: { timeoutSeconds: 10 }, initialReplicas: 1, capacityPerReplica: 1, coldStartSeconds: 1000 }, trace).summary;
    expect(s.requestsHeld).toBe(0);
    expect(s.requestsFailed).toBe(0);
    expect(s.maxQueueWaitSeconds).toBeGreaterThan(10);
    expect(s.firstRequestWaitAfterIdleSeconds).toBe(0);
  });
});

describe('request holding read from the KEDA HTTP add-on objects in manifests', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat' },
    spec: { replicas: 0, selector: { matchLabels: { app: 'chat' } }, template: { metadata: { labels: { app: 'chat', tier: 'llm' } }, spec: { containers: [{ name: 'vllm', image: 'vllm' }] } } },
  };
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'chat-svc' }, spec: { selector: { app: 'chat' }, ports: [{ port: 8000 }] } };
  const route = (timeouts?: Record<string, string>, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'http.keda.sh/v1beta1',
    kind: 'InterceptorRoute',
    metadata: { name: 'chat-route' },
    spec: { target: { service: 'chat-svc', port: 8000 }, scalingMetric: { concurrency: { targetValue: 4 } }, ...(timeouts ? { timeouts } : {}), ...extra },
  });
  const httpScaledObject = (timeouts?: Record<string, string>) => ({
    apiVersion: 'http.keda.sh/v1alpha1',
    kind: 'HTTPScaledObject',
    metadata: { name: 'chat-http' },
    spec: { hosts: ['chat.example.com'], scaleTargetRef: { name: 'chat', service: 'chat-svc', port: 8000 }, ...(timeouts ? { timeouts } : {}) },
  });
  const fromManifests = (addon: any[], options: Record<string, unknown> = {}) => Simulator.fromManifests(
    [deployment, service, SCALED_OBJECT, ...addon], 'chat',
    { trace: ONE_REQUEST, capacityPerReplica: 10, coldStartSeconds: 90, initialReplicas: 0, signals: { prometheus: 'ARRIVAL_RATE' as any }, ...options });

  test('an InterceptorRoute whose target Service selects the workload: its readiness timeout holds (60 s: 1 failed)', () => {
    const s = fromManifests([route({ readiness: '1m' })]).summary;
    expect(s.requestsHeld).toBeCloseTo(1, 9);
    expect(s.requestsFailed).toBeCloseTo(1, 9);
    expect(s.firstRequestWaitAfterIdleSeconds).toBe(60);
    expect(s.warnings).toEqual([]);
  });

  test('an InterceptorRoute: the shorter of the readiness and request timeouts bounds the hold', () => {
    expect(fromManifests([route({ readiness: '0s', request: '2m' })]).summary).toMatchObject({ requestsFailed: 0, firstRequestWaitAfterIdleSeconds: 90 });
    expect(fromManifests([route({ readiness: '120s', request: '1m0s' })]).summary.firstRequestWaitAfterIdleSeconds).toBe(60);
  });

  test('an HTTPScaledObject on the workload: spec.timeouts.conditionWait (120 s: nothing fails, waited 90 s)', () => {
    const s = fromManifests([httpScaledObject({ conditionWait: '120s' })]).summary;
    expect(s).toMatchObject({ requestsFailed: 0, firstRequestWaitAfterIdleSeconds: 90 });
    expect(s.requestsHeld).toBeCloseTo(1, 9);
  });

  test('an add-on object without a per-route timeout: held without a deadline, with a warning naming the global settings', () => {
    const s = fromManifests([route()]).summary;
    expect(s).toMatchObject({ requestsFailed: 0, firstRequestWaitAfterIdleSeconds: 90 });
    expect(s.warnings).toEqual([expect.stringMatching(/manifests\(InterceptorRoute\/chat-route\): no timeout of its own \(the interceptor's global KEDA_HTTP_READINESS_TIMEOUT\).*KEDA_CONDITION_WAIT_TIMEOUT/)]);
    const h = fromManifests([httpScaledObject()]).summary;
    expect(h.warnings).toEqual([expect.stringMatching(/HTTPScaledObject\/chat-http.*KEDA_CONDITION_WAIT_TIMEOUT/)]);
  });

  test('a route with a fallback service: 30 s by default, the timed-out requests counted as failed, with a warning', () => {
    const s = fromManifests([route(undefined, { coldStart: { fallback: { service: { name: 'small-model', port: 80 } } } })]).summary;
    expect(s.requestsFailed).toBeCloseTo(1, 9);
    expect(s.firstRequestWaitAfterIdleSeconds).toBe(30);
    expect(s.warnings).toEqual([expect.stringMatching(/held longer than 30 s \(the 30 s the interceptor waits before its fallback.*\) go to the fallback service "small-model"/)]);
  });

  test('a route with a placeholder response: nothing is held, the requests during the cold start fail at once', () => {
    const s = fromManifests([route({ readiness: '120s' }, { coldStart: { placeholder: { response: { body: 'warming up' } } } })]).summary;
    expect(s).toMatchObject({ requestsHeld: 0, firstRequestWaitAfterIdleSeconds: 0 });
    expect(s.requestsFailed).toBeCloseTo(1, 9);
  });

  test('a route to a Service that does not select the workload is not read; nor is anything without add-on objects', () => {
    const other = { ...service, metadata: { name: 'other' }, spec: { selector: { app: 'other' } } };
    const s = Simulator.fromManifests([deployment, service, other, SCALED_OBJECT, { ...route({ readiness: '60s' }), spec: { target: { service: 'other' } } }], 'chat',
      { trace: ONE_REQUEST, capacityPerReplica: 10, coldStartSeconds: 90, initialReplicas: 0, signals: { prometheus: 'ARRIVAL_RATE' as any } }).summary;
    expect(s.requestsFailed).toBeUndefined();
    expect(fromManifests([]).summary.requestsHeld).toBeUndefined();
  });

  test('explicit requestHolding beats the manifests', () => {
    const s = fromManifests([route({ readiness: '60s' })], { requestHolding: { timeoutSeconds: 120 } }).summary;
    expect(s).toMatchObject({ requestsFailed: 0, firstRequestWaitAfterIdleSeconds: 90 });
    expect(fromManifests([route({ readiness: '60s' })], { requestHolding: { enabled: false } }).summary.requestsHeld).toBe(0);
  });

  test('several routes: the shortest hold, with a warning', () => {
    const s = fromManifests([route({ readiness: '2m' }), httpScaledObject({ conditionWait: '60s' })]).summary;
    expect(s.firstRequestWaitAfterIdleSeconds).toBe(60);
    expect(s.warnings).toEqual([expect.stringMatching(/2 add-on objects route to "chat".*the shortest hold, manifests\(HTTPScaledObject\/chat-http\)'s/)]);
  });

  test('a timeout that is not a duration fails, naming the object and the field', () => {
    expect(() => fromManifests([route({ readiness: '2 minutes' })])).toThrow(
      '[Simulator.fromManifests] manifests(InterceptorRoute/chat-route) spec.timeouts.readiness="2 minutes": is not a duration');
  });
});

describe('request holding: bad options fail with clear errors', () => {
  test('a timeout of 0 or less, or not a number', () => {
    expect(() => run({ requestHolding: { timeoutSeconds: 0 } })).toThrow(/requestHolding\.timeoutSeconds=0.*use the seconds a held request waits/);
    expect(() => run({ requestHolding: { timeoutSeconds: '60s' } })).toThrow(/requestHolding\.timeoutSeconds/);
  });

  test('enabled false with a timeout', () => {
    expect(() => run({ requestHolding: { enabled: false, timeoutSeconds: 60 } })).toThrow(
      /\[Simulator\.run\] requestHolding\.timeoutSeconds=60: is given with requestHolding\.enabled false.*leave timeoutSeconds out/);
  });

  test('an unknown key', () => {
    expect(() => run({ requestHolding: { timeout: 60 } })).toThrow(/requestHolding/);
  });
});
