/**
 * The public entry points under fuzz, each with a valid props object (copied from the tests and examples) and how to
 * call it. Constructors run under Testing.chart() with id `Svc` (path `test/Svc`); factory products are used in a
 * known-good host construct with id `Host` (path `test/Host`).
 */
import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { EntryPoint, Output, synthOf } from './harness';
import {
  AutoscalingRules, AwsIdentityOwner, DemandTrace, GpuMetricLabels, ModelServer, ScalingSignal,
  FallbackBehavior, GpuInferenceService, Guardrails, HpaController, HybridMlService, HybridScalingMode,
  JobRolloutStrategy, JobScalingStrategy, KafkaOffsetResetPolicy, KedaAuthentication, KedaTriggerAuthentication, Metric, MetricSignal,
  MetricsServiceMonitor, MetricTarget, ModifierMetricType, MultipleScalersCalculation, PodIdentity, PrometheusAdapterRules, QueueBatchWorker,
  RabbitMqMode, RabbitMqProtocol, ScaledObjectController, ScalingPolicy, SelectPolicy, Simulator, Trigger, TriggerMetricType, WorkerMode,
} from '../../src';

const SERIES_QUERY = 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)';

const container = () => ({
  image: 'registry/model:v1',
  containerName: 'model',
  command: ['python', 'serve.py'],
  args: ['--verbose'],
  env: { LOG_LEVEL: 'info' },
  secretEnv: [{ name: 'HF_TOKEN', secretName: 'hf', key: 'token' }],
  modelPath: '/models/m',
  cpuRequest: Cpu.millis(1000),
  cpuLimit: Cpu.millis(2000),
  memoryRequest: Size.gibibytes(4),
  memoryLimit: Size.gibibytes(8),
  gpu: { count: 1, resourceName: 'nvidia.com/gpu', tolerateTaint: true },
  placement: {
    requiredInstanceTypes: ['g5.xlarge'],
    nodeSelector: { pool: 'gpu' },
    preferredNodeAffinities: [{ weight: 50, key: 'topology.kubernetes.io/zone', values: ['us-east-1a'] }],
    tolerations: [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }],
  },
  security: { runAsNonRoot: true, runAsUser: 1000, readOnlyRootFilesystem: true },
  serviceAccountName: 'model-sa',
  podLabels: { team: 'ml' },
  podAnnotations: { 'example.com/owner': 'ml-team' },
});

const behavior = () => ({
  scaleUp: {
    stabilizationWindow: Duration.seconds(0),
    policies: [ScalingPolicy.pods(2, Duration.seconds(60))],
    selectPolicy: SelectPolicy.MAX,
    tolerance: 0.05,
  },
  scaleDown: { stabilizationWindow: Duration.seconds(300), policies: [ScalingPolicy.percent(10, Duration.seconds(60))], tolerance: 0.015 },
});

const serving = (name: string) => ({
  ...container(),
  name,
  namespace: 'ml',
  selectorLabels: { app: name },
  httpPort: 8080,
  metricsPort: 9090,
  metricsPath: '/metrics',
  modelLoadTime: Duration.seconds(120),
  probes: {
    readinessPath: '/ready',
    livenessPath: '/health',
    startupProbe: true,
    failureThreshold: 3,
    readinessPeriod: Duration.seconds(5),
    livenessPeriod: Duration.seconds(10),
    startupPeriod: Duration.seconds(10),
  },
  serviceName: name,
  disruptionBudget: { maxUnavailable: 1 },
});

const rabbit = () => Trigger.rabbitmq({
  queueName: 'jobs',
  value: 5,
  activationValue: 1,
  mode: RabbitMqMode.QUEUE_LENGTH,
  authentication: KedaAuthentication.fromTriggerAuthenticationName('rabbitmq-auth'),
});
const prom = () => Trigger.prometheus({ serverAddress: 'http://prometheus:9090', query: 'sum(rate(http_requests_total[1m]))', threshold: 100 });

const ctor = (name: string, valid: () => any, build: (chart: any, props: any) => void): EntryPoint => ({
  name, where: 'test/Svc', valid, make: props => synthOf(chart => build(chart, props)),
});

// ---------------------------------------------------------------------------------------------------------------------
// constructors

export const GPU_INFERENCE_SERVICE = ctor('GpuInferenceService', () => ({
  ...serving('svc'),
  minReplicas: 1,
  scaleToZero: false,
  maxReplicas: 4,
  metrics: [Metric.cpuUtilization(70), Metric.pods({ name: 'queue_depth', target: MetricTarget.averageValue(10) })],
  behavior: behavior(),
  hpaName: 'svc-hpa',
}), (chart, props) => new GpuInferenceService(chart, 'Svc', props));

/** Scaled to zero by the HPA itself: a 1.37 target (HPAScaleToZero on by default) and an External metric. */
export const GPU_INFERENCE_SERVICE_ZERO: EntryPoint = {
  name: 'GpuInferenceService(scale to zero, 1.37)',
  where: 'test/Svc',
  valid: () => ({
    ...serving('svc'),
    podAnnotations: { 'ml-autoscaling.io/request-buffering': 'true' },
    minReplicas: 0,
    scaleToZero: true,
    maxReplicas: 4,
    metrics: [Metric.external({ name: 'queue_length', selector: { matchLabels: { queue: 'svc' } }, target: MetricTarget.averageValue(5) })],
    behavior: behavior(),
    hpaName: 'svc-hpa',
  }),
  make: props => synthOf(chart => new GpuInferenceService(chart, 'Svc', props), { version: '1.37' }),
};

const worker = () => ({
  ...container(),
  name: 'worker',
  namespace: 'ml',
  selectorLabels: { app: 'worker' },
  maxReplicas: 10,
  pollingInterval: Duration.seconds(30),
  maxProcessingTime: Duration.seconds(600),
  preStopCommand: ['sh', '-c', 'sleep 5'],
  triggers: [rabbit(), prom()],
});

export const QUEUE_WORKER_CONSUMER = ctor('QueueBatchWorker(consumer)', () => ({
  ...worker(),
  mode: WorkerMode.CONSUMER,
  minReplicas: 1,
  idleReplicas: 0,
  cooldownPeriod: Duration.seconds(300),
  initialCooldownPeriod: Duration.seconds(60),
  fallback: { failureThreshold: 3, replicas: 2, behavior: FallbackBehavior.STATIC },
  behavior: behavior(),
  scaledObjectName: 'worker-so',
  hpaName: 'worker-hpa',
  restoreToOriginalReplicaCount: false,
}), (chart, props) => new QueueBatchWorker(chart, 'Svc', props));

export const QUEUE_WORKER_JOB = ctor('QueueBatchWorker(job)', () => ({
  ...worker(),
  mode: WorkerMode.JOB,
  minReplicas: 0,
  job: {
    parallelism: 1,
    backoffLimit: 2,
    activeDeadline: Duration.seconds(3600),
    ttlAfterFinished: Duration.seconds(600),
    scalingStrategy: JobScalingStrategy.DEFAULT,
    multipleScalersCalculation: MultipleScalersCalculation.MAX,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 5,
    rolloutStrategy: JobRolloutStrategy.GRADUAL,
    scaledJobName: 'worker-jobs',
  },
}), (chart, props) => new QueueBatchWorker(chart, 'Svc', props));

export const HYBRID_KEDA = ctor('HybridMlService(KEDA)', () => ({
  ...serving('hybrid'),
  mode: HybridScalingMode.KEDA,
  minReplicas: 1,
  maxReplicas: 6,
  triggers: [prom()],
  behavior: behavior(),
  hpaName: 'hybrid-hpa',
  keda: {
    scaledObjectName: 'hybrid-so',
    pollingInterval: Duration.seconds(15),
    cooldownPeriod: Duration.seconds(300),
    initialCooldownPeriod: Duration.seconds(60),
    fallback: { failureThreshold: 3, replicas: 2 },
    restoreToOriginalReplicaCount: false,
  },
}), (chart, props) => new HybridMlService(chart, 'Svc', props));

export const HYBRID_HPA = ctor('HybridMlService(HPA)', () => ({
  ...serving('hybrid'),
  mode: HybridScalingMode.HPA,
  minReplicas: 2,
  scaleToZero: false,
  maxReplicas: 6,
  metrics: [Metric.external({ name: 'requests_per_second', selector: { matchLabels: { service: 'hybrid' } }, target: MetricTarget.averageValue(100) })],
  behavior: behavior(),
  hpaName: 'hybrid-hpa',
}), (chart, props) => new HybridMlService(chart, 'Svc', props));

export const TRIGGER_AUTHENTICATION = ctor('KedaTriggerAuthentication', () => ({
  name: 'auth',
  namespace: 'ml',
  secretTargetRefs: [{ parameter: 'host', secretName: 'rabbitmq', key: 'host' }],
  env: [{ parameter: 'region', envName: 'AWS_REGION', containerName: 'worker' }],
  podIdentity: PodIdentity.aws({ roleArn: 'arn:aws:iam::123456789012:role/keda' }),
}), (chart, props) => new KedaTriggerAuthentication(chart, 'Svc', props));

export const TRIGGER_AUTHENTICATION_VAULT = ctor('KedaTriggerAuthentication(vault, literal)', () => ({
  name: 'vault-auth',
  hashiCorpVault: {
    address: 'https://vault:8200',
    role: 'keda-scaler',
    mount: 'kubernetes',
    namespace: 'team',
    serviceAccountName: 'keda-sa',
    secrets: [{ parameter: 'password', path: 'secret/data/rabbit', key: 'password' }],
  },
  literalSecretValues: { host: 'amqp://rabbitmq:5672' },
  allowLiteralSecretValues: true,
  literalSecretName: 'vault-auth-literal',
}), (chart, props) => new KedaTriggerAuthentication(chart, 'Svc', props));

export const PROMETHEUS_ADAPTER_RULES = ctor('PrometheusAdapterRules', () => ({
  name: 'adapter',
  namespace: 'monitoring',
  metricsQuery: SERIES_QUERY,
  metricsQueries: { requests_total: SERIES_QUERY },
  namespaceLabel: 'namespace',
  podLabel: 'pod',
}), (chart, props) => new PrometheusAdapterRules(chart, 'Svc', props));

export const METRICS_SERVICE_MONITOR = ctor('MetricsServiceMonitor', () => ({
  name: 'metrics',
  serviceLabels: { app: 'inference' },
  port: 'metrics',
  serviceNamespace: 'ml',
  path: '/metrics',
  interval: Duration.seconds(30),
  labels: { release: 'prometheus' },
}), (chart, props) => new MetricsServiceMonitor(chart, 'Svc', props));

export const AUTOSCALING_RULES = ctor('AutoscalingRules', () => ({
  name: 'ml-rules',
  namespace: 'monitoring',
  labels: { release: 'kube-prometheus-stack' },
  atMaximumFor: Duration.minutes(15),
  metricUnavailableFor: Duration.minutes(5),
  scalerErrorsFor: Duration.minutes(5),
  queueGrowingFor: Duration.minutes(10),
  coldStartFor: Duration.minutes(15),
  window: Duration.minutes(5),
  // not 'warning' nor 'keda': the harness reads a value equal to an enum member's as that enum
  criticalSeverity: 'page',
  warningSeverity: 'ticket',
  kedaNamespace: 'keda-system',
}), (chart, props) => {
  // an autoscaled workload to write rules for (added after: the rules read the chart at synth)
  new AutoscalingRules(chart, 'Svc', props);
  new GpuInferenceService(chart, 'Host', { ...serving('svc'), maxReplicas: 4, metrics: [Metric.cpuUtilization(70)] });
});

/** A vLLM service scaled by the HPA on the engine's queue and KV cache, with its PodMonitor. */
export const GPU_INFERENCE_SERVICE_VLLM = ctor('GpuInferenceService(vLLM signals)', () => ({
  ...container(),
  image: 'vllm/vllm-openai:v0.12.0',
  command: undefined,
  args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--port', '8000'],
  name: 'llm',
  namespace: 'ml',
  modelServer: ModelServer.vllm(),
  signals: [ScalingSignal.queueSize(5), ScalingSignal.kvCacheUsage(0.8)],
  metricsMonitor: { labels: { release: 'prometheus' }, interval: Duration.seconds(15), name: 'llm-metrics' },
  maxReplicas: 4,
}), (chart, props) => new GpuInferenceService(chart, 'Svc', props));

/** An SGLang pool scaled by KEDA on the engine's queue and the DCGM GPU utilization. */
export const HYBRID_KEDA_SGLANG = ctor('HybridMlService(KEDA, SGLang signals)', () => ({
  ...container(),
  image: 'lmsysorg/sglang:v0.5.3',
  command: ['python3', '-m', 'sglang.launch_server'],
  args: ['--model-path', 'Qwen/Qwen2.5-7B-Instruct', '--host', '0.0.0.0', '--enable-metrics'],
  name: 'sg',
  namespace: 'ml',
  modelServer: ModelServer.sglang(),
  signals: [ScalingSignal.queueSize(4, { activationThreshold: 1, triggerName: 'waiting' }), ScalingSignal.gpuUtilization(70, { labels: GpuMetricLabels.HONORED })],
  keda: { prometheusAddress: 'http://prometheus-operated.monitoring.svc:9090' },
  metricsMonitor: {},
  minReplicas: 1,
  maxReplicas: 4,
}), (chart, props) => new HybridMlService(chart, 'Svc', props));

/** A queue consumer running a vLLM engine, scaled on its queue and the engine's batch. */
export const QUEUE_WORKER_VLLM = ctor('QueueBatchWorker(consumer, vLLM signals)', () => ({
  ...worker(),
  image: 'vllm/vllm-openai:v0.12.0',
  command: undefined,
  args: ['--model', 'm'],
  minReplicas: 1,
  modelServer: ModelServer.vllm(),
  signals: [ScalingSignal.batchSize(32)],
  prometheusAddress: 'http://prometheus:9090',
  metricsMonitor: { labels: { release: 'prometheus' } },
}), (chart, props) => new QueueBatchWorker(chart, 'Svc', props));

/** Scaled to zero by KEDA behind the KEDA HTTP add-on's interceptor, every buffering option set. */
export const HYBRID_KEDA_BUFFERED = ctor('HybridMlService(KEDA, request buffering)', () => ({
  ...serving('svc'),
  minReplicas: 0,
  scaleToZero: true,
  maxReplicas: 4,
  triggers: [prom()],
  requestBuffering: {
    hosts: ['svc.example.com', '*.example.com'],
    pathPrefixes: ['/v1'],
    concurrencyPerReplica: 8,
    holdTimeout: Duration.seconds(240),
    requestTimeout: Duration.seconds(600),
    placeholder: { statusCode: 503, body: 'loading', headers: { 'Retry-After': '30' } },
    fallback: { serviceName: 'svc-small', port: 8080 },
    // not 'keda': the harness reads a value equal to an enum member's as that enum
    addOnNamespace: 'keda-http',
    routeName: 'svc-route',
  },
}), (chart, props) => new HybridMlService(chart, 'Svc', props));

export const CONSTRUCTORS = [
  HYBRID_KEDA_BUFFERED, GPU_INFERENCE_SERVICE_VLLM, HYBRID_KEDA_SGLANG, QUEUE_WORKER_VLLM,
  GPU_INFERENCE_SERVICE, GPU_INFERENCE_SERVICE_ZERO, QUEUE_WORKER_CONSUMER, QUEUE_WORKER_JOB, HYBRID_KEDA, HYBRID_HPA, TRIGGER_AUTHENTICATION,
  TRIGGER_AUTHENTICATION_VAULT, PROMETHEUS_ADAPTER_RULES, METRICS_SERVICE_MONITOR, AUTOSCALING_RULES,
];

// ---------------------------------------------------------------------------------------------------------------------
// factories: called, then used in a host construct `test/Host`

const host = {
  /** A GpuInferenceService scaled on the metric. */
  metric: (m: any): Output => synthOf(chart => new GpuInferenceService(chart, 'Host', {
    name: 'host', image: 'registry/model:v1', cpuRequest: Cpu.millis(500), memoryRequest: Size.gibibytes(2), maxReplicas: 4, metrics: [m],
  })),
  /** A GpuInferenceService with the scale-up policy. */
  policy: (p: any): Output => synthOf(chart => new GpuInferenceService(chart, 'Host', {
    name: 'host',
    image: 'registry/model:v1',
    cpuRequest: Cpu.millis(500),
    memoryRequest: Size.gibibytes(2),
    maxReplicas: 4,
    metrics: [Metric.cpuUtilization(70)],
    behavior: { scaleUp: { policies: [p] } },
  })),
  /** A QueueBatchWorker (consumer, min 1, so resource triggers are allowed) with the trigger. */
  trigger: (t: any): Output => synthOf(chart => new QueueBatchWorker(chart, 'Host', {
    name: 'host',
    image: 'registry/worker:v1',
    cpuRequest: Cpu.millis(500),
    memoryRequest: Size.gibibytes(2),
    minReplicas: 1,
    maxReplicas: 4,
    // the variables the triggers read with ...FromEnv (checked against the container at synth)
    env: { RABBITMQ_HOST: 'amqp://rabbitmq:5672' },
    triggers: [t],
  })),
  /** A vLLM HybridMlService in KEDA mode scaled on the signal (queries and triggers checked). */
  signal: (sig: any): Output => synthOf(chart => new HybridMlService(chart, 'Host', {
    name: 'host',
    namespace: 'ml',
    image: 'vllm/vllm-openai:v0.12.0',
    modelServer: ModelServer.vllm(),
    minReplicas: 1,
    maxReplicas: 4,
    signals: [sig],
    keda: { prometheusAddress: 'http://prometheus:9090' },
  })),
  /** A KedaTriggerAuthentication with the pod identity. */
  podIdentity: (p: any): Output => synthOf(chart => new KedaTriggerAuthentication(chart, 'Host', { name: 'host-auth', podIdentity: p })),
};

/** A factory taking positional arguments, given by parameter name. */
const positional = (name: string, valid: () => Record<string, unknown>, call: (a: any) => unknown, use: (made: any) => Output): EntryPoint => ({
  name, where: name.replace(/\(.*\)$/, ''), valid, make: call, use, hostWhere: 'test/Host', unknownKeys: false,
});
/** A factory taking one options object. */
const options = (name: string, valid: () => Record<string, unknown>, call: (o: any) => unknown, use: (made: any) => Output): EntryPoint => ({
  name, where: name.replace(/\(.*\)$/, ''), valid, make: call, use, hostWhere: 'test/Host',
});

const triggerCommon = () => ({ name: 'queue', metricType: TriggerMetricType.AVERAGE_VALUE, useCachedMetrics: false });

export const FACTORIES: EntryPoint[] = [
  positional('Metric.cpuUtilization', () => ({ percent: 70 }), a => Metric.cpuUtilization(a.percent), host.metric),
  positional('Metric.memoryUtilization', () => ({ percent: 80 }), a => Metric.memoryUtilization(a.percent), host.metric),
  positional('Metric.resource', () => ({ resourceName: 'cpu', target: MetricTarget.averageUtilization(50) }),
    a => Metric.resource(a.resourceName, a.target), host.metric),
  positional('Metric.containerResource', () => ({ resourceName: 'cpu', containerName: 'inference', target: MetricTarget.averageUtilization(50) }),
    a => Metric.containerResource(a.resourceName, a.containerName, a.target), host.metric),
  options('Metric.pods', () => ({ name: 'queue_depth', target: MetricTarget.averageValue(10), selector: { matchLabels: { queue: 'jobs' } } }),
    o => Metric.pods(o), host.metric),
  options('Metric.object', () => ({
    name: 'requests_per_second',
    describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' },
    target: MetricTarget.value(100),
    selector: { matchLabels: { route: 'infer' } },
  }), o => Metric.object(o), host.metric),
  options('Metric.external', () => ({ name: 'queue_messages_ready', target: MetricTarget.averageValue(30), selector: { matchLabels: { queue: 'jobs' } } }),
    o => Metric.external(o), host.metric),
  options('ModelServer.custom', () => ({
    name: 'ml-inference',
    httpPort: 8080,
    metricsPort: 8000,
    metricsPath: '/metrics',
    livenessPath: '/health',
    readinessPath: '/ready',
    llm: false,
    queueSizeMetric: 'inference_queue_depth',
    batchSizeMetric: 'inference_running',
    kvCacheUsageMetric: 'inference_kv_cache_usage',
  }), o => ModelServer.custom(o), server => synthOf(chart => new GpuInferenceService(chart, 'Host', {
    name: 'host', image: 'registry/model:v1', maxReplicas: 4, modelServer: server, signals: [ScalingSignal.queueSize(10)],
  }))),
  positional('Metric.gpuUtilization', () => ({ percent: 70 }), a => Metric.gpuUtilization(a.percent), host.metric),
  options('Trigger.gpuUtilization', () => ({
    serverAddress: 'http://prometheus:9090',
    namespace: 'ml',
    deploymentName: 'host',
    percent: 70,
    activationThreshold: 5,
    labels: GpuMetricLabels.HONORED,
    name: 'gpu',
    authentication: KedaAuthentication.fromTriggerAuthenticationName('prom-auth'),
  }), o => Trigger.gpuUtilization(o), host.trigger),
  positional('ScalingSignal.queueSize', () => ({ perReplica: 5, options: { activationThreshold: 1, triggerName: 'queue' } }),
    a => ScalingSignal.queueSize(a.perReplica, a.options), host.signal),
  positional('ScalingSignal.batchSize', () => ({ perReplica: 32, options: { activationThreshold: 0 } }),
    a => ScalingSignal.batchSize(a.perReplica, a.options), host.signal),
  positional('ScalingSignal.kvCacheUsage', () => ({ fraction: 0.8, options: {} }),
    a => ScalingSignal.kvCacheUsage(a.fraction, a.options), host.signal),
  positional('ScalingSignal.gpuUtilization', () => ({ percent: 70, options: { labels: GpuMetricLabels.EXPORTED, activationThreshold: 10 } }),
    a => ScalingSignal.gpuUtilization(a.percent, a.options), host.signal),
  positional('MetricTarget.averageUtilization', () => ({ percent: 60 }), a => MetricTarget.averageUtilization(a.percent),
    t => host.metric(Metric.resource('cpu', t))),
  positional('MetricTarget.averageValue', () => ({ value: 2.5 }), a => MetricTarget.averageValue(a.value),
    t => host.metric(Metric.pods({ name: 'queue_depth', target: t }))),
  positional('MetricTarget.value', () => ({ value: 100 }), a => MetricTarget.value(a.value),
    t => host.metric(Metric.external({ name: 'queue_messages_ready', target: t }))),
  positional('ScalingPolicy.percent', () => ({ percent: 100, period: Duration.seconds(60) }), a => ScalingPolicy.percent(a.percent, a.period), host.policy),
  positional('ScalingPolicy.pods', () => ({ pods: 4, period: Duration.seconds(15) }), a => ScalingPolicy.pods(a.pods, a.period), host.policy),
  options('Trigger.rabbitmq', () => ({
    ...triggerCommon(),
    queueName: 'jobs',
    mode: RabbitMqMode.QUEUE_LENGTH,
    value: 5,
    activationValue: 1,
    protocol: RabbitMqProtocol.AMQP,
    vhostName: '/',
    hostFromEnv: 'RABBITMQ_HOST',
  }), o => Trigger.rabbitmq(o), host.trigger),
  options('Trigger.kafka', () => ({
    ...triggerCommon(),
    bootstrapServers: ['kafka:9092'],
    consumerGroup: 'workers',
    topic: 'jobs',
    lagThreshold: 10,
    activationLagThreshold: 1,
    offsetResetPolicy: KafkaOffsetResetPolicy.LATEST,
    allowIdleConsumers: false,
    authentication: KedaAuthentication.fromTriggerAuthenticationName('kafka-auth'),
  }), o => Trigger.kafka(o), host.trigger),
  options('Trigger.awsSqsQueue', () => ({
    ...triggerCommon(),
    queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs',
    awsRegion: 'us-east-1',
    queueLength: 5,
    activationQueueLength: 1,
    scaleOnInFlight: true,
    authentication: KedaAuthentication.fromClusterTriggerAuthenticationName('aws-auth'),
  }), o => Trigger.awsSqsQueue(o), host.trigger),
  options('Trigger.prometheus', () => ({
    ...triggerCommon(), serverAddress: 'http://prometheus:9090', query: 'sum(queue_depth)', threshold: 10, activationThreshold: 1,
  }), o => Trigger.prometheus(o), host.trigger),
  options('Trigger.custom', () => ({
    ...triggerCommon(), type: 'redis', metadata: { address: 'redis:6379', listName: 'jobs', listLength: '5' },
  }), o => Trigger.custom(o), host.trigger),
  positional('Trigger.cpuUtilization', () => ({ percent: 70, options: { name: 'cpu', containerName: 'worker' } }),
    a => Trigger.cpuUtilization(a.percent, a.options), host.trigger),
  positional('Trigger.memoryUtilization', () => ({ percent: 80, options: { name: 'memory' } }),
    a => Trigger.memoryUtilization(a.percent, a.options), host.trigger),
  positional('Trigger.cpuAverageValue', () => ({ cpu: Cpu.millis(500), options: { name: 'cpu' } }),
    a => Trigger.cpuAverageValue(a.cpu, a.options), host.trigger),
  positional('Trigger.memoryAverageValue', () => ({ memory: Size.gibibytes(1), options: { name: 'memory' } }),
    a => Trigger.memoryAverageValue(a.memory, a.options), host.trigger),
  positional('KedaAuthentication.fromTriggerAuthenticationName', () => ({ name: 'rabbitmq-auth' }),
    a => KedaAuthentication.fromTriggerAuthenticationName(a.name), auth => host.trigger(Trigger.rabbitmq({ queueName: 'jobs', value: 5, authentication: auth }))),
  positional('KedaAuthentication.fromClusterTriggerAuthenticationName', () => ({ name: 'rabbitmq-auth' }),
    a => KedaAuthentication.fromClusterTriggerAuthenticationName(a.name), auth => host.trigger(Trigger.rabbitmq({ queueName: 'jobs', value: 5, authentication: auth }))),
  options('PodIdentity.aws', () => ({ roleArn: 'arn:aws:iam::123456789012:role/keda' }), o => PodIdentity.aws(o), host.podIdentity),
  options('PodIdentity.aws(identityOwner)', () => ({ identityOwner: AwsIdentityOwner.WORKLOAD }), o => PodIdentity.aws(o), host.podIdentity),
  options('PodIdentity.azureWorkload', () => ({
    identityId: '00000000-0000-0000-0000-000000000000',
    identityTenantId: '11111111-1111-1111-1111-111111111111',
    identityAuthorityHost: 'https://login.microsoftonline.com/',
  }), o => PodIdentity.azureWorkload(o), host.podIdentity),
];

// ---------------------------------------------------------------------------------------------------------------------
// guardrails and simulator options

/** Manifests of a small valid inference service, for Guardrails.check and Simulator.fromManifests. */
function inferenceManifests(): any[] {
  const chart = Testing.chart();
  new GpuInferenceService(chart, 'Inference', {
    name: 'inference',
    image: 'registry/model:v1',
    cpuRequest: Cpu.millis(1000),
    memoryRequest: Size.gibibytes(4),
    gpu: { count: 1 },
    modelLoadTime: Duration.seconds(60),
    minReplicas: 1,
    maxReplicas: 4,
    metrics: [Metric.pods({ name: 'queue_depth', target: MetricTarget.averageValue(10) })],
  });
  return Testing.synth(chart);
}
const MANIFESTS = inferenceManifests();

const trace = () => DemandTrace.fromPoints([
  { time: 0, arrivalsPerSecond: 5 }, { time: 60, arrivalsPerSecond: 20 }, { time: 180, arrivalsPerSecond: 2 }, { time: 300, arrivalsPerSecond: 0 },
]);

const simOptions = () => ({
  trace: trace(),
  capacityPerReplica: 5,
  coldStartSeconds: 30,
  initialReplicas: 1,
  hpaSyncPeriodSeconds: 15,
  metricLagSeconds: 30,
  metricWindowSeconds: 60,
  latencyTargetSeconds: 10,
  memoryUtilizationPercent: 50,
  signals: { queue_depth: MetricSignal.QUEUE_DEPTH },
  hpaOptions: { downscaleStabilizationSeconds: 300, tolerance: 0.1, scaledToZero: false },
  kubernetesVersion: '1.36',
  featureGates: { HPAScaleToZero: true, HPAConfigurableTolerance: true },
  outputIntervalSeconds: 15,
});

const hpaSpec = () => ({
  scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'inference' },
  minReplicas: 1,
  maxReplicas: 6,
  metrics: [{ type: 'Pods', pods: { metric: { name: 'queue_depth' }, target: { type: 'AverageValue', averageValue: '10' } } }],
  behavior: {
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
    scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
  },
});

const scaledObject = () => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'worker' },
  spec: {
    scaleTargetRef: { name: 'worker' },
    minReplicaCount: 0,
    maxReplicaCount: 10,
    pollingInterval: 30,
    cooldownPeriod: 300,
    triggers: [{ type: 'rabbitmq', metadata: { queueName: 'q', mode: 'QueueLength', value: '5', activationValue: '1' } }],
  },
});

const run = (name: string, valid: () => any, call: (a: any) => unknown, unknownKeys = true): EntryPoint => ({
  name, where: name.replace(/\(.*\)$/, ''), valid, make: a => ({ result: call(a) }), unknownKeys,
});

const skipKey = (key: string) => (p: (string | number)[]) => p[0] === key && p.length > 1;

/** Every `GuardrailsOptions` field, the target version included. */
const GUARDRAILS_OPTIONS = () => ({
  gpuBudget: 8,
  gpuResourceNames: ['nvidia.com/gpu'],
  disabledRules: [Guardrails.rules()[0].id],
  includeSuppressed: false,
  kubernetesVersion: '1.36',
  featureGates: { HPAScaleToZero: true },
});

export const OPTIONS: EntryPoint[] = [
  {
    ...run('Guardrails.check', () => ({ objects: MANIFESTS, options: GUARDRAILS_OPTIONS() }),
      a => Guardrails.check(a.objects, a.options), false),
    skip: skipKey('objects'),
  },
  {
    name: 'Guardrails.enforce',
    where: 'test', // the options are reported on the scope (the chart), like a construct's props
    unknownKeys: true,
    valid: () => ({ failOnWarnings: false, ...GUARDRAILS_OPTIONS() }),
    make: o => synthOf(chart => {
      new GpuInferenceService(chart, 'Host', {
        name: 'host', image: 'registry/model:v1', cpuRequest: Cpu.millis(500), memoryRequest: Size.gibibytes(2), maxReplicas: 4, metrics: [Metric.cpuUtilization(70)],
      });
      Guardrails.enforce(chart, o);
    }),
  },
  run('Simulator.run', () => ({ ...simOptions(), horizontalPodAutoscaler: hpaSpec(), gpusPerReplica: 1, cpuRequestCores: 1, memoryRequestBytes: 2 ** 32 }),
    p => Simulator.run(p)),
  run('Simulator.run(ScaledObject)', () => ({ ...simOptions(), scaledObject: scaledObject(), signals: { q: MetricSignal.BACKLOG }, gpusPerReplica: 1 }),
    p => Simulator.run(p)),
  {
    ...run('Simulator.fromManifests', () => ({ manifests: MANIFESTS, target: 'inference', options: simOptions() }),
      a => Simulator.fromManifests(a.manifests, a.target, a.options), false),
    skip: skipKey('manifests'),
  },
  {
    name: 'Simulator.fromConstruct',
    where: 'Simulator.fromConstruct',
    unknownKeys: true,
    valid: simOptions,
    make: o => {
      const chart = Testing.chart();
      const svc = new GpuInferenceService(chart, 'Host', {
        name: 'host',
        image: 'registry/model:v1',
        cpuRequest: Cpu.millis(500),
        memoryRequest: Size.gibibytes(2),
        maxReplicas: 4,
        metrics: [Metric.pods({ name: 'queue_depth', target: MetricTarget.averageValue(10) })],
      });
      return { result: Simulator.fromConstruct(svc, o) };
    },
  },
  run('HpaController', () => ({
    spec: hpaSpec(),
    options: {
      downscaleStabilizationSeconds: 300, tolerance: 0.1, kubernetesVersion: '1.36', featureGates: { HPAScaleToZero: true, HPAConfigurableTolerance: true }, scaledToZero: false,
    },
  }), a => {
    const c = new HpaController(a.spec, a.options);
    const obs = [25];
    return [c.sync(0, 2, obs), c.sync(15, 2, obs), c.lastDecision];
  }, false),
  run('ScaledObjectController', () => ({ manifest: scaledObject(), options: { creationTimestamp: 0 } }), a => {
    const c = new ScaledObjectController(a.manifest, a.options);
    return [c.poll(0, 0, [10]), c.poll(30, 1, [0])];
  }, false),
  run('DemandTrace.fromPoints', () => ({ points: [{ time: 0, arrivalsPerSecond: 5 }, { time: 60, arrivalsPerSecond: 1 }] }),
    a => DemandTrace.fromPoints(a.points), false),
  run('DemandTrace.fromCsv', () => ({ text: 'time,arrivals\n0,5\n60,1\n' }), a => DemandTrace.fromCsv(a.text), false),
];

// keep the enum imports used (they document which enums the valid props exercise)
void ModifierMetricType;
