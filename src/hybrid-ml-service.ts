import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ScalingBehavior } from './autoscaling/behavior';
import { SCALING_BEHAVIOR } from './autoscaling/behavior-check';
import { checkScaleToZeroGate } from './autoscaling/hpa-scale-to-zero';
import { Metric } from './autoscaling/metric';
import { renderBehavior } from './autoscaling/render-behavior';
import { renderHpa } from './autoscaling/render-hpa';
import { check, propError } from './errors';
import { Guardrails } from './guardrails/guardrails';
import { renderRequestBuffering } from './http-add-on/render-request-buffering';
import { RequestBufferingOptions } from './http-add-on/request-buffering';
import { REQUEST_BUFFERING_OPTIONS } from './http-add-on/request-buffering-check';
import { renderScaledObject } from './keda/render-scaled-object';
import { PauseOptions, ScalingFallback, ScalingModifiers } from './keda/scaled-object-options';
import {
  COOLDOWN, PAUSE_OPTIONS, POLLING_INTERVAL, SCALED_OBJECT_NAME, SCALING_FALLBACK, SCALING_MODIFIERS, TRIGGER,
} from './keda/scaled-object-options-check';
import { Trigger } from './keda/trigger';
import { PROMETHEUS_ADDRESS } from './model-server/prometheus-address';
import { signalToMetric, signalToTrigger } from './model-server/render-signals';
import { METRIC, MODEL_SERVING_SHAPE } from './serving/model-serving-check';
import { ModelServingProps } from './serving/model-serving-props';
import { renderServing } from './serving/render-serving';
import { checkScaleToZeroOptIn } from './serving/scale-to-zero';
import { arrayOf, boolean, checkProps, checkValue, enumOf, integer, optional, Shape, string, struct } from './validate/check';
import { DNS1123_LABEL_NAME } from './validate/formats';
import { checkDerivedName } from './workload/derived-names';
import { podTemplateOf } from './workload/env-references';

/**
 * Which single controller scales a `HybridMlService`.
 */
export enum HybridScalingMode {
  /**
   * One KEDA ScaledObject combining real-time triggers (request rate, CPU/memory) and event
   * triggers (queues). KEDA creates and owns the HPA.
   */
  KEDA = 'KEDA',
  /**
   * A plain autoscaling/v2 HorizontalPodAutoscaler on `metrics` (no KEDA needed in the cluster).
   */
  HPA = 'HPA',
}

/**
 * KEDA settings of a `HybridMlService` in KEDA mode.
 */
export interface HybridKedaOptions {
  /**
   * Name of the ScaledObject.
   * @default - `<name>-scaler` when the service has a name, otherwise generated
   */
  readonly scaledObjectName?: string;

  /**
   * How often KEDA polls the triggers.
   * @default Duration.seconds(30) (KEDA's default)
   */
  readonly pollingInterval?: Duration;

  /**
   * Wait after the last active trigger before scaling to zero (only with `scaleToZero`).
   * @default Duration.seconds(300) (KEDA's default)
   */
  readonly cooldownPeriod?: Duration;

  /**
   * Wait after creation before the first scale to zero (only with `scaleToZero`).
   * @default - KEDA's default, 0
   */
  readonly initialCooldownPeriod?: Duration;

  /**
   * Replicas to hold while the triggers' sources fail.
   * @default - no fallback
   */
  readonly fallback?: ScalingFallback;

  /**
   * Combine named triggers with a formula.
   * @default - none
   */
  readonly scalingModifiers?: ScalingModifiers;

  /**
   * Restore the pre-KEDA replica count when the ScaledObject is deleted.
   * @default false
   */
  readonly restoreToOriginalReplicaCount?: boolean;

  /**
   * URL of the Prometheus that scrapes the model server, for the `prometheus` triggers the
   * `signals` render (e.g. `http://prometheus-operated.monitoring.svc:9090`). Required with signals.
   * @default - none
   */
  readonly prometheusAddress?: string;
}

/**
 * Props of `HybridMlService`.
 */
export interface HybridMlServiceProps extends ModelServingProps {
  /**
   * The one controller that scales the service. Switching from HPA to KEDA is this one line: the
   * ScaledObject adopts the HPA (same name, `scaledobject.keda.sh/transfer-hpa-ownership`), so the
   * service is never left with zero or two autoscalers. Exactly `"KEDA"` or `"HPA"` (other strings are an error).
   * @default HybridScalingMode.KEDA
   */
  readonly mode?: HybridScalingMode;

  /**
   * Fewest replicas. 0 needs `scaleToZero: true`, and in HPA mode also the `HPAScaleToZero` feature
   * gate in the target cluster (`KubernetesTarget`: beta and on by default since Kubernetes 1.37)
   * and at least one Object or External metric (checked at synth: Resource and Pods metrics have no
   * samples at zero pods). KEDA mode scales to zero on any version.
   * @default - 2, or maxReplicas if lower
   */
  readonly minReplicas?: number;

  /**
   * Most replicas.
   */
  readonly maxReplicas: number;

  /**
   * Opt in to `minReplicas: 0`, in either mode. A synchronous HTTP service at zero replicas fails
   * requests during the cold start unless something buffers them: `requestBuffering` (KEDA mode), or
   * a queue in front, which you say on the pods with `ml-autoscaling.io/request-buffering: "true"`
   * (`podAnnotations`), or the guardrail ML-W-SCALE-TO-ZERO-WITHOUT-BUFFER warns. An error without
   * `minReplicas: 0` (it would do nothing).
   * @default false
   */
  readonly scaleToZero?: boolean;

  /**
   * KEDA mode: the triggers, real-time (`Trigger.prometheus` on request rate, `Trigger.cpuUtilization`)
   * and event-driven (`Trigger.rabbitmq`, `Trigger.kafka`, `Trigger.awsSqsQueue`). More can be added
   * with `addTrigger`. An error in HPA mode (it would do nothing there).
   * @default - none (at least one is required in KEDA mode)
   */
  readonly triggers?: Trigger[];

  /**
   * HPA mode: the metrics (e.g. the article's External `requests_per_second`, AverageValue 100).
   * More can be added with `addMetric`. An error in KEDA mode (it would do nothing there).
   * @default - none (at least one is required in HPA mode)
   */
  readonly metrics?: Metric[];

  /**
   * Scale-up and scale-down behavior, in both modes (KEDA passes it to its HPA).
   * @default - see `ScalingBehavior`
   */
  readonly behavior?: ScalingBehavior;

  /**
   * Name of the HPA: the HPA itself in HPA mode; in KEDA mode the HPA KEDA creates or adopts
   * (`advanced.horizontalPodAutoscalerConfig.name`).
   * @default - `<name>-hpa` when the service has a name, otherwise generated in HPA mode and KEDA's
   * `keda-hpa-<scaledObjectName>` in KEDA mode
   */
  readonly hpaName?: string;

  /**
   * KEDA mode: adopt an existing HPA named `hpaName` (`scaledobject.keda.sh/transfer-hpa-ownership`).
   * Harmless when no such HPA exists (KEDA then creates it).
   * @default true when an HPA name is known (hpaName or name), else false
   */
  readonly adoptExistingHpa?: boolean;

  /**
   * KEDA mode: pause or partly pause autoscaling (annotations on the ScaledObject, where KEDA reads
   * them; never on the Deployment).
   * @default - not paused
   */
  readonly pause?: PauseOptions;

  /**
   * KEDA mode: polling, cooldowns, fallback, scaling modifiers.
   * @default - KEDA's defaults
   */
  readonly keda?: HybridKedaOptions;

  /**
   * KEDA mode: hold requests while the service scales from zero, with the KEDA HTTP add-on (v0.15):
   * an InterceptorRoute to the Service, the add-on's request-concurrency trigger beside the other
   * triggers of the one ScaledObject, and an ExternalName Service `<serviceName>-proxy` clients call
   * (it leads to the add-on's interceptor). The hold defaults to the startup budget plus scheduling
   * headroom. With it, `scaleToZero` is safe for synchronous clients that call the proxy Service.
   * @default - no buffering
   */
  readonly requestBuffering?: RequestBufferingOptions;
}

const HYBRID_KEDA_OPTIONS = struct<HybridKedaOptions>('HybridKedaOptions', {
  scaledObjectName: SCALED_OBJECT_NAME,
  pollingInterval: POLLING_INTERVAL,
  cooldownPeriod: COOLDOWN,
  initialCooldownPeriod: COOLDOWN,
  fallback: optional(SCALING_FALLBACK),
  scalingModifiers: optional(SCALING_MODIFIERS),
  restoreToOriginalReplicaCount: optional(boolean()),
  prometheusAddress: optional(PROMETHEUS_ADDRESS),
});

/** The checks of `HybridMlServiceProps`. */
const HYBRID_ML_SERVICE_SHAPE: Shape<HybridMlServiceProps> = {
  ...MODEL_SERVING_SHAPE,
  mode: optional(enumOf(HybridScalingMode, 'HybridScalingMode')),
  minReplicas: optional(integer({ min: 0, fix: 'set minReplicas to 0 (with scaleToZero) or more' })),
  maxReplicas: integer({ min: 1, fix: 'set maxReplicas to at least 1' }),
  scaleToZero: optional(boolean()),
  triggers: optional(arrayOf(TRIGGER)),
  metrics: optional(arrayOf(METRIC)),
  behavior: optional(SCALING_BEHAVIOR),
  // In KEDA mode the HPA name is also a label value (KEDA's app.kubernetes.io/name): <= 63 in both modes.
  hpaName: optional(string({ format: DNS1123_LABEL_NAME })),
  adoptExistingHpa: optional(boolean()),
  pause: optional(PAUSE_OPTIONS),
  keda: optional(HYBRID_KEDA_OPTIONS),
  requestBuffering: optional(REQUEST_BUFFERING_OPTIONS),
};

/** The ScaledObject options HybridMlService takes under `keda` (for the prop paths in errors). */
const HYBRID_KEDA_OPTION_KEYS: { [K in keyof Required<HybridKedaOptions>]: true } = {
  scaledObjectName: true,
  pollingInterval: true,
  cooldownPeriod: true,
  initialCooldownPeriod: true,
  fallback: true,
  scalingModifiers: true,
  restoreToOriginalReplicaCount: true,
  prometheusAddress: true,
};

/** The KEDA-only props, with how they print in messages. */
const KEDA_ONLY: { [P in 'triggers' | 'pause' | 'keda' | 'adoptExistingHpa' | 'requestBuffering']: (v: any) => unknown } = {
  triggers: (v: Trigger[]) => v.map(t => t.type),
  requestBuffering: v => v,
  pause: v => v,
  keda: v => v,
  adoptExistingHpa: v => v,
};

/** How else to scale to zero in HPA mode, for errors. */
const KEDA_ALTERNATIVE = 'use mode: HybridScalingMode.KEDA, which scales to zero on any version';

/**
 * One GPU model server scaled in real time (request rate, CPU) and by events (queues), by exactly
 * one controller: a KEDA ScaledObject (default) or a plain HPA.
 *
 * The article's recipe (a hand-made HPA next to a ScaledObject, and `autoscaling.keda.sh/paused`
 * on the Deployment) leaves two controllers fighting, or KEDA rejecting the ScaledObject, and the
 * pause annotation does nothing on a Deployment. This construct renders one controller, puts pause
 * controls on the ScaledObject, and hands an HPA over to KEDA by adoption.
 */
export class HybridMlService extends Construct {
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The ClusterIP Service. */
  public readonly service: ApiObject;
  /** The PodDisruptionBudget, unless disabled. */
  public readonly podDisruptionBudget?: ApiObject;
  /** The PodMonitor, with `metricsMonitor`. */
  public readonly podMonitor?: ApiObject;
  /** The HPA (HPA mode). */
  public readonly hpa?: ApiObject;
  /** The KEDA HTTP add-on's InterceptorRoute, with `requestBuffering`. */
  public readonly interceptorRoute?: ApiObject;
  /** The ExternalName Service clients call to reach the interceptor, with `requestBuffering`. */
  public readonly interceptorProxyService?: ApiObject;
  /** The ScaledObject (KEDA mode). */
  public readonly scaledObject?: ApiObject;
  /** The active controller. */
  public readonly mode: HybridScalingMode;
  /** Fewest replicas. */
  public readonly minReplicas: number;
  /** Most replicas. */
  public readonly maxReplicas: number;
  /** Declared model load time in seconds. */
  public readonly modelLoadSeconds: number;
  private readonly triggers: Trigger[];
  private readonly metrics: Metric[];

  constructor(scope: Construct, id: string, props: HybridMlServiceProps) {
    super(scope, id);
    checkProps(this, 'HybridMlServiceProps', HYBRID_ML_SERVICE_SHAPE, props);
    // Chart-wide guardrails at synth: one autoscaler per workload, and the other rules (see docs/rules.md).
    Guardrails.enforce(Chart.of(this));
    this.mode = props.mode ?? HybridScalingMode.KEDA;
    const keda = this.mode === HybridScalingMode.KEDA;
    this.maxReplicas = props.maxReplicas;
    this.minReplicas = props.minReplicas ?? Math.min(2, props.maxReplicas);
    if (!(this.minReplicas <= this.maxReplicas)) {
      throw propError(this, 'minReplicas', this.minReplicas,
        `is greater than maxReplicas (${this.maxReplicas})`, 'lower minReplicas or raise maxReplicas');
    }
    // KEDA scales to zero itself (activation); an HPA only with the HPAScaleToZero gate.
    if (this.minReplicas === 0 && !keda) checkScaleToZeroGate(this, KEDA_ALTERNATIVE);
    checkScaleToZeroOptIn(this, this.minReplicas, props.scaleToZero);
    if (props.hpaName === undefined && props.name !== undefined) {
      checkDerivedName(this, 'name', props.name, `${props.name}-hpa`, 'HorizontalPodAutoscaler name', keda ? 63 : 253, 'hpaName');
    }
    if (!keda) {
      for (const prop of Object.keys(KEDA_ONLY) as (keyof typeof KEDA_ONLY)[]) {
        const v: any = props[prop];
        if (v !== undefined && !(Array.isArray(v) && v.length === 0)) {
          throw propError(this, prop, KEDA_ONLY[prop](v), 'only applies in KEDA mode; in HPA mode it would silently do nothing',
            `remove ${prop}, or set mode: HybridScalingMode.KEDA`);
        }
      }
    } else if (props.metrics !== undefined && props.metrics.length > 0) {
      throw propError(this, 'metrics', props.metrics.map(m => m.name), 'only apply in HPA mode; KEDA mode scales on triggers',
        'express the signals as triggers (e.g. Trigger.prometheus for a request rate, Trigger.cpuUtilization), or set mode: HybridScalingMode.HPA');
    }

    const { deployment, service, podDisruptionBudget, podMonitor, parts } = renderServing(this, props, this.minReplicas);
    this.deployment = deployment;
    this.service = service;
    this.podDisruptionBudget = podDisruptionBudget;
    this.podMonitor = podMonitor;
    this.modelLoadSeconds = parts.modelLoadSeconds;
    const signals = props.signals ?? [];
    this.triggers = [...(props.triggers ?? [])];
    this.metrics = [...(props.metrics ?? [])];
    if (keda && signals.length > 0) {
      const namespace = props.namespace ?? Chart.of(this).namespace;
      if (namespace === undefined) {
        throw propError(this, 'namespace', undefined, 'is needed by the KEDA queries of signals, which select the Deployment\'s pods in their namespace',
          'set namespace on the construct or its chart');
      }
      const serverAddress = props.keda?.prometheusAddress;
      if (serverAddress === undefined) {
        throw propError(this, 'keda.prometheusAddress', undefined, 'is needed by signals in KEDA mode (they render prometheus triggers)',
          'set keda.prometheusAddress to the URL of the Prometheus that scrapes the pods, e.g. "http://prometheus-operated.monitoring.svc:9090"');
      }
      signals.forEach((signal, i) => this.triggers.push(signalToTrigger(this, `signals[${i}]`, signal, props.modelServer,
        { deploymentName: deployment.name, namespace, serverAddress })));
    } else if (!keda) {
      signals.forEach((signal, i) => this.metrics.push(signalToMetric(this, `signals[${i}]`, signal, props.modelServer)));
    }
    const hpaName = props.hpaName ?? (props.name ? `${props.name}-hpa` : undefined);

    if (keda && props.requestBuffering !== undefined) {
      const buffering = renderRequestBuffering(this, props.requestBuffering, {
        serviceName: service.name,
        serviceNameProp: props.serviceName !== undefined ? 'serviceName' : 'name',
        namespace: props.namespace,
        modelLoadSeconds: this.modelLoadSeconds,
      });
      this.interceptorRoute = buffering.interceptorRoute;
      this.interceptorProxyService = buffering.proxyService;
      this.triggers.push(buffering.trigger);
    }

    if (keda) {
      const adopt = props.adoptExistingHpa ?? hpaName !== undefined;
      if (!(!(adopt && hpaName === undefined))) {
        throw propError(this, 'adoptExistingHpa', true,
          'needs the name of the HPA to adopt', 'set hpaName (or name, which defaults hpaName to <name>-hpa)');
      }
      const k = props.keda ?? {};
      this.scaledObject = renderScaledObject(this, {
        options: {
          minReplicas: this.minReplicas,
          maxReplicas: this.maxReplicas,
          scaledObjectName: k.scaledObjectName,
          pollingInterval: k.pollingInterval,
          cooldownPeriod: k.cooldownPeriod,
          initialCooldownPeriod: k.initialCooldownPeriod,
          fallback: k.fallback,
          scalingModifiers: k.scalingModifiers,
          restoreToOriginalReplicaCount: k.restoreToOriginalReplicaCount,
          // GPU serving always gets the ML behavior defaults (KEDA's HPA would use Kubernetes').
          behavior: props.behavior ?? {},
          hpaName,
          transferHpaOwnership: adopt,
          pause: props.pause,
        },
        target: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
        namespace: props.namespace,
        defaultName: props.name ? `${props.name}-scaler` : undefined,
        defaultNameProp: 'name',
        propOf: option => (option in HYBRID_KEDA_OPTION_KEYS ? `keda.${option}` : option),
        envSource: podTemplateOf(deployment, ['spec', 'template']),
        triggers: this.triggers,
        containerName: parts.pod.containerName,
        resources: parts.pod.requested,
        modelLoadSeconds: this.modelLoadSeconds,
      }).apiObject;
      // The add-on's docs: create the InterceptorRoute before the ScaledObject that reads it (else KEDA
      // may settle on a default metric); cdk8s writes dependencies first.
      if (this.interceptorRoute) this.scaledObject.node.addDependency(this.interceptorRoute);
    } else {
      this.hpa = renderHpa(this, {
        name: hpaName,
        namespace: props.namespace,
        deploymentName: deployment.name,
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        metrics: this.metrics,
        behavior: renderBehavior(this, 'behavior', props.behavior, this.modelLoadSeconds),
        context: parts.pod,
        scaleToZeroAlternative: KEDA_ALTERNATIVE,
      });
    }
  }

  /**
   * Adds a trigger (KEDA mode).
   */
  public addTrigger(trigger: Trigger): void {
    checkValue(this, 'addTrigger', trigger, TRIGGER);
    check(this.mode === HybridScalingMode.KEDA, this, 'addTrigger', trigger.type, 'only applies in KEDA mode',
      'use addMetric in HPA mode, or set mode: HybridScalingMode.KEDA');
    this.triggers.push(trigger);
  }

  /**
   * Adds a metric (HPA mode).
   */
  public addMetric(metric: Metric): void {
    checkValue(this, 'addMetric', metric, METRIC);
    check(this.mode === HybridScalingMode.HPA, this, 'addMetric', metric.name, 'only applies in HPA mode',
      'use addTrigger in KEDA mode, or set mode: HybridScalingMode.HPA');
    this.metrics.push(metric);
  }
}
