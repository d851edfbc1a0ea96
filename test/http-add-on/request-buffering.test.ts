/**
 * Request buffering with the KEDA HTTP add-on (v0.15): HybridMlService in KEDA mode renders an
 * InterceptorRoute (validated against the shared CRD), the add-on's trigger in its one ScaledObject and
 * an ExternalName Service to the interceptor, with a hold derived from the model load time.
 */
import { Duration, Testing } from 'cdk8s';
import { DemandTrace, Guardrails, HybridMlService, HybridScalingMode, RequestBufferingOptions, Simulator, Trigger } from '../../src';
import { validateCrdObject } from '../crd-schema';
import { errorOf } from '../error-of';
import { findOne, synthValid } from '../validate';

const QUEUE = () => Trigger.awsSqsQueue({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs', awsRegion: 'us-east-1', queueLength: 5 });

function service(buffering: RequestBufferingOptions, extra: Record<string, unknown> = {}) {
  const chart = Testing.chart();
  const svc = new HybridMlService(chart, 'Svc', {
    name: 'llm',
    namespace: 'ml',
    image: 'registry.example/llm:1.0',
    gpu: { count: 1 },
    placement: { requiredInstanceTypes: ['g5.xlarge'] },
    modelLoadTime: Duration.seconds(120),
    minReplicas: 0,
    scaleToZero: true,
    maxReplicas: 4,
    triggers: [QUEUE()],
    requestBuffering: buffering,
    ...extra,
  });
  return { chart, svc };
}

describe('HybridMlService with requestBuffering', () => {
  const { chart, svc } = service({ hosts: ['llm.example.com'], concurrencyPerReplica: 16 });
  const manifests = synthValid(chart);

  test('an InterceptorRoute to the Service\'s http port, holding for the startup budget plus scheduling headroom', () => {
    const route = findOne(manifests, 'InterceptorRoute', 'llm');
    expect(route.apiVersion).toBe('http.keda.sh/v1beta1');
    expect(route.metadata.namespace).toBe('ml');
    expect(route.spec).toEqual({
      target: { service: 'llm', portName: 'http' },
      rules: [{ hosts: ['llm.example.com'] }],
      scalingMetric: { concurrency: { targetValue: 16 } },
      // 120 s load + 30 s startup headroom (25%, at least 30 s) + 60 s scheduling and image pull
      timeouts: { readiness: '210s' },
    });
    expect(findOne(manifests, 'Service', 'llm').spec.ports[0].name).toBe('http');
    expect(svc.interceptorRoute).toBeDefined();
  });

  test('the add-on\'s trigger joins the queue trigger in the one ScaledObject', () => {
    const so = findOne(manifests, 'ScaledObject');
    expect(so.spec.triggers.map((t: any) => t.type)).toEqual(['aws-sqs-queue', 'external-push']);
    expect(so.spec.triggers[1]).toEqual({
      type: 'external-push',
      name: 'http_requests',
      metadata: { scalerAddress: 'keda-add-ons-http-external-scaler.keda:9090', interceptorRoute: 'llm' },
    });
    expect(so.spec.minReplicaCount).toBe(0);
  });

  test('the InterceptorRoute is written before the ScaledObject that reads it', () => {
    const kinds = manifests.map(m => m.kind);
    expect(kinds.indexOf('InterceptorRoute')).toBeLessThan(kinds.indexOf('ScaledObject'));
  });

  test('clients call an ExternalName Service that leads to the interceptor proxy', () => {
    const proxy = findOne(manifests, 'Service', 'llm-proxy');
    expect(proxy.spec).toEqual({
      type: 'ExternalName',
      externalName: 'keda-add-ons-http-interceptor-proxy.keda.svc.cluster.local',
      ports: [{ name: 'http', port: 8080 }],
    });
  });

  test('scale to zero behind the interceptor passes every guardrail', () => {
    expect(Guardrails.check(manifests)).toEqual([]);
  });
});

test('paths, request timeout, placeholder, fallback and the add-on\'s namespace', () => {
  const { chart } = service({
    hosts: ['llm.example.com', '*.llm.example.com'],
    pathPrefixes: ['/v1'],
    concurrencyPerReplica: 8,
    holdTimeout: Duration.minutes(4),
    requestTimeout: Duration.minutes(10),
    placeholder: { statusCode: 503, body: 'warming up', headers: { 'Retry-After': '60' } },
    fallback: { serviceName: 'llm-small', port: 8000 },
    addOnNamespace: 'keda-http',
    routeName: 'llm-route',
  });
  const manifests = synthValid(chart);
  const route = findOne(manifests, 'InterceptorRoute', 'llm-route');
  expect(route.spec.rules).toEqual([{ hosts: ['llm.example.com', '*.llm.example.com'], paths: [{ value: '/v1' }] }]);
  expect(route.spec.timeouts).toEqual({ readiness: '240s', request: '600s' });
  expect(route.spec.coldStart).toEqual({
    fallback: { service: { name: 'llm-small', port: 8000 } },
    placeholder: { response: { statusCode: 503, body: 'warming up', headers: { 'Retry-After': '60' } } },
  });
  expect(findOne(manifests, 'ScaledObject').spec.triggers[1].metadata)
    .toEqual({ scalerAddress: 'keda-add-ons-http-external-scaler.keda-http:9090', interceptorRoute: 'llm-route' });
  expect(findOne(manifests, 'Service', 'llm-proxy').spec.externalName).toBe('keda-add-ons-http-interceptor-proxy.keda-http.svc.cluster.local');
});

describe('bad input fails with the fix', () => {
  test.each([
    [{ hosts: ['llm.example.com'], concurrencyPerReplica: 16, holdTimeout: Duration.seconds(60) },
      /requestBuffering\.holdTimeout=60s: is shorter than modelLoadTime \(120 s\).*Fix: set holdTimeout to at least 120 s/],
    [{ hosts: ['llm.example.com'], concurrencyPerReplica: 16, holdTimeout: Duration.seconds(200), requestTimeout: Duration.seconds(100) },
      /requestBuffering\.requestTimeout=100s: is shorter than the hold \(200 s\)/],
    [{ hosts: [], concurrencyPerReplica: 16 }, /requestBuffering\.hosts=\[\]/],
    [{ hosts: ['not a host'], concurrencyPerReplica: 16 }, /requestBuffering\.hosts\[0\]="not a host": .*host name/],
    [{ hosts: ['llm.example.com'], concurrencyPerReplica: 0 }, /requestBuffering\.concurrencyPerReplica=0/],
    [{ hosts: ['llm.example.com'], concurrencyPerReplica: 16, placeholder: { statusCode: 99 } }, /requestBuffering\.placeholder\.statusCode=99/],
    [{ hosts: ['llm.example.com'], concurrencyPerReplica: 16, concurrency: 3 }, /requestBuffering\.concurrency=3.*concurrencyPerReplica/],
  ])('%#', (buffering, message) => {
    expect(errorOf(() => service(buffering as any))).toMatch(message);
  });

  test('HPA mode: the add-on\'s request count reaches only a KEDA ScaledObject', () => {
    expect(errorOf(() => service({ hosts: ['llm.example.com'], concurrencyPerReplica: 16 }, {
      mode: HybridScalingMode.HPA, triggers: undefined, minReplicas: 1, scaleToZero: undefined,
    }))).toMatch(/requestBuffering=.*only applies in KEDA mode/);
  });
});

test('the CRD check catches what the API server would reject', () => {
  const route = {
    apiVersion: 'http.keda.sh/v1beta1',
    kind: 'InterceptorRoute',
    metadata: { name: 'r' },
    spec: { target: { service: 's', port: 80, portName: 'http' }, scalingMetric: {}, coldStart: {}, extra: 1 },
  };
  expect(() => validateCrdObject(route)).toThrow(/spec\.target: .*port.*portName[\s\S]*spec\.scalingMetric: [\s\S]*spec\.coldStart: at least one of 'fallback' or 'placeholder' must be set[\s\S]*spec\.extra: unknown field/);
});

test('simulate reads the hold and the add-on\'s target from the rendered objects', () => {
  // no queue trigger: the add-on's request count alone wakes the service and scales it, 16 per replica
  const { svc } = service({ hosts: ['llm.example.com'], concurrencyPerReplica: 16 }, { triggers: [] });
  // one burst after 10 idle minutes: 4 requests/s for 10 minutes, 8 s each (32 in service at the plateau)
  const trace = DemandTrace.fromCsv('time,arrivals\n0,0\n600,4\n1200,0\n3600,0');
  const r = Simulator.fromConstruct(svc, { trace, concurrencyPerReplica: 16, serviceTimeSeconds: 8 });
  expect(r.summary.warnings).toEqual([]);
  expect(r.summary.requestsFailed).toBe(0);
  // woken by the first held request: the next 30 s poll, then the 120 s load; never more than the 210 s hold
  expect(r.summary.firstRequestWaitAfterIdleSeconds).toBeGreaterThan(120);
  expect(r.summary.firstRequestWaitAfterIdleSeconds).toBeLessThanOrEqual(150);
  // 32 requests in service at 16 per replica: at least 2 replicas
  expect(r.summary.peakReplicas).toBeGreaterThanOrEqual(2);
});
