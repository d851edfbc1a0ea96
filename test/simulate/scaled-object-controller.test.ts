import { HpaController } from '../../src/simulate/hpa-controller';
import { ScaledObjectController } from '../../src/simulate/scaled-object-controller';

function scaledObject(spec: Record<string, unknown> = {}, triggers?: any[]): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'worker' },
    spec: {
      scaleTargetRef: { name: 'worker' },
      triggers: triggers ?? [{ type: 'rabbitmq', metadata: { queueName: 'q', mode: 'QueueLength', value: '5', activationValue: '1' } }],
      ...spec,
    },
  };
}

describe('ScaledObjectController: activation', () => {
  test('activates only strictly above the activation value', () => {
    const so = new ScaledObjectController(scaledObject());
    expect(so.poll(0, 0, [1])).toEqual({ active: false, replicas: 0 });
    expect(so.poll(30, 0, [1.5])).toEqual({ active: true, replicas: 1 });
  });

  test('scales from zero to minReplicaCount when it is above 1', () => {
    const so = new ScaledObjectController(scaledObject({ minReplicaCount: 3 }));
    expect(so.poll(0, 0, [10]).replicas).toBe(3);
  });

  test('leaves a running target to the HPA while active', () => {
    const so = new ScaledObjectController(scaledObject());
    expect(so.poll(0, 7, [100])).toEqual({ active: true, replicas: 7 });
    expect(so.lastActiveTime).toBe(0);
  });

  test('cpu and memory triggers never activate', () => {
    const so = new ScaledObjectController(scaledObject({}, [
      { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } },
      { type: 'prometheus', metadata: { serverAddress: 'http://p', query: 'q', threshold: '10' } },
    ]));
    expect(so.poll(0, 0, [95, 0]).active).toBe(false);
  });

  test('a ScaledObject with only cpu/memory triggers is always active', () => {
    const so = new ScaledObjectController(scaledObject({ minReplicaCount: 1 }, [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }]));
    expect(so.poll(0, 2, [10]).active).toBe(true);
  });
});

describe('ScaledObjectController: cooldown', () => {
  test('scales to zero only strictly after cooldownPeriod since the last active poll', () => {
    const so = new ScaledObjectController(scaledObject({ cooldownPeriod: 300 }));
    expect(so.poll(0, 0, [5]).replicas).toBe(1);
    expect(so.poll(30, 3, [5]).replicas).toBe(3); // still active: last active time moves to 30
    expect(so.poll(60, 3, [0]).replicas).toBe(3);
    expect(so.poll(330, 3, [0]).replicas).toBe(3);
    expect(so.poll(331, 3, [0]).replicas).toBe(0);
  });

  test('a never-active ScaledObject waits initialCooldownPeriod from creation', () => {
    const so = new ScaledObjectController(scaledObject({ initialCooldownPeriod: 120 }), { creationTimestamp: 0 });
    expect(so.poll(120, 2, [0]).replicas).toBe(2);
    expect(so.poll(121, 2, [0]).replicas).toBe(0);
  });

  test('without initialCooldownPeriod a never-active target goes to zero at the first poll after creation', () => {
    const so = new ScaledObjectController(scaledObject(), { creationTimestamp: 100 });
    expect(so.poll(100, 2, [0]).replicas).toBe(2);
    expect(so.poll(101, 2, [0]).replicas).toBe(0);
  });

  test('scales to idleReplicaCount in one step, and back to minReplicaCount on activation', () => {
    const so = new ScaledObjectController(scaledObject({ minReplicaCount: 2, idleReplicaCount: 0, maxReplicaCount: 10, cooldownPeriod: 60 }));
    expect(so.poll(0, 5, [10]).replicas).toBe(5);
    expect(so.poll(61, 5, [0]).replicas).toBe(0);
    expect(so.poll(90, 0, [10]).replicas).toBe(2);
    expect(so.poll(120, 1, [10]).replicas).toBe(2); // below min with idle mode on: back to min
  });

  test('raises an inactive target below minReplicaCount to it', () => {
    const so = new ScaledObjectController(scaledObject({ minReplicaCount: 2 }));
    expect(so.poll(0, 1, [0]).replicas).toBe(2);
  });

  test('an inactive ScaledObject with a failing scaler keeps its replicas', () => {
    const so = new ScaledObjectController(scaledObject());
    expect(so.poll(0, 1, [5]).replicas).toBe(1);
    expect(so.poll(1000, 3, [null])).toEqual({ active: false, replicas: 3 });
    expect(so.lastPollHadScalerError).toBe(true);
  });

  test('an active poll with a failing scaler does not move the last active time', () => {
    const so = new ScaledObjectController(scaledObject({ cooldownPeriod: 100 }, [
      { type: 'rabbitmq', metadata: { queueName: 'q', mode: 'QueueLength', value: '5', activationValue: '1' } },
      { type: 'prometheus', metadata: { serverAddress: 'http://p', query: 'q', threshold: '10' } },
    ]));
    expect(so.poll(0, 0, [5, 0]).replicas).toBe(1);
    expect(so.poll(50, 2, [5, null])).toEqual({ active: true, replicas: 2 });
    expect(so.lastActiveTime).toBe(0);
    expect(so.poll(101, 2, [0, 0]).replicas).toBe(0);
  });

  test('a fallback with 0 replicas does not hold an erroring ScaledObject up', () => {
    const so = new ScaledObjectController(scaledObject({ fallback: { failureThreshold: 3, replicas: 0 } }));
    expect(so.poll(1000, 3, [null]).replicas).toBe(0);
    const held = new ScaledObjectController(scaledObject({ fallback: { failureThreshold: 3, replicas: 2 } }));
    expect(held.poll(1000, 3, [null]).replicas).toBe(3);
  });

  test('paused-replicas pins the count', () => {
    const manifest = scaledObject();
    manifest.metadata.annotations = { 'autoscaling.keda.sh/paused-replicas': '4' };
    const so = new ScaledObjectController(manifest);
    expect(so.poll(0, 0, [100]).replicas).toBe(4);
    expect(so.hpaSpec.minReplicas).toBe(4);
    expect(so.hpaSpec.maxReplicas).toBe(4);
  });
});

describe('ScaledObjectController: the HPA it creates', () => {
  test('min is max(minReplicaCount, 1), max defaults to 100, one External metric per trigger', () => {
    const so = new ScaledObjectController(scaledObject());
    expect(so.hpaSpec.minReplicas).toBe(1);
    expect(so.hpaSpec.maxReplicas).toBe(100);
    expect(so.hpaSpec.metrics).toEqual([{
      type: 'External',
      external: {
        metric: { name: 's0-rabbitmq', selector: { matchLabels: { 'scaledobject.keda.sh/name': 'worker' } } },
        target: { type: 'AverageValue', averageValue: '5000m' },
      },
    }]);
    expect(so.hpaSpec.behavior).toBeUndefined();
  });

  test('External metrics come before Resource metrics; behavior comes from advanced', () => {
    const behavior = { scaleDown: { stabilizationWindowSeconds: 600 } };
    const so = new ScaledObjectController(scaledObject({ advanced: { horizontalPodAutoscalerConfig: { behavior } } }, [
      { type: 'memory', metricType: 'Utilization', metadata: { value: '80' } },
      { type: 'aws-sqs-queue', metadata: { queueURL: 'u', queueLength: '2', activationQueueLength: '1' } },
    ]));
    expect(so.hpaSpec.metrics.map((m: any) => m.type)).toEqual(['External', 'Resource']);
    expect(so.hpaSpec.metrics[1].resource).toEqual({ name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } });
    expect(so.hpaSpec.behavior).toEqual(behavior);
    expect(so.hpaObservations([50, 7.25])).toEqual([7.25, 50]);
  });

  test('falls back to target x fallback.replicas after more than failureThreshold failed HPA requests', () => {
    const so = new ScaledObjectController(scaledObject({ fallback: { failureThreshold: 3, replicas: 6 } }));
    const hpa = so.createHpaController();
    expect([1, 2, 3].map(() => so.hpaObservations([null], 2))).toEqual([[null], [null], [null]]);
    expect(so.hpaObservations([null], 2)).toEqual([30]);
    expect(hpa.sync(0, 2, so.hpaObservations([null], 2))).toBe(4); // 6 wanted, legacy limit max(2*2, 4)
    expect(so.hpaObservations([7], 2)).toEqual([7]);
    expect(so.hpaObservations([null], 2)).toEqual([null]); // the count starts again
  });

  test('fallback behavior currentReplicasIfHigher keeps a larger current count', () => {
    const so = new ScaledObjectController(scaledObject({ fallback: { failureThreshold: 0, replicas: 2, behavior: 'currentReplicasIfHigher' } }));
    expect(so.hpaObservations([null], 8)).toEqual([40]);
  });

  test('uses scaler defaults for a missing target (aws-sqs-queue: 5)', () => {
    const so = new ScaledObjectController(scaledObject({}, [{ type: 'aws-sqs-queue', metadata: { queueURL: 'u' } }]));
    expect(so.hpaSpec.metrics[0].external.target.averageValue).toBe('5000m');
  });

  test('drives an HpaController: 23 messages at 5 per replica -> 5 replicas', () => {
    const so = new ScaledObjectController(scaledObject({ maxReplicaCount: 20 }));
    const hpa: HpaController = so.createHpaController();
    expect(so.poll(0, 0, [23]).replicas).toBe(1);
    expect(hpa.sync(15, 1, so.hpaObservations([23]))).toBe(4); // legacy limit max(2, 4)
    expect(hpa.sync(30, 4, so.hpaObservations([23]))).toBe(5);
  });

  test('rejects a trigger without a recognizable target', () => {
    expect(() => new ScaledObjectController(scaledObject({}, [{ type: 'prometheus', metadata: { query: 'q' } }]))).toThrow(/metadata.threshold/);
  });
});
