import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { GpuInferenceService, KubernetesTarget, Metric, MetricTarget, PrometheusAdapterRules } from '../src';

/**
 * A GPU inference service that the HPA itself scales to zero when no work waits, and back when
 * some arrives: no KEDA, no extra CRDs. Manifests for a Kubernetes 1.37 API server, where
 * `HPAScaleToZero` is beta and on by default (on 1.35 and 1.36, only with the gate enabled on the API
 * server and the kube-controller-manager).
 *
 * The clients are asynchronous: they publish summarization requests to the RabbitMQ queue
 * `summarize-requests`, and a small always-on dispatcher (not part of this chart) forwards each one
 * to the model server's Service, keeping the message unacknowledged until the answer comes back.
 * During a cold start requests wait in the queue instead of failing, which the pods declare with
 * `ml-autoscaling.io/request-buffering: "true"` (so the scale-to-zero guardrail has nothing to report).
 *
 * The External metric is RabbitMQ's own `rabbitmq_queue_messages` (ready plus in flight) for that
 * queue, served through the Prometheus Adapter rules in the chart: 4 waiting requests per replica,
 * so one waiting request wakes the first pod, and an empty queue for the scale-down stabilization
 * window (5 minutes, or the model load time if longer) brings the service to zero. Resource and
 * Pods metrics cannot do that: at zero pods they have no samples.
 */
export class ScaleToZeroInferenceChart extends Chart {
  public readonly service: GpuInferenceService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'ml-workloads', ...props });
    // Before any construct: they read the target when they are created.
    KubernetesTarget.set(this, { version: '1.37' });
    this.service = new GpuInferenceService(this, 'Summarizer', {
      name: 'ml-summarizer',
      namespace: 'ml-workloads',
      hpaName: 'ml-summarizer-hpa',
      image: 'your-registry/ml-summarizer:v1.0',
      modelPath: '/models/summarizer',
      cpuRequest: Cpu.millis(2000),
      memoryRequest: Size.gibibytes(8),
      memoryLimit: Size.gibibytes(8),
      gpu: { count: 1 },
      placement: { requiredInstanceTypes: ['g5.xlarge', 'g5.2xlarge'] },
      modelLoadTime: Duration.seconds(90),
      podAnnotations: { 'ml-autoscaling.io/request-buffering': 'true' },
      minReplicas: 0,
      scaleToZero: true,
      maxReplicas: 8,
      metrics: [
        Metric.external({
          name: 'rabbitmq_queue_messages',
          selector: { matchLabels: { queue: 'summarize-requests' } },
          target: MetricTarget.averageValue(4),
        }),
      ],
      // React to a 5% backlog growth instead of the cluster-wide 10% (HPAConfigurableTolerance, on since 1.35).
      behavior: { scaleUp: { tolerance: 0.05 } },
    });
    // Serves rabbitmq_queue_messages through external.metrics.k8s.io.
    new PrometheusAdapterRules(this, 'AdapterRules');
  }
}
