import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ModelServingProps } from './model-serving-props';
import { MODEL_LOAD_SECONDS } from '../annotations';
import { checkDnsName, checkInteger, durationSeconds, objectMeta, propError } from '../errors';
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
 * autoscaler owns them), Service and PodDisruptionBudget.
 */
export function renderServing(scope: Construct, props: ModelServingProps, minReplicas: number) {
  checkDnsName(scope, 'name', props.name);
  checkDnsName(scope, 'namespace', props.namespace, 'label');
  checkDnsName(scope, 'serviceName', props.serviceName, 'label');
  const httpPort = props.httpPort ?? 8080;
  checkInteger(scope, 'httpPort', httpPort, 1, 65535);
  checkInteger(scope, 'metricsPort', props.metricsPort, 1, 65535);
  if (!(props.metricsPort === undefined || props.metricsPort !== httpPort)) {
    throw propError(scope, 'metricsPort', props.metricsPort,
      'is the same as httpPort', 'serve metrics on a separate port (the article uses 8000)');
  }
  const modelLoadSeconds = durationSeconds(scope, 'modelLoadTime', props.modelLoadTime, 0) ?? DEFAULT_MODEL_LOAD_SECONDS;
  const selectorLabels = resolveSelectorLabels(scope, props.selectorLabels, props.name);

  const ports: k8s.ContainerPort[] = [{ containerPort: httpPort, name: 'http' }];
  if (props.metricsPort !== undefined) ports.push({ containerPort: props.metricsPort, name: 'metrics' });
  const annotations: { [key: string]: string } = { [MODEL_LOAD_SECONDS]: String(modelLoadSeconds) };
  if (props.metricsPort !== undefined) {
    annotations['prometheus.io/scrape'] = 'true';
    annotations['prometheus.io/port'] = String(props.metricsPort);
    annotations['prometheus.io/path'] = props.metricsPath ?? '/metrics';
  }
  const pod = renderModelPod(scope, props, {
    defaultContainerName: 'inference',
    selectorLabels,
    ports,
    probes: renderProbes(scope, modelLoadSeconds, httpPort, props.probes),
    annotations,
  });

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
    namespace: props.namespace,
    selectorLabels,
    minReplicas,
  });
  const parts: ServingParts = { pod, modelLoadSeconds, selectorLabels };
  return { deployment, service, podDisruptionBudget, parts };
}
