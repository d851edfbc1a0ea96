import { HpaController } from '../../src/simulate/hpa-controller';
import { ScaledObjectController } from '../../src/simulate/scaled-object-controller';
import { Simulator } from '../../src/simulate/simulator';
import { DemandTrace } from '../../src/simulate/trace';
import { errorOf } from '../error-of';

const trace = DemandTrace.fromPoints([{ time: 0, arrivalsPerSecond: 5 }, { time: 60, arrivalsPerSecond: 0 }]);

const hpa = (over: Record<string, unknown> = {}): any => ({
  scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' },
  minReplicas: 1,
  maxReplicas: 5,
  metrics: [{ type: 'Pods', pods: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '10' } } }],
  ...over,
});

const so = (spec: Record<string, unknown> = {}, triggers?: any[]): any => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'w' },
  spec: {
    scaleTargetRef: { name: 'w' },
    maxReplicaCount: 5,
    triggers: triggers ?? [{ type: 'rabbitmq', metadata: { queueName: 'q', mode: 'QueueLength', value: '10' } }],
    ...spec,
  },
});


const runHpa = (spec: unknown) => errorOf(() => Simulator.run({ horizontalPodAutoscaler: spec, trace, capacityPerReplica: 1 }));
const runSo = (manifest: unknown) => errorOf(() => Simulator.run({ scaledObject: manifest, trace, capacityPerReplica: 1 }));

describe('the HPA spec is checked once, on the entry point and prop that received it', () => {
  test('Simulator.run names horizontalPodAutoscaler; HpaController names spec', () => {
    expect(runHpa({ ...hpa(), maxReplicas: 0 })).toBe(
      '[Simulator.run] horizontalPodAutoscaler.maxReplicas=0: must be an integer in 1..2147483647, got a number. Fix: set horizontalPodAutoscaler.maxReplicas to an integer in 1..2147483647.');
    expect(errorOf(() => new HpaController(hpa({ maxReplicas: 0 })))).toContain('[HpaController] spec.maxReplicas=0');
    expect(runHpa(hpa({ minReplicas: 9 }))).toContain('[Simulator.run] horizontalPodAutoscaler.minReplicas=9: must be an integer in 0..5');
  });

  test('the whole object is checked as such, its spec under .spec', () => {
    const whole = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'w' }, spec: hpa({ maxReplicas: -1 }) };
    expect(runHpa(whole)).toContain('[Simulator.run] horizontalPodAutoscaler.spec.maxReplicas=-1');
    expect(runHpa({ ...whole, spec: hpa(), kind: 'Hpa' })).toContain('[Simulator.run] horizontalPodAutoscaler.kind="Hpa"');
    expect(runHpa({ ...whole, spec: hpa(), metadata: { name: 'Not A Name' } })).toContain('horizontalPodAutoscaler.metadata.name="Not A Name"');
  });

  test('unknown keys get the closest key', () => {
    expect(runHpa(hpa({ maxReplica: 5 }))).toContain('[Simulator.run] horizontalPodAutoscaler.maxReplica=5: is not a property of HorizontalPodAutoscalerSpec. Fix: did you mean "horizontalPodAutoscaler.maxReplicas"?');
    expect(runHpa(hpa({ behavior: { scaleUp: { stabilizationWindow: 0 } } })))
      .toContain('horizontalPodAutoscaler.behavior.scaleUp.stabilizationWindow=0: is not a property of HPAScalingRules. Fix: did you mean "horizontalPodAutoscaler.behavior.scaleUp.stabilizationWindowSeconds"?');
  });

  test('metrics: type, source and target', () => {
    expect(runHpa(hpa({ metrics: [{ type: 'Custom' }] }))).toContain('[Simulator.run] horizontalPodAutoscaler.metrics[0].type="Custom": is not one of "Resource", "ContainerResource", "Pods", "Object", "External"');
    expect(runHpa(hpa({ metrics: [{ type: 'Pods' }] }))).toContain('horizontalPodAutoscaler.metrics[0].pods=undefined: must be a PodsMetricSource object');
    expect(runHpa(hpa({ metrics: [{ type: 'Pods', pods: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '10' } }, external: {} }] })))
      .toContain('horizontalPodAutoscaler.metrics[0].external={}: must be left out for a metric of type Pods');
    expect(runHpa(hpa({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }] })))
      .toContain('horizontalPodAutoscaler.metrics[0].resource.target.averageUtilization=undefined: is required for a target of type Utilization');
    expect(runHpa(hpa({ metrics: [{ type: 'Pods', pods: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '0' } } }] })))
      .toContain('horizontalPodAutoscaler.metrics[0].pods.target.averageValue="0": must be greater than 0');
    expect(runHpa(hpa({ metrics: [{ type: 'Pods', pods: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '10 items' } } }] })))
      .toContain('horizontalPodAutoscaler.metrics[0].pods.target.averageValue="10 items": is not a Kubernetes quantity');
  });

  test('quantities may be numbers (YAML `averageValue: 10`) and are read exactly', () => {
    const asNumber = new HpaController(hpa({ metrics: [{ type: 'Pods', pods: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: 10 } } }] }));
    const asString = new HpaController(hpa());
    expect(asNumber.sync(0, 2, [25])).toBe(asString.sync(0, 2, [25]));
  });

  test('behavior: policies, windows and select policy', () => {
    const behavior = (scaleUp: unknown) => hpa({ behavior: { scaleUp } });
    expect(runHpa(behavior({ policies: [{ type: 'Pods', value: 0, periodSeconds: 15 }] }))).toContain('horizontalPodAutoscaler.behavior.scaleUp.policies[0].value=0');
    expect(runHpa(behavior({ policies: [{ type: 'Pods', value: 1, periodSeconds: 1801 }] }))).toContain('horizontalPodAutoscaler.behavior.scaleUp.policies[0].periodSeconds=1801');
    expect(runHpa(behavior({ policies: [] }))).toContain('horizontalPodAutoscaler.behavior.scaleUp.policies=[]: must have at least 1 entry');
    expect(runHpa(behavior({ stabilizationWindowSeconds: 3601 }))).toContain('horizontalPodAutoscaler.behavior.scaleUp.stabilizationWindowSeconds=3601');
    expect(runHpa(behavior({ selectPolicy: 'max' }))).toContain('horizontalPodAutoscaler.behavior.scaleUp.selectPolicy="max": is not one of "Max", "Min", "Disabled". Fix: use "Max"');
    expect(runHpa(behavior({ tolerance: '-0.1' }))).toContain('horizontalPodAutoscaler.behavior.scaleUp.tolerance="-0.1": must be of at least 0');
  });
});

describe('the ScaledObject is checked once, on the entry point and prop that received it', () => {
  test('counts and their bounds', () => {
    expect(runSo(so({ maxReplicaCount: -1 }))).toContain('[Simulator.run] scaledObject.spec.maxReplicaCount=-1');
    expect(errorOf(() => new ScaledObjectController(so({ pollingInterval: 0 })))).toContain('[ScaledObjectController] manifest.spec.pollingInterval=0');
    expect(runSo(so({ minReplicaCount: 6 }))).toContain('[Simulator.run] scaledObject.spec.minReplicaCount=6: must be at most maxReplicaCount (5)');
    expect(runSo(so({ minReplicaCount: 1, idleReplicaCount: 1 }))).toContain('scaledObject.spec.idleReplicaCount=1: must be less than minReplicaCount (1)');
    expect(runSo(so({ fallback: { failureThreshold: 3 } }))).toContain('scaledObject.spec.fallback.replicas=undefined');
    expect(runSo(so({ cooldownPeriods: 3 }))).toContain('scaledObject.spec.cooldownPeriods=3: is not a property of ScaledObjectSpec. Fix: did you mean "scaledObject.spec.cooldownPeriod"?');
  });

  test('triggers: metadata values are strings, targets and activations decimals, modes known', () => {
    const trigger = (metadata: Record<string, unknown>, more: Record<string, unknown> = {}) => so({}, [{ type: 'rabbitmq', metadata, ...more }]);
    expect(runSo(trigger({ queueName: 'q', value: 10 }))).toContain('scaledObject.spec.triggers[0].metadata["value"]=10: must be a string');
    expect(runSo(trigger({ queueName: 'q', value: 'ten' }))).toContain('scaledObject.spec.triggers[0].metadata.value="ten": is not a decimal number');
    expect(runSo(trigger({ queueName: 'q', value: '0.0001' }))).toContain('scaledObject.spec.triggers[0].metadata.value="0.0001": must be at least 0.001');
    expect(runSo(trigger({ queueName: 'q', value: '5', activationValue: 'x' }))).toContain('scaledObject.spec.triggers[0].metadata.activationValue="x": is not a decimal number');
    expect(runSo(trigger({ queueName: 'q', mode: 'queuelength', value: '5' }))).toContain('scaledObject.spec.triggers[0].metadata.mode="queuelength": is not one of "QueueLength", "MessageRate". Fix: use "QueueLength"');
    expect(runSo(trigger({ queueName: 'q' }))).toContain('scaledObject.spec.triggers[0].metadata.value=undefined: is required');
    expect(runSo(trigger({ queueName: 'q', value: '5' }, { metricType: 'Utilization' }))).toContain('scaledObject.spec.triggers[0].metricType="Utilization"');
    expect(runSo(so({}, [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '0.5' } }]))).toContain('scaledObject.spec.triggers[0].metadata.value="0.5": must be at least 1');
    expect(runSo(so({}, []))).toContain('scaledObject.spec.triggers=[]: must have at least 1 entry');
  });

  test('metadata: the paused-replicas annotation is a whole number', () => {
    const manifest = so();
    manifest.metadata.annotations = { 'autoscaling.keda.sh/paused-replicas': 'two' };
    expect(runSo(manifest)).toContain('scaledObject.metadata.annotations["autoscaling.keda.sh/paused-replicas"]="two": must be a whole number of replicas');
  });

  test('a spec without the object is accepted too', () => {
    expect(new ScaledObjectController(so().spec).triggerCount).toBe(1);
    expect(errorOf(() => new ScaledObjectController(so({ maxReplicaCount: 0 }).spec))).toContain('[ScaledObjectController] manifest.maxReplicaCount=0');
  });

  test('poll and hpaObservations name their trigger values', () => {
    const c = new ScaledObjectController(so());
    expect(errorOf(() => c.poll(0, 0, [1, 2]))).toContain('[ScaledObjectController.poll] triggerValues=[1,2]: expected 1 trigger value(s), got 2');
    expect(errorOf(() => c.hpaObservations(['x']))).toContain('[ScaledObjectController.hpaObservations] triggerValues[0]="x": must be a finite number or null');
  });
});

describe('Simulator.fromManifests names its arguments', () => {
  test('manifests, target and options', () => {
    expect(errorOf(() => Simulator.fromManifests(null as any, 'w', { trace, capacityPerReplica: 1 }))).toContain('[Simulator.fromManifests] manifests=null');
    expect(errorOf(() => Simulator.fromManifests([so()], 'x', { trace, capacityPerReplica: 1 })))
      .toContain('[Simulator.fromManifests] target="x": no HorizontalPodAutoscaler or ScaledObject targets "x"');
    expect(errorOf(() => Simulator.fromManifests([so()], 'w', {} as any))).toContain('[Simulator.fromManifests] options.trace=undefined');
    expect(errorOf(() => Simulator.fromManifests([so({ maxReplicaCount: 0 })], 'w', { trace, capacityPerReplica: 1 })))
      .toContain('[Simulator.fromManifests] manifests(ScaledObject/w).spec.maxReplicaCount=0');
  });
});

describe('DemandTrace.fromCsv names the text and the row', () => {
  test.each([
    ['', '[DemandTrace.fromCsv] text="": has no header and no rows'],
    ['t,a\n0,1\n1,1\n', '[DemandTrace.fromCsv] text="t,a\\n0,1\\n1,1\\n": has the header "t,a", which does not name the columns "time" and "arrivals"'],
    ['time,arrivals\n0,1\n', 'has 1 row(s); a trace needs at least two points'],
    ['time,arrivals\n0,1\n5,-2\n', '[DemandTrace.fromCsv] text (row 3, arrivals)="-2": must be >= 0'],
    ['time,arrivals\n0,1\n\n0,2\n', '[DemandTrace.fromCsv] text (row 4, time)=0: must be greater than the previous point\'s time (0)'],
  ])('%j', (csv, message) => {
    expect(errorOf(() => DemandTrace.fromCsv(csv))).toContain(message);
  });
});
