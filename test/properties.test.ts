import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { validateAll } from './validate';
import {
  GpuInferenceService, GpuInferenceServiceProps, Guardrails, GuardrailSeverity, KedaAuthentication, Metric, MetricTarget,
  QueueBatchWorker, QueueBatchWorkerProps, ScalingPolicy, SelectPolicy, Trigger, WorkerMode,
} from '../src';

const policy = fc.record({
  percent: fc.boolean(), value: fc.integer({ min: 1, max: 200 }), period: fc.integer({ min: 1, max: 1800 }),
}).map(p => (p.percent ? ScalingPolicy.percent(p.value, Duration.seconds(p.period)) : ScalingPolicy.pods(p.value, Duration.seconds(p.period))));

const rules = fc.record({
  window: fc.integer({ min: 0, max: 3600 }),
  policies: fc.array(policy, { minLength: 1, maxLength: 3 }),
  select: fc.constantFrom(SelectPolicy.MAX, SelectPolicy.MIN),
}, { requiredKeys: [] }).map(r => ({
  stabilizationWindow: r.window === undefined ? undefined : Duration.seconds(r.window),
  policies: r.policies,
  selectPolicy: r.select,
}));

/** Valid GpuInferenceService props, drawn over the ranges the API server and our docs allow. */
const validProps: fc.Arbitrary<GpuInferenceServiceProps> = fc.record({
  max: fc.integer({ min: 1, max: 50 }),
  minShare: fc.double({ min: 0, max: 1, noNaN: true }),
  cpu: fc.integer({ min: 100, max: 16000 }),
  memGi: fc.integer({ min: 1, max: 128 }),
  gpus: fc.integer({ min: 1, max: 8 }),
  gpuResource: fc.constantFrom('nvidia.com/gpu', 'amd.com/gpu', 'nvidia.com/mig-1g.10gb'),
  cpuTarget: fc.integer({ min: 1, max: 100 }),
  memTarget: fc.option(fc.integer({ min: 1, max: 100 })),
  queueTarget: fc.option(fc.integer({ min: 1, max: 1000 })),
  load: fc.integer({ min: 0, max: 900 }),
  scaleUp: fc.option(rules),
  scaleDown: fc.option(rules),
  metricsPort: fc.option(fc.integer({ min: 1024, max: 9000 })),
}).map(r => {
  const minReplicas = Math.max(1, Math.round(r.minShare * r.max));
  const metrics = [Metric.cpuUtilization(r.cpuTarget)];
  if (r.memTarget !== null) metrics.push(Metric.memoryUtilization(r.memTarget));
  if (r.queueTarget !== null) metrics.push(Metric.pods({ name: 'inference_queue_depth', target: MetricTarget.averageValue(r.queueTarget) }));
  // a scale-down window shorter than the model load time is legal but warned about: keep it valid
  const scaleDownWindow = Math.max(r.load, r.scaleDown?.stabilizationWindow?.toSeconds() ?? 0);
  const scaleDown = r.scaleDown === null ? undefined : { ...r.scaleDown, stabilizationWindow: Duration.seconds(scaleDownWindow) };
  return {
    name: 'svc',
    image: 'registry/model:v1',
    cpuRequest: Cpu.millis(r.cpu),
    memoryRequest: Size.gibibytes(r.memGi),
    gpu: { count: r.gpus, resourceName: r.gpuResource },
    placement: { requiredInstanceTypes: ['g5.xlarge'] },
    modelLoadTime: Duration.seconds(r.load),
    metricsPort: r.metricsPort === 8080 ? undefined : r.metricsPort ?? undefined,
    minReplicas,
    maxReplicas: r.max,
    metrics,
    behavior: { scaleUp: r.scaleUp ?? undefined, scaleDown },
  };
});

function synth(props: GpuInferenceServiceProps): any[] {
  const chart = Testing.chart();
  new GpuInferenceService(chart, 'Svc', props);
  return Testing.synth(chart);
}

test('random valid props give schema-valid manifests and no error findings', () => {
  fc.assert(fc.property(validProps, props => {
    const manifests = validateAll(synth(props));
    expect(Guardrails.check(manifests).filter(f => f.severity === GuardrailSeverity.ERROR)).toEqual([]);
  }), { numRuns: 60 });
});

/** One broken field at a time, with the prop name the error must mention. */
const breakages: fc.Arbitrary<[string, (p: GpuInferenceServiceProps) => GpuInferenceServiceProps]> = fc.oneof(
  fc.integer({ min: 1, max: 20 }).map(extra => ['minReplicas', (p: any) => ({ ...p, minReplicas: p.maxReplicas + extra })] as any),
  fc.integer({ min: -5, max: 0 }).map(v => ['maxReplicas', (p: any) => ({ ...p, maxReplicas: v })] as any),
  fc.constantFrom(0, -1, 0.5, 2.5).map(v => ['gpu.count', (p: any) => ({ ...p, gpu: { count: v } })] as any),
  // factories reject bad arguments themselves, naming the entry point (`[Metric.cpuUtilization] percent=...`)
  fc.integer({ min: -100, max: 0 }).map(v => ['percent', (p: any) => ({ ...p, metrics: [Metric.cpuUtilization(v)] })] as any),
  fc.integer({ min: 1801, max: 100000 }).map(v => ['period', (p: any) => ({ ...p, behavior: { scaleUp: { policies: [ScalingPolicy.pods(1, Duration.seconds(v))] } } })] as any),
  fc.integer({ min: -10, max: 0 }).map(v => ['percent', (p: any) => ({ ...p, behavior: { scaleDown: { policies: [ScalingPolicy.percent(v, Duration.seconds(60))] } } })] as any),
  fc.integer({ min: 3601, max: 100000 }).map(v => ['stabilizationWindow', (p: any) => ({ ...p, behavior: { scaleDown: { stabilizationWindow: Duration.seconds(v) } } })] as any),
  fc.stringMatching(/^[A-Z_][A-Za-z_]{0,10}$/).map(v => ['name', (p: any) => ({ ...p, name: v })] as any),
  fc.constant(['cpuRequest', (p: any) => ({ ...p, cpuRequest: undefined })] as any),
);

test('random invalid props always fail with an error naming the construct and the prop', () => {
  fc.assert(fc.property(validProps, breakages, (props, [prop, breakIt]) => {
    let error: unknown;
    try {
      synth(breakIt(props));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    const message = (error as Error).message;
    expect(message).toMatch(/^\[(test\/Svc|Metric\.cpuUtilization|ScalingPolicy\.(pods|percent))\] /);
    expect(message).toContain(prop);
    expect(message).toContain('Fix:');
  }), { numRuns: 80 });
});

/** Valid QueueBatchWorker props: consumer or job mode, queue and metric triggers, scale to zero. */
const validWorker: fc.Arbitrary<QueueBatchWorkerProps> = fc.record({
  job: fc.boolean(),
  max: fc.integer({ min: 1, max: 100 }),
  minShare: fc.double({ min: 0, max: 1, noNaN: true }),
  gpus: fc.integer({ min: 1, max: 8 }),
  processing: fc.integer({ min: 1, max: 24 * 3600 }),
  queueValue: fc.integer({ min: 1, max: 1000 }),
  activation: fc.option(fc.integer({ min: 0, max: 100 })),
  prometheus: fc.option(fc.integer({ min: 1, max: 100 })),
  polling: fc.integer({ min: 1, max: 600 }),
  cooldown: fc.integer({ min: 0, max: 3600 }),
}).map(r => {
  const triggers = [Trigger.rabbitmq({
    queueName: 'jobs',
    value: r.queueValue,
    activationValue: r.activation ?? undefined,
    authentication: KedaAuthentication.fromTriggerAuthenticationName('rabbitmq-auth'),
  })];
  if (r.prometheus !== null) {
    triggers.push(Trigger.prometheus({ serverAddress: 'http://prometheus:9090', query: 'avg(gpu_utilization)', threshold: r.prometheus }));
  }
  return {
    name: 'worker',
    image: 'registry/worker:v1',
    cpuRequest: Cpu.millis(1000),
    memoryRequest: Size.gibibytes(4),
    gpu: { count: r.gpus },
    placement: { requiredInstanceTypes: ['g5.xlarge'] },
    maxProcessingTime: Duration.seconds(r.processing),
    mode: r.job ? WorkerMode.JOB : WorkerMode.CONSUMER,
    minReplicas: Math.round(r.minShare * r.max),
    maxReplicas: r.max,
    pollingInterval: Duration.seconds(r.polling),
    cooldownPeriod: r.job ? undefined : Duration.seconds(r.cooldown),
    triggers,
  };
});

test('random valid QueueBatchWorker props give schema-valid manifests and no error findings', () => {
  fc.assert(fc.property(validWorker, props => {
    const chart = Testing.chart();
    new QueueBatchWorker(chart, 'Worker', props);
    const manifests = validateAll(Testing.synth(chart));
    expect(manifests.map(m => m.kind)).toContain(props.mode === WorkerMode.JOB ? 'ScaledJob' : 'ScaledObject');
    expect(Guardrails.check(manifests).filter(f => f.severity === GuardrailSeverity.ERROR)).toEqual([]);
  }), { numRuns: 60 });
});
