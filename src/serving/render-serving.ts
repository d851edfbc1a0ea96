import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ModelServingProps } from './model-serving-props';
import { MODEL_LOAD_SECONDS } from '../annotations';
import { durationSeconds, objectMeta, propError } from '../errors';
import { DNS1035_LABEL_NAME } from '../validate/formats';
import { intOrString, kubeObject } from '../workload/kube-object';
import { renderDisruptionBudget } from '../workload/render-disruption-budget';
import { RenderedPod, renderModelPod, resolveSelectorLabels } from '../workload/render-pod';
import { renderProbes } from '../workload/render-probes';

const PROMETHEUS_SCRAPE = 'prometheus.io/scrape';
const PROMETHEUS_PORT = 'prometheus.io/port';
const PROMETHEUS_PATH = 'prometheus.io/path';

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
  const httpPort = props.httpPort ?? 8080;
  if (props.metricsPath !== undefined && props.metricsPort === undefined) {
    throw propError(scope, 'metricsPath', props.metricsPath, 'is only announced together with metricsPort, which is not set',
      'set metricsPort (e.g. 8000), or remove metricsPath');
  }
  if (!(props.metricsPort === undefined || props.metricsPort !== httpPort)) {
    throw propError(scope, 'metricsPort', props.metricsPort,
      'is the same as httpPort', 'serve metrics on a separate port (the article uses 8000)');
  }
  const modelLoadSeconds = durationSeconds(scope, 'modelLoadTime', props.modelLoadTime, 0) ?? DEFAULT_MODEL_LOAD_SECONDS;
  const selectorLabels = resolveSelectorLabels(scope, props.selectorLabels, props.name);

  const ports: k8s.ContainerPort[] = [{ containerPort: httpPort, name: 'http' }];
  if (props.metricsPort !== undefined) ports.push({ containerPort: props.metricsPort, name: 'metrics' });
  const annotations: { [key: string]: string } = { [MODEL_LOAD_SECONDS]: String(modelLoadSeconds) };
  const annotationProps: { [key: string]: string } = { [MODEL_LOAD_SECONDS]: 'modelLoadTime' };
  if (props.metricsPort !== undefined) {
    annotations[PROMETHEUS_SCRAPE] = 'true';
    annotations[PROMETHEUS_PORT] = String(props.metricsPort);
    annotations[PROMETHEUS_PATH] = props.metricsPath ?? '/metrics';
    Object.assign(annotationProps, { [PROMETHEUS_SCRAPE]: 'metricsPort', [PROMETHEUS_PORT]: 'metricsPort', [PROMETHEUS_PATH]: 'metricsPath' });
  }
  const pod = renderModelPod(scope, props, {
    defaultContainerName: 'inference',
    selectorLabels,
    ports,
    probes: renderProbes(scope, modelLoadSeconds, httpPort, props.probes),
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
  const parts: ServingParts = { pod, modelLoadSeconds, selectorLabels };
  return { deployment, service, podDisruptionBudget, parts };
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
