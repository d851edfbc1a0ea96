import { ModelServingProps } from './model-serving-props';
import { Metric } from '../autoscaling/metric';
import { MODEL_SERVER, SCALING_SIGNAL } from '../model-server/model-server-checks';
import { METRICS_MONITOR_OPTIONS } from '../model-server/render-pod-monitor';
import { arrayOf, Check, instanceOf, optional, Shape, string } from '../validate/check';
import { fastDuration, lightLabels } from '../validate/fast';
import { DNS1035_LABEL_NAME, DNS1123_LABEL_NAME, DNS1123_SUBDOMAIN_NAME, HTTP_PATH } from '../validate/formats';
import { DISRUPTION_BUDGET } from '../workload/disruption-budget-check';
import { MODEL_CONTAINER_SHAPE } from '../workload/model-container-check';
import { MODEL_PROBES, PORT } from '../workload/probes-check';

/** The longest model load time: the default scale-down window follows it, and the API server allows at most 3600 s. */
export const MAX_MODEL_LOAD_SECONDS = 3600;

/** The checks of `ModelServingProps` (name-derived limits are checked where the names are made). */
export const MODEL_SERVING_SHAPE: Shape<ModelServingProps> = {
  ...MODEL_CONTAINER_SHAPE,
  name: optional(string({ format: DNS1123_SUBDOMAIN_NAME })),
  namespace: optional(string({ format: DNS1123_LABEL_NAME })),
  selectorLabels: optional(lightLabels()),
  modelServer: optional(MODEL_SERVER),
  signals: optional(arrayOf(SCALING_SIGNAL)),
  metricsMonitor: optional(METRICS_MONITOR_OPTIONS),
  httpPort: optional(PORT),
  metricsPort: optional(PORT),
  metricsPath: optional(string({ format: HTTP_PATH })),
  modelLoadTime: optional(fastDuration({
    maxSeconds: MAX_MODEL_LOAD_SECONDS,
    fix: `use Duration.seconds(n) with a whole n in 0..${MAX_MODEL_LOAD_SECONDS} (the default scale-down stabilization window is max(300 s, modelLoadTime) and the API server allows at most ${MAX_MODEL_LOAD_SECONDS} s)`,
  })),
  probes: optional(MODEL_PROBES),
  serviceName: optional(string({ format: DNS1035_LABEL_NAME })),
  disruptionBudget: optional(DISRUPTION_BUDGET),
};

/** A `Metric` made by its factories. */
export const METRIC: Check = instanceOf(v => v instanceof Metric, 'Metric',
  'use Metric.cpuUtilization(n), Metric.memoryUtilization(n), Metric.pods({...}), Metric.object({...}) or Metric.external({...})');
