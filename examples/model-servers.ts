import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  GpuInferenceService, GpuInferenceServiceProps, HybridMlService, HybridMlServiceProps, HybridScalingMode, ModelServer,
  PrometheusAdapterRules, ScalingSignal,
} from '../src';

/** kube-prometheus-stack selects PodMonitors by its release label. */
const MONITOR = { labels: { release: 'kube-prometheus-stack' } };

/** The Prometheus the KEDA queries ask (kube-prometheus-stack's operated Service). */
export const PROMETHEUS = 'http://prometheus-operated.monitoring.svc:9090';

/**
 * Llama 3.1 8B Instruct on vLLM 0.12.0, one GPU per pod, scaled by the HPA on the queue size:
 * `vllm:num_requests_waiting`, 5 per replica (GKE's advice: start at 3-5; vLLM production-stack uses 5).
 * The HPA reads it as the Pods metric `vllm_num_requests_waiting`, which the adapter rules of the chart
 * map back to the series; the PodMonitor makes Prometheus scrape `/metrics` on the serving port.
 */
export const VLLM_SERVICE: GpuInferenceServiceProps = {
  name: 'llama-vllm',
  namespace: 'llm',
  image: 'vllm/vllm-openai:v0.12.0',
  containerName: 'vllm',
  args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--max-num-seqs', '64'],
  // the gated model's download token, from an existing Secret (never a literal)
  secretEnv: [{ name: 'HF_TOKEN', secretName: 'hf-token', key: 'token' }],
  modelServer: ModelServer.vllm(),
  signals: [ScalingSignal.queueSize(5)],
  metricsMonitor: MONITOR,
  cpuRequest: Cpu.millis(4000),
  memoryRequest: Size.gibibytes(32),
  memoryLimit: Size.gibibytes(32),
  gpu: { count: 1 },
  placement: { requiredInstanceTypes: ['g5.2xlarge', 'g6.2xlarge'] },
  // download of 16 GB of weights (or a cache hit), load, CUDA graph capture
  modelLoadTime: Duration.seconds(180),
  minReplicas: 2,
  maxReplicas: 8,
};

/** The vLLM service and the adapter rules that serve its queue-size metric. */
export class VllmInferenceChart extends Chart {
  public readonly service: GpuInferenceService;
  public readonly adapterRules: PrometheusAdapterRules;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'llm', ...props });
    this.service = new GpuInferenceService(this, 'Vllm', VLLM_SERVICE);
    // A ConfigMap of its own name: the other examples write `prometheus-adapter` in `monitoring`.
    this.adapterRules = new PrometheusAdapterRules(this, 'AdapterRules', { name: 'prometheus-adapter-llm' });
  }
}

/**
 * A pool of SGLang 0.5 workers serving Qwen2.5 7B Instruct, scaled by KEDA on the queue size
 * (`sglang:num_queue_reqs`, 4 per replica), summed over exactly this Deployment's pods. SGLang needs
 * `--enable-metrics` for `/metrics` and `--host 0.0.0.0` to be reachable (an error without them).
 *
 * `minReplicas` stays at 1 or more (2 here): a model server's series exist only while its pods run, so at zero pods
 * there is nothing to read, and a model-server signal can never wake a service from zero (a broker
 * or gateway queue can: see `Trigger.rabbitmq`).
 */
export const SGLANG_SERVICE: Omit<HybridMlServiceProps, 'mode'> = {
  name: 'qwen-sglang',
  namespace: 'llm',
  image: 'lmsysorg/sglang:v0.5.5',
  containerName: 'sglang',
  command: ['python3', '-m', 'sglang.launch_server'],
  args: ['--model-path', 'Qwen/Qwen2.5-7B-Instruct', '--host', '0.0.0.0', '--enable-metrics'],
  modelServer: ModelServer.sglang(),
  signals: [ScalingSignal.queueSize(4)],
  metricsMonitor: MONITOR,
  cpuRequest: Cpu.millis(4000),
  memoryRequest: Size.gibibytes(32),
  memoryLimit: Size.gibibytes(32),
  gpu: { count: 1 },
  placement: { requiredInstanceTypes: ['g5.2xlarge', 'g6.2xlarge'] },
  modelLoadTime: Duration.seconds(180),
  minReplicas: 2,
  maxReplicas: 8,
};

/** The SGLang worker pool on KEDA. */
export class SglangWorkerPoolChart extends Chart {
  public readonly service: HybridMlService;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'llm', ...props });
    this.service = new HybridMlService(this, 'Sglang', {
      ...SGLANG_SERVICE,
      mode: HybridScalingMode.KEDA,
      // a new service: no HPA to adopt
      adoptExistingHpa: false,
      keda: { prometheusAddress: PROMETHEUS },
    });
  }
}

/**
 * The article's ResNet-50 (a non-LLM model) on NVIDIA Triton 2.71.0 (NGC 26.07), scaled by the HPA on
 * GPU utilization from NVIDIA's DCGM exporter (`DCGM_FI_DEV_GPU_UTIL`, 70% averaged over the pods'
 * GPUs). For an image model the GPU is busy in proportion to the load, so utilization is a fair
 * signal; Triton's own queue size (`nv_inference_pending_request_count`, `ScalingSignal.queueSize`)
 * would work too. The DCGM exporter must run with Kubernetes pod attribution (its Helm chart sets
 * `DCGM_EXPORTER_KUBERNETES=true`); with the chart's default ServiceMonitor (`honorLabels: false`) the
 * pod arrives as `exported_pod`, which the adapter rules expect by default.
 */
export const TRITON_SERVICE: GpuInferenceServiceProps = {
  name: 'resnet-triton',
  namespace: 'ml-workloads',
  image: 'nvcr.io/nvidia/tritonserver:26.07-py3',
  containerName: 'triton',
  args: ['tritonserver', '--model-repository=/models'],
  modelServer: ModelServer.triton(),
  signals: [ScalingSignal.gpuUtilization(70)],
  metricsMonitor: MONITOR,
  cpuRequest: Cpu.millis(2000),
  cpuLimit: Cpu.millis(4000),
  memoryRequest: Size.gibibytes(4),
  memoryLimit: Size.gibibytes(8),
  gpu: { count: 1 },
  placement: { requiredInstanceTypes: ['g4dn.xlarge', 'p3.2xlarge'] },
  modelLoadTime: Duration.seconds(60),
  minReplicas: 2,
  maxReplicas: 10,
};

/** The Triton ResNet service and the adapter rules that serve the DCGM GPU utilization. */
export class TritonResnetChart extends Chart {
  public readonly service: GpuInferenceService;
  public readonly adapterRules: PrometheusAdapterRules;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'ml-workloads', ...props });
    this.service = new GpuInferenceService(this, 'Triton', TRITON_SERVICE);
    this.adapterRules = new PrometheusAdapterRules(this, 'AdapterRules', { name: 'prometheus-adapter-resnet' });
  }
}
