import { Duration, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AuthenticationKind } from '../../src/keda/authentication';
import { renderScaledObject, ScaledObjectRenderProps } from '../../src/keda/render-scaled-object';
import { ScaledObjectOptions } from '../../src/keda/scaled-object-options';
import { Trigger } from '../../src/keda/trigger';
import { findOne, synthValid } from '../validate';

process.env.CDK8S_ML_AUTOSCALING_QUIET = '1';

/** How a construct such as HybridMlService renders its ScaledObject for its own Deployment. */
class Service extends Construct {
  public readonly triggers: Trigger[];
  constructor(scope: Construct, id: string, options: ScaledObjectOptions, extra: Partial<ScaledObjectRenderProps> = {}) {
    super(scope, id);
    const deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: 'hybrid-ml-service' },
      spec: {
        selector: { matchLabels: { app: 'hybrid-ml' } },
        template: {
          metadata: { labels: { app: 'hybrid-ml' } },
          spec: { containers: [{ name: 'ml-service', image: 'i', resources: { requests: { cpu: k8s.Quantity.fromString('4') } } }] },
        },
      },
    });
    this.triggers = [
      Trigger.prometheus({ name: 'rps', serverAddress: 'http://prom:9090', query: 'sum(rate(requests_total[1m]))', threshold: 100 }),
      Trigger.cpuUtilization(70),
    ];
    renderScaledObject(this, {
      options,
      target: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
      defaultName: 'hybrid-ml-scaler',
      triggers: this.triggers,
      containerName: 'ml-service',
      resources: new Set(['cpu']),
      modelLoadSeconds: 600,
      ...extra,
    });
  }
}

function so(options: ScaledObjectOptions, extra: Partial<ScaledObjectRenderProps> = {}) {
  const chart = Testing.chart();
  new Service(chart, 'Hybrid', options, extra);
  return findOne(synthValid(chart), 'ScaledObject', 'hybrid-ml-scaler');
}

test('an empty behavior takes the ML defaults, with scale-down stabilization floored at the model load time', () => {
  const s = so({ minReplicas: 3, maxReplicas: 15, behavior: {} });
  expect(s.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown).toEqual({
    stabilizationWindowSeconds: 600, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
  });
});

test('adopting the article HPA: custom HPA name and transfer-hpa-ownership', () => {
  const s = so({ minReplicas: 3, maxReplicas: 15, hpaName: 'hybrid-ml-hpa', transferHpaOwnership: true });
  expect(s.metadata.annotations).toEqual({ 'scaledobject.keda.sh/transfer-hpa-ownership': 'true' });
  expect(s.spec.advanced).toEqual({ horizontalPodAutoscalerConfig: { name: 'hybrid-ml-hpa' } });
  expect(s.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'hybrid-ml-service' });
});

test('pause annotations land on the ScaledObject, next to extra annotations', () => {
  const s = so({ minReplicas: 3, maxReplicas: 15, pause: { paused: true } }, { annotations: { team: 'ml' } });
  expect(s.metadata.annotations).toEqual({ 'team': 'ml', 'autoscaling.keda.sh/paused': 'true' });
});

test('resource and external triggers render together, scalingModifiers over the named external one', () => {
  const s = so({
    minReplicas: 1, maxReplicas: 10, pollingInterval: Duration.seconds(10), scalingModifiers: { formula: 'rps', target: 100 },
  });
  expect(s.spec.triggers.map((t: any) => t.type)).toEqual(['prometheus', 'cpu']);
  expect(s.spec.pollingInterval).toBe(10);
  expect(s.spec.advanced.scalingModifiers).toEqual({ formula: 'rps', target: '100', metricType: 'AverageValue' });
});

test('the namespace of the ScaledObject is checked against its TriggerAuthentication', () => {
  const chart = Testing.chart();
  const svc = new Service(chart, 'Hybrid', { minReplicas: 1, maxReplicas: 2 }, { namespace: 'a' });
  svc.triggers.push(Trigger.kafka({
    bootstrapServers: ['k:9092'],
    consumerGroup: 'g',
    lagThreshold: 5,
    authentication: { authenticationName: 'kafka', authenticationKind: AuthenticationKind.TRIGGER_AUTHENTICATION, authenticationNamespace: 'b' },
  }));
  expect(() => Testing.synth(chart)).toThrow(/\[test\/Hybrid\] triggers\[2\]\.authentication="kafka": is in namespace "b" but the ScaledObject is in "a"/);
});
