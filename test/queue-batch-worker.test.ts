import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { errorOf } from './error-of';
import { findAll, findOne, synthValid } from './validate';
import { ArticleBatchProcessorChart, ArticleTrainingWorkerChart, TrainingJobsChart } from '../examples/queue-workers';
import { SelectPolicy, ScalingPolicy } from '../src/autoscaling/behavior';
import { Guardrails } from '../src/guardrails/guardrails';
import { KedaAuthentication, KedaTriggerAuthentication } from '../src/keda/authentication';
import { JobRolloutStrategy, JobScalingStrategy, MultipleScalersCalculation } from '../src/keda/scaled-job-options';
import { FallbackBehavior, ModifierMetricType } from '../src/keda/scaled-object-options';
import { Trigger, TriggerMetricType } from '../src/keda/trigger';
import { QueueBatchWorker, QueueBatchWorkerProps, WorkerMode } from '../src/queue-batch-worker';
import { Warnings } from '../src/warnings';

process.env.CDK8S_ML_AUTOSCALING_QUIET = '1';

const RABBIT_AUTH = KedaAuthentication.fromTriggerAuthenticationName('rabbitmq-auth');
const QUEUE = Trigger.rabbitmq({ queueName: 'jobs', value: 5, authentication: RABBIT_AUTH });
const GPU_QUERY = Trigger.prometheus({ serverAddress: 'http://prom:9090', query: 'avg(gpu)', threshold: 70 });

const BASE: QueueBatchWorkerProps = {
  image: 'registry/worker:v1',
  cpuRequest: Cpu.millis(1000),
  memoryRequest: Size.gibibytes(2),
  gpu: { count: 1 },
  placement: { nodeSelector: { 'gpu-pool': 'a10' } },
  maxReplicas: 4,
  maxProcessingTime: Duration.minutes(5),
  triggers: [QUEUE],
};

function build(props: Partial<QueueBatchWorkerProps> = {}, name: string | undefined = 'worker') {
  const chart = Testing.chart();
  const worker = new QueueBatchWorker(chart, 'Worker', { ...BASE, name, ...props } as QueueBatchWorkerProps);
  return { chart, worker };
}

function synth(props: Partial<QueueBatchWorkerProps> = {}) {
  return synthValid(build(props).chart);
}

function scaledObject(manifests: any[]) {
  return findOne(manifests, 'ScaledObject');
}

describe('article batch processor (RabbitMQ + Prometheus)', () => {
  const manifests = synthValid(new ArticleBatchProcessorChart(Testing.app(), 'batch'));
  const text = JSON.stringify(manifests);

  test('emits the TriggerAuthentication, the worker Deployment and the ScaledObject, schema-valid, in ml-workloads', () => {
    expect(manifests.map(m => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'PrometheusRule', 'ScaledObject', 'TriggerAuthentication']);
    for (const m of manifests.filter(x => !['ConfigMap', 'PrometheusRule'].includes(x.kind))) expect(m.metadata.namespace).toBe('ml-workloads');
    // the alerts and the dashboard go where Prometheus and Grafana look: monitoring
    expect(findOne(manifests, 'PrometheusRule', 'ml-batch-processor-autoscaling').metadata.namespace).toBe('monitoring');
    expect(findOne(manifests, 'ConfigMap', 'ml-batch-processor-dashboard').metadata.labels).toEqual({ grafana_dashboard: '1' });
  });

  test('ScaledObject ml-batch-processor-scaler matches the article field by field (its GPU trigger fixed), without metricName', () => {
    const so = findOne(manifests, 'ScaledObject', 'ml-batch-processor-scaler');
    expect(so.apiVersion).toBe('keda.sh/v1alpha1');
    expect(so.metadata.annotations).toBeUndefined();
    expect(so.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ml-batch-processor' },
      minReplicaCount: 0,
      maxReplicaCount: 20,
      pollingInterval: 15,
      cooldownPeriod: 300,
      triggers: [
        {
          type: 'rabbitmq',
          metadata: { protocol: 'auto', queueName: 'ml-inference-queue', mode: 'QueueLength', value: '5', activationValue: '1' },
          authenticationRef: { name: 'rabbitmq-auth' },
        },
        {
          // the article's avg(gpu_utilization{job="ml-inference"}) at 70, fixed: a sum of the pods' GPU
          // utilization (DCGM), so KEDA asks for ceil(sum / 70) replicas rather than at most 2
          type: 'prometheus',
          name: 'gpu_utilization',
          metadata: {
            serverAddress: 'http://prometheus-server.monitoring.svc.cluster.local:9090',
            threshold: '70',
            query: 'sum(avg by (exported_pod) (DCGM_FI_DEV_GPU_UTIL{exported_namespace="ml-workloads",exported_pod=~"ml-batch-processor-[a-z0-9]+-[a-z0-9]+"}))',
          },
        },
      ],
    });
  });

  test('TriggerAuthentication rabbitmq-auth reads host from the existing Secret rabbitmq-auth', () => {
    const ta = findOne(manifests, 'TriggerAuthentication', 'rabbitmq-auth');
    expect(ta.spec).toEqual({ secretTargetRef: [{ parameter: 'host', name: 'rabbitmq-auth', key: 'host' }] });
  });

  test('no Secret, no literal host, no metricName in the manifests', () => {
    expect(findAll(manifests, 'Secret')).toEqual([]);
    expect(text).not.toMatch(/amqp:\/\//);
    expect(text).not.toMatch(/stringData/);
    expect(text).not.toMatch(/metricName/);
  });

  test('the worker Deployment has no replicas and lets a busy consumer finish its item', () => {
    const d = findOne(manifests, 'Deployment', 'ml-batch-processor');
    expect(d.spec.replicas).toBeUndefined();
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(630);
    expect(d.spec.template.metadata.annotations).toEqual({ 'ml-autoscaling.io/max-processing-seconds': '600' });
    expect(d.spec.template.spec.containers[0].resources.requests['nvidia.com/gpu']).toBe('1');
  });
});

describe('article training worker (SQS, scale to zero)', () => {
  const manifests = synthValid(new ArticleTrainingWorkerChart(Testing.app(), 'training'));

  test('ScaledObject ml-training-job-scaler matches the article field by field', () => {
    const so = findOne(manifests, 'ScaledObject', 'ml-training-job-scaler');
    expect(so.metadata.namespace).toBe('ml-workloads');
    expect(so.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ml-training-worker' },
      minReplicaCount: 0,
      maxReplicaCount: 5,
      pollingInterval: 30,
      cooldownPeriod: 600,
      triggers: [{
        type: 'aws-sqs-queue',
        authenticationRef: { name: 'aws-credentials' },
        metadata: {
          queueURL: 'https://sqs.us-east-1.amazonaws.com/123456789/ml-training-jobs',
          queueLength: '2',
          awsRegion: 'us-east-1',
          activationQueueLength: '1',
        },
      }],
    });
  });

  test('TriggerAuthentication aws-credentials uses AWS pod identity with a role, no keys', () => {
    const ta = findOne(manifests, 'TriggerAuthentication', 'aws-credentials');
    expect(ta.metadata.namespace).toBe('ml-workloads');
    expect(ta.spec).toEqual({ podIdentity: { provider: 'aws', roleArn: 'arn:aws:iam::123456789012:role/ml-training-sqs-reader' } });
    expect(findAll(manifests, 'Secret')).toEqual([]);
  });

  test('the target Deployment exists with the article name', () => {
    const d = findOne(manifests, 'Deployment', 'ml-training-worker');
    expect(d.spec.replicas).toBeUndefined();
  });
});

describe('ScaledJob training example', () => {
  const manifests = synthValid(new TrainingJobsChart(Testing.app(), 'jobs'));

  test('emits only the ScaledJob (the Jobs are created by KEDA)', () => {
    expect(manifests.map(m => m.kind)).toEqual(['ScaledJob']);
  });

  test('one Job per message, gradual rollout, short history, deadline from the processing time', () => {
    const sj = findOne(manifests, 'ScaledJob', 'ml-finetune-job');
    expect(sj.spec).toMatchObject({
      minReplicaCount: 0,
      maxReplicaCount: 3,
      pollingInterval: 30,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 5,
      rollout: { strategy: 'gradual' },
      scalingStrategy: { strategy: 'accurate' },
      triggers: [{ type: 'aws-sqs-queue', authenticationRef: { name: 'aws-credentials' } }],
    });
    expect(sj.spec.jobTargetRef).toMatchObject({
      parallelism: 1, backoffLimit: 1, activeDeadlineSeconds: 6 * 3600 + 600, ttlSecondsAfterFinished: 86400,
    });
    const pod = sj.spec.jobTargetRef.template;
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('4');
    expect(pod.metadata.annotations['ml-autoscaling.io/max-processing-seconds']).toBe('21600');
    expect(sj.spec.triggers[0].metricType).toBeUndefined();
  });
});

test('the three queue examples pass the library guardrails without findings', () => {
  const app = Testing.app();
  const all = [new ArticleBatchProcessorChart(app, 'b'), new ArticleTrainingWorkerChart(app, 't'), new TrainingJobsChart(app, 'j')]
    .flatMap(c => synthValid(c));
  expect(Guardrails.check(all).map(f => f.message)).toEqual([]);
});

describe('consumer mode defaults', () => {
  const { chart, worker } = build({ maxProcessingTime: undefined }, 'embedder');
  const manifests = synthValid(chart);
  const so = scaledObject(manifests);
  const d = findOne(manifests, 'Deployment', 'embedder');

  test('mode is CONSUMER: a Deployment and a ScaledObject', () => {
    expect(worker.mode).toBe(WorkerMode.CONSUMER);
    expect(manifests.map(m => m.kind).sort()).toEqual(['Deployment', 'ScaledObject']);
    expect(worker.scaledJob).toBeUndefined();
  });

  test('scales to zero by default (minReplicas 0)', () => {
    expect(worker.minReplicas).toBe(0);
    expect(so.spec.minReplicaCount).toBe(0);
  });

  test('polling interval 30 s and cooldown 300 s are written explicitly', () => {
    expect(so.spec.pollingInterval).toBe(30);
    expect(so.spec.cooldownPeriod).toBe(300);
  });

  test('ScaledObject name is <name>-scaler and targets the Deployment', () => {
    expect(so.metadata.name).toBe('embedder-scaler');
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'embedder' });
  });

  test('no advanced section, fallback, idle replicas or pause annotations unless asked', () => {
    expect(so.spec.advanced).toBeUndefined();
    expect(so.spec.fallback).toBeUndefined();
    expect(so.spec.idleReplicaCount).toBeUndefined();
    expect(so.spec.initialCooldownPeriod).toBeUndefined();
    expect(so.metadata.annotations).toBeUndefined();
  });

  test('container "worker", selector { app: <name> }, no replicas', () => {
    expect(d.spec.template.spec.containers[0].name).toBe('worker');
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'embedder' } });
    expect(d.spec.replicas).toBeUndefined();
  });

  test('without maxProcessingTime: Kubernetes grace period, no annotation, and a warning', () => {
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBeUndefined();
    expect(d.spec.template.metadata.annotations).toBeUndefined();
    expect(Warnings.of(worker).map(w => w.id)).toEqual([QueueBatchWorker.NO_MAX_PROCESSING_TIME_WARNING]);
  });

  test('generated names when no name is given', () => {
    const m = synthValid(build({}, undefined).chart);
    expect(scaledObject(m).spec.scaleTargetRef.name).toBe(findOne(m, 'Deployment').metadata.name);
  });

  test('a generated ScaledObject name stays within 54 characters under a deep construct path', () => {
    const app = Testing.app();
    const longChart = new Chart(app, 'a-rather-long-chart-name-for-machine-learning-workloads');
    const deep = new Construct(new Construct(longChart, 'EmbeddingPipelineStage'), 'DocumentEmbeddingWorkers');
    new QueueBatchWorker(deep, 'Worker', BASE);
    const name = scaledObject(synthValid(longChart)).metadata.name;
    expect(name.length).toBeLessThanOrEqual(54);
    expect(name).toMatch(/scaler/);
  });
});

describe('graceful stop for in-flight work', () => {
  test('maxProcessingTime sets the grace period (plus 30 s) and the annotation', () => {
    const d = findOne(synth({ maxProcessingTime: Duration.minutes(20) }), 'Deployment');
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(1230);
    expect(d.spec.template.metadata.annotations['ml-autoscaling.io/max-processing-seconds']).toBe('1200');
  });

  test('optional preStop hook', () => {
    const d = findOne(synth({ preStopCommand: ['/bin/sh', '-c', 'touch /tmp/draining'] }), 'Deployment');
    expect(d.spec.template.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['/bin/sh', '-c', 'touch /tmp/draining'] } } });
  });

  test('a declared processing time silences the warning', () => {
    const { worker } = build();
    expect(Warnings.of(worker)).toEqual([]);
  });

  test('property: grace = processing seconds + 30 for any whole-second duration, in seconds or minutes', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 7 * 24 * 3600 }), fc.boolean(), (seconds, asMinutes) => {
      const duration = asMinutes ? Duration.minutes(seconds) : Duration.seconds(seconds);
      const expected = asMinutes ? seconds * 60 : seconds;
      const { worker } = build({ maxProcessingTime: duration });
      return worker.maxProcessingSeconds === expected && worker.terminationGracePeriodSeconds === expected + 30;
    }), { numRuns: 50 });
  });

  test('property: fractional-second processing times are rejected, whole ones accepted', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), (ms) => {
      const whole = ms % 1000 === 0;
      try {
        build({ maxProcessingTime: Duration.millis(ms) });
        return whole;
      } catch (e: any) {
        return !whole && /maxProcessingTime=.*whole number of seconds/.test(e.message);
      }
    }), { numRuns: 100 });
  });
});

describe('ScaledObject settings', () => {
  test('idle replicas, initial cooldown, fallback, restore, HPA name and behavior', () => {
    const so = scaledObject(synth({
      triggers: [QUEUE],
      minReplicas: 1,
      idleReplicas: 0,
      initialCooldownPeriod: Duration.minutes(2),
      fallback: { failureThreshold: 3, replicas: 2 },
      restoreToOriginalReplicaCount: true,
      hpaName: 'worker-hpa',
      behavior: { scaleDown: { stabilizationWindow: Duration.minutes(10), policies: [ScalingPolicy.pods(1, Duration.minutes(2))] } },
    }));
    expect(so.spec.idleReplicaCount).toBe(0);
    expect(so.spec.initialCooldownPeriod).toBe(120);
    expect(so.spec.fallback).toEqual({ failureThreshold: 3, replicas: 2, behavior: 'static' });
    expect(so.spec.advanced).toEqual({
      restoreToOriginalReplicaCount: true,
      horizontalPodAutoscalerConfig: {
        name: 'worker-hpa',
        behavior: {
          scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] },
          scaleUp: {
            stabilizationWindowSeconds: 60,
            selectPolicy: 'Max',
            policies: [{ type: 'Percent', value: 100, periodSeconds: 30 }, { type: 'Pods', value: 2, periodSeconds: 30 }],
          },
        },
      },
    });
  });

  test('fallback behavior is passed through', () => {
    const so = scaledObject(synth({ fallback: { failureThreshold: 2, replicas: 1, behavior: FallbackBehavior.CURRENT_REPLICAS_IF_HIGHER } }));
    expect(so.spec.fallback.behavior).toBe('currentReplicasIfHigher');
  });

  test('behavior with selectPolicy DISABLED blocks scale-down', () => {
    const so = scaledObject(synth({ behavior: { scaleDown: { selectPolicy: SelectPolicy.DISABLED, policies: [] } } }));
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Disabled' });
  });

  test('HPA adoption: transfer-hpa-ownership annotation with the HPA name', () => {
    const so = scaledObject(synth({ hpaName: 'legacy-hpa', transferHpaOwnership: true }));
    expect(so.metadata.annotations).toEqual({ 'scaledobject.keda.sh/transfer-hpa-ownership': 'true' });
    expect(so.spec.advanced.horizontalPodAutoscalerConfig).toEqual({ name: 'legacy-hpa' });
  });

  test('pause controls are annotations on the ScaledObject; a shipped pause warns', () => {
    const { chart, worker } = build({ pause: { paused: true, pausedReplicas: 2, pauseScaleIn: true, pauseScaleOut: true } });
    const m = synthValid(chart);
    expect(scaledObject(m).metadata.annotations).toEqual({
      'autoscaling.keda.sh/paused': 'true',
      'autoscaling.keda.sh/paused-replicas': '2',
      'autoscaling.keda.sh/paused-scale-in': 'true',
      'autoscaling.keda.sh/paused-scale-out': 'true',
    });
    expect(findOne(m, 'Deployment').metadata.annotations).toBeUndefined();
    expect(Warnings.of(worker).map(w => w.id)).toContain('ML-W-KEDA-PAUSED');
  });

  test('pausing only scale-in does not warn', () => {
    const { worker } = build({ pause: { pauseScaleIn: true } });
    expect(Warnings.of(worker)).toEqual([]);
  });

  test('scalingModifiers combine named triggers', () => {
    const so = scaledObject(synth({
      triggers: [
        Trigger.rabbitmq({ name: 'queue', queueName: 'jobs', value: 5, authentication: RABBIT_AUTH }),
        Trigger.prometheus({ name: 'gpu', serverAddress: 'http://prom:9090', query: 'avg(gpu)', threshold: 70 }),
      ],
      scalingModifiers: { formula: 'max(queue, gpu / 70 * 5)', target: 5, activationTarget: 1, metricType: ModifierMetricType.VALUE },
    }));
    expect(so.spec.advanced.scalingModifiers).toEqual({ formula: 'max(queue, gpu / 70 * 5)', target: '5', activationTarget: '1', metricType: 'Value' });
    expect(so.spec.triggers.map((t: any) => t.name)).toEqual(['queue', 'gpu']);
  });

  test('triggers added after construction are rendered', () => {
    const { chart, worker } = build({ triggers: [] });
    worker.addTrigger(QUEUE);
    worker.addTrigger(GPU_QUERY);
    expect(scaledObject(synthValid(chart)).spec.triggers.map((t: any) => t.type)).toEqual(['rabbitmq', 'prometheus']);
  });

  test('cpu and memory triggers put the target type at trigger level, never metadata.type', () => {
    const so = scaledObject(synth({
      minReplicas: 1,
      triggers: [
        Trigger.cpuUtilization(70),
        Trigger.memoryAverageValue(Size.mebibytes(1536), { containerName: 'worker', name: 'mem' }),
      ],
    }));
    expect(so.spec.triggers).toEqual([
      { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } },
      { type: 'memory', name: 'mem', metricType: 'AverageValue', metadata: { value: '1536Mi', containerName: 'worker' } },
    ]);
  });

  test('trigger metricType and useCachedMetrics', () => {
    const so = scaledObject(synth({
      triggers: [Trigger.rabbitmq({ queueName: 'q', value: 10, authentication: RABBIT_AUTH, metricType: TriggerMetricType.VALUE, useCachedMetrics: true })],
    }));
    expect(so.spec.triggers[0]).toMatchObject({ metricType: 'Value', useCachedMetrics: true });
  });
});

describe('job mode', () => {
  const job = (props: Partial<QueueBatchWorkerProps> = {}) => build({ mode: WorkerMode.JOB, ...props });

  test('defaults: parallelism 1, backoffLimit 2, history 3/5, gradual rollout, default strategy, min 0, polling 30', () => {
    const { chart, worker } = job({ maxProcessingTime: undefined });
    const m = synthValid(chart);
    expect(m.map(o => o.kind)).toEqual(['ScaledJob']);
    const sj = findOne(m, 'ScaledJob', 'worker');
    expect(worker.scaledJob).toBeDefined();
    expect(worker.deployment).toBeUndefined();
    expect(sj.spec).toMatchObject({
      minReplicaCount: 0,
      maxReplicaCount: 4,
      pollingInterval: 30,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 5,
      rollout: { strategy: 'gradual' },
      scalingStrategy: { strategy: 'default' },
    });
    expect(sj.spec.jobTargetRef.parallelism).toBe(1);
    expect(sj.spec.jobTargetRef.backoffLimit).toBe(2);
    expect(sj.spec.jobTargetRef.activeDeadlineSeconds).toBeUndefined();
    expect(sj.spec.jobTargetRef.ttlSecondsAfterFinished).toBeUndefined();
    expect(sj.spec.jobTargetRef.template.spec.restartPolicy).toBe('Never');
    expect(Warnings.of(worker)).toEqual([]);
  });

  test('activeDeadline defaults to maxProcessingTime plus 10 minutes', () => {
    const sj = findOne(synthValid(job({ maxProcessingTime: Duration.hours(2) }).chart), 'ScaledJob');
    expect(sj.spec.jobTargetRef.activeDeadlineSeconds).toBe(7200 + 600);
  });

  test('custom scaling strategy settings', () => {
    const sj = findOne(synthValid(job({
      job: {
        scalingStrategy: JobScalingStrategy.CUSTOM,
        customScalingQueueLengthDeduction: 1,
        customScalingRunningJobPercentage: 0.5,
        pendingPodConditions: ['Ready', 'PodScheduled'],
        multipleScalersCalculation: MultipleScalersCalculation.SUM,
        rolloutStrategy: JobRolloutStrategy.IMMEDIATE,
        parallelism: 2,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 1,
        scaledJobName: 'custom-name',
      },
    }).chart), 'ScaledJob', 'custom-name');
    expect(sj.spec.scalingStrategy).toEqual({
      strategy: 'custom',
      customScalingQueueLengthDeduction: 1,
      customScalingRunningJobPercentage: '0.5',
      pendingPodConditions: ['Ready', 'PodScheduled'],
      multipleScalersCalculation: 'sum',
    });
    expect(sj.spec.rollout).toEqual({ strategy: 'immediate' });
    expect(sj.spec.jobTargetRef.parallelism).toBe(2);
  });

  test('paused ScaledJob', () => {
    const sj = findOne(synthValid(job({ pause: { paused: true } }).chart), 'ScaledJob');
    expect(sj.metadata.annotations).toEqual({ 'autoscaling.keda.sh/paused': 'true' });
  });
});

describe('authentication', () => {
  test('a literal Secret needs an explicit opt-in', () => {
    const chart = Testing.chart();
    expect(() => new KedaTriggerAuthentication(chart, 'Auth', { literalSecretValues: { host: 'amqp://u:p@rabbit:5672' } }))
      .toThrow(/\[test\/Auth\] literalSecretValues=\["host=<redacted>"\]: would write secret values into the manifests\. Fix: reference an existing Secret/);
  });

  test('with the opt-in, the Secret is created, referenced, and a warning names it', () => {
    const chart = Testing.chart();
    const auth = new KedaTriggerAuthentication(chart, 'Auth', {
      name: 'rabbit', literalSecretValues: { host: 'amqp://u:p@rabbit:5672' }, allowLiteralSecretValues: true,
    });
    new QueueBatchWorker(chart, 'W', { ...BASE, triggers: [Trigger.rabbitmq({ queueName: 'q', value: 1, authentication: auth })] });
    const m = synthValid(chart);
    expect(findOne(m, 'Secret', 'rabbit').stringData).toEqual({ host: 'amqp://u:p@rabbit:5672' });
    expect(findOne(m, 'TriggerAuthentication', 'rabbit').spec.secretTargetRef).toEqual([{ parameter: 'host', name: 'rabbit', key: 'host' }]);
    expect(Warnings.of(auth).map(w => w.id)).toEqual(['ML-W-KEDA-LITERAL-SECRET']);
  });
});


describe('runtime props checks (JavaScript and jsii callers)', () => {
  const fails = (props: any, name: string | undefined = 'worker') => errorOf(() => build(props, name));

  test.each<[string, any, string]>([
    ['mode "Job" lists the WorkerMode values', { mode: 'Job' },
      '[test/Worker] mode="Job": must be one of WorkerMode.CONSUMER ("consumer"), WorkerMode.JOB ("job"). Fix: use "job" (enum values are case-sensitive).'],
    ['a misspelt prop', { maxReplica: 4 }, '[test/Worker] maxReplica=4: is not a property of QueueBatchWorkerProps. Fix: did you mean "maxReplicas"?'],
    ['maxReplicas int32', { maxReplicas: 2 ** 31 }, '[test/Worker] maxReplicas=2147483648: must be an integer in 1..2147483647'],
    ['a zero polling interval', { pollingInterval: Duration.seconds(0) }, '[test/Worker] pollingInterval=0s: must be between 1 s and 2147483647 s'],
    ['a cooldown as a number', { cooldownPeriod: 300 }, '[test/Worker] cooldownPeriod=300: must be a Duration, got a number.'],
    ['maxProcessingTime as a number', { maxProcessingTime: 600 }, '[test/Worker] maxProcessingTime=600: must be a Duration, got a number.'],
    ['a fallback behavior', { fallback: { failureThreshold: 3, replicas: 1, behavior: 'Static' } }, '[test/Worker] fallback.behavior="Static": must be one of FallbackBehavior'],
    ['an empty preStopCommand', { preStopCommand: [] }, '[test/Worker] preStopCommand=[]: must have at least 1 entry.'],
    ['a null trigger', { triggers: [null] }, '[test/Worker] triggers[0]=null: must be a Trigger, got null.'],
    ['job mode: parallelism', { mode: WorkerMode.JOB, job: { parallelism: 0 } }, '[test/Worker] job.parallelism=0: must be an integer in 1..2147483647'],
    ['job mode: scaling strategy', { mode: WorkerMode.JOB, job: { scalingStrategy: 'Eager' } },
      '[test/Worker] job.scalingStrategy="Eager": must be one of JobScalingStrategy.DEFAULT ("default"), JobScalingStrategy.CUSTOM ("custom"), '
      + 'JobScalingStrategy.ACCURATE ("accurate"), JobScalingStrategy.EAGER ("eager"). Fix: use "eager"'],
    ['job mode: rollout strategy', { mode: WorkerMode.JOB, job: { rolloutStrategy: 'Gradual' } }, '[test/Worker] job.rolloutStrategy="Gradual": must be one of JobRolloutStrategy'],
    ['job mode: a misspelt job option', { mode: WorkerMode.JOB, job: { backofLimit: 1 } },
      '[test/Worker] job.backofLimit=1: is not a property of ScaledJobOptions. Fix: did you mean "job.backoffLimit"?'],
    ['the max processing annotation without maxProcessingTime', { maxProcessingTime: undefined, podAnnotations: { 'ml-autoscaling.io/max-processing-seconds': '600' } },
      '[test/Worker] podAnnotations["ml-autoscaling.io/max-processing-seconds"]="600": is written by the construct from maxProcessingTime, so this value '
      + 'would be out of step with it. Fix: set maxProcessingTime instead'],
  ])('%s', (_label, props, message) => {
    expect(fails(props)).toContain(message);
  });

  test('no props at all', () => {
    expect(errorOf(() => new (QueueBatchWorker as any)(Testing.chart(), 'Worker'))).toBe(
      '[test/Worker] props=undefined: must be a QueueBatchWorkerProps object. Fix: pass an object literal with at least image, maxReplicas.');
  });

  test('KEDA labels every Job with the ScaledJob name: at most 63 characters', () => {
    const name = 'a'.repeat(64);
    expect(fails({ mode: WorkerMode.JOB, selectorLabels: { app: 'w' } }, name)).toBe(`[test/Worker] name="${name}": is 64 characters long; KEDA labels every Job `
      + 'with scaledjob.keda.sh/name: <ScaledJob name>, and a label value has at most 63. Fix: shorten name to at most 63 characters, or set job.scaledJobName.');
    expect(fails({ mode: WorkerMode.JOB, job: { scaledJobName: name } })).toContain(`[test/Worker] job.scaledJobName="${name}": is 64 characters long`);
    expect(() => synthValid(build({ mode: WorkerMode.JOB, selectorLabels: { app: 'w' }, job: { scaledJobName: 'short' } }, name).chart)).not.toThrow();
  });

  test('a consumer name whose ScaledObject name would be too long is reported on name', () => {
    const name = 'a'.repeat(50);
    expect(fails({}, name)).toBe(`[test/Worker] name="${name}": makes the name of the HPA KEDA creates "keda-hpa-${name}-scaler" of 66 characters, `
      + 'which is also a label value (at most 63 characters). Fix: shorten name to at most 47 characters, or set scaledObjectName or hpaName.');
  });
});

describe('environment variables KEDA reads from the scale target', () => {
  const synthError = (chart: Chart) => errorOf(() => Testing.synth(chart));

  test('hostFromEnv must name a variable of the container', () => {
    const trigger = Trigger.rabbitmq({ queueName: 'jobs', value: 5, hostFromEnv: 'RABBIT_HOST' });
    expect(synthError(build({ triggers: [trigger] }).chart)).toBe('[test/Worker] triggers[0].hostFromEnv="RABBIT_HOST": KEDA reads the rabbitmq trigger\'s host '
      + 'from the environment variable "RABBIT_HOST", which the container "worker" does not set (it sets: none); KEDA fails to resolve it. '
      + 'Fix: add RABBIT_HOST to env or secretEnv, or fix hostFromEnv.');
    expect(() => synthValid(build({ triggers: [trigger], secretEnv: [{ name: 'RABBIT_HOST', secretName: 'rabbitmq', key: 'host' }] }).chart)).not.toThrow();
  });

  test('in job mode too, for triggers added later', () => {
    const { chart, worker } = build({ mode: WorkerMode.JOB, env: { QUEUE: 'jobs' } });
    worker.addTrigger(Trigger.custom({ type: 'redis', metadata: { listName: 'jobs', addressFromEnv: 'REDIS_ADDR' } }));
    expect(synthError(chart)).toContain('[test/Worker] triggers[1].metadata.addressFromEnv="REDIS_ADDR": KEDA reads the redis trigger\'s address from the '
      + 'environment variable "REDIS_ADDR", which the container "worker" does not set (it sets: QUEUE)');
  });

  test('TriggerAuthentication env entries must name a variable and a container of the workload', () => {
    const chart = Testing.chart();
    const auth = new KedaTriggerAuthentication(chart, 'Auth', { name: 'rabbit', env: [{ parameter: 'host', envName: 'RABBIT_HOST' }] });
    new QueueBatchWorker(chart, 'Worker', { ...BASE, name: 'worker', triggers: [Trigger.rabbitmq({ queueName: 'jobs', value: 5, authentication: auth })] });
    expect(synthError(chart)).toBe('[test/Worker] triggers[0].authentication="rabbit": the TriggerAuthentication "rabbit" reads parameter "host" from the '
      + 'environment variable "RABBIT_HOST", which the container "worker" does not set (it sets: none); KEDA fails to resolve it. '
      + 'Fix: add RABBIT_HOST to env or secretEnv, or fix the authentication\'s env entry for "host".');

    const chart2 = Testing.chart();
    const auth2 = new KedaTriggerAuthentication(chart2, 'Auth', { name: 'rabbit', env: [{ parameter: 'host', envName: 'RABBIT_HOST', containerName: 'sidecar' }] });
    new QueueBatchWorker(chart2, 'Worker', {
      ...BASE, name: 'worker', env: { RABBIT_HOST: 'amqp://rabbitmq' }, triggers: [Trigger.rabbitmq({ queueName: 'jobs', value: 5, authentication: auth2 })],
    });
    expect(synthError(chart2)).toContain('of the container "sidecar", which the workload does not have (its containers: "worker"). Fix: use containerName "worker", or omit it.');
  });

  test('a resolvable TriggerAuthentication env entry synthesizes', () => {
    const chart = Testing.chart();
    const auth = new KedaTriggerAuthentication(chart, 'Auth', { name: 'rabbit', env: [{ parameter: 'host', envName: 'RABBIT_HOST', containerName: 'worker' }] });
    new QueueBatchWorker(chart, 'Worker', {
      ...BASE, name: 'worker', env: { RABBIT_HOST: 'amqp://rabbitmq' }, triggers: [Trigger.rabbitmq({ queueName: 'jobs', value: 5, authentication: auth })],
    });
    expect(() => synthValid(chart)).not.toThrow();
  });
});
