import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, JsonPatch, Lazy, ResolutionContext, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { HybridHpaChart, HybridKedaChart } from '../../examples/hybrid';
import { ArticleInferenceChart } from '../../examples/inference';
import { ArticleBatchProcessorChart, ArticleTrainingWorkerChart, TrainingJobsChart } from '../../examples/queue-workers';
import { ScaledJob, ScaledObject } from '../../imports/keda.sh';
import {
  GpuInferenceService, Guardrails, KedaAuthentication, Metric, MetricTarget, QueueBatchWorker, Trigger, WorkerMode,
} from '../../src';
import { SCALED_JOB_GVK } from '../../src/keda/render-scaled-job';
import { SCALED_OBJECT_GVK } from '../../src/keda/render-scaled-object';
import { kubeObject, releaseSynthJson, serializeForSynth } from '../../src/workload/kube-object';
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
    new QueueBatchWorker(this, 'Consumer', { ...pod, name: 'consumer', maxReplicas: 5, maxProcessingTime: Duration.minutes(5), triggers });
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

function ourObjects(chart: Chart): ApiObject[] {
  return chart.node.findAll().filter(c => ApiObject.isApiObject(c) && c.constructor.name === 'RenderedObject') as ApiObject[];
}

describe.each(CHARTS)('objects rendered as plain JSON: %s', (_name, make) => {
  const chart = make(Testing.app());
  const manifests = validateAll(Testing.synth(chart));

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

  test('the one-walk serialization equals ApiObject.toJson(), key order included', () => {
    const objects = ourObjects(chart);
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) {
      expect(JSON.stringify(o.toJson())).toEqual(JSON.stringify(ApiObject.prototype.toJson.call(o)));
    }
  });
});

test('the KEDA kinds rendered as plain objects keep the bindings\' apiVersion and kind', () => {
  expect(SCALED_OBJECT_GVK).toEqual(ScaledObject.GVK);
  expect(SCALED_JOB_GVK).toEqual(ScaledJob.GVK);
});

describe('one-walk serialization', () => {
  function deployment(chart: Chart, spec: any) {
    return kubeObject(chart, 'D', { apiVersion: 'apps/v1', kind: 'Deployment' }, { metadata: { name: 'd' }, spec });
  }
  const same = (o: ApiObject) => expect(JSON.stringify(o.toJson())).toEqual(JSON.stringify(ApiObject.prototype.toJson.call(o)));

  test('applies JSON patches, Lazy values (also ones producing nothing) and implicit tokens like ApiObject', () => {
    const chart = Testing.chart();
    const o = deployment(chart, {
      b: Lazy.any({ produce: () => ({ z: 1, a: [Lazy.any({ produce: () => 'x' }), null] }) }),
      gone: Lazy.any({ produce: () => undefined }),
      token: { resolve: () => 42 },
      a: { empty: {}, list: [] },
    });
    o.addJsonPatch(JsonPatch.add('/spec/patched', true));
    o.metadata.addLabel('l', 'v');
    same(o);
    expect(o.toJson().spec).toEqual({ a: { empty: {}, list: [] }, b: { a: ['x', undefined], z: 1 }, patched: true, token: 42 });
  });

  test('renders metadata like ApiObjectMetadataDefinition.toJson() (empty parts left out, extra fields kept)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'ns', labels: { chart: 'yes' } });
    const o = kubeObject(chart, 'D', { apiVersion: 'apps/v1', kind: 'Deployment' }, {
      metadata: { name: 'd', annotations: {}, labels: { a: '1' } }, spec: {},
    });
    o.metadata.addFinalizers('example.com/f');
    o.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '1' });
    o.metadata.add('generateName', 'd-');
    o.metadata.add('emptyList', []);
    o.metadata.add('lazy', Lazy.any({ produce: () => ({ nested: {}, kept: 'x' }) }));
    same(o);
    expect(o.toJson().metadata).toEqual({
      name: 'd',
      namespace: 'ns',
      labels: { a: '1', chart: 'yes' },
      finalizers: ['example.com/f'],
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '1' }],
      generateName: 'd-',
      lazy: { kept: 'x' },
    });
    expect(o.toJson().spec).toEqual({});
  });

  test('keeps insertion order when CDK8S_DISABLE_SORT is set', () => {
    const chart = Testing.chart();
    const o = deployment(chart, { z: 1, a: 2 });
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      same(o);
      expect(Object.keys(o.toJson().spec)).toEqual(['z', 'a']);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });

  test('leaves apps with their own resolvers, and values it does not know, to ApiObject.toJson()', () => {
    const app = new App({ resolvers: [{ resolve: (c: ResolutionContext) => { if (c.value === 'replace-me') c.replaceValue('replaced'); } }] });
    const o = deployment(new Chart(app, 'c'), { image: 'replace-me' });
    expect(o.toJson().spec.image).toEqual('replaced');
    const p = deployment(Testing.chart(), { when: new Date(0) });
    expect(() => p.toJson()).toThrow(/can't render non-simple object of type 'Date'/);
  });

  test('wraps errors like ApiObject.toJson()', () => {
    const o = deployment(Testing.chart(), { x: Lazy.any({ produce: () => { throw new Error('boom'); } }) });
    expect(() => o.toJson()).toThrow(/Failed serializing construct at path 'test\/D' with name 'd': Error: boom/);
  });
});

function smallService(chart: Chart, name: string): GpuInferenceService {
  return new GpuInferenceService(chart, 'Svc', {
    name,
    image: 'registry/model:v1',
    cpuRequest: Cpu.millis(1000),
    memoryRequest: Size.gibibytes(4),
    maxReplicas: 4,
    metrics: [Metric.cpuUtilization(70)],
  });
}

describe('JSON serialized for the synth-time guardrails is reused once by the same synth', () => {
  test('a held JSON is returned once, then objects serialize afresh', () => {
    const o = kubeObject(Testing.chart(), 'D', { apiVersion: 'v1', kind: 'ConfigMap' }, { metadata: { name: 'd' }, data: { a: '1' } });
    const held = serializeForSynth(o, true);
    expect(o.toJson()).toBe(held);
    const next = o.toJson();
    expect(next).not.toBe(held);
    expect(next).toEqual(held);
  });

  test('releaseSynthJson and the next microtask drop what no synth used', async () => {
    const o = kubeObject(Testing.chart(), 'D', { apiVersion: 'v1', kind: 'ConfigMap' }, { metadata: { name: 'd' }, data: { a: '1' } });
    const held = serializeForSynth(o, true);
    releaseSynthJson();
    expect(o.toJson()).not.toBe(held);
    const again = serializeForSynth(o, true);
    await Promise.resolve();
    expect(o.toJson()).not.toBe(again);
  });

  test('changes made between synths (same tick) show in the next synth and in toJson()', () => {
    const chart = Testing.chart();
    const svc = smallService(chart, 'svc');
    const first = Testing.synth(chart);
    expect(first.find(m => m.kind === 'Deployment').metadata.labels?.patched).toBeUndefined();
    svc.deployment.metadata.addLabel('patched', 'yes');
    svc.addMetric(Metric.memoryUtilization(80));
    expect(svc.deployment.toJson().metadata.labels.patched).toEqual('yes');
    const second = Testing.synth(chart);
    expect(second.find(m => m.kind === 'Deployment').metadata.labels.patched).toEqual('yes');
    expect(second.find(m => m.kind === 'HorizontalPodAutoscaler').spec.metrics).toHaveLength(2);
  });

  test('in an app of several charts, chart.toJson() of one holds nothing for the others', () => {
    const app = Testing.app();
    const a = smallService(new Chart(app, 'a'), 'a');
    const b = smallService(new Chart(app, 'b'), 'b');
    Testing.synth(Chart.of(a));
    b.deployment.metadata.addLabel('changed', 'yes');
    expect(b.deployment.toJson().metadata.labels.changed).toEqual('yes');
  });

  test('app.synthYaml() serializes each of our objects once', () => {
    const app = Testing.app();
    for (const id of ['a', 'b']) smallService(new Chart(app, id), id);
    // each HPA's metrics are a Lazy, produced once per serialization of the HPA
    const spy = jest.spyOn(Metric.prototype, '_toKube');
    const yaml = app.synthYaml();
    expect(yaml).toContain('kind: HorizontalPodAutoscaler');
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
  });
});
