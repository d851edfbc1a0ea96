import { HpaController } from '../../src/simulate/hpa-controller';
import { outermostAggregation } from '../../src/simulate/metric-signals';
import { ScaledObjectController } from '../../src/simulate/scaled-object-controller';
import { MetricSignal, SimulationOptions, SimulationResult } from '../../src/simulate/simulation-types';
import { Simulator } from '../../src/simulate/simulator';
import { DemandTrace } from '../../src/simulate/trace';
import { errorOf } from '../error-of';

/** One controller call: its time, the replicas, the ready pods (HPA) and a copy of the observations. */
interface Observed {
  readonly t: number;
  readonly pods: number;
  readonly ready?: number;
  readonly values: number[];
}

/** Runs `fn`, recording what the HPA controller (`sync`) and KEDA's operator (`poll`) were given. */
function observe(fn: () => SimulationResult): { result: SimulationResult; syncs: Observed[]; polls: Observed[] } {
  const sync = HpaController.prototype.sync;
  const poll = ScaledObjectController.prototype.poll;
  const syncs: Observed[] = [];
  const polls: Observed[] = [];
  const s = jest.spyOn(HpaController.prototype, 'sync').mockImplementation(function (this: HpaController, t, pods, obs, ready) {
    syncs.push({ t, pods, ready, values: [...obs] });
    return sync.call(this, t, pods, obs, ready);
  });
  const p = jest.spyOn(ScaledObjectController.prototype, 'poll').mockImplementation(function (this: ScaledObjectController, t, pods, values) {
    polls.push({ t, pods, values: [...values] });
    return poll.call(this, t, pods, values);
  });
  try {
    return { result: fn(), syncs, polls };
  } finally {
    s.mockRestore();
    p.mockRestore();
  }
}

const SELECTOR = '{namespace="ml",pod=~"llm-[a-z0-9]+-[a-z0-9]+"}';

function deployment(annotations: Record<string, string> = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'llm', namespace: 'ml' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'llm' } },
      template: {
        metadata: { labels: { app: 'llm' }, annotations },
        spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.12.0', resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
      },
    },
  };
}

function podsHpa(metric: string, averageValue: string, minReplicas = 1): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'llm', namespace: 'ml' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm' },
      minReplicas,
      maxReplicas: 20,
      metrics: [{ type: 'Pods', pods: { metric: { name: metric }, target: { type: 'AverageValue', averageValue } } }],
    },
  };
}

function scaledObject(query: string, threshold: string, minReplicaCount = 1): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'llm', namespace: 'ml' },
    spec: {
      scaleTargetRef: { name: 'llm' },
      minReplicaCount,
      maxReplicaCount: 20,
      triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://prometheus:9090', query, threshold } }],
    },
  };
}

/** A spike over the capacity of the first replicas: 8 requests at once, 2 s each (4 per second per replica). */
const SPIKE = DemandTrace.fromPoints([
  { time: 0, arrivalsPerSecond: 3 },
  { time: 300, arrivalsPerSecond: 30 },
  { time: 1200, arrivalsPerSecond: 10 },
  { time: 1800, arrivalsPerSecond: 0 },
]);
const VLLM: SimulationOptions = { trace: SPIKE, concurrencyPerReplica: 8, serviceTimeSeconds: 2, coldStartSeconds: 0 };

/** Steady demand below the capacity of 3 replicas (6/s against 12/s). */
const STEADY = DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 6 }, { time: 600, arrivalsPerSecond: 6 }]);
const STEADY_OPTIONS: SimulationOptions = { trace: STEADY, concurrencyPerReplica: 8, serviceTimeSeconds: 2, coldStartSeconds: 0, initialReplicas: 3 };

/** The observations after the first metric window, when the rates have settled. */
const settled = (calls: Observed[]) => calls.filter(c => c.t >= 30);

describe('vLLM queue size: an HPA Pods metric and a KEDA sum read the same model', () => {
  const hpaRun = observe(() => Simulator.fromManifests([deployment(), podsHpa('vllm_num_requests_waiting', '5')], 'llm', VLLM));
  const kedaRun = observe(() => Simulator.fromManifests(
    [deployment(), scaledObject(`sum(vllm:num_requests_waiting${SELECTOR})`, '5')], 'llm', VLLM));

  test('the two scale the same way', () => {
    const replicas = (r: SimulationResult) => r.timeline.map(p => p.desiredReplicas);
    expect(Math.max(...replicas(hpaRun.result))).toBeGreaterThan(1);
    expect(replicas(kedaRun.result)).toEqual(replicas(hpaRun.result));
    expect(kedaRun.result.summary.maxQueueDepth).toBeCloseTo(hpaRun.result.summary.maxQueueDepth, 9);
  });

  test('queue per pod x ready pods = the total KEDA reads, and the total is the waiting requests', () => {
    const queueAt = new Map(hpaRun.result.timeline.map(p => [p.time, p.queueDepth]));
    let compared = 0;
    for (const poll of kedaRun.polls) {
      const sync = hpaRun.syncs.find(s => s.t === poll.t)!;
      expect(sync.values[0] * sync.ready!).toBeCloseTo(poll.values[0], 6);
      expect(poll.values[0]).toBeCloseTo(queueAt.get(poll.t)!, 6);
      if (poll.values[0] > 0) compared++;
    }
    expect(compared).toBeGreaterThan(5);
  });

  test('the name guess no longer reads vllm:num_requests_waiting as an arrival rate', () => {
    const asQueue = observe(() => Simulator.fromManifests([deployment(), podsHpa('vllm_num_requests_waiting', '5')], 'llm',
      { ...VLLM, signals: { vllm_num_requests_waiting: MetricSignal.QUEUE_DEPTH } }));
    expect(asQueue.syncs.map(s => s.values)).toEqual(hpaRun.syncs.map(s => s.values));
    const asRate = observe(() => Simulator.fromManifests([deployment(), podsHpa('vllm_num_requests_waiting', '5')], 'llm',
      { ...VLLM, signals: { vllm_num_requests_waiting: MetricSignal.ARRIVAL_RATE } }));
    // at time 0, 3 requests/s arrive and none wait
    expect(asRate.syncs[0].values[0]).toBe(3);
    expect(hpaRun.syncs[0].values[0]).toBe(0);
  });
});

describe('batch size: requests in service = completion rate x service time, at most concurrency x ready', () => {
  test('below capacity: 6/s x 2 s = 12 in service, 4 per pod of 3', () => {
    const { syncs } = observe(() => Simulator.fromManifests([deployment(), podsHpa('vllm_num_requests_running', '1000', 3)], 'llm', STEADY_OPTIONS));
    expect(syncs[0].values[0]).toBe(0); // nothing completed yet at time 0
    for (const s of settled(syncs)) {
      expect(s.ready).toBe(3);
      expect(s.values[0]).toBeCloseTo(4, 9);
    }
  });

  test('a KEDA sum reads the total in service', () => {
    const { polls } = observe(() => Simulator.fromManifests(
      [deployment(), scaledObject(`sum(vllm:num_requests_running${SELECTOR})`, '1000', 3)], 'llm', STEADY_OPTIONS));
    for (const p of settled(polls)) expect(p.values[0]).toBeCloseTo(12, 9);
  });

  test('an outer avg reads the per-pod value', () => {
    const { polls } = observe(() => Simulator.fromManifests(
      [deployment(), scaledObject(`avg(vllm:num_requests_running${SELECTOR})`, '1000', 3)], 'llm', STEADY_OPTIONS));
    for (const p of settled(polls)) expect(p.values[0]).toBeCloseTo(4, 9);
  });

  test('over capacity: every pod runs a full batch (8), the rest waits', () => {
    const trace = DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 30 }, { time: 300, arrivalsPerSecond: 0 }]);
    const { syncs } = observe(() => Simulator.fromManifests([deployment(), podsHpa('vllm_num_requests_running', '1000', 3)], 'llm',
      { ...STEADY_OPTIONS, trace }));
    for (const s of settled(syncs)) expect(s.values[0]).toBeCloseTo(8, 9);
  });

  test('the concurrency derived from capacity and service time: 4/s x 1.5 s = 6 per pod at most', () => {
    const trace = DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 30 }, { time: 300, arrivalsPerSecond: 0 }]);
    const { syncs } = observe(() => Simulator.fromManifests([deployment(), podsHpa('vllm_num_requests_running', '1000', 3)], 'llm',
      { trace, capacityPerReplica: 4, serviceTimeSeconds: 1.5, initialReplicas: 3 }));
    for (const s of settled(syncs)) expect(s.values[0]).toBeCloseTo(6, 9);
  });
});

describe('KV-cache usage: the share of the concurrency in use', () => {
  test('per pod: 12 in service / (8 x 3) = 0.5', () => {
    const { syncs } = observe(() => Simulator.fromManifests([deployment(), podsHpa('vllm_kv_cache_usage_perc', '0.9', 3)], 'llm', STEADY_OPTIONS));
    for (const s of settled(syncs)) expect(s.values[0]).toBeCloseTo(0.5, 9);
  });

  test('KEDA sum(avg by (pod) (...)): the sum over pods, 12 / 8 = 1.5', () => {
    const { polls } = observe(() => Simulator.fromManifests(
      [deployment(), scaledObject(`sum(avg by (pod) (vllm:kv_cache_usage_perc${SELECTOR}))`, '0.9', 3)], 'llm', STEADY_OPTIONS));
    for (const p of settled(polls)) expect(p.values[0]).toBeCloseTo(1.5, 9);
  });

  test('SGLang token usage is the same signal', () => {
    const { syncs } = observe(() => Simulator.fromManifests([deployment(), podsHpa('sglang_token_usage', '0.9', 3)], 'llm', STEADY_OPTIONS));
    for (const s of settled(syncs)) expect(s.values[0]).toBeCloseTo(0.5, 9);
  });
});

describe('GPU utilization: DCGM in percent, Triton as a fraction', () => {
  const EXPORTED = '{exported_namespace="ml",exported_pod=~"llm-[a-z0-9]+-[a-z0-9]+"}';
  test.each([
    ['DCGM_FI_DEV_GPU_UTIL', 50],
    ['nv_gpu_utilization', 0.5],
  ])('HPA Pods %s per pod: %d', (metric, expected) => {
    const { syncs } = observe(() => Simulator.fromManifests([deployment(), podsHpa(metric, '1000', 3)], 'llm', STEADY_OPTIONS));
    for (const s of settled(syncs)) expect(s.values[0]).toBeCloseTo(expected, 9);
  });

  test.each([
    [`sum(avg by (exported_pod) (DCGM_FI_DEV_GPU_UTIL${EXPORTED}))`, 150],
    [`sum(avg by (pod) (nv_gpu_utilization${SELECTOR}))`, 1.5],
    ['avg(DCGM_FI_DEV_GPU_UTIL{job="ml-inference"})', 50],
    // the article's query: a per-pod average in percent, as before
    ['avg(gpu_utilization{job="ml-inference"})', 50],
  ])('KEDA %s: %d', (query, expected) => {
    const { polls } = observe(() => Simulator.fromManifests([deployment(), scaledObject(query, '1000', 3)], 'llm', STEADY_OPTIONS));
    for (const p of settled(polls)) expect(p.values[0]).toBeCloseTo(expected, 9);
  });
});

describe('the server-metrics annotation names a custom server\'s metrics', () => {
  const annotated = (map: Record<string, string>) => deployment({ 'ml-autoscaling.io/server-metrics': JSON.stringify(map) });
  const trace = DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 30 }, { time: 300, arrivalsPerSecond: 0 }]);
  const overloaded: SimulationOptions = { ...STEADY_OPTIONS, trace };

  test('inference_queue_depth marked queueSize is the queue per pod', () => {
    const { syncs, result } = observe(() => Simulator.fromManifests([annotated({ queueSize: 'inference_queue_depth' }),
      podsHpa('inference_queue_depth', '1000', 3)], 'llm', overloaded));
    const queueAt = new Map(result.timeline.map(p => [p.time, p.queueDepth]));
    for (const s of settled(syncs)) expect(s.values[0] * s.ready!).toBeCloseTo(queueAt.get(s.t)!, 6);
    expect(settled(syncs)[0].values[0]).toBeGreaterThan(0);
  });

  test('a series the guess would read as a rate ("requests"), marked batchSize, is the batch', () => {
    const manifests = (map: Record<string, string>) => [annotated(map), podsHpa('myengine_active_requests', '1000', 3)];
    const marked = observe(() => Simulator.fromManifests(manifests({ batchSize: 'myengine:active_requests' }), 'llm', overloaded));
    for (const s of settled(marked.syncs)) expect(s.values[0]).toBeCloseTo(8, 9);
    const guessed = observe(() => Simulator.fromManifests(manifests({}), 'llm', overloaded));
    for (const s of settled(guessed.syncs)) expect(s.values[0]).toBeCloseTo(10, 9); // 30/s over 3 pods
  });

  test('a KEDA query of an annotated series', () => {
    const { polls } = observe(() => Simulator.fromManifests([annotated({ batchSize: 'myengine:active_requests' }),
      scaledObject('sum(myengine:active_requests{namespace="ml"})', '1000', 3)], 'llm', overloaded));
    for (const p of settled(polls)) expect(p.values[0]).toBeCloseTo(24, 9);
  });

  test('the signals option comes first, then the annotation, then the catalog', () => {
    const hpa = podsHpa('vllm_num_requests_running', '1000', 3);
    // the annotation says what the workload exports, over the catalog
    const byAnnotation = observe(() => Simulator.fromManifests([annotated({ queueSize: 'vllm:num_requests_running' }), hpa], 'llm', overloaded));
    const byCatalog = observe(() => Simulator.fromManifests([deployment(), hpa], 'llm', overloaded));
    const byOption = observe(() => Simulator.fromManifests([annotated({ queueSize: 'vllm:num_requests_running' }), hpa], 'llm',
      { ...overloaded, signals: { vllm_num_requests_running: MetricSignal.BATCH_SIZE } }));
    const last = (o: { syncs: Observed[] }) => settled(o.syncs)[3].values[0];
    expect(last(byCatalog)).toBeCloseTo(8, 9);
    expect(last(byOption)).toBeCloseTo(8, 9);
    expect(last(byAnnotation)).toBeGreaterThan(8); // the queue per pod
  });

  test('GPU memory has no value in the model: a warning', () => {
    const r = Simulator.fromManifests([deployment(), podsHpa('DCGM_FI_DEV_FB_USED', '1000', 3)], 'llm', STEADY_OPTIONS);
    expect(r.summary.warnings).toEqual([expect.stringContaining('HPA metric 1 (DCGM_FI_DEV_FB_USED): GPU memory in use does not move with load')]);
  });

  test('an annotation that is not a JSON map is an error naming it', () => {
    expect(errorOf(() => Simulator.fromManifests([deployment({ 'ml-autoscaling.io/server-metrics': 'queueSize=x' }), podsHpa('x', '5')], 'llm', VLLM)))
      .toBe('[Simulator.fromManifests] manifests (workload "llm") annotation ml-autoscaling.io/server-metrics="queueSize=x": is not a JSON object of ' +
        'series names by signal. Fix: write it as JSON, e.g. {"queueSize":"vllm:num_requests_waiting","batchSize":"vllm:num_requests_running"}.');
  });
});

describe('capacity, concurrency and service time', () => {
  const HPA = podsHpa('vllm_num_requests_waiting', '5').spec;
  const run = (o: Partial<SimulationOptions>) => Simulator.run({ horizontalPodAutoscaler: HPA, trace: SPIKE, ...o } as any);

  test('capacity alone is today\'s model: concurrency 1, service time 1 / capacity', () => {
    expect(run({ capacityPerReplica: 4, concurrencyPerReplica: 1, serviceTimeSeconds: 0.25 })).toEqual(run({ capacityPerReplica: 4 }));
  });

  test('the queue depends on the capacity only: 8 at once for 2 s is 4 per second', () => {
    expect(run({ concurrencyPerReplica: 8, serviceTimeSeconds: 2 })).toEqual(run({ capacityPerReplica: 4 }));
    expect(run({ capacityPerReplica: 4, concurrencyPerReplica: 8 })).toEqual(run({ capacityPerReplica: 4 }));
    expect(run({ capacityPerReplica: 4, serviceTimeSeconds: 2 })).toEqual(run({ capacityPerReplica: 4 }));
  });

  test('all three within float noise agree', () => {
    expect(() => run({ capacityPerReplica: 0.3, concurrencyPerReplica: 0.1 * 3, serviceTimeSeconds: 1 })).not.toThrow();
    expect(() => run({ capacityPerReplica: 4, concurrencyPerReplica: 8, serviceTimeSeconds: 2.000001 })).not.toThrow();
  });

  test('errors name the entry point, the option, the value and the fix', () => {
    expect(errorOf(() => run({ capacityPerReplica: 5, concurrencyPerReplica: 8, serviceTimeSeconds: 2 }))).toBe(
      '[Simulator.run] capacityPerReplica=5: disagrees with concurrencyPerReplica=8 / serviceTimeSeconds=2 = 4 items per second. ' +
      'Fix: give either capacityPerReplica or concurrencyPerReplica and serviceTimeSeconds (leave one of the three out and it is derived), ' +
      'or make capacity = concurrency / service time.');
    expect(errorOf(() => run({ concurrencyPerReplica: 8 }))).toBe(
      '[Simulator.run] serviceTimeSeconds=undefined: is missing: concurrencyPerReplica=8 alone does not give the capacity of one replica. ' +
      'Fix: give serviceTimeSeconds too (how long one item takes; capacity = concurrency / service time), or capacityPerReplica.');
    expect(errorOf(() => run({ serviceTimeSeconds: 2 }))).toBe(
      '[Simulator.run] concurrencyPerReplica=undefined: is missing: serviceTimeSeconds=2 alone does not give the capacity of one replica. ' +
      'Fix: give concurrencyPerReplica too (items one replica processes at once, e.g. the engine\'s maximum batch), or capacityPerReplica.');
    expect(errorOf(() => run({}))).toBe(
      '[Simulator.run] capacityPerReplica=undefined: is missing: the workload model needs the capacity of one replica. Fix: give capacityPerReplica ' +
      '(items one ready replica completes per second, e.g. 20), or concurrencyPerReplica and serviceTimeSeconds (e.g. 8 requests at once, 2 s each: 4 per second).');
    expect(errorOf(() => run({ concurrencyPerReplica: 0, serviceTimeSeconds: 2 }))).toBe(
      '[Simulator.run] concurrencyPerReplica=0: must be a finite number greater than 0, got a number. ' +
      'Fix: use the items one replica processes at once, e.g. the model server\'s maximum batch of 8.');
    expect(errorOf(() => run({ concurrencyPerReplica: 8, serviceTimeSeconds: Infinity }))).toContain('[Simulator.run] serviceTimeSeconds=Infinity: must be a finite number');
    expect(errorOf(() => Simulator.fromManifests([deployment(), podsHpa('q', '5')], 'llm', { trace: SPIKE, concurrencyPerReplica: 8 })))
      .toContain('[Simulator.fromManifests] options.serviceTimeSeconds=undefined: is missing: options.concurrencyPerReplica=8 alone');
  });
});

describe('outermostAggregation', () => {
  test.each([
    ['sum(vllm:num_requests_waiting{pod=~"a(b)"})', 'sum'],
    ['  sum by (pod) (x)', 'sum'],
    ['sum(x) by (pod)', 'sum'],
    ['sum(avg by (pod) (x))', 'sum'],
    ['avg(gpu_utilization{job="ml-inference"})', 'avg'],
    ['max without (instance) (x)', 'max'],
    ['sum(x) / count(x)', undefined],
    ['vllm:num_requests_waiting', undefined],
    ['max_over_time(x[1m])', undefined],
    ['rate(x[1m])', undefined],
  ])('%s -> %s', (query, expected) => {
    expect(outermostAggregation(query)).toBe(expected);
  });
});
