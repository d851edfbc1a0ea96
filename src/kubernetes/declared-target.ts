import { IConstruct } from 'constructs';
import { FEATURE_GATES, KUBERNETES_VERSION } from '../annotations';
import { KubernetesTarget } from './kubernetes-target';
import { targetSetAbove } from './target-context';
import { parseFeatureGatesFlag } from './target-flags';

/**
 * The annotations an autoscaler rendered under `scope` carries: the target set with
 * `KubernetesTarget.set` on the app or chart, none when the app left the default.
 */
export function declaredTargetAnnotations(scope: IConstruct): { [key: string]: string } {
  const set = targetSetAbove(scope);
  return set instanceof KubernetesTarget ? set.toAnnotations() : {};
}

/**
 * The target a rendered object declares (`ml-autoscaling.io/kubernetes-version` and
 * `ml-autoscaling.io/feature-gates`), or undefined when it declares none or one that does not parse
 * (readers then use their default). `cache` saves re-parsing the same pair over many objects.
 */
export function targetDeclaredBy(obj: any, cache?: Map<string, KubernetesTarget>): KubernetesTarget | undefined {
  const annotations = obj?.metadata?.annotations;
  if (annotations === null || typeof annotations !== 'object') return undefined;
  const version = annotations[KUBERNETES_VERSION];
  if (typeof version !== 'string') return undefined;
  const gatesText = typeof annotations[FEATURE_GATES] === 'string' ? annotations[FEATURE_GATES] : '';
  const key = `${version}|${gatesText}`;
  const cached = cache?.get(key);
  if (cached) return cached;
  try {
    const featureGates = gatesText.trim() ? parseFeatureGatesFlag(gatesText) : undefined;
    const found = KubernetesTarget.forVersion({ version, featureGates });
    cache?.set(key, found);
    return found;
  } catch {
    return undefined;
  }
}
