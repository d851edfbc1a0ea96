import { Duration } from 'cdk8s';

/**
 * A static answer the add-on's interceptor gives while no pod is ready, instead of holding the request
 * (InterceptorRoute `coldStart.placeholder`), e.g. a 503 with `Retry-After` for clients that retry.
 */
export interface ColdStartPlaceholder {
  /**
   * HTTP status code, 100..599.
   * @default 503 (the add-on's default)
   */
  readonly statusCode?: number;
  /**
   * Response body.
   * @default - empty
   */
  readonly body?: string;
  /**
   * Response headers, e.g. `{ 'Retry-After': '60' }`.
   * @default - none
   */
  readonly headers?: { [name: string]: string };
}

/**
 * Another Service that answers when no pod became ready within the hold (InterceptorRoute
 * `coldStart.fallback`), e.g. a smaller model that is always on.
 */
export interface ColdStartFallback {
  /** Name of the Service, in the workload's namespace. */
  readonly serviceName: string;
  /** Its port number. */
  readonly port: number;
}

/**
 * Hold requests while the service scales from zero, with the KEDA HTTP add-on (v0.15): its
 * interceptor proxies the traffic, counts requests in flight (held ones included) for scaling, and
 * holds each request until a pod is ready, up to `holdTimeout`.
 *
 * Renders an `InterceptorRoute` (http.keda.sh/v1beta1) to the service, the add-on's `external-push`
 * trigger in the service's ScaledObject (one controller: the HTTP signal sits beside the other
 * triggers), and an ExternalName Service `<service>-proxy` that clients (or an Ingress) call instead
 * of the service: it leads to the interceptor's proxy, which routes by the Host header.
 */
export interface RequestBufferingOptions {
  /**
   * Host names clients send (the Host header; the interceptor routes by them, port stripped). `*`
   * matches any host, `*.example.com` a domain.
   */
  readonly hosts: string[];

  /**
   * Path prefixes routed to the service (the longest matching prefix wins).
   * @default - every path
   */
  readonly pathPrefixes?: string[];

  /**
   * Requests in flight per replica the add-on's scaler aims at (a whole number of at least 1): its
   * concurrency, counted at the interceptor, requests held during a cold start included. Set it to
   * what one replica serves at its latency target (e.g. the engine's batch).
   */
  readonly concurrencyPerReplica: number;

  /**
   * How long the interceptor holds a request for a ready pod (InterceptorRoute `timeouts.readiness`);
   * then it answers 504, or the fallback does. At least the model load time (an error below it).
   * @default - the startup probe's budget (model load time plus 25%, at least 30 s) plus 60 s for
   * scheduling and image pull
   */
  readonly holdTimeout?: Duration;

  /**
   * The total deadline of one request at the interceptor (InterceptorRoute `timeouts.request`): the
   * hold plus the inference. At least `holdTimeout` (an error below it).
   * @default - none: the add-on's global KEDA_HTTP_REQUEST_TIMEOUT (no deadline by default)
   */
  readonly requestTimeout?: Duration;

  /**
   * Answer at once with a static response while no pod is ready, instead of holding.
   * @default - hold the request
   */
  readonly placeholder?: ColdStartPlaceholder;

  /**
   * Send a request that waited `holdTimeout` to another Service instead of answering 504.
   * @default - none
   */
  readonly fallback?: ColdStartFallback;

  /**
   * Namespace the add-on runs in (its interceptor proxy and external scaler).
   * @default "keda"
   */
  readonly addOnNamespace?: string;

  /**
   * Name of the InterceptorRoute.
   * @default - the Service's name
   */
  readonly routeName?: string;
}
