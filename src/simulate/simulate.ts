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
   * The model's time step in seconds (controllers act on whole multiples of their periods).
   * @default 1
   */
  readonly stepSeconds?: number;
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
    positive(props.stepSeconds, 'stepSeconds');
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
      const spec = props.horizontalPodAutoscaler.kind === 'HorizontalPodAutoscaler' ? props.horizontalPodAutoscaler.spec : props.horizontalPodAutoscaler;
      const metrics: any[] = Array.isArray(spec.metrics) && spec.metrics.length > 0 ? spec.metrics
        : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
      for (const m of metrics) this.hpaObservers.push(this.observerForHpaMetric(m, signalOf, total, perPod, resource));
    } else {
      this.keda = new ScaledObjectController(props.scaledObject);
      this.hpa = this.keda.createHpaController(props.hpaOptions);
      for (const t of props.scaledObject.spec.triggers as any[]) {
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
    const dt = p.stepSeconds ?? 1;
    const duration = trace.durationSeconds;
    const n = Math.ceil(duration / dt - 1e-9);
    const capacity = p.capacityPerReplica;
    const coldStart = p.coldStartSeconds ?? 0;
    const everySteps = (seconds: number, what: string): number => {
      const steps = Math.round(seconds / dt);
      if (steps < 1 || Math.abs(steps * dt - seconds) > 1e-9) throw new Error(`simulation: ${what}=${seconds} must be a whole multiple of stepSeconds=${dt}`);
      return steps;
    };
    const syncSteps = everySteps(p.hpaSyncPeriodSeconds ?? 15, 'hpaSyncPeriodSeconds');
    const pollSteps = this.keda ? everySteps(this.keda.pollingIntervalSeconds, 'pollingInterval') : 0;
    const outputSteps = everySteps(p.outputIntervalSeconds ?? p.hpaSyncPeriodSeconds ?? 15, 'outputIntervalSeconds');
    const lagSteps = Math.round((p.metricLagSeconds ?? 0) / dt);
    const windowSteps = Math.max(1, Math.round((p.metricWindowSeconds ?? 15) / dt));
    const gpus = p.gpusPerReplica ?? 0;
    const keda = this.keda;
    const hpa = this.hpa!;

    // Arrivals per step, integrated exactly over the piecewise-constant trace.
    const stepArrivals = new Float64Array(n);
    const points = trace.points;
    for (let k = 0; k < points.length - 1; k++) {
      const rate = points[k].arrivalsPerSecond;
      if (rate === 0) continue;
      const start = points[k].time;
      const end = points[k + 1].time;
      for (let i = Math.floor(start / dt); i < n && i * dt < end; i++) {
        const overlap = Math.min(end, (i + 1) * dt) - Math.max(start, i * dt);
        if (overlap > 0) stepArrivals[i] += overlap * rate;
      }
    }

    let pods = p.initialReplicas ?? (keda ? keda.minReplicaCount : hpa.minReplicas);
    let ready = pods;
    const pending: number[] = []; // ready times of starting pods, ascending from pendingHead
    let pendingHead = 0;
    let queue = 0;
    let active: boolean | undefined;

    const cumArrived = new Float64Array(n + 1);
    const cumServed = new Float64Array(n + 1);
    const ringServed = new Float64Array(windowSteps);
    const ringCapacity = new Float64Array(windowSteps);
    // Metric history, kept only when metrics lag behind.
    const history = lagSteps > 0
      ? { queue: new Float64Array(n), rate: new Float64Array(n), busy: new Float64Array(n), inFlight: new Float64Array(n) } : undefined;
    let inFlightNow = 0;
    let windowArrivals = 0;
    let windowServed = 0;
    let windowCapacity = 0;

    const rows: TimelinePoint[] = [];
    const rowSteps: number[] = [];
    let scaleEvents = 0;
    let podSeconds = 0;
    let peak = pods;
    let lowest = pods;
    let maxQueue = 0;

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

    for (let i = 0; i < n; i++) {
      const t = i * dt;
      while (pending.length > pendingHead && pending[pendingHead] <= t + 1e-9) {
        pendingHead++;
        ready++;
      }
      if (pendingHead > 1024 && pendingHead === pending.length) {
        pending.length = 0;
        pendingHead = 0;
      }
      const filled = Math.min(i, windowSteps);
      const rateNow = filled === 0 ? trace.rateAt(0) : windowArrivals / (filled * dt);
      const busyNow = windowCapacity > 0 ? (100 * windowServed) / windowCapacity : 0;
      if (history) {
        history.queue[i] = queue;
        history.rate[i] = rateNow;
        history.busy[i] = busyNow;
        history.inFlight[i] = inFlightNow;
      }
      const poll = keda !== undefined && i % pollSteps === 0;
      const sync = i % syncSteps === 0;
      if (poll || sync) {
        const j = i - lagSteps;
        const state: MetricState = history
          ? (j >= 0 ? { queue: history.queue[j], inFlight: history.inFlight[j], arrivalRate: history.rate[j], busyPercent: history.busy[j], ready }
            : { queue: 0, inFlight: 0, arrivalRate: history.rate[0], busyPercent: 0, ready })
          : { queue, inFlight: inFlightNow, arrivalRate: rateNow, busyPercent: busyNow, ready };
        if (poll) {
          const r = keda!.poll(t, pods, this.triggerObservers.map(o => o(state)));
          active = r.active;
          setPods(r.replicas, t);
        }
        if (sync) {
          const current: MetricState = { ...state, ready };
          const observations = keda
            ? keda.hpaObservations(this.triggerObservers.map(o => o(current)))
            : this.hpaObservers.map(o => o(current));
          setPods(hpa.sync(t, pods, observations, Math.min(ready, pods)), t);
        }
      }
      if (i % outputSteps === 0) {
        const row: TimelinePoint = {
          time: t,
          arrivalsPerSecond: trace.rateAt(t),
          desiredReplicas: pods,
          readyReplicas: ready,
          queueDepth: queue,
          utilizationPercent: busyNow,
          waitSeconds: 0,
          active,
        };
        rows.push(row);
        rowSteps.push(i);
      }

      // Flow during [t, t + dt).
      const arrivals = stepArrivals[i];
      const cap = ready * capacity * dt;
      const available = queue + arrivals;
      const served = available < cap ? available : cap;
      queue = available - served;
      inFlightNow = served / dt / capacity;
      if (queue < 1e-9) queue = 0;
      if (queue > maxQueue) maxQueue = queue;
      cumArrived[i + 1] = cumArrived[i] + arrivals;
      cumServed[i + 1] = cumServed[i] + served;
      podSeconds += pods * dt;
      const slot = i % windowSteps;
      if (i >= windowSteps) {
        windowArrivals -= stepArrivals[i - windowSteps];
        windowServed -= ringServed[slot];
        windowCapacity -= ringCapacity[slot];
      }
      ringServed[slot] = served;
      ringCapacity[slot] = cap;
      windowArrivals += arrivals;
      windowServed += served;
      windowCapacity += cap;
    }

    // FIFO waits from the cumulative arrival and departure curves (both non-decreasing): two pointers.
    const waits = new Float64Array(n);
    let k = 0;
    const endTime = n * dt;
    for (let j = 0; j < n; j++) {
      const hasArrivals = stepArrivals[j] > 0;
      const target = hasArrivals ? cumArrived[j + 1] : cumArrived[j];
      const arrivalTime = hasArrivals ? (j + 1) * dt : j * dt;
      const eps = 1e-9 * Math.max(1, target);
      if (k < j) k = j;
      while (k <= n && cumServed[k] < target - eps) k++;
      let departure: number;
      if (k > n) {
        departure = endTime; // still queued at the end: a lower bound
      } else if (k === j) {
        departure = j * dt;
      } else {
        const before = cumServed[k - 1];
        departure = (k - 1) * dt + dt * Math.min(1, Math.max(0, (target - before) / (cumServed[k] - before)));
      }
      const wait = departure - arrivalTime;
      waits[j] = wait > 0 ? wait : 0;
    }

    let totalArrivals = 0;
    let maxWait = 0;
    let late = 0;
    const latencyTarget = p.latencyTargetSeconds;
    for (let j = 0; j < n; j++) {
      if (stepArrivals[j] <= 0) continue;
      totalArrivals += stepArrivals[j];
      if (waits[j] > maxWait) maxWait = waits[j];
      if (latencyTarget !== undefined && waits[j] > latencyTarget) late += dt;
    }
    const p95 = weightedPercentile(waits, stepArrivals, 0.95, totalArrivals, maxWait);

    const timeline: TimelinePoint[] = rows.map((row, r) => {
      const out: any = { ...row, waitSeconds: waits[rowSteps[r]] };
      if (!keda) delete out.active;
      return out as TimelinePoint;
    });
    return {
      timeline,
      summary: {
        durationSeconds: duration,
        itemsArrived: cumArrived[n],
        itemsServed: cumServed[n],
        itemsQueuedAtEnd: queue,
        maxQueueDepth: maxQueue,
        maxQueueWaitSeconds: maxWait,
        p95QueueWaitSeconds: p95,
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

/**
 * The smallest wait w such that items waiting at most w make up `q` of all items. A histogram over the
 * range narrows down the answer in linear passes (no sort of the whole run), to a fraction of a millisecond.
 */
function weightedPercentile(values: Float64Array, weights: Float64Array, q: number, totalWeight: number, max: number): number {
  if (totalWeight <= 0 || max <= 0) return 0;
  const needed = q * totalWeight * (1 - 1e-12);
  const buckets = 1024;
  const histogram = new Float64Array(buckets);
  let lo = 0;
  let hi = max;
  let below = 0; // weight of values < lo
  for (let pass = 0; pass < 6 && hi - lo > 1e-6; pass++) {
    histogram.fill(0);
    const width = (hi - lo) / buckets;
    for (let i = 0; i < values.length; i++) {
      const w = weights[i];
      if (w <= 0) continue;
      const v = values[i];
      if (v < lo || v > hi) continue;
      histogram[Math.min(buckets - 1, Math.floor((v - lo) / width))] += w;
    }
    let covered = below;
    let b = 0;
    for (; b < buckets - 1; b++) {
      if (covered + histogram[b] >= needed) break;
      covered += histogram[b];
    }
    below = covered;
    const newLo = lo + b * width;
    hi = b === buckets - 1 ? hi : lo + (b + 1) * width;
    lo = newLo;
  }
  // The smallest actual value in [lo, hi].
  let best = hi;
  for (let i = 0; i < values.length; i++) {
    if (weights[i] > 0 && values[i] >= lo && values[i] < best) best = values[i];
  }
  return best;
}
