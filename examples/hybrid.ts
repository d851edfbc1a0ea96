import { Chart, ChartProps, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  HybridMlService, HybridMlServiceProps, HybridScalingMode, KedaAuthentication, Metric, MetricTarget, PrometheusAdapterRules,
  RabbitMqMode, Trigger,
} from '../src';

/**
 * The article's `hybrid-ml-service` (GPU 1, CPU 4/8, memory 8Gi/16Gi, ports http 8080 and metrics 8000).
 *
 * The article pairs a hand-made HPA with KEDA and pauses KEDA with `autoscaling.keda.sh/paused` on the
 * Deployment. Both are broken: KEDA reads pause annotations only on the ScaledObject, and a
 * ScaledObject next to an HPA on the same Deployment is rejected by KEDA's webhook (or, if both
 * exist, Kubernetes marks both HPAs AmbiguousSelector and stops scaling). Here exactly one
 * controller scales the service, and the switch from HPA to KEDA is the one line `mode:`.
 */
const HYBRID: Omit<HybridMlServiceProps, 'mode'> = {
  name: 'hybrid-ml-service',
  namespace: 'ml-workloads',
  selectorLabels: { app: 'hybrid-ml' },
  hpaName: 'hybrid-ml-hpa',
  image: 'your-registry/hybrid-ml:v2.0',
  containerName: 'ml-service',
  httpPort: 8080,
  metricsPort: 8000,
  cpuRequest: Cpu.millis(4000),
  cpuLimit: Cpu.millis(8000),
  memoryRequest: Size.gibibytes(8),
  memoryLimit: Size.gibibytes(16),
  gpu: { count: 1 },
  placement: {
    requiredInstanceTypes: ['g4dn.xlarge', 'p3.2xlarge'],
    preferredNodeAffinities: [{ weight: 100, key: 'workload-type', values: ['ml-inference'] }],
  },
  minReplicas: 3,
  maxReplicas: 15,
};

/** Step 1, HPA mode: the article's `hybrid-ml-hpa` (External `requests_per_second`, AverageValue 100). */
export class HybridHpaChart extends Chart {
  public readonly service: HybridMlService;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'ml-workloads', ...props });
    this.service = new HybridMlService(this, 'Hybrid', {
      ...HYBRID,
      mode: HybridScalingMode.HPA,
      metrics: [
        Metric.external({
          name: 'requests_per_second',
          selector: { matchLabels: { service: 'hybrid-ml' } },
          target: MetricTarget.averageValue(100),
        }),
      ],
    });
    // Serves requests_per_second through external.metrics.k8s.io.
    new PrometheusAdapterRules(this, 'AdapterRules');
  }
}

/**
 * Step 2, KEDA mode: one ScaledObject on request rate (the same 100 requests/s per replica, from
 * Prometheus) and the batch queue. It adopts `hybrid-ml-hpa` (transfer-hpa-ownership), so applying
 * it over step 1 hands the HPA to KEDA without a moment of zero or two autoscalers.
 */
export class HybridKedaChart extends Chart {
  public readonly service: HybridMlService;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'ml-workloads', ...props });
    this.service = new HybridMlService(this, 'Hybrid', {
      ...HYBRID,
      mode: HybridScalingMode.KEDA,
      triggers: [
        Trigger.prometheus({
          name: 'requests',
          serverAddress: 'http://prometheus-server.monitoring.svc.cluster.local:9090',
          query: 'sum(rate(http_requests_total{service="hybrid-ml"}[1m]))',
          threshold: 100,
        }),
        Trigger.rabbitmq({
          name: 'batch',
          queueName: 'ml-inference-queue',
          mode: RabbitMqMode.QUEUE_LENGTH,
          value: 20,
          authentication: KedaAuthentication.fromTriggerAuthenticationName('rabbitmq-auth'),
        }),
      ],
    });
  }
}
