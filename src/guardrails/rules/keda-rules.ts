/**
 * Rules about KEDA objects: fields KEDA removed or ignores, and settings KEDA rejects.
 */
import { GuardrailSeverity } from '../finding';
import {
  SCALED_JOB, SCALED_OBJECT, annotationsOf, describe, isResourceTrigger, kubectlResource, nameOf, nsFlag,
  podSpecPath, podTemplateOf, triggersOf,
} from '../manifest';
import { RawFinding, Rule, RuleContext } from '../rule';

function confirmKeda(obj: any): string {
  return `kubectl get ${kubectlResource(obj.kind)} ${nameOf(obj)}${nsFlag(obj)} -o yaml | grep -A 10 status`;
}

function kedaObjects(ctx: RuleContext): any[] {
  return ctx.index.objects.filter(o => (o?.kind === SCALED_OBJECT || o?.kind === SCALED_JOB) &&
    String(o?.apiVersion ?? '').startsWith('keda.sh/'));
}

export const triggerMetadataType: Rule = {
  id: 'ML-E-TRIGGER-METADATA-TYPE',
  severity: GuardrailSeverity.ERROR,
  title: 'A cpu/memory trigger sets metadata.type (removed in KEDA 2.18)',
  rationale: 'KEDA 2.18 removed metadata.type for the cpu and memory scalers; the trigger-level metricType ' +
    'replaces it. Current KEDA rejects or misreads the trigger.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (const obj of kedaObjects(ctx)) {
      triggersOf(obj).forEach((t, i) => {
        if (!isResourceTrigger(t) || t.metadata?.type === undefined) return;
        out.push({
          obj,
          location: `spec.triggers[${i}].metadata.type`,
          problem: `the ${t.type} trigger sets metadata.type "${t.metadata.type}", removed in KEDA 2.18`,
          fix: `move it to the trigger: metricType: ${t.metricType ?? t.metadata.type} and delete metadata.type`,
          confirm: 'kubectl logs -n keda deployment/keda-operator | grep -i error',
        });
      });
    }
    return out;
  },
};

export const resourceTriggersScaleToZero: Rule = {
  id: 'ML-E-CPU-MEMORY-SCALE-TO-ZERO',
  severity: GuardrailSeverity.ERROR,
  title: 'A ScaledObject with only cpu/memory triggers and minReplicaCount 0 (the default)',
  rationale: 'With zero pods there is no cpu or memory to measure, so the workload could never wake up: KEDA ' +
    'rejects the ScaledObject ("scale to zero doesn\'t work in this case").',
  check(ctx: RuleContext): RawFinding[] {
    return ctx.index.autoscalers
      .filter(a => a.kind === SCALED_OBJECT && a.min === 0)
      .filter(a => { const ts = triggersOf(a.obj); return ts.length > 0 && ts.every(isResourceTrigger); })
      .map(a => ({
        obj: a.obj,
        location: 'spec.minReplicaCount',
        problem: `only cpu/memory triggers and minReplicaCount ${a.minWritten ? 0 : '0 (default)'}: nothing can ` +
          'wake the workload from zero, KEDA rejects it',
        fix: 'set spec.minReplicaCount to 1 or more, or add an event trigger (queue length, request rate) that can activate from zero',
        confirm: confirmKeda(a.obj),
      }));
  },
};

export const kedaRemovedField: Rule = {
  id: 'ML-W-KEDA-REMOVED-FIELD',
  severity: GuardrailSeverity.WARNING,
  title: 'A deprecated or removed KEDA field (prometheus metricName, ScaledJob rolloutStrategy)',
  rationale: 'KEDA ignores prometheus metricName since 2.12 (metric names are generated); the field suggests a ' +
    'name that the HPA will not show and hides that the manifest was written for an old KEDA.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (const obj of kedaObjects(ctx)) {
      triggersOf(obj).forEach((t, i) => {
        if (t.type === 'prometheus' && t.metadata?.metricName !== undefined) {
          out.push({
            obj,
            location: `spec.triggers[${i}].metadata.metricName`,
            problem: `the prometheus trigger sets metricName "${t.metadata.metricName}", removed in KEDA 2.12 (ignored)`,
            fix: 'delete metadata.metricName; to name the trigger, set the trigger-level name field',
            confirm: `kubectl get hpa${nsFlag(obj)} -o yaml | grep -B 2 -A 6 external`,
          });
        }
      });
      if (obj.kind === SCALED_JOB && obj.spec?.rolloutStrategy !== undefined) {
        out.push({
          obj,
          location: 'spec.rolloutStrategy',
          problem: `spec.rolloutStrategy "${obj.spec.rolloutStrategy}" is deprecated`,
          fix: `use spec.rollout.strategy: ${obj.spec.rolloutStrategy} instead`,
          confirm: confirmKeda(obj),
        });
      }
    }
    return out;
  },
};

const PAUSE_PREFIX = 'autoscaling.keda.sh/paused';

const NO_KEYS: string[] = [];

/** Keys of KEDA pause annotations in a map, except `allowed` (no allocation when there are none: runs for every object). */
function pauseKeys(annotations: any, allowed?: string): string[] {
  if (!annotations || typeof annotations !== 'object') return NO_KEYS;
  let keys: string[] | undefined;
  for (const k in annotations) {
    if (k !== allowed && k.startsWith(PAUSE_PREFIX)) (keys ??= []).push(k);
  }
  return keys ?? NO_KEYS;
}

export const pauseAnnotationIgnored: Rule = {
  id: 'ML-W-PAUSE-ANNOTATION-IGNORED',
  severity: GuardrailSeverity.WARNING,
  title: 'A KEDA pause annotation where KEDA does not read it (e.g. on a Deployment)',
  rationale: 'KEDA reads autoscaling.keda.sh/paused* on the ScaledObject (and only "paused" on a ScaledJob). On a ' +
    'Deployment it has no effect: autoscaling goes on while the author believes it is paused (the article\'s ' +
    'hybrid example makes this mistake).',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    const objects = ctx.index.objects;
    for (let i = 0; i < objects.length; i++) {
      const obj = objects[i];
      if (!obj || typeof obj !== 'object') continue;
      const misplaced = obj.kind === SCALED_OBJECT ? NO_KEYS : pauseKeys(annotationsOf(obj), obj.kind === SCALED_JOB ? PAUSE_PREFIX : undefined);
      const template = obj.kind === SCALED_JOB || obj.kind === 'Pod' ? NO_KEYS : pauseKeys(podTemplateOf(obj)?.metadata?.annotations);
      if (misplaced.length + template.length === 0) continue;
      const where = obj.kind === SCALED_JOB ? 'a ScaledJob (only autoscaling.keda.sh/paused applies there)' : `a ${obj.kind}`;
      for (const key of misplaced) {
        out.push({
          obj,
          location: `metadata.annotations["${key}"]`,
          problem: `${key} on ${where} has no effect; KEDA reads pause annotations on the ScaledObject`,
          fix: 'move the annotation to the ScaledObject that scales this workload (or remove it)',
          confirm: `kubectl get scaledobject${nsFlag(obj)} -o custom-columns=NAME:.metadata.name,PAUSED:.metadata.annotations`,
        });
      }
      for (const key of template) {
        out.push({
          obj,
          location: `${podSpecPath(obj).replace(/\.spec$/, '')}.metadata.annotations["${key}"]`,
          problem: `${key} on the pod template of ${describe(obj)} has no effect; KEDA reads pause annotations on the ScaledObject`,
          fix: 'move the annotation to the ScaledObject that scales this workload (or remove it)',
          confirm: `kubectl get scaledobject${nsFlag(obj)} -o custom-columns=NAME:.metadata.name,PAUSED:.metadata.annotations`,
        });
      }
    }
    return out;
  },
};

export const scaledJobRolloutDeletesJobs: Rule = {
  id: 'ML-W-SCALEDJOB-ROLLOUT-DELETES-JOBS',
  severity: GuardrailSeverity.WARNING,
  title: 'A ScaledJob whose rollout strategy deletes running Jobs when its spec changes',
  rationale: 'By default KEDA deletes the Jobs a ScaledJob started whenever the ScaledJob is updated: a deploy ' +
    'kills hours of in-flight GPU batch work. rollout.strategy: gradual leaves running Jobs to finish.',
  check(ctx: RuleContext): RawFinding[] {
    return ctx.index.byKind(SCALED_JOB)
      .filter(sj => String(sj.apiVersion ?? '').startsWith('keda.sh/'))
      .filter(sj => (sj.spec?.rollout?.strategy ?? sj.spec?.rolloutStrategy) !== 'gradual')
      .map(sj => {
        const strategy = sj.spec?.rollout?.strategy ?? sj.spec?.rolloutStrategy;
        return {
          obj: sj,
          location: 'spec.rollout.strategy',
          problem: `rollout strategy is ${strategy ? `"${strategy}"` : 'not set (default)'}: updating the ScaledJob deletes its running Jobs`,
          fix: 'set spec.rollout.strategy: gradual so running Jobs finish and only new Jobs use the new spec',
          confirm: `kubectl get jobs${nsFlag(sj)} -l scaledjob.keda.sh/name=${nameOf(sj)}`,
        };
      });
  },
};
