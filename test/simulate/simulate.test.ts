import * as path from 'path';
import { ApiObject, Chart, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { ManifestInput } from '../../src/simulate/manifest-input';
import { SimulationReport } from '../../src/simulate/report-svg';
import { MetricSignal } from '../../src/simulate/simulation-types';
import { Simulator } from '../../src/simulate/simulator';
import { DemandTrace } from '../../src/simulate/trace';

const FIXTURES = path.join(__dirname, 'fixtures');

/** An HPA pinned at `replicas` (min = max), so only the workload model moves. */
function pinnedHpa(replicas: number): any {
  return {
    minReplicas: replicas,
    maxReplicas: replicas,
    metrics: [{ type: 'Pods', pods: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '10' } } }],
  };
}

describe('Simulator: the queueing model', () => {
  // 2 replicas x 5/s = 10/s of capacity against 15/s for 60 s: the queue grows 5/s to 300, then drains at 10/s.
  const trace = DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 15 }, { time: 60, arrivalsPerSecond: 0 }, { time: 120, arrivalsPerSecond: 0 }]);
  const result = Simulator.run({ horizontalPodAutoscaler: pinnedHpa(2), trace, capacityPerReplica: 5, latencyTargetSeconds: 10, gpusPerReplica: 1 });

  test('queues excess demand and drains it with the spare capacity', () => {
    expect(result.summary.itemsArrived).toBeCloseTo(900);
    expect(result.summary.itemsServed).toBeCloseTo(900);
    expect(result.summary.maxQueueDepth).toBeCloseTo(300);
    expect(result.timeline.find(r => r.time === 90)!.queueDepth).toBe(0);
  });

  test('computes FIFO waits from the arrival and departure curves', () => {
    // The item arriving at t: served when 10/s has done 15t items, at 1.5t: waits 0.5t.
    expect(result.summary.maxQueueWaitSeconds).toBeCloseTo(30);
    expect(result.summary.p95QueueWaitSeconds).toBeCloseTo(28.5);
    expect(result.summary.secondsOverLatencyTarget).toBe(40);
  });

  test('counts replica-hours and GPU-hours over the whole run', () => {
    expect(result.summary.replicaHours).toBeCloseTo((2 * 120) / 3600);
    expect(result.summary.gpuHours).toBeCloseTo((2 * 120) / 3600);
    expect(result.summary.scaleEvents).toBe(0);
  });

  test('writes one timeline row per HPA sync', () => {
    expect(result.timeline.map(r => r.time)).toEqual([0, 15, 30, 45, 60, 75, 90, 105]);
  });
});

describe('Simulator: cold starts and controllers', () => {
  test('new pods serve only after the cold start', () => {
    const hpa = {
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [{ type: 'External', external: { metric: { name: 'queue_depth' }, target: { type: 'Value', value: '10' } } }],
      behavior: { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 15 }] } },
    };
    const trace = DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 20 }, { time: 300, arrivalsPerSecond: 0 }]);
    const result = Simulator.run({ horizontalPodAutoscaler: hpa, trace, capacityPerReplica: 10, coldStartSeconds: 60 });
    const at = (t: number) => result.timeline.find(r => r.time === t)!;
    // t=15: queue 150 -> 150/10 * 1 ready = 15 replicas wanted, 1 + 2 allowed
    expect(at(15).desiredReplicas).toBe(3);
    expect(at(60).readyReplicas).toBe(1);
    expect(at(75).readyReplicas).toBe(3);
  });

  test('the article batch ScaledObject wakes up at the first poll with a backlog above activation', () => {
    const manifests = Yaml.load(path.join(FIXTURES, 'article-batch.yaml'));
    const trace = DemandTrace.fromPoints([
      { time: 0, arrivalsPerSecond: 0 }, { time: 300, arrivalsPerSecond: 6 },
      { time: 900, arrivalsPerSecond: 0 }, { time: 2400, arrivalsPerSecond: 0 },
    ]);
    const result = Simulator.fromManifests(manifests, 'ml-batch-processor', { trace, capacityPerReplica: 1 });
    const first = result.timeline.find(r => r.desiredReplicas > 0)!;
    // t=315: 90 queued > activation 1: KEDA sets 1, then the HPA (no behavior: legacy) allows max(2*1, 4) = 4.
    expect(first.time).toBe(315);
    expect(first.desiredReplicas).toBe(4);
    expect(first.active).toBe(true);
    // 300 s of cooldown after the backlog is gone, the target is back at zero.
    expect(result.timeline[result.timeline.length - 1].desiredReplicas).toBe(0);
    expect(result.summary.lowestReplicas).toBe(0);
    // the CSV gets KEDA's activity as a column
    const csv = SimulationReport.toCsv(result).split('\n');
    expect(csv[0].endsWith(',active')).toBe(true);
    expect(csv.find(l => l.startsWith('315,'))!.endsWith(',1')).toBe(true);
  });

  test('signals can be set by metric name', () => {
    const hpa = {
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Pods', pods: { metric: { name: 'custom_metric' }, target: { type: 'AverageValue', averageValue: '5' } } }],
    };
    const trace = DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 20 }, { time: 60, arrivalsPerSecond: 20 }]);
    const result = Simulator.run({
      horizontalPodAutoscaler: hpa, trace, capacityPerReplica: 100, signals: { custom_metric: MetricSignal.ARRIVAL_RATE },
    });
    // 20/s arriving, 5/s per pod wanted -> 4 pods (legacy limit from 1: max(2, 4) = 4)
    expect(result.timeline.find(r => r.time === 15)!.desiredReplicas).toBe(4);
  });

  test('rejects both or neither autoscaler', () => {
    const trace = DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 1 }, { time: 60, arrivalsPerSecond: 1 }]);
    expect(() => Simulator.run({ trace, capacityPerReplica: 1 })).toThrow(/exactly one/);
  });
});

describe('Simulator: manifests', () => {
  test('reads GPUs, requests and the model load time of the article inference service', () => {
    const target = ManifestInput.findTarget(Yaml.load(path.join(FIXTURES, 'article-inference.yaml')), 'ml-inference-service');
    expect(target.horizontalPodAutoscaler.metadata.name).toBe('ml-inference-hpa');
    expect(target.gpusPerReplica).toBe(1);
    expect(target.cpuRequestCores).toBe(2);
    expect(target.memoryRequestBytes).toBe(4 * 1024 ** 3);
    expect(target.modelLoadSeconds).toBe(90);
    expect(target.replicas).toBe(2);
  });

  test('reads objects inside a List', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: Yaml.load(path.join(FIXTURES, 'article-inference.yaml')) };
    expect(ManifestInput.findTarget([list], 'ml-inference-service').gpusPerReplica).toBe(1);
  });

  test('finds the target by the autoscaler name too', () => {
    const target = ManifestInput.findTarget(Yaml.load(path.join(FIXTURES, 'article-inference.yaml')), 'ml-inference-hpa');
    expect(target.workloadName).toBe('ml-inference-service');
  });

  test('works on Testing.synth output', () => {
    const chart = new Chart(Testing.app(), 'test');
    new ApiObject(chart, 'deploy', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { 'nvidia.com/gpu': 2 }, limits: { 'nvidia.com/gpu': 2 } } }] },
        },
      },
    });
    new ApiObject(chart, 'hpa', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4 },
    });
    const trace = DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 1 }, { time: 3600, arrivalsPerSecond: 1 }]);
    const result = Simulator.fromManifests(Testing.synth(chart), 'web', { trace, capacityPerReplica: 10 });
    expect(result.summary.gpuHours).toBeCloseTo(2 * result.summary.replicaHours);
  });

  test('explains a missing autoscaler', () => {
    const manifests = [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }];
    expect(() => ManifestInput.findTarget(manifests, 'api')).toThrow(/no HorizontalPodAutoscaler or ScaledObject targets "api".*Deployment\/web/);
  });

  test('refuses an HPA and a ScaledObject on the same workload', () => {
    const manifests = [
      { kind: 'HorizontalPodAutoscaler', metadata: { name: 'a' }, spec: { scaleTargetRef: { name: 'web' }, maxReplicas: 3 } },
      { kind: 'ScaledObject', metadata: { name: 'b' }, spec: { scaleTargetRef: { name: 'web' }, triggers: [] } },
    ];
    expect(() => ManifestInput.findTarget(manifests, 'web')).toThrow(/fight/);
  });
});

describe('DemandTrace', () => {
  test('parses time,arrivals CSV and integrates arrivals', () => {
    const trace = DemandTrace.fromCsv('time,arrivals\n0,2\n# spike\n10,5\n20,0\n');
    expect(trace.durationSeconds).toBe(20);
    expect(trace.rateAt(12)).toBe(5);
    expect(trace.arrivalsBetween(5, 15)).toBe(35);
  });

  test.each([
    ['t,a\n0,1\n1,1\n', /header/],
    ['time,arrivals\n0,1\n', /two points/],
    ['time,arrivals\n5,1\n10,1\n', /time 0/],
    ['time,arrivals\n0,1\n0,2\n', /increase/],
    ['time,arrivals\n0,x\n10,1\n', /\[DemandTrace.fromCsv\] text \(row 2, arrivals\)="x": is not a number per second/],
  ])('rejects %j', (csv, message) => {
    expect(() => DemandTrace.fromCsv(csv)).toThrow(message);
  });
});

describe('Simulator: properties', () => {
  test('conserves items and keeps replicas within the HPA range for any trace', () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: 0, max: 80, noNaN: true }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 180 }),
      (rates, min, extra, coldStart) => {
        const points = rates.map((r, i) => ({ time: i * 97, arrivalsPerSecond: r }));
        points.push({ time: rates.length * 97, arrivalsPerSecond: 0 });
        const metric = { type: 'Pods', pods: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '5' } } };
        const hpa = { minReplicas: min, maxReplicas: min + extra, metrics: [metric] };
        const trace = DemandTrace.fromPoints(points);
        const result = Simulator.run({ horizontalPodAutoscaler: hpa, trace, capacityPerReplica: 7, coldStartSeconds: coldStart });
        const s = result.summary;
        expect(s.itemsServed + s.itemsQueuedAtEnd).toBeCloseTo(s.itemsArrived, 6);
        for (const row of result.timeline) {
          expect(row.desiredReplicas).toBeGreaterThanOrEqual(min);
          expect(row.desiredReplicas).toBeLessThanOrEqual(min + extra);
          expect(row.readyReplicas).toBeLessThanOrEqual(row.desiredReplicas);
          expect(row.waitSeconds).toBeGreaterThanOrEqual(0);
        }
        expect(s.p95QueueWaitSeconds).toBeLessThanOrEqual(s.maxQueueWaitSeconds + 1e-9);
      }), { numRuns: 60 });
  });
});
