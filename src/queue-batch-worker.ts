import { ApiObject, Chart, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MAX_PROCESSING_SECONDS } from './annotations';
import { check, durationSeconds, objectMeta, propError } from './errors';
import { Guardrails } from './guardrails/guardrails';
import { renderScaledJob } from './keda/render-scaled-job';
import { renderScaledObject } from './keda/render-scaled-object';
import { ScaledJobOptions } from './keda/scaled-job-options';
import { SCALED_JOB_OPTIONS } from './keda/scaled-job-options-check';
import { ScaledObjectOptions } from './keda/scaled-object-options';
import { SCALED_OBJECT_OPTIONS_SHAPE, TRIGGER } from './keda/scaled-object-options-check';
import { Trigger } from './keda/trigger';
import { MetricsMonitorOptions } from './model-server/metrics-monitor-options';
import { ModelServer } from './model-server/model-server';
import { MODEL_SERVER, SCALING_SIGNAL } from './model-server/model-server-checks';
import { PROMETHEUS_ADDRESS } from './model-server/prometheus-address';
import { METRICS_MONITOR_OPTIONS, renderPodMonitor } from './model-server/render-pod-monitor';
import { signalToTrigger } from './model-server/render-signals';
import { ScalingSignal } from './model-server/scaling-signal';
import { serverPodParts } from './model-server/server-pod';
import { arrayOf, checkProps, checkValue, enumOf, optional, Shape, string } from './validate/check';
import { fastDuration, lightLabels } from './validate/fast';
import { DNS1123_LABEL_NAME, DNS1123_SUBDOMAIN_NAME } from './validate/formats';
import { Warnings } from './warnings';
import { podTemplateOf } from './workload/env-references';
import { kubeObject } from './workload/kube-object';
import { ModelContainerProps } from './workload/model-container';
import { MODEL_CONTAINER_SHAPE } from './workload/model-container-check';
import { RenderedPod, renderModelPod, resolveSelectorLabels } from './workload/render-pod';

/**
 * How a queue worker runs.
 */
export enum WorkerMode {
  /** Long-running consumers: a Deployment scaled by a KEDA ScaledObject. */
  CONSUMER = 'consumer',
  /** One Kubernetes Job per work item, started by a KEDA ScaledJob; scale-in never interrupts an item. */
  JOB = 'job',
}

/**
 * Props of `QueueBatchWorker`.
 */
export interface QueueBatchWorkerProps extends ModelContainerProps, ScaledObjectOptions {
  /**
   * Name of the Deployment (consumer mode) or ScaledJob (job mode). Without `selectorLabels` it is
   * also the pods' label value (at most 63 characters); as a ScaledJob name it is a label value on
   * every Job (at most 63); `<name>-scaler` is the default ScaledObject name (see `scaledObjectName`).
   * @default - generated from the construct path
   */
  readonly name?: string;

  /**
   * Namespace of every object.
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Labels that select the pods.
   * @default - `{ app: <name> }`
   */
  readonly selectorLabels?: { [key: string]: string };

  /**
   * Consumers (Deployment + ScaledObject) or one Job per item (ScaledJob).
   * @default WorkerMode.CONSUMER
   */
  readonly mode?: WorkerMode;

  /**
   * What to scale on; more can be added with `addTrigger`. At least one is required. Environment
   * variables the triggers read (`hostFromEnv`, other `...FromEnv` metadata, `KedaTriggerAuthentication`
   * `env` entries) must be set on the worker container (`env`, `secretEnv`, `modelPath`): checked at synth.
   * @default - none
   */
  readonly triggers?: Trigger[];

  /**
   * The longest one work item may take. Scale-in picks victims blindly, so a consumer must be given
   * time to finish its item: sets `terminationGracePeriodSeconds` to this plus 30 s, and is written on
   * the pod template as `ml-autoscaling.io/max-processing-seconds`. In job mode it also sets the
   * default `activeDeadline`.
   * @default - not declared: Kubernetes' 30 s grace period (a warning in consumer mode)
   */
  readonly maxProcessingTime?: Duration;

  /**
   * Command run before the container is stopped, e.g. to stop taking new items
   * (`['/bin/sh', '-c', 'touch /tmp/draining']`).
   * @default - none
   */
  readonly preStopCommand?: string[];

  /**
   * Job settings (job mode only).
   * @default - see `ScaledJobOptions`
   */
  readonly job?: ScaledJobOptions;

  /**
   * Consumer mode: the model server the workers run (e.g. a vLLM engine fed from the queue): its
   * ports are declared on the container, its command line is checked, and `signals` read its
   * metrics. An error in job mode.
   * @default - none
   */
  readonly modelServer?: ModelServer;

  /**
   * Consumer mode: model-server signals next to the queue triggers (e.g. `ScalingSignal.batchSize(n)`),
   * rendered as `prometheus` triggers that sum over exactly this Deployment's pods. They exist only
   * while pods run, so they never wake the workers from zero: keep a queue trigger for that.
   * @default - none
   */
  readonly signals?: ScalingSignal[];

  /**
   * Consumer mode: URL of the Prometheus that scrapes the workers, for `signals`.
   * @default - none (required with signals)
   */
  readonly prometheusAddress?: string;

  /**
   * Consumer mode: render a Prometheus Operator PodMonitor for the model server's metrics endpoint.
   * @default - no monitor
   */
  readonly metricsMonitor?: MetricsMonitorOptions;
}

/** The checks of `QueueBatchWorkerProps`. */
const QUEUE_BATCH_WORKER_SHAPE: Shape<QueueBatchWorkerProps> = {
  ...MODEL_CONTAINER_SHAPE,
  ...SCALED_OBJECT_OPTIONS_SHAPE,
  name: optional(string({ format: DNS1123_SUBDOMAIN_NAME })),
  namespace: optional(string({ format: DNS1123_LABEL_NAME })),
  selectorLabels: optional(lightLabels()),
  mode: optional(enumOf(WorkerMode, 'WorkerMode')),
  triggers: optional(arrayOf(TRIGGER)),
  maxProcessingTime: optional(fastDuration({ minSeconds: 1 })),
  preStopCommand: optional(arrayOf(string({ minLength: 0 }), { minLength: 1 })),
  job: optional(SCALED_JOB_OPTIONS),
  modelServer: optional(MODEL_SERVER),
  signals: optional(arrayOf(SCALING_SIGNAL)),
  prometheusAddress: optional(PROMETHEUS_ADDRESS),
  metricsMonitor: optional(METRICS_MONITOR_OPTIONS),
};

/** Props that only mean something for long-running consumers. */
const CONSUMER_ONLY: (keyof QueueBatchWorkerProps)[] = ['modelServer', 'signals', 'prometheusAddress', 'metricsMonitor'];

/** ScaledObject settings that mean nothing for a ScaledJob. */
const SCALED_OBJECT_ONLY: (keyof ScaledObjectOptions)[] = [
  'scaledObjectName', 'cooldownPeriod', 'initialCooldownPeriod', 'idleReplicas', 'fallback', 'behavior', 'hpaName',
  'transferHpaOwnership', 'restoreToOriginalReplicaCount', 'scalingModifiers',
];

/**
 * Queue-driven ML workers scaled by KEDA, down to zero when the queue is empty: consumers (a
 * Deployment and a ScaledObject) or one Job per work item (a ScaledJob). The pods get the same GPU,
 * resources, placement and security settings as `GpuInferenceService`.
 */
export class QueueBatchWorker extends Construct {
  /** Added to maxProcessingTime for the termination grace period (preStop hook and shutdown), in seconds. */
  public static readonly SHUTDOWN_MARGIN_SECONDS = 30;
  /** Warning ID: a consumer without a declared maximum processing time. */
  public static readonly NO_MAX_PROCESSING_TIME_WARNING = 'ML-W-WORKER-NO-MAX-PROCESSING-TIME';

  /** How the worker runs. */
  public readonly mode: WorkerMode;
  /** The Deployment (consumer mode; escape hatch). */
  public readonly deployment?: ApiObject;
  /** The KEDA ScaledObject (consumer mode; escape hatch). */
  public readonly scaledObject?: ApiObject;
  /** The KEDA ScaledJob (job mode; escape hatch). */
  public readonly scaledJob?: ApiObject;
  /** Fewest replicas or Jobs. */
  public readonly minReplicas: number;
  /** Most replicas or concurrent Jobs. */
  public readonly maxReplicas: number;
  /** Declared maximum processing time of one item, in seconds. */
  public readonly maxProcessingSeconds?: number;
  /** The pods' termination grace period in seconds, when set from maxProcessingTime. */
  public readonly terminationGracePeriodSeconds?: number;
  /** Name of the worker container. */
  public readonly containerName: string;
  /** The PodMonitor, with `metricsMonitor`. */
  public readonly podMonitor?: ApiObject;
  private readonly triggers: Trigger[];

  constructor(scope: Construct, id: string, props: QueueBatchWorkerProps) {
    super(scope, id);
    checkProps(this, 'QueueBatchWorkerProps', QUEUE_BATCH_WORKER_SHAPE, props);
    // Chart-wide guardrails at synth (see docs/rules.md).
    Guardrails.enforce(Chart.of(this));
    this.mode = props.mode ?? WorkerMode.CONSUMER;
    const jobMode = this.mode === WorkerMode.JOB;
    if (jobMode) {
      for (const key of CONSUMER_ONLY) {
        if (props[key] !== undefined) {
          throw propError(this, key, props[key], 'only applies to long-running consumers (a Job per item serves no metrics to scale on)',
            `remove ${key}, or use mode: WorkerMode.CONSUMER`);
        }
      }
      for (const key of SCALED_OBJECT_ONLY) {
        if (props[key] !== undefined) {
          throw propError(this, key, props[key], 'only applies to a ScaledObject (consumer mode)',
            `remove ${key}, or use mode: WorkerMode.CONSUMER`);
        }
      }
    } else {
      check(props.job === undefined, this, 'job', props.job, 'only applies in job mode', 'set mode: WorkerMode.JOB, or remove job');
    }

    this.maxProcessingSeconds = durationSeconds(this, 'maxProcessingTime', props.maxProcessingTime, 1);
    this.terminationGracePeriodSeconds = this.maxProcessingSeconds === undefined ? undefined
      : this.maxProcessingSeconds + QueueBatchWorker.SHUTDOWN_MARGIN_SECONDS;
    const selectorLabels = resolveSelectorLabels(this, props.selectorLabels, props.name);
    // a worker's server keeps its own ports (no Service in front)
    const server = props.modelServer
      ? serverPodParts(this, { modelServer: props.modelServer, command: props.command, args: props.args, env: props.env }) : undefined;

    const pod = renderModelPod(this, props, {
      defaultContainerName: 'worker',
      selectorLabels,
      ports: server?.ports,
      annotations: {
        ...(this.maxProcessingSeconds === undefined ? {} : { [MAX_PROCESSING_SECONDS]: String(this.maxProcessingSeconds) }),
        ...server?.annotations,
      },
      annotationProps: { [MAX_PROCESSING_SECONDS]: 'maxProcessingTime', ...server?.annotationProps },
      terminationGracePeriodSeconds: this.terminationGracePeriodSeconds,
      preStopCommand: props.preStopCommand,
      restartPolicy: jobMode ? 'Never' : undefined,
    });
    this.containerName = pod.containerName;
    this.triggers = (props.triggers ?? []).slice();

    if (jobMode) {
      const rendered = renderScaledJob(this, {
        scaling: props,
        job: props.job ?? {},
        name: props.name,
        namespace: props.namespace,
        template: pod.template,
        triggers: this.triggers,
        containerName: pod.containerName,
        maxProcessingSeconds: this.maxProcessingSeconds,
        pause: props.pause,
      });
      this.scaledJob = rendered.apiObject;
      this.minReplicas = rendered.minReplicas;
      this.maxReplicas = rendered.maxReplicas;
      return;
    }

    const deployment = kubeObject<k8s.KubeDeploymentProps>(this, 'Resource', k8s.KubeDeployment.GVK, {
      // No spec.replicas: KEDA's HPA owns the count (re-applying a fixed count would fight it).
      metadata: objectMeta(props.name, props.namespace),
      spec: { selector: { matchLabels: { ...selectorLabels } }, template: pod.template },
    });
    this.deployment = deployment;
    if (props.metricsMonitor !== undefined) {
      if (server?.scrapePortName === undefined) {
        throw propError(this, 'metricsMonitor', props.metricsMonitor, 'has no metrics endpoint to scrape', 'set modelServer');
      }
      this.podMonitor = renderPodMonitor(this, props.metricsMonitor, {
        workloadName: props.name, namespace: props.namespace, selectorLabels, port: server.scrapePortName, path: server.metricsPath,
      });
    }
    const signals = props.signals ?? [];
    if (signals.length > 0) {
      const namespace = props.namespace ?? Chart.of(this).namespace;
      if (namespace === undefined) {
        throw propError(this, 'namespace', undefined, 'is needed by the KEDA queries of signals, which select the Deployment\'s pods in their namespace',
          'set namespace on the construct or its chart');
      }
      if (props.prometheusAddress === undefined) {
        throw propError(this, 'prometheusAddress', undefined, 'is needed by signals (they render prometheus triggers)',
          'set prometheusAddress to the URL of the Prometheus that scrapes the pods, e.g. "http://prometheus-operated.monitoring.svc:9090"');
      }
      signals.forEach((signal, i) => this.triggers.push(signalToTrigger(this, `signals[${i}]`, signal, props.modelServer,
        { deploymentName: deployment.name, namespace, serverAddress: props.prometheusAddress! })));
    }
    const rendered = renderScaledObject(this, {
      options: props,
      target: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
      namespace: props.namespace,
      defaultName: props.name !== undefined ? `${props.name}-scaler` : undefined,
      defaultNameProp: 'name',
      envSource: podTemplateOf(deployment, ['spec', 'template']),
      triggers: this.triggers,
      containerName: pod.containerName,
      resources: containerResources(pod),
    });
    this.scaledObject = rendered.apiObject;
    this.minReplicas = rendered.minReplicas;
    this.maxReplicas = rendered.maxReplicas;
    if (this.maxProcessingSeconds === undefined) {
      Warnings.add(this, QueueBatchWorker.NO_MAX_PROCESSING_TIME_WARNING,
        'no maxProcessingTime declared: on scale-in Kubernetes kills a busy consumer after 30 s, and its GPU work is lost ' +
        'or repeated. Declare maxProcessingTime (sets terminationGracePeriodSeconds), or use mode: WorkerMode.JOB for long items');
    }
  }

  /**
   * Adds a trigger to scale on (e.g. `Trigger.prometheus({...})`).
   */
  public addTrigger(trigger: Trigger): void {
    checkValue(this, 'addTrigger', trigger, TRIGGER);
    this.triggers.push(trigger);
  }
}

/** Resources the container requests or limits (KEDA accepts either for cpu/memory triggers). */
function containerResources(pod: RenderedPod): Set<string> {
  const limits = pod.template.spec?.containers[0]?.resources?.limits ?? {};
  let set: Set<string> | undefined;
  for (const key in limits) {
    if (!pod.requested.has(key)) (set ??= new Set(pod.requested)).add(key);
  }
  return set ?? pod.requested; // usually every limited resource is also requested: no copy
}
