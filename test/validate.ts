/**
 * Schema validation of synthesized manifests with the maintained `kubernetes-models` packages:
 * core kinds with `kubernetes-models`, keda.sh kinds with `@kubernetes-models/keda`, monitoring.coreos.com
 * kinds (ServiceMonitor, PodMonitor, PrometheusRule) with `@kubernetes-models/prometheus-operator` (devDependencies only), and the
 * KEDA HTTP add-on's http.keda.sh kinds with their CRDs from ../shared/crds (test/crd-schema.ts).
 * An object whose kind no package knows fails the test: nothing is let through unchecked.
 */
import { Chart, Testing } from 'cdk8s';
import { assertApiRules } from './api-rules';
import { hasCrdSchema, validateCrdObject } from './crd-schema';
import { KubernetesTarget } from '../src';

const MODULES: Record<string, string> = {
  'v1': 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'policy/v1': 'kubernetes-models/policy/v1',
  'keda.sh/v1alpha1': '@kubernetes-models/keda/keda.sh/v1alpha1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};

/**
 * Validates one manifest object; throws with the object's kind/name and the schema errors, then with every
 * violation of the API server's and KEDA operator's naming, label, int32, quantity and cross-field rules
 * (test/api-rules) for the target Kubernetes version and feature gates.
 * @param target the cluster the manifests are for (default: `KubernetesTarget.DEFAULT_VERSION`)
 */
export function validateObject(obj: any, target?: KubernetesTarget): void {
  // kinds no model package covers (the KEDA HTTP add-on): their CRDs from ../shared/crds
  if (!MODULES[obj.apiVersion] && hasCrdSchema(obj.apiVersion, obj.kind)) {
    validateCrdObject(obj);
    assertApiRules(obj, target);
    return;
  }
  const moduleName = MODULES[obj.apiVersion];
  if (!moduleName) {
    throw new Error(`no schema known for apiVersion ${obj.apiVersion} (${obj.kind} ${obj.metadata?.name})`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(moduleName);
  const Model = mod[obj.kind];
  if (!Model) {
    throw new Error(`no schema known for ${obj.apiVersion} ${obj.kind} (${obj.metadata?.name})`);
  }
  try {
    new Model(obj).validate();
  } catch (e: any) {
    throw new Error(`${obj.kind} ${obj.metadata?.name} is invalid: ${e.message}\n${JSON.stringify(obj, null, 2)}`);
  }
  assertApiRules(obj, target);
}

/**
 * Validates every object and returns them, so tests can go on asserting on content.
 * @param target the cluster the manifests are for, e.g. `KubernetesTarget.of(chart)` (default: the library's default)
 */
export function validateAll(manifests: any[], target?: KubernetesTarget): any[] {
  for (const obj of manifests) validateObject(obj, target);
  return manifests;
}

/** Synthesizes a chart, validates every object for the chart's `KubernetesTarget` and returns the manifests. */
export function synthValid(chart: Chart): any[] {
  return validateAll(Testing.synth(chart), KubernetesTarget.of(chart));
}

/** Finds exactly one object by kind (and name when given); fails when there is none or several. */
export function findOne(manifests: any[], kind: string, name?: string): any {
  const hits = manifests.filter(m => m.kind === kind && (name === undefined || m.metadata?.name === name));
  if (hits.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${hits.length}: ` +
      manifests.map(m => `${m.kind}/${m.metadata?.name}`).join(', '));
  }
  return hits[0];
}

/** All objects of one kind. */
export function findAll(manifests: any[], kind: string): any[] {
  return manifests.filter(m => m.kind === kind);
}
