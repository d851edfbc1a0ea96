/**
 * The model-server examples (examples/model-servers.ts), each simulated on the signal that fits it,
 * on one trace (examples/traces/llm-day.csv: two hours, 2 to 8 requests/s through a ramp, a 10-minute
 * burst at 16/s, then winding down), and for contrast the vLLM service scaled on its batch size and on
 * GPU utilization. Prints the README's table: `npx ts-node -P tsconfig.dev.json examples/compare-signals.ts`.
 *
 * The workload model: an LLM replica runs up to 64 requests at once (vLLM `--max-num-seqs 64`), each for
 * 32 s (about 600 output tokens), so it completes 2 requests/s; the rest waits in one FIFO queue. The
 * simulator reads the signals from the manifests alone (no `signals` option): the engines' queue size
 * (`vllm:num_requests_waiting`, `sglang:num_queue_reqs`) is the requests waiting, the batch size
 * (`vllm:num_requests_running`) the requests in service, DCGM GPU utilization the busy share of the
 * replicas' capacity, which is how an image model's GPU behaves. An LLM server's GPU does not: continuous
 * batching keeps it busy at any load ("often pegged near 100% during active batching regardless of actual
 * load", llm-d). The simulator has no GPU model that shows this, so its row holds the metric at 100%: a
 * Utilization metric the simulator keeps constant, against the same 70% target.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { SglangWorkerPoolChart, TritonResnetChart, VllmInferenceChart, VLLM_SERVICE } from './model-servers';
import {
  DemandTrace, GpuInferenceService, PrometheusAdapterRules, ScalingSignal, SignalKind, SimulationOptions, SimulationResult, Simulator, Warnings,
} from '../src';

/** The trace, in requests per second of the LLM services. */
export const LLM_DAY = DemandTrace.fromCsv(fs.readFileSync(path.join(__dirname, 'traces', 'llm-day.csv'), 'utf8'));

/** An LLM replica: 64 requests at once (`--max-num-seqs 64`), 32 s each: 2 requests/s. */
const LLM_MODEL = { concurrencyPerReplica: 64, serviceTimeSeconds: 32 };
/** Images per trace request for the ResNet (the same shape, as image traffic), and images/s per T4 replica. */
const IMAGES_PER_REQUEST = 50;
const RESNET_CAPACITY = 100;

const COMMON = { latencyTargetSeconds: 10 };

function manifestsOf(chart: Chart): any[] {
  return Testing.synth(chart);
}

/** vLLM on its queue size (HPA, Pods metric `vllm_num_requests_waiting`, 5 per replica). */
function vllmQueue(): SimulationResult {
  return Simulator.fromManifests(manifestsOf(new VllmInferenceChart(Testing.app(), 'llm-vllm')), 'llama-vllm', {
    ...COMMON, ...LLM_MODEL, trace: LLM_DAY,
  });
}

/** SGLang on its queue size (KEDA, prometheus trigger `queue_size`, 4 per replica). */
function sglangQueue(): SimulationResult {
  return Simulator.fromManifests(manifestsOf(new SglangWorkerPoolChart(Testing.app(), 'llm-sglang')), 'qwen-sglang', {
    ...COMMON, ...LLM_MODEL, trace: LLM_DAY,
  });
}

/** The ResNet on Triton on DCGM GPU utilization (HPA, 70%), on the trace as image traffic. */
function tritonGpu(): SimulationResult {
  const images = DemandTrace.fromPoints(LLM_DAY.points.map(p => ({ time: p.time, arrivalsPerSecond: p.arrivalsPerSecond * IMAGES_PER_REQUEST })));
  return Simulator.fromManifests(manifestsOf(new TritonResnetChart(Testing.app(), 'ml-resnet-triton')), 'resnet-triton', {
    ...COMMON,
    trace: images,
    capacityPerReplica: RESNET_CAPACITY,
  });
}

/** The vLLM service, scaled on another signal. */
function vllmManifests(signal: ScalingSignal): any[] {
  const chart = new Chart(Testing.app(), 'llm-vllm-alt', { namespace: 'llm' });
  const service = new GpuInferenceService(chart, 'Vllm', { ...VLLM_SERVICE, signals: [signal] });
  if (signal.kind === SignalKind.GPU_UTILIZATION) {
    Warnings.acknowledge(service, 'ML-W-LLM-SCALED-ON-UTILIZATION', 'the counter-example of the README comparison, never deployed');
  }
  new PrometheusAdapterRules(chart, 'AdapterRules', { name: 'prometheus-adapter-llm' });
  return manifestsOf(chart);
}

/** ... on its batch size, 48 of the 64 it runs at once: it scales before requests queue. */
function vllmBatch(): SimulationResult {
  return Simulator.fromManifests(vllmManifests(ScalingSignal.batchSize(48)), 'llama-vllm', { ...COMMON, ...LLM_MODEL, trace: LLM_DAY });
}

/**
 * ... with GPU utilization pegged at 100% whatever the load: the same HPA, its metric replaced by a
 * Utilization metric the simulator holds constant (memory, at 100% of requests) with the same 70% target.
 */
function vllmGpuPegged(): SimulationResult {
  const manifests = vllmManifests(ScalingSignal.gpuUtilization(70));
  const hpa = manifests.find(m => m.kind === 'HorizontalPodAutoscaler');
  const pegged = {
    ...hpa,
    spec: { ...hpa.spec, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } }] },
  };
  const options: SimulationOptions = { ...COMMON, ...LLM_MODEL, trace: LLM_DAY, memoryUtilizationPercent: 100 };
  return Simulator.fromManifests(manifests.map(m => (m === hpa ? pegged : m)), 'llama-vllm', options);
}

/** The comparison as Markdown table lines (the README shows them; a test keeps them equal). */
export function signalComparison(): string[] {
  const rows: [string, string, SimulationResult][] = [
    ['vLLM (HPA)', 'queue size, 5 per replica', vllmQueue()],
    ['vLLM (HPA)', 'batch size, 48 per replica (of 64)', vllmBatch()],
    ['SGLang (KEDA)', 'queue size, 4 per replica', sglangQueue()],
    ['ResNet on Triton (HPA)', 'DCGM GPU utilization, 70%', tritonGpu()],
    ['vLLM (HPA)', 'DCGM GPU utilization, 70% (reads ~100% at any load)', vllmGpuPegged()],
  ];
  const s = (x: number) => `${Math.round(x)} s`;
  const lines = ['| Service | Signal | p95 wait | max wait | waits over 10 s | replicas | GPU-hours |',
    '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const [service, signal, r] of rows) {
    const m = r.summary;
    lines.push(`| ${service} | ${signal} | ${s(m.p95QueueWaitSeconds)} | ${s(m.maxQueueWaitSeconds)} | ` +
      `${(m.secondsOverLatencyTarget / 60).toFixed(1)} min | ${m.lowestReplicas}..${m.peakReplicas} | ${m.gpuHours.toFixed(2)} |`);
  }
  return lines;
}

if (require.main === module) console.log(signalComparison().join('\n'));
