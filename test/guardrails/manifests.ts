/**
 * Plain manifests for the guardrail tests: a clean ML platform (GPU inference behind an HPA, a queue
 * worker behind a ScaledObject, a batch ScaledJob) that passes every rule, and lookup helpers so
 * each test breaks exactly one thing.
 */
import { GuardrailFinding } from '../../src/guardrails/finding';

export const NS = 'ml-workloads';

export function inferenceDeployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'inference', namespace: NS },
    spec: {
      selector: { matchLabels: { app: 'inference' } },
      template: {
        metadata: {
          labels: { app: 'inference' },
          annotations: { 'ml-autoscaling.io/model-load-seconds': '120' },
        },
        spec: {
          containers: [{
            name: 'model',
            image: 'registry.example/inference:1.0',
            ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 8000, name: 'metrics' }],
            resources: {
              requests: { 'cpu': '2', 'memory': '4Gi', 'nvidia.com/gpu': '1' },
              limits: { 'memory': '8Gi', 'nvidia.com/gpu': '1' },
            },
            env: [
              { name: 'MODEL_PATH', value: '/models/resnet50' },
              { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } },
            ],
            startupProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10, failureThreshold: 15 },
            readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10 },
            livenessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 30, failureThreshold: 3 },
          }],
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          nodeSelector: { 'node.kubernetes.io/instance-type': 'g5.xlarge' },
        },
      },
    },
  };
}

export function inferenceService(): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'inference', namespace: NS },
    spec: { selector: { app: 'inference' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };
}

export function inferenceHpa(): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'inference', namespace: NS },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'inference' },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Pods', pods: { metric: { name: 'inference_queue_depth' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 600 } },
    },
  };
}

export function inferencePdb(): any {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'inference', namespace: NS },
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'inference' } } },
  };
}

export function adapterConfigMap(): any {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'prometheus-adapter', namespace: 'monitoring' },
    data: {
      'config.yaml': [
        'rules:',
        '  - seriesQuery: \'inference_queue_depth{namespace!="",pod!=""}\'',
        '    resources:',
        '      overrides:',
        '        namespace: {resource: "namespace"}',
        '        pod: {resource: "pod"}',
        '    name:',
        '      matches: "^inference_queue_depth$"',
        '      as: "inference_queue_depth"',
        '    metricsQuery: \'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)\'',
        '',
      ].join('\n'),
    },
  };
}

export function workerDeployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'worker', namespace: NS },
    spec: {
      selector: { matchLabels: { app: 'worker' } },
      template: {
        metadata: {
          labels: { app: 'worker' },
          annotations: { 'ml-autoscaling.io/max-processing-seconds': '300' },
        },
        spec: {
          terminationGracePeriodSeconds: 330,
          containers: [{
            name: 'worker',
            image: 'registry.example/worker:1.0',
            resources: { requests: { cpu: '1', memory: '2Gi' } },
            env: [{ name: 'QUEUE_NAME', value: 'ml-inference-queue' }],
          }],
        },
      },
    },
  };
}

export function workerScaledObject(): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'worker', namespace: NS },
    spec: {
      scaleTargetRef: { name: 'worker' },
      minReplicaCount: 0,
      maxReplicaCount: 20,
      cooldownPeriod: 300,
      triggers: [{
        type: 'rabbitmq',
        metadata: { protocol: 'auto', queueName: 'ml-inference-queue', mode: 'QueueLength', value: '5', activationValue: '1' },
        authenticationRef: { name: 'rabbitmq-auth' },
      }],
    },
  };
}

export function triggerAuthentication(): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: { name: 'rabbitmq-auth', namespace: NS },
    spec: { secretTargetRef: [{ parameter: 'host', name: 'rabbitmq-auth', key: 'host' }] },
  };
}

export function rabbitSecret(): any {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'rabbitmq-auth', namespace: NS },
    type: 'Opaque',
    stringData: { host: 'amqp://user:pass@rabbitmq.messaging.svc.cluster.local:5672' },
  };
}

export function batchScaledJob(): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledJob',
    metadata: { name: 'batch', namespace: NS },
    spec: {
      jobTargetRef: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{
              name: 'batch',
              image: 'registry.example/batch:1.0',
              resources: { limits: { 'nvidia.com/gpu': '1' } },
            }],
            tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }],
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: 'gpu', operator: 'In', values: ['a10'] }] }],
                },
              },
            },
          },
        },
      },
      maxReplicaCount: 4,
      rollout: { strategy: 'gradual' },
      triggers: [{
        type: 'aws-sqs-queue',
        authenticationRef: { name: 'aws-credentials' },
        metadata: { queueURL: 'https://sqs.us-east-1.amazonaws.com/123456789/jobs', queueLength: '1', awsRegion: 'us-east-1' },
      }],
    },
  };
}

/** A whole platform that passes every rule. */
export function cleanManifests(): any[] {
  return [
    inferenceDeployment(), inferenceService(), inferenceHpa(), inferencePdb(), adapterConfigMap(),
    workerDeployment(), workerScaledObject(), triggerAuthentication(), rabbitSecret(), batchScaledJob(),
  ];
}

/** The one object of a kind and name in a list (fails loudly otherwise). */
export function pick(objects: any[], kind: string, name: string): any {
  const hits = objects.filter(o => o.kind === kind && o.metadata?.name === name);
  if (hits.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${hits.length}`);
  return hits[0];
}

export function ruleIds(findings: GuardrailFinding[]): string[] {
  return [...new Set(findings.map(f => f.ruleId))].sort();
}
