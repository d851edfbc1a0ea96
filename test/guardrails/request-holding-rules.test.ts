/**
 * The KEDA HTTP add-on guardrails on hand-written manifests: a hold shorter than the workload's start
 * (ML-E-HOLD-TIMEOUT-SHORT), client routes past the interceptor (ML-W-ROUTE-BYPASSES-INTERCEPTOR), and
 * the add-on as the buffer ML-W-SCALE-TO-ZERO-WITHOUT-BUFFER asks for.
 */
import { GuardrailFinding } from '../../src/guardrails/finding';
import { Guardrails } from '../../src/guardrails/guardrails';
import { parseGoDuration } from '../../src/kubernetes/go-duration';

const NS = 'ml';
const HOLD = 'ML-E-HOLD-TIMEOUT-SHORT';
const BYPASS = 'ML-W-ROUTE-BYPASSES-INTERCEPTOR';
const NO_BUFFER = 'ML-W-SCALE-TO-ZERO-WITHOUT-BUFFER';

function run(objects: any[], ruleId: string): GuardrailFinding[] {
  return Guardrails.check(objects).filter(f => f.ruleId === ruleId);
}

/** A model server: 120 s declared load, or only a startup probe of `probe` seconds. */
interface ServerOptions {
  readonly load?: number;
  readonly probe?: { failureThreshold: number; periodSeconds: number; initialDelaySeconds?: number };
}

function server(opts: ServerOptions = { load: 120 }): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'llm', namespace: NS },
    spec: {
      selector: { matchLabels: { app: 'llm' } },
      template: {
        metadata: {
          labels: { app: 'llm' },
          annotations: opts.load !== undefined ? { 'ml-autoscaling.io/model-load-seconds': String(opts.load) } : {},
        },
        spec: {
          containers: [{
            name: 'server',
            image: 'registry.example/llm:1.0',
            ports: [{ name: 'http', containerPort: 8000 }],
            ...(opts.probe ? { startupProbe: { httpGet: { path: '/health', port: 8000 }, ...opts.probe } } : {}),
          }],
        },
      },
    },
  };
}

const service = (name = 'llm', selector: any = { app: 'llm' }) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: NS },
  spec: { selector, ports: [{ name: 'http', port: 8000, targetPort: 'http' }] },
});

const proxy = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'llm-proxy', namespace: NS },
  spec: { type: 'ExternalName', externalName: 'keda-add-ons-http-interceptor-proxy.keda.svc.cluster.local' },
};

function route(spec: any = {}, target = 'llm'): any {
  return {
    apiVersion: 'http.keda.sh/v1beta1',
    kind: 'InterceptorRoute',
    metadata: { name: 'llm', namespace: NS },
    spec: { target: { service: target, portName: 'http' }, rules: [{ hosts: ['llm.example.com'] }], scalingMetric: { concurrency: { targetValue: 10 } }, ...spec },
  };
}

function httpScaledObject(spec: any = {}): any {
  return {
    apiVersion: 'http.keda.sh/v1alpha1',
    kind: 'HTTPScaledObject',
    metadata: { name: 'llm', namespace: NS },
    spec: { hosts: ['llm.example.com'], scaleTargetRef: { name: 'llm', service: 'llm', port: 8000 }, replicas: { min: 0, max: 4 }, ...spec },
  };
}

const scaledObject = (triggers: any[], min = 0) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'llm', namespace: NS },
  spec: { scaleTargetRef: { name: 'llm' }, minReplicaCount: min, maxReplicaCount: 4, triggers },
});

const ADD_ON_TRIGGER = { type: 'external-push', metadata: { scalerAddress: 'keda-add-ons-http-external-scaler.keda:9090', interceptorRoute: 'llm' } };

describe('ML-E-HOLD-TIMEOUT-SHORT', () => {
  test.each([
    ['readiness below the model load', route({ timeouts: { readiness: '60s' } }), 'spec.timeouts.readiness', 60, 120],
    ['a request timeout below the readiness', route({ timeouts: { readiness: '300s', request: '1m' } }), 'spec.timeouts.request', 60, 120],
    ['a fallback without a readiness value: 30 s', route({ coldStart: { fallback: { service: { name: 'busy', port: 80 } } } }), 'spec.coldStart.fallback', 30, 120],
    ['readiness 0 with a fallback: 30 s', route({ timeouts: { readiness: '0s' }, coldStart: { fallback: { service: { name: 'busy', port: 80 } } } }),
      'spec.timeouts.readiness', 30, 120],
    ['HTTPScaledObject conditionWait', httpScaledObject({ timeouts: { conditionWait: '20s' } }), 'spec.timeouts.conditionWait', 20, 120],
    ['HTTPScaledObject failover, default 30 s', httpScaledObject({ timeouts: { conditionWait: '300s' }, coldStartTimeoutFailoverRef: { service: 'busy', port: 80 } }),
      'spec.coldStartTimeoutFailoverRef.timeoutSeconds', 30, 120],
  ])('%s', (_name, holder, location, hold, load) => {
    const findings = run([server(), service(), holder], HOLD);
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('error');
    expect(findings[0].location).toBe(location);
    expect(findings[0].message).toContain(`for ${hold}s`);
    expect(findings[0].message).toContain(`takes ${load}s to start`);
    expect(findings[0].message).toContain('504');
  });

  test('without a declared load, the startup probe\'s budget (30 x 10 s) is the start time', () => {
    const findings = run([server({ probe: { failureThreshold: 30, periodSeconds: 10 } }), service(), route({ timeouts: { readiness: '2m' } })], HOLD);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toMatch(/for 120s .* takes 300s to start, from the startup probe of container server/);
    expect(findings[0].fix).toMatch(/timeouts\.readiness to at least 300s/);
  });

  test.each([
    ['readiness above the load', [route({ timeouts: { readiness: '180s' } })]],
    ['readiness 0s: no deadline of its own', [route({ timeouts: { readiness: '0s' } })]],
    ['no timeouts: the interceptor\'s global settings decide', [route()]],
    ['a route to a Service of other pods', [route({ timeouts: { readiness: '10s' } }, 'other'), service('other', { app: 'other' })]],
    ['HTTPScaledObject conditionWait 0: the global value', [httpScaledObject({ timeouts: { conditionWait: '0s' } })]],
    ['HTTPScaledObject conditionWait above the load', [httpScaledObject({ timeouts: { conditionWait: '3m' } })]],
  ])('no finding: %s', (_name, extra) => {
    expect(run([server(), service(), ...extra], HOLD)).toEqual([]);
  });

  test('no declared start time, no startup probe: nothing to compare', () => {
    expect(run([server({}), service(), route({ timeouts: { readiness: '5s' } })], HOLD)).toEqual([]);
  });
});

describe('ML-W-ROUTE-BYPASSES-INTERCEPTOR', () => {
  const ingress = (backend: string) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'llm', namespace: NS },
    spec: { rules: [{ host: 'llm.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: backend, port: { number: 8000 } } } }] } }] },
  });
  const httpRoute = (backend: string) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'llm', namespace: NS },
    spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: backend, port: 8000 }] }] },
  });

  test('an Ingress and an HTTPRoute to the workload\'s own Service', () => {
    for (const r of [ingress('llm'), httpRoute('llm')]) {
      const findings = run([server(), service(), route({ timeouts: { readiness: '180s' } }), r], BYPASS);
      expect(findings).toHaveLength(1);
      expect(findings[0].severity).toBe('warning');
      expect(findings[0].location).toBe(r.kind === 'Ingress' ? 'spec.rules[0].http.paths[0].backend.service.name' : 'spec.rules[0].backendRefs[0].name');
      expect(findings[0].message).toMatch(/sends clients to Service llm, which reaches the pods of Deployment ml\/llm directly, past the interceptor of InterceptorRoute llm/);
      expect(findings[0].fix).toContain('keda-add-ons-http-interceptor-proxy.keda.svc.cluster.local');
    }
  });

  test.each([
    ['through the interceptor\'s ExternalName Service', [route(), proxy, ingress('llm-proxy')]],
    ['no add-on in front', [ingress('llm')]],
    ['an HTTPRoute to a Service in another namespace', [route(), { ...httpRoute('llm'), spec: { rules: [{ backendRefs: [{ name: 'llm', namespace: 'keda' }] }] } }]],
  ])('no finding: %s', (_name, extra) => {
    expect(run([server(), service(), ...extra], BYPASS)).toEqual([]);
  });
});

describe('the add-on is the buffer ML-W-SCALE-TO-ZERO-WITHOUT-BUFFER asks for', () => {
  const queue = { type: 'rabbitmq', metadata: { queueName: 'jobs', mode: 'QueueLength', value: '5', hostFromEnv: 'RABBITMQ_HOST' } };

  test('an InterceptorRoute to the Service, or the add-on\'s trigger, counts as a buffer', () => {
    expect(run([server(), service(), route({ timeouts: { readiness: '180s' } }), scaledObject([queue])], NO_BUFFER)).toEqual([]);
    expect(run([server(), service(), scaledObject([ADD_ON_TRIGGER])], NO_BUFFER)).toEqual([]);
  });

  test('without one, the fix names the add-on\'s InterceptorRoute and its trigger', () => {
    const findings = run([server(), service(), scaledObject([queue])], NO_BUFFER);
    expect(findings).toHaveLength(1);
    expect(findings[0].fix).toMatch(/KEDA HTTP add-on \(an InterceptorRoute to this Service with timeouts\.readiness above the model load time, and its external-push trigger/);
  });
});

test('an HTTPScaledObject beside a ScaledObject on one Deployment: the fix moves to an InterceptorRoute in one ScaledObject', () => {
  const findings = run([server(), service(), httpScaledObject(), scaledObject([ADD_ON_TRIGGER], 1)], 'ML-E-TWO-AUTOSCALERS');
  expect(findings.length).toBeGreaterThan(0);
  expect(findings[0].fix).toMatch(/replace it \(deprecated since add-on v0\.14\) with an InterceptorRoute .*external-push/);
});

test.each([
  ['90s', 90], ['1m30s', 90], ['1.5h', 5400], ['500ms', 0.5], ['0', 0], ['0s', 0], ['-1m', -60], ['2h45m10s', 9910],
  ['', undefined], ['90', undefined], ['1d', undefined], ['s', undefined], [90, undefined], ['1m 30s', undefined],
])('Go duration %j', (text, seconds) => {
  expect(parseGoDuration(text)).toBe(seconds);
});
