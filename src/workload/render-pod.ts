import { Names } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { GpuRequest } from './gpu';
import { quantity } from './kube-object';
import { ModelContainerProps } from './model-container';
import { memoryBytes, memoryQuantity } from './quantities';
import { RenderedProbes } from './render-probes';
import { check, checkDnsName, checkInteger, propError } from '../errors';

const INSTANCE_TYPE_LABEL = 'node.kubernetes.io/instance-type';

const DEFAULT_GPU_RESOURCE = 'nvidia.com/gpu';

/** The taint key GPU node pools use for a given resource. */
function gpuTaintKey(gpu: GpuRequest): string {
  if (gpu.taintKey) return gpu.taintKey;
  const resource = gpu.resourceName ?? DEFAULT_GPU_RESOURCE;
  if (resource.startsWith('nvidia.com/')) return 'nvidia.com/gpu';
  if (resource.startsWith('amd.com/')) return 'amd.com/gpu';
  return resource;
}

/**
 * The labels that select a workload's pods: given ones, or `{ app: <name> }` (a stable generated
 * name when there is none).
 */
export function resolveSelectorLabels(scope: IConstruct, selectorLabels: { [key: string]: string } | undefined,
  name: string | undefined): { [key: string]: string } {
  const labels = selectorLabels ?? { app: name ?? Names.toLabelValue(scope) };
  check(Object.keys(labels).length > 0, scope, 'selectorLabels', labels, 'must not be empty',
    'give at least one label, e.g. { app: "ml-inference" }');
  return labels;
}

export interface PodRenderOptions {
  /** Container name when props don't give one. */
  readonly defaultContainerName: string;
  /** Labels every pod carries (the selector labels). */
  readonly selectorLabels: { [key: string]: string };
  readonly ports?: k8s.ContainerPort[];
  readonly probes?: RenderedProbes;
  readonly annotations?: { [key: string]: string };
  readonly terminationGracePeriodSeconds?: number;
  readonly preStopCommand?: string[];
  readonly restartPolicy?: string;
}

/** What the rendering learned that autoscaling checks need. */
export interface RenderedPod {
  readonly template: k8s.PodTemplateSpec;
  readonly containerName: string;
  /** Resources the container requests (cpu, memory, GPU resource names). */
  readonly requested: Set<string>;
  readonly gpuCount: number;
  readonly gpuResource?: string;
}

/** CPU amounts parsed so far: a fleet repeats the same few ("500m", "2000m"). */
const parsedCpu = new Map<string, number>();

const cpuMillis = (cpu: Cpu): number => {
  const amount = cpu.amount;
  let millis = parsedCpu.get(amount);
  if (millis === undefined) {
    const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(amount);
    millis = !m ? NaN : m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
    if (parsedCpu.size < 10_000) parsedCpu.set(amount, millis);
  }
  return millis;
};

/** Validates the shared container props and renders the pod template. */
export function renderModelPod(scope: IConstruct, props: ModelContainerProps, opts: PodRenderOptions): RenderedPod {
  check(typeof props.image === 'string' && props.image.trim().length > 0, scope, 'image', props.image,
    'must name a container image', 'set image, e.g. "your-registry/ml-inference:v1.0"');
  const containerName = props.containerName ?? opts.defaultContainerName;
  checkDnsName(scope, 'containerName', containerName, 'label');

  const requests: { [key: string]: k8s.Quantity } = {};
  const limits: { [key: string]: k8s.Quantity } = {};
  const q = quantity;
  const { cpuRequest, cpuLimit, memoryRequest, memoryLimit } = props;
  const requestMillis = cpuRequest ? cpuMillis(cpuRequest) : 0;
  const limitMillis = cpuLimit ? cpuMillis(cpuLimit) : 0;
  const requestBytes = memoryRequest ? memoryBytes(memoryRequest) : 0;
  const limitBytes = memoryLimit ? memoryBytes(memoryLimit) : 0;
  // messages are built only on failure: this runs for every instance of a fleet
  if (cpuRequest && !(requestMillis > 0)) throw propError(scope, 'cpuRequest', cpuRequest.amount, 'must be more than 0 CPU', 'use Cpu.millis(n) with n >= 1');
  if (cpuLimit && !(limitMillis > 0)) throw propError(scope, 'cpuLimit', cpuLimit.amount, 'must be more than 0 CPU', 'use Cpu.millis(n) with n >= 1');
  if (memoryRequest && !(requestBytes > 0)) {
    throw propError(scope, 'memoryRequest', memoryQuantity(memoryRequest), 'must be more than 0 bytes', 'use Size.gibibytes(n) with n > 0');
  }
  if (memoryLimit && !(limitBytes > 0)) {
    throw propError(scope, 'memoryLimit', memoryQuantity(memoryLimit), 'must be more than 0 bytes', 'use Size.gibibytes(n) with n > 0');
  }
  if (cpuRequest && cpuLimit && !(limitMillis >= requestMillis)) {
    throw propError(scope, 'cpuLimit', cpuLimit.amount,
      `is below cpuRequest (${cpuRequest.amount}); the API server rejects it`, 'raise cpuLimit to at least cpuRequest');
  }
  if (memoryRequest && memoryLimit && !(limitBytes >= requestBytes)) {
    throw propError(scope, 'memoryLimit', memoryQuantity(memoryLimit),
      `is below memoryRequest (${memoryQuantity(memoryRequest)}); the API server rejects it`, 'raise memoryLimit to at least memoryRequest');
  }
  if (props.cpuRequest) requests.cpu = q(props.cpuRequest.amount);
  if (props.cpuLimit) limits.cpu = q(props.cpuLimit.amount);
  if (props.memoryRequest) requests.memory = q(memoryQuantity(props.memoryRequest));
  if (props.memoryLimit) limits.memory = q(memoryQuantity(props.memoryLimit));

  const requested = new Set(Object.keys(requests));
  const tolerations: k8s.Toleration[] = [];
  let gpuResource: string | undefined;
  const gpu = props.gpu;
  if (gpu) {
    checkInteger(scope, 'gpu.count', gpu.count, 1, Number.MAX_SAFE_INTEGER,
      'set gpu.count to a whole number of GPUs >= 1 (for a fraction of a GPU use a MIG profile as gpu.resourceName, e.g. "nvidia.com/mig-1g.10gb")');
    gpuResource = gpu.resourceName ?? DEFAULT_GPU_RESOURCE;
    check(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(gpuResource), scope,
      'gpu.resourceName', gpuResource, 'is not an extended resource name of the form domain/name',
      'use e.g. "nvidia.com/gpu", "amd.com/gpu" or "nvidia.com/mig-1g.10gb"');
    // Extended resources cannot be overcommitted: Kubernetes requires requests == limits.
    requests[gpuResource] = q(String(gpu.count));
    limits[gpuResource] = q(String(gpu.count));
    requested.add(gpuResource);
    if (gpu.tolerateTaint ?? true) tolerations.push({ key: gpuTaintKey(gpu), operator: 'Exists', effect: 'NoSchedule' });
  }

  const placement = props.placement ?? {};
  const extraTolerations = placement.tolerations ?? [];
  for (let i = 0; i < extraTolerations.length; i++) {
    const t = extraTolerations[i];
    if (!(!!t.key)) throw propError(scope, `placement.tolerations[${i}].key`, t.key, 'must name the taint key', 'set key, e.g. "nvidia.com/gpu"');
    tolerations.push({ key: t.key, operator: t.value === undefined ? 'Exists' : 'Equal', value: t.value, effect: t.effect });
  }
  const required = placement.requiredInstanceTypes ?? [];
  const preferred = placement.preferredNodeAffinities ?? [];
  for (let i = 0; i < preferred.length; i++) {
    const p = preferred[i];
    checkInteger(scope, `placement.preferredNodeAffinities[${i}].weight`, p.weight, 1, 100);
    if (!(p.values.length > 0)) {
      throw propError(scope, `placement.preferredNodeAffinities[${i}].values`, p.values,
        'must list at least one value', 'add the accepted label values');
    }
  }
  const nodeAffinity: k8s.NodeAffinity | undefined = required.length + preferred.length === 0 ? undefined : {
    requiredDuringSchedulingIgnoredDuringExecution: required.length === 0 ? undefined : {
      nodeSelectorTerms: [{ matchExpressions: [{ key: INSTANCE_TYPE_LABEL, operator: 'In', values: required.slice() }] }],
    },
    preferredDuringSchedulingIgnoredDuringExecution: preferred.length === 0 ? undefined : preferred.map(p => ({
      weight: p.weight, preference: { matchExpressions: [{ key: p.key, operator: 'In', values: p.values.slice() }] },
    })),
  };

  const env: k8s.EnvVar[] = [];
  if (props.modelPath !== undefined) env.push({ name: props.modelPathEnvName ?? 'MODEL_PATH', value: props.modelPath });
  const literalEnv = props.env ?? {};
  for (const name in literalEnv) env.push({ name, value: literalEnv[name] });
  for (const s of props.secretEnv ?? []) {
    env.push({ name: s.name, valueFrom: { secretKeyRef: { name: s.secretName, key: s.key } } });
  }
  const names = env.map(e => e.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (!(dup === undefined)) {
    throw propError(scope, 'env', dup,
      'is defined twice', 'define each environment variable once (MODEL_PATH comes from modelPath)');
  }

  const security = props.security ?? {};
  const container: k8s.Container = {
    name: containerName,
    image: props.image,
    command: props.command?.slice(),
    args: props.args?.slice(),
    ports: opts.ports,
    env: env.length > 0 ? env : undefined,
    resources: Object.keys(requests).length + Object.keys(limits).length === 0 ? undefined : {
      requests: Object.keys(requests).length > 0 ? requests : undefined,
      limits: Object.keys(limits).length > 0 ? limits : undefined,
    },
    startupProbe: opts.probes?.startupProbe,
    readinessProbe: opts.probes?.readinessProbe,
    livenessProbe: opts.probes?.livenessProbe,
    lifecycle: opts.preStopCommand ? { preStop: { exec: { command: opts.preStopCommand } } } : undefined,
    securityContext: {
      allowPrivilegeEscalation: false,
      runAsNonRoot: security.runAsNonRoot,
      runAsUser: security.runAsUser,
      readOnlyRootFilesystem: security.readOnlyRootFilesystem,
    },
  };

  const annotations = { ...(props.podAnnotations ?? {}), ...(opts.annotations ?? {}) };
  const template: k8s.PodTemplateSpec = {
    metadata: {
      labels: { ...(props.podLabels ?? {}), ...opts.selectorLabels },
      annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
    },
    spec: {
      containers: [container],
      serviceAccountName: props.serviceAccountName,
      nodeSelector: placement.nodeSelector && Object.keys(placement.nodeSelector).length > 0 ? { ...placement.nodeSelector } : undefined,
      affinity: nodeAffinity ? { nodeAffinity } : undefined,
      tolerations: tolerations.length > 0 ? tolerations : undefined,
      terminationGracePeriodSeconds: opts.terminationGracePeriodSeconds,
      restartPolicy: opts.restartPolicy,
    },
  };
  return { template, containerName, requested, gpuCount: gpu?.count ?? 0, gpuResource };
}
