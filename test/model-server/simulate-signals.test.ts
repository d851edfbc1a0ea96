/**
 * Simulate what ships: a vLLM service's signals, rendered by the constructs, are read by the simulator from the
 * manifests alone (no `signals` option), and the same signal scales the same way under either controller.
 */
import { Testing } from 'cdk8s';
import { DemandTrace, HybridMlService, HybridScalingMode, ModelServer, ScalingSignal, Simulator } from '../../src';

const TRACE = DemandTrace.fromCsv('time,arrivals\n0,2\n600,12\n1800,4\n2700,0\n3600,0');
const MODEL = { trace: TRACE, concurrencyPerReplica: 8, serviceTimeSeconds: 2, coldStartSeconds: 60 };

function service(mode: HybridScalingMode, signals: ScalingSignal[]): HybridMlService {
  return new HybridMlService(Testing.chart(), 'Svc', {
    name: 'llm',
    namespace: 'ml',
    image: 'vllm/vllm-openai:v0.12.0',
    modelServer: ModelServer.vllm(),
    minReplicas: 1,
    maxReplicas: 10,
    mode,
    signals,
    ...(mode === HybridScalingMode.KEDA ? { keda: { prometheusAddress: 'http://prometheus:9090', pollingInterval: undefined } } : {}),
  });
}

test.each([
  ['queue size', ScalingSignal.queueSize(5)],
  ['batch size', ScalingSignal.batchSize(6)],
  ['KV-cache usage', ScalingSignal.kvCacheUsage(0.75)],
])('%s: read from the manifests without a signals option, with no simulation warning', (_name, signal) => {
  for (const mode of [HybridScalingMode.HPA, HybridScalingMode.KEDA]) {
    const run = Simulator.fromConstruct(service(mode, [signal]), MODEL);
    expect(run.summary.warnings ?? []).toEqual([]);
    // 12 requests/s at 4 per second per replica needs at least 3 replicas: the signal must have scaled up
    expect(run.summary.peakReplicas).toBeGreaterThanOrEqual(3);
  }
});

test('batch size 6 of 8 at once: the HPA holds each replica near 6 requests in service', () => {
  const run = Simulator.fromConstruct(service(HybridScalingMode.HPA, [ScalingSignal.batchSize(6)]), MODEL);
  // 12/s x 2 s = 24 in service at the plateau: 24 / 6 = 4 replicas
  const plateau = run.timeline.filter(p => p.time >= 1500 && p.time < 1800);
  expect(plateau.every(p => p.desiredReplicas === 4)).toBe(true);
});
