import { IConstruct } from 'constructs';
import { PauseOptions } from './scaled-object-options';
import { propError } from '../errors';
import { boolean, checkValue, integer, optional, Shape, struct } from '../validate/check';
import { Warnings } from '../warnings';

export const PAUSED = 'autoscaling.keda.sh/paused';
export const PAUSED_REPLICAS = 'autoscaling.keda.sh/paused-replicas';
export const PAUSED_SCALE_IN = 'autoscaling.keda.sh/paused-scale-in';
export const PAUSED_SCALE_OUT = 'autoscaling.keda.sh/paused-scale-out';
export const TRANSFER_HPA_OWNERSHIP = 'scaledobject.keda.sh/transfer-hpa-ownership';

export const PAUSED_WARNING = 'ML-W-KEDA-PAUSED';

/**
 * The checks of `PauseOptions` (for the options shapes that contain it). `pausedReplicas` is parsed
 * by KEDA as an int32.
 */
export const PAUSE_OPTIONS_SHAPE: Shape<PauseOptions> = {
  paused: optional(boolean()),
  pausedReplicas: optional(integer({ min: 0, fix: 'set pausedReplicas to a whole number of replicas >= 0 (KEDA parses it as an int32)' })),
  pauseScaleIn: optional(boolean()),
  pauseScaleOut: optional(boolean()),
};

/**
 * Renders KEDA's pause annotations (read on the ScaledObject or ScaledJob) and warns: a paused
 * autoscaler shipped in the manifests stays paused until someone removes the annotation.
 * @param allowDirectional false for ScaledJobs, which only know `paused`
 */
export function renderPauseAnnotations(scope: IConstruct, prop: string, pause: PauseOptions | undefined,
  allowDirectional = true): { [key: string]: string } {
  checkValue(scope, prop, pause, optional(struct<PauseOptions>('PauseOptions', PAUSE_OPTIONS_SHAPE)));
  if (!pause) return {};
  const out: { [key: string]: string } = {};
  if (!allowDirectional) {
    for (const key of ['pausedReplicas', 'pauseScaleIn', 'pauseScaleOut'] as const) {
      if (pause[key] !== undefined && pause[key] !== false) {
        throw propError(scope, `${prop}.${key}`, pause[key], 'is not supported on a ScaledJob (KEDA only reads autoscaling.keda.sh/paused there)',
          `remove ${key}; pause the ScaledJob as a whole with paused: true`);
      }
    }
  }
  if (pause.paused) out[PAUSED] = 'true';
  if (pause.pausedReplicas !== undefined) out[PAUSED_REPLICAS] = String(pause.pausedReplicas);
  if (pause.pauseScaleIn) out[PAUSED_SCALE_IN] = 'true';
  if (pause.pauseScaleOut) out[PAUSED_SCALE_OUT] = 'true';
  if (out[PAUSED] || out[PAUSED_REPLICAS]) {
    Warnings.add(scope, PAUSED_WARNING,
      `autoscaling is shipped paused (${Object.entries(out).map(([k, v]) => `${k}=${v}`).join(', ')}): KEDA will not scale ` +
      'until the annotation is removed; use it for maintenance windows, not as a steady state');
  }
  return out;
}
