import { isWholeObject, OBJECT_META, oneOf, quantity } from './manifest-check';
import {
  anything, arrayOf, Check, checkValue, fail, integer, isPlainObject, mapOf, optional, Shape, Site, string, struct, typeOf,
} from '../validate/check';

/**
 * The check of an autoscaling/v2 HorizontalPodAutoscaler as JSON (the whole object or its spec), for
 * `HpaController` (prop `spec`) and `Simulator.run` (prop `horizontalPodAutoscaler`): every field the
 * API server validates, with the API server's rules (ValidateHorizontalPodAutoscalerSpec), reported on
 * the entry point and the field's path. Internal: the public types take the manifest as `any`.
 */

interface CrossVersionObjectReference { apiVersion?: string; kind: string; name: string }
interface LabelSelectorRequirement { key: string; operator: string; values?: string[] }
interface LabelSelector { matchLabels?: { [key: string]: string }; matchExpressions?: LabelSelectorRequirement[] }
interface MetricIdentifier { name: string; selector?: LabelSelector }
interface MetricTarget { type: string; averageUtilization?: number; averageValue?: unknown; value?: unknown }
interface ResourceMetricSource { name: string; target: MetricTarget }
interface ContainerResourceMetricSource { name: string; container: string; target: MetricTarget }
interface PodsMetricSource { metric: MetricIdentifier; target: MetricTarget }
interface ObjectMetricSource { describedObject: CrossVersionObjectReference; metric: MetricIdentifier; target: MetricTarget }
interface ExternalMetricSource { metric: MetricIdentifier; target: MetricTarget }
interface MetricSpec {
  type: string;
  resource?: ResourceMetricSource;
  containerResource?: ContainerResourceMetricSource;
  pods?: PodsMetricSource;
  object?: ObjectMetricSource;
  external?: ExternalMetricSource;
}
interface HpaScalingPolicy { type: string; value: number; periodSeconds: number }
interface HpaScalingRules { stabilizationWindowSeconds?: number; selectPolicy?: string; policies?: HpaScalingPolicy[]; tolerance?: unknown }
interface HpaBehavior { scaleUp?: HpaScalingRules; scaleDown?: HpaScalingRules }
export interface HpaSpec {
  scaleTargetRef?: CrossVersionObjectReference;
  maxReplicas: number;
  minReplicas?: number;
  metrics?: MetricSpec[];
  behavior?: HpaBehavior;
}
interface HpaObject { apiVersion?: string; kind?: string; metadata?: unknown; spec: HpaSpec; status?: unknown }

const NAME = string();

const TARGET_REF = struct<CrossVersionObjectReference>('CrossVersionObjectReference', {
  apiVersion: optional(string()),
  kind: NAME,
  name: NAME,
});

const SELECTOR = struct<LabelSelector>('LabelSelector', {
  matchLabels: optional(mapOf(string(), string({ minLength: 0 }))),
  matchExpressions: optional(arrayOf(struct<LabelSelectorRequirement>('LabelSelectorRequirement', {
    key: NAME,
    operator: oneOf('In', 'NotIn', 'Exists', 'DoesNotExist'),
    values: optional(arrayOf(string({ minLength: 0 }))),
  }))),
});

const METRIC_IDENTIFIER = struct<MetricIdentifier>('MetricIdentifier', { name: NAME, selector: optional(SELECTOR) });

const TARGET_QUANTITY = optional(quantity({ positive: true }));

/** A MetricTarget whose `type` is one of `types`, with the field that type needs. */
function metricTarget(types: string[]): Check {
  const shape = struct<MetricTarget>('MetricTarget', {
    type: oneOf(...types),
    averageUtilization: optional(integer({ min: 1 })),
    averageValue: TARGET_QUANTITY,
    value: TARGET_QUANTITY,
  });
  const field: { [type: string]: keyof MetricTarget } = { Utilization: 'averageUtilization', AverageValue: 'averageValue', Value: 'value' };
  return {
    expected: shape.expected,
    check(value, site) {
      shape.check(value, site);
      const target = value as MetricTarget;
      const needed = field[target.type];
      if (target[needed] === undefined) {
        fail({ scope: site.scope, prop: `${site.prop}.${needed}` }, undefined, `is required for a target of type ${target.type}`,
          `set ${site.prop}.${needed}${needed === 'averageUtilization' ? ' (percent of the pods\' requests, e.g. 70)' : ' (a quantity, e.g. "10")'}`);
      }
    },
  };
}

const SOURCES: { [type: string]: { key: keyof MetricSpec; check: Check } } = {
  Resource: {
    key: 'resource',
    check: struct<ResourceMetricSource>('ResourceMetricSource', { name: NAME, target: metricTarget(['Utilization', 'AverageValue']) }),
  },
  ContainerResource: {
    key: 'containerResource',
    check: struct<ContainerResourceMetricSource>('ContainerResourceMetricSource', {
      name: NAME, container: NAME, target: metricTarget(['Utilization', 'AverageValue']),
    }),
  },
  Pods: {
    key: 'pods',
    check: struct<PodsMetricSource>('PodsMetricSource', { metric: METRIC_IDENTIFIER, target: metricTarget(['AverageValue']) }),
  },
  Object: {
    key: 'object',
    check: struct<ObjectMetricSource>('ObjectMetricSource', {
      describedObject: TARGET_REF, metric: METRIC_IDENTIFIER, target: metricTarget(['Value', 'AverageValue']),
    }),
  },
  External: {
    key: 'external',
    check: struct<ExternalMetricSource>('ExternalMetricSource', { metric: METRIC_IDENTIFIER, target: metricTarget(['Value', 'AverageValue']) }),
  },
};

/** One MetricSpec: its `type` and exactly the matching source. */
const METRIC_SPEC: Check = (() => {
  const object = anything('an object');
  const shape = struct<MetricSpec>('MetricSpec', {
    type: oneOf(...Object.keys(SOURCES)),
    resource: object,
    containerResource: object,
    pods: object,
    object,
    external: object,
  });
  return {
    expected: shape.expected,
    check(value, site) {
      shape.check(value, site);
      const m = value as MetricSpec;
      const source = SOURCES[m.type];
      for (const { key } of Object.values(SOURCES)) {
        if (key !== source.key && m[key] !== undefined) {
          fail({ scope: site.scope, prop: `${site.prop}.${key}` }, m[key], `must be left out for a metric of type ${m.type}`,
            `remove ${key}, or set type to the source it describes`);
        }
      }
      source.check.check(m[source.key], { scope: site.scope, prop: `${site.prop}.${source.key}` });
    },
  };
})();

const POLICY = struct<HpaScalingPolicy>('HPAScalingPolicy', {
  type: oneOf('Pods', 'Percent'),
  value: integer({ min: 1 }),
  periodSeconds: integer({ min: 1, max: 1800 }),
});

const RULES = struct<HpaScalingRules>('HPAScalingRules', {
  stabilizationWindowSeconds: optional(integer({ min: 0, max: 3600 })),
  selectPolicy: optional(oneOf('Max', 'Min', 'Disabled')),
  policies: optional(arrayOf(POLICY, { minLength: 1 })),
  tolerance: optional(quantity({ positive: false, fix: 'use a ratio of at least 0 as a quantity, e.g. "0.05"' })),
});

/** `behavior` of an autoscaling/v2 HPA (also KEDA's `advanced.horizontalPodAutoscalerConfig.behavior`). */
export const HPA_BEHAVIOR: Check = struct<HpaBehavior>('HorizontalPodAutoscalerBehavior', {
  scaleUp: optional(RULES),
  scaleDown: optional(RULES),
});

const SPEC_SHAPE: Shape<HpaSpec> = {
  scaleTargetRef: optional(TARGET_REF),
  maxReplicas: integer({ min: 1 }),
  minReplicas: optional(integer({ min: 0 })),
  metrics: optional(arrayOf(METRIC_SPEC)),
  behavior: optional(HPA_BEHAVIOR),
};
const SPEC_KEYS = Object.keys(SPEC_SHAPE);
const SPEC_STRUCT = struct<HpaSpec>('HorizontalPodAutoscalerSpec', SPEC_SHAPE);

/** A HorizontalPodAutoscalerSpec: its fields, and `minReplicas <= maxReplicas`. */
const SPEC: Check = {
  expected: 'an autoscaling/v2 HorizontalPodAutoscalerSpec object',
  check(value, site) {
    SPEC_STRUCT.check(value, site);
    const spec = value as HpaSpec;
    if (spec.minReplicas !== undefined && spec.minReplicas > spec.maxReplicas) {
      checkValue(site.scope, `${site.prop}.minReplicas`, spec.minReplicas, integer({
        min: 0, max: spec.maxReplicas, fix: `set minReplicas to at most maxReplicas (${spec.maxReplicas})`,
      }));
    }
  },
};

const OBJECT = struct<HpaObject>('HorizontalPodAutoscaler', {
  apiVersion: optional(oneOf('autoscaling/v2')),
  kind: optional(oneOf('HorizontalPodAutoscaler')),
  metadata: optional(OBJECT_META),
  spec: SPEC,
  status: anything('the status (not read)'),
});

/**
 * Checks an autoscaling/v2 HorizontalPodAutoscaler as JSON, whole or just its spec, at `site`/`prop`
 * (e.g. `HpaController`/`spec`, `Simulator.run`/`horizontalPodAutoscaler`); returns the spec.
 *
 * @param expected what the value must be, for the message when it is not an object at all
 */
export function checkHpaSpec(site: Site['scope'], prop: string, value: unknown,
  expected = 'an autoscaling/v2 HorizontalPodAutoscalerSpec object (or the whole HPA)'): HpaSpec {
  const at: Site = { scope: site, prop };
  if (!isPlainObject(value)) {
    fail(at, value, `must be ${expected}, got ${typeOf(value)}`, 'pass the HPA as JSON, e.g. from Yaml.load(file) or Testing.synth(chart)');
  }
  if (isWholeObject(value, SPEC_KEYS)) {
    OBJECT.check(value, at);
    return (value as unknown as HpaObject).spec;
  }
  SPEC.check(value, at);
  return value as unknown as HpaSpec;
}

/** `checkHpaSpec` as a `Check`, for the `Shape` of `SimulationProps`. */
export function hpaManifestCheck(expected: string): Check {
  return {
    expected,
    check(value, site) {
      checkHpaSpec(site.scope, site.prop, value, expected);
    },
  };
}
