import { GPU_REQUEST } from './gpu-check';
import { ContainerSecurity, ModelContainerProps, SecretEnv } from './model-container';
import { PLACEMENT } from './placement-check';
import { arrayOf, boolean, Check, integer, optional, Shape, string, struct } from '../validate/check';
import { fastCpu, fastSize, lightAnnotations, lightLabels, lightMapOf } from '../validate/fast';
import { DATA_KEY, DNS1123_LABEL_NAME, DNS1123_SUBDOMAIN_NAME, ENV_VAR_NAME, IMAGE_REFERENCE } from '../validate/formats';

/** An environment variable name. */
export const ENV_NAME: Check = string({ format: ENV_VAR_NAME });

/** `SecretEnv`: an env var name, a Secret name and a Secret key. */
export const SECRET_ENV: Check = struct<SecretEnv>('SecretEnv', {
  name: ENV_NAME,
  secretName: string({ format: DNS1123_SUBDOMAIN_NAME }),
  key: string({ format: DATA_KEY }),
});

/** `ContainerSecurity` (runAsNonRoot with user 0 is checked where it is rendered). */
export const CONTAINER_SECURITY: Check = struct<ContainerSecurity>('ContainerSecurity', {
  runAsNonRoot: optional(boolean()),
  runAsUser: optional(integer({ min: 0 })),
  readOnlyRootFilesystem: optional(boolean()),
});

/** The checks of `ModelContainerProps`, spread into the constructs' props shapes. */
export const MODEL_CONTAINER_SHAPE: Shape<ModelContainerProps> = {
  image: string({ format: IMAGE_REFERENCE, fix: 'set image, e.g. "your-registry/ml-inference:v1.0"' }),
  containerName: optional(string({ format: DNS1123_LABEL_NAME })),
  command: optional(arrayOf(string({ minLength: 0 }))),
  args: optional(arrayOf(string({ minLength: 0 }))),
  env: optional(lightMapOf(ENV_NAME, string({ minLength: 0 }))),
  secretEnv: optional(arrayOf(SECRET_ENV)),
  modelPath: optional(string()),
  modelPathEnvName: optional(ENV_NAME),
  cpuRequest: optional(fastCpu()),
  cpuLimit: optional(fastCpu()),
  memoryRequest: optional(fastSize()),
  memoryLimit: optional(fastSize()),
  gpu: optional(GPU_REQUEST),
  placement: optional(PLACEMENT),
  security: optional(CONTAINER_SECURITY),
  serviceAccountName: optional(string({ format: DNS1123_SUBDOMAIN_NAME })),
  podLabels: optional(lightLabels()),
  podAnnotations: optional(lightAnnotations()),
};
