import { IConstruct } from 'constructs';
import { AuthenticationKind } from './authentication';
import { Trigger, TriggerMetricType } from './trigger';
import { propError } from '../errors';
import { typeOf } from '../validate/check';
import { Warnings } from '../warnings';

/** Where the triggers are used and what the scaled container requests. */
export interface TriggerContext {
  readonly owner: 'ScaledObject' | 'ScaledJob';
  /** Namespace of the ScaledObject/ScaledJob, when known. */
  readonly namespace?: string;
  /** The workload's container. */
  readonly containerName?: string;
  /** Resources the container requests or limits (cpu, memory, ...). */
  readonly resources?: Set<string>;
}

/** A trigger as KEDA reads it (`spec.triggers[]`). */
export interface RenderedTrigger {
  readonly type: string;
  readonly name?: string;
  readonly metadata: { [key: string]: string };
  readonly metricType?: string;
  readonly useCachedMetrics?: boolean;
  readonly authenticationRef?: { name: string; kind?: string };
}

export const RESOURCE_TRIGGER_TYPES = ['cpu', 'memory'];
/** Scalers where `metricName` still means something (KEDA 2.12 removed it elsewhere). */
const METRIC_NAME_SCALERS = ['aws-cloudwatch', 'huawei-cloudeye', 'azure-monitor'];
const CREDENTIAL_KEY = /(password|passwd|secret|token|apikey|api_key|accesskey|connectionstring|sasl)/i;

export const CREDENTIAL_IN_METADATA_WARNING = 'ML-W-KEDA-CREDENTIAL-IN-METADATA';

/** Whether a metadata key names a credential (not a `...FromEnv` reference), cached: keys repeat across a fleet. */
const credentialKeys = new Map<string, boolean>();
function isCredentialKey(key: string): boolean {
  let credential = credentialKeys.get(key);
  if (credential === undefined) {
    credential = CREDENTIAL_KEY.test(key) && !/FromEnv$/.test(key);
    if (credentialKeys.size < 10_000) credentialKeys.set(key, credential);
  }
  return credential;
}

export function isResourceTrigger(t: { type: string }): boolean {
  return RESOURCE_TRIGGER_TYPES.includes(t.type);
}

/**
 * `renderTriggers` for a live trigger list (`addTrigger` may still add to it), rendered again only
 * when the list changed: the construct checks the triggers when it is created, its validation at
 * synth, and the manifest's `Lazy` renders them, so a synth would otherwise render every trigger
 * list two more times.
 * @returns a function taking `allowEmpty` (see renderTriggers)
 */
export function triggerRenderer(scope: IConstruct, prop: string, triggers: Trigger[], ctx: TriggerContext):
(allowEmpty?: boolean) => RenderedTrigger[] {
  let renderedFrom: Trigger[] = [];
  let rendered: RenderedTrigger[] | undefined;
  return (allowEmpty = false) => {
    const same = rendered !== undefined && renderedFrom.length === triggers.length && renderedFrom.every((t, i) => t === triggers[i]);
    if (same) return rendered!;
    const result = renderTriggers(scope, prop, triggers, ctx, allowEmpty);
    // an empty list is not kept: rendering it again decides whether empty is allowed
    if (triggers.length > 0) {
      renderedFrom = triggers.slice();
      rendered = result;
    }
    return result;
  };
}

/**
 * Checks triggers as KEDA's CRD, admission webhook and scalers would, and renders them.
 * @param allowEmpty true while more triggers may still be added
 */
export function renderTriggers(scope: IConstruct, prop: string, triggers: Trigger[], ctx: TriggerContext,
  allowEmpty = false): RenderedTrigger[] {
  if (!allowEmpty && triggers.length === 0) {
    throw propError(scope, prop, [], 'no triggers to scale on',
      'pass triggers, e.g. [Trigger.rabbitmq({...})], or call addTrigger(...), or pass signals, e.g. [ScalingSignal.queueSize(5)] with a modelServer');
  }
  const names = new Map<string, number>();
  return triggers.map((t, i) => {
    const at = `${prop}[${i}]`;
    if (!(t instanceof Trigger)) {
      throw propError(scope, at, t, `must be a Trigger, got ${typeOf(t)}`,
        'create triggers with Trigger.rabbitmq(...), Trigger.kafka(...), Trigger.awsSqsQueue(...), Trigger.prometheus(...), Trigger.custom(...), ...');
    }
    if (!(typeof t.type === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(t.type))) {
      throw propError(scope, `${at}.type`, t.type,
        'is not a KEDA scaler type', 'use a type from https://keda.sh/docs/latest/scalers/, e.g. "redis"');
    }
    if (t.name !== undefined) {
      if (!(t.name.length > 0)) throw propError(scope, `${at}.name`, t.name, 'must not be empty', 'omit name or give a non-empty name');
      const first = names.get(t.name);
      if (!(first === undefined)) {
        throw propError(scope, `${at}.name`, t.name,
          `is also the name of ${prop}[${first}]; KEDA requires unique trigger names`, 'give each trigger its own name');
      }
      names.set(t.name, i);
    }
    const resource = isResourceTrigger(t);
    if (ctx.owner === 'ScaledJob') {
      if (!(!resource)) {
        throw propError(scope, `${at}.type`, t.type,
          'cpu and memory triggers only work with a ScaledObject', 'scale the Jobs on a queue trigger, or use consumer mode');
      }
      if (!(t.metricType === undefined)) {
        throw propError(scope, `${at}.metricType`, t.metricType,
          'is not supported on ScaledJob triggers (KEDA computes Jobs from the raw queue length)', 'remove metricType');
      }
    }
    if (resource) {
      if (!(t.metadata.type === undefined)) {
        throw propError(scope, `${at}.metadata.type`, t.metadata.type,
          'was removed in KEDA 2.18 and makes the whole ScaledObject fail', 'use Trigger.cpuUtilization(...) / Trigger.memoryAverageValue(...) (trigger-level metricType)');
      }
      if (!(t.metricType === TriggerMetricType.UTILIZATION || t.metricType === TriggerMetricType.AVERAGE_VALUE)) {
        throw propError(scope, `${at}.metricType`, t.metricType,
          `${t.type} triggers need Utilization or AverageValue`, `use Trigger.${t.type}Utilization(...) or Trigger.${t.type}AverageValue(...)`);
      }
      if (!(typeof t.metadata.value === 'string' && t.metadata.value.length > 0)) {
        throw propError(scope, `${at}.value`, t.metadata.value,
          'is required', 'set the target value');
      }
      const container = t.metadata.containerName;
      if (container !== undefined && ctx.containerName !== undefined) {
        if (!(container === ctx.containerName)) {
          throw propError(scope, `${at}.containerName`, container,
            `names no container of this workload (its container is "${ctx.containerName}")`, `use "${ctx.containerName}" or omit containerName`);
        }
      }
      if (ctx.resources !== undefined) {
        if (!(ctx.resources.has(t.type))) {
          throw propError(scope, at, `${t.type} ${t.metadata.value}`,
            `a ${t.type} trigger needs a ${t.type} request on the container "${ctx.containerName}"; KEDA rejects the ScaledObject otherwise`, `set ${t.type === 'cpu' ? 'cpuRequest' : 'memoryRequest'}, or scale on another trigger`);
        }
      }
    } else {
      if (!(t.metricType !== TriggerMetricType.UTILIZATION)) {
        throw propError(scope, `${at}.metricType`, t.metricType,
          'Utilization is only valid for cpu and memory triggers', 'use AVERAGE_VALUE or VALUE');
      }
    }
    if (t.useCachedMetrics) {
      if (!(!resource && t.type !== 'cron')) {
        throw propError(scope, `${at}.useCachedMetrics`, true,
          `is not supported for the "${t.type}" scaler (KEDA rejects it)`, 'remove useCachedMetrics');
      }
    }
    if ('metricName' in t.metadata) {
      if (!(METRIC_NAME_SCALERS.includes(t.type))) {
        throw propError(scope, `${at}.metadata.metricName`, t.metadata.metricName,
          'was removed in KEDA 2.12 (KEDA generates the metric name)', 'remove metricName');
      }
    }
    checkScalerSpecifics(scope, at, t);
    for (const key in t.metadata) {
      if (isCredentialKey(key)) {
        Warnings.add(scope, CREDENTIAL_IN_METADATA_WARNING,
          `${at}.metadata.${key} looks like a credential written in clear text into the manifest; ` +
          'provide it through authentication (a TriggerAuthentication referencing a Secret) instead');
      }
    }

    const auth = t.authentication;
    if (auth) {
      if (!(!!auth.authenticationName)) {
        throw propError(scope, `${at}.authentication`, auth.authenticationName,
          'has no name', 'reference a TriggerAuthentication by name');
      }
      if (auth.authenticationKind === AuthenticationKind.TRIGGER_AUTHENTICATION
        && auth.authenticationNamespace !== undefined && ctx.namespace !== undefined) {
        if (!(auth.authenticationNamespace === ctx.namespace)) {
          throw propError(scope, `${at}.authentication`, auth.authenticationName,
            `is in namespace "${auth.authenticationNamespace}" but the ${ctx.owner} is in "${ctx.namespace}"; a TriggerAuthentication is only visible in its namespace`, 'create the TriggerAuthentication in the same namespace, or use a ClusterTriggerAuthentication');
        }
      }
    }
    // what KEDA reads, with only the keys that are set (plain assignments: this runs per trigger of a fleet)
    const rendered: { -readonly [K in keyof RenderedTrigger]: RenderedTrigger[K] } = { type: t.type, metadata: { ...t.metadata } };
    if (t.name !== undefined) rendered.name = t.name;
    if (t.metricType !== undefined) rendered.metricType = t.metricType;
    if (t.useCachedMetrics) rendered.useCachedMetrics = true;
    if (auth) {
      rendered.authenticationRef = auth.authenticationKind === AuthenticationKind.CLUSTER_TRIGGER_AUTHENTICATION
        ? { name: auth.authenticationName, kind: auth.authenticationKind }
        : { name: auth.authenticationName };
    }
    return rendered;
  });
}

function checkScalerSpecifics(scope: IConstruct, at: string, t: Trigger): void {
  const md = t.metadata;
  if (t.type === 'rabbitmq') {
    if (!(md.host === undefined)) {
      throw propError(scope, `${at}.metadata.host`, '<redacted>',
        'puts the RabbitMQ host (and its credentials) in clear text into the manifest', 'provide parameter "host" through a TriggerAuthentication (secretTargetRefs), or use hostFromEnv');
    }
    const params = t.authentication?.parameters;
    const hasHost = md.hostFromEnv !== undefined || (t.authentication !== undefined && (params === undefined || params.includes('host')));
    if (!(hasHost)) {
      throw propError(scope, `${at}.authentication`, t.authentication?.authenticationName,
        params === undefined ? 'is missing: the RabbitMQ scaler needs the host' : `provides ${JSON.stringify(params)} but not "host"`, 'add a TriggerAuthentication with secretTargetRefs [{ parameter: "host", secretName, key }], or set hostFromEnv');
    }
    if (md.mode === 'MessageRate') {
      if (!(md.protocol !== 'amqp')) {
        throw propError(scope, `${at}.protocol`, md.protocol,
          'cannot measure MessageRate (it needs the HTTP management API)', 'use RabbitMqProtocol.HTTP (and an http:// host), or mode QUEUE_LENGTH');
      }
    }
  }
  if (t.type === 'aws-sqs-queue' && md.queueURL !== undefined) {
    if (!(/^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/\d+\/.+$/.test(md.queueURL) || md.queueURL.startsWith('http'))) {
      throw propError(scope, `${at}.queueUrl`, md.queueURL,
        'is not an SQS queue URL', 'use https://sqs.<region>.amazonaws.com/<account>/<queue>');
    }
  }
  if (t.type === 'prometheus' && md.serverAddress !== undefined) {
    if (!(/^https?:\/\/.+/.test(md.serverAddress))) {
      throw propError(scope, `${at}.serverAddress`, md.serverAddress,
        'must be an http(s) URL', 'e.g. "http://prometheus-server.monitoring.svc.cluster.local:9090"');
    }
  }
}
