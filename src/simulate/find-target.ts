import type { ScalingTarget } from './manifest-input';
import { quantityApproximateFloat } from './quantity-math';
import { SERVER_METRICS } from '../annotations';
import { parseServerMetrics } from '../model-server/server-catalog';
import { checkValue, fail, satisfies, string } from '../validate/check';

/**
 * The search of `ManifestInput.findTarget`, shared with `Simulator.fromManifests` and `Simulator.fromConstruct`,
 * which report its errors on their own entry point and arguments.
 */

const MANIFESTS = satisfies('a list of Kubernetes objects', v => Array.isArray(v), 'pass the manifests as a list, e.g. Yaml.load(file) or Testing.synth(chart)');

/** The pod template annotation our constructs write with the declared model load time, in seconds. */
const MODEL_LOAD_SECONDS = 'ml-autoscaling.io/model-load-seconds';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet'];

/** Where `findTarget`'s arguments came from: the entry point and the names of its two arguments. */
export interface TargetArgs {
  readonly site: string;
  readonly manifests: string;
  readonly name: string;
}

/** `ManifestInput.findTarget`, reporting on `args` (e.g. `Simulator.fromManifests` and its `target`). */
export function findTarget(args: TargetArgs, manifests: any[], name: string): ScalingTarget {
  const SITE = args.site;
  checkValue(SITE, args.manifests, manifests, MANIFESTS);
  checkValue(SITE, args.name, name, string({ fix: 'pass the name of the workload (or of its HPA or ScaledObject)' }));
  // `kubectl get -o yaml` wraps objects in a List.
  const flat = manifests.flatMap(m => (m && m.kind === 'List' && Array.isArray(m.items) ? m.items : [m]));
  const objects = flat.filter(m => m && typeof m === 'object' && typeof m.kind === 'string');
  const hpas = objects.filter(m => m.kind === 'HorizontalPodAutoscaler');
  const scaledObjects = objects.filter(m => m.kind === 'ScaledObject');
  let workloadName = name;
  const byName = [...hpas, ...scaledObjects].find(m => m.metadata?.name === name);
  if (!objects.some(m => WORKLOAD_KINDS.includes(m.kind) && m.metadata?.name === name) && byName) {
    workloadName = byName.spec?.scaleTargetRef?.name;
  }
  const hpaMatches = hpas.filter(h => h.spec?.scaleTargetRef?.name === workloadName);
  const soMatches = scaledObjects.filter(s => s.spec?.scaleTargetRef?.name === workloadName);
  const workloads = objects.filter(m => WORKLOAD_KINDS.includes(m.kind) && m.metadata?.name === workloadName);
  const known = [...objects.filter(m => WORKLOAD_KINDS.includes(m.kind)).map(m => `${m.kind}/${m.metadata?.name}`)];
  if (hpaMatches.length + soMatches.length === 0) {
    const scaledJob = objects.find(m => m.kind === 'ScaledJob' && m.metadata?.name === name);
    if (scaledJob) {
      fail({ scope: SITE, prop: args.name }, name, 'is a KEDA ScaledJob, which the simulator does not simulate: it replays a HorizontalPodAutoscaler or ' +
        'ScaledObject scaling long-running replicas, while a ScaledJob starts one Job per batch of messages', 'pass the name of a workload scaled by an HPA or a ScaledObject');
    }
    fail({ scope: SITE, prop: args.name }, name, `no HorizontalPodAutoscaler or ScaledObject targets "${name}" (workloads in the manifests: ${known.join(', ') || 'none'})`,
      'pass the name of an autoscaled workload, or of its HPA or ScaledObject');
  }
  if (soMatches.length > 0 && hpaMatches.some(h => !String(h.metadata?.name ?? '').startsWith('keda-hpa-'))) {
    fail({ scope: SITE, prop: args.manifests }, workloadName, `both an HPA and a ScaledObject target "${workloadName}": they would fight over its replica count`, 'keep one');
  }
  if (hpaMatches.length > 1 || soMatches.length > 1) {
    fail({ scope: SITE, prop: args.manifests }, workloadName, `more than one autoscaler targets "${workloadName}"`, 'keep one per workload');
  }
  if (workloads.length > 1) fail({ scope: SITE, prop: args.manifests }, workloadName, `more than one workload is called "${workloadName}"`, 'keep names unique within the manifests');
  const workload = workloads[0];
  const podSpec = workload?.spec?.template?.spec ?? {};
  const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
  const containers: any[] = [...list(podSpec.containers),
    ...list(podSpec.initContainers).filter((c: any) => c?.restartPolicy === 'Always')];
  const amount = (v: unknown, key: string): number => {
    try {
      return quantityApproximateFloat(v as any);
    } catch (e) {
      return fail({ scope: SITE, prop: `${args.manifests} (workload "${workloadName}") resources ${key}` }, v, (e as Error).message, 'use a Kubernetes quantity, e.g. "1", "500m" or "4Gi"');
    }
  };
  const sum = (pick: (resources: Record<string, unknown>) => number): number =>
    containers.reduce((acc, c) => acc + pick({ ...(c?.resources?.limits ?? {}), ...(c?.resources?.requests ?? {}) }), 0);
  const gpus = sum(r => Object.entries(r).filter(([k]) => /(^|\/)gpu$/i.test(k)).reduce((a, [k, v]) => a + amount(v, k), 0));
  const cpu = sum(r => (r.cpu !== undefined ? amount(r.cpu, 'cpu') : 0));
  const memory = sum(r => (r.memory !== undefined ? amount(r.memory, 'memory') : 0));
  const annotation = workload?.spec?.template?.metadata?.annotations?.[MODEL_LOAD_SECONDS];
  const modelLoad = annotation !== undefined ? Number(annotation) : undefined;
  if (modelLoad !== undefined && (!Number.isFinite(modelLoad) || modelLoad < 0)) {
    fail({ scope: SITE, prop: `${args.manifests} (workload "${workloadName}") annotation ${MODEL_LOAD_SECONDS}` }, annotation, 'is not a number of seconds',
      'set the annotation to the model load time in seconds, e.g. "120"');
  }
  const serverMetricsText = workload?.spec?.template?.metadata?.annotations?.[SERVER_METRICS];
  const serverMetrics = serverMetricsText !== undefined ? parseServerMetrics(serverMetricsText) : undefined;
  if (serverMetricsText !== undefined && serverMetrics === undefined) {
    fail({ scope: SITE, prop: `${args.manifests} (workload "${workloadName}") annotation ${SERVER_METRICS}` }, serverMetricsText,
      'is not a JSON object of series names by signal', 'write it as JSON, e.g. {"queueSize":"vllm:num_requests_waiting","batchSize":"vllm:num_requests_running"}');
  }
  const delays = containers.map(c => c?.readinessProbe?.initialDelaySeconds).filter((d): d is number => typeof d === 'number');
  return {
    workloadName,
    workload,
    horizontalPodAutoscaler: soMatches.length > 0 ? undefined : hpaMatches[0],
    scaledObject: soMatches[0],
    gpusPerReplica: gpus,
    cpuRequestCores: cpu,
    memoryRequestBytes: memory,
    modelLoadSeconds: modelLoad,
    serverMetrics: serverMetrics as { [signal: string]: string } | undefined,
    readinessDelaySeconds: delays.length > 0 ? Math.max(...delays) : undefined,
    replicas: typeof workload?.spec?.replicas === 'number' ? workload.spec.replicas : undefined,
  };
}
