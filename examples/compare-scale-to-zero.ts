/**
 * One GPU inference service, scaled to zero three ways, on one bursty trace with idle gaps
 * (examples/traces/bursty-idle.csv: 8 hours, five bursts of 10 to 30 minutes, idle for up to 90
 * minutes in between), against an always-on baseline. Prints the README's comparison table:
 * `npx ts-node -P tsconfig.dev.json examples/compare-scale-to-zero.ts`.
 *
 * Every variant is the same model server (90 s model load, 2 requests/s per replica, 1 GPU, max 8
 * replicas) fed from the same RabbitMQ queue (4 waiting messages per replica), so only the controller
 * differs: the HPA of Kubernetes 1.37 (HPAScaleToZero, an External queue metric) or a KEDA ScaledObject.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  DemandTrace, GpuInferenceService, HybridMlService, KedaAuthentication, KubernetesTarget, Metric, MetricSignal,
  MetricTarget, RabbitMqMode, ScalingBehavior, SimulationResult, Simulator, Trigger,
} from '../src';

const MODEL = {
  name: 'summarizer',
  image: 'your-registry/ml-summarizer:v1.0',
  modelPath: '/models/summarizer',
  cpuRequest: Cpu.millis(2000),
  memoryRequest: Size.gibibytes(8),
  memoryLimit: Size.gibibytes(8),
  gpu: { count: 1 },
  placement: { requiredInstanceTypes: ['g5.xlarge'] },
  modelLoadTime: Duration.seconds(90),
  // The clients publish to the queue; a dispatcher forwards to the Service: requests wait, not fail.
  podAnnotations: { 'ml-autoscaling.io/request-buffering': 'true' },
  maxReplicas: 8,
};
const QUEUE_METRIC = Metric.external({
  name: 'rabbitmq_queue_messages',
  selector: { matchLabels: { queue: 'summarize-requests' } },
  target: MetricTarget.averageValue(4),
});
const SIMULATION = {
  trace: DemandTrace.fromCsv(fs.readFileSync(path.join(__dirname, 'traces', 'bursty-idle.csv'), 'utf8')),
  capacityPerReplica: 2,
  latencyTargetSeconds: 30,
  // RabbitMQ counts messages ready plus unacknowledged: the backlog, for both controllers.
  signals: { rabbitmq_queue_messages: MetricSignal.BACKLOG, queue: MetricSignal.BACKLOG },
};

function hpa(id: string, minReplicas: number, behavior?: ScalingBehavior): SimulationResult {
  const chart = new Chart(Testing.app(), id);
  KubernetesTarget.set(chart, { version: '1.37' });
  const service = new GpuInferenceService(chart, 'Service', {
    ...MODEL, minReplicas, scaleToZero: minReplicas === 0 ? true : undefined, metrics: [QUEUE_METRIC], behavior,
  });
  return Simulator.fromConstruct(service, SIMULATION);
}

function keda(id: string, activationValue: number): SimulationResult {
  const chart = new Chart(Testing.app(), id);
  const service = new HybridMlService(chart, 'Service', {
    ...MODEL,
    minReplicas: 0,
    scaleToZero: true,
    triggers: [Trigger.rabbitmq({
      name: 'queue',
      queueName: 'summarize-requests',
      mode: RabbitMqMode.QUEUE_LENGTH,
      value: 4,
      activationValue,
      authentication: KedaAuthentication.fromTriggerAuthenticationName('rabbitmq-auth'),
    })],
    keda: { pollingInterval: Duration.seconds(15), cooldownPeriod: Duration.seconds(300) },
  });
  return Simulator.fromConstruct(service, SIMULATION);
}

/** The comparison as Markdown table lines (the README shows them; a test keeps them equal). */
export function scaleToZeroComparison(): string[] {
  const rows: [string, SimulationResult][] = [
    ['HPA, minReplicas 0 (library defaults: 60 s scale-up window)', hpa('hpa-zero', 0)],
    ['HPA, minReplicas 0, scale-up window 0 s', hpa('hpa-zero-fast', 0, { scaleUp: { stabilizationWindow: Duration.seconds(0) } })],
    ['KEDA, activation 0, cooldown 300 s', keda('keda', 0)],
    ['KEDA, activation 5, cooldown 300 s', keda('keda-activation', 5)],
    ['HPA, minReplicas 1 (always on)', hpa('hpa-one', 1)],
  ];

  const s = (x: number) => `${Math.round(x)} s`;
  const lines = ['| Controller | p95 wait | max wait | cold starts | longest to first ready pod | requests waiting through a cold start | GPU-hours |',
    '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const [name, r] of rows) {
    const m = r.summary;
    lines.push(`| ${name} | ${s(m.p95QueueWaitSeconds)} | ${s(m.maxQueueWaitSeconds)} | ${m.coldStartsFromZero} | ` +
    `${m.coldStartsFromZero > 0 ? s(m.maxTimeToFirstReadySeconds) : '-'} | ${Math.round(m.itemsWaitedThroughColdStarts).toLocaleString('en-US')} | ${m.gpuHours.toFixed(2)} |`);
  }
  return lines;
}

if (require.main === module) console.log(scaleToZeroComparison().join('\n'));
