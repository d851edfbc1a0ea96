import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { SimulationReport } from '../../src/simulate/report-svg';
import { Simulator } from '../../src/simulate/simulator';
import { DemandTrace } from '../../src/simulate/trace';

const FIXTURES = path.join(__dirname, 'fixtures');
/** A GPU service (60 s model load) with an HPA: minReplicas 0, External requests-per-second metric, 4 per replica. */
const MANIFESTS = Yaml.load(path.join(FIXTURES, 'scale-to-zero-inference.yaml'));
/** Idle for 10 minutes, 10/s for 10 minutes, idle for 30, 10/s for 10, idle for 30. */
const TRACE = DemandTrace.fromCsv(fs.readFileSync(path.join(FIXTURES, 'idle-gaps-trace.csv'), 'utf8'));

const simulate = (options: Record<string, unknown> = {}) =>
  Simulator.fromManifests(MANIFESTS, 'llm-inference', { trace: TRACE, capacityPerReplica: 5, ...options });
const at = (result: ReturnType<typeof simulate>, time: number) => result.timeline.find(r => r.time === time)!;

describe('Simulator: an HPA that scales to zero and back (Kubernetes 1.37)', () => {
  const result = simulate({ kubernetesVersion: '1.37' });

  test('starts with one replica (minReplicas 0 is not a start at zero) and scales to zero once idle for 5 minutes', () => {
    expect(at(result, 0).desiredReplicas).toBe(1);
    expect(at(result, 300).desiredReplicas).toBe(1); // the first recommendation (1) is still in the window
    expect(at(result, 315).desiredReplicas).toBe(0);
    expect(result.summary.lowestReplicas).toBe(0);
  });

  test('wakes at the first sync that sees the arrivals; work waits in the queue until the first pod is ready', () => {
    // 600 s: arrivals start, the metric window still reads 0; 615 s: 10/s over the window -> ceil(10 / 4) = 3 pods.
    expect(at(result, 600)).toMatchObject({ desiredReplicas: 0, readyReplicas: 0 });
    expect(at(result, 615)).toMatchObject({ desiredReplicas: 3, readyReplicas: 0, queueDepth: 150 });
    expect(at(result, 660)).toMatchObject({ readyReplicas: 0, queueDepth: 600 });
    expect(at(result, 675)).toMatchObject({ readyReplicas: 3, queueDepth: 750 }); // 60 s after creation
    expect(result.summary.maxQueueWaitSeconds).toBeCloseTo(75);
  });

  test('reports each pod\'s cold start (creation to Ready, the recording rules\' definition) and how many pods started', () => {
    // the declared model load time (60 s) is the pod cold start; 3 pods at each of the two wake-ups
    expect(result.summary.podColdStartSeconds).toBe(60);
    expect(result.summary.podsStarted).toBe(6);
    expect(simulate({ kubernetesVersion: '1.37', coldStartSeconds: 90 }).summary.podColdStartSeconds).toBe(90);
    expect(SimulationReport.summaryText(result)).toContain('pod cold start     60 s from creation to Ready, 6 pods started');
  });

  test('reports the cold starts from zero: how many, the longest time to the first ready pod, the items that waited', () => {
    expect(result.summary.coldStartsFromZero).toBe(2);
    expect(result.summary.maxTimeToFirstReadySeconds).toBeCloseTo(75);
    expect(result.summary.itemsWaitedThroughColdStarts).toBeCloseTo(2 * 75 * 10);
    expect(result.summary.itemsQueuedAtEnd).toBe(0);
    expect(result.summary.warnings).toEqual([]);
  });

  test('the text summary and the SVG name the cold starts', () => {
    expect(SimulationReport.summaryText(result)).toContain(
      'cold starts        2 from zero ready replicas, first ready pod after max 75 s; 1,500 items waited through them');
    expect(SimulationReport.toSvg(result)).toContain('2 cold starts from zero, first ready after max 75 s');
  });

  test('Simulator.run with the same HPA gives the same run', () => {
    const hpa = MANIFESTS.find((m: any) => m.kind === 'HorizontalPodAutoscaler');
    const direct = Simulator.run({ horizontalPodAutoscaler: hpa, trace: TRACE, capacityPerReplica: 5, coldStartSeconds: 60, gpusPerReplica: 1, kubernetesVersion: '1.37' });
    expect(direct.summary).toEqual(result.summary);
  });

  test('initialReplicas 0 starts the target parked at zero by the HPA: it wakes at the first arrivals', () => {
    const parked = simulate({ kubernetesVersion: '1.37', initialReplicas: 0 });
    expect(at(parked, 0).desiredReplicas).toBe(0);
    expect(at(parked, 615).desiredReplicas).toBe(3);
    expect(parked.summary.coldStartsFromZero).toBe(2);
    expect(parked.summary.warnings).toEqual([]);
  });
});

describe('Simulator: scale to zero by Kubernetes version', () => {
  test('1.36 (HPAScaleToZero off by default): scaled to zero and never back; the API server would refuse minReplicas 0', () => {
    const result = simulate({ kubernetesVersion: '1.36' });
    expect(result.summary.peakReplicas).toBe(1);
    expect(result.summary.itemsServed).toBe(0);
    expect(result.summary.coldStartsFromZero).toBe(1);
    expect(result.summary.maxTimeToFirstReadySeconds).toBe(4800); // still waiting at the end: up to the end of the run
    expect(result.summary.warnings).toEqual([expect.stringMatching(/^HPA minReplicas 0: the API server of Kubernetes 1\.36 rejects it without the HPAScaleToZero/)]);
  });

  test('1.36 with the gate on behaves as 1.37', () => {
    expect(simulate({ kubernetesVersion: '1.36', featureGates: { HPAScaleToZero: true } }).summary)
      .toEqual(simulate({ kubernetesVersion: '1.37' }).summary);
  });

  test('1.35 (the default): the older controller rule wakes minReplicas 0 from its metrics, but the API server refuses the HPA', () => {
    const result = simulate();
    expect(result.summary.coldStartsFromZero).toBe(2);
    expect(result.summary.warnings).toEqual([expect.stringMatching(/Kubernetes 1\.35 rejects it without the HPAScaleToZero feature gate/)]);
  });

  test('hpaOptions can carry the version instead (not both)', () => {
    expect(simulate({ hpaOptions: { kubernetesVersion: '1.37' } }).summary).toEqual(simulate({ kubernetesVersion: '1.37' }).summary);
    expect(() => simulate({ kubernetesVersion: '1.37', hpaOptions: { kubernetesVersion: '1.36' } }))
      .toThrow(/\[Simulator\.fromManifests\] options\.hpaOptions\.kubernetesVersion="1\.36": is given twice \(also as options\.kubernetesVersion\)/);
  });

  test('a gate rule is reported on the option given', () => {
    expect(() => simulate({ kubernetesVersion: '1.37', featureGates: { HPAConfigurableTolerance: false } }))
      .toThrow(/\[Simulator\.fromManifests\] options\.featureGates\.HPAConfigurableTolerance=false: cannot be disabled in Kubernetes 1\.37/);
    expect(() => simulate({ hpaOptions: { kubernetesVersion: '1.37', featureGates: { HPAConfigurableTolerance: false } } }))
      .toThrow(/\[Simulator\.fromManifests\] options\.hpaOptions\.featureGates\.HPAConfigurableTolerance=false/);
    expect(() => simulate({ kubernetesVersion: '1.2' })).toThrow(/\[Simulator\.fromManifests\] options\.kubernetesVersion="1\.2"/);
  });
});

describe('Simulator: HPAs at zero replicas that cannot wake', () => {
  const hpa = (minReplicas: number, metrics: any[]) => ({ minReplicas, maxReplicas: 4, metrics });
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
  const external = { type: 'External', external: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '4' } } };

  test('initialReplicas 0 with minReplicas 1: a target scaled to zero by hand stays there (ScalingDisabled)', () => {
    const result = Simulator.run({ horizontalPodAutoscaler: hpa(1, [external]), trace: TRACE, capacityPerReplica: 5, initialReplicas: 0, kubernetesVersion: '1.37' });
    expect(result.summary.peakReplicas).toBe(0);
    expect(result.summary.warnings).toEqual([expect.stringMatching(/^initialReplicas 0: the HPA does not scale this target up from zero replicas \(minReplicas 1/)]);
  });

  test('minReplicas 0 with only a CPU metric: scaled to zero, never back, and the API server refuses it', () => {
    const result = Simulator.run({ horizontalPodAutoscaler: hpa(0, [cpu]), trace: TRACE, capacityPerReplica: 5, kubernetesVersion: '1.37' });
    expect(result.summary.itemsServed).toBe(0);
    expect(result.summary.warnings).toEqual([expect.stringMatching(/^HPA minReplicas 0 without an Object or External metric/)]);
  });

  test('at zero pods a CPU metric has no samples: the External metric beside it wakes the target', () => {
    const result = Simulator.run({ horizontalPodAutoscaler: hpa(0, [cpu, external]), trace: TRACE, capacityPerReplica: 5, kubernetesVersion: '1.37' });
    expect(result.summary.coldStartsFromZero).toBe(2);
    expect(result.summary.itemsQueuedAtEnd).toBe(0);
  });
});

describe('Simulator: the queue at zero replicas', () => {
  test('a queue that emptied leaves nothing behind to wait through the night at zero replicas (no float sliver)', () => {
    // A working day with lulls: the float rounding of the departure curve used to leave 1e-10 of an item "queued"
    // when the queue emptied, and that sliver waited through the next span without replicas (1905 s).
    const points = [];
    for (let time = 0; time < 86400; time += 300) {
      const hour = time / 3600;
      const open = hour >= 7 && hour < 22 && hour % 3 < 2.5;
      const daily = 0.5 - 0.5 * Math.cos(((hour - 7) / 15) * 2 * Math.PI);
      points.push({ time, arrivalsPerSecond: open ? Math.round((2 + 38 * daily) * 100) / 100 : 0 });
    }
    points.push({ time: 86400, arrivalsPerSecond: 0 });
    const hpa = {
      minReplicas: 0,
      maxReplicas: 10,
      metrics: [{ type: 'External', external: { metric: { name: 'llm_requests_per_second' }, target: { type: 'AverageValue', averageValue: '12' } } }],
    };
    const result = Simulator.run({
      horizontalPodAutoscaler: hpa, trace: DemandTrace.fromPoints(points), capacityPerReplica: 15, coldStartSeconds: 90, kubernetesVersion: '1.37',
    });
    expect(result.summary.coldStartsFromZero).toBe(6);
    expect(result.summary.maxTimeToFirstReadySeconds).toBe(105);
    expect(result.summary.maxQueueWaitSeconds).toBe(105);
  });
});

describe('Simulator: KEDA is unaffected by the Kubernetes version', () => {
  const scaledObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'worker' },
    spec: {
      scaleTargetRef: { name: 'worker' },
      minReplicaCount: 0,
      maxReplicaCount: 8,
      triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://prom:9090', query: 'sum(rate(requests[1m]))', threshold: '4', activationThreshold: '0.5' } }],
    },
  };

  test('the same run on 1.35 and 1.37, with cold starts from zero reported', () => {
    const run = (kubernetesVersion: string) =>
      Simulator.run({ scaledObject, trace: TRACE, capacityPerReplica: 5, coldStartSeconds: 60, kubernetesVersion });
    const result = run('1.37');
    expect(result.summary).toEqual(run('1.35').summary);
    expect(result.summary.coldStartsFromZero).toBe(2);
    expect(result.summary.maxTimeToFirstReadySeconds).toBeGreaterThanOrEqual(60);
  });
});
