import { Duration } from 'cdk8s';

/**
 * Health checks of a model server. They follow from the model load time: a startup probe allows the
 * whole load, and readiness and liveness only start once it has succeeded, so a pod that is still
 * loading its model is never killed nor sent traffic.
 */
export interface ModelProbes {
  /**
   * Readiness path (traffic only goes to ready pods).
   * @default '/ready'
   */
  readonly readinessPath?: string;

  /**
   * Liveness path (a failing pod is restarted). Also used by the startup probe.
   * @default '/health'
   */
  readonly livenessPath?: string;

  /**
   * Port the probes call.
   * @default - the http port
   */
  readonly port?: number;

  /**
   * Use a startup probe sized from the model load time. Set false for the article's style, with
   * `readinessInitialDelay`/`livenessInitialDelay` instead.
   * @default true
   */
  readonly startupProbe?: boolean;

  /**
   * Startup probe period.
   * @default Duration.seconds(10)
   */
  readonly startupPeriod?: Duration;

  /**
   * Readiness probe period.
   * @default Duration.seconds(10)
   */
  readonly readinessPeriod?: Duration;

  /**
   * Liveness probe period.
   * @default Duration.seconds(30)
   */
  readonly livenessPeriod?: Duration;

  /**
   * Consecutive failures before readiness/liveness act.
   * @default 3
   */
  readonly failureThreshold?: number;

  /**
   * Delay before the first readiness check (`initialDelaySeconds`).
   * @default - none with a startup probe; the model load time without one
   */
  readonly readinessInitialDelay?: Duration;

  /**
   * Delay before the first liveness check (`initialDelaySeconds`).
   * @default - none with a startup probe; the model load time plus headroom without one
   */
  readonly livenessInitialDelay?: Duration;
}
