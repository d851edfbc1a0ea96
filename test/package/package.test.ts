/**
 * The npm package as published: what `npm pack` puts in the tarball, and what installing that
 * tarball into a cdk8s app gives (offline: the peers come from this repository's node_modules).
 */
import * as child from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { ensureCompiled, filesUnder, pack, ROOT, run } from './build';
import { reachableDeclarations } from '../../projenrc/prune-declarations';

const MAX_TARBALL_BYTES = 600 * 1000;
const PEERS = ['cdk8s', 'cdk8s-plus-28', 'constructs'];
const REPO_PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));

let tmp: string;
let tarball: string;
/** The unpacked tarball (its `package/` directory) and the files in it. */
let unpacked: string;
let files: string[];

beforeAll(() => {
  ensureCompiled();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-autoscaling-package-'));
  tarball = pack(tmp);
  fs.mkdirSync(path.join(tmp, 'unpacked'));
  run('tar', ['-xzf', tarball, '-C', path.join(tmp, 'unpacked')], tmp);
  unpacked = path.join(tmp, 'unpacked', 'package');
  files = filesUnder(unpacked);
}, 300_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the tarball', () => {
  test(`is at most ${MAX_TARBALL_BYTES / 1000} KB compressed and holds the compiled library, its jsii assembly, the docs and the CLI`, () => {
    expect(fs.statSync(tarball).size).toBeLessThanOrEqual(MAX_TARBALL_BYTES);
    expect(files).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'LICENSE', 'API.md', '.jsii',
      'lib/src/index.js', 'lib/src/index.d.ts', 'lib/src/cli/main.js',
      // the bindings' classes, loaded at run time; not their declarations (internal: see the next test)
      'lib/imports/keda.sh.js',
      'bin/cdk8s-ml-autoscaling',
    ]));
    expect(() => fs.accessSync(path.join(unpacked, 'bin', 'cdk8s-ml-autoscaling'), fs.constants.X_OK)).not.toThrow();
    const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf-8'));
    expect(pkg.main).toBe('lib/src/index.js');
    expect(pkg.types).toBe('lib/src/index.d.ts');
    expect(pkg.bin).toEqual({ 'cdk8s-ml-autoscaling': 'bin/cdk8s-ml-autoscaling' });
  });

  test('has no dependencies, bundled or not, besides the peers', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf-8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.bundledDependencies).toBeUndefined();
    expect(pkg.bundleDependencies).toBeUndefined();
    expect(pkg.optionalDependencies).toBeUndefined();
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(PEERS);
    expect(files.filter(f => f.startsWith('node_modules/') || f.includes('/node_modules/'))).toEqual([]);
  });

  test('ships nothing a consumer cannot use: no TypeScript sources, repository tooling, tests or benchmarks', () => {
    const unwanted = files.filter(f =>
      (f.endsWith('.ts') && !f.endsWith('.d.ts'))
      || /^(src|imports|test|bench|examples|docs|projenrc|\.ci|\.projen|coverage|dist)\//.test(f)
      || ['BENCHMARKS.md', 'cdk8s.yaml', 'tsconfig.json', 'tsconfig.dev.json', '.projenrc.ts', '.eslintrc.json', '.gitignore', '.npmignore'].includes(f));
    expect(unwanted).toEqual([]);
    // Only compiled JavaScript and declarations under lib/.
    expect(files.filter(f => f.startsWith('lib/') && !f.endsWith('.js') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  test('the type declarations shipped are exactly those the public API reaches from lib/src/index.d.ts', () => {
    const missing: string[] = [];
    const reached = reachableDeclarations('lib/src/index.d.ts', f => {
      if (files.includes(f)) return true;
      missing.push(f);
      return false;
    }, f => fs.readFileSync(path.join(unpacked, f), 'utf-8'));
    // every import of a reached declaration resolves to a shipped one (either form of the path)
    expect(missing.filter(f => !f.endsWith('/index.d.ts') && !files.includes(f.replace(/\.d\.ts$/, '/index.d.ts')))).toEqual([]);
    expect(reached.size).toBeGreaterThan(20);
    // internal modules' declarations are pruned at compile (projenrc/prune-declarations.ts)
    expect(files.filter(f => f.endsWith('.d.ts') && !reached.has(f))).toEqual([]);
  });

  test('source maps: every map shipped has its sources shipped, and no JavaScript points at a missing map', () => {
    for (const map of files.filter(f => f.endsWith('.js.map'))) {
      const json = JSON.parse(fs.readFileSync(path.join(unpacked, map), 'utf-8'));
      for (const source of json.sources as string[]) {
        const resolved = path.join(unpacked, path.dirname(map), json.sourceRoot ?? '', source);
        expect({ map, source, shipped: resolved.startsWith(unpacked + path.sep) && fs.existsSync(resolved) })
          .toEqual({ map, source, shipped: true });
      }
    }
    for (const js of files.filter(f => f.endsWith('.js'))) {
      const url = /^\/\/# sourceMappingURL=(?!data:)(\S+)\s*$/m.exec(fs.readFileSync(path.join(unpacked, js), 'utf-8'))?.[1];
      if (url === undefined) continue;
      expect({ js, url, shipped: fs.existsSync(path.join(unpacked, path.dirname(js), url)) }).toEqual({ js, url, shipped: true });
    }
  });

  test('carries a real version, the repository\'s', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf-8'));
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.version).not.toBe('0.0.0');
    expect(pkg.version).toBe(REPO_PACKAGE.version);
    expect(JSON.parse(fs.readFileSync(path.join(unpacked, '.jsii'), 'utf-8')).version).toBe(REPO_PACKAGE.version);
  });
});

describe('installed into a cdk8s app (offline)', () => {
  let app: string;
  /** node_modules of the app right after `npm install` of the tarball, before the peers are linked in. */
  let installed: string[];
  let lockPackages: string[];

  const MAIN_JS = `'use strict';
const { App, Chart, Duration, Size } = require('cdk8s');
const { Cpu } = require('cdk8s-plus-28');
const { GpuInferenceService, Metric, MetricTarget } = require('cdk8s-ml-autoscaling');

const app = new App();
const chart = new Chart(app, 'inference', { namespace: 'ml-workloads' });
new GpuInferenceService(chart, 'Resnet', {
  name: 'ml-inference-service',
  image: 'registry.example.com/ml-inference:v1.0',
  modelPath: '/models/resnet50',
  cpuRequest: Cpu.millis(2000),
  memoryRequest: Size.gibibytes(4),
  gpu: { count: 1 },
  modelLoadTime: Duration.seconds(120),
  minReplicas: 2,
  maxReplicas: 10,
  metrics: [
    Metric.cpuUtilization(70),
    Metric.pods({ name: 'inference_queue_depth', target: MetricTarget.averageValue(10) }),
  ],
});
app.synth();
`;

  /** cdk8s.yaml with the validation plugin in its local form (docs/rules.md). */
  function cdk8sYaml(properties: string): string {
    return [
      'language: javascript',
      'app: node main.js',
      'validations:',
      '  - package: ./node_modules/cdk8s-ml-autoscaling',
      `    version: ${REPO_PACKAGE.version}`,
      '    class: GuardrailsValidation',
      '    properties:',
      ...properties.split('\n').map(l => `      ${l}`),
      '',
    ].join('\n');
  }

  function synth(): child.SpawnSyncReturns<string> {
    fs.rmSync(path.join(app, 'dist'), { recursive: true, force: true });
    return child.spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], {
      cwd: app, encoding: 'utf-8', timeout: 170_000, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
  }

  beforeAll(() => {
    app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'ml-app', version: '1.0.0', private: true }, null, 2));
    // Offline, with an empty cache of its own: the tarball must install with nothing from a registry.
    // The peers are not installed by npm (--legacy-peer-deps) but linked from this repository below.
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps',
      '--cache', path.join(tmp, 'npm-cache'), tarball], app);
    installed = fs.readdirSync(path.join(app, 'node_modules')).filter(f => !['.bin', '.package-lock.json'].includes(f)).sort();
    lockPackages = Object.keys(JSON.parse(fs.readFileSync(path.join(app, 'package-lock.json'), 'utf-8')).packages).sort();
    for (const peer of PEERS) {
      fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules', peer)), path.join(app, 'node_modules', peer), 'dir');
    }
    fs.writeFileSync(path.join(app, 'main.js'), MAIN_JS);
  }, 300_000);

  test('npm adds this package and nothing else', () => {
    expect(installed).toEqual(['cdk8s-ml-autoscaling']);
    expect(lockPackages).toEqual(['', 'node_modules/cdk8s-ml-autoscaling']);
    expect(fs.existsSync(path.join(app, 'node_modules', 'cdk8s-ml-autoscaling', 'node_modules'))).toBe(false);
  });

  test('cdk8s synth runs a plain JavaScript app and the validation plugin from node_modules; the manifests are written', () => {
    fs.writeFileSync(path.join(app, 'cdk8s.yaml'), cdk8sYaml('gpuBudget: 16'));
    const r = synth();
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    // The plugin ran (loaded from the app's node_modules), passed, and listed the warnings.
    expect(r.stdout).toContain(`Validation Report (${fs.realpathSync(app)}/node_modules/cdk8s-ml-autoscaling@${REPO_PACKAGE.version})`);
    expect(r.stdout).toMatch(/Status +│ success/);
    expect(r.stdout).toContain('ML-W-GPU-WITHOUT-PLACEMENT (warning) Deployment ml-workloads/ml-inference-service');

    // (cdk8s writes construct-metadata.json next to the manifests for the validation plugins.)
    expect(fs.readdirSync(path.join(app, 'dist')).filter(f => f.endsWith('.yaml'))).toEqual(['inference.k8s.yaml']);
    const objects = Yaml.load(path.join(app, 'dist', 'inference.k8s.yaml'));
    expect(objects.map((o: any) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/ml-workloads/ml-inference-service',
      'HorizontalPodAutoscaler/ml-workloads/ml-inference-service-hpa',
      'PodDisruptionBudget/ml-workloads/ml-inference-service-pdb',
      'Service/ml-workloads/ml-inference-service',
    ]);
    const deployment = objects.find((o: any) => o.kind === 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('registry.example.com/ml-inference:v1.0');
    expect(container.resources.limits['nvidia.com/gpu']).toBe('1');
    expect(container.resources.requests).toMatchObject({ 'cpu': '2000m', 'memory': '4Gi', 'nvidia.com/gpu': '1' });
    expect(deployment.spec.replicas).toBeUndefined();
    const hpa = objects.find((o: any) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 10,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ml-inference-service' },
    });
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Pods', pods: { metric: { name: 'inference_queue_depth' }, target: { type: 'AverageValue', averageValue: '10' } } },
    ]);
  }, 180_000);

  test('the validation plugin fails cdk8s synth (status 2) on a blocking finding', () => {
    // One GPU allowed, up to 10 wanted: ML-W-GPU-BUDGET-EXCEEDED, blocking with failOnWarnings.
    fs.writeFileSync(path.join(app, 'cdk8s.yaml'), cdk8sYaml('gpuBudget: 1\nfailOnWarnings: true'));
    const r = synth();
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toContain('ML-W-GPU-BUDGET-EXCEEDED');
  }, 180_000);

  test('`cdk8s-ml-autoscaling --version` and `-v` print the package version', () => {
    for (const flag of ['--version', '-v']) {
      const r = child.spawnSync(path.join(app, 'node_modules', '.bin', 'cdk8s-ml-autoscaling'), [flag], { cwd: app, encoding: 'utf-8' });
      expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: `${REPO_PACKAGE.version}\n`, stderr: '' });
    }
  });
});
