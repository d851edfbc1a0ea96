import { HTTP_URL } from '../keda/keda-formats';
import { string } from '../validate/check';

/** The URL of a Prometheus server, as KEDA's prometheus scaler takes it. */
export const PROMETHEUS_ADDRESS = string({ format: HTTP_URL });
