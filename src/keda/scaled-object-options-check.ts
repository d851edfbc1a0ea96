import { PAUSE_OPTIONS_SHAPE } from './pause';
import {
  FallbackBehavior, KedaScalingOptions, ModifierMetricType, PauseOptions, ScaledObjectOptions, ScalingFallback, ScalingModifiers,
} from './scaled-object-options';
import { Trigger } from './trigger';
import { SCALING_BEHAVIOR } from '../autoscaling/behavior-check';
import { boolean, Check, enumOf, instanceOf, integer, number, optional, Shape, string, struct } from '../validate/check';
import { fastDuration } from '../validate/fast';
import { DNS1123_LABEL_NAME, DNS1123_SUBDOMAIN_NAME } from '../validate/formats';

/** `ScalingFallback`. */
export const SCALING_FALLBACK: Check = struct<ScalingFallback>('ScalingFallback', {
  failureThreshold: integer({ min: 1 }),
  replicas: integer({ min: 0 }),
  behavior: optional(enumOf(FallbackBehavior, 'FallbackBehavior')),
});

/** `ScalingModifiers` (the formula's trigger names are checked at synth). */
export const SCALING_MODIFIERS: Check = struct<ScalingModifiers>('ScalingModifiers', {
  formula: string({ fix: 'write a formula over trigger names, e.g. "max(queue, gpu)"' }),
  target: number({ min: 0, exclusiveMin: true }),
  activationTarget: optional(number({ min: 0 })),
  metricType: optional(enumOf(ModifierMetricType, 'ModifierMetricType')),
});

/** `PauseOptions`. */
export const PAUSE_OPTIONS: Check = struct<PauseOptions>('PauseOptions', PAUSE_OPTIONS_SHAPE);

/** Polling interval: at least 1 s. */
export const POLLING_INTERVAL: Check = optional(fastDuration({ minSeconds: 1 }));
/** Cooldowns: whole seconds >= 0. */
export const COOLDOWN: Check = optional(fastDuration());
/** A ScaledObject name (its length, a KEDA label value, is checked where it is rendered). */
export const SCALED_OBJECT_NAME: Check = optional(string({ format: DNS1123_SUBDOMAIN_NAME }));

/** The checks of `KedaScalingOptions`. */
export const KEDA_SCALING_SHAPE: Shape<KedaScalingOptions> = {
  minReplicas: optional(integer({ min: 0, fix: 'set minReplicas to 0 (scale to zero) or more' })),
  maxReplicas: integer({ min: 1, fix: 'set maxReplicas to at least 1' }),
  pollingInterval: POLLING_INTERVAL,
};

/** The checks of `ScaledObjectOptions`. */
export const SCALED_OBJECT_OPTIONS_SHAPE: Shape<ScaledObjectOptions> = {
  ...KEDA_SCALING_SHAPE,
  scaledObjectName: SCALED_OBJECT_NAME,
  cooldownPeriod: COOLDOWN,
  initialCooldownPeriod: COOLDOWN,
  idleReplicas: optional(integer({ min: 0 })),
  fallback: optional(SCALING_FALLBACK),
  behavior: optional(SCALING_BEHAVIOR),
  // KEDA labels its HPA with app.kubernetes.io/name: <hpaName>, so it must also be a label value.
  hpaName: optional(string({ format: DNS1123_LABEL_NAME })),
  transferHpaOwnership: optional(boolean()),
  restoreToOriginalReplicaCount: optional(boolean()),
  scalingModifiers: optional(SCALING_MODIFIERS),
  pause: optional(PAUSE_OPTIONS),
};

/** A `Trigger` made by its factories. */
export const TRIGGER: Check = instanceOf(v => v instanceof Trigger, 'Trigger',
  'use Trigger.rabbitmq({...}), Trigger.kafka({...}), Trigger.awsSqsQueue({...}), Trigger.prometheus({...}), Trigger.cpuUtilization(n) or Trigger.custom({...})');
