import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { HpaController } from '../../src/simulate/hpa-controller';
import { ManifestInput } from '../../src/simulate/manifest-input';
import { SimulationReport } from '../../src/simulate/report-svg';
import { ScaledObjectController } from '../../src/simulate/scaled-object-controller';
import { SimulationOptions } from '../../src/simulate/simulation-types';
import { Simulator } from '../../src/simulate/simulator';
import { DemandTrace } from '../../src/simulate/trace';
import { errorOf } from '../error-of';

const HPA = {
  minReplicas: 1,
  maxReplicas: 5,
  metrics: [{ type: 'Pods', pods: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '10' } } }],
};
const SO = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'w' },
  spec: { scaleTargetRef: { name: 'w' }, maxReplicaCount: 5, triggers: [{ type: 'rabbitmq', metadata: { queueName: 'q', value: '10' } }] },
};
const trace = DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 5 }, { time: 60, arrivalsPerSecond: 0 }]);


describe('Simulator options', () => {
  test('numbers must be finite and in range, naming the entry point, the prop, the value and the fix', () => {
    expect(errorOf(() => Simulator.run({ horizontalPodAutoscaler: HPA, trace, capacityPerReplica: 0 }))).toBe(
      '[Simulator.run] capacityPerReplica=0: must be a finite number greater than 0, got a number. Fix: use the items one ready replica completes per second, e.g. 20.');
    expect(errorOf(() => Simulator.run({ horizontalPodAutoscaler: HPA, trace, capacityPerReplica: NaN }))).toContain('[Simulator.run] capacityPerReplica=NaN');
    expect(errorOf(() => Simulator.run({ horizontalPodAutoscaler: HPA, trace, capacityPerReplica: 1, coldStartSeconds: Infinity })))
      .toContain('[Simulator.run] coldStartSeconds=Infinity: must be a finite number >= 0');
    expect(errorOf(() => Simulator.run({ horizontalPodAutoscaler: HPA, trace, capacityPerReplica: 1, initialReplicas: 2 ** 31 })))
      .toContain('[Simulator.run] initialReplicas=2147483648: must be an integer in 0..2147483647');
    expect(errorOf(() => Simulator.run({ horizontalPodAutoscaler: HPA, trace, capacityPerReplica: 1, hpaSyncPeriodSeconds: -15 })))
      .toContain('[Simulator.run] hpaSyncPeriodSeconds=-15: must be a finite number greater than 0');
    expect(errorOf(() => Simulator.run({ horizontalPodAutoscaler: HPA, trace, capacityPerReplica: 1, outputIntervalSeconds: 1e-9 })))
      .toBe('[Simulator.run] outputIntervalSeconds=1e-9: makes 60,000,000,000 timeline rows over the 60 s trace (at most 2,500,000). Fix: use at least 0.001 s, or a shorter trace.');
  });

  test('unknown keys, enums, nested options and the trace', () => {
    expect(errorOf(() => Simulator.run({ horizontalPodAutoscaler: HPA, trace, capacityPerReplica: 1, coldStartSecond: 5 } as any)))
      .toBe('[Simulator.run] coldStartSecond=5: is not a property of SimulationProps. Fix: did you mean "coldStartSeconds"?');
    expect(errorOf(() => Simulator.run({ horizontalPodAutoscaler: HPA, trace, capacityPerReplica: 1, signals: { queue: 'queue_depth' as any } })))
      .toContain('[Simulator.run] signals["queue"]="queue_depth": must be one of MetricSignal.QUEUE_DEPTH ("QUEUE_DEPTH"), MetricSignal.BACKLOG ("BACKLOG"), '
        + 'MetricSignal.ARRIVAL_RATE ("ARRIVAL_RATE"), MetricSignal.BUSY_PERCENT ("BUSY_PERCENT"), MetricSignal.BATCH_SIZE ("BATCH_SIZE"), '
        + 'MetricSignal.KV_CACHE_USAGE ("KV_CACHE_USAGE"). Fix: use "QUEUE_DEPTH"');
    expect(errorOf(() => Simulator.run({ horizontalPodAutoscaler: HPA, trace, capacityPerReplica: 1, hpaOptions: { tolerance: 2 } })))
      .toContain('[Simulator.run] hpaOptions.tolerance=2: must be a finite number >= 0 and <= 1');
    expect(errorOf(() => Simulator.run({ horizontalPodAutoscaler: HPA, trace: [{ time: 0, arrivalsPerSecond: 1 }] as any, capacityPerReplica: 1 })))
      .toContain('[Simulator.run] trace=[{"time":0,"arrivalsPerSecond":1}]: must be a DemandTrace, got an array. Fix: use DemandTrace.fromPoints([...])');
    expect(errorOf(() => Simulator.run({ horizontalPodAutoscaler: 'hpa.yaml', trace, capacityPerReplica: 1 })))
      .toContain('[Simulator.run] horizontalPodAutoscaler="hpa.yaml": must be an autoscaling/v2 HorizontalPodAutoscaler (or its spec) as a JSON object');
    expect(errorOf(() => Simulator.run({ horizontalPodAutoscaler: HPA, scaledObject: SO, trace, capacityPerReplica: 1 })))
      .toContain('[Simulator.run] scaledObject=');
    expect(errorOf(() => Simulator.run(null as any))).toContain('[Simulator.run] options=null: must be a SimulationProps object');
  });

  test('fromManifests and fromConstruct name themselves', () => {
    expect(errorOf(() => Simulator.fromManifests([SO], 'w', { trace, capacityPerReplica: -1 }))).toContain('[Simulator.fromManifests] options.capacityPerReplica=-1');
    expect(errorOf(() => Simulator.fromManifests([SO], 5 as any, { trace, capacityPerReplica: 1 }))).toContain('[Simulator.fromManifests] target=5: must be a non-empty string');
    expect(errorOf(() => Simulator.fromManifests([SO], 'w', { trace, capacityPerReplica: 1, horizontalPodAutoscaler: HPA } as any)))
      .toContain('[Simulator.fromManifests] options.horizontalPodAutoscaler=');
    expect(errorOf(() => Simulator.fromConstruct({} as any, { trace, capacityPerReplica: 1 }))).toContain('[Simulator.fromConstruct] construct={}: must be a Construct');
    expect(errorOf(() => Simulator.fromConstruct(Testing.chart(), { trace, capacityPerReplica: 1 }))).toContain('[Simulator.fromConstruct] construct="test": has no workload to simulate');
    expect(errorOf(() => ManifestInput.findTarget({} as any, 'w'))).toContain('[ManifestInput.findTarget] manifests={}: must be a list of Kubernetes objects');
  });

  test('DemandTrace points are well-formed', () => {
    expect(errorOf(() => DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 1 }]))).toContain('[DemandTrace.fromPoints] points=[{"time":0,"arrivalsPerSecond":1}]: must have at least 2 entries');
    expect(errorOf(() => DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 1 }, { time: NaN, arrivalsPerSecond: 1 }])))
      .toContain('[DemandTrace.fromPoints] points[1].time=NaN: must be a finite number >= 0');
    expect(errorOf(() => DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: -1 }, { time: 1, arrivalsPerSecond: 1 }])))
      .toContain('[DemandTrace.fromPoints] points[0].arrivalsPerSecond=-1: must be a finite number >= 0');
    expect(errorOf(() => DemandTrace.fromPoints([{ time: 0, rate: 1 }, { time: 1, arrivalsPerSecond: 1 }] as any)))
      .toContain('[DemandTrace.fromPoints] points[0].rate=1: is not a property of DemandPoint');
    expect(errorOf(() => DemandTrace.fromPoints([{ time: 5, arrivalsPerSecond: 1 }, { time: 10, arrivalsPerSecond: 1 }])))
      .toBe('[DemandTrace.fromPoints] points[0].time=5: must be 0 (the trace starts at time 0). Fix: start the trace with { time: 0, arrivalsPerSecond: ... }.');
    expect(errorOf(() => DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 1 }, { time: 0, arrivalsPerSecond: 1 }])))
      .toContain('[DemandTrace.fromPoints] points[1].time=0: must be greater than the previous point\'s time (0)');
    expect(errorOf(() => DemandTrace.fromCsv(undefined as any))).toContain('[DemandTrace.fromCsv] text=undefined: must be a string');
    expect(errorOf(() => trace.rateAt(NaN))).toContain('[DemandTrace.rateAt] time=NaN');
  });

  test('controllers: options and arguments', () => {
    expect(errorOf(() => new HpaController(HPA, { tolerence: 0.1 } as any)))
      .toBe('[HpaController] tolerence=0.1: is not a property of HpaControllerOptions. Fix: did you mean "tolerance"?');
    expect(errorOf(() => new HpaController(HPA, { downscaleStabilizationSeconds: -1 }))).toContain('[HpaController] downscaleStabilizationSeconds=-1');
    expect(errorOf(() => new HpaController({ ...HPA, maxReplicas: '5' }))).toContain('[HpaController] spec.maxReplicas="5": must be an integer in 1..2147483647, got a string');
    expect(errorOf(() => new HpaController({ ...HPA, minReplicas: 9 }))).toContain('[HpaController] spec.minReplicas=9: must be an integer in 0..5');
    expect(errorOf(() => new HpaController(null))).toContain('[HpaController] spec=null: must be an autoscaling/v2 HorizontalPodAutoscalerSpec object');
    const hpa = new HpaController(HPA);
    expect(errorOf(() => hpa.sync(NaN, 1, [1]))).toContain('[HpaController.sync] nowSeconds=NaN: must be a finite number');
    expect(errorOf(() => hpa.sync(0, 1.5, [1]))).toContain('[HpaController.sync] currentReplicas=1.5');
    expect(errorOf(() => hpa.sync(0, 2, [1], 3))).toContain('[HpaController.sync] readyReplicas=3: must be an integer in 0..2');
    expect(errorOf(() => hpa.sync(0, 2, 'x' as any))).toContain('[HpaController.sync] observations="x": must be an array');
    expect(errorOf(() => new ScaledObjectController(SO, { creationTimestamp: Infinity }))).toContain('[ScaledObjectController] creationTimestamp=Infinity');
    const so = new ScaledObjectController(SO);
    expect(errorOf(() => so.poll(0, -1, [1]))).toContain('[ScaledObjectController.poll] currentReplicas=-1');
    expect(errorOf(() => so.hpaObservations([1], 0.5))).toContain('[ScaledObjectController.hpaObservations] currentReplicas=0.5');
  });

  test('reports check their inputs', () => {
    const result = Simulator.run({ horizontalPodAutoscaler: HPA, trace, capacityPerReplica: 1 });
    expect(SimulationReport.toSvg(result, { title: 'x' })).toContain('<svg');
    expect(errorOf(() => SimulationReport.toSvg(result, { titel: 'x' } as any))).toContain('[SimulationReport.toSvg] titel="x": is not a property of ReportOptions. Fix: did you mean "title"?');
    expect(errorOf(() => SimulationReport.toCsv({ timeline: [] } as any))).toContain('[SimulationReport.toCsv] result.summary=undefined');
    expect(errorOf(() => SimulationReport.summaryText({ ...result, summary: { ...result.summary, gpuHours: 'a' } } as any)))
      .toContain('[SimulationReport.summaryText] result.summary.gpuHours="a"');
  });
});

/** Arbitrary JS values, with the edge cases named in issue 11. */
const junk: fc.Arbitrary<any> = fc.oneof(
  fc.anything(),
  fc.constantFrom(NaN, Infinity, -Infinity, 2 ** 31, 0, -1, 1e-12, '', null, undefined, 'QUEUE_DEPTH', 'queue_depth', '🙂', [], {}),
  fc.double(),
  fc.string(),
);

function expectRunsOrNamedError(fn: () => unknown, entryPoint: string, prop: string): void {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(TypeError);
    expect((e as Error).message).toContain(entryPoint);
    expect((e as Error).message).toContain(prop);
    return;
  }
  expect(() => JSON.stringify(result)).not.toThrow();
}

describe('property: any JS value in any option is used or rejected with the entry point and the prop, never a TypeError', () => {
  const keys: Array<keyof SimulationOptions> = ['capacityPerReplica', 'coldStartSeconds', 'initialReplicas', 'hpaSyncPeriodSeconds', 'metricLagSeconds',
    'metricWindowSeconds', 'latencyTargetSeconds', 'memoryUtilizationPercent', 'signals', 'hpaOptions', 'outputIntervalSeconds', 'trace',
    'kubernetesVersion', 'featureGates'];
  test.each(keys)('Simulator.run %s', key => {
    fc.assert(fc.property(junk, v => {
      expectRunsOrNamedError(() => Simulator.run({ horizontalPodAutoscaler: HPA, trace, capacityPerReplica: 1, [key]: v } as any), '[Simulator.run]', key);
    }), { numRuns: 60 });
  });

  test.each(['gpusPerReplica', 'cpuRequestCores', 'memoryRequestBytes', 'horizontalPodAutoscaler', 'scaledObject', 'unknownKey'])('Simulator.run %s', key => {
    fc.assert(fc.property(junk, v => {
      const autoscaler = key === 'horizontalPodAutoscaler' ? {} : { horizontalPodAutoscaler: HPA };
      // the manifests' contents are checked by the controllers, which name themselves and the field
      const manifest = key === 'horizontalPodAutoscaler' || key === 'scaledObject';
      expectRunsOrNamedError(() => Simulator.run({ ...autoscaler, trace, capacityPerReplica: 1, [key]: v } as any),
        manifest ? '' : '[Simulator.run]', manifest ? '' : key);
    }), { numRuns: 60 });
  });

  test.each(['downscaleStabilizationSeconds', 'tolerance', 'kubernetesVersion', 'featureGates', 'scaledToZero'])('HpaController options %s', key => {
    fc.assert(fc.property(junk, v => {
      expectRunsOrNamedError(() => new HpaController(HPA, { [key]: v }).sync(0, 1, [5]), '[HpaController]', key);
    }), { numRuns: 100 });
  });

  test('HpaController spec and sync arguments', () => {
    fc.assert(fc.property(junk, v => {
      expectRunsOrNamedError(() => new HpaController(v), 'HpaController', 'spec');
      expectRunsOrNamedError(() => new HpaController({ ...HPA, maxReplicas: v }), '[HpaController]', 'spec.maxReplicas');
      expectRunsOrNamedError(() => new HpaController({ ...HPA, minReplicas: v }), '[HpaController]', 'spec.minReplicas');
      expectRunsOrNamedError(() => new HpaController(HPA).sync(v, 1, [5]), '[HpaController.sync]', 'nowSeconds');
      expectRunsOrNamedError(() => new HpaController(HPA).sync(0, v, [5]), '[HpaController.sync]', 'currentReplicas');
      expectRunsOrNamedError(() => new HpaController(HPA).sync(0, 3, [5], v), '[HpaController.sync]', 'readyReplicas');
      expectRunsOrNamedError(() => new HpaController(HPA).sync(0, 1, v), '[HpaController.sync]', 'observations');
    }), { numRuns: 200 });
  });

  test('ScaledObjectController options and poll arguments', () => {
    fc.assert(fc.property(junk, v => {
      expectRunsOrNamedError(() => new ScaledObjectController(SO, v), '[ScaledObjectController]', '');
      expectRunsOrNamedError(() => new ScaledObjectController(SO, { creationTimestamp: v }), '[ScaledObjectController]', 'creationTimestamp');
      expectRunsOrNamedError(() => new ScaledObjectController(SO).poll(v, 1, [1]), '[ScaledObjectController.poll]', 'nowSeconds');
      expectRunsOrNamedError(() => new ScaledObjectController(SO).poll(0, v, [1]), '[ScaledObjectController.poll]', 'currentReplicas');
    }), { numRuns: 200 });
  });

  test('manifest contents: the controllers name themselves, never a TypeError', () => {
    fc.assert(fc.property(junk, v => {
      expectRunsOrNamedError(() => new HpaController({ ...HPA, metrics: v }).sync(0, 1, [5]), 'HpaController', '');
      expectRunsOrNamedError(() => new HpaController({ ...HPA, metrics: [v] }).sync(0, 1, [5]), 'HpaController', '');
      expectRunsOrNamedError(() => new HpaController({ ...HPA, behavior: v }).sync(0, 1, [5]), 'HpaController', '');
      expectRunsOrNamedError(() => new HpaController({ ...HPA, behavior: { scaleUp: v, scaleDown: { policies: v } } }).sync(0, 1, [5]), 'HpaController', '');
      expectRunsOrNamedError(() => new ScaledObjectController(v), 'ScaledObjectController', '');
      expectRunsOrNamedError(() => new ScaledObjectController({ ...SO, spec: { ...SO.spec, triggers: [v] } }).poll(0, 1, [1]), 'ScaledObjectController', '');
      expectRunsOrNamedError(() => new ScaledObjectController({ ...SO, spec: { ...SO.spec, fallback: v, advanced: v } }).poll(0, 1, [1]), 'ScaledObjectController', '');
      expectRunsOrNamedError(() => new ScaledObjectController({ ...SO, metadata: v }).poll(0, 1, [v]), 'ScaledObjectController', '');
    }), { numRuns: 300 });
  });

  test('DemandTrace points', () => {
    fc.assert(fc.property(junk, junk, (t, r) => {
      expectRunsOrNamedError(() => DemandTrace.fromPoints(t as any), '[DemandTrace.fromPoints]', 'points');
      expectRunsOrNamedError(() => DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: r }, { time: t, arrivalsPerSecond: 0 }] as any), '[DemandTrace.fromPoints]', 'points[');
    }), { numRuns: 200 });
  });

  test('ManifestInput.findTarget and SimulationReport', () => {
    const result = Simulator.run({ horizontalPodAutoscaler: HPA, trace, capacityPerReplica: 1 });
    fc.assert(fc.property(junk, v => {
      expectRunsOrNamedError(() => ManifestInput.findTarget([SO], v), '[ManifestInput.findTarget]', 'name');
      expectRunsOrNamedError(() => SimulationReport.toSvg(result, v), '[SimulationReport.toSvg]', '');
      expectRunsOrNamedError(() => SimulationReport.toCsv(v), '[SimulationReport.toCsv]', 'result');
    }), { numRuns: 200 });
  });
});
