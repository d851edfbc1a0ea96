import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { findTarget, TargetArgs } from './find-target';
import { HpaController, HpaControllerOptions } from './hpa-controller';
import { checkHpaSpec } from './hpa-spec-check';
import { hpaV2FromV1 } from './hpa-v1';
import { checkRunSize } from './limits';
import { simulationOptionsCheck, simulationPropsShape } from './options-check';
import { ScaledObjectController } from './scaled-object-controller';
import { checkScaledObject } from './scaled-object-spec-check';
import { DemandTrace } from './trace';
import { checkProps, checkValue, fail, instanceOf } from '../validate/check';

/**
 * What a metric measures in the workload model, so the simulator can produce its observations.
 */
export enum MetricSignal {
  /** Items waiting in the queue (a Pods metric gets the queue divided by the ready pods). */
  QUEUE_DEPTH = 'QUEUE_DEPTH',
  /**
   * Items waiting plus items being processed (one per busy replica), as brokers count unacknowledged
   * messages (RabbitMQ `messages`, SQS in-flight, Kafka uncommitted lag).
   */
  BACKLOG = 'BACKLOG',
  /** Items arriving per second, averaged over the metric window (per ready pod for a Pods metric). */
  ARRIVAL_RATE = 'ARRIVAL_RATE',
  /** How busy the ready replicas are, in percent of their capacity, averaged over the metric window. */
  BUSY_PERCENT = 'BUSY_PERCENT',
}

/**
 * Knobs of the workload model shared by `Simulator.run` and `Simulator.fromManifests`.
 */
export interface SimulationOptions {
  /** The demand: arrivals per second over time. */
  readonly trace: DemandTrace;
  /** Work items one ready replica completes per second. */
  readonly capacityPerReplica: number;
  /**
   * Seconds from pod creation to ready (scheduling, image pull, model load).
   * @default - for manifests: the `ml-autoscaling.io/model-load-seconds` annotation, else the largest
   * readiness probe `initialDelaySeconds`, else 0; for `Simulator.run`: 0
   */
  readonly coldStartSeconds?: number;
  /**
   * Replicas at time 0, all ready.
   * @default - the autoscaler's minimum (HPA `minReplicas`, ScaledObject `minReplicaCount`)
   */
  readonly initialReplicas?: number;
  /**
   * Seconds between HPA syncs (`--horizontal-pod-autoscaler-sync-period`).
   * @default 15
   */
  readonly hpaSyncPeriodSeconds?: number;
  /**
   * How old the metrics are when a controller reads them, in seconds (scrape and adapter delays).
   * @default 0
   */
  readonly metricLagSeconds?: number;
  /**
   * Seconds over which rates and busy percentages are averaged (like a metrics-server or `rate()` window).
   * @default 15
   */
  readonly metricWindowSeconds?: number;
  /**
   * A queue wait above which an item counts as late, for `secondsOverLatencyTarget`.
   * @default - no target
   */
  readonly latencyTargetSeconds?: number;
  /**
   * Utilization a memory metric reports, in percent of requests (model weights do not move with load).
   * @default 50
   */
  readonly memoryUtilizationPercent?: number;
  /**
   * What each metric measures, by metric name (HPA `metric.name`, `cpu`/`memory`, or a KEDA trigger's
   * `name`, `metadata.metricName` or `type`).
   * @default - guessed from the name: utilization/gpu/busy/cpu -> BUSY_PERCENT; rate/rps/requests/throughput -> ARRIVAL_RATE;
   * otherwise QUEUE_DEPTH, and BACKLOG for KEDA broker triggers (rabbitmq, aws-sqs-queue, kafka, ...)
   */
  readonly signals?: { [metricName: string]: MetricSignal };
  /** Controller-wide HPA settings. @default - Kubernetes defaults */
  readonly hpaOptions?: HpaControllerOptions;
  /**
   * Seconds between timeline rows.
   * @default - the HPA sync period
   */
  readonly outputIntervalSeconds?: number;
}

/**
 * Inputs of one simulation: the autoscaler (exactly one of `horizontalPodAutoscaler` and `scaledObject`) and the workload model.
 */
export interface SimulationProps extends SimulationOptions {
  /** An autoscaling/v2 HorizontalPodAutoscaler (object or spec) as JSON. */
  readonly horizontalPodAutoscaler?: any;
  /** A keda.sh/v1alpha1 ScaledObject as JSON; the HPA KEDA creates is simulated with it. */
  readonly scaledObject?: any;
  /** GPUs per pod, for GPU-hours. @default 0 */
  readonly gpusPerReplica?: number;
  /** CPU cores requested per pod, for cpu AverageValue targets. @default 1 */
  readonly cpuRequestCores?: number;
  /** Memory bytes requested per pod, for memory AverageValue targets. @default 1Gi */
  readonly memoryRequestBytes?: number;
}

/**
 * The state of the simulated service at one time.
 */
export interface TimelinePoint {
  /** Seconds from the start. */
  readonly time: number;
  /** The demand at this time, items per second. */
  readonly arrivalsPerSecond: number;
  /** Pods that exist (the replica count the autoscalers set), after this time's decisions. */
  readonly desiredReplicas: number;
  /** Pods that are ready and serving. */
  readonly readyReplicas: number;
  /** Items waiting. */
  readonly queueDepth: number;
  /** Busy share of the ready replicas' capacity over the metric window, in percent. */
  readonly utilizationPercent: number;
  /** How long an item arriving now waits in the queue (FIFO), in seconds. */
  readonly waitSeconds: number;
  /** For a ScaledObject: whether KEDA considered it active at its last poll. */
  readonly active?: boolean;
}

/**
 * What a run amounts to.
 */
export interface SimulationSummary {
  /** The simulated time, in seconds. */
  readonly durationSeconds: number;
  /** Items that arrived. */
  readonly itemsArrived: number;
  /** Items completed. */
  readonly itemsServed: number;
  /** Items still queued when the run ended. */
  readonly itemsQueuedAtEnd: number;
  /** The longest queue. */
  readonly maxQueueDepth: number;
  /** The longest FIFO wait of any item, in seconds (a lower bound for items still queued at the end). */
  readonly maxQueueWaitSeconds: number;
  /** The 95th percentile of the wait over items, in seconds. */
  readonly p95QueueWaitSeconds: number;
  /** Seconds during which arriving items waited longer than the latency target (0 without a target). */
  readonly secondsOverLatencyTarget: number;
  /** The latency target used, if any. */
  readonly latencyTargetSeconds?: number;
  /** Pod-hours, including pods that are still starting (they hold their resources). */
  readonly replicaHours: number;
  /** GPU-hours: pod-hours times GPUs per pod. */
  readonly gpuHours: number;
  /** Times a controller changed the replica count. */
  readonly scaleEvents: number;
  /** The highest replica count. */
  readonly peakReplicas: number;
  /** The lowest replica count. */
  readonly lowestReplicas: number;
  /**
   * What the simulation assumed that the real cluster would not do: e.g. metrics the real HPA could not
   * read (a Resource metric other than cpu or memory, a ContainerResource metric of a container the pod
   * does not have), which are simulated as if readable.
   * @default - none
   */
  readonly warnings?: string[];
}

/**
 * A timeline and its summary.
 */
export interface SimulationResult {
  /** One row per output interval. */
  readonly timeline: TimelinePoint[];
  /** The totals. */
  readonly summary: SimulationSummary;
}

/**
 * What an observer reads from the model state (queue, in-flight items, arrival rate, busy percent and
 * ready replicas at one time). A code and a parameter rather than a closure: the simulation evaluates
 * every metric at every sync.
 */
const enum ObserverKind {
  /** The queue. */
  QUEUE,
  /** The queue plus the items in service (the completion rate times the service time, Little's law). */
  BACKLOG,
  /** The arrival rate over the metric window. */
  ARRIVAL_RATE,
  /** The busy percent over the metric window. */
  BUSY_PERCENT,
  /** QUEUE per ready pod (0 without ready pods). */
  QUEUE_PER_POD,
  /** BACKLOG per ready pod (0 without ready pods). */
  BACKLOG_PER_POD,
  /** ARRIVAL_RATE per ready pod (0 without ready pods). */
  ARRIVAL_RATE_PER_POD,
  /** A constant: `value`. */
  CONSTANT,
  /** The busy share of `value` cores: `busyPercent / 100 * value`. */
  BUSY_CORES,
}

interface Observer {
  readonly kind: ObserverKind;
  readonly value: number;
}

/**
 * Replays a demand trace through the exact HPA/KEDA controllers and a simple queueing model of the workload.
 *
 * The model: ready replicas each complete `capacityPerReplica` items per second; excess demand waits in
 * one FIFO queue (nothing is dropped); new pods become ready `coldStartSeconds` after creation; scale-down
 * removes starting pods first, as a ReplicaSet does. Controllers read metrics derived from this state.
 */
export class Simulator {
  /**
   * Runs one simulation.
   */
  public static run(props: SimulationProps): SimulationResult {
    const site = { scope: 'Simulator.run', prop: 'horizontalPodAutoscaler' };
    const hpa = props !== null && typeof props === 'object' ? hpaV2FromV1(props.horizontalPodAutoscaler, site) : undefined;
    const checked = hpa !== props?.horizontalPodAutoscaler ? { ...props, horizontalPodAutoscaler: hpa } : props;
    checkProps('Simulator.run', 'SimulationProps', simulationPropsShape(), checked);
    return new Simulation(checked, 'Simulator.run', '').run();
  }

  /**
   * Simulates the autoscaler of workload `target` found in `manifests` (e.g. `Yaml.load(file)` or
   * `Testing.synth(chart)`), reading GPUs per pod, CPU/memory requests and the model load time from the workload.
   */
  public static fromManifests(manifests: any[], target: string, options: SimulationOptions): SimulationResult {
    return Simulator.runManifests({ site: 'Simulator.fromManifests', manifests: 'manifests', name: 'target' }, manifests, target, options);
  }

  /**
   * Simulates a construct as it will be deployed: e.g. a `GpuInferenceService`, `HybridMlService` or a
   * consumer-mode `QueueBatchWorker`. Reads the rendered objects of its chart (what `cdk8s synth`
   * writes) and simulates the autoscaler of the construct's workload (its `Resource` child).
   */
  public static fromConstruct(construct: IConstruct, options: SimulationOptions): SimulationResult {
    checkValue('Simulator.fromConstruct', 'construct', construct, instanceOf(v => Construct.isConstruct(v), 'Construct',
      'pass the construct whose workload to simulate, e.g. a GpuInferenceService'));
    checkValue('Simulator.fromConstruct', 'options', options, simulationOptionsCheck());
    let workload: ApiObject;
    try {
      workload = ApiObject.of(construct);
    } catch (e) {
      fail({ scope: 'Simulator.fromConstruct', prop: 'construct' }, construct.node.path, `has no workload to simulate (${(e as Error).message})`,
        'pass a construct with a workload child called "Resource", e.g. a GpuInferenceService or HybridMlService');
    }
    const manifests = Chart.of(construct).node.findAll()
      .filter(c => ApiObject.isApiObject(c))
      .map(c => (c as ApiObject).toJson());
    return Simulator.runManifests({ site: 'Simulator.fromConstruct', manifests: 'construct', name: 'construct' }, manifests, workload.name, options);
  }

  private static runManifests(args: TargetArgs, manifests: any[], target: string, options: SimulationOptions): SimulationResult {
    const site = args.site;
    checkValue(site, 'options', options, simulationOptionsCheck());
    const found = findTarget(args, manifests, target);
    const scaledObject = found.scaledObject;
    const autoscaler = scaledObject ?? found.horizontalPodAutoscaler;
    const autoscalerProp = `${args.manifests}(${autoscaler?.kind}/${autoscaler?.metadata?.name})`;
    const hpa = hpaV2FromV1(found.horizontalPodAutoscaler, { scope: site, prop: autoscalerProp });
    const containers: any[] | undefined = found.workload !== undefined && Array.isArray(found.workload?.spec?.template?.spec?.containers)
      ? found.workload.spec.template.spec.containers : undefined;
    return new Simulation({
      ...options,
      horizontalPodAutoscaler: hpa,
      scaledObject,
      gpusPerReplica: found.gpusPerReplica,
      cpuRequestCores: found.cpuRequestCores > 0 ? found.cpuRequestCores : undefined,
      memoryRequestBytes: found.memoryRequestBytes > 0 ? found.memoryRequestBytes : undefined,
      coldStartSeconds: options.coldStartSeconds ?? found.modelLoadSeconds ?? found.readinessDelaySeconds ?? 0,
    }, site, 'options.', autoscalerProp, containers?.map(c => String(c?.name))).run();
  }
}

/** Guesses what a metric measures from its name. */
function guessSignal(text: string): MetricSignal {
  const t = text.toLowerCase();
  if (/util|gpu|busy|duty|saturation|cpu/.test(t)) return MetricSignal.BUSY_PERCENT;
  if (/rate|rps|qps|per_?second|requests|throughput|arrival/.test(t)) return MetricSignal.ARRIVAL_RATE;
  return MetricSignal.QUEUE_DEPTH;
}

/** The most breakpoints or rows the buffers make room for up front (they grow beyond it when needed). */
const MAX_INITIAL_ROOM = 262144;


class Simulation {
  private readonly hpa?: HpaController;
  private readonly keda?: ScaledObjectController;
  private readonly hpaObservers: Observer[] = [];
  private readonly triggerObservers: Observer[] = [];
  /** What the real cluster would not do as simulated (`SimulationSummary.warnings`). */
  private readonly warnings: string[] = [];

  /**
   * `props` have passed `simulationPropsShape()` (but for the autoscaler found in manifests); `site` names the
   * entry point in errors, `optionsPrefix` comes before option names in them (`options.`), `autoscalerProp` names
   * the autoscaler when it does not come from the props, and `containerNames` are the workload's containers, if known.
   */
  constructor(private readonly props: SimulationProps, site: string, optionsPrefix: string, autoscalerProp?: string,
    private readonly containerNames?: string[]) {
    const hasHpa = props.horizontalPodAutoscaler !== undefined && props.horizontalPodAutoscaler !== null;
    const hasKeda = props.scaledObject !== undefined && props.scaledObject !== null;
    if (hasHpa === hasKeda) {
      fail({ scope: site, prop: hasHpa ? 'scaledObject' : 'horizontalPodAutoscaler' }, hasHpa ? props.scaledObject : undefined,
        'give exactly one of horizontalPodAutoscaler and scaledObject', hasHpa ? 'leave scaledObject out' : 'pass horizontalPodAutoscaler or scaledObject');
    }
    const signals = props.signals ?? {};
    const memoryPercent = props.memoryUtilizationPercent ?? 50;
    const signalOf = (names: Array<string | undefined>, guessFrom: string): MetricSignal => {
      for (const n of names) if (n !== undefined && signals[n] !== undefined) return signals[n];
      return guessSignal(guessFrom);
    };
    const observer = (kind: ObserverKind, value = 0): Observer => ({ kind, value });
    const total = (signal: MetricSignal): Observer => {
      switch (signal) {
        case MetricSignal.QUEUE_DEPTH: return observer(ObserverKind.QUEUE);
        case MetricSignal.BACKLOG: return observer(ObserverKind.BACKLOG);
        case MetricSignal.ARRIVAL_RATE: return observer(ObserverKind.ARRIVAL_RATE);
        default: return observer(ObserverKind.BUSY_PERCENT);
      }
    };
    const perPod = (signal: MetricSignal): Observer => {
      switch (signal) {
        case MetricSignal.QUEUE_DEPTH: return observer(ObserverKind.QUEUE_PER_POD);
        case MetricSignal.BACKLOG: return observer(ObserverKind.BACKLOG_PER_POD);
        case MetricSignal.ARRIVAL_RATE: return observer(ObserverKind.ARRIVAL_RATE_PER_POD);
        default: return observer(ObserverKind.BUSY_PERCENT);
      }
    };
    const resource = (name: string, averageValue: boolean): Observer => {
      if (name === 'memory' && signals.memory === undefined) {
        const bytes = props.memoryRequestBytes ?? 1024 ** 3;
        return observer(ObserverKind.CONSTANT, averageValue ? (memoryPercent / 100) * bytes : memoryPercent);
      }
      const signal = signalOf([name], name === 'cpu' ? 'cpu' : name);
      const base = perPod(signal);
      if (!averageValue || signal !== MetricSignal.BUSY_PERCENT) return base;
      return observer(ObserverKind.BUSY_CORES, props.cpuRequestCores ?? 1);
    };

    if (hasHpa) {
      // Checked here for the entry point and the prop, then by the controller for itself.
      const spec: any = checkHpaSpec(site, autoscalerProp ?? 'horizontalPodAutoscaler', props.horizontalPodAutoscaler);
      this.hpa = new HpaController(props.horizontalPodAutoscaler, props.hpaOptions);
      const metrics: any[] = Array.isArray(spec.metrics) && spec.metrics.length > 0 ? spec.metrics
        : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
      metrics.forEach((m, i) => {
        this.hpaObservers.push(this.observerForHpaMetric(m, signalOf, total, perPod, resource));
        this.warnUnreadable(m, `HPA metric ${i + 1}`);
      });
    } else {
      const spec = checkScaledObject(site, autoscalerProp ?? 'scaledObject', props.scaledObject).spec;
      this.keda = new ScaledObjectController(props.scaledObject);
      this.hpa = this.keda.createHpaController(props.hpaOptions);
      for (const t of spec.triggers as any[]) {
        const md = t.metadata;
        if (t.type === 'cpu' || t.type === 'memory') {
          this.triggerObservers.push(resource(t.type, (t.metricType ?? md.type ?? 'Utilization') !== 'Utilization'));
          continue;
        }
        const guessText = t.type === 'rabbitmq' && md.mode === 'MessageRate' ? 'rate'
          : ['prometheus', 'metrics-api', 'datadog', 'new-relic', 'aws-cloudwatch'].includes(t.type) ? `${md.metricName ?? ''} ${md.query ?? ''} ${t.name ?? ''}`
            : undefined;
        const signal = guessText !== undefined ? signalOf([t.name, md.metricName, t.type], guessText)
          // Brokers count messages being processed too (unacknowledged, in flight, uncommitted), except Redis lists.
          : signalOf([t.name, md.metricName, t.type], 'queue') === MetricSignal.QUEUE_DEPTH && !String(t.type).startsWith('redis')
            && signals[t.name] === undefined && signals[md.metricName] === undefined && signals[t.type] === undefined
            ? MetricSignal.BACKLOG : signalOf([t.name, md.metricName, t.type], 'queue');
        this.triggerObservers.push(total(signal));
      }
    }
    const syncPeriod = props.hpaSyncPeriodSeconds ?? 15;
    const outputSite = props.outputIntervalSeconds !== undefined ? 'outputIntervalSeconds' : 'hpaSyncPeriodSeconds';
    checkRunSize({
      durationSeconds: props.trace.durationSeconds,
      tracePoints: props.trace.pointCount,
      syncPeriodSeconds: syncPeriod,
      outputIntervalSeconds: props.outputIntervalSeconds ?? syncPeriod,
      pollPeriodSeconds: this.keda?.pollingIntervalSeconds,
      historySeconds: this.hpa!.historySeconds,
    }, { scope: site, prop: `${optionsPrefix}hpaSyncPeriodSeconds` }, { scope: site, prop: `${optionsPrefix}${outputSite}` });
  }

  /** Warns about a Resource or ContainerResource metric the real HPA could not read. */
  private warnUnreadable(m: any, label: string): void {
    if (m?.type !== 'Resource' && m?.type !== 'ContainerResource') return;
    const src = m.type === 'Resource' ? m.resource : m.containerResource;
    const name = String(src?.name);
    const what = m.type === 'Resource' ? `${label} (Resource ${name})` : `${label} (ContainerResource ${name} of container "${src?.container}")`;
    if (name !== 'cpu' && name !== 'memory') {
      this.warnings.push(`${what}: the resource metrics API (metrics-server) reports only cpu and memory, so the real HPA cannot read ` +
        `"${name}" (FailedGetResourceMetric) and does not scale on it; simulated as if readable. Fix: scale on a Pods or External ` +
        'metric of a GPU exporter (e.g. DCGM_FI_DEV_GPU_UTIL through prometheus-adapter or KEDA\'s prometheus trigger).');
    }
    const containers = this.containerNames;
    if (m.type === 'ContainerResource' && containers !== undefined && !containers.includes(String(src?.container))) {
      this.warnings.push(`${what}: the pod has no container "${src?.container}" (containers: ${containers.join(', ') || 'none'}), so the ` +
        'real HPA cannot read the metric (FailedGetContainerResourceMetric); simulated as if readable. ' +
        `Fix: set containerResource.container to one of ${containers.map(c => `"${c}"`).join(', ') || 'the pod\'s containers'}.`);
    }
  }

  private observerForHpaMetric(m: any, signalOf: (names: Array<string | undefined>, guess: string) => MetricSignal,
    total: (s: MetricSignal) => Observer, perPod: (s: MetricSignal) => Observer,
    resource: (name: string, averageValue: boolean) => Observer): Observer {
    switch (m?.type) {
      case 'Resource':
      case 'ContainerResource': {
        const src = m.type === 'Resource' ? m.resource : m.containerResource;
        return resource(String(src?.name), src?.target?.averageValue !== undefined && src?.target?.averageValue !== null);
      }
      case 'Pods': {
        const name = m.pods?.metric?.name;
        return perPod(signalOf([name], String(name ?? '')));
      }
      case 'Object': {
        const name = m.object?.metric?.name;
        return total(signalOf([name], String(name ?? '')));
      }
      default: {
        const name = m?.external?.metric?.name;
        return total(signalOf([name], String(name ?? '')));
      }
    }
  }

  public run(): SimulationResult {
    const p = this.props;
    const trace = p.trace;
    const end = trace.durationSeconds;
    const capacity = p.capacityPerReplica;
    const coldStart = p.coldStartSeconds ?? 0;
    const syncPeriod = p.hpaSyncPeriodSeconds ?? 15;
    const pollPeriod = this.keda?.pollingIntervalSeconds;
    const outputPeriod = p.outputIntervalSeconds ?? syncPeriod;
    const window = p.metricWindowSeconds ?? 15;
    const gpus = p.gpusPerReplica ?? 0;
    const keda = this.keda;
    const hpa = this.hpa!;
    const times = trace._times;
    const rates = trace._rates;
    // Breakpoints to make room for: events are syncs, polls, outputs and trace steps (pods becoming ready
    // add more: the curves grow beyond the room if needed).
    const events = end / syncPeriod + end / outputPeriod + (pollPeriod !== undefined ? end / pollPeriod : 0) + trace.pointCount;
    // At most two breakpoints per event (a queue may empty within each step); untouched room never becomes resident.
    const curves = new Curves(2 * events + 64);
    const reader = new MetricReader(curves, p.metricLagSeconds ?? 0, window, capacity, trace.rateAt(0));
    // The observations of one sync or poll: one array, refilled each time (the controllers do not keep it).
    const observers = keda ? this.triggerObservers : this.hpaObservers;
    const observations: number[] = observers.map(() => 0);
    const replicaSet = new ReplicaSet(p.initialReplicas ?? (keda ? keda.minReplicaCount : hpa.minReplicas), coldStart);
    let active: boolean | undefined;
    let podSeconds = 0;
    const rows = new RowBuffer(end / outputPeriod + 2, keda !== undefined);

    // Event-driven: between two events (sync, poll, output, trace step, pod ready) demand and capacity are
    // constant, so the fluid queue moves linearly (with at most one kink, when it empties).
    let t = 0;
    let syncCount = 0;
    let pollCount = 0;
    let outputCount = 0;
    let seg = 0;
    let queue = 0;
    let maxQueue = 0;
    const lastSeg = trace.pointCount - 2;
    let segEnd = times[1];
    let rate = rates[0];
    while (t < end - 1e-9) {
      if (replicaSet.nextReady <= t + 1e-9) replicaSet.promote(t);
      while (seg < lastSeg && segEnd <= t + 1e-9) {
        seg++;
        segEnd = times[seg + 1];
        rate = rates[seg];
      }
      // Events due now, up to float noise (|time - t| < 1e-9, compared without a call).
      const pollOffset = pollPeriod !== undefined ? pollCount * pollPeriod - t : NaN;
      const poll = pollOffset < 1e-9 && pollOffset > -1e-9;
      if (poll) {
        reader.observe(t, replicaSet.ready, observers, observations);
        const r = keda!.poll(t, replicaSet.pods, observations);
        active = r.active;
        replicaSet.scaleTo(r.replicas, t);
        pollCount++;
      }
      const syncOffset = syncCount * syncPeriod - t;
      if (syncOffset < 1e-9 && syncOffset > -1e-9) {
        // After a poll, the HPA sees the same metrics with the replicas the poll left ready.
        reader.observe(t, replicaSet.ready, observers, observations);
        const pods = replicaSet.pods;
        const readyPods = Math.min(replicaSet.ready, pods);
        replicaSet.scaleTo(hpa.sync(t, pods, keda ? keda.hpaObservations(observations, pods, readyPods) : observations, readyPods), t);
        syncCount++;
      }
      const outputOffset = outputCount * outputPeriod - t;
      if (outputOffset < 1e-9 && outputOffset > -1e-9) {
        rows.add(t, rate, replicaSet.pods, replicaSet.ready, queue, reader.busyPercentAt(t), active);
        outputCount++;
      }

      let next = end;
      const nextSync = syncCount * syncPeriod;
      if (nextSync < next) next = nextSync;
      const nextOutput = outputCount * outputPeriod;
      if (nextOutput < next) next = nextOutput;
      if (segEnd < next) next = segEnd;
      if (pollPeriod !== undefined) next = Math.min(next, pollCount * pollPeriod);
      if (replicaSet.nextReady < next) next = replicaSet.nextReady;
      if (next <= t + 1e-9) next = t + 1e-6; // guard against float stalls

      const cap = replicaSet.ready * capacity;
      const span = next - t;
      if (queue > 0 && rate < cap && queue / (cap - rate) < span) {
        const empty = t + queue / (cap - rate);
        curves.advance(empty, rate, cap, cap);
        curves.advance(next, rate, rate, cap);
        queue = 0;
      } else if (queue > 0 || rate > cap) {
        curves.advance(next, rate, cap, cap);
        queue = Math.max(0, queue + (rate - cap) * span);
      } else {
        curves.advance(next, rate, rate, cap);
        queue = 0;
      }
      if (queue < 1e-9) queue = 0;
      if (queue > maxQueue) maxQueue = queue;
      podSeconds += replicaSet.pods * span;
      t = next;
    }

    const latencyTarget = p.latencyTargetSeconds;
    curves.releaseCapacity(); // only the metric windows read it: frees a quarter of the curves before the waits
    const waits = curves.waitSummary(end, latencyTarget);
    const itemsArrived = curves.arrivedAt(end);
    const itemsServed = curves.servedAt(end);
    const p95QueueWaitSeconds = weightedPercentile(waits, 0.95);
    return {
      // The row objects last: nothing else is allocated while they are young.
      timeline: rows.toTimeline(curves, end),
      summary: {
        durationSeconds: end,
        itemsArrived,
        itemsServed,
        itemsQueuedAtEnd: queue,
        maxQueueDepth: maxQueue,
        maxQueueWaitSeconds: waits.maxWait,
        p95QueueWaitSeconds,
        secondsOverLatencyTarget: waits.late,
        latencyTargetSeconds: latencyTarget,
        replicaHours: podSeconds / 3600,
        gpuHours: (podSeconds / 3600) * gpus,
        scaleEvents: replicaSet.scaleEvents,
        peakReplicas: replicaSet.peak,
        lowestReplicas: replicaSet.lowest,
        warnings: [...this.warnings],
      },
    };
  }
}

/**
 * The pods of the workload: `pods` exist, `ready` of them serve; the others become ready at their
 * ready times. Scale-down removes starting pods first (the newest first), as a ReplicaSet does.
 * Starting pods are kept as groups (a ready time and a count, one per scale-up), so memory follows the
 * scale events, not the replica count.
 */
class ReplicaSet {
  public pods: number;
  public ready: number;
  public scaleEvents = 0;
  public peak: number;
  public lowest: number;
  /** When the next starting pod becomes ready (Infinity if none is starting). */
  public nextReady = Infinity;
  /** Ready times of the groups of starting pods, ascending from `pendingHead`, and their pod counts. */
  private readonly pendingTimes: number[] = [];
  private readonly pendingCounts: number[] = [];
  private pendingHead = 0;

  constructor(initial: number, private readonly coldStart: number) {
    this.pods = initial;
    this.ready = initial;
    this.peak = initial;
    this.lowest = initial;
  }

  /** Makes the pods whose ready time has come (up to float noise) ready. */
  public promote(t: number): void {
    const times = this.pendingTimes;
    while (times.length > this.pendingHead && times[this.pendingHead] <= t + 1e-9) {
      this.ready += this.pendingCounts[this.pendingHead];
      this.pendingHead++;
    }
    if (this.pendingHead > 1024 && this.pendingHead === times.length) {
      times.length = 0;
      this.pendingCounts.length = 0;
      this.pendingHead = 0;
    }
    this.updateNextReady();
  }

  /** Sets the replica count at `now`. */
  public scaleTo(next: number, now: number): void {
    const pods = this.pods;
    if (next === pods) return;
    this.scaleEvents++;
    if (next > pods) {
      if (this.coldStart <= 0) {
        this.ready += next - pods;
      } else {
        this.pendingTimes.push(now + this.coldStart);
        this.pendingCounts.push(next - pods);
      }
    } else {
      let remove = pods - next;
      const times = this.pendingTimes;
      const counts = this.pendingCounts;
      while (remove > 0 && times.length > this.pendingHead) {
        // the newest starting pods go first
        const last = counts.length - 1;
        const taken = Math.min(remove, counts[last]);
        counts[last] -= taken;
        remove -= taken;
        if (counts[last] === 0) {
          counts.pop();
          times.pop();
        }
      }
      this.ready -= remove;
    }
    this.pods = next;
    if (next > this.peak) this.peak = next;
    if (next < this.lowest) this.lowest = next;
    this.updateNextReady();
  }

  private updateNextReady(): void {
    this.nextReady = this.pendingTimes.length > this.pendingHead ? this.pendingTimes[this.pendingHead] : Infinity;
  }
}

/** What the controllers read: the model state at one time, from the curves (metrics `lag` seconds old). */
class MetricReader {
  /** The busy percent over the window ending at `busyEnd`, as last computed (the curves before it never change). */
  private busyEnd = NaN;
  private busy = 0;

  constructor(private readonly curves: Curves, private readonly lag: number, private readonly window: number,
    private readonly capacity: number, private readonly initialRate: number) {}

  /** Fills `out` with the value of each observer for a controller reading metrics at `now`. */
  public observe(now: number, ready: number, observers: Observer[], out: number[]): void {
    const at = now - this.lag;
    let queue = 0;
    let inFlight = 0;
    let arrivalRate = this.initialRate;
    let busyPercent = 0;
    if (at >= 0) {
      const curves = this.curves;
      const from = Math.max(0, at - this.window);
      const span = at - from;
      const lastSecond = Math.max(0, at - 1);
      curves.sampleWindow(from, at, lastSecond);
      const arrivedAt = curves.arrivedAtEnd;
      const servedAt = curves.servedAtEnd;
      const capacityInWindow = curves.capacityAtEnd - curves.capacityAtStart;
      const servedInWindow = servedAt - curves.servedAtStart;
      queue = Math.max(0, arrivedAt - servedAt);
      if (at > 0) inFlight = (servedAt - curves.servedAtLastSecond) / (at - lastSecond) / this.capacity;
      if (span > 0) arrivalRate = (arrivedAt - curves.arrivedAtStart) / span;
      busyPercent = capacityInWindow > 0 ? (100 * servedInWindow) / capacityInWindow : 0;
      this.busyEnd = at;
      this.busy = busyPercent;
    }
    for (let i = 0; i < observers.length; i++) {
      const o = observers[i];
      let v: number;
      switch (o.kind) {
        case ObserverKind.QUEUE: v = queue; break;
        case ObserverKind.BACKLOG: v = queue + inFlight; break;
        case ObserverKind.ARRIVAL_RATE: v = arrivalRate; break;
        case ObserverKind.BUSY_PERCENT: v = busyPercent; break;
        case ObserverKind.QUEUE_PER_POD: v = ready > 0 ? queue / ready : 0; break;
        case ObserverKind.BACKLOG_PER_POD: v = ready > 0 ? (queue + inFlight) / ready : 0; break;
        case ObserverKind.ARRIVAL_RATE_PER_POD: v = ready > 0 ? arrivalRate / ready : 0; break;
        case ObserverKind.CONSTANT: v = o.value; break;
        default: v = (busyPercent / 100) * o.value; break;
      }
      out[i] = v;
    }
  }

  /** The busy share of the ready replicas' capacity over the window ending at `t` (no lag), in percent. */
  public busyPercentAt(t: number): number {
    if (t === this.busyEnd) return this.busy; // the controllers read the same window at this time
    const curves = this.curves;
    curves.sample(Math.max(0, t - this.window));
    const capacityFrom = curves.sampledCapacity;
    const servedFrom = curves.sampledServed;
    curves.sample(t);
    const capacityInWindow = curves.sampledCapacity - capacityFrom;
    return capacityInWindow > 0 ? (100 * (curves.sampledServed - servedFrom)) / capacityInWindow : 0;
  }
}

/**
 * The timeline rows, one column per field while the run goes: the row objects are made once the waits
 * are known, each in one go (no field added or changed afterwards).
 */
class RowBuffer {
  private size = 0;
  /** Rows with room in the columns. */
  private room: number;
  private time: number[];
  private arrivals: Float64Array;
  private desired: number[];
  private ready: number[];
  private queue: Float64Array;
  private utilization: Float64Array;
  private active: Array<boolean | undefined> | undefined;

  /**
   * @param expectedSize rows to make room for (the buffer grows beyond it if needed)
   * @param withActive whether rows have the `active` field (ScaledObjects)
   */
  constructor(expectedSize: number, withActive: boolean) {
    const room = Math.max(16, Math.min(Math.ceil(expectedSize), MAX_INITIAL_ROOM));
    this.room = room;
    // Plain arrays for the times and replica counts: whole numbers stay unboxed in the row objects
    // (typed arrays hand out boxed numbers). Filled in order by `add`.
    this.time = new Array<number>(room);
    this.arrivals = new Float64Array(room);
    this.desired = new Array<number>(room);
    this.ready = new Array<number>(room);
    this.queue = new Float64Array(room);
    this.utilization = new Float64Array(room);
    this.active = withActive ? new Array<boolean | undefined>(room) : undefined;
  }

  public add(time: number, arrivals: number, desired: number, ready: number, queue: number, utilization: number, active: boolean | undefined): void {
    const k = this.size;
    if (k === this.room) this.grow();
    this.time[k] = time;
    this.arrivals[k] = arrivals;
    this.desired[k] = desired;
    this.ready[k] = ready;
    this.queue[k] = queue;
    this.utilization[k] = utilization;
    if (this.active !== undefined) this.active[k] = active;
    this.size = k + 1;
  }

  /** The rows, with the FIFO wait: the item that brings the arrivals to level L leaves when departures reach L. */
  public toTimeline(curves: Curves, end: number): TimelinePoint[] {
    const n = this.size;
    const times = this.time;
    const waits = curves.waitsAt(times, n, end);
    const { arrivals, desired, ready, queue, utilization, active } = this;
    const rows: TimelinePoint[] = new Array(n);
    for (let k = 0; k < n; k++) {
      rows[k] = active !== undefined
        ? {
          time: times[k],
          arrivalsPerSecond: arrivals[k],
          desiredReplicas: desired[k],
          readyReplicas: ready[k],
          queueDepth: queue[k],
          utilizationPercent: utilization[k],
          waitSeconds: waits[k],
          active: active[k],
        }
        : {
          time: times[k],
          arrivalsPerSecond: arrivals[k],
          desiredReplicas: desired[k],
          readyReplicas: ready[k],
          queueDepth: queue[k],
          utilizationPercent: utilization[k],
          waitSeconds: waits[k],
        };
    }
    return rows;
  }

  /** Doubles the room of the columns. */
  private grow(): void {
    const bigger = (a: Float64Array): Float64Array => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.arrivals = bigger(this.arrivals);
    this.queue = bigger(this.queue);
    this.utilization = bigger(this.utilization);
    this.room = this.arrivals.length;
    this.time.length = this.room;
    this.desired.length = this.room;
    this.ready.length = this.room;
    if (this.active !== undefined) this.active.length = this.room;
  }
}

/** The FIFO waits of a run, as a function of the arrival level: linear on each segment. */
interface WaitSummary {
  /** The longest wait. */
  readonly maxWait: number;
  /** Arrival time during which the wait exceeded the latency target (0 without one). */
  readonly late: number;
  /** Items over all segments. */
  readonly total: number;
  /** Items of the segments that do not wait at all. */
  readonly zero: number;
  /**
   * The segments that wait (the first `count`): items in each, and the wait at its start and end, in single
   * precision (12 bytes a segment: a long run has tens of millions; the percentile moves by about 1e-7 of itself).
   */
  readonly count: number;
  readonly weight: Float32Array;
  readonly w0: Float32Array;
  readonly w1: Float32Array;
}

/**
 * The cumulative arrival, departure and capacity curves, piecewise linear between breakpoints.
 */
class Curves {
  /** Breakpoints in use (the arrays below have room for more); the first is at time 0 with all curves at 0. */
  private size = 1;
  private time: Float64Array;
  private arrived: Float64Array;
  private served: Float64Array;
  private capacity: Float64Array;
  /** The curves at the time of the last `sample`. */
  public sampledArrived = 0;
  public sampledServed = 0;
  public sampledCapacity = 0;
  /** The curves at the start and end of the window of the last `sampleWindow`, and departures at its last second. */
  public arrivedAtStart = 0;
  public servedAtStart = 0;
  public capacityAtStart = 0;
  public arrivedAtEnd = 0;
  public servedAtEnd = 0;
  public capacityAtEnd = 0;
  public servedAtLastSecond = 0;

  /** @param expectedSize breakpoints to make room for (bounded by the run size limits; the curves grow beyond it if needed) */
  constructor(expectedSize: number) {
    const room = Math.max(16, Math.ceil(expectedSize));
    this.time = new Float64Array(room);
    this.arrived = new Float64Array(room);
    this.served = new Float64Array(room);
    this.capacity = new Float64Array(room);
  }

  /** Extends the curves to `until` with constant arrival, service and capacity rates. */
  public advance(until: number, arrivalRate: number, serviceRate: number, capacityRate: number): void {
    const last = this.size - 1;
    const span = until - this.time[last];
    if (span <= 0) return;
    if (this.size === this.time.length) this.grow();
    const arrived = this.arrived[last] + arrivalRate * span;
    this.time[this.size] = until;
    this.arrived[this.size] = arrived;
    this.served[this.size] = Math.min(this.served[last] + serviceRate * span, arrived);
    this.capacity[this.size] = this.capacity[last] + capacityRate * span;
    this.size++;
  }

  public arrivedAt(t: number): number {
    return this.valueAt(this.arrived, t);
  }

  public servedAt(t: number): number {
    return this.valueAt(this.served, t);
  }

  /** The three curves at `t` (one search for all), into `sampledArrived`, `sampledServed`, `sampledCapacity`. */
  public sample(t: number): void {
    const time = this.time;
    const last = this.size - 1;
    if (t >= time[last] || t <= 0) {
      const i = t >= time[last] ? last : 0;
      this.sampledArrived = this.arrived[i];
      this.sampledServed = this.served[i];
      this.sampledCapacity = this.capacity[i];
      return;
    }
    const lo = this.pieceOf(t);
    const f = (t - time[lo]) / (time[lo + 1] - time[lo]);
    const arrived = this.arrived;
    const served = this.served;
    const capacity = this.capacity;
    this.sampledArrived = arrived[lo] + (arrived[lo + 1] - arrived[lo]) * f;
    this.sampledServed = served[lo] + (served[lo + 1] - served[lo]) * f;
    this.sampledCapacity = capacity[lo] + (capacity[lo + 1] - capacity[lo]) * f;
  }

  /**
   * What a metric window needs in one call: the three curves at `start` and `end` (fields `...AtStart`,
   * `...AtEnd`) and departures at `lastSecond`, with the values `sample` and `servedAt` give.
   */
  public sampleWindow(start: number, end: number, lastSecond: number): void {
    const time = this.time;
    const arrived = this.arrived;
    const served = this.served;
    const capacity = this.capacity;
    const last = this.size - 1;
    const lastTime = time[last];
    if (end >= lastTime || end <= 0) {
      const i = end >= lastTime ? last : 0;
      this.arrivedAtEnd = arrived[i];
      this.servedAtEnd = served[i];
      this.capacityAtEnd = capacity[i];
    } else {
      const lo = this.pieceOf(end);
      const f = (end - time[lo]) / (time[lo + 1] - time[lo]);
      this.arrivedAtEnd = arrived[lo] + (arrived[lo + 1] - arrived[lo]) * f;
      this.servedAtEnd = served[lo] + (served[lo + 1] - served[lo]) * f;
      this.capacityAtEnd = capacity[lo] + (capacity[lo + 1] - capacity[lo]) * f;
    }
    if (start >= lastTime || start <= 0) {
      const i = start >= lastTime ? last : 0;
      this.arrivedAtStart = arrived[i];
      this.servedAtStart = served[i];
      this.capacityAtStart = capacity[i];
    } else {
      const lo = this.pieceOf(start);
      const f = (start - time[lo]) / (time[lo + 1] - time[lo]);
      this.arrivedAtStart = arrived[lo] + (arrived[lo + 1] - arrived[lo]) * f;
      this.servedAtStart = served[lo] + (served[lo + 1] - served[lo]) * f;
      this.capacityAtStart = capacity[lo] + (capacity[lo + 1] - capacity[lo]) * f;
    }
    if (lastSecond >= lastTime || lastSecond <= 0) {
      this.servedAtLastSecond = served[lastSecond >= lastTime ? last : 0];
    } else {
      const lo = this.pieceOf(lastSecond);
      this.servedAtLastSecond = served[lo] + (served[lo + 1] - served[lo]) * ((lastSecond - time[lo]) / (time[lo + 1] - time[lo]));
    }
  }

  /**
   * The FIFO wait of an item arriving at each of the first `n` of `times` (ascending): the item that brings
   * the arrivals to level L leaves when departures first reach L (`end` if they never do).
   */
  public waitsAt(times: ArrayLike<number>, n: number, end: number): Float64Array {
    const waits = new Float64Array(n);
    const time = this.time;
    const arrived = this.arrived;
    const served = this.served;
    const last = this.size - 1;
    const lastTime = time[last];
    const totalServed = served[last];
    let piece = 0; // arrival piece of the previous time: times only grow
    let first = 0; // first departure index of the previous level: levels only grow
    for (let k = 0; k < n; k++) {
      const t = times[k];
      // The arrivals at t.
      let level: number;
      if (t >= lastTime) {
        level = arrived[last];
      } else if (t <= 0) {
        level = arrived[0];
      } else {
        let lo = piece;
        for (let steps = 0; lo + 1 < last && time[lo + 1] <= t && steps < 16; steps++) lo++;
        if (!(time[lo] <= t && t < time[lo + 1])) lo = this.bisect(t, 0, last);
        piece = lo;
        level = arrived[lo] + (arrived[lo + 1] - arrived[lo]) * ((t - time[lo]) / (time[lo + 1] - time[lo]));
      }
      // When departures first reach it (comparisons for min and max: all values are finite, none is -0).
      const threshold = level - 1e-9 * (level > 1 ? level : 1);
      let departure: number;
      if (totalServed < threshold) {
        departure = end;
      } else {
        // The first index whose departures reach the threshold: from the previous one when every index
        // before it is below the threshold, else by bisection.
        let lo = first;
        if (lo > 0 && served[lo - 1] >= threshold) lo = 0;
        for (let steps = 0; served[lo] < threshold && steps < 16; steps++) lo++;
        if (served[lo] < threshold) {
          let hi = last;
          while (lo < hi) {
            const mid = Math.floor((lo + hi) / 2);
            if (served[mid] >= threshold) hi = mid; else lo = mid + 1;
          }
        }
        first = lo;
        if (lo === 0) {
          departure = time[0];
        } else {
          const d0 = served[lo - 1];
          const share = (level - d0) / (served[lo] - d0);
          departure = time[lo - 1] + (time[lo] - time[lo - 1]) * (share < 1 ? (share > 0 ? share : 0) : 1);
        }
      }
      const wait = departure - t;
      waits[k] = wait > 0 ? wait : 0;
    }
    return waits;
  }

  /**
   * The wait as a function of the arrival level, cut where either curve bends: linear on each segment.
   * Items still queued at the end wait until `end` (a lower bound). Keeps only the segments that wait.
   */
  public waitSummary(end: number, latencyTarget: number | undefined): WaitSummary {
    const { time, arrived, served } = this;
    const m = this.size;
    // Segments end where either curve bends: at most two per breakpoint. Unwritten room never becomes resident.
    const room = 2 * m + 2;
    const weight = new Float32Array(room);
    const w0s = new Float32Array(room);
    const w1s = new Float32Array(room);
    let count = 0;
    let maxWait = 0;
    let late = 0;
    let total = 0;
    let zero = 0;
    const totalServed = served[m - 1];
    let ia = 0; // arrival piece [ia, ia + 1]
    let id = 0; // departure piece [id, id + 1]
    let level = 0;
    const top = arrived[m - 1];
    const stop = top - 1e-12 * Math.max(1, top);
    const lastPiece = m - 2;
    // Levels are finite and never -0, so min and max are plain comparisons.
    while (level < stop) {
      while (ia < lastPiece && arrived[ia + 1] <= level) ia++;
      while (id < lastPiece && served[id + 1] <= level) id++;
      const a0 = arrived[ia];
      const a1 = arrived[ia + 1];
      // The next level where either curve bends (or the departures end).
      let nextLevel = a1 < top ? a1 : top;
      if (level < totalServed) {
        const d1 = served[id + 1];
        if (d1 > level && d1 < nextLevel) nextLevel = d1;
        if (totalServed < nextLevel) nextLevel = totalServed;
      }
      if (nextLevel <= level) {
        const bound = a1 > level ? a1 : top;
        nextLevel = top < bound ? top : bound;
      }
      if (nextLevel <= level) break;
      const items = nextLevel - level;
      if (ia === id && a1 > a0 && served[ia] === a0 && served[ia + 1] === a1 && level >= a0 && nextLevel <= a1 && nextLevel <= totalServed) {
        // No queue on this piece: both curves are the same line, so arrival and departure times coincide and
        // the wait is 0 at both ends (what the general case below computes, with less work).
        total += items;
        zero += items;
        level = nextLevel;
        continue;
      }
      // Arrival times of both levels on piece ia.
      const ta = time[ia];
      const spanA = time[ia + 1] - ta;
      const x0 = ta + spanA * (a1 > a0 ? (level - a0) / (a1 - a0) : 0);
      const x1 = ta + spanA * (a1 > a0 ? (nextLevel - a0) / (a1 - a0) : 0);
      let w0: number;
      let w1: number;
      if ((level + nextLevel) / 2 > totalServed) {
        // censored: still queued at the end
        w0 = Math.max(0, end - x0);
        w1 = Math.max(0, end - x1);
      } else {
        // Departure times of both levels on piece id (`end` past the last departure).
        const d0 = served[id];
        const d1 = served[id + 1];
        const td = time[id];
        const spanD = time[id + 1] - td;
        const y0 = level > totalServed + 1e-9 * Math.max(1, level) ? end
          : td + spanD * (d1 > d0 ? Math.min(1, Math.max(0, (level - d0) / (d1 - d0))) : 1);
        const y1 = nextLevel > totalServed + 1e-9 * Math.max(1, nextLevel) ? end
          : td + spanD * (d1 > d0 ? Math.min(1, Math.max(0, (nextLevel - d0) / (d1 - d0))) : 1);
        w0 = Math.max(0, y0 - x0);
        w1 = Math.max(0, y1 - x1);
      }
      maxWait = Math.max(maxWait, w0, w1);
      if (latencyTarget !== undefined) late += (x1 - x0) * shareAbove(w0, w1, latencyTarget);
      total += items;
      if (w0 <= 0 && w1 <= 0) {
        zero += items;
      } else {
        weight[count] = items;
        w0s[count] = w0;
        w1s[count] = w1;
        count++;
      }
      level = nextLevel;
    }
    return { maxWait, late, total, zero, count, weight, w0: w0s, w1: w1s };
  }

  /** Drops the capacity curve (read by `sample` and `sampleWindow` only) once the run no longer needs them. */
  public releaseCapacity(): void {
    this.capacity = new Float64Array(0);
  }

  /** Grows the room of the arrays by half. */
  private grow(): void {
    const bigger = (a: Float64Array): Float64Array => {
      const b = new Float64Array(Math.ceil(a.length * 1.5));
      b.set(a);
      return b;
    };
    this.time = bigger(this.time);
    this.arrived = bigger(this.arrived);
    this.served = bigger(this.served);
    this.capacity = bigger(this.capacity);
  }

  private valueAt(values: Float64Array, t: number): number {
    const time = this.time;
    const last = this.size - 1;
    if (t >= time[last]) return values[last];
    if (t <= 0) return values[0];
    const lo = this.pieceOf(t);
    return values[lo] + (values[lo + 1] - values[lo]) * ((t - time[lo]) / (time[lo + 1] - time[lo]));
  }

  /** The piece [lo, lo + 1] holding `t` (0 < t < last time). Queries are mostly near the end: search back from it. */
  private pieceOf(t: number): number {
    const time = this.time;
    let lo = this.size - 2;
    for (let steps = 0; time[lo] > t && steps < 16; steps++) lo--;
    return time[lo] > t ? this.bisect(t, 0, lo) : lo;
  }

  /** The piece holding `t`, by bisection between pieces `lo` and `hi` (time[lo] <= t < time[hi]). */
  private bisect(t: number, lo: number, hi: number): number {
    const time = this.time;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (time[mid] <= t) lo = mid; else hi = mid;
    }
    return lo;
  }
}

/** The share of a linear ramp from w0 to w1 that lies above `target`. */
function shareAbove(w0: number, w1: number, target: number): number {
  const lo = Math.min(w0, w1);
  const hi = Math.max(w0, w1);
  if (lo > target) return 1;
  if (hi <= target) return 0;
  return (hi - target) / (hi - lo);
}

/** The share of a linear ramp from w0 to w1 that lies at or below `v`. */
function shareAtMost(w0: number, w1: number, v: number): number {
  const lo = Math.min(w0, w1);
  const hi = Math.max(w0, w1);
  if (hi <= v) return 1;
  if (lo > v) return 0;
  return (v - lo) / (hi - lo);
}

/**
 * The smallest wait v such that items waiting at most v make up `q` of all items: bisection on the CDF,
 * over the segments that wait at all (usually a small share of the run).
 */
function weightedPercentile(waits: WaitSummary, q: number): number {
  const { total, zero, count, weight, w0, w1 } = waits;
  const max = waits.maxWait;
  const needed = q * total * (1 - 1e-12);
  if (total <= 0 || max <= 0 || zero >= needed) return 0;
  const cdf = (v: number): number => {
    let covered = zero;
    for (let k = 0; k < count; k++) covered += weight[k] * shareAtMost(w0[k], w1[k], v);
    return covered;
  };
  let lo = 0;
  let hi = max;
  for (let i = 0; i < 50 && hi - lo > 1e-9 * max; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) >= needed) hi = mid; else lo = mid;
  }
  return hi;
}
