import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { HpaController, HpaControllerOptions } from './hpa-controller';
import { ManifestInput } from './manifest-input';
import { ScaledObjectController } from './scaled-object-controller';
import { DemandTrace } from './trace';

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

/** Reads a signal from the model state at one time. */
interface MetricState {
  readonly queue: number;
  /** Items in service: the completion rate times the service time (Little's law, one item per busy replica). */
  readonly inFlight: number;
  readonly arrivalRate: number;
  readonly busyPercent: number;
  readonly ready: number;
}

type Observer = (state: MetricState) => number;

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
    return new Simulation(props).run();
  }

  /**
   * Simulates the autoscaler of workload `target` found in `manifests` (e.g. `Yaml.load(file)` or
   * `Testing.synth(chart)`), reading GPUs per pod, CPU/memory requests and the model load time from the workload.
   */
  public static fromManifests(manifests: any[], target: string, options: SimulationOptions): SimulationResult {
    const found = ManifestInput.findTarget(manifests, target);
    const scaledObject = found.scaledObject;
    const hpa = found.horizontalPodAutoscaler;
    return Simulator.run({
      ...options,
      horizontalPodAutoscaler: hpa,
      scaledObject,
      gpusPerReplica: found.gpusPerReplica,
      cpuRequestCores: found.cpuRequestCores > 0 ? found.cpuRequestCores : undefined,
      memoryRequestBytes: found.memoryRequestBytes > 0 ? found.memoryRequestBytes : undefined,
      coldStartSeconds: options.coldStartSeconds ?? found.modelLoadSeconds ?? found.readinessDelaySeconds ?? 0,
    });
  }

  /**
   * Simulates a construct as it will be deployed: e.g. a `GpuInferenceService`, `HybridMlService` or a
   * consumer-mode `QueueBatchWorker`. Reads the rendered objects of its chart (what `cdk8s synth`
   * writes) and simulates the autoscaler of the construct's workload (its `Resource` child).
   */
  public static fromConstruct(construct: IConstruct, options: SimulationOptions): SimulationResult {
    const workload = ApiObject.of(construct);
    const manifests = Chart.of(construct).node.findAll()
      .filter(c => ApiObject.isApiObject(c))
      .map(c => (c as ApiObject).toJson());
    return Simulator.fromManifests(manifests, workload.name, options);
  }
}

/** Guesses what a metric measures from its name. */
function guessSignal(text: string): MetricSignal {
  const t = text.toLowerCase();
  if (/util|gpu|busy|duty|saturation|cpu/.test(t)) return MetricSignal.BUSY_PERCENT;
  if (/rate|rps|qps|per_?second|requests|throughput|arrival/.test(t)) return MetricSignal.ARRIVAL_RATE;
  return MetricSignal.QUEUE_DEPTH;
}

function positive(value: number | undefined, what: string, allowZero = false): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new Error(`simulation: ${what}=${value} must be a number ${allowZero ? '>= 0' : '> 0'}`);
  }
}

class Simulation {
  private readonly hpa?: HpaController;
  private readonly keda?: ScaledObjectController;
  private readonly hpaObservers: Observer[] = [];
  private readonly triggerObservers: Observer[] = [];

  constructor(private readonly props: SimulationProps) {
    const hasHpa = props.horizontalPodAutoscaler !== undefined && props.horizontalPodAutoscaler !== null;
    const hasKeda = props.scaledObject !== undefined && props.scaledObject !== null;
    if (hasHpa === hasKeda) throw new Error('simulation: give exactly one of horizontalPodAutoscaler and scaledObject');
    positive(props.capacityPerReplica, 'capacityPerReplica');
    positive(props.coldStartSeconds, 'coldStartSeconds', true);
    positive(props.hpaSyncPeriodSeconds, 'hpaSyncPeriodSeconds');
    positive(props.metricLagSeconds, 'metricLagSeconds', true);
    positive(props.metricWindowSeconds, 'metricWindowSeconds');
    positive(props.latencyTargetSeconds, 'latencyTargetSeconds', true);
    positive(props.outputIntervalSeconds, 'outputIntervalSeconds');
    positive(props.gpusPerReplica, 'gpusPerReplica', true);
    if (props.initialReplicas !== undefined && (!Number.isInteger(props.initialReplicas) || props.initialReplicas < 0)) {
      throw new Error(`simulation: initialReplicas=${props.initialReplicas} must be an integer >= 0`);
    }

    const signals = props.signals ?? {};
    const memoryPercent = props.memoryUtilizationPercent ?? 50;
    const signalOf = (names: Array<string | undefined>, guessFrom: string): MetricSignal => {
      for (const n of names) if (n !== undefined && signals[n] !== undefined) return signals[n];
      return guessSignal(guessFrom);
    };
    const total = (signal: MetricSignal): Observer => {
      switch (signal) {
        case MetricSignal.QUEUE_DEPTH: return s => s.queue;
        case MetricSignal.BACKLOG: return s => s.queue + s.inFlight;
        case MetricSignal.ARRIVAL_RATE: return s => s.arrivalRate;
        default: return s => s.busyPercent;
      }
    };
    const perPod = (signal: MetricSignal): Observer => {
      switch (signal) {
        case MetricSignal.QUEUE_DEPTH: return s => (s.ready > 0 ? s.queue / s.ready : 0);
        case MetricSignal.BACKLOG: return s => (s.ready > 0 ? (s.queue + s.inFlight) / s.ready : 0);
        case MetricSignal.ARRIVAL_RATE: return s => (s.ready > 0 ? s.arrivalRate / s.ready : 0);
        default: return s => s.busyPercent;
      }
    };
    const resource = (name: string, averageValue: boolean): Observer => {
      if (name === 'memory' && signals.memory === undefined) {
        const bytes = props.memoryRequestBytes ?? 1024 ** 3;
        return averageValue ? () => (memoryPercent / 100) * bytes : () => memoryPercent;
      }
      const signal = signalOf([name], name === 'cpu' ? 'cpu' : name);
      const base = perPod(signal);
      if (!averageValue || signal !== MetricSignal.BUSY_PERCENT) return base;
      const cores = props.cpuRequestCores ?? 1;
      return s => (s.busyPercent / 100) * cores;
    };

    if (hasHpa) {
      this.hpa = new HpaController(props.horizontalPodAutoscaler, props.hpaOptions);
      const raw = props.horizontalPodAutoscaler;
      const spec = raw.kind === 'HorizontalPodAutoscaler' || (raw.spec && raw.maxReplicas === undefined) ? raw.spec : raw;
      const metrics: any[] = Array.isArray(spec.metrics) && spec.metrics.length > 0 ? spec.metrics
        : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
      for (const m of metrics) this.hpaObservers.push(this.observerForHpaMetric(m, signalOf, total, perPod, resource));
    } else {
      this.keda = new ScaledObjectController(props.scaledObject);
      this.hpa = this.keda.createHpaController(props.hpaOptions);
      for (const t of (props.scaledObject.spec ?? props.scaledObject).triggers as any[]) {
        const md = t.metadata ?? {};
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
    const lag = p.metricLagSeconds ?? 0;
    const window = p.metricWindowSeconds ?? 15;
    const gpus = p.gpusPerReplica ?? 0;
    const keda = this.keda;
    const hpa = this.hpa!;
    const points = trace.points;
    const curves = new Curves();

    let pods = p.initialReplicas ?? (keda ? keda.minReplicaCount : hpa.minReplicas);
    let ready = pods;
    const pending: number[] = []; // ready times of starting pods, ascending from pendingHead
    let pendingHead = 0;
    let active: boolean | undefined;
    let scaleEvents = 0;
    let podSeconds = 0;
    let peak = pods;
    let lowest = pods;
    const rows: TimelinePoint[] = [];

    const setPods = (next: number, now: number): void => {
      if (next === pods) return;
      scaleEvents++;
      if (next > pods) {
        for (let k = pods; k < next; k++) {
          if (coldStart <= 0) ready++; else pending.push(now + coldStart);
        }
      } else {
        let remove = pods - next;
        while (remove > 0 && pending.length > pendingHead) {
          pending.pop(); // the newest starting pod goes first
          remove--;
        }
        ready -= remove;
      }
      pods = next;
      if (pods > peak) peak = pods;
      if (pods < lowest) lowest = pods;
    };
    /** What a controller reading metrics at `now` sees (metrics `lag` seconds old). */
    const metricState = (now: number): MetricState => {
      const at = now - lag;
      if (at < 0) return { queue: 0, inFlight: 0, arrivalRate: trace.rateAt(0), busyPercent: 0, ready };
      const from = Math.max(0, at - window);
      const span = at - from;
      const capacityInWindow = curves.capacityAt(at) - curves.capacityAt(from);
      const servedInWindow = curves.servedAt(at) - curves.servedAt(from);
      const lastSecond = Math.max(0, at - 1);
      return {
        queue: Math.max(0, curves.arrivedAt(at) - curves.servedAt(at)),
        inFlight: at > 0 ? (curves.servedAt(at) - curves.servedAt(lastSecond)) / (at - lastSecond) / capacity : 0,
        arrivalRate: span > 0 ? (curves.arrivedAt(at) - curves.arrivedAt(from)) / span : trace.rateAt(0),
        busyPercent: capacityInWindow > 0 ? (100 * servedInWindow) / capacityInWindow : 0,
        ready,
      };
    };

    // Event-driven: between two events (sync, poll, output, trace step, pod ready) demand and capacity are
    // constant, so the fluid queue moves linearly (with at most one kink, when it empties).
    let t = 0;
    let syncCount = 0;
    let pollCount = 0;
    let outputCount = 0;
    let seg = 0;
    let queue = 0;
    let maxQueue = 0;
    while (t < end - 1e-9) {
      while (pending.length > pendingHead && pending[pendingHead] <= t + 1e-9) {
        pendingHead++;
        ready++;
      }
      if (pendingHead > 1024 && pendingHead === pending.length) {
        pending.length = 0;
        pendingHead = 0;
      }
      while (seg < points.length - 2 && points[seg + 1].time <= t + 1e-9) seg++;
      const poll = pollPeriod !== undefined && Math.abs(pollCount * pollPeriod - t) < 1e-9;
      const sync = Math.abs(syncCount * syncPeriod - t) < 1e-9;
      if (poll || sync) {
        const state = metricState(t);
        if (poll) {
          const r = keda!.poll(t, pods, this.triggerObservers.map(o => o(state)));
          active = r.active;
          setPods(r.replicas, t);
          pollCount++;
        }
        if (sync) {
          const current: MetricState = poll ? { ...state, ready } : state;
          const observations = keda
            ? keda.hpaObservations(this.triggerObservers.map(o => o(current)), pods, Math.min(ready, pods))
            : this.hpaObservers.map(o => o(current));
          setPods(hpa.sync(t, pods, observations, Math.min(ready, pods)), t);
          syncCount++;
        }
      }
      if (Math.abs(outputCount * outputPeriod - t) < 1e-9) {
        const from = Math.max(0, t - window);
        const capacityInWindow = curves.capacityAt(t) - curves.capacityAt(from);
        const utilizationPercent = capacityInWindow > 0 ? (100 * (curves.servedAt(t) - curves.servedAt(from))) / capacityInWindow : 0;
        const arrivalsPerSecond = points[seg].arrivalsPerSecond;
        rows.push(keda
          ? { time: t, arrivalsPerSecond, desiredReplicas: pods, readyReplicas: ready, queueDepth: queue, utilizationPercent, waitSeconds: 0, active }
          : { time: t, arrivalsPerSecond, desiredReplicas: pods, readyReplicas: ready, queueDepth: queue, utilizationPercent, waitSeconds: 0 });
        outputCount++;
      }

      let next = Math.min(end, syncCount * syncPeriod, outputCount * outputPeriod, points[seg + 1].time);
      if (pollPeriod !== undefined) next = Math.min(next, pollCount * pollPeriod);
      if (pending.length > pendingHead) next = Math.min(next, pending[pendingHead]);
      if (next <= t + 1e-9) next = t + 1e-6; // guard against float stalls

      const rate = points[seg].arrivalsPerSecond;
      const cap = ready * capacity;
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
      podSeconds += pods * span;
      t = next;
    }

    // FIFO waits: the item that brings the arrivals to level L leaves when departures reach L.
    for (const row of rows) {
      const level = curves.arrivedAt(row.time);
      (row as { waitSeconds: number }).waitSeconds = Math.max(0, curves.departureOf(level, end) - row.time);
    }
    const waits = curves.waitSegments(end);
    const latencyTarget = p.latencyTargetSeconds;
    let maxWait = 0;
    let late = 0;
    for (let k = 0; k < waits.weight.length; k++) {
      const w0 = waits.w0[k];
      const w1 = waits.w1[k];
      maxWait = Math.max(maxWait, w0, w1);
      if (latencyTarget !== undefined) late += waits.duration[k] * shareAbove(w0, w1, latencyTarget);
    }
    const itemsArrived = curves.arrivedAt(end);
    const itemsServed = curves.servedAt(end);
    return {
      timeline: rows,
      summary: {
        durationSeconds: end,
        itemsArrived,
        itemsServed,
        itemsQueuedAtEnd: queue,
        maxQueueDepth: maxQueue,
        maxQueueWaitSeconds: maxWait,
        p95QueueWaitSeconds: weightedPercentile(waits, 0.95, maxWait),
        secondsOverLatencyTarget: late,
        latencyTargetSeconds: latencyTarget,
        replicaHours: podSeconds / 3600,
        gpuHours: (podSeconds / 3600) * gpus,
        scaleEvents,
        peakReplicas: peak,
        lowestReplicas: lowest,
      },
    };
  }
}

interface WaitSegments {
  /** Items in each segment (the level range it covers). */
  readonly weight: number[];
  /** Wait at the start and end of the segment; linear in between. */
  readonly w0: number[];
  readonly w1: number[];
  /** Arrival time the segment spans. */
  readonly duration: number[];
}

/**
 * The cumulative arrival, departure and capacity curves, piecewise linear between breakpoints.
 */
class Curves {
  private readonly time: number[] = [0];
  private readonly arrived: number[] = [0];
  private readonly served: number[] = [0];
  private readonly capacity: number[] = [0];
  private hint = 0;

  /** Extends the curves to `until` with constant arrival, service and capacity rates. */
  public advance(until: number, arrivalRate: number, serviceRate: number, capacityRate: number): void {
    const last = this.time.length - 1;
    const span = until - this.time[last];
    if (span <= 0) return;
    this.time.push(until);
    this.arrived.push(this.arrived[last] + arrivalRate * span);
    this.served.push(Math.min(this.served[last] + serviceRate * span, this.arrived[last] + arrivalRate * span));
    this.capacity.push(this.capacity[last] + capacityRate * span);
  }

  public arrivedAt(t: number): number {
    return this.valueAt(this.arrived, t);
  }

  public servedAt(t: number): number {
    return this.valueAt(this.served, t);
  }

  public capacityAt(t: number): number {
    return this.valueAt(this.capacity, t);
  }

  /** When departures first reach `level` (`end` if they never do). */
  public departureOf(level: number, end: number): number {
    const served = this.served;
    const eps = 1e-9 * Math.max(1, level);
    if (served[served.length - 1] < level - eps) return end;
    let lo = 0;
    let hi = served.length - 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (served[mid] >= level - eps) hi = mid; else lo = mid + 1;
    }
    if (lo === 0) return this.time[0];
    const d0 = served[lo - 1];
    const d1 = served[lo];
    return this.time[lo - 1] + (this.time[lo] - this.time[lo - 1]) * Math.min(1, Math.max(0, (level - d0) / (d1 - d0)));
  }

  /**
   * The wait as a function of the arrival level, cut where either curve bends: linear on each segment.
   * Items still queued at the end wait until `end` (a lower bound).
   */
  public waitSegments(end: number): WaitSegments {
    const { time, arrived, served } = this;
    const m = time.length;
    const out: WaitSegments = { weight: [], w0: [], w1: [], duration: [] };
    const totalServed = served[m - 1];
    let ia = 0; // arrival piece [ia, ia + 1]
    let id = 0; // departure piece [id, id + 1]
    let level = 0;
    const top = arrived[m - 1];
    const x = (l: number): number => {
      const a0 = arrived[ia];
      const a1 = arrived[ia + 1];
      return time[ia] + (time[ia + 1] - time[ia]) * (a1 > a0 ? (l - a0) / (a1 - a0) : 0);
    };
    const y = (l: number): number => {
      if (l > totalServed + 1e-9 * Math.max(1, l)) return end;
      const d0 = served[id];
      const d1 = served[id + 1];
      return time[id] + (time[id + 1] - time[id]) * (d1 > d0 ? Math.min(1, Math.max(0, (l - d0) / (d1 - d0))) : 1);
    };
    while (level < top - 1e-12 * Math.max(1, top)) {
      while (ia < m - 2 && arrived[ia + 1] <= level) ia++;
      while (id < m - 2 && served[id + 1] <= level) id++;
      let nextLevel = Math.min(arrived[ia + 1], top);
      if (level < totalServed && served[id + 1] > level) nextLevel = Math.min(nextLevel, served[id + 1]);
      if (level < totalServed) nextLevel = Math.min(nextLevel, Math.max(totalServed, level));
      if (nextLevel <= level) nextLevel = Math.min(top, arrived[ia + 1] > level ? arrived[ia + 1] : top);
      if (nextLevel <= level) break;
      const x0 = x(level);
      const x1 = x(nextLevel);
      const mid = (level + nextLevel) / 2;
      const censored = mid > totalServed;
      const w0 = Math.max(0, (censored ? end : y(level)) - x0);
      const w1 = Math.max(0, (censored ? end : y(nextLevel)) - x1);
      out.weight.push(nextLevel - level);
      out.w0.push(w0);
      out.w1.push(w1);
      out.duration.push(x1 - x0);
      level = nextLevel;
    }
    return out;
  }

  private valueAt(values: number[], t: number): number {
    const time = this.time;
    const last = time.length - 1;
    if (t >= time[last]) return values[last];
    if (t <= 0) return values[0];
    // Queries move forward with the run: start from the last piece found, then fall back to bisection.
    let lo = this.hint < last ? this.hint : 0;
    if (time[lo] <= t) {
      let steps = 0;
      while (lo + 1 < last && time[lo + 1] <= t && steps < 16) {
        lo++;
        steps++;
      }
    }
    if (!(time[lo] <= t && t < time[lo + 1])) {
      lo = 0;
      let hi = last;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (time[mid] <= t) lo = mid; else hi = mid;
      }
    }
    this.hint = lo;
    const t0 = time[lo];
    const t1 = time[lo + 1];
    return values[lo] + (values[lo + 1] - values[lo]) * ((t - t0) / (t1 - t0));
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
function weightedPercentile(waits: WaitSegments, q: number, max: number): number {
  let total = 0;
  let zero = 0;
  const weight: number[] = [];
  const w0: number[] = [];
  const w1: number[] = [];
  for (let k = 0; k < waits.weight.length; k++) {
    const w = waits.weight[k];
    total += w;
    if (waits.w0[k] <= 0 && waits.w1[k] <= 0) {
      zero += w;
    } else {
      weight.push(w);
      w0.push(waits.w0[k]);
      w1.push(waits.w1[k]);
    }
  }
  const needed = q * total * (1 - 1e-12);
  if (total <= 0 || max <= 0 || zero >= needed) return 0;
  const cdf = (v: number): number => {
    let covered = zero;
    for (let k = 0; k < weight.length; k++) covered += weight[k] * shareAtMost(w0[k], w1[k], v);
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
