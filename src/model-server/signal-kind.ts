/**
 * What a scaling signal (or a model server's metric) measures.
 */
export enum SignalKind {
  /** Requests admitted but waiting (the engine's queue). */
  QUEUE_SIZE = 'queueSize',
  /** Requests running (in the engine's batch). */
  BATCH_SIZE = 'batchSize',
  /** Share of the KV cache in use, a fraction 0..1. */
  KV_CACHE_USAGE = 'kvCacheUsage',
  /** GPU utilization (duty cycle). */
  GPU_UTILIZATION = 'gpuUtilization',
  /** GPU framebuffer memory in use. */
  GPU_MEMORY_USED = 'gpuMemoryUsed',
}
