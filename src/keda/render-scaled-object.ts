import { ApiObject, Chart, Lazy, Names } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { formulaIdentifiers } from './formula';
import { renderPauseAnnotations, TRANSFER_HPA_OWNERSHIP } from './pause';
import { isResourceTrigger, triggerRenderer, TriggerContext } from './render-triggers';
import { FallbackBehavior, ModifierMetricType, ScaledObjectOptions } from './scaled-object-options';
import { Trigger } from './trigger';
import type {
  ScaledObjectProps, ScaledObjectSpecAdvanced, ScaledObjectSpecAdvancedHorizontalPodAutoscalerConfigBehavior, ScaledObjectSpecFallbackBehavior,
  ScaledObjectSpecAdvancedScalingModifiersMetricType,
} from '../../imports/keda.sh';
import { renderBehavior } from '../autoscaling/render-behavior';
import { check, durationSeconds, objectMeta, propError } from '../errors';
import { declaredTargetAnnotations } from '../kubernetes/declared-target';
import { Warnings } from '../warnings';
import { checkDerivedName } from '../workload/derived-names';
import { checkEnvReferences, PodTemplateSource } from '../workload/env-references';
import { kubeObject } from '../workload/kube-object';

/** KEDA names its HPA `keda-hpa-<ScaledObject name>`, and names are label values (<= 63 characters). */
export const KEDA_HPA_PREFIX = 'keda-hpa-';
export const MAX_LABEL_VALUE = 63;
export const MAX_SCALED_OBJECT_NAME_WITH_DEFAULT_HPA = MAX_LABEL_VALUE - KEDA_HPA_PREFIX.length;
/** apiVersion and kind of a KEDA ScaledObject (the generated binding's GVK). */
export const SCALED_OBJECT_GVK = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' };

/** Defaults of ScaledObjectOptions, in one place (documented there). */
export const SCALED_OBJECT_DEFAULTS = {
  minReplicas: 0,
  pollingIntervalSeconds: 30,
  cooldownPeriodSeconds: 300,
};

/** The workload a ScaledObject scales. */
export interface ScaleTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/** Everything needed to render a ScaledObject. */
export interface ScaledObjectRenderProps {
  readonly options: ScaledObjectOptions;
  readonly target: ScaleTarget;
  /** Namespace of the ScaledObject (must be the target's). */
  readonly namespace?: string;
  /** Name used when `options.scaledObjectName` is not set (otherwise a short name is generated from the path). */
  readonly defaultName?: string;
  /**
   * The prop path of an option in errors, when the construct nests some options (e.g. `keda.fallback`).
   * @default - the option's own name
   */
  readonly propOf?: (option: keyof ScaledObjectOptions) => string;
  /** The prop `defaultName` is derived from (named in errors), e.g. `name`. */
  readonly defaultNameProp?: string;
  /** The triggers; the array may grow until synth (rendered lazily). */
  readonly triggers: Trigger[];
  /** The target's container and the resources it requests or limits (for cpu/memory triggers). */
  readonly containerName: string;
  readonly resources: Set<string>;
  /** Declared model load time in seconds: floors the default scale-down stabilization. */
  readonly modelLoadSeconds?: number;
  /** The target's pod template, for the environment variables triggers and authentications read. */
  readonly envSource?: PodTemplateSource;
  /** Extra annotations for the ScaledObject. */
  readonly annotations?: { [key: string]: string };
}

/** What the rendering resolved. */
export interface RenderedScaledObject {
  readonly apiObject: ApiObject;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly pollingIntervalSeconds: number;
  readonly cooldownPeriodSeconds: number;
}

export const IDLE_REPLICAS_WARNING = 'ML-W-KEDA-IDLE-REPLICAS-NONZERO';

const TARGETS_KEY = Symbol.for('cdk8s-ml-autoscaling.scaled-object-targets');

/**
 * Validates ScaledObject options (already checked against their `Shape` by the construct) as KEDA's
 * CRD and admission webhook would and renders the
 * ScaledObject through the generated bindings. Trigger-dependent checks run again at synth, when
 * all triggers are known. Child id: `ScaledObject`.
 */
export function renderScaledObject(scope: Construct, props: ScaledObjectRenderProps): RenderedScaledObject {
  const o = props.options;
  const p = props.propOf ?? ((option: keyof ScaledObjectOptions) => option);
  const minReplicas = o.minReplicas ?? SCALED_OBJECT_DEFAULTS.minReplicas;
  if (!(minReplicas <= o.maxReplicas)) {
    throw propError(scope, 'minReplicas', minReplicas,
      `is greater than maxReplicas (${o.maxReplicas})`, 'lower minReplicas or raise maxReplicas');
  }
  if (o.idleReplicas !== undefined) {
    if (!(o.idleReplicas < minReplicas)) {
      throw propError(scope, 'idleReplicas', o.idleReplicas,
        `must be less than minReplicas (${minReplicas}); KEDA rejects idleReplicaCount >= minReplicaCount`, 'set idleReplicas: 0 with minReplicas >= 1, or remove idleReplicas');
    }
    if (o.idleReplicas > 0) {
      Warnings.add(scope, IDLE_REPLICAS_WARNING,
        `idleReplicas=${o.idleReplicas}: KEDA documents 0 as the only value that works with the HPA controller; use 0, or drop idleReplicas`);
    }
  }
  const pollingIntervalSeconds = durationSeconds(scope, p('pollingInterval'), o.pollingInterval, 1)
    ?? SCALED_OBJECT_DEFAULTS.pollingIntervalSeconds;
  const cooldownPeriodSeconds = durationSeconds(scope, p('cooldownPeriod'), o.cooldownPeriod, 0)
    ?? SCALED_OBJECT_DEFAULTS.cooldownPeriodSeconds;
  const initialCooldownPeriodSeconds = durationSeconds(scope, p('initialCooldownPeriod'), o.initialCooldownPeriod, 0);

  check(!(o.transferHpaOwnership && o.hpaName === undefined), scope, 'transferHpaOwnership', true,
    'needs the name of the HPA to adopt; KEDA rejects the ScaledObject otherwise', 'set hpaName to the existing HPA\'s name');

  const fallback = o.fallback;
  if (fallback) {
    if (!(fallback.replicas <= o.maxReplicas)) {
      throw propError(scope, `${p('fallback')}.replicas`, fallback.replicas,
        `is above maxReplicas (${o.maxReplicas})`, `lower ${p('fallback')}.replicas`);
    }
  }
  const mods = o.scalingModifiers;
  if (mods && !(mods.formula.trim().length > 0)) {
    throw propError(scope, `${p('scalingModifiers')}.formula`, mods.formula,
      'is required (KEDA: ScalingModifiers.Formula is mandatory)', 'write a formula over trigger names, e.g. "max(queue, gpu)"');
  }

  const namespace = props.namespace ?? Chart.of(scope).namespace;
  const annotations: { [key: string]: string } = Object.assign({}, props.annotations, renderPauseAnnotations(scope, 'pause', o.pause),
    declaredTargetAnnotations(scope));
  if (o.transferHpaOwnership) annotations[TRANSFER_HPA_OWNERSHIP] = 'true';
  registerTarget(scope, namespace, props.target);

  const behavior = o.behavior !== undefined ? renderBehavior(scope, 'behavior', o.behavior, props.modelLoadSeconds ?? 0) : undefined;
  const advanced: ScaledObjectSpecAdvanced | undefined = behavior || o.hpaName !== undefined || o.restoreToOriginalReplicaCount !== undefined || mods
    ? {
      horizontalPodAutoscalerConfig: behavior || o.hpaName !== undefined
        // tolerance is a quantity string in JSON; the bindings type it as a fromString/fromNumber class (see kubeObject)
        ? { name: o.hpaName, behavior: behavior as unknown as ScaledObjectSpecAdvancedHorizontalPodAutoscalerConfigBehavior | undefined }
        : undefined,
      restoreToOriginalReplicaCount: o.restoreToOriginalReplicaCount,
      scalingModifiers: mods ? {
        formula: mods.formula,
        target: String(mods.target),
        activationTarget: mods.activationTarget === undefined ? undefined : String(mods.activationTarget),
        metricType: (mods.metricType ?? ModifierMetricType.AVERAGE_VALUE) as string as ScaledObjectSpecAdvancedScalingModifiersMetricType,
      } : undefined,
    }
    : undefined;

  const ctx: TriggerContext = { owner: 'ScaledObject', namespace, containerName: props.containerName, resources: props.resources };
  const triggers = props.triggers;
  const render = triggerRenderer(scope, 'triggers', triggers, ctx);
  // A plain ApiObject (see kubeObject): the ScaledObject's field names are the CRD's own, so the
  // generated class's per-toJson conversion is not needed (and its module need not load).
  const apiObject = kubeObject<ScaledObjectProps>(scope, 'ScaledObject', SCALED_OBJECT_GVK, {
    metadata: {
      // A generated name is kept short enough for KEDA's `keda-hpa-<name>`.
      ...objectMeta(o.scaledObjectName ?? props.defaultName ?? Names.toDnsLabel(scope, {
        maxLen: o.hpaName !== undefined ? MAX_LABEL_VALUE : MAX_SCALED_OBJECT_NAME_WITH_DEFAULT_HPA, extra: ['scaler'],
      }), props.namespace),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      scaleTargetRef: { apiVersion: props.target.apiVersion, kind: props.target.kind, name: props.target.name },
      minReplicaCount: minReplicas,
      maxReplicaCount: o.maxReplicas,
      pollingInterval: pollingIntervalSeconds,
      cooldownPeriod: cooldownPeriodSeconds,
      initialCooldownPeriod: initialCooldownPeriodSeconds,
      idleReplicaCount: o.idleReplicas,
      fallback: fallback ? {
        failureThreshold: fallback.failureThreshold,
        replicas: fallback.replicas,
        behavior: (fallback.behavior ?? FallbackBehavior.STATIC) as string as ScaledObjectSpecFallbackBehavior,
      } : undefined,
      advanced,
      triggers: Lazy.any({ produce: () => render() }) as any,
    },
  });

  const name = apiObject.name;
  const derivedFrom = o.scaledObjectName === undefined && props.defaultName !== undefined ? props.defaultNameProp : undefined;
  if (derivedFrom !== undefined) {
    // reported on the prop the user set (e.g. name, for `<name>-scaler`)
    const value = props.defaultName!.replace(/-scaler$/, '');
    checkDerivedName(scope, derivedFrom, value, name, 'ScaledObject name', MAX_LABEL_VALUE, p('scaledObjectName'));
    if (o.hpaName === undefined) {
      checkDerivedName(scope, derivedFrom, value, `${KEDA_HPA_PREFIX}${name}`, 'name of the HPA KEDA creates', MAX_LABEL_VALUE, `${p('scaledObjectName')} or ${p('hpaName')}`);
    }
  }
  if (!(name.length <= MAX_LABEL_VALUE)) {
    throw propError(scope, p('scaledObjectName'), name,
      `is ${name.length} characters; KEDA uses it as a label value (at most ${MAX_LABEL_VALUE})`, `set a shorter ${p('scaledObjectName')}`);
  }
  if (!(o.hpaName !== undefined || name.length <= MAX_SCALED_OBJECT_NAME_WITH_DEFAULT_HPA)) {
    throw propError(scope, p('scaledObjectName'), name,
      `is ${name.length} characters, so KEDA's HPA name "${KEDA_HPA_PREFIX}${name}" exceeds ${MAX_LABEL_VALUE} characters and KEDA rejects the ScaledObject`, `set a scaledObjectName of at most ${MAX_SCALED_OBJECT_NAME_WITH_DEFAULT_HPA} characters, or set hpaName`);
  }

  const validate = (allowEmpty: boolean) => {
    render(allowEmpty);
    validateTriggerSet(scope, o, p, minReplicas, triggers, allowEmpty);
  };
  // Fail fast for the triggers given in props; triggers added later are checked at synth.
  validate(true);
  scope.node.addValidation({
    validate: () => {
      validate(false);
      if (props.envSource) checkEnvReferences(scope, 'triggers', triggers, props.envSource);
      return [];
    },
  });

  return { apiObject, minReplicas, maxReplicas: o.maxReplicas, pollingIntervalSeconds, cooldownPeriodSeconds };
}

/** Checks that need the whole trigger list. */
function validateTriggerSet(scope: IConstruct, o: ScaledObjectOptions, p: (option: keyof ScaledObjectOptions) => string, minReplicas: number,
  triggers: Trigger[], allowEmpty: boolean): void {
  if (triggers.length === 0) return;
  const external = triggers.filter(t => !isResourceTrigger(t));
  if (!allowEmpty || external.length > 0) {
    if (!(!(minReplicas === 0 && external.length === 0))) {
      throw propError(scope, 'minReplicas', 0,
        'cannot be reached with only cpu/memory triggers (they never report zero); KEDA rejects this ScaledObject', 'add a queue or metrics trigger that can go idle, or set minReplicas >= 1');
    }
    if (o.fallback) {
      if (!(external.length > 0)) {
        throw propError(scope, p('fallback'), o.fallback,
          'needs at least one trigger that is not cpu or memory (the fallback replaces external metrics only)', `add a queue or metrics trigger, or remove ${p('fallback')}`);
      }
    }
  }
  const mods = o.scalingModifiers;
  if (mods && typeof mods.formula === 'string') {
    const named = external.filter(t => t.name !== undefined).map(t => t.name!);
    for (const id of formulaIdentifiers(mods.formula)) {
      if (named.includes(id)) continue;
      if (allowEmpty) continue; // the trigger may still be added
      throw propError(scope, `${p('scalingModifiers')}.formula`, mods.formula,
        `refers to "${id}", which is not the name of a (non cpu/memory) trigger; named triggers: ${JSON.stringify(named)}`,
        `name a trigger "${id}" (options.name), or fix the formula`);
    }
  }
}

/** One ScaledObject per workload: KEDA rejects a second one on the same target. */
function registerTarget(scope: IConstruct, namespace: string | undefined, target: ScaleTarget): void {
  const root: any = scope.node.root;
  const registry: Map<string, IConstruct> = (root[TARGETS_KEY] ??= new Map<string, IConstruct>());
  const key = `${namespace ?? ''}/${target.apiVersion}/${target.kind}/${target.name}`;
  const other = registry.get(key);
  if (other !== undefined) {
    throw propError(scope, 'scaleTargetRef', `${target.kind}/${target.name}`,
      `is already scaled by the ScaledObject of ${other.node.path}; KEDA rejects a second ScaledObject on one workload`,
      'put all triggers into one ScaledObject (one construct per workload)');
  }
  registry.set(key, scope);
}
