import { readFileSync } from 'fs';
import { join } from 'path';
import { Duration, Testing } from 'cdk8s';
import { ArticleInferenceChart } from '../../examples/inference';
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
});
