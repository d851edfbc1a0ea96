import { ModelProbes } from './probes';
import { boolean, Check, integer, optional, string, struct } from '../validate/check';
import { fastDuration } from '../validate/fast';
import { HTTP_PATH } from '../validate/formats';

/** A TCP port number. */
export const PORT: Check = integer({ min: 1, max: 65535 });

/** `ModelProbes`: HTTP paths, a port, periods of at least 1 s, whole-second delays. */
export const MODEL_PROBES: Check = struct<ModelProbes>('ModelProbes', {
  readinessPath: optional(string({ format: HTTP_PATH, fix: 'start the path with "/", e.g. "/ready"' })),
  livenessPath: optional(string({ format: HTTP_PATH, fix: 'start the path with "/", e.g. "/health"' })),
  port: optional(PORT),
  startupProbe: optional(boolean()),
  startupPeriod: optional(fastDuration({ minSeconds: 1 })),
  readinessPeriod: optional(fastDuration({ minSeconds: 1 })),
  livenessPeriod: optional(fastDuration({ minSeconds: 1 })),
  failureThreshold: optional(integer({ min: 1 })),
  readinessInitialDelay: optional(fastDuration()),
  livenessInitialDelay: optional(fastDuration()),
});
