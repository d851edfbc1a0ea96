import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { EXTERNAL_SCALER_PORT, EXTERNAL_SCALER_SERVICE, INTERCEPTOR_PROXY_PORT, INTERCEPTOR_PROXY_SERVICE } from './add-on-services';
import { RequestBufferingOptions } from './request-buffering';
import type * as Bindings from '../../imports/interceptorroutes-http.keda.sh';
import { durationSeconds, objectMeta, propError } from '../errors';
import { Trigger } from '../keda/trigger';
import { checkDerivedName } from '../workload/derived-names';
import { kubeObject } from '../workload/kube-object';
import { loadBudgetSeconds } from '../workload/render-probes';

/** apiVersion and kind of the add-on's route (the generated bindings' `InterceptorRoute.GVK`, without loading them). */
const INTERCEPTOR_ROUTE_GVK = { apiVersion: 'http.keda.sh/v1beta1', kind: 'InterceptorRoute' };

/** Scheduling and image pull on top of the startup budget, for the default hold. */
export const SCHEDULING_HEADROOM_SECONDS = 60;

/** What the request buffering rendered. */
export interface RenderedRequestBuffering {
  readonly interceptorRoute: ApiObject;
  /** The ExternalName Service clients call: it leads to the interceptor. */
  readonly proxyService: ApiObject;
  /** The add-on's trigger, for the workload's ScaledObject. */
  readonly trigger: Trigger;
  /** The hold in seconds. */
  readonly holdSeconds: number;
}

/** The default hold: the startup probe's budget plus scheduling headroom. */
export function defaultHoldSeconds(modelLoadSeconds: number): number {
  return loadBudgetSeconds(modelLoadSeconds) + SCHEDULING_HEADROOM_SECONDS;
}

const seconds = (s: number) => `${s}s`;

/**
 * Renders the InterceptorRoute to `serviceName` (port `http`), the ExternalName proxy Service and the
 * add-on's `external-push` trigger, from options already checked against `REQUEST_BUFFERING_OPTIONS`.
 */
export function renderRequestBuffering(scope: Construct, options: RequestBufferingOptions, target: {
  serviceName: string; serviceNameProp: string; namespace?: string; modelLoadSeconds: number;
}): RenderedRequestBuffering {
  const prop = 'requestBuffering';
  const hold = durationSeconds(scope, `${prop}.holdTimeout`, options.holdTimeout, 1) ?? defaultHoldSeconds(target.modelLoadSeconds);
  if (hold < target.modelLoadSeconds) {
    throw propError(scope, `${prop}.holdTimeout`, options.holdTimeout,
      `is shorter than modelLoadTime (${target.modelLoadSeconds} s): the interceptor would answer 504 to every request of a cold start from zero`,
      `set holdTimeout to at least ${target.modelLoadSeconds} s plus scheduling headroom, or leave it out (default: ${defaultHoldSeconds(target.modelLoadSeconds)} s)`);
  }
  const request = durationSeconds(scope, `${prop}.requestTimeout`, options.requestTimeout, 1);
  if (request !== undefined && request < hold) {
    throw propError(scope, `${prop}.requestTimeout`, options.requestTimeout,
      `is shorter than the hold (${hold} s): the request deadline would cut the hold short`,
      `set requestTimeout to at least ${hold} s plus the inference time, or leave it out`);
  }
  const addOnNamespace = options.addOnNamespace ?? 'keda';
  const routeName = options.routeName ?? target.serviceName;
  const placeholder = options.placeholder;
  const fallback = options.fallback;

  const interceptorRoute = kubeObject<Bindings.InterceptorRouteProps>(scope, 'InterceptorRoute', INTERCEPTOR_ROUTE_GVK, {
    metadata: objectMeta(routeName, target.namespace),
    spec: {
      target: { service: target.serviceName, portName: 'http' },
      rules: [{
        hosts: [...options.hosts],
        ...(options.pathPrefixes ? { paths: options.pathPrefixes.map(value => ({ value })) } : {}),
      }],
      scalingMetric: { concurrency: { targetValue: options.concurrencyPerReplica } },
      timeouts: { readiness: seconds(hold), ...(request !== undefined ? { request: seconds(request) } : {}) },
      ...(placeholder || fallback ? {
        coldStart: {
          ...(fallback ? { fallback: { service: { name: fallback.serviceName, port: fallback.port } } } : {}),
          ...(placeholder ? {
            placeholder: {
              response: {
                ...(placeholder.statusCode !== undefined ? { statusCode: placeholder.statusCode } : {}),
                ...(placeholder.body !== undefined ? { body: placeholder.body } : {}),
                ...(placeholder.headers !== undefined ? { headers: { ...placeholder.headers } } : {}),
              },
            },
          } : {}),
        },
      } : {}),
    },
  });

  const proxyName = `${target.serviceName}-proxy`;
  checkDerivedName(scope, target.serviceNameProp, target.serviceName, proxyName, 'interceptor proxy Service name', 63, 'serviceName');
  const proxyService = kubeObject<k8s.KubeServiceProps>(scope, 'InterceptorProxy', k8s.KubeService.GVK, {
    metadata: objectMeta(proxyName, target.namespace),
    spec: {
      type: 'ExternalName',
      externalName: `${INTERCEPTOR_PROXY_SERVICE}.${addOnNamespace}.svc.cluster.local`,
      ports: [{ name: 'http', port: INTERCEPTOR_PROXY_PORT }],
    },
  });

  // No namespace key: the add-on's scaler looks the route up in the ScaledObject's own namespace.
  const trigger = Trigger.custom({
    type: 'external-push',
    name: 'http_requests',
    metadata: { scalerAddress: `${EXTERNAL_SCALER_SERVICE}.${addOnNamespace}:${EXTERNAL_SCALER_PORT}`, interceptorRoute: routeName },
  });
  return { interceptorRoute, proxyService, trigger, holdSeconds: hold };
}
