import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { HybridHpaChart, HybridKedaChart } from '../../examples/hybrid';
import { ArticleInferenceChart } from '../../examples/inference';
import { ArticleBatchProcessorChart, ArticleTrainingWorkerChart, TrainingJobsChart } from '../../examples/queue-workers';
import { ScaleToZeroInferenceChart } from '../../examples/scale-to-zero';
import { ScaledJob, ScaledObject } from '../../imports/keda.sh';
import {
  GpuInferenceService, Guardrails, KedaAuthentication, KubernetesTarget, Metric, MetricTarget, QueueBatchWorker, Trigger, WorkerMode,
} from '../../src';
import { SCALED_JOB_GVK } from '../../src/keda/render-scaled-job';
import { SCALED_OBJECT_GVK } from '../../src/keda/render-scaled-object';
import { validateAll } from '../validate';

/** Every construct option that reaches the pod template, the Service, the PDB and the HPA. */
class KitchenSinkChart extends Chart {
  constructor(scope: App, id: string) {
    super(scope, id, { namespace: 'ml', labels: { team: 'ml' } });
    const pod = {
      image: 'registry/model:v1',
      containerName: 'model',
      command: ['python', '-m', 'serve'],
      args: ['--port', '8080'],
      env: { LOG_LEVEL: 'info' },
      secretEnv: [{ name: 'HF_TOKEN', secretName: 'hf', key: 'token' }],
      modelPath: '/models/m',
      cpuRequest: Cpu.millis(2000),
      cpuLimit: Cpu.millis(4000),
      memoryRequest: Size.gibibytes(8),
      memoryLimit: Size.gibibytes(16),
      gpu: { count: 1, resourceName: 'nvidia.com/gpu' },
      placement: {
        nodeSelector: { 'nvidia.com/gpu.product': 'A10G' },
        requiredInstanceTypes: ['g5.xlarge', 'g5.2xlarge'],
        preferredNodeAffinities: [{ weight: 50, key: 'karpenter.sh/capacity-type', values: ['on-demand'] }],
        tolerations: [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }],
      },
      security: { runAsNonRoot: true, runAsUser: 1000, readOnlyRootFilesystem: true },
      serviceAccountName: 'model',
      podLabels: { tier: 'gpu' },
      podAnnotations: { 'example.com/owner': 'ml' },
    };
    new GpuInferenceService(this, 'Svc', {
      ...pod,
      name: 'svc',
      metricsPort: 8000,
      modelLoadTime: Duration.seconds(90),
      disruptionBudget: { minAvailable: 1 },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        Metric.cpuUtilization(70),
        Metric.memoryUtilization(80),
        Metric.pods({ name: 'queue_depth', target: MetricTarget.averageValue(30) }),
        Metric.external({ name: 'queue_messages', selector: { matchLabels: { queue: 'jobs' } }, target: MetricTarget.value(100) }),
      ],
    });
    const triggers = [Trigger.rabbitmq({
      queueName: 'jobs', value: 10, authentication: KedaAuthentication.fromTriggerAuthenticationName('rabbitmq-auth'),
    })];
    new QueueBatchWorker(this, 'Consumer', {
      ...pod, name: 'consumer', maxReplicas: 5, maxProcessingTime: Duration.minutes(5), triggers, behavior: { scaleDown: { tolerance: 0.05 } },
    });
    new QueueBatchWorker(this, 'Jobs', {
      ...pod, name: 'jobs', mode: WorkerMode.JOB, maxReplicas: 5, maxProcessingTime: Duration.minutes(30), triggers,
    });
  }
}

const CHARTS: Array<[string, (app: App) => Chart]> = [
  ['kitchen-sink', app => new KitchenSinkChart(app, 'kitchen-sink')],
  ['ml-inference', app => new ArticleInferenceChart(app, 'ml-inference')],
  ['ml-batch-processor', app => new ArticleBatchProcessorChart(app, 'ml-batch-processor')],
  ['ml-training-worker', app => new ArticleTrainingWorkerChart(app, 'ml-training-worker')],
  ['ml-training-jobs', app => new TrainingJobsChart(app, 'ml-training-jobs')],
  ['hybrid-ml-hpa-mode', app => new HybridHpaChart(app, 'hybrid-ml-hpa-mode')],
  ['hybrid-ml-keda-mode', app => new HybridKedaChart(app, 'hybrid-ml-keda-mode')],
  ['ml-inference-scale-to-zero', app => new ScaleToZeroInferenceChart(app, 'ml-inference-scale-to-zero')],
];

/**
 * Field names the generated bindings rename on the way to JSON (`hostIpc` -> `hostIPC`, ...), read
 * from the generated converters: props written with the bindings' names and rendered without their
 * converters (kubeObject) would carry the TypeScript name into the manifest.
 */
function renamedFields(): Set<string> {
  const sources = [
    require.resolve('cdk8s-plus-28/lib/imports/k8s.js'),
    path.join(__dirname, '..', '..', 'imports', 'keda.sh.ts'),
  ];
  const names = new Set<string>();
  for (const file of sources) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/'([^']+)': obj\.(\w+)/g)) {
      if (m[1] !== m[2]) names.add(m[2]);
    }
  }
  return names;
}

const FREE_FORM_MAPS = new Set(['labels', 'annotations', 'matchLabels', 'nodeSelector', 'requests', 'limits']);

/** Field names at every object level, except the keys of free-form maps (labels, annotations, ...). */
function fieldNames(value: any, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) fieldNames(v, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      if (!FREE_FORM_MAPS.has(k)) fieldNames(v, out);
    }
  }
  return out;
}

describe.each(CHARTS)('objects rendered as plain JSON: %s', (_name, make) => {
  const chart = make(Testing.app());
  const manifests = validateAll(Testing.synth(chart), KubernetesTarget.of(chart));

  test('no field carries a name the bindings would have renamed', () => {
    const renamed = renamedFields();
    expect(renamed.has('hostIpc')).toBe(true); // the extraction works
    const used = fieldNames(manifests);
    expect([...used].filter(k => renamed.has(k))).toEqual([]);
  });

  test('no value is a binding class instance (Quantity, IntOrString, ...)', () => {
    // cdk8s renders a union instance that reaches a plain ApiObject as { value: ... }
    expect(JSON.stringify(manifests)).not.toMatch(/"value":\{"value"|:\{"value":("[^"]*"|\d+)\}/);
  });

  test('the guardrails never modify the objects they check (that JSON becomes the synth output)', () => {
    const deepFreeze = (v: any): any => {
      if (v && typeof v === 'object' && !Object.isFrozen(v)) {
        Object.freeze(v);
        Object.values(v).forEach(deepFreeze);
      }
      return v;
    };
    const frozen = deepFreeze(JSON.parse(JSON.stringify(manifests)));
    // a rule that throws (here: assigning to a frozen object) is reported as a finding, not thrown
    const findings = Guardrails.check(frozen, { includeSuppressed: true, gpuBudget: 1 });
    expect(findings.filter(f => f.message.includes('could not evaluate'))).toEqual([]);
    expect(frozen).toEqual(manifests);
  });

});

test('the KEDA kinds rendered as plain objects keep the bindings\' apiVersion and kind', () => {
  expect(SCALED_OBJECT_GVK).toEqual(ScaledObject.GVK);
  expect(SCALED_JOB_GVK).toEqual(ScaledJob.GVK);
});
