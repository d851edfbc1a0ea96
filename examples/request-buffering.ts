import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HybridMlService, HybridMlServiceProps, HybridScalingMode, ModelServer } from '../src';

/**
 * A chat model on vLLM that scales to zero between uses, behind the KEDA HTTP add-on (v0.15): clients
 * call `chat-vllm-proxy` (an ExternalName Service to the add-on's interceptor) with Host
 * `chat.example.com`; the interceptor holds each request until a pod has loaded the model (up to
 * 210 s: the 120 s load, its 30 s startup headroom and 60 s for scheduling and image pull) and counts
 * requests in flight, which the ScaledObject's `external-push` trigger turns into replicas (24 per
 * replica). The add-on must be installed in namespace `keda`.
 */
export const BUFFERED_SERVICE: HybridMlServiceProps = {
  name: 'chat-vllm',
  namespace: 'llm-chat',
  image: 'vllm/vllm-openai:v0.12.0',
  containerName: 'vllm',
  args: ['--model', 'Qwen/Qwen2.5-7B-Instruct', '--max-num-seqs', '32'],
  modelServer: ModelServer.vllm(),
  cpuRequest: Cpu.millis(4000),
  memoryRequest: Size.gibibytes(32),
  memoryLimit: Size.gibibytes(32),
  gpu: { count: 1 },
  placement: { requiredInstanceTypes: ['g5.2xlarge', 'g6.2xlarge'] },
  modelLoadTime: Duration.seconds(120),
  mode: HybridScalingMode.KEDA,
  minReplicas: 0,
  scaleToZero: true,
  maxReplicas: 6,
  keda: { pollingInterval: Duration.seconds(15), cooldownPeriod: Duration.seconds(600) },
  requestBuffering: { hosts: ['chat.example.com'], concurrencyPerReplica: 24 },
};

/** The buffered chat service (namespace `llm-chat`). */
export class BufferedScaleToZeroChart extends Chart {
  public readonly service: HybridMlService;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'llm-chat', ...props });
    this.service = new HybridMlService(this, 'Chat', BUFFERED_SERVICE);
  }
}
