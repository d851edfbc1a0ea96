import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AutoscalingDashboard, AutoscalingRules, GpuInferenceService, Metric, MetricTarget, PrometheusAdapterRules, ScalingPolicy,
  SelectPolicy,
} from '../src';

/** Props of the article's example charts. */
export interface ArticleChartProps extends ChartProps {
  /**
   * Whether the chart carries its monitoring: `AutoscalingRules` (recording rules and alerts) and an
   * `AutoscalingDashboard` (tests that add their own set it to false).
   * @default true
   */
  readonly monitoring?: boolean;
}

/**
 * The article's ML inference service: Deployment `ml-inference-service`, HPA `ml-inference-hpa`
 * (CPU 70%, memory 80%, `inference_queue_depth` 10 per pod, its scale-up/down behavior) and PDB
 * `ml-inference-pdb`, in namespace `ml-workloads`.
 *
 * Differences from the article, on purpose:
 * - no `spec.replicas` on the Deployment: the HPA owns the replica count (re-applying `replicas: 2`
 *   would reset it on every deploy);
 * - a startup probe sized from the 120 s model load replaces the fixed `initialDelaySeconds`, so a
 *   slow load never gets the pod killed and a fast one becomes ready sooner;
 * - the PDB allows one eviction at a time (`maxUnavailable: 1`): the article's `minAvailable: 2`
 *   equals `minReplicas` and blocks every node drain at minimum scale;
 * - the Prometheus Adapter rule that serves `inference_queue_depth` is part of the chart (the fix for
 *   the article's "HPA shows unknown for custom metrics").
 *
 * Beyond the article: alerts and recording rules (`ml-inference-autoscaling`, labelled for
 * kube-prometheus-stack's rule selector) and a Grafana dashboard, generated from the HPA above.
 */
export class ArticleInferenceChart extends Chart {
  public readonly service: GpuInferenceService;
  public readonly rules?: AutoscalingRules;
  public readonly dashboard?: AutoscalingDashboard;

  constructor(scope: Construct, id: string, props: ArticleChartProps = {}) {
    const { monitoring = true, ...chartProps } = props;
    super(scope, id, { namespace: 'ml-workloads', ...chartProps });
    this.service = new GpuInferenceService(this, 'Inference', {
      name: 'ml-inference-service',
      namespace: 'ml-workloads',
      selectorLabels: { app: 'ml-inference' },
      hpaName: 'ml-inference-hpa',
      disruptionBudget: { name: 'ml-inference-pdb' },
      image: 'your-registry/ml-inference:v1.0',
      containerName: 'inference',
      httpPort: 8080,
      metricsPort: 8000,
      modelPath: '/models/resnet50',
      cpuRequest: Cpu.millis(2000),
      cpuLimit: Cpu.millis(4000),
      memoryRequest: Size.gibibytes(4),
      memoryLimit: Size.gibibytes(8),
      gpu: { count: 1 },
      modelLoadTime: Duration.seconds(120),
      placement: {
        requiredInstanceTypes: ['g4dn.xlarge', 'p3.2xlarge'],
        preferredNodeAffinities: [{ weight: 100, key: 'workload-type', values: ['ml-inference'] }],
      },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        Metric.cpuUtilization(70),
        Metric.memoryUtilization(80),
        Metric.pods({ name: 'inference_queue_depth', target: MetricTarget.averageValue(10) }),
      ],
      behavior: {
        scaleDown: {
          stabilizationWindow: Duration.minutes(5),
          policies: [ScalingPolicy.percent(50, Duration.seconds(60))],
        },
        scaleUp: {
          stabilizationWindow: Duration.seconds(60),
          policies: [ScalingPolicy.percent(100, Duration.seconds(30)), ScalingPolicy.pods(2, Duration.seconds(30))],
          selectPolicy: SelectPolicy.MAX,
        },
      },
    });
    // Serves inference_queue_depth through custom.metrics.k8s.io (ConfigMap for the adapter in `monitoring`).
    new PrometheusAdapterRules(this, 'AdapterRules');
    if (monitoring) {
      // Alerts and recording rules for the HPA above; kube-prometheus-stack loads rules labelled with
      // its Helm release. The dashboard goes to Grafana through the sidecar (label grafana_dashboard).
      this.rules = new AutoscalingRules(this, 'Rules', { name: 'ml-inference-autoscaling', labels: { release: 'kube-prometheus-stack' } });
      this.dashboard = new AutoscalingDashboard(this, 'Dashboard', { name: 'ml-inference-dashboard', title: 'ML inference service: autoscaling' });
    }
  }
}
