import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ModelServingProps } from './model-serving-props';
import { MODEL_LOAD_SECONDS } from '../annotations';
import { durationSeconds, objectMeta, propError } from '../errors';
import { renderPodMonitor } from '../model-server/render-pod-monitor';
import { serverPodParts } from '../model-server/server-pod';
import { DNS1035_LABEL_NAME } from '../validate/formats';
import { intOrString, kubeObject } from '../workload/kube-object';
import { renderDisruptionBudget } from '../workload/render-disruption-budget';
import { RenderedPod, renderModelPod, resolveSelectorLabels } from '../workload/render-pod';
import { renderProbes } from '../workload/render-probes';

/** The model load time assumed when none is declared: the article's upper bound. */
export const DEFAULT_MODEL_LOAD_SECONDS = 120;

/**
 * What the serving pieces rendered (used by the serving constructs).
 */
export interface ServingParts {
  readonly pod: RenderedPod;
  readonly modelLoadSeconds: number;
  readonly selectorLabels: { [key: string]: string };
}
/**
 * Renders the serving workload shared by the serving constructs: Deployment (no replicas: an
 * autoscaler owns them), Service and PodDisruptionBudget, from props already checked against
 * `MODEL_SERVING_SHAPE`.
 */
export function renderServing(scope: Construct, props: ModelServingProps, minReplicas: number) {
  checkServiceName(scope, props);
  const server = serverPodParts(scope, props);
  const { httpPort, ports } = server;
  const modelLoadSeconds = durationSeconds(scope, 'modelLoadTime', props.modelLoadTime, 0) ?? DEFAULT_MODEL_LOAD_SECONDS;
  const selectorLabels = resolveSelectorLabels(scope, props.selectorLabels, props.name);
  const annotations: { [key: string]: string } = { [MODEL_LOAD_SECONDS]: String(modelLoadSeconds), ...server.annotations };
  const annotationProps: { [key: string]: string } = { [MODEL_LOAD_SECONDS]: 'modelLoadTime', ...server.annotationProps };
  const probeDefaults = server.probeDefaults;
  const pod = renderModelPod(scope, props, {
    defaultContainerName: 'inference',
    selectorLabels,
    ports,
    probes: renderProbes(scope, modelLoadSeconds, httpPort, { ...probeDefaults, ...definedOnly(props.probes) }),
    annotations,
    annotationProps,
  });

  // No spec.replicas: the autoscaler owns the count (a rendered count would be reset on every apply).
  // With an HPA that scales to zero (minReplicas 0) it matters more: the API server creates the
  // Deployment at 1 replica, which the HPA scales to zero and marks `ScaledToZero`, so it can wake it
  // again; a Deployment rendered at `replicas: 0` would look scaled to zero by hand, which the HPA
  // treats as scaling disabled and never wakes.
  const deployment = kubeObject<k8s.KubeDeploymentProps>(scope, 'Resource', k8s.KubeDeployment.GVK, {
    metadata: objectMeta(props.name, props.namespace),
    spec: { selector: { matchLabels: { ...selectorLabels } }, template: pod.template },
  });
  const service = kubeObject<k8s.KubeServiceProps>(scope, 'Service', k8s.KubeService.GVK, {
    metadata: objectMeta(props.serviceName ?? props.name, props.namespace),
    spec: {
      type: 'ClusterIP',
      selector: { ...selectorLabels },
      ports: ports.map(p => ({ name: p.name, port: p.containerPort, targetPort: intOrString(p.name!) })),
    },
  });
  const podDisruptionBudget = renderDisruptionBudget(scope, props.disruptionBudget, {
    defaultName: props.name ? `${props.name}-pdb` : undefined,
    defaultNameProp: 'name',
    defaultNameValue: props.name,
    namespace: props.namespace,
    selectorLabels,
    minReplicas,
  });
  let podMonitor: ApiObject | undefined;
  if (props.metricsMonitor !== undefined) {
    if (server.scrapePortName === undefined) {
      throw propError(scope, 'metricsMonitor', props.metricsMonitor, 'has no metrics endpoint to scrape',
        'set metricsPort (and metricsPath), or modelServer');
    }
    podMonitor = renderPodMonitor(scope, props.metricsMonitor, {
      workloadName: props.name,
      namespace: props.namespace,
      selectorLabels,
      port: server.scrapePortName,
      path: server.metricsPath,
    });
  }
  const parts: ServingParts = { pod, modelLoadSeconds, selectorLabels };
  return { deployment, service, podDisruptionBudget, podMonitor, parts };
}

/** Without serviceName the name is also the Service's, which must be a DNS-1035 label. */
function checkServiceName(scope: Construct, props: ModelServingProps): void {
  if (props.serviceName !== undefined || props.name === undefined) return;
  const problem = DNS1035_LABEL_NAME.test(props.name);
  if (problem === undefined) return;
  throw propError(scope, 'name', props.name,
    `${problem}; without serviceName the name is also the Service name, which must be a DNS-1035 label`,
    `${DNS1035_LABEL_NAME.fix!(props.name)}, or set serviceName`);
}

/** The keys of `o` whose values are defined (so they do not override defaults with undefined). */
function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (v !== undefined) (out as any)[k] = v;
  return out;
}
