import { HpaController, HpaControllerOptions } from './hpa-controller';
import { SCALED_OBJECT_CONTROLLER_OPTIONS } from './options-check';
import { activationKey, checkScaledObject, parseDecimal, triggerTarget, TriggerJson } from './scaled-object-spec-check';
import { checkProps, checkValue, fail, integer, number, typeOf } from '../validate/check';

const TIME = number({ fix: 'pass the time of the poll in seconds' });
const REPLICAS = integer({ min: 0 });

/**
 * Where the ScaledObject's life starts, for `initialCooldownPeriod`.
 */
export interface ScaledObjectControllerOptions {
  /**
   * The ScaledObject's `metadata.creationTimestamp`, in the same seconds as `poll` times.
   * @default 0
   */
  readonly creationTimestamp?: number;
}

/**
 * What KEDA's scale loop did at one poll.
 */
export interface ScaledObjectPollResult {
  /** Whether the ScaledObject is active (some trigger above its activation value, or only cpu/memory triggers). */
  readonly active: boolean;
  /** The replica count after KEDA's step (unchanged where KEDA leaves scaling to the HPA). */
  readonly replicas: number;
}

interface ParsedTrigger {
  readonly index: number;
  readonly type: string;
  /** cpu/memory triggers are Resource metrics of the HPA and never activate. */
  readonly resource: boolean;
  readonly activationValue: number;
  readonly metricSpec: any;
}

const PAUSED = 'autoscaling.keda.sh/paused';
const PAUSED_REPLICAS = 'autoscaling.keda.sh/paused-replicas';

/**
 * KEDA's operator for one ScaledObject (KEDA 2.20, `pkg/scaling/executor/scale_scaledobjects.go` and
 * `pkg/scaling/scale_handler.go`): activation, scale from and to zero (or to `idleReplicaCount`),
 * cooldown, and the HPA it creates, which takes over between 1 (or `minReplicaCount`) and `maxReplicaCount`.
 *
 * Trigger values are the scalers' metric values (e.g. queue length), one per trigger in `spec.triggers`
 * order, or `null` for a scaler that returns an error. cpu/memory triggers are HPA Resource metrics:
 * their value is the pods' average utilization in percent and plays no part in activation.
 */
export class ScaledObjectController {
  /** `spec.minReplicaCount` (default 0). */
  public readonly minReplicaCount: number;
  /** `spec.maxReplicaCount` (default 100). */
  public readonly maxReplicaCount: number;
  /** `spec.idleReplicaCount`, or undefined when idle mode is off. */
  public readonly idleReplicaCount?: number;
  /** `spec.pollingInterval` in seconds (default 30). */
  public readonly pollingIntervalSeconds: number;
  /** `spec.cooldownPeriod` in seconds (default 300). */
  public readonly cooldownPeriodSeconds: number;
  /** `spec.initialCooldownPeriod` in seconds (default 0). */
  public readonly initialCooldownPeriodSeconds: number;
  /** The ScaledObject's name. */
  public readonly name: string;
  /** The number of triggers (values expected per poll). */
  public readonly triggerCount: number;
  /**
   * The `HorizontalPodAutoscalerSpec` KEDA creates for this ScaledObject (named `keda-hpa-<name>`):
   * min = max(minReplicaCount, 1), max = maxReplicaCount, one metric per trigger (External metrics first),
   * behavior from `spec.advanced.horizontalPodAutoscalerConfig.behavior`.
   */
  public readonly hpaSpec: any;

  private readonly triggers: ParsedTrigger[];
  private readonly hpaOrder: number[];
  private readonly creationTimestamp: number;
  private readonly pausedReplicas?: number;
  private readonly paused: boolean;
  private readonly fallbackReplicas?: number;
  private readonly fallback?: { readonly failureThreshold: number; readonly replicas: number; readonly behavior: string };
  private readonly failures: number[];
  private lastActive: number | undefined;
  private lastError = false;

  /**
   * @param manifest a keda.sh/v1alpha1 ScaledObject as JSON
   * @param options when the ScaledObject was created
   */
  constructor(manifest: any, options: ScaledObjectControllerOptions = {}) {
    checkProps('ScaledObjectController', 'ScaledObjectControllerOptions', SCALED_OBJECT_CONTROLLER_OPTIONS, options, true);
    // The whole ScaledObject (as synthesized) or just its spec, checked once here.
    const checked = checkScaledObject('ScaledObjectController', 'manifest', manifest);
    const spec = checked.spec;
    this.name = checked.metadata?.name ?? 'scaledobject';
    this.minReplicaCount = spec.minReplicaCount ?? 0;
    this.maxReplicaCount = spec.maxReplicaCount ?? 100;
    this.idleReplicaCount = spec.idleReplicaCount;
    this.pollingIntervalSeconds = spec.pollingInterval ?? 30;
    this.cooldownPeriodSeconds = spec.cooldownPeriod ?? 300;
    this.initialCooldownPeriodSeconds = spec.initialCooldownPeriod ?? 0;
    this.creationTimestamp = options.creationTimestamp ?? 0;

    const annotations: { [key: string]: string } = checked.metadata?.annotations ?? {};
    if (annotations[PAUSED_REPLICAS] !== undefined) this.pausedReplicas = Number(annotations[PAUSED_REPLICAS]);
    this.paused = String(annotations[PAUSED]).toLowerCase() === 'true';

    if (spec.fallback !== undefined) {
      this.fallbackReplicas = spec.fallback.replicas;
      this.fallback = { failureThreshold: spec.fallback.failureThreshold, replicas: spec.fallback.replicas, behavior: spec.fallback.behavior ?? 'static' };
    }
    this.triggers = spec.triggers.map((t, i) => parseTrigger(t, i, this.name));
    this.failures = this.triggers.map(() => 0);
    this.triggerCount = this.triggers.length;
    // KEDA sorts the HPA's metrics by type ("External" < "Resource"); small lists sort stably.
    this.hpaOrder = this.triggers.map((_, i) => i).sort((a, b) => {
      const ta = this.triggers[a].metricSpec.type;
      const tb = this.triggers[b].metricSpec.type;
      return ta < tb ? -1 : ta > tb ? 1 : a - b;
    });

    let hpaMin = this.minReplicaCount > 0 ? this.minReplicaCount : 1;
    let hpaMax = this.maxReplicaCount;
    if (this.pausedReplicas !== undefined) {
      hpaMin = Math.max(this.pausedReplicas, 1);
      hpaMax = Math.max(this.pausedReplicas, 1);
    }
    const behavior = spec.advanced?.horizontalPodAutoscalerConfig?.behavior;
    this.hpaSpec = {
      scaleTargetRef: {
        apiVersion: spec.scaleTargetRef.apiVersion ?? 'apps/v1',
        kind: spec.scaleTargetRef.kind ?? 'Deployment',
        name: spec.scaleTargetRef.name,
      },
      minReplicas: hpaMin,
      maxReplicas: hpaMax,
      metrics: this.hpaOrder.map(i => this.triggers[i].metricSpec),
      ...(behavior !== undefined ? { behavior: JSON.parse(JSON.stringify(behavior)) } : {}),
    };
  }

  /** Whether a trigger could not be read (a `null` value) at the last poll. */
  public get lastPollHadScalerError(): boolean {
    return this.lastError;
  }

  /** The last time a trigger was active (KEDA's `status.lastActiveTime`), or undefined if never. */
  public get lastActiveTime(): number | undefined {
    return this.lastActive;
  }

  /**
   * An `HpaController` for the HPA KEDA creates, to be synced with `hpaObservations(triggerValues, currentReplicas)`.
   */
  public createHpaController(options?: HpaControllerOptions): HpaController {
    return new HpaController(this.hpaSpec, options);
  }

  /**
   * What the KEDA metrics server answers the HPA at one sync, in the HPA's metric order: external values
   * truncated to milli-units (`int64(value * 1000)`), `null` for a failing scaler, and, with
   * `spec.fallback`, the fallback value once a trigger has failed more than `failureThreshold` HPA
   * requests in a row (`fallback.GetMetricsWithFallback`: target x replicas, replicas by
   * `fallback.behavior`; divided by the ready replicas for Value targets). Call it once per HPA sync:
   * it counts failures like KEDA's health status does.
   *
   * @param triggerValues one value per trigger, in `spec.triggers` order (numbers, or `null` for a scaler error)
   * @param currentReplicas the target's replica count (for `currentReplicas*` fallback behaviors)
   * @param readyReplicas the ready pods (for fallback on Value targets); defaults to `currentReplicas`
   */
  public hpaObservations(triggerValues: any[], currentReplicas?: number, readyReplicas?: number): any[] {
    if (currentReplicas !== undefined && !(Number.isInteger(currentReplicas) && currentReplicas >= 0)) {
      checkValue('ScaledObjectController.hpaObservations', 'currentReplicas', currentReplicas, REPLICAS);
    }
    if (readyReplicas !== undefined && !(Number.isInteger(readyReplicas) && readyReplicas >= 0)) {
      checkValue('ScaledObjectController.hpaObservations', 'readyReplicas', readyReplicas, REPLICAS);
    }
    triggerValues = this.checkValues(triggerValues, 'hpaObservations');
    return this.hpaOrder.map(i => {
      const trigger = this.triggers[i];
      const v = triggerValues[i];
      if (trigger.resource) return v;
      if (v !== null) {
        if (this.fallback) this.failures[i] = 0;
        return Math.trunc(v * 1000) / 1000;
      }
      if (!this.fallback) return null;
      this.failures[i]++;
      if (this.failures[i] <= this.fallback.failureThreshold) return null;
      return this.fallbackValue(trigger, currentReplicas, readyReplicas);
    });
  }

  /** doFallback: the metric value that makes the HPA aim at the fallback replica count. */
  private fallbackValue(trigger: ParsedTrigger, currentReplicas?: number, readyReplicas?: number): number | null {
    const fb = this.fallback!;
    const current = currentReplicas ?? fb.replicas;
    let replicas: number;
    switch (fb.behavior) {
      case 'currentReplicas': replicas = current; break;
      case 'currentReplicasIfHigher': replicas = Math.max(current, fb.replicas); break;
      case 'currentReplicasIfLower': replicas = Math.min(current, fb.replicas); break;
      default: replicas = fb.replicas;
    }
    const target = trigger.metricSpec.external.target;
    if (target.type === 'Value') {
      const ready = readyReplicas ?? currentReplicas ?? 0;
      if (ready === 0) return null; // KEDA cannot fall back without ready replicas
      replicas /= ready;
    }
    const normalisation = parseInt(target.type === 'Value' ? target.value : target.averageValue, 10) / 1000;
    return Math.trunc(normalisation * 1000 * replicas) / 1000;
  }

  /**
   * One pass of KEDA's scale loop at `nowSeconds` (call it every `pollingIntervalSeconds`).
   *
   * @param nowSeconds the time of this poll, in seconds
   * @param currentReplicas the target's `spec.replicas`
   * @param triggerValues one value per trigger (numbers, or `null` for a scaler error)
   */
  public poll(nowSeconds: number, currentReplicas: number, triggerValues: any[]): ScaledObjectPollResult {
    checkValue('ScaledObjectController.poll', 'nowSeconds', nowSeconds, TIME);
    checkValue('ScaledObjectController.poll', 'currentReplicas', currentReplicas, REPLICAS);
    triggerValues = this.checkValues(triggerValues, 'poll');

    // getScaledObjectState
    let active = false;
    let error = false;
    let resourceCount = 0;
    this.triggers.forEach((trigger, i) => {
      if (trigger.resource) {
        resourceCount++;
        return;
      }
      const v = triggerValues[i];
      if (v === null || v === undefined) {
        error = true;
        return;
      }
      if (v > trigger.activationValue) active = true;
    });
    // Only cpu/memory triggers: KEDA forces the ScaledObject active (it could never scale from zero otherwise).
    if (this.triggers.length <= resourceCount && !error) active = true;

    this.lastError = error;

    // RequestScale
    if (this.pausedReplicas !== undefined) return { active, replicas: this.pausedReplicas };
    if (this.paused) return { active, replicas: currentReplicas };
    const min = this.minReplicaCount;
    let replicas = currentReplicas;
    if (active) {
      if ((this.idleReplicaCount !== undefined && currentReplicas < min) || currentReplicas === 0) {
        replicas = min > 0 ? min : 1;
        this.lastActive = nowSeconds;
      } else if (!error) {
        this.lastActive = nowSeconds;
      }
    } else if (error && (this.fallbackReplicas === undefined || this.fallbackReplicas !== 0)) {
      // An inactive ScaledObject with a failing scaler is left alone (the HPA applies any fallback).
    } else if ((this.idleReplicaCount !== undefined && currentReplicas > this.idleReplicaCount) || (currentReplicas > 0 && min === 0)) {
      // scaleToZeroOrIdle: strictly after the cooldown.
      const cooledDown = this.lastActive === undefined
        ? this.creationTimestamp + this.initialCooldownPeriodSeconds < nowSeconds
        : this.lastActive + this.cooldownPeriodSeconds < nowSeconds;
      if (cooledDown) replicas = this.idleReplicaCount ?? min;
    } else if (this.idleReplicaCount === undefined && currentReplicas < min) {
      replicas = min;
    }
    return { active, replicas };
  }

  /** Validates the values (numbers, numeric strings, or null) and returns them as numbers or null. */
  private checkValues(values: any[], method: string): any[] {
    const site = `ScaledObjectController.${method}`;
    const fix = 'pass one value per spec.triggers entry, in order: a number, or null for a scaler error';
    if (!Array.isArray(values) || values.length !== this.triggers.length) {
      fail({ scope: site, prop: 'triggerValues' }, values,
        `expected ${this.triggers.length} trigger value(s), got ${Array.isArray(values) ? values.length : typeOf(values)}`, fix);
    }
    return values.map((v, i) => {
      if (v === null || v === undefined) return null;
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) fail({ scope: site, prop: `triggerValues[${i}]` }, v, 'must be a finite number or null', fix);
      return n;
    });
  }
}

/** The trigger as KEDA's scaler and metrics adapter read it; `t` passed `checkScaledObject`. */
function parseTrigger(t: TriggerJson, index: number, soName: string): ParsedTrigger {
  const type = t.type;
  const metadata = t.metadata;
  if (type === 'cpu' || type === 'memory') {
    const metricType = t.metricType ?? metadata.type ?? 'Utilization';
    const target = metricType === 'Utilization'
      ? { type: 'Utilization', averageUtilization: Math.trunc(parseDecimal(metadata.value)) }
      : { type: 'AverageValue', averageValue: String(metadata.value) };
    const metricSpec = metadata.containerName
      ? { type: 'ContainerResource', containerResource: { name: type, container: metadata.containerName, target } }
      : { type: 'Resource', resource: { name: type, target } };
    return { index, type, resource: true, activationValue: 0, metricSpec };
  }
  const targetValue = parseDecimal(triggerTarget(type, metadata).raw!);
  const activation = activationKey(metadata);
  const activationValue = activation !== undefined ? parseDecimal(metadata[activation]) : 0;
  const metricType = t.metricType ?? 'AverageValue';
  // GetMetricTargetMili: int64(target * 1000) milli-units.
  const milli = `${Math.trunc(targetValue * 1000)}m`;
  const metricSpec = {
    type: 'External',
    external: {
      metric: {
        name: `s${index}-${t.name ?? type}`,
        selector: { matchLabels: { 'scaledobject.keda.sh/name': soName.slice(0, 63) } },
      },
      target: metricType === 'Value' ? { type: 'Value', value: milli } : { type: 'AverageValue', averageValue: milli },
    },
  };
  return { index, type, resource: false, activationValue, metricSpec };
}
