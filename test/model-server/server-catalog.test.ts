/**
 * The catalog's recognition of servers by image (also through registry mirrors) and of series in PromQL.
 */
import { knownMetric, retiredMetric, serverForImage, SignalKind } from '../../src/model-server/server-catalog';

test.each([
  ['vllm/vllm-openai:v0.12.0', 'vllm', true],
  ['docker.io/vllm/vllm-openai@sha256:0123', 'vllm', true],
  ['123456789012.dkr.ecr.us-east-1.amazonaws.com/vllm/vllm-openai:v0.12.0', 'vllm', true],
  ['lmsysorg/sglang:v0.5.5-cu126', 'sglang', true],
  ['ghcr.io/huggingface/text-generation-inference:3.3.7', 'tgi', true],
  ['mirror.example.com:5000/huggingface/text-generation-inference:3.3.7', 'tgi', true],
  ['nvcr.io/nvidia/tritonserver:26.07-py3', 'triton', false],
  ['nvcr.io/nvidia/tritonserver:26.07-vllm-python-py3', 'triton', true],
  ['nvcr.io/nvidia/tritonserver:26.07-trtllm-python-py3', 'triton', true],
])('%s is %s (LLM: %s)', (image, id, llm) => {
  expect(serverForImage(image)).toMatchObject({ server: { id }, llm });
});

test.each(['myvllm/vllm-openai-fork:1', 'notvllm/vllm-openai:1', 'registry/ml-inference:v1.0', ''])('%s is no preset server', image => {
  expect(serverForImage(image)).toBeUndefined();
});

test('series and API names, retired names', () => {
  expect(knownMetric('vllm_num_requests_waiting')).toMatchObject({ series: 'vllm:num_requests_waiting', signal: SignalKind.QUEUE_SIZE });
  expect(knownMetric('DCGM_FI_DEV_GPU_UTIL')).toMatchObject({ unit: 'percent', signal: SignalKind.GPU_UTILIZATION });
  expect(retiredMetric('vllm_gpu_cache_usage_perc')).toMatchObject({ metric: { goneSince: '0.12.0', replacement: 'vllm:kv_cache_usage_perc' } });
  expect(knownMetric('inference_queue_depth')).toBeUndefined();
});
