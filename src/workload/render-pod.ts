import { Names } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { GpuRequest } from './gpu';
import { quantity } from './kube-object';
import { ModelContainerProps } from './model-container';
import { memoryBytes, memoryQuantity } from './quantities';
import { RenderedProbes } from './render-probes';
import { check, propError } from '../errors';
import { labelValueProblem } from '../validate/formats';

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
  if (selectorLabels === undefined && name !== undefined) {
    const problem = labelValueProblem(name);
    if (problem !== undefined) {
      throw propError(scope, 'name', name, `${problem}; without selectorLabels the name is also the pods' label value (app: <name>)`,
        'shorten name to at most 63 characters, or set selectorLabels');
    }
  }
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
  /**
   * Pod annotations the construct controls, by the prop that sets them (e.g. the model load time
   * annotation by `modelLoadTime`): `podAnnotations` may not set them to another value.
   */
  readonly annotationProps?: { [key: string]: string };
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

/**
 * Renders the pod template from props already checked against `MODEL_CONTAINER_SHAPE`; checks the
 * relations between props (limits below requests, settings another prop overrides or ignores).
 */
export function renderModelPod(scope: IConstruct, props: ModelContainerProps, opts: PodRenderOptions): RenderedPod {
  const containerName = props.containerName ?? opts.defaultContainerName;
  checkIgnoredSettings(scope, props);
  checkOverriddenMetadata(scope, props, opts);

  const requests: { [key: string]: k8s.Quantity } = {};
  const limits: { [key: string]: k8s.Quantity } = {};
  const q = quantity;
  const { cpuRequest, cpuLimit, memoryRequest, memoryLimit } = props;
  if (cpuRequest && cpuLimit && !(cpuMillis(cpuLimit) >= cpuMillis(cpuRequest))) {
    throw propError(scope, 'cpuLimit', cpuLimit.amount,
      `is below cpuRequest (${cpuRequest.amount}); the API server rejects it`, 'raise cpuLimit to at least cpuRequest');
  }
  if (memoryRequest && memoryLimit && !(memoryBytes(memoryLimit) >= memoryBytes(memoryRequest))) {
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
    gpuResource = gpu.resourceName ?? DEFAULT_GPU_RESOURCE;
    // Extended resources cannot be overcommitted: Kubernetes requires requests == limits.
    requests[gpuResource] = q(String(gpu.count));
    limits[gpuResource] = q(String(gpu.count));
    requested.add(gpuResource);
    if (gpu.tolerateTaint ?? true) tolerations.push({ key: gpuTaintKey(gpu), operator: 'Exists', effect: 'NoSchedule' });
  }

  const placement = props.placement ?? {};
  const extraTolerations = placement.tolerations ?? [];
  for (const t of extraTolerations) {
    tolerations.push({ key: t.key, operator: t.value === undefined ? 'Exists' : 'Equal', value: t.value, effect: t.effect });
  }
  const required = placement.requiredInstanceTypes ?? [];
  const preferred = placement.preferredNodeAffinities ?? [];
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

/** Settings that would silently do nothing, and contradictions the kubelet only reports at pod start. */
function checkIgnoredSettings(scope: IConstruct, props: ModelContainerProps): void {
  if (props.modelPathEnvName !== undefined && props.modelPath === undefined) {
    throw propError(scope, 'modelPathEnvName', props.modelPathEnvName, 'names the variable that carries modelPath, but modelPath is not set',
      'set modelPath, or remove modelPathEnvName');
  }
  const gpu = props.gpu;
  if (gpu?.taintKey !== undefined && gpu.tolerateTaint === false) {
    throw propError(scope, 'gpu.taintKey', gpu.taintKey, 'is only used for the GPU taint toleration, which tolerateTaint: false turns off',
      'remove taintKey, or remove tolerateTaint: false');
  }
  const security = props.security;
  if (security?.runAsNonRoot === true && security.runAsUser === 0) {
    throw propError(scope, 'security.runAsUser', 0, 'is root, but runAsNonRoot is true: the kubelet refuses to start the container',
      'set runAsUser to a non-zero user ID, or remove runAsNonRoot');
  }
}

/** podLabels and podAnnotations that the selector labels or the construct's own annotations would overwrite. */
function checkOverriddenMetadata(scope: IConstruct, props: ModelContainerProps, opts: PodRenderOptions): void {
  const podLabels = props.podLabels ?? {};
  for (const key of Object.keys(podLabels)) {
    const selector = opts.selectorLabels[key];
    if (selector !== undefined && selector !== podLabels[key]) {
      throw propError(scope, `podLabels[${JSON.stringify(key)}]`, podLabels[key],
        `would be overwritten by the selector label ${key}=${JSON.stringify(selector)} (the pods must carry their selector labels)`,
        `remove ${key} from podLabels, or change the selector with selectorLabels`);
    }
  }
  const podAnnotations = props.podAnnotations ?? {};
  const written = opts.annotations ?? {};
  const owners = opts.annotationProps ?? {};
  for (const key of Object.keys(podAnnotations)) {
    const prop = owners[key];
    if (prop !== undefined && written[key] !== podAnnotations[key]) {
      throw propError(scope, `podAnnotations[${JSON.stringify(key)}]`, podAnnotations[key],
        `is written by the construct from ${prop}${written[key] === undefined ? '' : ` (as ${JSON.stringify(written[key])})`}, so this value would be ${written[key] === undefined ? 'out of step with it' : 'overwritten'}`,
        `set ${prop} instead, and remove ${key} from podAnnotations`);
    }
  }
}
