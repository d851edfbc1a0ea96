import { AuthenticationKind } from './authentication';
import {
  AWS_REGION, BOOTSTRAP_SERVER, HTTP_URL, NOT_BLANK, PARAMETER_NAME, SCALER_TYPE, SQS_QUEUE_URL, TRIGGER_NAME,
} from './keda-formats';
import {
  AwsSqsQueueTriggerOptions, CustomTriggerOptions, KafkaOffsetResetPolicy, KafkaTriggerOptions, PrometheusTriggerOptions,
  RabbitMqMode, RabbitMqProtocol, RabbitMqTriggerOptions, ResourceTriggerOptions, Trigger, TriggerMetricType, TriggerOptions,
  GpuUtilizationTriggerOptions,
} from './trigger';
import { GpuMetricLabels } from '../model-server/scaling-signal';
import { SIGNAL_DEPLOYMENT_NAME } from '../model-server/signal-query';
import { PROMQL_QUERY } from '../promql/promql-formats';
import {
  arrayOf, boolean, Check, enumOf, fail, instanceOf, INT32_MAX, integer, mapOf, number, optional, Shape, string, typeOf,
} from '../validate/check';
import { DNS1123_LABEL_NAME, DNS1123_SUBDOMAIN_NAME, ENV_VAR_NAME } from '../validate/formats';

/**
 * The runtime checks of the `Trigger.*` factories' options (JavaScript and jsii callers get no
 * compile-time types). Numbers follow KEDA's scalers (v2.20): kafka `lagThreshold` and SQS
 * `queueLength` (and their activations) are parsed as int64, cpu/memory utilization as int32,
 * RabbitMQ `value` and Prometheus `threshold` as float64.
 */

/** Something a trigger can reference: `KedaAuthentication.from...(name)` or a `KedaTriggerAuthentication`. */
export function kedaAuthentication(): Check {
  const fix = 'use KedaAuthentication.fromTriggerAuthenticationName(name), KedaAuthentication.fromClusterTriggerAuthenticationName(name) '
    + 'or a KedaTriggerAuthentication';
  const name = string({ format: DNS1123_SUBDOMAIN_NAME });
  const kind = enumOf(AuthenticationKind, 'AuthenticationKind');
  const namespace = optional(string({ format: DNS1123_LABEL_NAME }));
  const parameters = optional(arrayOf(string({ format: PARAMETER_NAME })));
  return {
    expected: 'an IKedaAuthentication',
    check(value, site) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        fail(site, value, `must be an IKedaAuthentication, got ${typeOf(value)}`, fix);
      }
      const auth = value as { [key: string]: unknown };
      const at = (key: string) => ({ scope: site.scope, prop: `${site.prop}.${key}` });
      name.check(auth.authenticationName, at('authenticationName'));
      kind.check(auth.authenticationKind, at('authenticationKind'));
      namespace.check(auth.authenticationNamespace, at('authenticationNamespace'));
      parameters.check(auth.parameters, at('parameters'));
    },
  };
}

/** A `Trigger` made by one of the `Trigger.*` factories (for props holding triggers). */
export function triggerInstance(): Check {
  return instanceOf(v => v instanceof Trigger, 'Trigger',
    'create triggers with Trigger.rabbitmq(...), Trigger.kafka(...), Trigger.awsSqsQueue(...), Trigger.prometheus(...), Trigger.custom(...), ...');
}

/** A whole number target of a scaler that parses it as an int64 (exactly representable here). */
function wholeTarget(scaler: string, prop: string, example: number): Check {
  return integer({
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    fix: `set ${prop} to the whole amount one replica should handle, e.g. ${example} (KEDA's ${scaler} scaler parses it as an integer)`,
  });
}

/** A whole number activation threshold (int64 in KEDA). */
function wholeActivation(scaler: string, prop: string): Check {
  return optional(integer({
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    fix: `set ${prop} to a whole number >= 0 (KEDA's ${scaler} scaler parses it as an integer; the scaler is active above it)`,
  }));
}

/** A target of a scaler that parses it as a float64. */
function target(prop: string): Check {
  return number({ min: 0, exclusiveMin: true, fix: `set ${prop} to the amount one replica should handle (greater than 0)` });
}

function activation(prop: string): Check {
  return optional(number({ min: 0, fix: `set ${prop} to 0 or more (the scaler is active above it)` }));
}

/** A utilization in percent of the pods' requests: KEDA parses it as an int32, the HPA needs > 0. */
export function utilizationPercent(): Check {
  return integer({ min: 1, max: INT32_MAX, fix: 'use a whole percentage of the requests, e.g. 70 (KEDA parses it as an int32)' });
}

/** The shapes of the `Trigger.*` options. */
export interface TriggerShapes {
  readonly rabbitmq: Shape<RabbitMqTriggerOptions>;
  readonly kafka: Shape<KafkaTriggerOptions>;
  readonly awsSqsQueue: Shape<AwsSqsQueueTriggerOptions>;
  readonly prometheus: Shape<PrometheusTriggerOptions>;
  readonly gpuUtilization: Shape<GpuUtilizationTriggerOptions>;
  readonly resource: Shape<ResourceTriggerOptions>;
  readonly custom: Shape<CustomTriggerOptions>;
}

let shapes: TriggerShapes | undefined;

/** Built on first use: `trigger.ts` and this module import each other. */
export function triggerShapes(): TriggerShapes {
  if (shapes) return shapes;
  const triggerOptions: Shape<TriggerOptions> = {
    name: optional(string({ format: TRIGGER_NAME })),
    metricType: optional(enumOf(TriggerMetricType, 'TriggerMetricType')),
    useCachedMetrics: optional(boolean()),
    authentication: optional(kedaAuthentication()),
  };
  shapes = {
    rabbitmq: {
      ...triggerOptions,
      queueName: string({ format: NOT_BLANK }),
      mode: optional(enumOf(RabbitMqMode, 'RabbitMqMode')),
      value: target('value'),
      activationValue: activation('activationValue'),
      protocol: optional(enumOf(RabbitMqProtocol, 'RabbitMqProtocol')),
      vhostName: optional(string()),
      hostFromEnv: optional(string({ format: ENV_VAR_NAME })),
    },
    kafka: {
      ...triggerOptions,
      bootstrapServers: arrayOf(string({ format: BOOTSTRAP_SERVER }), { minLength: 1 }),
      consumerGroup: string({ format: NOT_BLANK }),
      topic: optional(string({ format: NOT_BLANK })),
      lagThreshold: wholeTarget('kafka', 'lagThreshold', 50),
      activationLagThreshold: wholeActivation('kafka', 'activationLagThreshold'),
      offsetResetPolicy: optional(enumOf(KafkaOffsetResetPolicy, 'KafkaOffsetResetPolicy')),
      allowIdleConsumers: optional(boolean()),
    },
    awsSqsQueue: {
      ...triggerOptions,
      queueUrl: string({ format: SQS_QUEUE_URL }),
      awsRegion: string({ format: AWS_REGION }),
      queueLength: wholeTarget('aws-sqs-queue', 'queueLength', 5),
      activationQueueLength: wholeActivation('aws-sqs-queue', 'activationQueueLength'),
      scaleOnInFlight: optional(boolean()),
    },
    prometheus: {
      ...triggerOptions,
      serverAddress: string({ format: HTTP_URL }),
      query: string({ format: PROMQL_QUERY }),
      threshold: target('threshold'),
      activationThreshold: activation('activationThreshold'),
    },
    gpuUtilization: {
      serverAddress: string({ format: HTTP_URL }),
      namespace: string({ format: DNS1123_LABEL_NAME }),
      deploymentName: string({ format: SIGNAL_DEPLOYMENT_NAME }),
      percent: number({ min: 0, exclusiveMin: true, max: 100, fix: 'set percent to a number greater than 0 and at most 100, e.g. 70' }),
      activationThreshold: activation('activationThreshold'),
      labels: optional(enumOf(GpuMetricLabels, 'GpuMetricLabels')),
      name: optional(string({ format: TRIGGER_NAME })),
      authentication: optional(kedaAuthentication()),
    },
    resource: {
      name: optional(string({ format: TRIGGER_NAME })),
      containerName: optional(string({ format: DNS1123_LABEL_NAME })),
    },
    custom: {
      ...triggerOptions,
      type: string({ format: SCALER_TYPE }),
      metadata: mapOf(string({ format: PARAMETER_NAME }), string({ minLength: 0 })),
    },
  };
  return shapes;
}
