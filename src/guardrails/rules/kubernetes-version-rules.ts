/**
 * Rules whose answer depends on the Kubernetes version (and feature gates) the manifests are for:
 * HPA scale to zero (`HPAScaleToZero`) and per-HPA tolerance (`HPAConfigurableTolerance`). They
 * judge each object by `ctx.targetOf(obj)`, and their messages name it.
 */
import { FeatureGate } from '../../kubernetes/feature-gate';
import { describeGate, gateOnByDefaultSince, gateStage } from '../../kubernetes/gate-stages';
import { KubernetesTarget } from '../../kubernetes/kubernetes-target';
import { quantityApproximateFloat } from '../../simulate/quantity-math';
import { GuardrailSeverity } from '../finding';
import { Autoscaler, HPA, SCALED_OBJECT, nameOf, nsFlag } from '../manifest';
import { RawFinding, Rule, RuleContext } from '../rule';

/**
 * `on Kubernetes 1.35 (HPAScaleToZero is alpha in 1.35, off by default; beta and on by default since 1.37)`,
 * or `on Kubernetes 1.37 with HPAScaleToZero=false` when the gate was switched off explicitly.
 */
export function gateOffOn(target: KubernetesTarget, gate: FeatureGate): string {
  if (target.featureGates[gate] === false) return `on ${target}`;
  const since = gateOnByDefaultSince(gate);
  const later = since !== undefined ? `; ${gateStage(gate, since)!.stage} and on by default since 1.${since}` : '';
  return `on ${target} (${describeGate(gate, target.minor)}${later})`;
}

/**
 * The fixes that make a gate available: target the version that turns it on by default, or enable it
 * on the control plane and say so (only where the gate exists).
 */
function enableGateFix(target: KubernetesTarget, gate: FeatureGate, components: string): string {
  const since = gateOnByDefaultSince(gate)!;
  const raise = `if the cluster runs Kubernetes 1.${since} or later, target it (kubernetesVersion: "1.${since}", ` +
    `lint --kubernetes-version 1.${since})`;
  if (gateStage(gate, target.minor) === undefined) return raise;
  return `${raise}; or enable ${gate} on ${components} and say so (featureGates: { ${gate}: true }, ` +
    `--feature-gates ${gate}=true)`;
}

/** HPAs written in the manifests (not KEDA's, which KEDA renders with minReplicas >= 1 and its own behavior). */
function hpas(ctx: RuleContext): Autoscaler[] {
  return ctx.index.autoscalers.filter(a => a.kind === HPA);
}

/** HPAs with `minReplicas: 0` written (the default is 1). */
function hpasAtZero(ctx: RuleContext): Autoscaler[] {
  return hpas(ctx).filter(a => a.minWritten && a.min === 0);
}

/** The metric types of an HPA: autoscaling/v1 scales on cpu only; no metrics at all means 80% cpu. */
function metricTypes(hpa: any): string[] {
  if (hpa.apiVersion === 'autoscaling/v1') return ['Resource'];
  const metrics = hpa.spec?.metrics;
  if (!Array.isArray(metrics) || metrics.length === 0) return ['Resource'];
  return metrics.map(m => String(m?.type ?? ''));
}

function confirmMinReplicas(hpa: any): string {
  return `kubectl version && kubectl get hpa ${nameOf(hpa)}${nsFlag(hpa)} -o jsonpath='{.spec.minReplicas}'`;
}

export const hpaZeroGateOff: Rule = {
  id: 'ML-E-HPA-ZERO-GATE-OFF',
  severity: GuardrailSeverity.ERROR,
  title: 'An HPA with minReplicas 0 for a Kubernetes version where HPAScaleToZero is off (before 1.37, unless enabled)',
  rationale: 'Without the HPAScaleToZero feature gate the API server rejects minReplicas 0 ("must be greater than or ' +
    'equal to 1"), so the HPA is never created and the workload is not autoscaled. The gate is beta and on by default ' +
    'since Kubernetes 1.37; before that it is alpha and must be enabled on the API server and (since 1.36) on the ' +
    'kube-controller-manager.',
  check(ctx: RuleContext): RawFinding[] {
    const gate = FeatureGate.HPA_SCALE_TO_ZERO;
    return hpasAtZero(ctx).filter(a => !ctx.targetOf(a.obj).isEnabled(gate)).map(a => ({
      obj: a.obj,
      location: 'spec.minReplicas',
      problem: `minReplicas is 0 but ${gateOffOn(ctx.targetOf(a.obj), gate)}: the API server rejects the HPA ` +
        '(spec.minReplicas: must be greater than or equal to 1)',
      fix: `${enableGateFix(ctx.targetOf(a.obj), gate, 'the kube-apiserver and the kube-controller-manager (since 1.36 both need it)')}; ` +
        'or set minReplicas: 1; or scale to zero with a KEDA ScaledObject (minReplicaCount: 0) instead of the HPA',
      confirm: confirmMinReplicas(a.obj),
    }));
  },
};

export const hpaZeroWithoutExternalMetric: Rule = {
  id: 'ML-E-HPA-ZERO-WITHOUT-EXTERNAL-METRIC',
  severity: GuardrailSeverity.ERROR,
  title: 'An HPA with minReplicas 0 and no Object or External metric (only Resource/Pods metrics, or none)',
  rationale: 'At zero pods there is no cpu, memory or per-pod metric to read, so nothing could wake the workload: the ' +
    'API server requires at least one Object or External metric on an HPA with minReplicas 0 ("must specify at ' +
    'least one Object or External metric to support scaling to zero replicas"). The HPA analogue of ' +
    'ML-E-CPU-MEMORY-SCALE-TO-ZERO.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (const a of hpasAtZero(ctx)) {
      const types = metricTypes(a.obj);
      if (types.includes('Object') || types.includes('External')) continue;
      const kinds = [...new Set(types.map(t => t || '<no type>'))].join('/');
      const written = Array.isArray(a.obj.spec?.metrics) && a.obj.spec.metrics.length > 0;
      out.push({
        obj: a.obj,
        location: 'spec.metrics',
        problem: `minReplicas is 0 but the HPA has ${written || a.obj.apiVersion === 'autoscaling/v1' ? `only ${kinds} metrics` : 'no metrics (80% cpu by default)'}: ` +
          'nothing can wake the workload from zero, the API server rejects it (spec.metrics: must specify at least one ' +
          'Object or External metric to support scaling to zero replicas)',
        fix: 'add an External metric that is non-zero while work waits (e.g. the queue length) or an Object metric, ' +
          'or set minReplicas: 1, or scale to zero with a KEDA ScaledObject and an event trigger',
        confirm: `kubectl get hpa ${nameOf(a.obj)}${nsFlag(a.obj)} -o jsonpath='{.spec.metrics[*].type}'`,
      });
    }
    return out;
  },
};

/** One `tolerance` written in an HPA's behavior or a ScaledObject's HPA config. */
interface ToleranceField {
  readonly a: Autoscaler;
  readonly location: string;
  readonly value: unknown;
}

function toleranceFields(ctx: RuleContext): ToleranceField[] {
  const out: ToleranceField[] = [];
  for (const a of ctx.index.autoscalers) {
    if (a.kind !== HPA && a.kind !== SCALED_OBJECT) continue;
    const [behavior, path] = a.kind === HPA
      ? [a.obj.spec?.behavior, 'spec.behavior']
      : [a.obj.spec?.advanced?.horizontalPodAutoscalerConfig?.behavior, 'spec.advanced.horizontalPodAutoscalerConfig.behavior'];
    if (!behavior || typeof behavior !== 'object') continue;
    for (const direction of ['scaleUp', 'scaleDown']) {
      const value = behavior[direction]?.tolerance;
      if (value === undefined || value === null) continue;
      out.push({ a, location: `${path}.${direction}.tolerance`, value });
    }
  }
  return out;
}

/** The tolerance as a number, or undefined when it is not a quantity. */
function toleranceValue(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  try {
    return quantityApproximateFloat(value);
  } catch {
    return undefined;
  }
}

/** The HPA the API server holds for an autoscaler: the HPA itself, or the one KEDA creates for a ScaledObject. */
function hpaNameOf(a: Autoscaler): string {
  if (a.kind === HPA) return nameOf(a.obj);
  const custom = a.obj.spec?.advanced?.horizontalPodAutoscalerConfig?.name;
  return typeof custom === 'string' && custom ? custom : `keda-hpa-${nameOf(a.obj)}`;
}

function confirmTolerance(f: ToleranceField): string {
  const jsonpath = f.location.replace(/^spec\.advanced\.horizontalPodAutoscalerConfig\./, 'spec.');
  return `kubectl version && kubectl get hpa ${hpaNameOf(f.a)}${nsFlag(f.a.obj)} -o jsonpath='{.${jsonpath}}'`;
}

export const invalidTolerance: Rule = {
  id: 'ML-E-INVALID-TOLERANCE',
  severity: GuardrailSeverity.ERROR,
  title: 'A scaleUp/scaleDown tolerance that is negative or not a quantity (HPA or ScaledObject)',
  rationale: 'The API server rejects a negative tolerance (with HPAConfigurableTolerance on; with it off it drops the ' +
    'field) and cannot decode one that is not a quantity, so the HPA (or the HPA KEDA creates for a ScaledObject) is not ' +
    'created or updated.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    const gate = FeatureGate.HPA_CONFIGURABLE_TOLERANCE;
    for (const f of toleranceFields(ctx)) {
      const target = ctx.targetOf(f.a.obj);
      const enabled = target.isEnabled(gate);
      const value = toleranceValue(f.value);
      if (value !== undefined && value >= 0) continue;
      const owner = f.a.kind === HPA ? 'the API server rejects the HPA' : `the API server rejects the HPA KEDA creates (${hpaNameOf(f.a)})`;
      const problem = value === undefined
        ? `tolerance ${JSON.stringify(f.value)} is not a Kubernetes quantity: ${owner}`
        : `tolerance ${JSON.stringify(f.value)} is negative: ` + (enabled
          ? `${owner} (a tolerance may not be negative)`
          : `${gateOffOn(target, gate)} the API server drops the field, and ${owner.replace(/^the API server /, '')} ` +
            'as soon as the gate is on');
      out.push({
        obj: f.a.obj,
        location: f.location,
        problem,
        fix: 'write a fraction of at least 0 as a quantity, e.g. "0.05" for 5% (the cluster-wide default is 0.1), or delete the field',
        confirm: confirmTolerance(f),
      });
    }
    return out;
  },
};

export const toleranceDropped: Rule = {
  id: 'ML-W-TOLERANCE-DROPPED',
  severity: GuardrailSeverity.WARNING,
  title: 'A scaleUp/scaleDown tolerance for a Kubernetes version where HPAConfigurableTolerance is off (before 1.35, unless enabled)',
  rationale: 'With the HPAConfigurableTolerance feature gate off the API server silently drops behavior.scaleUp.tolerance ' +
    'and behavior.scaleDown.tolerance (of an HPA, and of the HPA KEDA creates for a ScaledObject): the cluster-wide ' +
    'tolerance (10% by default) applies instead of the one written. The gate is beta and on by default since Kubernetes 1.35.',
  check(ctx: RuleContext): RawFinding[] {
    const gate = FeatureGate.HPA_CONFIGURABLE_TOLERANCE;
    return toleranceFields(ctx)
      .filter(f => !ctx.targetOf(f.a.obj).isEnabled(gate))
      .filter(f => (toleranceValue(f.value) ?? -1) >= 0) // invalid ones are ML-E-INVALID-TOLERANCE's
      .map(f => ({
        obj: f.a.obj,
        location: f.location,
        problem: `tolerance ${JSON.stringify(f.value)} is set but ${gateOffOn(ctx.targetOf(f.a.obj), gate)}: the API server drops ` +
          'the field silently and the cluster-wide tolerance (10% by default) applies',
        fix: `${enableGateFix(ctx.targetOf(f.a.obj), gate, 'the kube-apiserver and the kube-controller-manager (which reads it too)')}; or delete the field and size targets for the 10% band`,
        confirm: confirmTolerance(f),
      }));
  },
};
