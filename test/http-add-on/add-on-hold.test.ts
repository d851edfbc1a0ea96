/**
 * How long the add-on's interceptor (v0.15.0) holds a request, read from one add-on object: the one reading
 * the guardrails and the simulator share.
 */
import { addOnHold } from '../../src/http-add-on/add-on-hold';

const route = (spec: any) => ({ apiVersion: 'http.keda.sh/v1beta1', kind: 'InterceptorRoute', metadata: { name: 'r' }, spec });
const hso = (spec: any) => ({ apiVersion: 'http.keda.sh/v1alpha1', kind: 'HTTPScaledObject', metadata: { name: 'h' }, spec });
const FALLBACK = { fallback: { service: { name: 'small', port: 80 } } };

test.each([
  ['readiness', route({ timeouts: { readiness: '3m' } }), 180, 'spec.timeouts.readiness'],
  ['a shorter request deadline bounds it', route({ timeouts: { readiness: '3m', request: '90s' } }), 90, 'spec.timeouts.request'],
  ['readiness 0: no deadline of its own', route({ timeouts: { readiness: '0s' } }), undefined, 'spec.timeouts.readiness'],
  ['readiness 0, request deadline', route({ timeouts: { readiness: '0s', request: '2m' } }), 120, 'spec.timeouts.request'],
  ['no readiness: the global value', route({}), undefined, 'spec.timeouts.readiness'],
  ['no readiness, request deadline', route({ timeouts: { request: '2m' } }), 120, 'spec.timeouts.request'],
  ['fallback without readiness: 30 s', route({ coldStart: FALLBACK }), 30, 'spec.coldStart.fallback'],
  ['fallback with readiness 0: 30 s', route({ timeouts: { readiness: '0s' }, coldStart: FALLBACK }), 30, 'spec.timeouts.readiness'],
  ['fallback with readiness', route({ timeouts: { readiness: '100s' }, coldStart: FALLBACK }), 100, 'spec.timeouts.readiness'],
  ['HTTPScaledObject conditionWait', hso({ timeouts: { conditionWait: '45s' } }), 45, 'spec.timeouts.conditionWait'],
  ['HTTPScaledObject conditionWait 0: the global value', hso({ timeouts: { conditionWait: '0s' } }), undefined, 'spec.timeouts.conditionWait'],
  ['HTTPScaledObject failover replaces conditionWait', hso({ timeouts: { conditionWait: '300s' }, coldStartTimeoutFailoverRef: { service: 's', port: 80 } }),
    30, 'spec.coldStartTimeoutFailoverRef.timeoutSeconds'],
  ['HTTPScaledObject failover timeoutSeconds', hso({ coldStartTimeoutFailoverRef: { service: 's', port: 80, timeoutSeconds: 200 } }),
    200, 'spec.coldStartTimeoutFailoverRef.timeoutSeconds'],
])('%s', (_name, obj, hold, location) => {
  const h = addOnHold(obj);
  expect(h.holdSeconds).toBe(hold);
  expect(h.location).toBe(location);
  expect(h.placeholder).toBe(false);
  expect(h.invalidField).toBeUndefined();
});

test('a placeholder holds nothing; a bad duration is named', () => {
  const placeholder = addOnHold(route({ coldStart: { placeholder: { response: { statusCode: 503 } } } }));
  expect(placeholder.placeholder).toBe(true);
  expect(placeholder.holdSeconds).toBeUndefined();
  expect(addOnHold(route({ timeouts: { readiness: '90' } }))).toMatchObject({ invalidField: 'spec.timeouts.readiness' });
  expect(addOnHold(hso({ timeouts: { conditionWait: 'soon' } }))).toMatchObject({ invalidField: 'spec.timeouts.conditionWait' });
  expect(addOnHold(route({ coldStart: FALLBACK }))).toMatchObject({ fallbackService: 'small' });
});
