import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HpaController } from '../../src/simulate/hpa-controller';
import { checkRunSize } from '../../src/simulate/limits';
import { SimulationReport } from '../../src/simulate/report-svg';
import { Simulator } from '../../src/simulate/simulator';
import { DemandTrace } from '../../src/simulate/trace';
import { errorOf } from '../error-of';

const trace = DemandTrace.fromPoints([
  { time: 0, arrivalsPerSecond: 5 }, { time: 300, arrivalsPerSecond: 40 }, { time: 1200, arrivalsPerSecond: 5 }, { time: 1800, arrivalsPerSecond: 0 },
]);

function deployment(containers: string[], gpu = false): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      template: {
        spec: {
          containers: containers.map(name => ({
            name, image: name, resources: { requests: { cpu: '1', memory: '1Gi', ...(gpu ? { 'nvidia.com/gpu': 1 } : {}) } },
          })),
        },
      },
    },
  };
}

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

describe('autoscaling/v1 HorizontalPodAutoscaler', () => {
  const v1 = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 30 },
  };
  const v2 = (percent: number): any => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: {
      scaleTargetRef: ref,
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } } }],
    },
  });
  const options = { trace, capacityPerReplica: 10, coldStartSeconds: 30 };

  test('targetCPUUtilizationPercentage is simulated as its v2 equivalent (a Resource cpu Utilization metric), not at 80%', () => {
    const fromV1 = Simulator.fromManifests([deployment(['app']), v1], 'web', options);
    expect(fromV1).toEqual(Simulator.fromManifests([deployment(['app']), v2(30)], 'web', options));
    expect(fromV1.summary.replicaHours).toBeGreaterThan(Simulator.fromManifests([deployment(['app']), v2(80)], 'web', options).summary.replicaHours);
  });

  test('Simulator.run takes a v1 HPA (or its spec) too, and checks the percentage', () => {
    expect(Simulator.run({ ...options, horizontalPodAutoscaler: v1 })).toEqual(Simulator.run({ ...options, horizontalPodAutoscaler: v2(30) }));
    expect(Simulator.run({ ...options, horizontalPodAutoscaler: v1.spec })).toEqual(Simulator.run({ ...options, horizontalPodAutoscaler: v2(30) }));
    expect(errorOf(() => Simulator.run({ ...options, horizontalPodAutoscaler: { ...v1, spec: { ...v1.spec, targetCPUUtilizationPercentage: 0 } } })))
      .toBe('[Simulator.run] horizontalPodAutoscaler.spec.targetCPUUtilizationPercentage=0: must be an integer in 1..2147483647, got a number. Fix: use a whole percentage of the CPU request, e.g. 70.');
  });

  test('without targetCPUUtilizationPercentage, v1 defaults to cpu at 80% as v2 does', () => {
    const bare = { ...v1, spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 10 } };
    expect(Simulator.fromManifests([deployment(['app']), bare], 'web', options)).toEqual(Simulator.fromManifests([deployment(['app']), v2(80)], 'web', options));
  });
});

test('a KEDA ScaledJob is refused as not simulated (not "no HorizontalPodAutoscaler or ScaledObject targets ...")', () => {
  const scaledJob = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledJob',
    metadata: { name: 'batch' },
    spec: { jobTargetRef: { template: { spec: { containers: [{ name: 'w', image: 'w' }] } } }, triggers: [{ type: 'rabbitmq', metadata: { queueName: 'q', value: '5' } }] },
  };
  expect(errorOf(() => Simulator.fromManifests([scaledJob], 'batch', { trace, capacityPerReplica: 1 }))).toBe(
    '[Simulator.fromManifests] target="batch": is a KEDA ScaledJob, which the simulator does not simulate: it replays a HorizontalPodAutoscaler or ' +
    'ScaledObject scaling long-running replicas, while a ScaledJob starts one Job per batch of messages. ' +
    'Fix: pass the name of a workload scaled by an HPA or a ScaledObject.');
});

describe('metrics the real HPA could not read are simulated, with a warning', () => {
  const hpa = (metrics: any[]): any => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 10, metrics },
  });
  const gpuMetric = { type: 'Resource', resource: { name: 'nvidia.com/gpu', target: { type: 'Utilization', averageUtilization: 60 } } };
  const sidecarMetric = { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'sidecar', target: { type: 'Utilization', averageUtilization: 60 } } };
  const cpuMetric = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } };

  test('a Resource metric on nvidia.com/gpu', () => {
    const r = Simulator.fromManifests([deployment(['app'], true), hpa([cpuMetric, gpuMetric])], 'web', { trace, capacityPerReplica: 10 });
    expect(r.summary.warnings).toEqual([
      'HPA metric 2 (Resource nvidia.com/gpu): the resource metrics API (metrics-server) reports only cpu and memory, so the real HPA cannot read ' +
      '"nvidia.com/gpu" (FailedGetResourceMetric) and does not scale on it; simulated as if readable. Fix: scale on a Pods or External metric of a ' +
      'GPU exporter (e.g. DCGM_FI_DEV_GPU_UTIL through prometheus-adapter or KEDA\'s prometheus trigger).',
    ]);
    expect(SimulationReport.summaryText(r)).toContain('warning            HPA metric 2 (Resource nvidia.com/gpu): the resource metrics API');
    // Simulator.run knows no containers, but the resource name alone is enough
    expect(Simulator.run({ horizontalPodAutoscaler: hpa([gpuMetric]), trace, capacityPerReplica: 10 }).summary.warnings).toHaveLength(1);
  });

  test('a ContainerResource metric on a container the pod does not have', () => {
    const r = Simulator.fromManifests([deployment(['app', 'proxy']), hpa([sidecarMetric])], 'web', { trace, capacityPerReplica: 10 });
    expect(r.summary.warnings).toEqual([
      'HPA metric 1 (ContainerResource cpu of container "sidecar"): the pod has no container "sidecar" (containers: app, proxy), so the real HPA ' +
      'cannot read the metric (FailedGetContainerResourceMetric); simulated as if readable. Fix: set containerResource.container to one of "app", "proxy".',
    ]);
    expect(Simulator.fromManifests([deployment(['app', 'sidecar']), hpa([sidecarMetric])], 'web', { trace, capacityPerReplica: 10 }).summary.warnings).toEqual([]);
  });

  test('readable metrics give no warning', () => {
    expect(Simulator.fromManifests([deployment(['app']), hpa([cpuMetric])], 'web', { trace, capacityPerReplica: 10 }).summary.warnings).toEqual([]);
  });
});

describe('DemandTrace.fromCsvFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-file-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('reads a file in chunks as fromCsv reads its text (rows and multi-byte comments across 1 MiB chunk boundaries, CRLF)', () => {
    const lines = ['# demand, ünïcode comment', 'time,arrivals,note'];
    for (let i = 0; i < 200_000; i++) lines.push(i % 1000 === 999 ? `# ${'é'.repeat(i % 7)} hour ${i}` : `${i * 2}, ${(i % 13) / 4},x`);
    const text = lines.join('\r\n') + '\r\n';
    expect(Buffer.byteLength(text)).toBeGreaterThan(2 * 1024 * 1024);
    const file = path.join(dir, 'long.csv');
    fs.writeFileSync(file, text);
    const fromFile = DemandTrace.fromCsvFile(file);
    const fromText = DemandTrace.fromCsv(text);
    expect(fromFile.pointCount).toBe(200_000 - 200);
    expect(fromFile.points).toEqual(fromText.points);
    expect(fromFile.durationSeconds).toBe(2 * 199_998);
    expect(fromFile.rateAt(2 * 1001)).toBe((1001 % 13) / 4);
  });

  test('errors name the row (blank and comment lines counted) and the file', () => {
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, 'time,arrivals\n\n# c\n0,1\n10,x\n');
    expect(errorOf(() => DemandTrace.fromCsvFile(file)))
      .toBe('[DemandTrace.fromCsvFile] path (row 5, arrivals)="x": is not a number per second. Fix: write the arrivals per second, e.g. 5.');
    expect(errorOf(() => DemandTrace.fromCsvFile(path.join(dir, 'missing.csv'))))
      .toBe(`[DemandTrace.fromCsvFile] path="${path.join(dir, 'missing.csv')}": cannot be read (ENOENT). Fix: pass the path of an existing, readable CSV file.`);
    expect(errorOf(() => DemandTrace.fromCsvFile(dir))).toBe(`[DemandTrace.fromCsvFile] path="${dir}": cannot be read (EISDIR). Fix: pass the path of an existing, readable CSV file.`);
  });

  test('a trace is at most 366 days, from points too', () => {
    expect(errorOf(() => DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 1 }, { time: 1.7e9, arrivalsPerSecond: 0 }])))
      .toMatch(/^\[DemandTrace\.fromPoints\] points\[1\]\.time=1700000000: is past the longest run the simulator takes, 31,622,400 s \(366 days\)\. Fix: write seconds/);
    expect(DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 1 }, { time: 366 * 86400, arrivalsPerSecond: 0 }]).durationSeconds).toBe(31_622_400);
  });
});

describe('run size limits', () => {
  const size = { durationSeconds: 86400, tracePoints: 2, syncPeriodSeconds: 15, outputIntervalSeconds: 15, historySeconds: 300 };
  const sync = { scope: 'S', prop: 'sync' };
  const output = { scope: 'S', prop: 'output' };

  test('timeline rows, steps and HPA history each have a limit; the fix is the shortest period meeting all of them', () => {
    expect(() => checkRunSize(size, sync, output)).not.toThrow();
    expect(errorOf(() => checkRunSize({ ...size, syncPeriodSeconds: 0.01, outputIntervalSeconds: 0.01 }, sync, output)))
      .toBe('[S] sync=0.01: makes the HPA controller review 259,208,640,000 stored recommendations (8,640,000 syncs, each over the last 300 s ' +
        'of its windows; at most 1,000,000,000 in all). Fix: use at least 0.162 s, or a shorter trace.');
    expect(errorOf(() => checkRunSize({ ...size, durationSeconds: 31_622_400, outputIntervalSeconds: 10 }, sync, output)))
      .toBe('[S] output=10: makes 3,162,240 timeline rows over the 31622400 s trace (at most 2,500,000). Fix: use at least 12.649 s, or a shorter trace.');
    expect(errorOf(() => checkRunSize({ ...size, durationSeconds: 31_622_400, tracePoints: 16_000_000, historySeconds: 15 }, sync, output)))
      .toMatch(/^\[S\] sync=15: makes 20,216,320 steps/);
    const year = { ...size, durationSeconds: 31_622_400, tracePoints: 15_000_000, historySeconds: 15, pollPeriodSeconds: 30 };
    expect(errorOf(() => checkRunSize(year, sync, output)))
      .toMatch(/^\[S\] sync=15: makes 20,270,400 steps \(2,108,160 syncs, 1,054,080 polls, 2,108,160 timeline rows, 15,000,000 trace points\) over the 31622400 s trace \(at most 20,000,000\)\. Fix: use at least 1\d\.\d+ s/);
  });

  test('HpaController.historySeconds: the longest stabilization window or policy period', () => {
    expect(new HpaController({ maxReplicas: 3 }).historySeconds).toBe(300);
    expect(new HpaController({ maxReplicas: 3 }, { downscaleStabilizationSeconds: 60 }).historySeconds).toBe(60);
    expect(new HpaController({ maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } }).historySeconds).toBe(15);
    expect(new HpaController({ maxReplicas: 3, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 1800 }] } } }).historySeconds).toBe(1800);
  });
});
