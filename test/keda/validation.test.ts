import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { KedaAuthentication } from '../../src/keda/authentication';
import { Trigger, TriggerMetricType } from '../../src/keda/trigger';
import { QueueBatchWorker, QueueBatchWorkerProps, WorkerMode } from '../../src/queue-batch-worker';
import { Warnings } from '../../src/warnings';

process.env.CDK8S_ML_AUTOSCALING_QUIET = '1';

const AUTH = KedaAuthentication.fromTriggerAuthenticationName('rabbitmq-auth');
const QUEUE = Trigger.rabbitmq({ queueName: 'jobs', value: 5, authentication: AUTH });

const BASE: QueueBatchWorkerProps = {
  name: 'worker',
  image: 'registry/worker:v1',
  cpuRequest: Cpu.millis(1000),
  memoryRequest: Size.gibibytes(2),
  maxReplicas: 4,
  maxProcessingTime: Duration.minutes(5),
  triggers: [QUEUE],
};

function build(props: Partial<QueueBatchWorkerProps> = {}) {
  const chart = Testing.chart();
  const worker = new QueueBatchWorker(chart, 'Worker', { ...BASE, ...props } as QueueBatchWorkerProps);
  return { chart, worker };
}

/** Builds and synthesizes (late checks run at synth). */
function synth(props: Partial<QueueBatchWorkerProps> = {}) {
  return Testing.synth(build(props).chart);
}

describe('replica bounds (KEDA webhook: CheckReplicaCountBoundsAreValid)', () => {
  test('rejects minReplicas above maxReplicas', () => {
    expect(() => build({ minReplicas: 5, maxReplicas: 4 }))
      .toThrow('[test/Worker] minReplicas=5: is greater than maxReplicas (4). Fix: lower minReplicas or raise maxReplicas.');
  });

  test('rejects maxReplicas below 1', () => {
    expect(() => build({ maxReplicas: 0 }))
      .toThrow('[test/Worker] maxReplicas=0: must be an integer in 1..2147483647, got a number. Fix: set maxReplicas to at least 1.');
  });

  test('rejects idleReplicas equal to minReplicas', () => {
    expect(() => build({ minReplicas: 1, idleReplicas: 1 }))
      .toThrow(/\[test\/Worker\] idleReplicas=1: must be less than minReplicas \(1\); KEDA rejects idleReplicaCount >= minReplicaCount\. Fix: set idleReplicas: 0 with minReplicas >= 1/);
  });

  test('rejects idleReplicas with the default minReplicas 0', () => {
    expect(() => build({ idleReplicas: 0 })).toThrow(/idleReplicas=0: must be less than minReplicas \(0\)/);
  });

  test('warns about a non-zero idleReplicas (KEDA: only 0 works)', () => {
    const { worker } = build({ minReplicas: 2, idleReplicas: 1 });
    expect(Warnings.of(worker).map(w => w.id)).toEqual(['ML-W-KEDA-IDLE-REPLICAS-NONZERO']);
  });

  test('rejects a fractional minReplicas', () => {
    expect(() => build({ minReplicas: 0.5 })).toThrow(/minReplicas=0\.5: must be an integer in 0\.\.2147483647/);
  });

  test('rejects maxReplicas below 1 in job mode too', () => {
    expect(() => build({ mode: WorkerMode.JOB, maxReplicas: 0 })).toThrow(/\[test\/Worker\] maxReplicas=0: must be an integer in 1\.\.2147483647/);
  });

  test('rejects minReplicas above maxReplicas in job mode', () => {
    expect(() => build({ mode: WorkerMode.JOB, minReplicas: 3, maxReplicas: 2 })).toThrow(/minReplicas=3: is greater than maxReplicas \(2\)/);
  });
});

describe('intervals', () => {
  test('rejects a polling interval below 1 second', () => {
    expect(() => build({ pollingInterval: Duration.seconds(0) }))
      .toThrow('[test/Worker] pollingInterval=0s: must be between 1 s and 2147483647 s. Fix: use Duration.seconds(n) with a whole n in 1..2147483647.');
  });

  test('rejects a fractional cooldown', () => {
    expect(() => build({ cooldownPeriod: Duration.millis(1500) })).toThrow(/cooldownPeriod=1500ms: must be a whole number of seconds/);
  });

  test('rejects a polling interval below 1 second in job mode', () => {
    expect(() => build({ mode: WorkerMode.JOB, pollingInterval: Duration.millis(500) })).toThrow(/pollingInterval=500ms/);
  });
});

describe('triggers', () => {
  test('rejects a worker without triggers at synth', () => {
    expect(() => synth({ triggers: [] }))
      .toThrow(/\[test\/Worker\] triggers=\[\]: no triggers to scale on\. Fix: pass triggers, e\.g\. \[Trigger\.rabbitmq\(\{\.\.\.\}\)\], or call addTrigger/);
  });

  test('rejects duplicate trigger names', () => {
    expect(() => build({
      triggers: [
        Trigger.rabbitmq({ name: 'queue', queueName: 'a', value: 1, authentication: AUTH }),
        Trigger.rabbitmq({ name: 'queue', queueName: 'b', value: 1, authentication: AUTH }),
      ],
    })).toThrow(/\[test\/Worker\] triggers\[1\]\.name="queue": is also the name of triggers\[0\]; KEDA requires unique trigger names\. Fix: give each trigger its own name/);
  });

  test('rejects a duplicate name added after construction, at synth', () => {
    const { chart, worker } = build({ triggers: [Trigger.rabbitmq({ name: 'q', queueName: 'a', value: 1, authentication: AUTH })] });
    worker.addTrigger(Trigger.prometheus({ name: 'q', serverAddress: 'http://p:9090', query: 'x', threshold: 1 }));
    expect(() => Testing.synth(chart)).toThrow(/triggers\[1\]\.name="q": is also the name of triggers\[0\]/);
  });

  test('rejects a cpu trigger on a container without a cpu request', () => {
    expect(() => build({ cpuRequest: undefined, minReplicas: 1, triggers: [Trigger.cpuUtilization(70)] }))
      .toThrow(/\[test\/Worker\] triggers\[0\]="cpu 70": a cpu trigger needs a cpu request on the container "worker"; KEDA rejects the ScaledObject otherwise\. Fix: set cpuRequest/);
  });

  test('rejects a memory trigger on a container without a memory request', () => {
    expect(() => build({ memoryRequest: undefined, minReplicas: 1, triggers: [Trigger.memoryUtilization(80)] }))
      .toThrow(/triggers\[0\]="memory 80": a memory trigger needs a memory request.*Fix: set memoryRequest/);
  });

  test('accepts a memory trigger when only a limit is set (Kubernetes defaults the request to it)', () => {
    expect(() => synth({ memoryRequest: undefined, memoryLimit: Size.gibibytes(4), minReplicas: 1, triggers: [Trigger.memoryUtilization(80)] }))
      .not.toThrow();
  });

  test('rejects a cpu trigger naming another container', () => {
    expect(() => build({ minReplicas: 1, triggers: [Trigger.cpuUtilization(70, { containerName: 'sidecar' })] }))
      .toThrow(/triggers\[0\]\.containerName="sidecar": names no container of this workload \(its container is "worker"\)/);
  });

  test('rejects only cpu/memory triggers with minReplicas 0 (it can never reach zero)', () => {
    expect(() => synth({ triggers: [Trigger.cpuUtilization(70)] }))
      .toThrow(/\[test\/Worker\] minReplicas=0: cannot be reached with only cpu\/memory triggers \(they never report zero\); KEDA rejects this ScaledObject\. Fix: add a queue or metrics trigger that can go idle, or set minReplicas >= 1/);
  });

  test('accepts cpu with minReplicas 0 when a queue trigger can go idle', () => {
    expect(() => synth({ triggers: [Trigger.cpuUtilization(70), QUEUE] })).not.toThrow();
  });

  test('rejects useCachedMetrics on cpu/memory', () => {
    expect(() => build({
      minReplicas: 1,
      triggers: [Trigger.custom({ type: 'cpu', metricType: TriggerMetricType.UTILIZATION, metadata: { value: '70' }, useCachedMetrics: true })],
    })).toThrow(/\[test\/Worker\] triggers\[0\]\.useCachedMetrics=true: is not supported for the "cpu" scaler \(KEDA rejects it\)\. Fix: remove useCachedMetrics/);
  });

  test('rejects metadata.type on cpu/memory (removed in KEDA 2.18)', () => {
    expect(() => build({
      minReplicas: 1, triggers: [Trigger.custom({ type: 'memory', metadata: { type: 'Utilization', value: '80' } })],
    })).toThrow(/triggers\[0\]\.metadata\.type="Utilization": was removed in KEDA 2\.18 and makes the whole ScaledObject fail/);
  });

  test('rejects Utilization on a queue trigger', () => {
    expect(() => build({ triggers: [Trigger.rabbitmq({ queueName: 'q', value: 1, authentication: AUTH, metricType: TriggerMetricType.UTILIZATION })] }))
      .toThrow(/triggers\[0\]\.metricType="Utilization": Utilization is only valid for cpu and memory triggers/);
  });

  test('rejects metricName (removed in KEDA 2.12)', () => {
    expect(() => build({ triggers: [Trigger.custom({ type: 'prometheus', metadata: { serverAddress: 'http://p:9090', query: 'x', threshold: '1', metricName: 'gpu' } })] }))
      .toThrow(/triggers\[0\]\.metadata\.metricName="gpu": was removed in KEDA 2\.12/);
  });

  test('rejects a target of 0 (at the factory)', () => {
    expect(() => Trigger.rabbitmq({ queueName: 'q', value: 0, authentication: AUTH }))
      .toThrow(/^\[Trigger\.rabbitmq\] value=0: must be a finite number greater than 0, got a number\. Fix: set value to the amount one replica should handle/);
  });

  test('rejects a negative activation value (at the factory)', () => {
    expect(() => Trigger.awsSqsQueue({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', awsRegion: 'us-east-1', queueLength: 2, activationQueueLength: -1 }))
      .toThrow(/^\[Trigger\.awsSqsQueue\] activationQueueLength=-1: must be an integer >= 0/);
  });
});

describe('fallback (KEDA webhook: CheckFallbackValid)', () => {
  test('rejects a fallback with only cpu/memory triggers', () => {
    expect(() => synth({ minReplicas: 1, triggers: [Trigger.cpuUtilization(70)], fallback: { failureThreshold: 3, replicas: 2 } }))
      .toThrow(/\[test\/Worker\] fallback=\{"failureThreshold":3,"replicas":2\}: needs at least one trigger that is not cpu or memory.*Fix: add a queue or metrics trigger, or remove fallback/);
  });

  test('rejects a failureThreshold of 0', () => {
    expect(() => build({ fallback: { failureThreshold: 0, replicas: 2 } })).toThrow(/fallback\.failureThreshold=0: must be an integer in 1\.\.2147483647/);
  });

  test('rejects fallback replicas above maxReplicas', () => {
    expect(() => build({ fallback: { failureThreshold: 3, replicas: 9 } })).toThrow(/fallback\.replicas=9: is above maxReplicas \(4\)/);
  });
});

describe('scalingModifiers (KEDA webhook: ValidateAndCompileScalingModifiers)', () => {
  const named = [
    Trigger.rabbitmq({ name: 'queue', queueName: 'q', value: 5, authentication: AUTH }),
    Trigger.prometheus({ name: 'gpu', serverAddress: 'http://p:9090', query: 'x', threshold: 70 }),
  ];

  test('rejects a missing formula', () => {
    expect(() => build({ triggers: named, scalingModifiers: { formula: ' ', target: 5 } }))
      .toThrow(/\[test\/Worker\] scalingModifiers\.formula=" ": is required \(KEDA: ScalingModifiers\.Formula is mandatory\)/);
  });

  test('rejects a target of 0', () => {
    expect(() => build({ triggers: named, scalingModifiers: { formula: 'queue', target: 0 } }))
      .toThrow(/scalingModifiers\.target=0: must be a finite number greater than 0/);
  });

  test('rejects a formula naming an unknown trigger', () => {
    expect(() => synth({ triggers: named, scalingModifiers: { formula: 'max(queue, gpus)', target: 5 } }))
      .toThrow(/\[test\/Worker\] scalingModifiers\.formula="max\(queue, gpus\)": refers to "gpus", which is not the name of a \(non cpu\/memory\) trigger; named triggers: \["queue","gpu"\]\. Fix: name a trigger "gpus"/);
  });

  test('rejects a formula naming a cpu trigger (KEDA leaves cpu/memory out of formulas)', () => {
    expect(() => synth({
      minReplicas: 1,
      triggers: [...named, Trigger.cpuUtilization(70, { name: 'cpu' })],
      scalingModifiers: { formula: 'queue + cpu', target: 5 },
    })).toThrow(/refers to "cpu"/);
  });
});

describe('names', () => {
  test('rejects a ScaledObject name over 54 characters without hpaName', () => {
    const name = 'a'.repeat(55);
    expect(() => build({ scaledObjectName: name }))
      .toThrow(new RegExp(`\\[test/Worker\\] scaledObjectName="${name}": is 55 characters, so KEDA's HPA name "keda-hpa-${name}" exceeds 63 characters and KEDA rejects the ScaledObject\\. Fix: set a scaledObjectName of at most 54 characters, or set hpaName`));
  });

  test('property: without hpaName a name is accepted exactly when keda-hpa-<name> fits in 63 characters', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 63 }), (length) => {
      const name = 'a'.repeat(length);
      let accepted = true;
      try {
        build({ scaledObjectName: name });
      } catch {
        accepted = false;
      }
      return accepted === (`keda-hpa-${name}`.length <= 63);
    }), { numRuns: 40 });
  });

  test('accepts a long ScaledObject name with a custom hpaName', () => {
    expect(() => build({ scaledObjectName: 'a'.repeat(60), hpaName: 'short-hpa' })).not.toThrow();
  });

  test('rejects a long default name derived from the workload name', () => {
    expect(() => build({ name: 'b'.repeat(50) })).toThrow(/name="b{50}": makes the name of the HPA KEDA creates "keda-hpa-b{50}-scaler" of 66 characters.*Fix: shorten name to at most 47 characters, or set scaledObjectName or hpaName/);
  });

  test('rejects a ScaledObject name over 63 characters even with hpaName', () => {
    expect(() => build({ scaledObjectName: 'a'.repeat(64), hpaName: 'h' })).toThrow(/is 64 characters; KEDA uses it as a label value \(at most 63\)/);
  });

  test('rejects transferHpaOwnership without hpaName', () => {
    expect(() => build({ transferHpaOwnership: true }))
      .toThrow(/transferHpaOwnership=true: needs the name of the HPA to adopt; KEDA rejects the ScaledObject otherwise\. Fix: set hpaName/);
  });

  test('rejects an invalid hpaName', () => {
    expect(() => build({ hpaName: 'My_HPA' })).toThrow(/hpaName="My_HPA": is not a valid DNS-1123 label/);
  });
});

describe('one ScaledObject per workload', () => {
  test('rejects two workers on the same Deployment name and namespace', () => {
    const chart = Testing.chart();
    new QueueBatchWorker(chart, 'A', { ...BASE, scaledObjectName: 'a' });
    expect(() => new QueueBatchWorker(chart, 'B', { ...BASE, scaledObjectName: 'b' }))
      .toThrow(/\[test\/B\] scaleTargetRef="Deployment\/worker": is already scaled by the ScaledObject of test\/A; KEDA rejects a second ScaledObject on one workload/);
  });

  test('accepts the same name in two namespaces', () => {
    const chart = Testing.chart();
    new QueueBatchWorker(chart, 'A', { ...BASE, namespace: 'one' });
    expect(() => new QueueBatchWorker(chart, 'B', { ...BASE, namespace: 'two' })).not.toThrow();
  });
});

describe('job mode', () => {
  test('rejects metricType on a ScaledJob trigger', () => {
    expect(() => build({
      mode: WorkerMode.JOB,
      triggers: [Trigger.rabbitmq({ queueName: 'q', value: 1, authentication: AUTH, metricType: TriggerMetricType.AVERAGE_VALUE })],
    })).toThrow(/\[test\/Worker\] triggers\[0\]\.metricType="AverageValue": is not supported on ScaledJob triggers.*Fix: remove metricType/);
  });

  test('rejects cpu triggers on a ScaledJob', () => {
    expect(() => build({ mode: WorkerMode.JOB, triggers: [Trigger.cpuUtilization(50)] }))
      .toThrow(/triggers\[0\]\.type="cpu": cpu and memory triggers only work with a ScaledObject/);
  });

  test('rejects ScaledObject-only settings', () => {
    expect(() => build({ mode: WorkerMode.JOB, cooldownPeriod: Duration.minutes(5) }))
      .toThrow(/\[test\/Worker\] cooldownPeriod=300s: only applies to a ScaledObject \(consumer mode\)\. Fix: remove cooldownPeriod, or use mode: WorkerMode\.CONSUMER/);
  });

  test('rejects directional pause on a ScaledJob', () => {
    expect(() => build({ mode: WorkerMode.JOB, pause: { pauseScaleIn: true } }))
      .toThrow(/pause\.pauseScaleIn=true: is not supported on a ScaledJob/);
  });

  test('rejects job settings in consumer mode', () => {
    expect(() => build({ job: { backoffLimit: 1 } })).toThrow(/job=\{"backoffLimit":1\}: only applies in job mode/);
  });

  test('rejects custom strategy settings with another strategy', () => {
    expect(() => build({ mode: WorkerMode.JOB, job: { customScalingRunningJobPercentage: 0.5 } }))
      .toThrow(/job\.scalingStrategy="default": ignores customScalingQueueLengthDeduction and customScalingRunningJobPercentage/);
  });

  test('rejects an activeDeadline shorter than the processing time', () => {
    expect(() => build({ mode: WorkerMode.JOB, maxProcessingTime: Duration.hours(1), job: { activeDeadline: Duration.minutes(30) } }))
      .toThrow(/job\.activeDeadline=1800s: is shorter than maxProcessingTime \(3600s\)/);
  });

  test('rejects parallelism 0', () => {
    expect(() => build({ mode: WorkerMode.JOB, job: { parallelism: 0 } })).toThrow(/job\.parallelism=0: must be an integer in 1\.\.2147483647/);
  });
});

describe('pause', () => {
  test('rejects unknown keys and non-integers in pause', () => {
    expect(() => build({ pause: { pausedReplica: 1 } as any })).toThrow(
      '[test/Worker] pause.pausedReplica=1: is not a property of PauseOptions. Fix: did you mean "pause.pausedReplicas"?');
    expect(() => build({ pause: { pausedReplicas: 1.5 } })).toThrow(/\[test\/Worker\] pause\.pausedReplicas=1\.5: must be an integer in 0\.\.2147483647.*KEDA parses it as an int32/);
    expect(() => build({ pause: { paused: 'true' } as any })).toThrow('[test/Worker] pause.paused="true": must be true or false, got a string');
  });

  test('rejects negative pausedReplicas', () => {
    expect(() => build({ pause: { pausedReplicas: -1 } })).toThrow(/\[test\/Worker\] pause\.pausedReplicas=-1: must be an integer in 0\.\.2147483647/);
  });
});

describe('worker props', () => {
  test('rejects an empty preStop command', () => {
    expect(() => build({ preStopCommand: [] })).toThrow(/preStopCommand=\[\]: must have at least 1 entry/);
  });

  test('rejects a zero maxProcessingTime', () => {
    expect(() => build({ maxProcessingTime: Duration.seconds(0) })).toThrow(/maxProcessingTime=0s: must be between 1 s and 2147483647 s/);
  });
});
