import { GpuRequest } from './gpu';
import { boolean, Check, integer, optional, string, struct } from '../validate/check';
import { EXTENDED_RESOURCE_NAME, QUALIFIED_NAME } from '../validate/formats';

/** `GpuRequest`: whole GPUs, an extended resource name, a taint key that is a label key. */
export const GPU_REQUEST: Check = struct<GpuRequest>('GpuRequest', {
  count: integer({
    min: 1,
    fix: 'set gpu.count to a whole number of GPUs >= 1 (for a fraction of a GPU use a MIG profile as gpu.resourceName, e.g. "nvidia.com/mig-1g.10gb")',
  }),
  resourceName: optional(string({ format: EXTENDED_RESOURCE_NAME })),
  tolerateTaint: optional(boolean()),
  taintKey: optional(string({ format: QUALIFIED_NAME })),
});
