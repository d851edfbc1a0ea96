import { apiRuleViolations, assertApiRules, formatViolation, hpaMinReplicasFloor } from '.';
import {
  isDns1035Label, isDns1123Label, isDns1123Subdomain, isEnvVarName, isLabelValue, isPortName, isQualifiedName, isQuantity, quantityValue,
} from './formats';
import { KubernetesTarget } from '../../src';

const pod = () => ({
  metadata: { labels: { app: 'svc' }, annotations: { 'prometheus.io/scrape': 'true' } },
  spec: {
    containers: [{
      name: 'model',
      image: 'registry/model:v1',
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      env: [{ name: 'MODEL_PATH', value: '/models' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'tok', key: 'token' } } }],
      resources: { requests: { 'cpu': '500m', 'memory': '4Gi', 'nvidia.com/gpu': '1' }, limits: { 'memory': '4Gi', 'nvidia.com/gpu': '1' } },
      readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5, failureThreshold: 3, successThreshold: 2 },
      startupProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10, failureThreshold: 60 },
      livenessProbe: { tcpSocket: { port: 8080 }, successThreshold: 1 },
      securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000 },
      lifecycle: { preStop: { exec: { command: ['sleep', '10'] } } },
    }],
    nodeSelector: { 'node.kubernetes.io/instance-type': 'g5.xlarge' },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g5.xlarge'] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }],
      },
    },
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    terminationGracePeriodSeconds: 2 ** 40,
    serviceAccountName: 'svc-sa',
  },
});

const valid = (): Record<string, any> => ({
  Deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'svc.v1', namespace: 'ml', labels: { 'app.kubernetes.io/name': 'svc', 'empty': '' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'svc' } }, template: pod() },
  },
  Service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc' },
    spec: { selector: { app: 'svc' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 9090 }] },
  },
  HorizontalPodAutoscaler: {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'svc' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'svc' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Pods', pods: { metric: { name: 'queue_depth' }, target: { type: 'AverageValue', averageValue: '500m' } } },
        { type: 'External', external: { metric: { name: 'q', selector: { matchLabels: { queue: 'jobs' } } }, target: { type: 'Value', value: '30' } } },
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }], selectPolicy: 'Max' },
        scaleDown: { stabilizationWindowSeconds: 3600, policies: [{ type: 'Percent', value: 10, periodSeconds: 1800 }] },
      },
    },
  },
  PodDisruptionBudget: {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'svc' },
    spec: { maxUnavailable: '25%', selector: { matchLabels: { app: 'svc' } } },
  },
  ScaledObject: {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'worker' },
    spec: {
      scaleTargetRef: { name: 'worker' },
      minReplicaCount: 1,
      maxReplicaCount: 10,
      idleReplicaCount: 0,
      pollingInterval: 30,
      cooldownPeriod: 300,
      fallback: { failureThreshold: 3, replicas: 2 },
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } } },
      triggers: [{ type: 'rabbitmq', name: 'q', metadata: { queueName: 'jobs', value: '5' }, authenticationRef: { name: 'rabbitmq-auth' } }],
    },
  },
  ScaledJob: {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledJob',
    metadata: { name: 'batch' },
    spec: {
      minReplicaCount: 0,
      maxReplicaCount: 10,
      pollingInterval: 30,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 5,
      jobTargetRef: { parallelism: 1, backoffLimit: 2, activeDeadlineSeconds: 4200, template: { ...pod(), spec: { ...pod().spec, restartPolicy: 'Never' } } },
      triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://prometheus:9090', query: 'sum(q)', threshold: '10' } }],
    },
  },
  TriggerAuthentication: {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: { name: 'rabbitmq-auth' },
    spec: { secretTargetRef: [{ parameter: 'host', name: 'rabbitmq', key: 'host' }], podIdentity: { provider: 'aws' } },
  },
});

test('HPA scaling rules without policies pass: the API server defaults them (GenerateHPAScaleDownRules)', () => {
  const hpa = valid().HorizontalPodAutoscaler;
  hpa.spec.behavior = { scaleDown: { stabilizationWindowSeconds: 600 }, scaleUp: { selectPolicy: 'Disabled' } };
  expect(apiRuleViolations(hpa).map(formatViolation)).toEqual([]);
});

test('the valid objects pass', () => {
  for (const obj of Object.values(valid())) {
    expect(apiRuleViolations(obj).map(formatViolation)).toEqual([]);
  }
});

type Mutation = [kind: string, what: string, mutate: (o: any) => void, expectedRule: string, expectedPath?: string];
const c0 = (o: any) => o.spec.template.spec.containers[0];

/** One crafted bad object per rule: each must produce a violation whose rule text contains the expected fragment. */
const MUTATIONS: Mutation[] = [
  // names per kind
  ['Service', 'Service name with a dot', o => { o.metadata.name = 'svc.v1'; }, 'DNS-1035', 'metadata.name'],
  ['Service', 'Service name starting with a digit', o => { o.metadata.name = '1svc'; }, 'DNS-1035'],
  ['Service', 'Service name of 64 chars', o => { o.metadata.name = 'a'.repeat(64); }, 'DNS-1035'],
  ['Deployment', 'uppercase name', o => { o.metadata.name = 'Svc'; }, 'DNS-1123 subdomain', 'metadata.name'],
  ['Deployment', 'name of 254 chars', o => { o.metadata.name = 'a'.repeat(254); }, 'DNS-1123 subdomain'],
  ['Deployment', 'empty name', o => { o.metadata.name = ''; }, 'name or generateName is required'],
  ['HorizontalPodAutoscaler', 'name with underscore', o => { o.metadata.name = 'svc_hpa'; }, 'DNS-1123 subdomain'],
  ['Deployment', 'namespace with a dot', o => { o.metadata.namespace = 'ml.prod'; }, 'ValidateNamespaceName', 'metadata.namespace'],
  // labels
  ['Deployment', 'label key with two slashes', o => { o.metadata.labels['a/b/c'] = 'x'; }, 'qualified name'],
  ['Deployment', 'label key prefix uppercase', o => { o.metadata.labels['Example.com/x'] = 'x'; }, 'qualified name'],
  ['Deployment', 'label key name 64 chars', o => { o.metadata.labels['a'.repeat(64)] = 'x'; }, 'qualified name'],
  ['Deployment', 'label value 64 chars', o => { o.metadata.labels.app = 'a'.repeat(64); }, 'IsValidLabelValue'],
  ['Deployment', 'label value with space', o => { o.metadata.labels.app = 'a b'; }, 'IsValidLabelValue'],
  ['Deployment', 'label value ending with -', o => { o.metadata.labels.app = 'ab-'; }, 'IsValidLabelValue'],
  ['Deployment', 'label value a number', o => { o.metadata.labels.app = 5; }, 'IsValidLabelValue'],
  ['Deployment', 'pod template label', o => { o.spec.template.metadata.labels.bad = 'a b'; }, 'IsValidLabelValue', 'spec.template.metadata.labels["bad"]'],
  ['Deployment', 'selector matchLabels', o => { o.spec.selector.matchLabels['x/'] = 'a'; }, 'qualified name', 'spec.selector.matchLabels["x/"]'],
  ['Deployment', 'nodeSelector value', o => { o.spec.template.spec.nodeSelector['node.kubernetes.io/instance-type'] = 'g5 xlarge'; }, 'IsValidLabelValue'],
  ['Service', 'Service selector', o => { o.spec.selector = { app: '-svc' }; }, 'IsValidLabelValue', 'spec.selector["app"]'],
  ['PodDisruptionBudget', 'PDB selector', o => { o.spec.selector.matchLabels = { app: 'x'.repeat(70) }; }, 'IsValidLabelValue'],
  ['PodDisruptionBudget', 'PDB selector expression operator', o => { o.spec.selector.matchExpressions = [{ key: 'app', operator: 'Equals', values: ['a'] }]; }, 'ValidateLabelSelectorRequirement'],
  // annotations
  ['Deployment', 'annotation key with space', o => { o.metadata.annotations = { 'my key': 'v' }; }, 'ValidateAnnotations'],
  ['Deployment', 'annotation value not a string', o => { o.metadata.annotations = { key: 5 }; }, 'annotation value must be a string'],
  ['Deployment', 'annotations over 256 KiB', o => { o.metadata.annotations = { a: 'x'.repeat(200 * 1024), b: 'y'.repeat(57 * 1024) }; }, 'TotalAnnotationSizeLimitB'],
  ['Deployment', 'pod annotations over 256 KiB', o => { o.spec.template.metadata.annotations = { a: 'x'.repeat(257 * 1024) }; }, 'TotalAnnotationSizeLimitB'],
  // numbers
  ['Deployment', 'replicas 2**31', o => { o.spec.replicas = 2 ** 31; }, 'int32', 'spec.replicas'],
  ['Deployment', 'replicas -1', o => { o.spec.replicas = -1; }, 'ValidateNonnegativeField'],
  ['Deployment', 'replicas 1.5', o => { o.spec.replicas = 1.5; }, 'must be an integer'],
  ['Deployment', 'replicas NaN', o => { o.spec.replicas = NaN; }, 'finite'],
  ['Deployment', 'replicas Infinity', o => { o.spec.replicas = Infinity; }, 'finite'],
  ['Deployment', 'terminationGracePeriodSeconds unsafe int64', o => { o.spec.template.spec.terminationGracePeriodSeconds = 2 ** 60; }, 'safe int64'],
  ['Deployment', 'terminationGracePeriodSeconds negative', o => { o.spec.template.spec.terminationGracePeriodSeconds = -1; }, 'int64 >= 0'],
  ['Deployment', 'stringified NaN', o => { c0(o).env[0].value = 'NaN'; }, 'stringified by accident'],
  ['Deployment', 'stringified object', o => { o.metadata.annotations = { a: '[object Object]' }; }, 'stringified by accident'],
  // containers
  ['Deployment', 'container name uppercase', o => { c0(o).name = 'Model'; }, 'ValidateDNS1123Label'],
  ['Deployment', 'duplicate container names', o => { o.spec.template.spec.containers.push({ ...c0(o), ports: undefined }); }, 'container names must be unique'],
  ['Deployment', 'no containers', o => { o.spec.template.spec.containers = []; }, 'at least one container'],
  ['Deployment', 'empty image', o => { c0(o).image = ''; }, 'image'],
  ['Deployment', 'image with whitespace', o => { c0(o).image = ' registry/model:v1'; }, 'without whitespace'],
  ['Deployment', 'port 0', o => { c0(o).ports[0].containerPort = 0; }, 'IsValidPortNum'],
  ['Deployment', 'port 65536', o => { c0(o).ports[0].containerPort = 65536; }, 'IsValidPortNum'],
  ['Deployment', 'port name 16 chars', o => { c0(o).ports[0].name = 'a'.repeat(16); }, 'IsValidPortName'],
  ['Deployment', 'port name with --', o => { c0(o).ports[0].name = 'a--b'; }, 'IsValidPortName'],
  ['Deployment', 'port name digits only', o => { c0(o).ports[0].name = '8080'; }, 'IsValidPortName'],
  ['Deployment', 'port name uppercase', o => { c0(o).ports[0].name = 'HTTP'; }, 'IsValidPortName'],
  ['Deployment', 'port protocol', o => { c0(o).ports[0].protocol = 'HTTP'; }, 'TCP, UDP or SCTP'],
  ['Deployment', 'duplicate port names', o => { c0(o).ports.push({ name: 'http', containerPort: 9090 }); }, 'port names must be unique'],
  ['Deployment', 'env name with space', o => { c0(o).env[0].name = 'MODEL PATH'; }, 'IsEnvVarName'],
  ['Deployment', 'env name starting with digit', o => { c0(o).env[0].name = '1PATH'; }, 'IsEnvVarName'],
  ['Deployment', 'env value a number', o => { c0(o).env[0].value = 5; }, 'EnvVar.value is a string'],
  ['Deployment', 'duplicate env names', o => { c0(o).env.push({ name: 'MODEL_PATH', value: 'x' }); }, 'env names should be unique'],
  ['Deployment', 'env value and valueFrom', o => { c0(o).env[1].value = 'x'; }, 'both value and valueFrom'],
  ['Deployment', 'secret key ref name', o => { c0(o).env[1].valueFrom.secretKeyRef.name = 'Tok'; }, 'validateSecretKeySelector'],
  ['Deployment', 'secret key ref key', o => { c0(o).env[1].valueFrom.secretKeyRef.key = 'a b'; }, 'IsConfigMapKey'],
  ['Deployment', 'command not strings', o => { c0(o).command = ['a', 1]; }, 'list of strings'],
  ['Deployment', 'quantity garbage', o => { c0(o).resources.requests.cpu = '500 m'; }, 'ParseQuantity'],
  ['Deployment', 'quantity NaN', o => { c0(o).resources.requests.cpu = 'NaNm'; }, 'ParseQuantity'],
  ['Deployment', 'quantity negative', o => { c0(o).resources.requests.memory = '-1Gi'; c0(o).resources.limits.memory = '-1Gi'; }, 'ValidateNonnegativeQuantity'],
  ['Deployment', 'request above limit', o => { c0(o).resources.requests.memory = '8Gi'; }, 'must be <= the limit'],
  ['Deployment', 'fractional GPU', o => { c0(o).resources.requests['nvidia.com/gpu'] = '500m'; c0(o).resources.limits['nvidia.com/gpu'] = '500m'; }, 'whole numbers'],
  ['Deployment', 'GPU request without limit', o => { delete c0(o).resources.limits['nvidia.com/gpu']; }, 'requests must equal limits'],
  ['Deployment', 'resource name', o => { c0(o).resources.requests['a b'] = '1'; }, 'validateResourceName'],
  // probes
  ['Deployment', 'probe period negative', o => { c0(o).readinessProbe.periodSeconds = -1; }, 'validateProbe'],
  ['Deployment', 'liveness successThreshold 2', o => { c0(o).livenessProbe.successThreshold = 2; }, 'validateLivenessProbe'],
  ['Deployment', 'startup successThreshold 3', o => { c0(o).startupProbe.successThreshold = 3; }, 'validateStartupProbe'],
  ['Deployment', 'probe with two handlers', o => { c0(o).livenessProbe.exec = { command: ['true'] }; }, 'exactly one handler'],
  ['Deployment', 'probe port name invalid', o => { c0(o).readinessProbe.httpGet.port = 'Http_Port'; }, 'ValidatePortNumOrName'],
  ['Deployment', 'probe terminationGracePeriodSeconds 0', o => { c0(o).livenessProbe.terminationGracePeriodSeconds = 0; }, 'positive int64'],
  ['Deployment', 'preStop empty command', o => { c0(o).lifecycle.preStop.exec.command = []; }, 'validateExecAction'],
  // security
  ['Deployment', 'runAsUser negative', o => { c0(o).securityContext.runAsUser = -1; }, 'ValidateSecurityContext'],
  ['Deployment', 'runAsNonRoot with user 0', o => { c0(o).securityContext.runAsUser = 0; }, 'verifyRunAsNonRoot'],
  // scheduling
  ['Deployment', 'affinity In without values', o => { o.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values = []; }, 'ValidateNodeSelectorRequirement'],
  ['Deployment', 'affinity key invalid', o => { o.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key = 'a b'; }, 'ValidateLabelName'],
  ['Deployment', 'affinity no terms', o => { o.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms = []; }, 'ValidateNodeSelector'],
  ['Deployment', 'preferred weight 0', o => { o.spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight = 0; }, 'ValidatePreferredSchedulingTerms'],
  ['Deployment', 'preferred weight 101', o => { o.spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight = 101; }, 'ValidatePreferredSchedulingTerms'],
  ['Deployment', 'toleration key invalid', o => { o.spec.template.spec.tolerations[0].key = 'a b'; }, 'validateTolerations'],
  ['Deployment', 'toleration Exists with value', o => { o.spec.template.spec.tolerations[0].value = 'x'; }, 'must be empty when operator is Exists'],
  ['Deployment', 'toleration effect', o => { o.spec.template.spec.tolerations[0].effect = 'NoScheduleX'; }, 'validateTaintEffect'],
  ['Deployment', 'toleration empty key with Equal', o => { o.spec.template.spec.tolerations[0] = { key: '', operator: 'Equal', value: 'x' }; }, 'must be Exists when key is empty'],
  ['Deployment', 'serviceAccountName', o => { o.spec.template.spec.serviceAccountName = 'SA'; }, 'ValidateServiceAccountName'],
  ['Deployment', 'restartPolicy Never', o => { o.spec.template.spec.restartPolicy = 'Never'; }, 'ValidateDeploymentSpec / ValidateJobSpec'],
  // Deployment
  ['Deployment', 'selector does not match template', o => { o.spec.selector.matchLabels = { app: 'other' }; }, 'does not match template labels'],
  ['Deployment', 'empty selector', o => { o.spec.selector = {}; }, 'empty selector is invalid'],
  // Service
  ['Service', 'port 0', o => { o.spec.ports[0].port = 0; }, 'IsValidPortNum'],
  ['Service', 'targetPort name invalid', o => { o.spec.ports[0].targetPort = 'http--x'; }, 'ValidatePortNumOrName'],
  ['Service', 'unnamed port among several', o => { delete o.spec.ports[1].name; }, 'required when there are several ports'],
  ['Service', 'duplicate port names', o => { o.spec.ports[1].name = 'http'; }, 'port names must be unique'],
  ['Service', 'no ports', o => { o.spec.ports = []; }, 'at least one port'],
  // PDB
  ['PodDisruptionBudget', 'both minAvailable and maxUnavailable', o => { o.spec.minAvailable = 1; }, 'exactly one of minAvailable'],
  ['PodDisruptionBudget', 'neither', o => { delete o.spec.maxUnavailable; }, 'exactly one of minAvailable'],
  ['PodDisruptionBudget', 'percent over 100', o => { o.spec.maxUnavailable = '101%'; }, 'IsNotMoreThan100Percent'],
  ['PodDisruptionBudget', 'negative', o => { o.spec.maxUnavailable = -1; }, 'ValidatePositiveIntOrPercent'],
  ['PodDisruptionBudget', 'no selector', o => { delete o.spec.selector; }, 'selects nothing'],
  // HPA
  ['HorizontalPodAutoscaler', 'minReplicas 0 (default target 1.35: HPAScaleToZero off)', o => { o.spec.minReplicas = 0; }, 'HPAScaleToZero feature gate, off in Kubernetes 1.35', 'spec.minReplicas'],
  ['HorizontalPodAutoscaler', 'minReplicas -1', o => { o.spec.minReplicas = -1; }, 'must be an int32 >= 1', 'spec.minReplicas'],
  ['HorizontalPodAutoscaler', 'tolerance negative', o => { o.spec.behavior.scaleUp.tolerance = '-50m'; }, 'ValidateNonnegativeQuantity', 'spec.behavior.scaleUp.tolerance'],
  ['HorizontalPodAutoscaler', 'tolerance not a quantity', o => { o.spec.behavior.scaleDown.tolerance = '5%'; }, 'ValidateNonnegativeQuantity', 'spec.behavior.scaleDown.tolerance'],
  ['HorizontalPodAutoscaler', 'maxReplicas 0', o => { o.spec.maxReplicas = 0; }, 'must be an int32 >= 1'],
  ['HorizontalPodAutoscaler', 'max below min', o => { o.spec.minReplicas = 5; o.spec.maxReplicas = 4; }, 'must be >= minReplicas'],
  ['HorizontalPodAutoscaler', 'scaleTargetRef name', o => { o.spec.scaleTargetRef.name = ''; }, 'ValidateCrossVersionObjectReference'],
  ['HorizontalPodAutoscaler', 'scaleTargetRef kind', o => { delete o.spec.scaleTargetRef.kind; }, 'ValidateCrossVersionObjectReference'],
  ['HorizontalPodAutoscaler', 'averageUtilization 0', o => { o.spec.metrics[0].resource.target.averageUtilization = 0; }, 'greater than 0'],
  ['HorizontalPodAutoscaler', 'averageValue 0', o => { o.spec.metrics[1].pods.target.averageValue = '0'; }, 'must be positive'],
  ['HorizontalPodAutoscaler', 'averageValue garbage', o => { o.spec.metrics[1].pods.target.averageValue = 'NaN'; }, 'ParseQuantity'],
  ['HorizontalPodAutoscaler', 'value negative', o => { o.spec.metrics[2].external.target.value = '-3'; }, 'must be positive'],
  ['HorizontalPodAutoscaler', 'target type unknown', o => { o.spec.metrics[0].resource.target.type = 'Percent'; }, 'Utilization, Value or AverageValue'],
  ['HorizontalPodAutoscaler', 'target value missing', o => { delete o.spec.metrics[1].pods.target.averageValue; }, 'must be set when target.type'],
  ['HorizontalPodAutoscaler', 'metric type unknown', o => { o.spec.metrics[0].type = 'Cpu'; }, 'validateMetricSpec'],
  ['HorizontalPodAutoscaler', 'metric source missing', o => { delete o.spec.metrics[0].resource; }, 'must be set when type is Resource'],
  ['HorizontalPodAutoscaler', 'two sources', o => { o.spec.metrics[0].pods = o.spec.metrics[1].pods; }, 'only the source matching type'],
  ['HorizontalPodAutoscaler', 'metric name empty', o => { o.spec.metrics[1].pods.metric.name = ''; }, 'validateMetricIdentifier'],
  ['HorizontalPodAutoscaler', 'pods target Utilization', o => { o.spec.metrics[1].pods.target = { type: 'Utilization', averageUtilization: 5 }; }, 'validatePodsSource'],
  ['HorizontalPodAutoscaler', 'resource target Value', o => { o.spec.metrics[0].resource.target = { type: 'Value', value: '5' }; }, 'validateResourceSource'],
  ['HorizontalPodAutoscaler', 'resource name missing', o => { delete o.spec.metrics[0].resource.name; }, 'validateResourceSource'],
  ['HorizontalPodAutoscaler', 'metric selector invalid', o => { o.spec.metrics[2].external.metric.selector.matchLabels.queue = 'a b'; }, 'IsValidLabelValue'],
  ['HorizontalPodAutoscaler', 'window 3601', o => { o.spec.behavior.scaleDown.stabilizationWindowSeconds = 3601; }, '0..3600'],
  ['HorizontalPodAutoscaler', 'window -1', o => { o.spec.behavior.scaleUp.stabilizationWindowSeconds = -1; }, '0..3600'],
  ['HorizontalPodAutoscaler', 'period 1801', o => { o.spec.behavior.scaleUp.policies[0].periodSeconds = 1801; }, '1..1800'],
  ['HorizontalPodAutoscaler', 'period 0', o => { o.spec.behavior.scaleUp.policies[0].periodSeconds = 0; }, '1..1800'],
  ['HorizontalPodAutoscaler', 'policy value 0', o => { o.spec.behavior.scaleUp.policies[0].value = 0; }, 'greater than zero'],
  ['HorizontalPodAutoscaler', 'policy type', o => { o.spec.behavior.scaleUp.policies[0].type = 'pods'; }, 'Pods or Percent'],
  ['HorizontalPodAutoscaler', 'no policies', o => { o.spec.behavior.scaleUp.policies = []; }, 'at least one Policy'],
  ['HorizontalPodAutoscaler', 'selectPolicy', o => { o.spec.behavior.scaleUp.selectPolicy = 'max'; }, 'Max, Min or Disabled'],
  // KEDA
  ['ScaledObject', 'min above max', o => { o.spec.minReplicaCount = 11; }, 'CheckReplicaCountBoundsAreValid', 'spec.minReplicaCount'],
  ['ScaledObject', 'min above default max', o => { delete o.spec.maxReplicaCount; o.spec.minReplicaCount = 101; }, 'MaxReplicaCount=100'],
  ['ScaledObject', 'idle not below min', o => { o.spec.idleReplicaCount = 1; }, 'IdleReplicaCount'],
  ['ScaledObject', 'pollingInterval 2**31', o => { o.spec.pollingInterval = 2 ** 31; }, 'int32'],
  ['ScaledObject', 'cooldownPeriod -1', o => { o.spec.cooldownPeriod = -1; }, 'int32 >= 0'],
  ['ScaledObject', 'fallback replicas -1', o => { o.spec.fallback.replicas = -1; }, 'CheckFallbackValid'],
  ['ScaledObject', 'trigger metadata number', o => { o.spec.triggers[0].metadata.value = 5; }, 'metadata values must be strings', 'spec.triggers[0].metadata.value'],
  ['ScaledObject', 'trigger metadata missing', o => { delete o.spec.triggers[0].metadata; }, 'map of string to string'],
  ['ScaledObject', 'no triggers', o => { o.spec.triggers = []; }, 'no triggers defined'],
  ['ScaledObject', 'trigger without type', o => { o.spec.triggers[0].type = ''; }, 'trigger type is required'],
  ['ScaledObject', 'duplicate trigger names', o => { o.spec.triggers.push({ ...o.spec.triggers[0] }); }, 'defined multiple times'],
  ['ScaledObject', 'authenticationRef kind', o => { o.spec.triggers[0].authenticationRef.kind = 'Secret'; }, 'AuthenticationRef.Kind'],
  ['ScaledObject', 'authenticationRef name', o => { o.spec.triggers[0].authenticationRef.name = 'A'; }, 'TriggerAuthentication'],
  ['ScaledObject', 'metricType', o => { o.spec.triggers[0].metricType = 'average'; }, 'ScaleTriggers.MetricType'],
  ['ScaledObject', 'scaleTargetRef missing', o => { delete o.spec.scaleTargetRef; }, 'scaleTargetRef.name is required'],
  ['ScaledObject', 'HPA name over 253', o => { o.metadata.name = 'a'.repeat(250); }, 'getHPAName'],
  ['ScaledObject', 'behavior period', o => { o.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.policies[0].periodSeconds = 3600; }, '1..1800'],
  ['ScaledObject', 'behavior tolerance negative', o => { o.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.tolerance = '-100m'; }, 'ValidateNonnegativeQuantity'],
  ['ScaledJob', 'name 64 chars', o => { o.metadata.name = 'a'.repeat(64); }, 'scaledjob.keda.sh/name'],
  ['ScaledJob', 'min above max', o => { o.spec.minReplicaCount = 11; }, 'CheckReplicaCountBoundsAreValid'],
  ['ScaledJob', 'history limit -1', o => { o.spec.successfulJobsHistoryLimit = -1; }, 'int32 >= 0'],
  ['ScaledJob', 'parallelism -1', o => { o.spec.jobTargetRef.parallelism = -1; }, 'validateJobSpec'],
  ['ScaledJob', 'activeDeadlineSeconds 0', o => { o.spec.jobTargetRef.activeDeadlineSeconds = 0; }, 'positive int64'],
  ['ScaledJob', 'restartPolicy Always', o => { o.spec.jobTargetRef.template.spec.restartPolicy = 'Always'; }, 'OnFailure, Never'],
  ['ScaledJob', 'job template container env', o => { o.spec.jobTargetRef.template.spec.containers[0].env[0].name = ''; }, 'IsEnvVarName'],
  ['ScaledJob', 'jobTargetRef missing', o => { delete o.spec.jobTargetRef; }, 'job spec is required'],
  ['ScaledJob', 'trigger metadata object', o => { o.spec.triggers[0].metadata.threshold = { a: 1 }; }, 'metadata values must be strings'],
  ['TriggerAuthentication', 'podIdentity provider', o => { o.spec.podIdentity.provider = 'AWS'; }, 'PodIdentityProvider'],
  ['TriggerAuthentication', 'secretTargetRef key', o => { o.spec.secretTargetRef[0].key = ''; }, 'IsConfigMapKey'],
  ['TriggerAuthentication', 'secretTargetRef parameter', o => { delete o.spec.secretTargetRef[0].parameter; }, 'parameter is required'],
];

describe.each(MUTATIONS)('%s: %s', (kind, _what, mutate, expectedRule, expectedPath) => {
  test('is reported', () => {
    const obj = valid()[kind];
    mutate(obj);
    const violations = apiRuleViolations(obj);
    const hit = violations.find(v => v.rule.includes(expectedRule) && (expectedPath === undefined || v.path === expectedPath));
    if (!hit) throw new Error(`expected a violation with rule containing ${JSON.stringify(expectedRule)}${expectedPath ? ` at ${expectedPath}` : ''}, got:\n${violations.map(formatViolation).join('\n') || '(none)'}`);
    expect(() => assertApiRules(obj)).toThrow(`${kind} ${obj.metadata?.name} breaks API server rules`);
  });
});

test('violation messages name the object, the JSON path, the value and the rule', () => {
  const obj = valid().Deployment;
  obj.spec.replicas = 2 ** 31;
  expect(() => assertApiRules(obj)).toThrow('Deployment/svc.v1 spec.replicas = 2147483648: must fit in an int32');
});

describe('HPA rules for the target Kubernetes version (validateHorizontalPodAutoscalerSpec, validateMetrics, validateScalingRules)', () => {
  const V135 = KubernetesTarget.forVersion({ version: '1.35' });
  const V137 = KubernetesTarget.forVersion({ version: '1.37' });
  const hpaAtZero = (metrics: any[]) => {
    const hpa = valid().HorizontalPodAutoscaler;
    hpa.spec.minReplicas = 0;
    hpa.spec.metrics = metrics;
    return hpa;
  };
  const [cpu, pods, external] = valid().HorizontalPodAutoscaler.spec.metrics;
  const object = { type: 'Object', object: { metric: { name: 'waiting' }, describedObject: { apiVersion: 'v1', kind: 'Service', name: 'gateway' }, target: { type: 'Value', value: '1' } } };
  const messages = (obj: any, target?: KubernetesTarget) => apiRuleViolations(obj, target).map(formatViolation);

  test('the minReplicas floor is 0 exactly when HPAScaleToZero is on (MinReplicasLowerBound)', () => {
    expect(hpaMinReplicasFloor(V135)).toBe(1);
    expect(hpaMinReplicasFloor(KubernetesTarget.forVersion({ version: '1.36' }))).toBe(1);
    expect(hpaMinReplicasFloor(V137)).toBe(0);
    expect(hpaMinReplicasFloor(KubernetesTarget.forVersion({ version: '1.35', featureGates: { HPAScaleToZero: true } }))).toBe(0);
    expect(hpaMinReplicasFloor(KubernetesTarget.forVersion({ version: '1.38', featureGates: { HPAScaleToZero: false } }))).toBe(1);
  });

  test('1.37: minReplicas 0 with an External metric is valid', () => {
    expect(messages(hpaAtZero([cpu, external]), V137)).toEqual([]);
  });

  test('1.37: minReplicas 0 with an Object metric is valid', () => {
    expect(messages(hpaAtZero([object]), V137)).toEqual([]);
  });

  test('1.35 with the gate: minReplicas 0 with an External metric is valid', () => {
    expect(messages(hpaAtZero([external]), KubernetesTarget.forVersion({ featureGates: { HPAScaleToZero: true } }))).toEqual([]);
  });

  test.each([
    ['only Resource and Pods metrics', [cpu, pods]],
    ['no metrics (defaulted to CPU utilization)', []],
  ])('1.37: minReplicas 0 with %s is invalid', (_label, metrics) => {
    expect(messages(hpaAtZero(metrics), V137)).toEqual([
      `HorizontalPodAutoscaler/svc spec.metrics = ${JSON.stringify(metrics.map((m: any) => m.type))}: must specify at least one Object or External metric to support scaling to zero replicas (validateMetrics)`,
    ]);
  });

  test('1.35 (the default): minReplicas 0 is invalid even with an External metric', () => {
    expect(messages(hpaAtZero([external]))).toEqual([
      'HorizontalPodAutoscaler/svc spec.minReplicas = 0: must be an int32 >= 1 (validateHorizontalPodAutoscalerSpec; 0 needs the HPAScaleToZero feature gate, off in Kubernetes 1.35)',
    ]);
    expect(() => assertApiRules(hpaAtZero([external]))).toThrow('HorizontalPodAutoscaler svc breaks API server rules (Kubernetes 1.35)');
    expect(() => assertApiRules(hpaAtZero([external]), V137)).not.toThrow();
  });

  test('tolerance: a quantity >= 0 in either direction, whatever the target (a disabled gate drops the field, no error)', () => {
    for (const tolerance of ['0', '50m', '0.05', '1', 0]) {
      const hpa = valid().HorizontalPodAutoscaler;
      hpa.spec.behavior.scaleUp.tolerance = tolerance;
      hpa.spec.behavior.scaleDown.tolerance = tolerance;
      expect(messages(hpa, KubernetesTarget.forVersion({ version: '1.33' }))).toEqual([]);
      expect(messages(hpa, V137)).toEqual([]);
    }
    for (const tolerance of ['-1m', '-0.05', 'NaN', '', '10%', null, {}]) {
      const hpa = valid().HorizontalPodAutoscaler;
      hpa.spec.behavior.scaleDown.tolerance = tolerance;
      expect(messages(hpa)).toContain(
        `HorizontalPodAutoscaler/svc spec.behavior.scaleDown.tolerance = ${JSON.stringify(tolerance)}: must be a quantity greater than or equal to 0 (validateScalingRules: ValidateNonnegativeQuantity)`,
      );
    }
  });
});

describe('formats', () => {
  test.each([
    [isDns1123Label, ['a', 'a-1', '0', 'a'.repeat(63)], ['', 'A', '-a', 'a-', 'a.b', 'a_b', 'a'.repeat(64)]],
    [isDns1123Subdomain, ['a.b', 'a-b.c', 'a'.repeat(253)], ['', 'a..b', '.a', 'a.', 'A.b', 'a'.repeat(254), 'a_b']],
    [isDns1035Label, ['a', 'a-1'], ['1a', '', 'a.b', 'a-', 'a'.repeat(64)]],
    [isQualifiedName, ['app', 'app.kubernetes.io/name', 'A_b.c-D', 'a'.repeat(63), `${'a'.repeat(253)}/x`], ['', '/a', 'a/', 'a/b/c', '_a', 'a_', 'a'.repeat(64), `${'a'.repeat(254)}/x`, 'A.com/x']],
    [isLabelValue, ['', 'a', 'A_b.c-D', 'a'.repeat(63)], ['a b', '-a', 'a-', 'a'.repeat(64), 'a/b', 5]],
    [isEnvVarName, ['A', '_a', '.a', '-a', 'a.b-c_1'], ['', '1a', 'a b', 'a=b', 'é']],
    [isPortName, ['http', 'a1', 'h-2', 'a'.repeat(15)], ['', '1', 'a--b', '-a', 'a-', 'HTTP', 'a'.repeat(16), 'a_b']],
    [isQuantity, ['1', '500m', '0.5', '.5', '1e3', '1E-3', '4Gi', '+1', '-1', '1.', 5], ['', 'NaN', 'Infinity', '1 Gi', '1gi', 'm', '1e', '1Gi2', NaN, Infinity]],
  ] as Array<[(v: unknown) => boolean, unknown[], unknown[]]>)('%p', (fn, good, bad) => {
    for (const g of good) expect([g, fn(g)]).toEqual([g, true]);
    for (const b of bad) expect([b, fn(b)]).toEqual([b, false]);
  });

  test('quantity values', () => {
    expect(quantityValue('500m')).toBeCloseTo(0.5);
    expect(quantityValue('4Gi')).toBe(4 * 2 ** 30);
    expect(quantityValue('1e3')).toBe(1000);
    expect(quantityValue('-1')).toBe(-1);
    expect(quantityValue('x')).toBeNaN();
  });
});
