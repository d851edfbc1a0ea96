import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { IKedaAuthentication } from './authentication';
import { memoryQuantity } from '../workload/quantities';

/**
 * How KEDA turns a trigger's value into a desired replica count (the HPA metric target type).
 */
export enum TriggerMetricType {
  /** The value divided by the replica count is kept at the target (KEDA's default for external triggers). */
  AVERAGE_VALUE = 'AverageValue',
  /** The whole value is kept at the target (not divided by the replica count). */
  VALUE = 'Value',
  /** Percentage of the pods' requests; only for cpu and memory triggers. */
  UTILIZATION = 'Utilization',
}

/**
 * What a RabbitMQ trigger measures.
 */
export enum RabbitMqMode {
  /** Messages waiting in the queue; `value` is the backlog each replica should handle. */
  QUEUE_LENGTH = 'QueueLength',
  /** Publish rate into the queue (messages/s); needs the HTTP management API. */
  MESSAGE_RATE = 'MessageRate',
}

/**
 * How KEDA talks to RabbitMQ.
 */
export enum RabbitMqProtocol {
  /** Detected from the host URL (`amqp://` or `http://`). */
  AUTO = 'auto',
  /** AMQP 0-9-1. */
  AMQP = 'amqp',
  /** The HTTP management API. */
  HTTP = 'http',
}

/**
 * Where a new Kafka consumer group starts reading when it has no committed offset.
 */
export enum KafkaOffsetResetPolicy {
  /** Only new messages. */
  LATEST = 'latest',
  /** From the beginning of the topic. */
  EARLIEST = 'earliest',
}

/**
 * Settings every trigger accepts.
 */
export interface TriggerOptions {
  /**
   * Trigger name: required to use it in a `scalingModifiers` formula; unique per ScaledObject.
   * @default - unnamed
   */
  readonly name?: string;

  /**
   * How the value becomes a replica count. Not allowed on ScaledJob triggers (KEDA ignores it there).
   * @default - KEDA's default, AverageValue
   */
  readonly metricType?: TriggerMetricType;

  /**
   * Serve HPA metric requests from the value cached at the last polling interval instead of querying
   * the source again (less load on the queue, staler data). Not supported for cpu and memory.
   * @default false
   */
  readonly useCachedMetrics?: boolean;

  /**
   * The TriggerAuthentication or ClusterTriggerAuthentication holding the connection secrets.
   * @default - none
   */
  readonly authentication?: IKedaAuthentication;
}

/**
 * A RabbitMQ queue trigger. The host (with credentials) always comes from authentication (parameter
 * `host`) or from an environment variable of the worker container: never from literal metadata.
 */
export interface RabbitMqTriggerOptions extends TriggerOptions {
  /** Queue to watch, e.g. `ml-inference-queue`. */
  readonly queueName: string;
  /**
   * What to measure.
   * @default RabbitMqMode.QUEUE_LENGTH
   */
  readonly mode?: RabbitMqMode;
  /** Target per replica: messages waiting (QUEUE_LENGTH) or messages per second (MESSAGE_RATE). */
  readonly value: number;
  /**
   * The scaler is active (0 -> 1) only above this value.
   * @default - KEDA's default, 0
   */
  readonly activationValue?: number;
  /**
   * Protocol.
   * @default - not set: KEDA detects it from the host (auto)
   */
  readonly protocol?: RabbitMqProtocol;
  /**
   * Virtual host, when not part of the host URL.
   * @default - the vhost in the host URL
   */
  readonly vhostName?: string;
  /**
   * Read the host from this environment variable of the worker container instead of from
   * authentication.
   * @default - the host comes from `authentication` (parameter `host`)
   */
  readonly hostFromEnv?: string;
}

/**
 * A Kafka consumer-group lag trigger.
 */
export interface KafkaTriggerOptions extends TriggerOptions {
  /** Bootstrap servers, e.g. `['kafka.messaging:9092']`. */
  readonly bootstrapServers: string[];
  /** Consumer group whose lag is measured. */
  readonly consumerGroup: string;
  /**
   * Topic.
   * @default - every topic the consumer group has committed offsets for
   */
  readonly topic?: string;
  /** Target lag per replica. */
  readonly lagThreshold: number;
  /**
   * The scaler is active (0 -> 1) only above this lag.
   * @default - KEDA's default, 0
   */
  readonly activationLagThreshold?: number;
  /**
   * Offset reset policy of the consumer group.
   * @default - KEDA's default, LATEST
   */
  readonly offsetResetPolicy?: KafkaOffsetResetPolicy;
  /**
   * Allow more replicas than partitions (the extra consumers idle).
   * @default - KEDA's default, false
   */
  readonly allowIdleConsumers?: boolean;
}

/**
 * An AWS SQS queue trigger.
 */
export interface AwsSqsQueueTriggerOptions extends TriggerOptions {
  /** Queue URL, e.g. `https://sqs.us-east-1.amazonaws.com/123456789/ml-training-jobs`. */
  readonly queueUrl: string;
  /** AWS region, e.g. `us-east-1`. */
  readonly awsRegion: string;
  /** Target messages per replica. */
  readonly queueLength: number;
  /**
   * The scaler is active (0 -> 1) only above this many messages.
   * @default - KEDA's default, 0
   */
  readonly activationQueueLength?: number;
  /**
   * Count in-flight (received, not yet deleted) messages. Keep it on for long GPU work: an item
   * being processed still needs its replica.
   * @default - KEDA's default, true
   */
  readonly scaleOnInFlight?: boolean;
}

/**
 * A Prometheus query trigger.
 */
export interface PrometheusTriggerOptions extends TriggerOptions {
  /** Prometheus URL, e.g. `http://prometheus-server.monitoring.svc.cluster.local:9090`. */
  readonly serverAddress: string;
  /** PromQL returning a single value. */
  readonly query: string;
  /** Target value (per replica with AverageValue). */
  readonly threshold: number;
  /**
   * The scaler is active (0 -> 1) only above this value.
   * @default - KEDA's default, 0
   */
  readonly activationThreshold?: number;
}

/**
 * Options of cpu and memory triggers.
 */
export interface ResourceTriggerOptions {
  /**
   * Trigger name (unique per ScaledObject).
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * Measure only this container of the pod.
   * @default - the whole pod
   */
  readonly containerName?: string;
}

/**
 * A trigger of any other KEDA scaler type.
 */
export interface CustomTriggerOptions extends TriggerOptions {
  /** Scaler type, e.g. `redis`, `nats-jetstream`, `gcp-pubsub`. */
  readonly type: string;
  /** Scaler metadata. Never put credentials here: use `authentication`. */
  readonly metadata: { [key: string]: string };
}

/**
 * One KEDA trigger: a scaler type, its metadata and how it authenticates.
 */
export class Trigger {
  /**
   * Scales on a RabbitMQ queue (the article's `ml-inference-queue`, value 5, activation 1).
   */
  public static rabbitmq(options: RabbitMqTriggerOptions): Trigger {
    const metadata: Record<string, string | undefined> = {
      protocol: options.protocol,
      queueName: options.queueName,
      mode: options.mode ?? RabbitMqMode.QUEUE_LENGTH,
      value: num(options.value),
      activationValue: num(options.activationValue),
      vhostName: options.vhostName,
      hostFromEnv: options.hostFromEnv,
    };
    return new Trigger('rabbitmq', metadata, options, {
      targets: { value: options.value },
      activations: { activationValue: options.activationValue },
      required: { queueName: options.queueName },
    });
  }

  /**
   * Scales on the lag of a Kafka consumer group.
   */
  public static kafka(options: KafkaTriggerOptions): Trigger {
    const metadata: Record<string, string | undefined> = {
      bootstrapServers: (options.bootstrapServers ?? []).join(','),
      consumerGroup: options.consumerGroup,
      topic: options.topic,
      lagThreshold: num(options.lagThreshold),
      activationLagThreshold: num(options.activationLagThreshold),
      offsetResetPolicy: options.offsetResetPolicy,
      allowIdleConsumers: options.allowIdleConsumers === undefined ? undefined : String(options.allowIdleConsumers),
    };
    return new Trigger('kafka', metadata, options, {
      targets: { lagThreshold: options.lagThreshold },
      activations: { activationLagThreshold: options.activationLagThreshold },
      required: { bootstrapServers: metadata.bootstrapServers, consumerGroup: options.consumerGroup },
    });
  }

  /**
   * Scales on the messages of an AWS SQS queue (the article's `ml-training-jobs`, 2 per replica).
   */
  public static awsSqsQueue(options: AwsSqsQueueTriggerOptions): Trigger {
    const metadata: Record<string, string | undefined> = {
      queueURL: options.queueUrl,
      queueLength: num(options.queueLength),
      awsRegion: options.awsRegion,
      activationQueueLength: num(options.activationQueueLength),
      scaleOnInFlight: options.scaleOnInFlight === undefined ? undefined : String(options.scaleOnInFlight),
    };
    return new Trigger('aws-sqs-queue', metadata, options, {
      targets: { queueLength: options.queueLength },
      activations: { activationQueueLength: options.activationQueueLength },
      required: { queueUrl: options.queueUrl, awsRegion: options.awsRegion },
    });
  }

  /**
   * Scales on a Prometheus query (e.g. the article's `avg(gpu_utilization{job="ml-inference"})` at 70).
   * `metricName` is never emitted: KEDA removed it in 2.12.
   */
  public static prometheus(options: PrometheusTriggerOptions): Trigger {
    const metadata: Record<string, string | undefined> = {
      serverAddress: options.serverAddress,
      threshold: num(options.threshold),
      activationThreshold: num(options.activationThreshold),
      query: options.query,
    };
    return new Trigger('prometheus', metadata, options, {
      targets: { threshold: options.threshold },
      activations: { activationThreshold: options.activationThreshold },
      required: { serverAddress: options.serverAddress, query: options.query },
    });
  }

  /**
   * Scales on the average CPU utilization of the pods, in percent of their CPU requests.
   * Needs a CPU request; can never scale to zero on its own.
   */
  public static cpuUtilization(percent: number, options: ResourceTriggerOptions = {}): Trigger {
    return Trigger.resource('cpu', TriggerMetricType.UTILIZATION, percent, num(percent), options);
  }

  /**
   * Scales on the average CPU use of the pods (e.g. `Cpu.millis(500)`).
   */
  public static cpuAverageValue(cpu: Cpu, options: ResourceTriggerOptions = {}): Trigger {
    return Trigger.resource('cpu', TriggerMetricType.AVERAGE_VALUE, 1, cpu.amount, options);
  }

  /**
   * Scales on the average memory utilization of the pods, in percent of their memory requests.
   */
  public static memoryUtilization(percent: number, options: ResourceTriggerOptions = {}): Trigger {
    return Trigger.resource('memory', TriggerMetricType.UTILIZATION, percent, num(percent), options);
  }

  /**
   * Scales on the average memory use of the pods (e.g. `Size.gibibytes(6)`).
   */
  public static memoryAverageValue(memory: Size, options: ResourceTriggerOptions = {}): Trigger {
    return Trigger.resource('memory', TriggerMetricType.AVERAGE_VALUE, 1, memoryQuantity(memory), options);
  }

  /**
   * Any other KEDA scaler, with its metadata as KEDA documents it.
   */
  public static custom(options: CustomTriggerOptions): Trigger {
    return new Trigger(options.type, { ...(options.metadata ?? {}) }, options, { targets: {}, activations: {}, required: {} });
  }

  private static resource(type: string, metricType: TriggerMetricType, target: number, value: string | undefined,
    options: ResourceTriggerOptions): Trigger {
    // The target type lives at trigger level: `metadata.type` was removed in KEDA 2.18.
    return new Trigger(type, { value, containerName: options.containerName },
      { name: options.name, metricType }, { targets: { value: target }, activations: {}, required: {} });
  }

  /** Scaler type (`rabbitmq`, `kafka`, `aws-sqs-queue`, `prometheus`, `cpu`, `memory`, ...). */
  public readonly type: string;
  /** Trigger name. */
  public readonly name?: string;
  /** Metric target type. */
  public readonly metricType?: TriggerMetricType;
  /** Whether cached metrics are used. */
  public readonly useCachedMetrics?: boolean;
  /** Authentication reference. */
  public readonly authentication?: IKedaAuthentication;
  /** Scaler metadata as rendered (only the keys that are set). */
  public readonly metadata: { [key: string]: string };
  /** @internal numbers to validate: targets (> 0), activations (>= 0), required strings */
  public readonly _checks: _TriggerChecks;

  private constructor(type: string, metadata: Record<string, string | undefined>, options: TriggerOptions, checks: _TriggerChecks) {
    this.type = type;
    this.name = options.name;
    this.metricType = options.metricType;
    this.useCachedMetrics = options.useCachedMetrics;
    this.authentication = options.authentication;
    const clean: { [key: string]: string } = {};
    for (const k in metadata) {
      const v = metadata[k];
      if (v !== undefined) clean[k] = v;
    }
    this.metadata = clean;
    this._checks = checks;
  }
}

/** @internal */
export interface _TriggerChecks {
  readonly targets: Record<string, number | undefined>;
  readonly activations: Record<string, number | undefined>;
  readonly required: Record<string, string | undefined>;
}

function num(n: number | undefined): string | undefined {
  return n === undefined ? undefined : String(n);
}

