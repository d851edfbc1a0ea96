import { Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { IKedaAuthentication } from './authentication';
import { metadataNumber } from './metadata-number';
import { triggerShapes, utilizationPercent } from './trigger-shapes';
import { GpuMetricLabels } from '../model-server/scaling-signal';
import { DCGM_EXPORTER, SignalKind } from '../model-server/server-catalog';
import { signalQuery } from '../model-server/signal-query';
import { checkProps, checkValue, fail } from '../validate/check';
import { positiveCpu, positiveSize } from '../validate/values';
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
   * Trigger name: required to use it in a `scalingModifiers` formula; unique per ScaledObject. An
   * identifier (letters, digits and '_', not starting with a digit, at most 63 characters), so that
   * formulas can refer to it.
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
  /**
   * Target per replica: messages waiting (QUEUE_LENGTH) or messages per second (MESSAGE_RATE);
   * greater than 0, may be fractional.
   */
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
   * authentication. The container must define it (checked against the workload's container).
   * @default - the host comes from `authentication` (parameter `host`)
   */
  readonly hostFromEnv?: string;
}

/**
 * A Kafka consumer-group lag trigger.
 */
export interface KafkaTriggerOptions extends TriggerOptions {
  /** Bootstrap servers, one `host:port` per entry (at least one), e.g. `['kafka.messaging:9092']`. */
  readonly bootstrapServers: string[];
  /** Consumer group whose lag is measured. */
  readonly consumerGroup: string;
  /**
   * Topic.
   * @default - every topic the consumer group has committed offsets for
   */
  readonly topic?: string;
  /** Target lag per replica: a whole number >= 1 (KEDA parses it as an integer). */
  readonly lagThreshold: number;
  /**
   * The scaler is active (0 -> 1) only above this lag (a whole number >= 0).
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
  /** Target messages per replica: a whole number >= 1 (KEDA parses it as an integer). */
  readonly queueLength: number;
  /**
   * The scaler is active (0 -> 1) only above this many messages (a whole number >= 0).
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
  /** Target value (per replica with AverageValue); greater than 0, may be fractional. */
  readonly threshold: number;
  /**
   * The scaler is active (0 -> 1) only above this value.
   * @default - KEDA's default, 0
   */
  readonly activationThreshold?: number;
}

/**
 * A GPU utilization trigger on NVIDIA's DCGM exporter, over exactly one Deployment's pods.
 */
export interface GpuUtilizationTriggerOptions {
  /** Prometheus URL, e.g. `http://prometheus-operated.monitoring.svc:9090`. */
  readonly serverAddress: string;
  /** Namespace of the Deployment. */
  readonly namespace: string;
  /** Name of the Deployment whose pods' GPUs count (at most 46 characters: pod names cut longer ones). */
  readonly deploymentName: string;
  /** Target average utilization per replica, in percent (above 0, at most 100). */
  readonly percent: number;
  /**
   * The scaler is active only above this summed utilization (it never wakes a workload from zero:
   * GPU series exist only while its pods run).
   * @default - KEDA's default, 0
   */
  readonly activationThreshold?: number;
  /**
   * Which labels carry the pod on the exporter's series.
   * @default GpuMetricLabels.EXPORTED (`exported_pod`/`exported_namespace`, the Helm chart's `honorLabels: false`)
   */
  readonly labels?: GpuMetricLabels;
  /**
   * Trigger name.
   * @default "gpu_utilization"
   */
  readonly name?: string;
  /**
   * The TriggerAuthentication for Prometheus, if it needs one.
   * @default - none
   */
  readonly authentication?: IKedaAuthentication;
}

/**
 * Options of cpu and memory triggers.
 */
export interface ResourceTriggerOptions {
  /**
   * Trigger name (unique per ScaledObject; letters, digits and '_', not starting with a digit).
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * Measure only this container of the pod (a DNS-1123 label).
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
  /**
   * Scaler metadata (string values). Never put credentials here: use `authentication`. Keys ending
   * in `FromEnv` name environment variables the workload's container must define.
   */
  readonly metadata: { [key: string]: string };
}

/**
 * One KEDA trigger: a scaler type, its metadata and how it authenticates.
 *
 * Every factory checks its arguments before use (JavaScript and jsii callers get no compile-time
 * types): types, enum members (exact values), ranges, formats and unknown keys. Errors name the
 * factory, e.g. `[Trigger.kafka] bootstrapServers="a,b": must be an array of ...`.
 */
export class Trigger {
  /**
   * Scales on a RabbitMQ queue (the article's `ml-inference-queue`, value 5, activation 1).
   * `value` and `activationValue` may be fractional (KEDA parses them as floats).
   */
  public static rabbitmq(options: RabbitMqTriggerOptions): Trigger {
    checkProps('Trigger.rabbitmq', 'RabbitMqTriggerOptions', triggerShapes().rabbitmq, options);
    const metadata: Record<string, string | undefined> = {
      protocol: options.protocol,
      queueName: options.queueName,
      mode: options.mode ?? RabbitMqMode.QUEUE_LENGTH,
      value: num(options.value),
      activationValue: num(options.activationValue),
      vhostName: options.vhostName,
      hostFromEnv: options.hostFromEnv,
    };
    return new Trigger('rabbitmq', metadata, options);
  }

  /**
   * Scales on the lag of a Kafka consumer group. `lagThreshold` and `activationLagThreshold` must
   * be whole numbers (KEDA parses them as integers).
   */
  public static kafka(options: KafkaTriggerOptions): Trigger {
    checkProps('Trigger.kafka', 'KafkaTriggerOptions', triggerShapes().kafka, options);
    const metadata: Record<string, string | undefined> = {
      bootstrapServers: options.bootstrapServers.join(','),
      consumerGroup: options.consumerGroup,
      topic: options.topic,
      lagThreshold: num(options.lagThreshold),
      activationLagThreshold: num(options.activationLagThreshold),
      offsetResetPolicy: options.offsetResetPolicy,
      allowIdleConsumers: options.allowIdleConsumers === undefined ? undefined : String(options.allowIdleConsumers),
    };
    return new Trigger('kafka', metadata, options);
  }

  /**
   * Scales on the messages of an AWS SQS queue (the article's `ml-training-jobs`, 2 per replica).
   * `queueLength` and `activationQueueLength` must be whole numbers (KEDA parses them as integers).
   */
  public static awsSqsQueue(options: AwsSqsQueueTriggerOptions): Trigger {
    checkProps('Trigger.awsSqsQueue', 'AwsSqsQueueTriggerOptions', triggerShapes().awsSqsQueue, options);
    const metadata: Record<string, string | undefined> = {
      queueURL: options.queueUrl,
      queueLength: num(options.queueLength),
      awsRegion: options.awsRegion,
      activationQueueLength: num(options.activationQueueLength),
      scaleOnInFlight: options.scaleOnInFlight === undefined ? undefined : String(options.scaleOnInFlight),
    };
    return new Trigger('aws-sqs-queue', metadata, options);
  }

  /**
   * Scales on a Prometheus query (e.g. the article's `avg(gpu_utilization{job="ml-inference"})` at 70).
   * `metricName` is never emitted: KEDA removed it in 2.12.
   */
  public static prometheus(options: PrometheusTriggerOptions): Trigger {
    checkProps('Trigger.prometheus', 'PrometheusTriggerOptions', triggerShapes().prometheus, options);
    const metadata: Record<string, string | undefined> = {
      serverAddress: options.serverAddress,
      threshold: num(options.threshold),
      activationThreshold: num(options.activationThreshold),
      query: options.query,
    };
    return new Trigger('prometheus', metadata, options);
  }

  /**
   * Scales on the GPU utilization of one Deployment's pods from NVIDIA's DCGM exporter 4.8
   * (`DCGM_FI_DEV_GPU_UTIL`): the article's `avg(gpu_utilization{job="ml-inference"})` at 70 in one
   * line, done right. The query sums each pod's average over its GPUs,
   * `sum(avg by (exported_pod) (DCGM_FI_DEV_GPU_UTIL{exported_namespace="ns",exported_pod=~"name-..."}))`,
   * so KEDA's AverageValue target asks for ceil(sum / percent) replicas, as the HPA would for an average
   * of `percent`. (An `avg(...)` query with an AverageValue threshold asks for ceil(avg / 70): never more
   * than 2 replicas.) Inside the serving constructs, `ScalingSignal.gpuUtilization(70)` fills in the
   * Deployment.
   */
  public static gpuUtilization(options: GpuUtilizationTriggerOptions): Trigger {
    const site = 'Trigger.gpuUtilization';
    checkProps(site, 'GpuUtilizationTriggerOptions', triggerShapes().gpuUtilization, options);
    if (options.activationThreshold !== undefined && options.activationThreshold > options.percent) {
      fail({ scope: site, prop: 'activationThreshold' }, options.activationThreshold,
        `is above percent=${options.percent}: KEDA would park the workload at zero while each replica is still busier than its target`,
        'set activationThreshold at most percent, or leave it out');
    }
    const dcgm = DCGM_EXPORTER.metrics.find(m => m.signal === SignalKind.GPU_UTILIZATION)!;
    const labels = options.labels === GpuMetricLabels.HONORED ? DCGM_EXPORTER.honoredLabels : DCGM_EXPORTER.exportedLabels;
    const query = signalQuery({ series: dcgm.series, podAggregation: 'avg', podLabel: labels.pod, namespaceLabel: labels.namespace },
      options.namespace, options.deploymentName);
    const metadata: Record<string, string | undefined> = {
      serverAddress: options.serverAddress,
      threshold: num(options.percent),
      activationThreshold: num(options.activationThreshold),
      query,
    };
    return new Trigger('prometheus', metadata, { name: options.name ?? 'gpu_utilization', authentication: options.authentication });
  }

  /**
   * Scales on the average CPU utilization of the pods, in percent of their CPU requests: a whole
   * number from 1 (KEDA parses it as an int32). Needs a CPU request; can never scale to zero on its own.
   */
  public static cpuUtilization(percent: number, options: ResourceTriggerOptions = {}): Trigger {
    return Trigger.utilization('cpu', 'Trigger.cpuUtilization', percent, options);
  }

  /**
   * Scales on the average CPU use of the pods (e.g. `Cpu.millis(500)`; more than 0 millicores).
   */
  public static cpuAverageValue(cpu: Cpu, options: ResourceTriggerOptions = {}): Trigger {
    const site = 'Trigger.cpuAverageValue';
    checkValue(site, 'cpu', cpu, positiveCpu());
    checkProps(site, 'ResourceTriggerOptions', triggerShapes().resource, options);
    return Trigger.resource('cpu', TriggerMetricType.AVERAGE_VALUE, cpu.amount, options);
  }

  /**
   * Scales on the average memory utilization of the pods, in percent of their memory requests: a
   * whole number from 1 (KEDA parses it as an int32).
   */
  public static memoryUtilization(percent: number, options: ResourceTriggerOptions = {}): Trigger {
    return Trigger.utilization('memory', 'Trigger.memoryUtilization', percent, options);
  }

  /**
   * Scales on the average memory use of the pods (e.g. `Size.gibibytes(6)`; more than 0 bytes).
   */
  public static memoryAverageValue(memory: Size, options: ResourceTriggerOptions = {}): Trigger {
    const site = 'Trigger.memoryAverageValue';
    checkValue(site, 'memory', memory, positiveSize());
    checkProps(site, 'ResourceTriggerOptions', triggerShapes().resource, options);
    return Trigger.resource('memory', TriggerMetricType.AVERAGE_VALUE, memoryValue(memory), options);
  }

  /**
   * Any other KEDA scaler, with its metadata as KEDA documents it (string values).
   */
  public static custom(options: CustomTriggerOptions): Trigger {
    checkProps('Trigger.custom', 'CustomTriggerOptions', triggerShapes().custom, options);
    return new Trigger(options.type, { ...options.metadata }, options);
  }

  private static utilization(type: string, site: string, percent: number, options: ResourceTriggerOptions): Trigger {
    checkValue(site, 'percent', percent, utilizationPercent());
    checkProps(site, 'ResourceTriggerOptions', triggerShapes().resource, options);
    return Trigger.resource(type, TriggerMetricType.UTILIZATION, num(percent), options);
  }

  private static resource(type: string, metricType: TriggerMetricType, value: string | undefined,
    options: ResourceTriggerOptions): Trigger {
    // The target type lives at trigger level: `metadata.type` was removed in KEDA 2.18.
    return new Trigger(type, { value, containerName: options.containerName }, { name: options.name, metricType });
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

  private constructor(type: string, metadata: Record<string, string | undefined>, options: TriggerOptions) {
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
  }
}

/** A number in metadata: plain decimal notation (see metadataNumber). */
function num(n: number | undefined): string | undefined {
  return n === undefined ? undefined : metadataNumber(n);
}

/** A memory target as a quantity: the most readable exact unit, bytes when not whole KiB. */
function memoryValue(size: Size): string {
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  return Number.isInteger(kib) && kib < 1e15 ? memoryQuantity(size) : metadataNumber(kib * 1024);
}
