import { ColdStartTracker } from './cold-starts';
import { HpaController, HpaControllerOptions } from './hpa-controller';
import { CONDITION_BASED_SINCE_MINOR } from './hpa-scale-to-zero';
import { checkHpaSpec } from './hpa-spec-check';
import { checkRunSize } from './limits';
import { MetricReader, Observer, ObserverKind } from './metric-reader';
import { MetricScope, observerOf, queryScope, SignalRecognizer } from './metric-signals';
import { kubernetesTargetOf } from './options-check';
import { Curves, weightedPercentile } from './queue-curves';
import { ReplicaSet } from './replica-set';
import { RequestHolder } from './request-holder';
import { RowBuffer } from './row-buffer';
import { ScaledObjectController } from './scaled-object-controller';
import { checkScaledObject } from './scaled-object-spec-check';
import { ServiceModel, serviceModelOf } from './service-model';
import { MetricSignal, SimulationProps, SimulationResult } from './simulation-types';
import { FeatureGate } from '../kubernetes/feature-gate';
import { KubernetesTarget } from '../kubernetes/kubernetes-target';
import { fail } from '../validate/check';

export class Simulation {
  private readonly hpa?: HpaController;
  private readonly keda?: ScaledObjectController;
  private readonly hpaObservers: Observer[] = [];
  private readonly triggerObservers: Observer[] = [];
  /** What the real cluster would not do as simulated (`SimulationSummary.warnings`). */
  private readonly warnings: string[] = [];
  /** Capacity, concurrency and service time of one replica. */
  private readonly service: ServiceModel;

  /**
   * `props` have passed `simulationPropsShape()` (but for the autoscaler found in manifests); `site` names the
   * entry point in errors, `optionsPrefix` comes before option names in them (`options.`), `autoscalerProp` names
   * the autoscaler when it does not come from the props, `containerNames` are the workload's containers and
   * `serverMetrics` its `ml-autoscaling.io/server-metrics` annotation (series by catalog signal), if known.
   */
  constructor(private readonly props: SimulationProps, site: string, optionsPrefix: string, autoscalerProp?: string,
    private readonly containerNames?: string[], serverMetrics?: { readonly [signal: string]: string }, inputWarnings: string[] = []) {
    this.warnings.push(...inputWarnings);
    const holding = props.requestHolding;
    if (holding?.enabled === false && holding.timeoutSeconds !== undefined) {
      fail({ scope: site, prop: `${optionsPrefix}requestHolding.timeoutSeconds` }, holding.timeoutSeconds,
        'is given with requestHolding.enabled false: without a holder nothing is held, so nothing waits for a timeout',
        'leave timeoutSeconds out for "no holder", or set enabled true (or leave it out) to hold requests that long');
    }
    const hasHpa = props.horizontalPodAutoscaler !== undefined && props.horizontalPodAutoscaler !== null;
    const hasKeda = props.scaledObject !== undefined && props.scaledObject !== null;
    if (hasHpa === hasKeda) {
      fail({ scope: site, prop: hasHpa ? 'scaledObject' : 'horizontalPodAutoscaler' }, hasHpa ? props.scaledObject : undefined,
        'give exactly one of horizontalPodAutoscaler and scaledObject', hasHpa ? 'leave scaledObject out' : 'pass horizontalPodAutoscaler or scaledObject');
    }
    this.service = serviceModelOf(props, site, optionsPrefix);
    const signals = props.signals ?? {};
    const recognizer = new SignalRecognizer(signals, serverMetrics, this.warnings);
    const memoryPercent = props.memoryUtilizationPercent ?? 50;
    const observer = (kind: ObserverKind, value = 0): Observer => ({ kind, value });
    const resource = (name: string, averageValue: boolean): Observer => {
      if (name === 'memory' && signals.memory === undefined) {
        const bytes = props.memoryRequestBytes ?? 1024 ** 3;
        return observer(ObserverKind.CONSTANT, averageValue ? (memoryPercent / 100) * bytes : memoryPercent);
      }
      const recognized = recognizer.byName([name], name === 'cpu' ? 'cpu' : name, `resource ${name}`);
      const base = observerOf(recognized, MetricScope.POD);
      if (!averageValue || recognized.signal !== MetricSignal.BUSY_PERCENT || recognized.fraction) return base;
      return observer(ObserverKind.BUSY_CORES, props.cpuRequestCores ?? 1);
    };

    const { options: hpaOptions, target } = this.hpaOptionsOf(site, optionsPrefix);

    if (hasHpa) {
      // Checked here for the entry point and the prop, then by the controller for itself.
      const spec: any = checkHpaSpec(site, autoscalerProp ?? 'horizontalPodAutoscaler', props.horizontalPodAutoscaler);
      const min = spec.minReplicas ?? 1;
      // initialReplicas 0 for an HPA with minReplicas 0: a target the HPA parked at zero (the condition exists from 1.36).
      const parked = props.initialReplicas === 0 && min === 0 && hpaOptions.scaledToZero === undefined
        && target.minor >= CONDITION_BASED_SINCE_MINOR;
      this.hpa = new HpaController(props.horizontalPodAutoscaler, parked ? { ...hpaOptions, scaledToZero: true } : hpaOptions);
      const metrics: any[] = Array.isArray(spec.metrics) && spec.metrics.length > 0 ? spec.metrics
        : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
      metrics.forEach((m, i) => {
        this.hpaObservers.push(this.observerForHpaMetric(m, recognizer, resource, `HPA metric ${i + 1}`));
        this.warnUnreadable(m, `HPA metric ${i + 1}`);
      });
      this.warnAtZero(metrics, min, target);
    } else {
      const spec = checkScaledObject(site, autoscalerProp ?? 'scaledObject', props.scaledObject).spec;
      this.keda = new ScaledObjectController(props.scaledObject);
      this.hpa = this.keda.createHpaController(hpaOptions);
      (spec.triggers as any[]).forEach((t, i) => {
        const md = t.metadata;
        if (t.type === 'cpu' || t.type === 'memory') {
          this.triggerObservers.push(resource(t.type, (t.metricType ?? md.type ?? 'Utilization') !== 'Utilization'));
          return;
        }
        const names = [t.name, md.metricName, t.type];
        const label = `trigger ${i + 1} (${t.type})`;
        if (t.type === 'rabbitmq' && md.mode === 'MessageRate') {
          this.triggerObservers.push(observerOf(recognizer.byName(names, 'rate', label), MetricScope.TOTAL));
        } else if (['prometheus', 'metrics-api', 'datadog', 'new-relic', 'aws-cloudwatch'].includes(t.type)) {
          const guessText = `${md.metricName ?? ''} ${md.query ?? ''} ${t.name ?? ''}`;
          const recognized = typeof md.query === 'string' ? recognizer.byQuery(names, md.query, guessText, label)
            : recognizer.byName(names, guessText, label);
          // a PromQL query says by its outermost aggregation whether it returns a pod's value or a sum over pods
          this.triggerObservers.push(observerOf(recognized, queryScope(md.query)));
        } else {
          // Brokers count messages being processed too (unacknowledged, in flight, uncommitted), except Redis lists.
          const explicit = recognizer.explicit(names);
          const signal = explicit ?? (String(t.type).startsWith('redis') ? MetricSignal.QUEUE_DEPTH : MetricSignal.BACKLOG);
          this.triggerObservers.push(observerOf({ signal, fraction: false }, MetricScope.TOTAL));
        }
      });
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

  /**
   * The HPA controller's options: `hpaOptions` with the cluster's `kubernetesVersion` and `featureGates`
   * (given either there or on the simulation, not both), and the cluster they describe.
   */
  private hpaOptionsOf(site: string, optionsPrefix: string): { options: HpaControllerOptions; target: KubernetesTarget } {
    const p = this.props;
    const own = p.hpaOptions ?? {};
    for (const key of ['kubernetesVersion', 'featureGates'] as const) {
      if (p[key] !== undefined && own[key] !== undefined) {
        fail({ scope: site, prop: `${optionsPrefix}hpaOptions.${key}` }, own[key], `is given twice (also as ${optionsPrefix}${key})`,
          `give ${key} once: ${optionsPrefix}${key} (the cluster's) or ${optionsPrefix}hpaOptions.${key}`);
      }
    }
    // Resolved here so that a gate rule names the option as the caller gave it.
    if (p.kubernetesVersion === undefined && p.featureGates === undefined) {
      return { options: own, target: kubernetesTargetOf(site, `${optionsPrefix}hpaOptions.`, own.kubernetesVersion, own.featureGates) };
    }
    return {
      options: { ...own, kubernetesVersion: p.kubernetesVersion, featureGates: p.featureGates },
      target: kubernetesTargetOf(site, optionsPrefix, p.kubernetesVersion, p.featureGates),
    };
  }

  /** Warns about an HPA at zero replicas the real cluster would refuse or never wake. */
  private warnAtZero(metrics: any[], min: number, target: KubernetesTarget): void {
    const objectOrExternal = metrics.some(m => m?.type === 'Object' || m?.type === 'External');
    if (min === 0 && !target.isEnabled(FeatureGate.HPA_SCALE_TO_ZERO)) {
      this.warnings.push(`HPA minReplicas 0: the API server of ${target} rejects it without the HPAScaleToZero feature gate ` +
        '(on by default from 1.37); simulated as if accepted. Fix: if the cluster runs 1.37 or later, say so (kubernetesVersion, ' +
        '--kubernetes-version); if it enables the gate, say that (featureGates, --feature-gates); else use minReplicas 1, or a KEDA ' +
        'ScaledObject to scale to zero.');
    }
    if (min === 0 && !objectOrExternal) {
      this.warnings.push('HPA minReplicas 0 without an Object or External metric: the API server rejects it, and at zero pods ' +
        'Resource and Pods metrics have no samples, so the HPA could not scale the target back up. Fix: add an External metric ' +
        '(e.g. the queue length) or an Object metric.');
    }
    if (this.props.initialReplicas === 0 && !this.hpa!.scalesFromZero) {
      this.warnings.push(`initialReplicas 0: the HPA does not scale this target up from zero replicas (${min > 0
        ? `minReplicas ${min}: a target at zero was scaled down by hand, and the HPA leaves it there (ScalingDisabled)`
        : `not with ${target}`}), so the run stays at zero. Fix: start with at least one replica.`);
    }
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

  private observerForHpaMetric(m: any, recognizer: SignalRecognizer, resource: (name: string, averageValue: boolean) => Observer,
    label: string): Observer {
    switch (m?.type) {
      case 'Resource':
      case 'ContainerResource': {
        const src = m.type === 'Resource' ? m.resource : m.containerResource;
        return resource(String(src?.name), src?.target?.averageValue !== undefined && src?.target?.averageValue !== null);
      }
      case 'Pods': {
        const name = m.pods?.metric?.name;
        return observerOf(recognizer.byName([name], String(name ?? ''), label), MetricScope.POD);
      }
      case 'Object': {
        const name = m.object?.metric?.name;
        return observerOf(recognizer.byName([name], String(name ?? ''), label), MetricScope.TOTAL);
      }
      default: {
        const name = m?.external?.metric?.name;
        return observerOf(recognizer.byName([name], String(name ?? ''), label), MetricScope.TOTAL);
      }
    }
  }

  public run(): SimulationResult {
    const p = this.props;
    const trace = p.trace;
    const end = trace.durationSeconds;
    const capacity = this.service.capacity;
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
    // The request holder, if modelled (`requestHolding`): without it the run is as before, bit for bit.
    const holding = p.requestHolding;
    const holder = holding !== undefined
      ? new RequestHolder(times, rates, holding.enabled !== false, holding.timeoutSeconds ?? Infinity) : undefined;
    const curves = new Curves(2 * events + 64 + (holder !== undefined ? 2 * trace.pointCount : 0), holder !== undefined);
    const reader = new MetricReader(curves, p.metricLagSeconds ?? 0, window, capacity, trace.rateAt(0), this.service.concurrency);
    // The observations of one sync or poll: one array, refilled each time (the controllers do not keep it).
    const observers = keda ? this.triggerObservers : this.hpaObservers;
    const observations: number[] = observers.map(() => 0);
    // An HPA starts with at least one replica (it scales a target up from zero only after parking it there itself).
    const replicaSet = new ReplicaSet(p.initialReplicas ?? (keda ? keda.minReplicaCount : Math.max(1, hpa.minReplicas)), coldStart);
    const coldStarts = new ColdStartTracker();
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
      // While no pod is ready, held items fail at a rate that changes where the arrivals a timeout ago do.
      if (holder !== undefined && replicaSet.ready === 0) {
        const bend = holder.nextBreak(t);
        if (bend < next) next = bend;
      }
      if (next <= t + 1e-9) next = t + 1e-6; // guard against float stalls

      const cap = replicaSet.ready * capacity;
      const span = next - t;
      coldStarts.step(t, next, replicaSet.ready, rate, queue);
      const failFrom = holder !== undefined ? holder.step(t, next, replicaSet.ready, rate, queue) : next;
      if (holder !== undefined && holder.failRate > 0) {
        // No pod ready: nothing is served, held items fail from `failFrom` on (all arrivals at once without a holder).
        const failRate = holder.failRate;
        if (failFrom > t) curves.advance(failFrom, rate, 0, 0);
        curves.advance(next, rate, 0, 0, failRate);
        queue = Math.max(0, queue + rate * span - failRate * (next - failFrom));
        if (queue < 1e-9) {
          queue = 0;
          curves.settle();
        }
      } else if (queue > 0 && rate < cap && queue / (cap - rate) < span) {
        const empty = t + queue / (cap - rate);
        curves.advance(empty, rate, cap, cap);
        curves.settle();
        curves.advance(next, rate, rate, cap);
        curves.settle();
        queue = 0;
      } else if (queue > 0 || rate > cap) {
        curves.advance(next, rate, cap, cap);
        queue = Math.max(0, queue + (rate - cap) * span);
        if (queue < 1e-9) {
          queue = 0;
          curves.settle();
        }
      } else {
        curves.advance(next, rate, rate, cap);
        curves.settle();
        queue = 0;
      }
      if (queue > maxQueue) maxQueue = queue;
      podSeconds += replicaSet.pods * span;
      t = next;
    }

    coldStarts.finish(end);
    holder?.finish(end);
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
        podsStarted: replicaSet.started,
        podColdStartSeconds: coldStart,
        coldStartsFromZero: coldStarts.count,
        maxTimeToFirstReadySeconds: coldStarts.maxSeconds,
        // without a holder, requests that arrive while no pod is ready fail at once: none waits
        itemsWaitedThroughColdStarts: holding?.enabled === false ? 0 : coldStarts.items,
        ...(holder !== undefined ? {
          requestsHeld: holder.held,
          requestsFailed: curves.failedAt(end),
          firstRequestWaitAfterIdleSeconds: holder.firstWaitMax,
        } : {}),
        warnings: holder !== undefined && holder.blockedSpans > 0 ? [...this.warnings, blockedWarning(holder.blockedSpans)] : [...this.warnings],
      },
    };
  }
}

/** The warning for spans at zero ready pods that began with items queued (`RequestHolder.blockedSpans`). */
function blockedWarning(spans: number): string {
  return `requestHolding: ${spans} span${spans === 1 ? '' : 's'} with no ready pod began with requests queued (the last ready pod went ` +
    'away with work in its queue): those requests were proxied, not held, so the model times out none of the requests of such ' +
    'a span (they wait FIFO behind them); in reality the queued ones fail or are retried and later ones may time out.';
}
