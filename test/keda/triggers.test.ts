import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { KedaAuthentication, KedaTriggerAuthentication } from '../../src/keda/authentication';
import { CREDENTIAL_IN_METADATA_WARNING } from '../../src/keda/render-triggers';
import { KafkaOffsetResetPolicy, RabbitMqMode, RabbitMqProtocol, Trigger, TriggerMetricType } from '../../src/keda/trigger';
import { QueueBatchWorker, QueueBatchWorkerProps } from '../../src/queue-batch-worker';
import { Warnings } from '../../src/warnings';
import { findOne, synthValid } from '../validate';

process.env.CDK8S_ML_AUTOSCALING_QUIET = '1';

const BASE: QueueBatchWorkerProps = {
  name: 'worker',
  namespace: 'ml-workloads',
  image: 'registry/worker:v1',
  cpuRequest: Cpu.millis(500),
  memoryRequest: Size.gibibytes(1),
  maxReplicas: 3,
  maxProcessingTime: Duration.minutes(1),
  // the variables the triggers below read with ...FromEnv (checked at synth)
  secretEnv: [
    { name: 'RABBITMQ_URL', secretName: 'rabbitmq', key: 'url' },
    { name: 'REDIS_ADDR', secretName: 'redis', key: 'address' },
  ],
};

function build(trigger: Trigger, props: Partial<QueueBatchWorkerProps> = {}) {
  const chart = Testing.chart();
  const worker = new QueueBatchWorker(chart, 'Worker', { ...BASE, triggers: [trigger], ...props });
  return { chart, worker };
}

function rendered(trigger: Trigger, props: Partial<QueueBatchWorkerProps> = {}) {
  return findOne(synthValid(build(trigger, props).chart), 'ScaledObject').spec.triggers[0];
}

const AUTH = KedaAuthentication.fromTriggerAuthenticationName('queue-auth');

describe('RabbitMQ', () => {
  test('defaults to QueueLength mode and leaves protocol to KEDA', () => {
    expect(rendered(Trigger.rabbitmq({ queueName: 'q', value: 10, authentication: AUTH }))).toEqual({
      type: 'rabbitmq', metadata: { queueName: 'q', mode: 'QueueLength', value: '10' }, authenticationRef: { name: 'queue-auth' },
    });
  });

  test('renders every option', () => {
    expect(rendered(Trigger.rabbitmq({
      name: 'rate',
      queueName: 'q',
      mode: RabbitMqMode.MESSAGE_RATE,
      value: 2.5,
      activationValue: 0.5,
      protocol: RabbitMqProtocol.HTTP,
      vhostName: '/ml',
      hostFromEnv: 'RABBITMQ_URL',
    }), { secretEnv: [{ name: 'RABBITMQ_URL', secretName: 'rabbitmq', key: 'url' }] }).metadata).toEqual({
      queueName: 'q', mode: 'MessageRate', value: '2.5', activationValue: '0.5', protocol: 'http', vhostName: '/ml', hostFromEnv: 'RABBITMQ_URL',
    });
  });

  test('rejects a trigger without a host source', () => {
    expect(() => build(Trigger.rabbitmq({ queueName: 'q', value: 1 })))
      .toThrow(/\[test\/Worker\] triggers\[0\]\.authentication=undefined: is missing: the RabbitMQ scaler needs the host\. Fix: add a TriggerAuthentication with secretTargetRefs/);
  });

  test('rejects an authentication that does not provide host', () => {
    const chart = Testing.chart();
    const auth = new KedaTriggerAuthentication(chart, 'Auth', {
      namespace: 'ml-workloads', secretTargetRefs: [{ parameter: 'password', secretName: 's', key: 'p' }],
    });
    expect(() => new QueueBatchWorker(chart, 'Worker', { ...BASE, triggers: [Trigger.rabbitmq({ queueName: 'q', value: 1, authentication: auth })] }))
      .toThrow(/authentication=".*": provides \["password"\] but not "host"/);
  });

  test('rejects a literal host in metadata', () => {
    expect(() => build(Trigger.custom({ type: 'rabbitmq', metadata: { host: 'amqp://u:p@r:5672', queueName: 'q', value: '1' } })))
      .toThrow(/triggers\[0\]\.metadata\.host="<redacted>": puts the RabbitMQ host \(and its credentials\) in clear text/);
  });

  test('rejects MessageRate over AMQP', () => {
    expect(() => build(Trigger.rabbitmq({ queueName: 'q', value: 1, mode: RabbitMqMode.MESSAGE_RATE, protocol: RabbitMqProtocol.AMQP, authentication: AUTH })))
      .toThrow(/triggers\[0\]\.protocol="amqp": cannot measure MessageRate/);
  });

  test('rejects an empty queue name', () => {
    expect(() => Trigger.rabbitmq({ queueName: '', value: 1, authentication: AUTH })).toThrow(/^\[Trigger\.rabbitmq\] queueName="": must not be empty/);
  });
});

describe('Kafka', () => {
  test('renders bootstrap servers, group, topic, thresholds and policies', () => {
    expect(rendered(Trigger.kafka({
      bootstrapServers: ['kafka-0:9092', 'kafka-1:9092'],
      consumerGroup: 'embedders',
      topic: 'documents',
      lagThreshold: 50,
      activationLagThreshold: 5,
      offsetResetPolicy: KafkaOffsetResetPolicy.EARLIEST,
      allowIdleConsumers: false,
    }))).toEqual({
      type: 'kafka',
      metadata: {
        bootstrapServers: 'kafka-0:9092,kafka-1:9092',
        consumerGroup: 'embedders',
        topic: 'documents',
        lagThreshold: '50',
        activationLagThreshold: '5',
        offsetResetPolicy: 'earliest',
        allowIdleConsumers: 'false',
      },
    });
  });

  test('rejects missing bootstrap servers', () => {
    expect(() => Trigger.kafka({ bootstrapServers: [], consumerGroup: 'g', lagThreshold: 10 }))
      .toThrow(/^\[Trigger\.kafka\] bootstrapServers=\[\]: must have at least 1 entry/);
  });
});

describe('AWS SQS', () => {
  test('renders queueURL, region, lengths and scaleOnInFlight', () => {
    expect(rendered(Trigger.awsSqsQueue({
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/items',
      awsRegion: 'eu-west-1',
      queueLength: 3,
      activationQueueLength: 1,
      scaleOnInFlight: true,
    })).metadata).toEqual({
      queueURL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/items',
      awsRegion: 'eu-west-1',
      queueLength: '3',
      activationQueueLength: '1',
      scaleOnInFlight: 'true',
    });
  });

  test('rejects something that is not a queue URL', () => {
    expect(() => Trigger.awsSqsQueue({ queueUrl: 'ml-training-jobs', awsRegion: 'us-east-1', queueLength: 2 }))
      .toThrow(/^\[Trigger\.awsSqsQueue\] queueUrl="ml-training-jobs": is not an SQS queue URL/);
  });
});

describe('Prometheus', () => {
  test('renders serverAddress, query, threshold, activationThreshold and never metricName', () => {
    const t = rendered(Trigger.prometheus({ serverAddress: 'http://prom:9090', query: 'sum(x)', threshold: 70, activationThreshold: 10 }));
    expect(t.metadata).toEqual({ serverAddress: 'http://prom:9090', query: 'sum(x)', threshold: '70', activationThreshold: '10' });
    expect(t.metadata.metricName).toBeUndefined();
  });

  test('rejects a server address that is not a URL', () => {
    expect(() => Trigger.prometheus({ serverAddress: 'prometheus:9090', query: 'x', threshold: 1 }))
      .toThrow(/^\[Trigger\.prometheus\] serverAddress="prometheus:9090": must be an http\(s\) URL/);
  });
});

describe('cpu and memory', () => {
  test('CPU average value renders the quantity', () => {
    expect(rendered(Trigger.cpuAverageValue(Cpu.millis(750)), { minReplicas: 1 }))
      .toEqual({ type: 'cpu', metricType: 'AverageValue', metadata: { value: '750m' } });
  });

  test('memory utilization', () => {
    expect(rendered(Trigger.memoryUtilization(80, { containerName: 'worker' }), { minReplicas: 1 }))
      .toEqual({ type: 'memory', metricType: 'Utilization', metadata: { value: '80', containerName: 'worker' } });
  });
});

describe('custom triggers', () => {
  test('pass type and metadata through, with the authentication reference', () => {
    expect(rendered(Trigger.custom({
      type: 'redis',
      metadata: { listName: 'jobs', listLength: '5', addressFromEnv: 'REDIS_ADDR' },
      authentication: AUTH,
      metricType: TriggerMetricType.VALUE,
    }))).toEqual({
      type: 'redis',
      metadata: { listName: 'jobs', listLength: '5', addressFromEnv: 'REDIS_ADDR' },
      metricType: 'Value',
      authenticationRef: { name: 'queue-auth' },
    });
  });

  test('warn about credentials written into metadata', () => {
    const { worker } = build(Trigger.custom({ type: 'redis', metadata: { listName: 'jobs', password: 'hunter2' } }));
    const w = Warnings.of(worker).find(x => x.id === CREDENTIAL_IN_METADATA_WARNING);
    expect(w?.message).toMatch(/triggers\[0\]\.metadata\.password looks like a credential/);
  });

  test('do not warn about *FromEnv keys', () => {
    const { worker } = build(Trigger.custom({ type: 'redis', metadata: { listName: 'jobs', passwordFromEnv: 'REDIS_PASSWORD' } }),
      { secretEnv: [{ name: 'REDIS_PASSWORD', secretName: 'redis', key: 'password' }] });
    expect(Warnings.of(worker)).toEqual([]);
  });

  test('reject an invalid scaler type', () => {
    expect(() => Trigger.custom({ type: 'Redis List', metadata: {} })).toThrow(/^\[Trigger\.custom\] type="Redis List": is not a KEDA scaler type/);
  });

  test('reject useCachedMetrics on cron', () => {
    expect(() => build(Trigger.custom({ type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '2' }, useCachedMetrics: true })))
      .toThrow(/useCachedMetrics=true: is not supported for the "cron" scaler/);
  });
});

describe('authentication references', () => {
  test('a ClusterTriggerAuthentication is referenced with its kind', () => {
    const t = rendered(Trigger.kafka({
      bootstrapServers: ['k:9092'],
      consumerGroup: 'g',
      lagThreshold: 10,
      authentication: KedaAuthentication.fromClusterTriggerAuthenticationName('kafka-sasl'),
    }));
    expect(t.authenticationRef).toEqual({ name: 'kafka-sasl', kind: 'ClusterTriggerAuthentication' });
  });

  test('a TriggerAuthentication in another namespace is rejected', () => {
    const chart = Testing.chart();
    const auth = new KedaTriggerAuthentication(chart, 'Auth', {
      name: 'rabbit', namespace: 'other', secretTargetRefs: [{ parameter: 'host', secretName: 's', key: 'host' }],
    });
    expect(() => new QueueBatchWorker(chart, 'Worker', { ...BASE, triggers: [Trigger.rabbitmq({ queueName: 'q', value: 1, authentication: auth })] }))
      .toThrow(/triggers\[0\]\.authentication="rabbit": is in namespace "other" but the ScaledObject is in "ml-workloads"/);
  });

  test('a TriggerAuthentication object renders as a reference by name', () => {
    const chart = Testing.chart();
    const auth = new KedaTriggerAuthentication(chart, 'Auth', {
      name: 'rabbit', namespace: 'ml-workloads', secretTargetRefs: [{ parameter: 'host', secretName: 's', key: 'host' }],
    });
    new QueueBatchWorker(chart, 'Worker', { ...BASE, triggers: [Trigger.rabbitmq({ queueName: 'q', value: 1, authentication: auth })] });
    const so = findOne(synthValid(chart), 'ScaledObject');
    expect(so.spec.triggers[0].authenticationRef).toEqual({ name: 'rabbit' });
  });
});

describe('Trigger value objects', () => {
  test('expose type, name and metadata', () => {
    const t = Trigger.awsSqsQueue({ name: 'sqs', queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', awsRegion: 'us-east-1', queueLength: 2 });
    expect(t.type).toBe('aws-sqs-queue');
    expect(t.name).toBe('sqs');
    expect(t.metadata).toEqual({ queueURL: 'https://sqs.us-east-1.amazonaws.com/1/q', awsRegion: 'us-east-1', queueLength: '2' });
  });
});
