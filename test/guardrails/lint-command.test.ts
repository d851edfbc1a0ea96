import * as child from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { cleanManifests, pick } from './manifests';
import { runLintCommand } from '../../src/cli/lint-command';
import { main } from '../../src/cli/main';
import { Guardrails } from '../../src/guardrails/guardrails';

const ARTICLE = path.join(__dirname, 'fixtures', 'article.yaml');

interface Captured {
  readonly out: string[];
  readonly err: string[];
  readonly code: number;
}

function lint(...args: string[]): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const code = runLintCommand(args, { stdout: l => out.push(...l.split('\n')), stderr: l => err.push(l) });
  return { out, err, code };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-test-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, objects: any[]): string {
  const file = path.join(dir, name);
  Yaml.save(file, objects);
  return file;
}

test('a clean set of manifests exits 0 and prints nothing on stdout', () => {
  const r = lint(write('clean.yaml', cleanManifests()));
  expect(r.code).toBe(0);
  expect(r.out).toEqual([]);
  expect(r.err.join('\n')).toContain('0 errors, 0 warnings in 10 objects from 1 file');
});

test('warnings only: one line per finding with rule ID, severity, kind and name, exit 0', () => {
  const r = lint(ARTICLE);
  expect(r.code).toBe(0);
  expect(r.out.length).toBeGreaterThan(3);
  for (const line of r.out) {
    expect(line).toMatch(/^\S+article\.yaml: (error|warning) ML-[EW]-[A-Z0-9-]+ [A-Za-z]+ [a-z0-9.-]+\/[a-z0-9.-]+( at \S+)?: .+ Fix: .+ Check: .+$/);
  }
  expect(r.out.some(l => l.includes('warning ML-W-PDB-BLOCKS-DRAIN PodDisruptionBudget ml-workloads/ml-inference-pdb'))).toBe(true);
  expect(r.out.some(l => l.includes('warning ML-W-PAUSE-ANNOTATION-IGNORED Deployment ml-workloads/hybrid-ml-service'))).toBe(true);
});

const VLLM_QUEUE_TRIGGER = (threshold: string, activationThreshold?: string) => ({
  type: 'prometheus',
  metadata: {
    serverAddress: 'http://prometheus.monitoring:9090',
    query: 'sum(vllm:num_requests_waiting{namespace="ml-workloads",pod=~"worker-[a-z0-9]+-[a-z0-9]+"})',
    threshold,
    ...(activationThreshold ? { activationThreshold } : {}),
  },
});

describe('each error case exits 1', () => {
  const cases: Array<[string, (objects: any[]) => void]> = [
    ['ML-E-TWO-AUTOSCALERS', o => { const h = JSON.parse(JSON.stringify(pick(o, 'HorizontalPodAutoscaler', 'inference'))); h.metadata.name = 'dup'; o.push(h); }],
    ['ML-E-METRIC-WITHOUT-REQUEST', o => { delete pick(o, 'Deployment', 'inference').spec.template.spec.containers[0].resources.requests.cpu; }],
    ['ML-E-GPU-REQUEST-LIMIT-MISMATCH', o => { pick(o, 'Deployment', 'inference').spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = '2'; }],
    ['ML-E-TRIGGER-METADATA-TYPE', o => { pick(o, 'ScaledObject', 'worker').spec.triggers.push({ type: 'cpu', metadata: { type: 'Utilization', value: '50' } }); }],
    ['ML-E-CPU-MEMORY-SCALE-TO-ZERO', o => { pick(o, 'ScaledObject', 'worker').spec.triggers = [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }]; }],
    ['ML-E-CREDENTIALS-IN-MANIFEST', o => { pick(o, 'ScaledObject', 'worker').spec.triggers[0].metadata.host = 'amqp://user:pass@host'; }],
    ['ML-E-SCALEDOBJECT-NAME-TOO-LONG', o => { pick(o, 'ScaledObject', 'worker').metadata.name = 'x'.repeat(60); }],
    ['ML-E-MIN-ABOVE-MAX', o => { pick(o, 'HorizontalPodAutoscaler', 'inference').spec.maxReplicas = 1; }],
    ['ML-E-HPA-ZERO-GATE-OFF', o => { pick(o, 'HorizontalPodAutoscaler', 'inference').spec.minReplicas = 0; }],
    ['ML-E-HPA-ZERO-WITHOUT-EXTERNAL-METRIC', o => { pick(o, 'HorizontalPodAutoscaler', 'inference').spec.minReplicas = 0; }],
    ['ML-E-INVALID-TOLERANCE', o => { pick(o, 'HorizontalPodAutoscaler', 'inference').spec.behavior.scaleDown.tolerance = '-0.1'; }],
    ['ML-E-SERVER-QUEUE-TARGET-ZERO', o => {
      pick(o, 'HorizontalPodAutoscaler', 'inference').spec.metrics[1].pods = { metric: { name: 'vllm_num_requests_waiting' }, target: { type: 'AverageValue', averageValue: '0' } };
    }],
    ['ML-E-ACTIVATION-ABOVE-THRESHOLD', o => { pick(o, 'ScaledObject', 'worker').spec.triggers.push(VLLM_QUEUE_TRIGGER('5', '10')); }],
    ['ML-E-SERVER-SIGNAL-CANNOT-WAKE', o => { pick(o, 'ScaledObject', 'worker').spec.triggers = [VLLM_QUEUE_TRIGGER('5')]; }],
  ];
  test.each(cases)('%s', (id, breakIt) => {
    const objects = cleanManifests();
    breakIt(objects);
    const r = lint(write(`${id}.yaml`, objects));
    expect(r.code).toBe(1);
    expect(r.out.filter(l => l.includes(`: error ${id} `))).not.toHaveLength(0);
  });
});

test('hand-written LLM serving manifests: the model-server guardrails, and none on ResNet or plain Triton', () => {
  const file = path.join(__dirname, 'fixtures', 'llm-servers.yaml');
  const r = lint(file);
  expect(r.code).toBe(1);
  const line = (id: string, object: string) => r.out.filter(l => l.includes(` ${id} ${object} `));
  expect(line('ML-W-LLM-SCALED-ON-UTILIZATION', 'HorizontalPodAutoscaler llm/chat')[0]).toContain('runs vLLM (image vllm/vllm-openai:v0.12.0)');
  expect(line('ML-W-SERVER-METRIC-NOT-EXPORTED', 'ScaledObject llm/embedder')[0]).toContain('vllm:kv_cache_usage_perc replaces it');
  expect(line('ML-E-SERVER-QUEUE-TARGET-ZERO', 'ScaledObject llm/summarizer')[0]).toContain('threshold "0"');
  expect(line('ML-E-ACTIVATION-ABOVE-THRESHOLD', 'ScaledObject llm/summarizer')[0]).toContain('which TGI exports only while the pods run');
  expect(line('ML-E-SERVER-SIGNAL-CANNOT-WAKE', 'ScaledObject llm/summarizer')[0]).toContain('minReplicaCount 0 (default)');
  const modelServerIds = /ML-[EW]-(LLM|SERVER|ACTIVATION)-/;
  expect(r.out.filter(l => modelServerIds.test(l) && /llm\/(resnet|triton) /.test(l))).toEqual([]);
  expect(r.out.filter(l => modelServerIds.test(l))).toHaveLength(5);
});

test('--format json lists findings with file and summary', () => {
  const objects = cleanManifests();
  pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.maxReplicas = 1;
  const r = lint(write('json.yaml', objects), '--format', 'json');
  expect(r.code).toBe(1);
  const report = JSON.parse(r.out.join('\n'));
  expect(report.summary).toEqual({ errors: 1, warnings: 0, suppressed: 0, objects: 10, files: 1, kubernetesVersion: '1.35', featureGates: {} });
  expect(report.findings[0]).toMatchObject({
    ruleId: 'ML-E-MIN-ABOVE-MAX',
    severity: 'error',
    kind: 'HorizontalPodAutoscaler',
    namespace: 'ml-workloads',
    name: 'inference',
    location: 'spec.minReplicas',
    file: path.join(dir, 'json.yaml'),
  });
  expect(report.findings[0].confirm).toBe('kubectl describe hpa inference -n ml-workloads');
});

test('--format=json on a clean file prints an empty list', () => {
  const r = lint('--format=json', write('clean2.yaml', cleanManifests()));
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out.join('\n')).findings).toEqual([]);
});

test('--gpu-budget enables the GPU budget rule', () => {
  const file = write('gpu.yaml', cleanManifests());
  expect(lint(file).out).toEqual([]);
  const r = lint(file, '--gpu-budget', '4');
  expect(r.code).toBe(0);
  expect(r.out.filter(l => l.includes('ML-W-GPU-BUDGET-EXCEEDED'))).toHaveLength(2);
});

test('--fail-on-warnings exits 1 on warnings', () => {
  expect(lint(ARTICLE, '--fail-on-warnings').code).toBe(1);
});

test('--disable skips a rule', () => {
  const r = lint(ARTICLE, '--disable', 'ML-W-PDB-BLOCKS-DRAIN');
  expect(r.out.some(l => l.includes('ML-W-PDB-BLOCKS-DRAIN'))).toBe(false);
});

test('objects from several files are checked together (an HPA in one, a ScaledObject in another)', () => {
  const objects = cleanManifests();
  const a = write('a.yaml', objects.filter(o => o.kind !== 'ScaledObject'));
  const so = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'inference-so', namespace: 'ml-workloads' },
    spec: { scaleTargetRef: { name: 'inference' }, minReplicaCount: 1, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }] },
  };
  const b = write('b.yaml', [so]);
  const r = lint(a, b);
  expect(r.code).toBe(1);
  expect(r.out.find(l => l.includes('ML-E-TWO-AUTOSCALERS'))).toMatch(/^\S+b\.yaml: error ML-E-TWO-AUTOSCALERS ScaledObject ml-workloads\/inference-so/);
});

test('usage problems exit 2: no files, unknown option, missing file, bad budget', () => {
  expect(lint().code).toBe(2);
  expect(lint('--nope', ARTICLE).code).toBe(2);
  expect(lint(path.join(dir, 'missing.yaml')).code).toBe(2);
  expect(lint(ARTICLE, '--gpu-budget', 'lots').code).toBe(2);
  expect(lint(ARTICLE, '--format', 'xml').code).toBe(2);
});

describe('--kubernetes-version and --feature-gates', () => {
  /** The inference HPA scaled to zero on an External queue metric: valid from Kubernetes 1.37 on. */
  function zeroFile(): string {
    const objects = cleanManifests();
    const hpa = pick(objects, 'HorizontalPodAutoscaler', 'inference');
    hpa.spec.minReplicas = 0;
    hpa.spec.metrics = [{ type: 'External', external: { metric: { name: 'queue_messages_ready' }, target: { type: 'AverageValue', averageValue: '5' } } }];
    return write('zero.yaml', objects);
  }
  const errorLines = (r: Captured) => r.out.filter(l => l.includes(': error '));

  test('at the default (1.35) an HPA with minReplicas 0 is an error naming the version', () => {
    const r = lint(zeroFile());
    expect(r.code).toBe(1);
    expect(errorLines(r)).toEqual([expect.stringContaining('error ML-E-HPA-ZERO-GATE-OFF HorizontalPodAutoscaler ml-workloads/inference ' +
      'at spec.minReplicas: minReplicas is 0 but on Kubernetes 1.35 (HPAScaleToZero is alpha in 1.35, off by default; beta and on by default since 1.37)')]);
  });

  test('--kubernetes-version 1.37 (also --kubernetes-version=v1.37.1) accepts it', () => {
    expect(errorLines(lint(zeroFile(), '--kubernetes-version', '1.37'))).toEqual([]);
    const json = lint(zeroFile(), '--kubernetes-version=v1.37.1', '--format', 'json');
    expect(JSON.parse(json.out.join('\n')).summary).toMatchObject({ errors: 0, kubernetesVersion: '1.37', featureGates: {} });
  });

  test('--feature-gates HPAScaleToZero=true on 1.36 accepts it, and is in the JSON summary', () => {
    const r = lint(zeroFile(), '--kubernetes-version', '1.36', '--feature-gates', 'HPAScaleToZero=true', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.join('\n')).summary).toMatchObject({ errors: 0, kubernetesVersion: '1.36', featureGates: { HPAScaleToZero: true } });
  });

  test('bad values are usage errors (exit 2) with the flag, the problem and the fix', () => {
    const cases: Array<[string[], string]> = [
      [['--kubernetes-version', 'latest'], 'lint: --kubernetes-version "latest": is not a Kubernetes version ("1.<minor>", e.g. "1.37"). Fix: write the minor version, e.g. "1.37".'],
      [['--kubernetes-version', '1.19'], 'lint: --kubernetes-version "1.19": is older than 1.23, where autoscaling/v2 HorizontalPodAutoscalers became GA.'],
      [['--kubernetes-version'], 'lint: --kubernetes-version needs a value'],
      [['--feature-gates', 'HPAScaleToZro=true'], 'lint: --feature-gates: "HPAScaleToZro" is not a gate this tool knows (HPAScaleToZero, HPAConfigurableTolerance); did you mean HPAScaleToZero?'],
      [['--feature-gates', 'HPAScaleToZero=yes'], 'lint: --feature-gates: "HPAScaleToZero=yes" must be HPAScaleToZero=true or HPAScaleToZero=false'],
      [['--kubernetes-version', '1.30', '--feature-gates', 'HPAConfigurableTolerance=true'], 'lint: --feature-gates HPAConfigurableTolerance=true: does not exist in Kubernetes 1.30 (it was added in 1.33).'],
    ];
    for (const [flags, message] of cases) {
      const r = lint(ARTICLE, ...flags);
      expect({ flags, code: r.code, message: r.err[0] }).toEqual({ flags, code: 2, message: expect.stringContaining(message) });
      expect(r.out).toEqual([]);
    }
  });

  test('--help describes both flags', () => {
    const help = lint('--help').out.join('\n');
    expect(help).toContain('--kubernetes-version V  the cluster\'s Kubernetes minor, e.g. 1.37');
    expect(help).toMatch(/default:\s+what each object declares in ml-autoscaling.io\/kubernetes-version, as the\s+constructs write it, else 1.35/);
    expect(help).toContain('--feature-gates G=B,...');
  });
});

test('invalid YAML exits 2 with the file name', () => {
  const file = path.join(dir, 'broken.yaml');
  fs.writeFileSync(file, 'kind: [unclosed\n');
  const r = lint(file);
  expect(r.code).toBe(2);
  expect(r.err[0]).toContain('broken.yaml');
});

test('--help and --list-rules', () => {
  const help = lint('--help');
  expect(help.code).toBe(0);
  expect(help.out.join('\n')).toContain('--gpu-budget');
  const rules = lint('--list-rules');
  expect(rules.out.some(l => l.startsWith('ML-E-TWO-AUTOSCALERS error '))).toBe(true);
});

describe('main', () => {
  function run(...argv: string[]): Captured {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(argv, { stdout: l => out.push(l), stderr: l => err.push(l) });
    return { out, err, code };
  }

  test('dispatches lint', () => {
    expect(run('lint', ARTICLE).code).toBe(0);
    expect(run('lint', ARTICLE, '--fail-on-warnings').code).toBe(1);
  });

  test('dispatches simulate', () => {
    const help = run('simulate', '--help');
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toContain('--manifest');
    expect(run('help', 'simulate').out.join('\n')).toContain('--trace');
    expect(run('help', 'lint').out.join('\n')).toContain('--gpu-budget');
    expect(run('simulate').code).toBe(2);
  });

  test('--help lists the commands; no command is a usage error', () => {
    const help = run('--help');
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toMatch(/lint FILE\.yaml/);
    expect(help.out.join('\n')).toMatch(/simulate/);
    expect(run().code).toBe(2);
    expect(run('frobnicate').code).toBe(2);
  });

  test('the bin script runs the compiled main with the process arguments', () => {
    const bin = fs.readFileSync(path.join(__dirname, '..', '..', 'bin', 'cdk8s-ml-autoscaling'), 'utf-8');
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(bin).toContain("require('../lib/src/cli/main.js')");
    expect(() => fs.accessSync(path.join(__dirname, '..', '..', 'bin', 'cdk8s-ml-autoscaling'), fs.constants.X_OK)).not.toThrow();
  });
});

test('the article\'s manifests: exactly the problems the article has', () => {
  const r = lint(ARTICLE, '--gpu-budget', '16', '--format', 'json');
  const report = JSON.parse(r.out.join('\n'));
  const seen = report.findings.map((f: any) => `${f.ruleId} ${f.kind}/${f.name}`).sort();
  expect(seen).toEqual([
    'ML-W-CUSTOM-METRIC-WITHOUT-ADAPTER-RULE HorizontalPodAutoscaler/hybrid-ml-hpa',
    'ML-W-CUSTOM-METRIC-WITHOUT-ADAPTER-RULE HorizontalPodAutoscaler/ml-inference-hpa',
    'ML-W-GPU-BUDGET-EXCEEDED HorizontalPodAutoscaler/hybrid-ml-hpa',
    'ML-W-GPU-BUDGET-EXCEEDED HorizontalPodAutoscaler/ml-inference-hpa',
    'ML-W-GPU-WITHOUT-PLACEMENT Deployment/hybrid-ml-service',
    'ML-W-GPU-WITHOUT-PLACEMENT Deployment/ml-inference-service',
    'ML-W-KEDA-REMOVED-FIELD ScaledObject/ml-batch-processor-scaler',
    'ML-W-PAUSE-ANNOTATION-IGNORED Deployment/hybrid-ml-service',
    'ML-W-PDB-BLOCKS-DRAIN PodDisruptionBudget/ml-inference-pdb',
    'ML-W-REPLICAS-ON-AUTOSCALED Deployment/hybrid-ml-service',
    'ML-W-REPLICAS-ON-AUTOSCALED Deployment/ml-inference-service',
  ]);
  expect(r.code).toBe(0);
});

test('reads manifests from stdin with "-" (in a real process, exit status included)', () => {
  const objects = cleanManifests();
  pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.maxReplicas = 1;
  const r = child.spawnSync(process.execPath, [
    '-r', 'ts-node/register/transpile-only',
    '-e', 'process.exitCode = require("./src/cli/main").main(process.argv.slice(1))',
    'lint', '-',
  ], {
    cwd: path.join(__dirname, '..', '..'),
    input: Yaml.stringify(...objects),
    encoding: 'utf-8',
    env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.dev.json' },
    timeout: 60_000,
  });
  expect(r.stdout).toContain('error ML-E-MIN-ABOVE-MAX HorizontalPodAutoscaler ml-workloads/inference');
  expect(r.status).toBe(1);
}, 90_000);

test('Guardrails helpers: formatFinding is the one-line message; hasErrors', () => {
  const objects = cleanManifests();
  pick(objects, 'Deployment', 'inference').spec.replicas = 2;
  const findings = Guardrails.check(objects);
  expect(Guardrails.formatFinding(findings[0])).toBe(findings[0].message);
  expect(Guardrails.hasErrors(findings)).toBe(false);
  pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.maxReplicas = 1;
  expect(Guardrails.hasErrors(Guardrails.check(objects))).toBe(true);
});

test('a directory stands for the manifests under it', () => {
  const sub = path.join(dir, 'tree', 'nested');
  fs.mkdirSync(sub, { recursive: true });
  const objects = cleanManifests();
  pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.maxReplicas = 1;
  Yaml.save(path.join(dir, 'tree', 'a.yaml'), objects.slice(0, 5));
  Yaml.save(path.join(sub, 'b.yml'), objects.slice(5));
  fs.writeFileSync(path.join(sub, 'notes.txt'), 'not a manifest');
  const r = lint(path.join(dir, 'tree'), '--format', 'json');
  const report = JSON.parse(r.out.join('\n'));
  expect(report.summary).toMatchObject({ errors: 1, files: 2, objects: 10 });
  expect(r.code).toBe(1);
});
