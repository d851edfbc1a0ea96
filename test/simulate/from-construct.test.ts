import { readFileSync } from 'fs';
import { join } from 'path';
import { Duration, Testing } from 'cdk8s';
import { ArticleInferenceChart } from '../../examples/inference';
import { ScaleToZeroInferenceChart } from '../../examples/scale-to-zero';
import { DemandTrace, Simulator } from '../../src';

const SPIKE = DemandTrace.fromCsv(readFileSync(join(__dirname, 'fixtures', 'spike-trace.csv'), 'utf8'));

describe('Simulator.fromConstruct', () => {
  test('simulates what the construct ships: same result as from its synthesized manifests', () => {
    const chart = new ArticleInferenceChart(Testing.app(), 'article');
    const options = { trace: SPIKE, capacityPerReplica: 4 };
    const direct = Simulator.fromConstruct(chart.service, options);
    const fromYaml = Simulator.fromManifests(Testing.synth(chart), 'ml-inference-service', options);
    expect(direct.summary).toEqual(fromYaml.summary);
    // one GPU per pod and the declared 120 s model load are read from the Deployment
    expect(direct.summary.gpuHours).toBeCloseTo(direct.summary.replicaHours, 6);
    expect(direct.summary.peakReplicas).toBeGreaterThan(2);
    expect(direct.summary.peakReplicas).toBeLessThanOrEqual(10);
    expect(direct.summary.lowestReplicas).toBeGreaterThanOrEqual(2);
  });

  test('a longer model load makes the same spike wait longer', () => {
    const fast = new ArticleInferenceChart(Testing.app(), 'fast');
    const slow = new ArticleInferenceChart(Testing.app(), 'slow');
    const a = Simulator.fromConstruct(fast.service, { trace: SPIKE, capacityPerReplica: 4, coldStartSeconds: 30 });
    const b = Simulator.fromConstruct(slow.service, { trace: SPIKE, capacityPerReplica: 4, coldStartSeconds: Duration.minutes(4).toSeconds() });
    expect(b.summary.maxQueueWaitSeconds).toBeGreaterThan(a.summary.maxQueueWaitSeconds);
  });

  test('simulates for the construct\'s KubernetesTarget unless the options name a cluster', () => {
    // the chart targets 1.37: the HPA parks the service at zero and wakes it on the queue
    const chart = new ScaleToZeroInferenceChart(Testing.app(), 'zero');
    const idle = DemandTrace.fromCsv('time,arrivals\n0,2\n600,0\n2400,2\n3000,0\n3600,0');
    const own = Simulator.fromConstruct(chart.service, { trace: idle, capacityPerReplica: 2 });
    expect(own.summary.lowestReplicas).toBe(0);
    expect(own.summary.coldStartsFromZero).toBeGreaterThan(0);
    expect(own.summary.warnings ?? []).toEqual([]);
    // told it is a 1.35 cluster without the gate, the run warns that the API server would refuse minReplicas 0
    const older = Simulator.fromConstruct(chart.service, { trace: idle, capacityPerReplica: 2, kubernetesVersion: '1.35' });
    expect((older.summary.warnings ?? []).join('\n')).toMatch(/HPAScaleToZero/);
  });
});
