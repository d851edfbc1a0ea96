/**
 * What `cdk8s synth` writes is exactly what the app declares, whatever path synthesizes it, and the
 * synth-time guardrails check the objects as they are when they run, without changing the output.
 * Every scenario runs with real and with fake timers (jest's fake timers replace queueMicrotask).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, Lazy, Size, Testing, YamlOutputType } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  GpuInferenceService, Guardrails, HybridMlService, HybridScalingMode, Metric, MetricTarget, Trigger,
} from '../../src';
import { parseYamlText } from '../../src/guardrails/yaml-text';
import { findOne, validateAll } from '../validate';

const VERSION = 'app.kubernetes.io/version';

function service(chart: Construct, id: string, metrics: Metric[] = [Metric.cpuUtilization(70)]): GpuInferenceService {
  return new GpuInferenceService(chart, id, {
    name: id.toLowerCase(),
    image: 'registry/model:v1',
    cpuRequest: Cpu.millis(1000),
    memoryRequest: Size.gibibytes(2),
    gpu: { count: 1 },
    placement: { requiredInstanceTypes: ['g5.xlarge'] },
    modelLoadTime: Duration.seconds(60),
    maxReplicas: 4,
    metrics,
  });
}

/** A user's validation that stamps a label on every API object of the chart (as release tooling does). */
function stampVersion(on: Construct, chart: Chart, version: string): void {
  on.node.addValidation({
    validate: () => {
      for (const c of chart.node.findAll()) if (ApiObject.isApiObject(c)) c.metadata.addLabel(VERSION, version);
      return [];
    },
  });
}

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ml-synth-'));
}

function readYamlDir(dir: string): any[] {
  const out: any[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...readYamlDir(p));
    else if (p.endsWith('.k8s.yaml')) out.push(...parseYamlText(fs.readFileSync(p, 'utf8')).filter(Boolean));
  }
  return out;
}

describe.each(['real', 'fake'])('with %s timers', (timers) => {
  beforeEach(() => {
    if (timers === 'fake') jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  describe('a user validation that changes our objects is in the output', () => {
    function build(onConstruct: boolean) {
      const app = Testing.app();
      const chart = new Chart(app, 'inference');
      const svc = service(chart, 'Svc');
      const plain = new ApiObject(chart, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
      stampVersion(onConstruct ? svc : chart, chart, '1.2.3');
      return { app, chart, svc, plain };
    }
    const stamped = (objects: any[]) => {
      expect(objects.length).toBe(5); // Deployment, Service, PDB, HPA, ConfigMap
      for (const o of objects) expect(`${o.kind}: ${o.metadata.labels?.[VERSION]}`).toBe(`${o.kind}: 1.2.3`);
    };

    test.each([['the chart', false], ['one of our constructs', true]])('validation on %s: app.synthYaml()', (_on, onConstruct) => {
      stamped(validateAll(parseYamlText(build(onConstruct).app.synthYaml())).filter(Boolean));
    });

    test.each([['the chart', false], ['one of our constructs', true]])('validation on %s: Testing.synth', (_on, onConstruct) => {
      stamped(validateAll(Testing.synth(build(onConstruct).chart)));
    });

    test.each([
      ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART],
      ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
      ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
      ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
    ])('app.synth() with %s', (_name, yamlOutputType) => {
      const outdir = tmpdir();
      const app = new App({ outdir, yamlOutputType });
      const chart = new Chart(app, 'inference');
      service(chart, 'Svc');
      new ApiObject(chart, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
      stampVersion(chart, chart, '1.2.3');
      app.synth();
      stamped(readYamlDir(outdir));
    });

    test('a checksum computed by a validation from our Deployment lands on it', () => {
      const { chart, svc } = build(false);
      svc.node.addValidation({
        validate: () => {
          const spec = JSON.stringify(svc.deployment.toJson().spec);
          svc.deployment.metadata.addAnnotation('checksum/spec', String(spec.length));
          return [];
        },
      });
      const d = findOne(Testing.synth(chart), 'Deployment');
      expect(d.metadata.annotations['checksum/spec']).toMatch(/^\d+$/);
    });
  });

  describe('a synth that failed leaves nothing behind', () => {
    test('fixing the construct in the same tick shows in toJson() and the next synth', () => {
      const chart = Testing.chart();
      const svc = service(chart, 'Svc', []);
      expect(() => Testing.synth(chart)).toThrow(/metrics/);
      svc.addMetric(Metric.pods({ name: 'queue_depth', target: MetricTarget.averageValue(10) }));
      svc.deployment.metadata.addLabel('fixed', 'yes');
      expect(svc.deployment.toJson().metadata.labels.fixed).toBe('yes');
      const hpa = svc.hpa.toJson();
      expect(hpa.spec.metrics).toHaveLength(1);
      const m = Testing.synth(chart);
      expect(findOne(m, 'Deployment').metadata.labels.fixed).toBe('yes');
      expect(findOne(m, 'HorizontalPodAutoscaler').spec.metrics[0].pods.metric.name).toBe('queue_depth');
    });

    test('after awaiting, toJson() still reflects every change', async () => {
      const chart = Testing.chart();
      const svc = service(chart, 'Svc');
      Testing.synth(chart);
      svc.deployment.metadata.addLabel('later', 'yes');
      await Promise.resolve();
      expect(svc.deployment.toJson().metadata.labels.later).toBe('yes');
      expect(findOne(Testing.synth(chart), 'Deployment').metadata.labels.later).toBe('yes');
    });

    test('each toJson() of our objects returns a fresh object (editing one copy changes nothing else)', () => {
      const chart = Testing.chart();
      const svc = service(chart, 'Svc');
      const a = svc.deployment.toJson();
      a.metadata.name = 'edited';
      expect(svc.deployment.toJson().metadata.name).toBe('svc');
      expect(findOne(Testing.synth(chart), 'Deployment', 'svc')).toBeDefined();
    });
  });

  test('a Lazy that edits the result of svc.deployment.toJson() corrupts neither the guardrails nor the output', () => {
    const chart = Testing.chart();
    const svc = service(chart, 'Svc');
    new ApiObject(chart, 'Cm', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'summary' },
      data: Lazy.any({
        produce: () => {
          const d = svc.deployment.toJson();
          const image = d.spec.template.spec.containers[0].image;
          delete d.spec.template.spec.containers[0].resources; // would trip ML-E-METRIC-WITHOUT-REQUEST if shared
          return { image };
        },
      }),
    });
    const m = validateAll(Testing.synth(chart));
    expect(findOne(m, 'ConfigMap').data.image).toBe('registry/model:v1');
    expect(findOne(m, 'Deployment').spec.template.spec.containers[0].resources.requests.cpu).toBe('1000m');
  });

  describe('the guardrails run whatever path synthesizes the app', () => {
    function conflicting(app: App): Chart {
      const chart = new Chart(app, 'c');
      const svc = service(chart, 'Svc');
      // a second autoscaler on the same Deployment
      new ApiObject(chart, 'Extra', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'extra' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.deployment.name },
          minReplicas: 1,
          maxReplicas: 2,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
        },
      });
      return chart;
    }

    test('an App subclass whose synth() calls chart.toJson()', () => {
      class JsonApp extends App {
        public synth(): void {
          for (const chart of this.charts) chart.toJson();
        }
      }
      const app = new JsonApp({ outdir: tmpdir() });
      conflicting(app);
      expect(() => app.synth()).toThrow(/ML-E-TWO-AUTOSCALERS/);
    });

    test('a class with a synth() method that calls Testing.synth(chart)', () => {
      class PipelineApp {
        public constructor(private readonly chart: Chart) {}
        public synth(): any[] {
          return Testing.synth(this.chart);
        }
      }
      expect(() => new PipelineApp(conflicting(Testing.app())).synth()).toThrow(/ML-E-TWO-AUTOSCALERS/);
    });

    test.each([
      ['app.synthYaml()', (app: App) => app.synthYaml()],
      ['app.synth()', (app: App) => app.synth()],
      ['chart.toJson()', (app: App) => (app.node.findChild('c') as Chart).toJson()],
    ])('%s', (_name, run) => {
      const app = new App({ outdir: tmpdir() });
      conflicting(app);
      expect(() => run(app)).toThrow(/ML-E-TWO-AUTOSCALERS/);
    });
  });

  test('our objects are cdk8s ApiObjects serialized by cdk8s itself', () => {
    const svc = service(Testing.chart(), 'Svc');
    for (const o of [svc.deployment, svc.service, svc.hpa, svc.podDisruptionBudget!]) {
      expect(Object.getPrototypeOf(o)).toBe(ApiObject.prototype);
    }
  });

  test('Lazy values are produced in cdk8s\' order, once per serialization', () => {
    const chart = Testing.chart();
    const svc = service(chart, 'Svc');
    const order: string[] = [];
    const lazy = (name: string) => Lazy.any({ produce: () => { order.push(name); return name; } });
    svc.deployment.metadata.addAnnotation('zz', lazy('zz') as any);
    svc.deployment.metadata.addAnnotation('aa', lazy('aa') as any);
    svc.deployment.toJson();
    const direct = [...order];
    order.length = 0;
    ApiObject.prototype.toJson.call(svc.deployment);
    expect(direct).toEqual(order);
    expect(direct).toHaveLength(2);
  });
});

describe('duplicate objects', () => {
  test('a HybridMlService in HPA mode and one in KEDA mode with the same name fail synth, naming both constructs', () => {
    const chart = Testing.chart();
    const props = {
      name: 'hybrid',
      image: 'registry/hybrid:v1',
      cpuRequest: Cpu.millis(1000),
      memoryRequest: Size.gibibytes(2),
      gpu: { count: 1 },
      placement: { requiredInstanceTypes: ['g5.xlarge'] },
      maxReplicas: 6,
    };
    new HybridMlService(chart, 'Hpa', { ...props, mode: HybridScalingMode.HPA, metrics: [Metric.cpuUtilization(70)] });
    new HybridMlService(chart, 'Keda', {
      ...props,
      mode: HybridScalingMode.KEDA,
      triggers: [Trigger.prometheus({ serverAddress: 'http://prometheus:9090', query: 'sum(up)', threshold: 10 })],
    });
    let message = '';
    try {
      Testing.synth(chart);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/ML-E-DUPLICATE-OBJECT Deployment hybrid/);
    expect(message).toContain('test/Hpa/Resource');
    expect(message).toContain('test/Keda/Resource');
  });

  test('Guardrails.check finds duplicates in any manifests (lint), by API group, kind, namespace and name', () => {
    const cm = (ns: string | undefined, apiVersion = 'v1') => ({ apiVersion, kind: 'ConfigMap', metadata: { name: 'x', namespace: ns } });
    const ids = (objects: any[]) => Guardrails.check(objects).filter(f => f.ruleId === 'ML-E-DUPLICATE-OBJECT');
    expect(ids([cm('a'), cm('a')])).toHaveLength(1);
    expect(ids([cm('a'), cm('b')])).toHaveLength(0);
    expect(ids([cm(undefined), cm(undefined)])).toHaveLength(1);
    const hpa = (v: string) => ({ apiVersion: `autoscaling/${v}`, kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' } });
    expect(ids([hpa('v1'), hpa('v2')])).toHaveLength(1);
  });
});
