import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ArticleChartProps } from './inference';
import { KedaAuthentication, KedaTriggerAuthentication, PodIdentity } from '../src/keda/authentication';
import { JobRolloutStrategy, JobScalingStrategy } from '../src/keda/scaled-job-options';
import { RabbitMqMode, RabbitMqProtocol, Trigger } from '../src/keda/trigger';
import { ScalingSignal } from '../src/model-server/scaling-signal';
import { AutoscalingDashboard } from '../src/monitoring/autoscaling-dashboard';
import { AutoscalingRules } from '../src/monitoring/autoscaling-rules';
import { QueueBatchWorker, WorkerMode } from '../src/queue-batch-worker';

const NAMESPACE = 'ml-workloads';

/**
 * The article's batch processor: Deployment `ml-batch-processor` scaled by ScaledObject
 * `ml-batch-processor-scaler` (0..20 replicas, polling 15 s, cooldown 300 s) on the RabbitMQ queue
 * `ml-inference-queue` (5 messages per replica, active from 1) and on GPU utilization from
 * Prometheus (70), with TriggerAuthentication `rabbitmq-auth`.
 *
 * Differences from the article, on purpose:
 * - the RabbitMQ host comes from the existing Secret `rabbitmq-auth` (key `host`); the article
 *   creates that Secret with the URL in literal `stringData`, which would put credentials in git;
 * - no `metricName` on the Prometheus trigger: KEDA removed it in 2.12;
 * - `scaleTargetRef` names `apiVersion: apps/v1` and `kind: Deployment` explicitly (KEDA's defaults);
 * - the worker declares a 10 minute maximum processing time per item, so scale-in lets a busy
 *   consumer finish (`terminationGracePeriodSeconds: 630`).
 *
 * Beyond the article: alerts and recording rules (`ml-batch-processor-autoscaling`: scaler errors, the
 * queue growing at 20 replicas, pods stuck loading, ...) and a Grafana dashboard, from the ScaledObject.
 */
export class ArticleBatchProcessorChart extends Chart {
  public readonly auth: KedaTriggerAuthentication;
  public readonly worker: QueueBatchWorker;
  public readonly rules?: AutoscalingRules;
  public readonly dashboard?: AutoscalingDashboard;

  constructor(scope: Construct, id: string, props: ArticleChartProps = {}) {
    const { monitoring = true, ...chartProps } = props;
    super(scope, id, { namespace: NAMESPACE, ...chartProps });
    this.auth = new KedaTriggerAuthentication(this, 'RabbitMqAuth', {
      name: 'rabbitmq-auth',
      namespace: NAMESPACE,
      secretTargetRefs: [{ parameter: 'host', secretName: 'rabbitmq-auth', key: 'host' }],
    });
    this.worker = new QueueBatchWorker(this, 'BatchProcessor', {
      name: 'ml-batch-processor',
      namespace: NAMESPACE,
      scaledObjectName: 'ml-batch-processor-scaler',
      image: 'your-registry/ml-batch-processor:v1.0',
      containerName: 'processor',
      cpuRequest: Cpu.millis(2000),
      cpuLimit: Cpu.millis(4000),
      memoryRequest: Size.gibibytes(4),
      memoryLimit: Size.gibibytes(8),
      gpu: { count: 1 },
      placement: { requiredInstanceTypes: ['g4dn.xlarge', 'p3.2xlarge'] },
      maxProcessingTime: Duration.minutes(10),
      minReplicas: 0,
      maxReplicas: 20,
      pollingInterval: Duration.seconds(15),
      cooldownPeriod: Duration.seconds(300),
      triggers: [
        Trigger.rabbitmq({
          protocol: RabbitMqProtocol.AUTO,
          queueName: 'ml-inference-queue',
          mode: RabbitMqMode.QUEUE_LENGTH,
          value: 5,
          activationValue: 1,
          authentication: this.auth,
        }),
      ],
      // The article's `avg(gpu_utilization{job="ml-inference"})` at 70 asks KEDA for ceil(avg / 70)
      // replicas: never more than 2. The signal sums each pod's GPU utilization (DCGM exporter) so
      // KEDA asks for ceil(sum / 70), the HPA's rule for an average of 70% per replica.
      signals: [ScalingSignal.gpuUtilization(70)],
      prometheusAddress: 'http://prometheus-server.monitoring.svc.cluster.local:9090',
    });
    if (monitoring) {
      this.rules = new AutoscalingRules(this, 'Rules', { name: 'ml-batch-processor-autoscaling', labels: { release: 'kube-prometheus-stack' } });
      this.dashboard = new AutoscalingDashboard(this, 'Dashboard', { name: 'ml-batch-processor-dashboard', title: 'ML batch processor: autoscaling' });
    }
  }
}

/**
 * The article's training worker: Deployment `ml-training-worker` scaled to zero by ScaledObject
 * `ml-training-job-scaler` (0..5 replicas, polling 30 s, cooldown 600 s) on the SQS queue
 * `ml-training-jobs` (2 messages per replica, active from 1), authenticated by TriggerAuthentication
 * `aws-credentials` through AWS pod identity with a role (no access keys anywhere).
 */
export class ArticleTrainingWorkerChart extends Chart {
  public readonly auth: KedaTriggerAuthentication;
  public readonly worker: QueueBatchWorker;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: NAMESPACE, ...props });
    this.auth = new KedaTriggerAuthentication(this, 'AwsCredentials', {
      name: 'aws-credentials',
      namespace: NAMESPACE,
      podIdentity: PodIdentity.aws({ roleArn: 'arn:aws:iam::123456789012:role/ml-training-sqs-reader' }),
    });
    this.worker = new QueueBatchWorker(this, 'TrainingWorker', {
      name: 'ml-training-worker',
      namespace: NAMESPACE,
      scaledObjectName: 'ml-training-job-scaler',
      image: 'your-registry/ml-training-worker:v1.0',
      containerName: 'trainer',
      cpuRequest: Cpu.millis(4000),
      memoryRequest: Size.gibibytes(16),
      memoryLimit: Size.gibibytes(32),
      gpu: { count: 1 },
      placement: { requiredInstanceTypes: ['p3.2xlarge', 'g5.2xlarge'] },
      maxProcessingTime: Duration.minutes(30),
      minReplicas: 0,
      maxReplicas: 5,
      pollingInterval: Duration.seconds(30),
      cooldownPeriod: Duration.minutes(10),
      triggers: [
        Trigger.awsSqsQueue({
          queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789/ml-training-jobs',
          queueLength: 2,
          awsRegion: 'us-east-1',
          activationQueueLength: 1,
          authentication: this.auth,
        }),
      ],
    });
  }
}

/**
 * Fine-tuning runs that take hours: one Kubernetes Job per SQS message (ScaledJob
 * `ml-finetune-job`), so scale-in never interrupts a run. Rollout is gradual (running Jobs survive a
 * change of the ScaledJob), history is kept short, and a failed run is retried once. Reuses the
 * `aws-credentials` TriggerAuthentication of `ArticleTrainingWorkerChart` by name.
 */
export class TrainingJobsChart extends Chart {
  public readonly worker: QueueBatchWorker;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: NAMESPACE, ...props });
    this.worker = new QueueBatchWorker(this, 'FineTune', {
      mode: WorkerMode.JOB,
      name: 'ml-finetune-job',
      namespace: NAMESPACE,
      image: 'your-registry/ml-finetune:v1.0',
      containerName: 'finetune',
      cpuRequest: Cpu.millis(8000),
      memoryRequest: Size.gibibytes(64),
      memoryLimit: Size.gibibytes(64),
      gpu: { count: 4 },
      placement: { requiredInstanceTypes: ['p3.8xlarge', 'g5.12xlarge'] },
      maxProcessingTime: Duration.hours(6),
      minReplicas: 0,
      maxReplicas: 3,
      pollingInterval: Duration.seconds(30),
      job: {
        backoffLimit: 1,
        ttlAfterFinished: Duration.hours(24),
        scalingStrategy: JobScalingStrategy.ACCURATE,
        rolloutStrategy: JobRolloutStrategy.GRADUAL,
      },
      triggers: [
        Trigger.awsSqsQueue({
          queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789/ml-finetune-jobs',
          queueLength: 1,
          awsRegion: 'us-east-1',
          authentication: KedaAuthentication.fromTriggerAuthenticationName('aws-credentials'),
        }),
      ],
    });
  }
}
