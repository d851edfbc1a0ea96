/**
 * Rules about autoscalers and how they relate to their workloads: one controller per workload,
 * sane bounds, KEDA's generated HPA name, replicas fields, disruption budgets, stabilization.
 */
import { GuardrailSeverity } from '../finding';
import {
  Autoscaler, HPA, HTTP_SCALED_OBJECT, SCALED_JOB, SCALED_OBJECT, annotationsOf, describe, kubectlResource, modelLoadSeconds,
  nameOf, nsFlag, objectTargetKey, seconds, targetKey,
} from '../manifest';
import { RawFinding, Rule, RuleContext } from '../rule';

/** The first Kubernetes version whose HPA controller stops HPAs that select the same pods (AmbiguousSelector). */
export const AMBIGUOUS_SELECTOR_SINCE = '1.26';

/** KEDA annotation that lets a new ScaledObject take over an existing HPA instead of fighting it. */
export const TRANSFER_HPA_OWNERSHIP = 'scaledobject.keda.sh/transfer-hpa-ownership';

function confirmAutoscaler(a: Autoscaler): string {
  if (a.kind === HPA) return `kubectl describe hpa ${nameOf(a.obj)}${nsFlag(a.obj)}`;
  return `kubectl get ${kubectlResource(a.kind)} ${nameOf(a.obj)}${nsFlag(a.obj)} -o yaml | grep -A 10 status`;
}

function hpaNameOfScaledObject(so: any): string | undefined {
  const n = so?.spec?.advanced?.horizontalPodAutoscalerConfig?.name;
  return typeof n === 'string' && n ? n : undefined;
}

/** The adoption hand-over: the ScaledObject takes ownership of exactly this HPA. */
function isHandOver(hpa: any, so: any): boolean {
  return String(annotationsOf(so)[TRANSFER_HPA_OWNERSHIP] ?? '').toLowerCase() === 'true' &&
    hpaNameOfScaledObject(so) === nameOf(hpa);
}

export const twoAutoscalers: Rule = {
  id: 'ML-E-TWO-AUTOSCALERS',
  severity: GuardrailSeverity.ERROR,
  title: 'Two autoscalers scale the same workload (HPA+HPA, HPA+ScaledObject outside the adoption hand-over, two ScaledObjects)',
  rationale: 'Since Kubernetes 1.26 the HPA controller stops every HPA whose pods another HPA also selects ' +
    '(ScalingActive=False, reason AmbiguousSelector; KEDA scales through an HPA too), so nothing scales the workload; ' +
    'before 1.26 each controller overwrites the replica count the other one set and the workload flaps between two ' +
    'answers. KEDA rejects a second ScaledObject and an HPA it does not own.',
  check(ctx: RuleContext): RawFinding[] {
    // kubernetes/kubernetes#112011, released in 1.26 (kedacore/keda#4683 reports AmbiguousSelector on 1.26)
    const effect = (obj: any): string => {
      const target = ctx.targetOf(obj);
      return target.isAtLeast(AMBIGUOUS_SELECTOR_SINCE)
        ? `on ${target} the HPA controller sets ScalingActive=False (reason AmbiguousSelector) on every HPA that ` +
          'selects its pods (KEDA\'s included), so neither scales it'
        : `on ${target} the two controllers overwrite each other's replica count (from ${AMBIGUOUS_SELECTOR_SINCE} ` +
          'on, the HPA controller stops both instead: AmbiguousSelector)';
    };
    const byTarget = new Map<string, Autoscaler[]>();
    for (let ix = 0; ix < ctx.index.autoscalers.length; ix++) {
      const a = ctx.index.autoscalers[ix];
      if (!a.target) continue;
      // the workload itself when it is in the manifests (tolerates differing apiVersions), else the reference
      const workload = ctx.index.targetOf(a);
      const key = workload ? objectTargetKey(workload) : targetKey(a.target);
      const list = byTarget.get(key);
      if (list) list.push(a); else byTarget.set(key, [a]);
    }
    const out: RawFinding[] = [];
    for (const group of byTarget.values()) {
      if (group.length < 2) continue;
      const target = group[0].target!;
      for (let i = 1; i < group.length; i++) {
        const a = group[i];
        for (let j = 0; j < i; j++) {
          const b = group[j];
          const hpa = a.kind === HPA ? a : b.kind === HPA ? b : undefined;
          const so = a.kind === SCALED_OBJECT ? a : b.kind === SCALED_OBJECT ? b : undefined;
          if (hpa && so && hpa !== so && isHandOver(hpa.obj, so.obj)) continue;
          let fix: string;
          if (a.kind === HTTP_SCALED_OBJECT || b.kind === HTTP_SCALED_OBJECT) {
            fix = 'the KEDA HTTP add-on creates its own ScaledObject for this workload: keep the HTTPScaledObject alone, or ' +
              'replace it (deprecated since add-on v0.14) with an InterceptorRoute and put its trigger (type external-push, ' +
              'scalerAddress keda-add-ons-http-external-scaler.keda:9090, interceptorRoute: <name>) into the one ScaledObject ' +
              'with the other signals';
          } else if (hpa && so && a !== b && hpa.kind !== so.kind) {
            const transferring = String(annotationsOf(so.obj)[TRANSFER_HPA_OWNERSHIP] ?? '').toLowerCase() === 'true';
            fix = transferring
              ? `the ScaledObject ${nameOf(so.obj)} asks to take over an HPA but spec.advanced.horizontalPodAutoscalerConfig.name ` +
                `is ${JSON.stringify(hpaNameOfScaledObject(so.obj) ?? null)}, not "${nameOf(hpa.obj)}": set it to "${nameOf(hpa.obj)}", ` +
                'or delete the HPA and let one ScaledObject carry all metrics as triggers'
              : 'keep one controller: move the HPA\'s metrics into the ScaledObject as triggers and delete the HPA, or, to adopt ' +
                `the existing HPA, annotate the ScaledObject with ${TRANSFER_HPA_OWNERSHIP}: "true" and set ` +
                `spec.advanced.horizontalPodAutoscalerConfig.name: ${nameOf(hpa.obj)}`;
          } else if (a.kind === HPA) {
            fix = 'merge both HPAs into one: an HPA takes several metrics and scales on the largest proposal';
          } else {
            fix = 'merge both ScaledObjects into one with all triggers (KEDA scales on the largest proposal)';
          }
          out.push({
            obj: a.obj,
            location: 'spec.scaleTargetRef',
            problem: `${target.kind} ${target.namespace ? target.namespace + '/' : ''}${target.name} is also scaled by ` +
              `${describe(b.obj)}: ${effect(a.obj)}`,
            fix,
            confirm: `kubectl get hpa,scaledobject${nsFlag(a.obj)} -o wide`,
          });
        }
      }
    }
    return out;
  },
};

export const minAboveMax: Rule = {
  id: 'ML-E-MIN-ABOVE-MAX',
  severity: GuardrailSeverity.ERROR,
  title: 'An autoscaler\'s minimum replicas is above its maximum',
  rationale: 'The API server rejects such an HPA; KEDA rejects such a ScaledObject or ScaledJob (defaults count: ' +
    'HPA minReplicas 1, KEDA minReplicaCount 0 and maxReplicaCount 100).',
  check(ctx: RuleContext): RawFinding[] {
    const missingMax: RawFinding[] = ctx.index.autoscalers
      .filter(a => a.kind === HPA && (a.obj.spec?.maxReplicas === undefined || a.obj.spec?.maxReplicas === null))
      .map(a => ({
        obj: a.obj,
        location: 'spec.maxReplicas',
        problem: 'maxReplicas is missing; the API server requires it',
        fix: 'set spec.maxReplicas to the most replicas the workload (and its GPU budget) may reach',
        confirm: confirmAutoscaler(a),
      }));
    return [...missingMax, ...ctx.index.autoscalers.filter(a => a.min > a.max && !missingMax.some(m => m.obj === a.obj)).map(a => {
      const [minField, maxField] = a.kind === HPA ? ['minReplicas', 'maxReplicas']
        : a.kind === HTTP_SCALED_OBJECT ? ['replicas.min', 'replicas.max'] : ['minReplicaCount', 'maxReplicaCount'];
      return {
        obj: a.obj,
        location: `spec.${minField}`,
        problem: `${minField} ${a.min}${a.minWritten ? '' : ' (default)'} is above ${maxField} ${a.max}`,
        fix: `set ${maxField} >= ${minField} (e.g. ${maxField}: ${a.min})`,
        confirm: confirmAutoscaler(a),
      };
    })];
  },
};

/** KEDA names the HPA it creates `keda-hpa-<ScaledObject name>`: more than 54 characters does not fit 63. */
export const MAX_SCALED_OBJECT_NAME = 54;

export const scaledObjectNameTooLong: Rule = {
  id: 'ML-E-SCALEDOBJECT-NAME-TOO-LONG',
  severity: GuardrailSeverity.ERROR,
  title: `A ScaledObject name longer than ${MAX_SCALED_OBJECT_NAME} characters without an explicit HPA name`,
  rationale: 'KEDA creates an HPA named keda-hpa-<name> and labels it with that name; past 63 characters the HPA ' +
    'cannot be created and the ScaledObject never scales.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (const so of ctx.index.byKind(SCALED_OBJECT)) {
      const length = nameOf(so).length;
      const customHpaName = hpaNameOfScaledObject(so);
      const confirm = `kubectl get scaledobject ${nameOf(so)}${nsFlag(so)} -o yaml | grep -A 10 status`;
      if (length > 63) {
        // KEDA also labels the ScaledObject (and its HPA) with its own name: no HPA name helps past 63
        out.push({
          obj: so,
          location: 'metadata.name',
          problem: `the name is ${length} characters; KEDA labels the ScaledObject with its name and label values stop at 63`,
          fix: `shorten the name to ${MAX_SCALED_OBJECT_NAME} characters or fewer`,
          confirm,
        });
      } else if (length > MAX_SCALED_OBJECT_NAME && !customHpaName) {
        out.push({
          obj: so,
          location: 'metadata.name',
          problem: `the name is ${length} characters, so KEDA's generated HPA name "keda-hpa-${nameOf(so)}" exceeds 63 characters`,
          fix: `shorten the name to ${MAX_SCALED_OBJECT_NAME} characters or fewer, or set ` +
            'spec.advanced.horizontalPodAutoscalerConfig.name to a short HPA name',
          confirm,
        });
      }
    }
    return out;
  },
};

export const replicasOnAutoscaled: Rule = {
  id: 'ML-W-REPLICAS-ON-AUTOSCALED',
  severity: GuardrailSeverity.WARNING,
  title: 'spec.replicas is written on a workload that an autoscaler scales',
  rationale: 'Every apply resets the replica count to the written value, undoing the autoscaler until it reacts ' +
    'again: a deploy during a traffic peak drops capacity.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    const seen = new Set<any>();
    for (let ix = 0; ix < ctx.index.autoscalers.length; ix++) {
      const a = ctx.index.autoscalers[ix];
      const w = ctx.index.targetOf(a);
      if (!w || seen.has(w) || w.spec?.replicas === undefined || w.spec?.replicas === null) continue;
      seen.add(w);
      out.push({
        obj: w,
        location: 'spec.replicas',
        problem: `spec.replicas is ${w.spec.replicas} while ${describe(a.obj)} scales it; each apply resets the replica count`,
        fix: 'remove spec.replicas and let the autoscaler\'s minimum set the starting size',
        confirm: `kubectl get ${kubectlResource(w.kind)} ${nameOf(w)}${nsFlag(w)} -o jsonpath='{.spec.replicas}'`,
      });
    }
    return out;
  },
};

/** Pods a PDB keeps at the autoscaler's minimum, with percentages resolved the way the disruption controller does. */
function pdbBlocksAt(pdb: any, replicas: number): boolean {
  const spec = pdb?.spec ?? {};
  const pct = (v: string) => Number(v.replace('%', '')) / 100;
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    const v = spec.minAvailable;
    const required = typeof v === 'string' && v.endsWith('%') ? Math.ceil(pct(v) * replicas) : Number(v);
    return required > 0 && required >= replicas;
  }
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const v = spec.maxUnavailable;
    const allowed = typeof v === 'string' && v.endsWith('%') ? Math.ceil(pct(v) * replicas) : Number(v);
    return allowed <= 0;
  }
  return false;
}

export const pdbBlocksDrain: Rule = {
  id: 'ML-W-PDB-BLOCKS-DRAIN',
  severity: GuardrailSeverity.WARNING,
  title: 'A PodDisruptionBudget allows no eviction when the autoscaler is at its minimum',
  rationale: 'At minimum replicas the budget allows zero disruptions, so node drains (upgrades, GPU node ' +
    'scale-down) hang until someone intervenes.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    if (ctx.index.byKind('PodDisruptionBudget').length === 0) return out;
    const autoscalersByWorkload = new Map<any, Autoscaler[]>();
    for (let ix = 0; ix < ctx.index.autoscalers.length; ix++) {
      const a = ctx.index.autoscalers[ix];
      const w = ctx.index.targetOf(a);
      if (!w) continue;
      const list = autoscalersByWorkload.get(w);
      if (list) list.push(a); else autoscalersByWorkload.set(w, [a]);
    }
    const pairs: Array<[any, Autoscaler, any]> = [];
    for (const [w, scalers] of autoscalersByWorkload) {
      for (const pdb of ctx.index.pdbsSelecting(w)) for (const a of scalers) pairs.push([pdb, a, w]);
    }
    // report in PDB order, as the manifests list them
    const order = new Map(ctx.index.byKind('PodDisruptionBudget').map((p, i) => [p, i]));
    pairs.sort((x, y) => order.get(x[0])! - order.get(y[0])!);
    for (const [pdb, a, w] of pairs) {
      const atMin = Math.max(a.min, 1);
      if (!pdbBlocksAt(pdb, atMin)) continue;
      const field = pdb.spec?.minAvailable !== undefined ? `minAvailable ${pdb.spec.minAvailable}` : `maxUnavailable ${pdb.spec.maxUnavailable}`;
      out.push({
        obj: pdb,
        location: pdb.spec?.minAvailable !== undefined ? 'spec.minAvailable' : 'spec.maxUnavailable',
        problem: `${field} allows no eviction when ${describe(a.obj)} holds ${describe(w)} at its minimum of ` +
          `${atMin} replica${atMin === 1 ? '' : 's'}: node drains block`,
        fix: `use maxUnavailable: 1, or keep minAvailable below the autoscaler minimum (at most ${atMin - 1}), ` +
          `or raise the minimum above ${field.split(' ')[1]}`,
        confirm: `kubectl get pdb ${nameOf(pdb)}${nsFlag(pdb)} -o jsonpath='{.status.disruptionsAllowed}'`,
      });
    }
    return out;
  },
};

/** Scale-down switched off with `selectPolicy: Disabled` (no pod is ever removed by the autoscaler). */
function scaleDownDisabled(a: Autoscaler): boolean {
  const behavior = a.kind === HPA ? a.obj.spec?.behavior : a.obj.spec?.advanced?.horizontalPodAutoscalerConfig?.behavior;
  return behavior?.scaleDown?.selectPolicy === 'Disabled';
}

/** The scale-down stabilization window an autoscaler applies (HPA default 300 s, also for KEDA's HPA). */
function scaleDownWindow(a: Autoscaler): number {
  if (a.kind === HTTP_SCALED_OBJECT) return seconds(a.obj.spec?.scaledownPeriod, 300);
  const behavior = a.kind === HPA ? a.obj.spec?.behavior : a.obj.spec?.advanced?.horizontalPodAutoscalerConfig?.behavior;
  return seconds(behavior?.scaleDown?.stabilizationWindowSeconds, 300);
}

export const scaleDownShorterThanColdStart: Rule = {
  id: 'ML-W-SCALE-DOWN-SHORTER-THAN-COLD-START',
  severity: GuardrailSeverity.WARNING,
  title: 'Scale-down stabilization (or KEDA cooldown) is shorter than the declared model load time',
  rationale: 'A pod that takes minutes to load its model is removed after a shorter dip and has to be loaded ' +
    'again when load returns: the service pays the cold start over and over (the article\'s "scaling too aggressively").',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (let ix = 0; ix < ctx.index.autoscalers.length; ix++) {
      const a = ctx.index.autoscalers[ix];
      if (a.kind === SCALED_JOB) continue;
      const w = ctx.index.targetOf(a);
      const load = w ? modelLoadSeconds(w) : undefined;
      if (load === undefined) continue;
      const window = scaleDownDisabled(a) ? Infinity : scaleDownWindow(a);
      const windowField = a.kind === HPA ? 'spec.behavior.scaleDown.stabilizationWindowSeconds'
        : a.kind === HTTP_SCALED_OBJECT ? 'spec.scaledownPeriod'
          : 'spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds';
      if (window < load) {
        out.push({
          obj: a.obj,
          location: windowField,
          problem: `scale-down stabilization is ${window}s but ${describe(w)} declares a ${load}s model load: ` +
            'pods are removed after shorter dips than it takes to bring one back',
          fix: `set ${windowField} to at least ${load}`,
          confirm: `kubectl get events${nsFlag(a.obj)} --field-selector involvedObject.name=${nameOf(a.obj)}`,
        });
      }
      if (a.kind === SCALED_OBJECT && a.min === 0) {
        const cooldown = seconds(a.obj.spec?.cooldownPeriod, 300);
        if (cooldown < load) {
          out.push({
            obj: a.obj,
            location: 'spec.cooldownPeriod',
            problem: `cooldownPeriod is ${cooldown}s but ${describe(w)} declares a ${load}s model load: it scales to ` +
              'zero after idle gaps shorter than one cold start',
            fix: `set spec.cooldownPeriod to at least ${load}`,
            confirm: `kubectl get scaledobject ${nameOf(a.obj)}${nsFlag(a.obj)} -o yaml | grep -A 10 status`,
          });
        }
      }
    }
    return out;
  },
};
