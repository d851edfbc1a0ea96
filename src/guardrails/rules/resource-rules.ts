/**
 * Rules about resources: utilization signals need requests, GPUs need requests equal to limits,
 * a place to run and a budget.
 */
import { GuardrailSeverity } from '../finding';
import {
  Autoscaler, HPA, SCALED_JOB, SCALED_OBJECT, containerRequests, containersOf, describe, gpusPerPod, hpaMetrics, initContainersOf,
  isExtendedResource, isResourceTrigger, kubectlResource, limitRangeDefaults, nameOf, nsFlag, nsOf, parseQuantity,
  podSpecPath, podTemplateOf, triggersOf,
} from '../manifest';
import { RawFinding, Rule, RuleContext } from '../rule';

function requestsJsonpath(w: any): string {
  return `kubectl get ${kubectlResource(w.kind)} ${nameOf(w)}${nsFlag(w)} -o jsonpath='{.${podSpecPath(w)}.containers[*].resources}'`;
}

/** Names of the containers that do not request the resource (all containers, or the one named). */
function missingRequests(limitRanges: any[], workload: any, resource: string, containerName?: string): string[] {
  const podSpec = podTemplateOf(workload)?.spec;
  if (limitRanges.length > 0 && limitRangeDefaults(limitRanges, nsOf(workload), resource)) return [];
  const containers = containersOf(podSpec).filter(c => !containerName || c.name === containerName);
  if (containerName && containers.length === 0) return [`${containerName} (no such container)`];
  return containers.filter(c => !containerRequests(c, resource)).map(c => String(c.name ?? '<unnamed>'));
}

export const metricWithoutRequest: Rule = {
  id: 'ML-E-METRIC-WITHOUT-REQUEST',
  severity: GuardrailSeverity.ERROR,
  title: 'A utilization metric or a KEDA cpu/memory trigger on a resource the target\'s containers do not request',
  rationale: 'Utilization is usage divided by request: without a request the HPA reports <unknown> and never ' +
    'scales ("missing request for cpu"), and KEDA\'s webhook rejects the ScaledObject.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (let ix = 0; ix < ctx.index.autoscalers.length; ix++) {
      const a = ctx.index.autoscalers[ix];
      const w = ctx.index.targetOf(a);
      if (!w) continue;
      if (a.kind === HPA) {
        hpaMetrics(a.obj).forEach(({ m, location }) => {
          const src = m?.type === 'Resource' ? m.resource : m?.type === 'ContainerResource' ? m.containerResource : undefined;
          if (!src || src.target?.type !== 'Utilization' || !src.name) return;
          const missing = missingRequests(ctx.index.byKind('LimitRange'), w, src.name, m.type === 'ContainerResource' ? src.container : undefined);
          if (missing.length === 0) return;
          out.push({
            obj: a.obj,
            location,
            problem: `targets ${src.name} utilization but container${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ` +
              `${describe(w)} request${missing.length > 1 ? '' : 's'} no ${src.name}: the HPA shows <unknown> and never scales`,
            fix: `set resources.requests.${src.name} on ${missing.join(', ')}, or use an AverageValue target instead of Utilization`,
            confirm: `kubectl describe hpa ${nameOf(a.obj)}${nsFlag(a.obj)}`,
          });
        });
      } else if (a.kind === SCALED_OBJECT) {
        triggersOf(a.obj).forEach((t: any, i: number) => {
          if (!isResourceTrigger(t)) return;
          const containerName = t.metadata?.containerName;
          const missing = missingRequests(ctx.index.byKind('LimitRange'), w, t.type, containerName || undefined);
          if (missing.length === 0) return;
          out.push({
            obj: a.obj,
            location: `spec.triggers[${i}]`,
            problem: `has a ${t.type} trigger but container${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ` +
              `${describe(w)} request${missing.length > 1 ? '' : 's'} no ${t.type}: KEDA rejects the ScaledObject`,
            fix: `set resources.requests.${t.type} on ${missing.join(', ')}`,
            confirm: requestsJsonpath(w),
          });
        });
      }
    }
    return out;
  },
};

const CONTAINER_FIELDS = ['containers', 'initContainers'] as const;

export const gpuRequestLimitMismatch: Rule = {
  id: 'ML-E-GPU-REQUEST-LIMIT-MISMATCH',
  severity: GuardrailSeverity.ERROR,
  title: 'A GPU (extended resource) request differs from its limit, or is requested without a limit',
  rationale: 'Extended resources cannot be overcommitted: the API server rejects a pod whose GPU request and ' +
    'limit differ, so the workload never gets pods.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (let ix = 0; ix < ctx.index.podObjects.length; ix++) {
      const obj = ctx.index.podObjects[ix];
      const podSpec = podTemplateOf(obj)?.spec;
      if (!podSpec) continue;
      for (const field of CONTAINER_FIELDS) {
        const containers = field === 'containers' ? containersOf(podSpec) : initContainersOf(podSpec);
        for (let i = 0; i < containers.length; i++) {
          const c = containers[i];
          const requests = c.resources?.requests ?? {};
          const limits = c.resources?.limits ?? {};
          for (const name in requests) {
            if (!isExtendedResource(name)) continue;
            const req = requests[name];
            const lim = limits[name];
            if (lim !== undefined && parseQuantity(lim) === parseQuantity(req)) continue;
            out.push({
              obj,
              location: `${podSpecPath(obj)}.${field}[${i}].resources`,
              problem: lim === undefined
                ? `container ${c.name} requests ${req} ${name} without a limit; extended resources need limits equal to requests`
                : `container ${c.name} requests ${req} ${name} but limits it to ${lim}; extended resources cannot be overcommitted`,
              fix: `set resources.limits["${name}"] equal to resources.requests["${name}"] (or write only the limit)`,
              confirm: requestsJsonpath(obj),
            });
          }
        }
      }
    }
    return out;
  },
};

/** GPUs one autoscaler can claim at its maximum (ScaledJobs: max jobs x parallelism). */
function gpuClaim(ctx: RuleContext, podSpec: any, obj: any, replicas: number): number {
  const perPod = gpusPerPod(podSpec, ctx.options.gpuResourceNames ?? []);
  const parallelism = obj.kind === SCALED_JOB ? Number(obj.spec?.jobTargetRef?.parallelism ?? 1) : 1;
  return perPod * replicas * (Number.isFinite(parallelism) ? parallelism : 1);
}

export const gpuBudgetExceeded: Rule = {
  id: 'ML-W-GPU-BUDGET-EXCEEDED',
  severity: GuardrailSeverity.WARNING,
  title: 'At maximum replicas the autoscaled workloads claim more GPUs than the configured budget',
  rationale: 'GPUs are the scarce, expensive resource: a maxReplicas that the cluster (or the bill) cannot ' +
    'honour leaves pods Pending at the peak, or surprises the budget owner.',
  check(ctx: RuleContext): RawFinding[] {
    const budget = ctx.options.gpuBudget;
    if (budget === undefined || budget === null) return [];
    const contributions: Array<{ obj: any; claim: number; detail: string }> = [];
    const counted = new Set<any>();
    let total = 0;
    const scaled = (b: Autoscaler) => (b.kind === SCALED_JOB ? b.obj : ctx.index.targetOf(b));
    // several autoscalers on one workload: count the largest maximum once
    const maxByTarget = new Map<any, number>();
    for (let ix = 0; ix < ctx.index.autoscalers.length; ix++) {
      const b = ctx.index.autoscalers[ix];
      const t = scaled(b);
      if (t) maxByTarget.set(t, Math.max(maxByTarget.get(t) ?? -Infinity, b.max));
    }
    for (let ix = 0; ix < ctx.index.autoscalers.length; ix++) {
      const a = ctx.index.autoscalers[ix];
      const target = scaled(a);
      if (!target || counted.has(target)) continue;
      const maxOfTarget = maxByTarget.get(target)!;
      counted.add(target);
      const claim = gpuClaim(ctx, podTemplateOf(target)?.spec, target, maxOfTarget);
      if (claim <= 0) continue;
      total += claim;
      contributions.push({ obj: a.obj, claim, detail: `${maxOfTarget} replicas x ${gpusPerPod(podTemplateOf(target)?.spec, ctx.options.gpuResourceNames ?? [])} GPUs` });
    }
    // fixed-size GPU workloads take their share of the budget too
    for (let ix = 0; ix < ctx.index.podObjects.length; ix++) {
      const w = ctx.index.podObjects[ix];
      if (counted.has(w) || !podTemplateOf(w) || w.kind === SCALED_JOB || w.kind === 'Pod' || w.kind === 'CronJob' || w.kind === 'DaemonSet') continue;
      const replicas = w.kind === 'Job' ? Number(w.spec?.parallelism ?? 1) : Number(w.spec?.replicas ?? 1);
      total += gpuClaim(ctx, podTemplateOf(w)?.spec, w, Number.isFinite(replicas) ? replicas : 1);
    }
    if (total <= budget) return [];
    return contributions.map(c => ({
      obj: c.obj,
      location: c.obj.kind === HPA ? 'spec.maxReplicas' : c.obj.kind === 'HTTPScaledObject' ? 'spec.replicas.max' : 'spec.maxReplicaCount',
      problem: `at its maximum this ${c.obj.kind} claims ${c.claim} GPUs (${c.detail}); all workloads together can claim ` +
        `${total} GPUs, above the budget of ${budget}`,
      fix: `lower the maximum replicas so the total fits (${total - budget} GPUs over budget), or raise the GPU budget`,
      confirm: 'kubectl get nodes -o custom-columns=NAME:.metadata.name,GPUS:.status.allocatable.nvidia\\.com/gpu',
    }));
  },
};

function hasGpuToleration(podSpec: any): boolean {
  return (podSpec?.tolerations ?? []).some((t: any) =>
    (typeof t?.key === 'string' && /gpu/i.test(t.key)) || (t?.operator === 'Exists' && !t?.key));
}

function hasPlacement(podSpec: any): boolean {
  const na = podSpec?.affinity?.nodeAffinity;
  return Object.keys(podSpec?.nodeSelector ?? {}).length > 0 ||
    Boolean(na?.requiredDuringSchedulingIgnoredDuringExecution || (na?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length > 0);
}

export const gpuWithoutPlacement: Rule = {
  id: 'ML-W-GPU-WITHOUT-PLACEMENT',
  severity: GuardrailSeverity.WARNING,
  title: 'GPU pods without a GPU toleration or without a node placement (nodeSelector/nodeAffinity)',
  rationale: 'GPU nodes are usually tainted: without a toleration the pods stay Pending; without a node ' +
    'selector or affinity they land on whatever GPU type is free (the article: use node affinity for GPU workloads).',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (let ix = 0; ix < ctx.index.podObjects.length; ix++) {
      const obj = ctx.index.podObjects[ix];
      const podSpec = podTemplateOf(obj)?.spec;
      if (!podSpec || gpusPerPod(podSpec, ctx.options.gpuResourceNames ?? []) <= 0) continue;
      if (hasGpuToleration(podSpec) && hasPlacement(podSpec)) continue; // the usual case: nothing to report
      const missing: string[] = [];
      if (!hasGpuToleration(podSpec)) missing.push('a toleration for the GPU taint (e.g. key nvidia.com/gpu, operator Exists)');
      if (!hasPlacement(podSpec)) missing.push('a nodeSelector or nodeAffinity for the GPU node type');
      if (missing.length === 0) continue;
      const lacks = [!hasGpuToleration(podSpec) ? 'GPU toleration' : '', !hasPlacement(podSpec) ? 'node placement' : ''].filter(Boolean);
      out.push({
        obj,
        location: podSpecPath(obj),
        problem: `requests GPUs but has no ${lacks.join(' and no ')}: pods may stay Pending on tainted GPU nodes or land on the wrong GPU type`,
        fix: `add ${missing.join(' and ')} to the pod template`,
        confirm: 'kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints[*].key,GPUS:.status.allocatable.nvidia\\.com/gpu',
      });
    }
    return out;
  },
};
