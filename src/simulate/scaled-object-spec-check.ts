import { HPA_BEHAVIOR } from './hpa-spec-check';
import { isWholeObject, OBJECT_META, oneOf, quantity } from './manifest-check';
import {
  anything, arrayOf, boolean, Check, fail, integer, isPlainObject, mapOf, optional, Shape, Site, string, struct, typeOf,
} from '../validate/check';

/**
 * The check of a keda.sh/v1alpha1 ScaledObject as JSON (the whole object or its spec), for
 * `ScaledObjectController` (prop `manifest`) and `Simulator.run` (prop `scaledObject`): the fields KEDA's
 * CRD and admission webhook validate and those the simulated operator reads, reported on the entry point
 * and the field's path. Internal: the public types take the manifest as `any`.
 */

interface ScaleTargetRef { apiVersion?: string; kind?: string; name: string; envSourceContainerName?: string }
interface AuthenticationRef { name: string; kind?: string }
/** One trigger; `metadata` is a map of strings (KEDA's `map[string]string`). */
export interface TriggerJson {
  type: string;
  metadata: { [key: string]: string };
  name?: string;
  metricType?: string;
  authenticationRef?: AuthenticationRef;
  useCachedMetrics?: boolean;
}
interface Fallback { failureThreshold: number; replicas: number; behavior?: string }
interface HpaConfig { name?: string; behavior?: unknown }
interface ScalingModifiers { formula?: string; target?: string; activationTarget?: string; metricType?: string }
interface Advanced { restoreToOriginalReplicaCount?: boolean; horizontalPodAutoscalerConfig?: HpaConfig; scalingModifiers?: ScalingModifiers }
/** The fields of a ScaledObject's spec. */
export interface ScaledObjectSpecJson {
  scaleTargetRef: ScaleTargetRef;
  pollingInterval?: number;
  cooldownPeriod?: number;
  initialCooldownPeriod?: number;
  idleReplicaCount?: number;
  minReplicaCount?: number;
  maxReplicaCount?: number;
  fallback?: Fallback;
  advanced?: Advanced;
  triggers: TriggerJson[];
}
interface ScaledObjectMeta { name?: string; annotations?: { [key: string]: string } }
interface ScaledObjectJson { apiVersion?: string; kind?: string; metadata?: ScaledObjectMeta; spec: ScaledObjectSpecJson; status?: unknown }

/** The metadata key holding the target of common scalers, and KEDA's default when the key is absent. */
const TARGET_KEYS: Record<string, { key: string; default?: number }> = {
  'prometheus': { key: 'threshold' },
  'rabbitmq': { key: 'value' },
  'aws-sqs-queue': { key: 'queueLength', default: 5 },
  'kafka': { key: 'lagThreshold', default: 10 },
  'apache-kafka': { key: 'lagThreshold', default: 10 },
  'redis': { key: 'listLength', default: 5 },
  'redis-cluster': { key: 'listLength', default: 5 },
  'azure-queue': { key: 'queueLength', default: 5 },
  'azure-servicebus': { key: 'messageCount', default: 5 },
  'gcp-pubsub': { key: 'value', default: 10 },
  'metrics-api': { key: 'targetValue' },
  'nats-jetstream': { key: 'lagThreshold' },
  'postgresql': { key: 'targetQueryValue' },
  'mysql': { key: 'queryValue' },
  'datadog': { key: 'queryValue' },
  'new-relic': { key: 'threshold' },
  'aws-cloudwatch': { key: 'targetMetricValue' },
  'kubernetes-workload': { key: 'value' },
};

const GENERIC_TARGET_KEYS = ['threshold', 'value', 'targetValue', 'queueLength', 'lagThreshold', 'listLength', 'messageCount',
  'targetQueryValue', 'queryValue', 'targetMetricValue', 'pendingEntriesCount', 'streamLength', 'lagCount', 'targetPendingRequests'];

/** Where an external trigger's target is: the metadata key read (undefined for KEDA's default) and the raw value. */
export interface TriggerTarget {
  readonly key?: string;
  readonly raw?: string | number;
}

/** The target of an external (not cpu/memory) trigger, as the scaler reads it. */
export function triggerTarget(type: string, metadata: { [key: string]: string }): TriggerTarget {
  const known = TARGET_KEYS[type];
  if (known) {
    if (metadata[known.key] !== undefined) return { key: known.key, raw: metadata[known.key] };
    if (type === 'rabbitmq' && metadata.queueLength !== undefined) return { key: 'queueLength', raw: metadata.queueLength };
    if (type === 'gcp-pubsub' && metadata.subscriptionSize !== undefined) return { key: 'subscriptionSize', raw: metadata.subscriptionSize };
    return { raw: known.default };
  }
  const key = GENERIC_TARGET_KEYS.find(k => metadata[k] !== undefined);
  return key ? { key, raw: metadata[key] } : {};
}

/** The activation value of a trigger: the first `activation*` metadata key that is set, if any. */
export function activationKey(metadata: { [key: string]: string }): string | undefined {
  return Object.keys(metadata).find(k => k.startsWith('activation') && metadata[k] !== '');
}

/** A decimal as KEDA's scalers parse it (strconv.ParseFloat): NaN when it is not one. */
export function parseDecimal(raw: string | number): number {
  const text = String(raw).trim();
  return text === '' ? NaN : Number(text);
}

const NAME = string();
/** The rabbitmq scaler's modes (the simulator reads MessageRate as an arrival rate). */
const RABBITMQ_MODE = oneOf('QueueLength', 'MessageRate');
const DECIMAL_FIX = 'use a decimal number as a string, e.g. "5"';

function decimalAt(site: Site, key: string, raw: string, min: number, problem: string): number {
  const prop = `${site.prop}.metadata.${key}`;
  const value = parseDecimal(raw);
  if (!Number.isFinite(value)) fail({ scope: site.scope, prop }, raw, 'is not a decimal number', DECIMAL_FIX);
  if (!(value >= min)) fail({ scope: site.scope, prop }, raw, problem, DECIMAL_FIX);
  return value;
}

const TRIGGER_SHAPE = struct<TriggerJson>('ScaleTriggers', {
  type: NAME,
  metadata: mapOf(string(), string({ minLength: 0, fix: 'write every metadata value as a string, e.g. "5"' })),
  name: optional(NAME),
  metricType: optional(oneOf('AverageValue', 'Value', 'Utilization')),
  authenticationRef: optional(struct<AuthenticationRef>('AuthenticationRef', {
    name: NAME, kind: optional(oneOf('TriggerAuthentication', 'ClusterTriggerAuthentication')),
  })),
  useCachedMetrics: optional(boolean()),
});

/** One trigger: its fields, and the target and activation values the simulated scaler reads. */
const TRIGGER: Check = {
  expected: TRIGGER_SHAPE.expected,
  check(value, site) {
    TRIGGER_SHAPE.check(value, site);
    const t = value as TriggerJson;
    const md = t.metadata;
    if (t.type === 'cpu' || t.type === 'memory') {
      const metricType = t.metricType ?? md.type ?? 'Utilization';
      if (metricType !== 'Utilization' && metricType !== 'AverageValue') {
        const prop = t.metricType !== undefined ? `${site.prop}.metricType` : `${site.prop}.metadata.type`;
        fail({ scope: site.scope, prop }, metricType, `must be "Utilization" or "AverageValue" for a ${t.type} trigger`, 'use "Utilization" or "AverageValue"');
      }
      if (md.value === undefined) {
        fail({ scope: site.scope, prop: `${site.prop}.metadata.value` }, undefined, `is required for a ${t.type} trigger`, 'set metadata.value, e.g. "70"');
      }
      if (metricType === 'Utilization') {
        decimalAt(site, 'value', md.value, 1, 'must be at least 1 (percent of the requests)');
      } else {
        quantity({ positive: true }).check(md.value, { scope: site.scope, prop: `${site.prop}.metadata.value` });
      }
      return;
    }
    if (t.type === 'rabbitmq' && md.mode !== undefined) RABBITMQ_MODE.check(md.mode, { scope: site.scope, prop: `${site.prop}.metadata.mode` });
    const target = triggerTarget(t.type, md);
    if (target.raw === undefined) {
      const key = TARGET_KEYS[t.type]?.key ?? 'threshold';
      fail({ scope: site.scope, prop: `${site.prop}.metadata.${key}` }, undefined, `is required: the trigger's target value (${t.type})`,
        `set metadata.${key}, e.g. "5"`);
    }
    if (target.key !== undefined) {
      // GetMetricTargetMili: int64(target * 1000) milli-units, which the HPA needs above 0.
      decimalAt(site, target.key, String(target.raw), 0.001, 'must be at least 0.001 (the HPA target is in whole milli-units above 0)');
    }
    const activation = activationKey(md);
    if (activation !== undefined) decimalAt(site, activation, md[activation], -Infinity, 'is not a decimal number');
    if (t.metricType === 'Utilization') {
      fail({ scope: site.scope, prop: `${site.prop}.metricType` }, t.metricType, `must be "AverageValue" or "Value" for a ${t.type} trigger`, 'use "AverageValue" or "Value"');
    }
  },
};

const COUNT = optional(integer({ min: 0 }));

const SPEC_SHAPE: Shape<ScaledObjectSpecJson> = {
  scaleTargetRef: struct<ScaleTargetRef>('ScaleTarget', {
    apiVersion: optional(NAME), kind: optional(NAME), name: NAME, envSourceContainerName: optional(NAME),
  }),
  pollingInterval: optional(integer({ min: 1 })),
  cooldownPeriod: COUNT,
  initialCooldownPeriod: COUNT,
  idleReplicaCount: COUNT,
  minReplicaCount: COUNT,
  maxReplicaCount: optional(integer({ min: 1 })),
  fallback: optional(struct<Fallback>('Fallback', {
    failureThreshold: integer({ min: 0 }),
    replicas: integer({ min: 0 }),
    behavior: optional(oneOf('static', 'currentReplicas', 'currentReplicasIfHigher', 'currentReplicasIfLower')),
  })),
  advanced: optional(struct<Advanced>('AdvancedConfig', {
    restoreToOriginalReplicaCount: optional(boolean()),
    horizontalPodAutoscalerConfig: optional(struct<HpaConfig>('HorizontalPodAutoscalerConfig', {
      name: optional(NAME), behavior: optional(HPA_BEHAVIOR),
    })),
    scalingModifiers: optional(struct<ScalingModifiers>('ScalingModifiers', {
      formula: optional(NAME), target: optional(NAME), activationTarget: optional(NAME), metricType: optional(oneOf('AverageValue', 'Value')),
    })),
  })),
  triggers: arrayOf(TRIGGER, { minLength: 1 }),
};
const SPEC_KEYS = Object.keys(SPEC_SHAPE);
const SPEC_STRUCT = struct<ScaledObjectSpecJson>('ScaledObjectSpec', SPEC_SHAPE);

/** A ScaledObjectSpec: its fields, and KEDA's bounds (min <= max, idle < min). */
const SPEC: Check = {
  expected: 'a ScaledObjectSpec object',
  check(value, site) {
    SPEC_STRUCT.check(value, site);
    const s = value as ScaledObjectSpecJson;
    const min = s.minReplicaCount ?? 0;
    const max = s.maxReplicaCount ?? 100;
    if (min > max) {
      fail({ scope: site.scope, prop: `${site.prop}.minReplicaCount` }, min, `must be at most maxReplicaCount (${max})`, 'lower minReplicaCount or raise maxReplicaCount');
    }
    if (s.idleReplicaCount !== undefined && s.idleReplicaCount >= min) {
      fail({ scope: site.scope, prop: `${site.prop}.idleReplicaCount` }, s.idleReplicaCount, `must be less than minReplicaCount (${min})`,
        'set idleReplicaCount below minReplicaCount (usually 0), or leave it out');
    }
  },
};

const PAUSED_REPLICAS = 'autoscaling.keda.sh/paused-replicas';

const METADATA: Check = {
  expected: OBJECT_META.expected,
  check(value, site) {
    OBJECT_META.check(value, site);
    const paused = (value as ScaledObjectJson['metadata'])?.annotations?.[PAUSED_REPLICAS];
    if (paused !== undefined && !/^\s*\d+\s*$/.test(paused)) {
      fail({ scope: site.scope, prop: `${site.prop}.annotations[${JSON.stringify(PAUSED_REPLICAS)}]` }, paused, 'must be a whole number of replicas',
        'use e.g. "0" or "2"');
    }
  },
};

const OBJECT = struct<ScaledObjectJson>('ScaledObject', {
  apiVersion: optional(oneOf('keda.sh/v1alpha1')),
  kind: optional(oneOf('ScaledObject')),
  metadata: optional(METADATA),
  spec: SPEC,
  status: anything('the status (not read)'),
});

/** A checked ScaledObject: its metadata (if given) and spec. */
export interface CheckedScaledObject {
  readonly metadata?: ScaledObjectJson['metadata'];
  readonly spec: ScaledObjectSpecJson;
}

/**
 * Checks a keda.sh/v1alpha1 ScaledObject as JSON, whole or just its spec, at `site`/`prop` (e.g.
 * `ScaledObjectController`/`manifest`, `Simulator.run`/`scaledObject`).
 *
 * @param expected what the value must be, for the message when it is not an object at all
 */
export function checkScaledObject(site: Site['scope'], prop: string, value: unknown,
  expected = 'a keda.sh/v1alpha1 ScaledObject object (or its spec)'): CheckedScaledObject {
  const at: Site = { scope: site, prop };
  if (!isPlainObject(value)) {
    fail(at, value, `must be ${expected}, got ${typeOf(value)}`, 'pass the ScaledObject as JSON, e.g. from Yaml.load(file) or Testing.synth(chart)');
  }
  if (isWholeObject(value, SPEC_KEYS)) {
    OBJECT.check(value, at);
    const whole = value as unknown as ScaledObjectJson;
    return { metadata: whole.metadata, spec: whole.spec };
  }
  SPEC.check(value, at);
  return { spec: value as unknown as ScaledObjectSpecJson };
}

/** `checkScaledObject` as a `Check`, for the `Shape` of `SimulationProps`. */
export function scaledObjectManifestCheck(expected: string): Check {
  return {
    expected,
    check(value, site) {
      checkScaledObject(site.scope, site.prop, value, expected);
    },
  };
}
