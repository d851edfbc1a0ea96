import { ModelServer } from './model-server';
import { ScalingSignal } from './scaling-signal';
import { instanceOf } from '../validate/check';

/** A `ModelServer` made by its factories. */
export const MODEL_SERVER = instanceOf(v => v instanceof ModelServer, 'ModelServer',
  'use ModelServer.vllm(), ModelServer.sglang(), ModelServer.tgi(), ModelServer.triton() or ModelServer.custom({...})');

/** A `ScalingSignal` made by its factories. */
export const SCALING_SIGNAL = instanceOf(v => v instanceof ScalingSignal, 'ScalingSignal',
  'use ScalingSignal.queueSize(n), ScalingSignal.batchSize(n), ScalingSignal.kvCacheUsage(f) or ScalingSignal.gpuUtilization(p)');
