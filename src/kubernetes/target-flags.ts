/**
 * The CLIs' `--kubernetes-version 1.37` and `--feature-gates HPAScaleToZero=true,...` (the
 * kube-apiserver's own `--feature-gates` syntax), shared by `lint` and `simulate`.
 */
import { GATE_NAMES } from './gate-stages';
import { KubernetesTarget } from './kubernetes-target';
import { closestKey } from '../validate/closest-key';

/** The help lines of both flags. */
export const TARGET_FLAGS_USAGE = [
  '  --kubernetes-version V  the cluster\'s Kubernetes minor, e.g. 1.37; feature gates take its defaults (default:',
  '                          what each object declares in ml-autoscaling.io/kubernetes-version, as the',
  `                          constructs write it, else ${KubernetesTarget.DEFAULT_VERSION}, the oldest minor in upstream support)`,
  '  --feature-gates G=B,... gates your cluster sets differently (the kube-apiserver syntax), e.g.',
  `                          HPAScaleToZero=true; known: ${GATE_NAMES.join(', ')}`,
];

/**
 * Parses `HPAScaleToZero=true,HPAConfigurableTolerance=false`. Throws an Error whose message names
 * the flag, the bad part and the fix (the CLIs print it as a usage error).
 */
export function parseFeatureGatesFlag(text: string): { [gate: string]: boolean } {
  const gates: { [gate: string]: boolean } = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = (eq < 0 ? item : item.slice(0, eq)).trim();
    const value = eq < 0 ? '' : item.slice(eq + 1).trim().toLowerCase();
    if (!GATE_NAMES.includes(name)) {
      const near = closestKey(name, GATE_NAMES as string[]);
      throw new Error(`--feature-gates: "${name}" is not a gate this tool knows (${GATE_NAMES.join(', ')})` +
        (near ? `; did you mean ${near}?` : ''));
    }
    if (value !== 'true' && value !== 'false') {
      throw new Error(`--feature-gates: "${item}" must be ${name}=true or ${name}=false`);
    }
    if (gates[name] !== undefined) throw new Error(`--feature-gates: ${name} given twice`);
    gates[name] = value === 'true';
  }
  if (Object.keys(gates).length === 0) throw new Error('--feature-gates needs at least one GATE=true|false');
  return gates;
}

/**
 * The target of `--kubernetes-version` and `--feature-gates` (either may be absent). Throws an Error
 * naming the flag on a bad value.
 */
export function targetFromFlags(version: string | undefined, featureGates: string | undefined): KubernetesTarget {
  const gates = featureGates !== undefined ? parseFeatureGatesFlag(featureGates) : undefined;
  try {
    return KubernetesTarget.forVersion({ version, featureGates: gates });
  } catch (e) {
    // "[KubernetesTarget.forVersion] version="1.2": problem. Fix: ..." -> the flag's words
    const message = (e as Error).message.replace(/^\[KubernetesTarget\.forVersion\] /, '')
      .replace(/^version=/, '--kubernetes-version ').replace(/^featureGates\./, '--feature-gates ');
    throw new Error(message);
  }
}
