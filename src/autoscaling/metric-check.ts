import type { DescribedObject, ExternalMetricOptions, MetricSelector, ObjectMetricOptions, PodsMetricOptions } from './metric';
import { MetricTarget } from './metric-target';
import { Check, instanceOf, optional, Shape, string, StringFormat, struct } from '../validate/check';
import { DNS1123_LABEL_NAME, DNS1123_SUBDOMAIN_NAME, QUALIFIED_NAME } from '../validate/formats';
import { labels } from '../validate/values';

/**
 * Checks of the `Metric` factories' arguments and options (internal: the public types stay plain
 * jsii structs and classes).
 */

/** A `MetricTarget` made by its factories. */
export const METRIC_TARGET: Check = instanceOf(v => v instanceof MetricTarget, 'MetricTarget',
  'use MetricTarget.averageUtilization(percent), MetricTarget.averageValue(n) or MetricTarget.value(n)');

/**
 * Metric names of the custom and external metrics APIs: the API server takes any non-empty path
 * segment (no "/" or "%", not "." or ".."); whitespace and control characters can never be served.
 */
export const METRIC_NAME_FORMAT: StringFormat = {
  description: 'a metric name (e.g. "inference_queue_depth"; no "/", "%", whitespace or control characters, not "." or "..")',
  test: v => (v === '.' || v === '..' ? 'is not a valid metric name (it must not be "." or "..")'
    // eslint-disable-next-line no-control-regex
    : /[/%\s\u0000-\u001f\u007f]/.test(v) ? 'is not a valid metric name (it must not contain "/", "%", whitespace or control characters)'
      : undefined),
  fix: v => `use a name like "${v.replace(/[/%\s\u0000-\u001f\u007f]+/g, '_').replace(/^\.{1,2}$/, 'my_metric')}"`,
};

/** A metric name. */
export const METRIC_NAME: Check = string({ format: METRIC_NAME_FORMAT });

/** Resource names (`cpu`, `memory`; the construct checks that the HPA can read them). */
export const RESOURCE_NAME: Check = string({ format: QUALIFIED_NAME, fix: 'use "cpu" or "memory"' });

/** Container names are DNS-1123 labels. */
export const CONTAINER_NAME: Check = string({ format: DNS1123_LABEL_NAME });

/** `MetricSelector`: label keys and values as the API server checks them. */
export const METRIC_SELECTOR: Check = struct<MetricSelector>('MetricSelector', {
  matchLabels: labels(),
});

const API_VERSION_FORMAT: StringFormat = {
  description: 'an API version ("v1" or "group/version", e.g. "networking.k8s.io/v1")',
  test: v => (/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(v) && v.length <= 316
    ? undefined : 'is not an API version ("v1" or "group/version", e.g. "networking.k8s.io/v1")'),
};

const KIND_FORMAT: StringFormat = {
  description: 'a kind (e.g. "Ingress": letters and digits, starting with a letter)',
  test: v => (/^[A-Za-z][A-Za-z0-9]*$/.test(v) ? undefined : 'is not a kind (letters and digits, starting with a letter, e.g. "Ingress")'),
};

/** `DescribedObject`. */
export const DESCRIBED_OBJECT: Check = struct<DescribedObject>('DescribedObject', {
  apiVersion: string({ format: API_VERSION_FORMAT }),
  kind: string({ format: KIND_FORMAT }),
  name: string({ format: DNS1123_SUBDOMAIN_NAME }),
});

/** `PodsMetricOptions`. */
export const PODS_METRIC_OPTIONS: Shape<PodsMetricOptions> = {
  name: METRIC_NAME,
  target: METRIC_TARGET,
  selector: optional(METRIC_SELECTOR),
};

/** `ObjectMetricOptions`. */
export const OBJECT_METRIC_OPTIONS: Shape<ObjectMetricOptions> = {
  name: METRIC_NAME,
  describedObject: DESCRIBED_OBJECT,
  target: METRIC_TARGET,
  selector: optional(METRIC_SELECTOR),
};

/** `ExternalMetricOptions`. */
export const EXTERNAL_METRIC_OPTIONS: Shape<ExternalMetricOptions> = {
  name: METRIC_NAME,
  target: METRIC_TARGET,
  selector: optional(METRIC_SELECTOR),
};
