/**
 * Rules about what a model server's autoscaler reads: an LLM server scaled on utilization instead of
 * its queue, and metric names the server does not export (retired names, another server's names).
 */
import { SERVER_METRICS } from '../../annotations';
import { SERVERS, ServerSpec, SignalKind, TRITON, apiNameOf, retiredMetric } from '../../model-server/server-catalog';
import { GuardrailSeverity } from '../finding';
import { Autoscaler, HPA, SCALED_JOB, SCALED_OBJECT, containersOf, describe, kubectlResource, nameOf, nsFlag, nsOf, podSpecPath, podTemplateOf } from '../manifest';
import {
  SignalRead, WorkloadServer, autoscalerReads, declaredMetricsOf, imageVersion, isGpuSignal, olderThan, seriesFor, workloadServer,
} from '../model-server-facts';
import { RawFinding, Rule, RuleContext } from '../rule';

/** The HPA that carries an autoscaler's metrics: the HPA itself, or the one KEDA creates for a ScaledObject. */
function hpaNameOf(a: Autoscaler): string {
  if (a.kind === HPA) return nameOf(a.obj);
  const custom = a.obj?.spec?.advanced?.horizontalPodAutoscalerConfig?.name;
  return typeof custom === 'string' && custom ? custom : `keda-hpa-${nameOf(a.obj)}`;
}

/** What an autoscaler's metrics or triggers read, judged with the workload's declared server metrics. */
function readsOf(ctx: RuleContext, a: Autoscaler, workload: any): SignalRead[] {
  return autoscalerReads(ctx.index, a, workload);
}

/** A read that measures how busy the pod is, not how much work waits: cpu, memory, GPU utilization or memory. */
function isUtilization(r: SignalRead): boolean {
  if (r.kind === 'cpu' || r.kind === 'memory') return true;
  return r.kind === 'series' && r.unknown.length === 0 && r.known.length > 0 && r.known.every(k => isGpuSignal(k.signal));
}

function describeRead(r: SignalRead): string {
  if (r.kind === 'cpu' || r.kind === 'memory') return r.text.startsWith(r.kind) ? r.text : `${r.kind} (${r.text})`;
  const gpu = r.known.map(k => `${k.signal === SignalKind.GPU_MEMORY_USED ? 'GPU memory' : 'GPU utilization'} (${k.name})`);
  return [...new Set(gpu)].join(', ');
}

/** `a`, `a and b`, `a, b and c`. */
function listOf(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The library's preset call for a server (`ModelServer.vllm()`). */
function presetCall(spec: ServerSpec): string {
  return `ModelServer.${spec.id}()`;
}

export const llmScaledOnUtilization: Rule = {
  id: 'ML-W-LLM-SCALED-ON-UTILIZATION',
  severity: GuardrailSeverity.WARNING,
  title: 'An LLM server (vLLM, SGLang, TGI, Triton with an LLM backend) is scaled only on CPU, memory or GPU utilization/memory',
  rationale: 'An LLM server with continuous batching keeps the GPU near 100% busy as soon as it decodes anything, ' +
    'whatever the load, and reserves most GPU memory for its KV cache at start; CPU follows neither. So these signals ' +
    'read "full" at light load (replicas pile up to the maximum) or never move with the queue (requests wait while ' +
    'nothing scales). The queue of waiting requests is what grows with load (GKE\'s best practices for autoscaling ' +
    'LLM inference: scale on the queue size, starting at 3-5 waiting requests per replica).',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (let ix = 0; ix < ctx.index.autoscalers.length; ix++) {
      const a = ctx.index.autoscalers[ix];
      if (a.kind !== HPA && a.kind !== SCALED_OBJECT) continue;
      const w = ctx.index.targetOf(a);
      const server = workloadServer(ctx.index, w);
      if (!server?.llm) continue;
      const reads = readsOf(ctx, a, w);
      if (reads.length === 0 || !reads.every(isUtilization)) continue;
      out.push({
        obj: a.obj,
        location: a.kind === HPA ? (reads.length === 1 ? reads[0].location : 'spec.metrics') : 'spec.triggers',
        problem: `${describe(w)} runs ${server.name} (${server.how}) but ${a.kind === HPA ? 'the HPA' : 'the ScaledObject'} ` +
          `scales it only on ${listOf([...new Set(reads.map(describeRead))])}: ${whyMisleading(server, reads)}`,
        fix: queueFix(server, a),
        confirm: `kubectl describe hpa ${hpaNameOf(a)}${nsFlag(a.obj)}`,
      });
    }
    return out;
  },
};

function whyMisleading(server: WorkloadServer, reads: SignalRead[]): string {
  const reasons: string[] = [];
  const gpuUtil = reads.some(r => r.known.some(k => k.signal === SignalKind.GPU_UTILIZATION));
  const memory = reads.some(r => r.kind === 'memory' || r.known.some(k => k.signal === SignalKind.GPU_MEMORY_USED));
  if (gpuUtil) {
    reasons.push(`${server.name} keeps the GPU near 100% busy as soon as it decodes a batch, whatever the load ` +
      '(continuous batching), so GPU utilization reads "full" at light load');
  }
  if (memory) {
    reasons.push(`${server.name} preallocates GPU memory for the model and its KV cache at start, so memory reads the ` +
      'same idle or saturated');
  }
  if (reads.some(r => r.kind === 'cpu')) reasons.push('CPU follows neither the queue nor the batch (the work runs on the GPU)');
  return `${reasons.join('; ')}: ${reasons.length > 1 ? 'none of them grows' : 'it does not grow'} with the requests waiting`;
}

function queueFix(server: WorkloadServer, a: Autoscaler): string {
  const queue = seriesFor(server, SignalKind.QUEUE_SIZE);
  if (!queue) {
    return `scale on the server's queue of waiting requests (declare it in ${SERVER_METRICS} as "queueSize"), ` +
      'starting at 3-5 waiting requests per replica (GKE\'s best practices for autoscaling LLM inference)';
  }
  const ns = nsOf(a.obj);
  const how = a.kind === HPA
    ? `a Pods metric ${apiNameOf(queue)} with an AverageValue target of 3-5`
    : `a prometheus trigger with query sum(${queue}{${ns ? `namespace="${ns}",` : ''}pod=~"<workload>-.*"}) and threshold 3-5`;
  const library = server.spec ? `; with this library: ScalingSignal.queueSize(5) and modelServer: ${presetCall(server.spec)}` : '';
  return `scale on ${server.name}'s queue size, the series ${queue} (${how}), starting at 3-5 waiting requests per replica ` +
    `(GKE's best practices for autoscaling LLM inference); keep a GPU or cpu signal beside it only as a secondary signal${library}`;
}

/** The preset servers that export a catalog series. */
function serversExporting(series: string): ServerSpec[] {
  return SERVERS.filter(s => s.metrics.some(m => m.series === series));
}

/** The version of `server` the workload's image names, when one of its containers runs that server's image. */
function runningVersion(workload: any, server: ServerSpec): [number, number, number] | undefined {
  for (const c of containersOf(podTemplateOf(workload)?.spec)) {
    const image = typeof c.image === 'string' ? c.image : '';
    if (server.imageRepositories.some(r => image === r || image.startsWith(`${r}:`) || image.startsWith(`${r}@`))) {
      const v = imageVersion(image);
      if (v) return v;
    }
  }
  return undefined;
}

function confirmMetrics(w: any, server: ServerSpec | undefined, name: string, a?: Autoscaler): string {
  const hpa = a && a.kind !== SCALED_JOB ? `kubectl describe hpa ${hpaNameOf(a)}${nsFlag(a.obj)}; ` : '';
  if (!w || !server) return `${hpa}curl -s <pod>:<metrics port>/metrics | grep ${name}`;
  const port = server.metricsPort ?? server.httpPort;
  return `${hpa}kubectl port-forward ${w.kind?.toLowerCase?.() ?? 'deployment'}/${nameOf(w)} ${port}${nsFlag(w)} & ` +
    `curl -s localhost:${port}${server.metricsPath} | grep '${server.id === 'tgi' ? 'tgi_' : server.id === 'triton' ? 'nv_' : `${server.id}:`}'`;
}

export const serverMetricNotExported: Rule = {
  id: 'ML-W-SERVER-METRIC-NOT-EXPORTED',
  severity: GuardrailSeverity.WARNING,
  title: 'An autoscaler reads a model-server metric the server does not export (a name retired in its version, or another server\'s)',
  rationale: 'A series the server does not export is absent, not zero: the HPA shows <unknown> for it and never scales ' +
    'on it, a KEDA prometheus query returns no series (read as 0 with ignoreNullValues, the default) and never scales ' +
    'up. vLLM 0.12.0 removed the names deprecated in 0.9.2 (vllm:gpu_cache_usage_perc is now vllm:kv_cache_usage_perc), ' +
    'so manifests written for older vLLM stop scaling silently at the upgrade.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (let ix = 0; ix < ctx.index.autoscalers.length; ix++) {
      const a = ctx.index.autoscalers[ix];
      if (a.kind !== HPA && a.kind !== SCALED_OBJECT && a.kind !== SCALED_JOB) continue;
      const w = a.kind === SCALED_JOB ? a.obj : ctx.index.targetOf(a);
      const server = workloadServer(ctx.index, w);
      const reads = readsOf(ctx, a, w);
      for (const r of reads) {
        if (r.kind !== 'series') continue;
        const reader = a.kind === HPA ? 'the HPA shows <unknown> for it and never scales on it'
          : 'the prometheus query returns no series (KEDA reads it as 0 with ignoreNullValues, the default), so it never scales up on it';
        for (const name of [...r.unknown, ...r.known.map(k => k.name)]) {
          const retired = retiredMetric(name);
          if (retired) {
            const { server: owner, metric } = retired;
            const running = w ? runningVersion(w, owner) : undefined;
            const stillThere = running !== undefined && olderThan(running, metric.goneSince);
            const replacement = metric.replacement ? (a.kind === HPA ? apiNameOf(metric.replacement) : metric.replacement) : undefined;
            out.push({
              obj: a.obj,
              location: r.location,
              problem: `reads ${name}, which ${owner.displayName} ${metric.goneSince} removed (${metric.source})` +
                (metric.replacement ? `; ${metric.replacement} replaces it` : '; nothing replaces it') + ': ' +
                (stillThere
                  ? `the image runs ${owner.displayName} ${running!.join('.')}, which still exports it, but from ${metric.goneSince} on the metric is absent and ${reader}`
                  : `the metric is absent, so ${reader}`),
              fix: replacement
                ? `read ${replacement} instead (the same signal under its current name)`
                : `remove it and scale on ${owner.displayName}'s queue size, ${seriesFor({ spec: owner } as WorkloadServer, SignalKind.QUEUE_SIZE)}`,
              confirm: confirmMetrics(a.kind === SCALED_JOB ? undefined : w, owner, name, a),
            });
            continue;
          }
          const k = r.known.find(x => x.name === name);
          const spec = server?.spec;
          if (!k || k.via !== 'catalog' || !spec || spec === TRITON) continue;
          const owners = serversExporting(k.series);
          if (owners.length === 0 || owners.includes(spec)) continue;
          const own = seriesFor(server, k.signal);
          const ownName = own && a.kind === HPA ? apiNameOf(own) : own;
          out.push({
            obj: a.obj,
            location: r.location,
            problem: `reads ${name}, a ${owners.map(s => s.displayName).join('/')} metric, but ${describe(w)} runs ${spec.displayName} ` +
              `(${server!.how}), which does not export it: the metric is absent, so ${reader}`,
            fix: ownName
              ? `read ${spec.displayName}'s series for the same signal, ${ownName}`
              : `${spec.displayName} exports no ${k.signal} metric: scale on its queue size, ${seriesFor(server, SignalKind.QUEUE_SIZE)}`,
            confirm: confirmMetrics(w, spec, name, a),
          });
        }
      }
    }
    // a retired series declared on a workload: everything that reads the annotation reads a missing series
    for (let ix = 0; ix < ctx.index.podObjects.length; ix++) {
      const w = ctx.index.podObjects[ix];
      for (const [signal, series] of Object.entries(declaredMetricsOf(w))) {
        const retired = retiredMetric(series!);
        if (!retired) continue;
        out.push({
          obj: w,
          location: `${podSpecPath(w).replace(/\.spec$/, '')}.metadata.annotations["${SERVER_METRICS}"]`,
          problem: `declares ${series} as its ${signal} series, but ${retired.server.displayName} ${retired.metric.goneSince} removed it ` +
            `(${retired.metric.source}): autoscalers and the simulator built on the annotation read a series that is absent`,
          fix: retired.metric.replacement ? `declare ${retired.metric.replacement} instead` : `drop "${signal}" from the annotation`,
          confirm: `kubectl get ${kubectlResource(w.kind)} ${nameOf(w)}${nsFlag(w)} -o yaml | grep '${SERVER_METRICS}'`,
        });
      }
    }
    return out;
  },
};
