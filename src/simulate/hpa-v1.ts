import { checkValue, integer, Site } from '../validate/check';

/**
 * An autoscaling/v1 HorizontalPodAutoscaler as its autoscaling/v2 equivalent, as the API server converts it:
 * `targetCPUUtilizationPercentage: N` becomes one Resource metric, cpu at N% Utilization (without it, v1 and
 * v2 both default to cpu at 80%). Anything else is returned as it is.
 */
export function hpaV2FromV1(value: unknown, site: Site): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as any;
  const whole = v.apiVersion === 'autoscaling/v1';
  const spec = whole ? v.spec : v;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return value;
  if (!whole && !('targetCPUUtilizationPercentage' in spec)) return value;
  const { targetCPUUtilizationPercentage: cpu, ...rest } = spec;
  if (cpu !== undefined) {
    checkValue(site.scope, `${site.prop}${whole ? '.spec' : ''}.targetCPUUtilizationPercentage`, cpu,
      integer({ min: 1, fix: 'use a whole percentage of the CPU request, e.g. 70' }));
  }
  const metrics = cpu !== undefined
    ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }]
    : undefined;
  const v2Spec = { ...rest, ...(metrics ? { metrics } : {}) };
  return whole ? { ...v, apiVersion: 'autoscaling/v2', spec: v2Spec } : v2Spec;
}
