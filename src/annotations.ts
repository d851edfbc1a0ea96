/**
 * Annotations this library writes on rendered objects so that the guardrails and the simulator can
 * read facts from the manifests themselves (one model of the facts: the manifest).
 */
export const ANNOTATION_PREFIX = 'ml-autoscaling.io';

/** On a workload's pod template: the declared model load time in seconds (cold start budget). */
export const MODEL_LOAD_SECONDS = `${ANNOTATION_PREFIX}/model-load-seconds`;

/** On a queue consumer's pod template: the declared maximum processing time of one work item, in seconds. */
export const MAX_PROCESSING_SECONDS = `${ANNOTATION_PREFIX}/max-processing-seconds`;

/** On a workload's pod template: "true" when requests are buffered in front of it (safe to scale to zero). */
export const REQUEST_BUFFERING = `${ANNOTATION_PREFIX}/request-buffering`;

/**
 * On any object: guardrail rules suppressed for this object, with reasons:
 * `RULE-ID: reason; OTHER-ID: reason`.
 */
export const SUPPRESS = `${ANNOTATION_PREFIX}/suppress`;

/**
 * On autoscalers (HPA, ScaledObject) rendered for a `KubernetesTarget` set in the app: the Kubernetes
 * minor the manifests are for (`"1.37"`), so `lint` and the validation plugin judge them for it.
 */
export const KUBERNETES_VERSION = `${ANNOTATION_PREFIX}/kubernetes-version`;

/** Beside `KUBERNETES_VERSION`: the feature gates set differently from its defaults (`HPAScaleToZero=true,...`). */
export const FEATURE_GATES = `${ANNOTATION_PREFIX}/feature-gates`;

/**
 * On a workload's pod template: the model server it runs (`vllm`, `sglang`, `tgi`, `triton`, or a
 * custom server's name), written from the construct's `modelServer` preset.
 */
export const MODEL_SERVER = `${ANNOTATION_PREFIX}/model-server`;

/**
 * Beside `MODEL_SERVER`: which exported series measures which signal, as JSON
 * (`{"queueSize":"vllm:num_requests_waiting","batchSize":"vllm:num_requests_running",...}`), so the
 * simulator and the guardrails read a custom server's metrics from the manifest too.
 */
export const SERVER_METRICS = `${ANNOTATION_PREFIX}/server-metrics`;
