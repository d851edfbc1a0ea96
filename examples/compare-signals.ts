/**
 * The model-server examples (examples/model-servers.ts), each simulated on the signal that fits it,
 * on one trace (examples/traces/llm-day.csv: two hours, 2 to 8 requests/s through a ramp, a 10-minute
 * burst at 16/s, then winding down), and for contrast the vLLM service scaled on GPU utilization.
 * Prints the README's table: `npx ts-node -P tsconfig.dev.json examples/compare-signals.ts`.
 *
 * The workload model: each ready replica completes `capacityPerReplica` requests per second and the
 * rest waits in one FIFO queue. What each signal reads in it:
 * - queue size (`vllm:num_requests_waiting`, `sglang:num_queue_reqs`): the requests waiting;
 * - DCGM GPU utilization: the busy share of the replicas' capacity, which is how an image model's GPU
 *   behaves (it works in proportion to the load);
 * - GPU utilization of an LLM server: continuous batching keeps the GPU busy at any load ("often
 *   pegged near 100% during active batching regardless of actual load", llm-d). The simulator has no
 *   GPU model that shows this, so two rows bracket it: the busy share (GPU utilization as if it
 *   tracked load, the best case) and a metric held at 100% (what llm-d and GKE describe), simulated
 *   as a Utilization metric the simulator holds constant.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { SglangWorkerPoolChart, TritonResnetChart, VllmInferenceChart, VLLM_SERVICE } from './model-servers';
import {
  DemandTrace, GpuInferenceService, MetricSignal, PrometheusAdapterRules, ScalingSignal, SimulationOptions,
  SimulationResult, Simulator,
} from '../src';

/** The trace, in requests per second of the LLM services. */
export const LLM_DAY = DemandTrace.fromCsv(fs.readFileSync(path.join(__dirname, 'traces', 'llm-day.csv'), 'utf8'));

/** Requests per second one LLM replica completes (an 8B model on one 24 GB GPU, 64 sequences at a time). */
const LLM_CAPACITY = 2;
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
    ...COMMON,
    trace: LLM_DAY,
    capacityPerReplica: LLM_CAPACITY,
    signals: { vllm_num_requests_waiting: MetricSignal.QUEUE_DEPTH },
  });
}

/** SGLang on its queue size (KEDA, prometheus trigger `queue_size`, 4 per replica). */
function sglangQueue(): SimulationResult {
  return Simulator.fromManifests(manifestsOf(new SglangWorkerPoolChart(Testing.app(), 'llm-sglang')), 'qwen-sglang', {
    ...COMMON,
    trace: LLM_DAY,
    capacityPerReplica: LLM_CAPACITY,
    signals: { queue_size: MetricSignal.QUEUE_DEPTH },
  });
}

/** The ResNet on Triton on DCGM GPU utilization (HPA, 70%), on the trace as image traffic. */
function tritonGpu(): SimulationResult {
  const images = DemandTrace.fromPoints(LLM_DAY.points.map(p => ({ time: p.time, arrivalsPerSecond: p.arrivalsPerSecond * IMAGES_PER_REQUEST })));
  return Simulator.fromManifests(manifestsOf(new TritonResnetChart(Testing.app(), 'ml-resnet-triton')), 'resnet-triton', {
    ...COMMON,
    trace: images,
    capacityPerReplica: RESNET_CAPACITY,
    signals: { DCGM_FI_DEV_GPU_UTIL: MetricSignal.BUSY_PERCENT },
  });
}

/** The vLLM service, scaled on DCGM GPU utilization (70%) instead: what not to do. */
function vllmGpuManifests(): any[] {
  const chart = new Chart(Testing.app(), 'llm-vllm-gpu', { namespace: 'llm' });
  new GpuInferenceService(chart, 'Vllm', { ...VLLM_SERVICE, signals: [ScalingSignal.gpuUtilization(70)] });
  new PrometheusAdapterRules(chart, 'AdapterRules', { name: 'prometheus-adapter-llm' });
  return manifestsOf(chart);
}

/** ... with GPU utilization as the busy share of capacity: as if it tracked the load (the best case). */
function vllmGpuTracking(): SimulationResult {
  return Simulator.fromManifests(vllmGpuManifests(), 'llama-vllm', {
    ...COMMON,
    trace: LLM_DAY,
    capacityPerReplica: LLM_CAPACITY,
    signals: { DCGM_FI_DEV_GPU_UTIL: MetricSignal.BUSY_PERCENT },
  });
}

/**
 * ... with GPU utilization pegged at 100% whatever the load: the same HPA, its metric replaced by a
 * Utilization metric the simulator holds constant (memory, at 100% of requests) with the same 70% target.
 */
function vllmGpuPegged(): SimulationResult {
  const manifests = vllmGpuManifests();
  const hpa = manifests.find(m => m.kind === 'HorizontalPodAutoscaler');
  const pegged = {
    ...hpa,
    spec: { ...hpa.spec, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } }] },
  };
  const options: SimulationOptions = { ...COMMON, trace: LLM_DAY, capacityPerReplica: LLM_CAPACITY, memoryUtilizationPercent: 100 };
  return Simulator.fromManifests(manifests.map(m => (m === hpa ? pegged : m)), 'llama-vllm', options);
}

/** The comparison as Markdown table lines (the README shows them; a test keeps them equal). */
export function signalComparison(): string[] {
  const rows: [string, string, SimulationResult][] = [
    ['vLLM (HPA)', 'queue size, 5 per replica', vllmQueue()],
    ['SGLang (KEDA)', 'queue size, 4 per replica', sglangQueue()],
    ['ResNet on Triton (HPA)', 'DCGM GPU utilization, 70%', tritonGpu()],
    ['vLLM (HPA)', 'DCGM GPU utilization, 70%, if it tracked the load', vllmGpuTracking()],
    ['vLLM (HPA)', 'DCGM GPU utilization, 70%, pegged at 100%', vllmGpuPegged()],
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
