import type { HpaControllerOptions } from './hpa-controller';
import { hpaManifestCheck } from './hpa-spec-check';
import type { ReportOptions } from './report-svg';
import type { ScaledObjectControllerOptions } from './scaled-object-controller';
import { scaledObjectManifestCheck } from './scaled-object-spec-check';
import type { MetricSignal, RequestHolding, SimulationOptions, SimulationProps, SimulationResult, SimulationSummary, TimelinePoint } from './simulation-types';
import type { DemandPoint } from './trace';
import { KubernetesTarget } from '../kubernetes/kubernetes-target';
import { KUBERNETES_TARGET_SHAPE } from '../kubernetes/kubernetes-target-check';
import {
  arrayOf, boolean, Check, enumOf, instanceOf, integer, mapOf, number, optional, Shape, string, struct,
} from '../validate/check';

/**
 * Checks of the simulator's public options (internal: the public types stay plain jsii structs).
 * Built on first use: the enums and classes they name live in modules that import this one.
 */

/** A finite number greater than 0 (rates, periods, intervals). */
function positive(fix?: string): Check {
  return number({ min: 0, exclusiveMin: true, fix });
}

/** A finite number of at least 0 (delays, counts of resources). */
function nonNegative(fix?: string): Check {
  return number({ min: 0, fix });
}

/** `HpaControllerOptions`. */
export const HPA_CONTROLLER_OPTIONS: Shape<HpaControllerOptions> = {
  downscaleStabilizationSeconds: optional(number({ min: 0, max: 3600, fix: 'use whole or fractional seconds in 0..3600 (the flag defaults to 300)' })),
  tolerance: optional(number({ min: 0, max: 1, fix: 'use a ratio in 0..1, e.g. 0.1 (the flag\'s default)' })),
  kubernetesVersion: KUBERNETES_TARGET_SHAPE.version,
  featureGates: KUBERNETES_TARGET_SHAPE.featureGates,
  scaledToZero: optional(boolean()),
};

/**
 * The target of a `kubernetesVersion` and `featureGates` pair of options (both checked by their shape
 * already), with the gate rules of `KubernetesTarget` (a gate that does not exist yet, or is locked)
 * reported on `scope` and `prefix` + the option's name rather than on `KubernetesTarget.forVersion`.
 */
export function kubernetesTargetOf(scope: string, prefix: string, version: string | undefined,
  featureGates: { [gate: string]: boolean } | undefined): KubernetesTarget {
  try {
    return KubernetesTarget.forVersion({ version, featureGates });
  } catch (e) {
    // "[KubernetesTarget.forVersion] featureGates.X=true: ..." -> "[scope] <prefix>featureGates.X=true: ..."
    const message = (e as Error).message.replace(/^\[KubernetesTarget\.forVersion\] (version=)?/,
      (_m, v) => `[${scope}] ${prefix}${v !== undefined ? 'kubernetesVersion=' : ''}`);
    throw new Error(message);
  }
}

/** `ScaledObjectControllerOptions`. */
export const SCALED_OBJECT_CONTROLLER_OPTIONS: Shape<ScaledObjectControllerOptions> = {
  creationTimestamp: optional(number({ fix: 'use the creation time in the same seconds as poll times, e.g. 0' })),
};

/** `ReportOptions`. */
export const REPORT_OPTIONS: Shape<ReportOptions> = {
  title: optional(string({ minLength: 0 })),
  subtitle: optional(string({ minLength: 0 })),
  capacityPerReplica: optional(positive()),
};

/** `DemandPoint`: times and rates are finite and not negative. */
export const DEMAND_POINT: Check = struct<DemandPoint>('DemandPoint', {
  time: nonNegative('use seconds from the start of the run, the first point at 0'),
  arrivalsPerSecond: nonNegative('use a rate of 0 or more items per second'),
});

/** The points of a `DemandTrace`: at least two (the last ends the run). */
export const DEMAND_POINTS: Check = arrayOf(DEMAND_POINT, { minLength: 2 });

/** `RequestHolding`. */
export const REQUEST_HOLDING: Shape<RequestHolding> = {
  enabled: optional(boolean()),
  timeoutSeconds: optional(positive('use the seconds a held request waits for a ready pod, e.g. 120 (leave it out for no deadline)')),
};

let simulationOptions: Shape<SimulationOptions> | undefined;
let simulationProps: Shape<SimulationProps> | undefined;

/** `SimulationOptions`. */
export function simulationOptionsShape(): Shape<SimulationOptions> {
  if (simulationOptions) return simulationOptions;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MetricSignal: signals } = require('./simulation-types') as { MetricSignal: typeof MetricSignal };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DemandTrace } = require('./trace') as typeof import('./trace');
  simulationOptions = {
    trace: instanceOf(v => v instanceof DemandTrace, 'DemandTrace', 'use DemandTrace.fromPoints([...]) or DemandTrace.fromCsv(text)'),
    capacityPerReplica: optional(positive('use the items one ready replica completes per second, e.g. 20')),
    concurrencyPerReplica: optional(positive('use the items one replica processes at once, e.g. the model server\'s maximum batch of 8')),
    serviceTimeSeconds: optional(positive('use the seconds one item takes, e.g. 2')),
    coldStartSeconds: optional(nonNegative()),
    initialReplicas: optional(integer({ min: 0 })),
    hpaSyncPeriodSeconds: optional(positive('use the controller\'s sync period, e.g. 15')),
    metricLagSeconds: optional(nonNegative()),
    metricWindowSeconds: optional(positive()),
    latencyTargetSeconds: optional(nonNegative()),
    memoryUtilizationPercent: optional(nonNegative()),
    signals: optional(mapOf(string(), enumOf(signals, 'MetricSignal'))),
    hpaOptions: optional(struct<HpaControllerOptions>('HpaControllerOptions', HPA_CONTROLLER_OPTIONS)),
    kubernetesVersion: KUBERNETES_TARGET_SHAPE.version,
    featureGates: KUBERNETES_TARGET_SHAPE.featureGates,
    outputIntervalSeconds: optional(positive()),
    requestHolding: optional(struct<RequestHolding>('RequestHolding', REQUEST_HOLDING)),
  };
  return simulationOptions;
}

let simulationOptionsStruct: Check | undefined;

/** `SimulationOptions` as a positional argument (`options`): its keys are reported as `options.<key>`. */
export function simulationOptionsCheck(): Check {
  simulationOptionsStruct ??= struct<SimulationOptions>('SimulationOptions', simulationOptionsShape());
  return simulationOptionsStruct;
}

/** `SimulationProps`. */
export function simulationPropsShape(): Shape<SimulationProps> {
  if (simulationProps) return simulationProps;
  simulationProps = {
    ...simulationOptionsShape(),
    horizontalPodAutoscaler: optional(hpaManifestCheck('an autoscaling/v2 HorizontalPodAutoscaler (or its spec) as a JSON object')),
    scaledObject: optional(scaledObjectManifestCheck('a keda.sh/v1alpha1 ScaledObject as a JSON object')),
    gpusPerReplica: optional(nonNegative()),
    cpuRequestCores: optional(positive()),
    memoryRequestBytes: optional(positive()),
  };
  return simulationProps;
}

/** A `SimulationResult` (as `Simulator` returns it), for the report renderers. */
export function simulationResultCheck(): Check {
  const finite = number();
  const count = integer({ min: 0 });
  const point = struct<TimelinePoint>('TimelinePoint', {
    time: finite,
    arrivalsPerSecond: finite,
    desiredReplicas: count,
    readyReplicas: count,
    queueDepth: finite,
    utilizationPercent: finite,
    waitSeconds: finite,
    active: optional(boolean()),
  });
  const summary = struct<SimulationSummary>('SimulationSummary', {
    durationSeconds: finite,
    itemsArrived: finite,
    itemsServed: finite,
    itemsQueuedAtEnd: finite,
    maxQueueDepth: finite,
    maxQueueWaitSeconds: finite,
    p95QueueWaitSeconds: finite,
    secondsOverLatencyTarget: finite,
    latencyTargetSeconds: optional(finite),
    replicaHours: finite,
    gpuHours: finite,
    scaleEvents: count,
    peakReplicas: count,
    lowestReplicas: count,
    podsStarted: optional(count),
    podColdStartSeconds: optional(finite),
    coldStartsFromZero: count,
    maxTimeToFirstReadySeconds: finite,
    itemsWaitedThroughColdStarts: finite,
    requestsHeld: optional(finite),
    requestsFailed: optional(finite),
    firstRequestWaitAfterIdleSeconds: optional(finite),
    warnings: optional(arrayOf(string({ minLength: 0 }))),
  });
  return struct<SimulationResult>('SimulationResult', { timeline: arrayOf(point), summary });
}
