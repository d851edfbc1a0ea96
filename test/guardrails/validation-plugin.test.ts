import * as child from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import type { Validation } from 'cdk8s-cli/plugins';
import { cleanManifests, pick } from './manifests';
import { Guardrails } from '../../src/guardrails/guardrails';
import { GuardrailsValidation } from '../../src/guardrails/validation-plugin';
import { parseYamlDocuments } from '../../src/guardrails/yaml-text';

const ROOT = path.join(__dirname, '..', '..');
const PLUGIN_MODULE = path.join(ROOT, 'src', 'guardrails', 'validation-plugin.ts');
// cdk8s-cli exports only `cdk8s-cli/plugins`; its loader and plugin manager are reached by file, as the CLI itself uses them
const CLI_DIR = path.dirname(require.resolve('cdk8s-cli/package.json'));
/* eslint-disable @typescript-eslint/no-require-imports */
const { ValidationPlugin } = require(path.join(CLI_DIR, 'lib', 'plugins', 'validation.js'));
const { PluginManager } = require(path.join(CLI_DIR, 'lib', 'plugins', '_manager.js'));
/* eslint-enable @typescript-eslint/no-require-imports */

// compile-time proof: the plugin satisfies cdk8s-cli's `Validation` contract
const asCdk8sValidation: Validation = new GuardrailsValidation();

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-test-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function manifestFile(name: string, objects: any[]): string {
  const file = path.join(dir, name);
  Yaml.save(file, objects);
  return file;
}

/** Loads the plugin exactly as `cdk8s synth` does for a `validations:` entry, and runs it. */
async function runAsCdk8s(manifests: string[], properties: any = {}) {
  const { plugin, context } = ValidationPlugin.load(
    { package: PLUGIN_MODULE, version: '0.0.0', class: 'GuardrailsValidation', properties },
    { manifests },
    false,
    new PluginManager(path.join(dir, 'plugins')),
  );
  await plugin.validate(context);
  return context.report;
}

test('cdk8s-cli loads the plugin class from the module and a clean app passes', async () => {
  expect(typeof asCdk8sValidation.validate).toBe('function');
  const report = await runAsCdk8s([manifestFile('clean.k8s.yaml', cleanManifests())]);
  expect(report.success).toBe(true);
  expect(report.toJson().violations).toEqual([]);
  expect(report.toJson().summary.metadata).toMatchObject({ errors: '0', warnings: '0' });
});

test('an error fails the report, with rule, fix, kubectl check and manifest path', async () => {
  const objects = cleanManifests();
  pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.maxReplicas = 1;
  const file = manifestFile('broken.k8s.yaml', objects);
  const report = await runAsCdk8s([file]);
  expect(report.success).toBe(false);
  const [v] = report.toJson().violations;
  expect(v.ruleName).toBe('ML-E-MIN-ABOVE-MAX (error) HorizontalPodAutoscaler ml-workloads/inference');
  expect(v.fix).toContain('Check: kubectl describe hpa inference -n ml-workloads');
  // the Deployment, Service, HPA and PDB all share the name "inference": reported with the kind (see the construct path test)
  expect(v.violatingConstructs[0]).toMatchObject({ resourceName: 'HorizontalPodAutoscaler/inference', manifestPath: file, locations: ['spec.minReplicas'] });
  expect(report.toString()).toContain('ML-E-MIN-ABOVE-MAX');
});

test('warnings are reported without failing, unless failOnWarnings is set in properties', async () => {
  const objects = cleanManifests();
  pick(objects, 'Deployment', 'inference').spec.replicas = 3;
  const file = manifestFile('warn.k8s.yaml', objects);
  const lenient = await runAsCdk8s([file]);
  expect(lenient.success).toBe(true);
  expect(lenient.toJson().violations.map((v: any) => v.ruleName)).toEqual(['ML-W-REPLICAS-ON-AUTOSCALED (warning) Deployment ml-workloads/inference']);
  const strict = await runAsCdk8s([file], { failOnWarnings: true });
  expect(strict.success).toBe(false);
});

test('properties from cdk8s.yaml reach the rules (gpuBudget)', async () => {
  const file = manifestFile('gpu.k8s.yaml', cleanManifests());
  const report = await runAsCdk8s([file], { gpuBudget: 2 });
  expect(report.success).toBe(true);
  expect(report.toJson().violations.map((v: any) => v.ruleName.split(' ')[0])).toEqual(['ML-W-GPU-BUDGET-EXCEEDED', 'ML-W-GPU-BUDGET-EXCEEDED']);
});

describe('kubernetesVersion and featureGates in properties', () => {
  /** The inference HPA scaled to zero on an External queue metric: valid from Kubernetes 1.37 on. */
  function zeroManifest(): string {
    const objects = cleanManifests();
    const hpa = pick(objects, 'HorizontalPodAutoscaler', 'inference');
    hpa.spec.minReplicas = 0;
    hpa.spec.metrics = [{ type: 'External', external: { metric: { name: 'queue_messages_ready' }, target: { type: 'AverageValue', averageValue: '5' } } }];
    return manifestFile('zero.k8s.yaml', objects);
  }
  const errorRules = (report: any) => report.toJson().violations.map((v: any) => v.ruleName).filter((n: string) => n.includes('(error)'));

  test('without them the rules judge for 1.35 and minReplicas 0 fails the report, naming the version', async () => {
    const report = await runAsCdk8s([zeroManifest()]);
    expect(report.success).toBe(false);
    expect(errorRules(report)).toEqual(['ML-E-HPA-ZERO-GATE-OFF (error) HorizontalPodAutoscaler ml-workloads/inference']);
    const [v] = report.toJson().violations.filter((x: any) => x.ruleName.startsWith('ML-E-HPA-ZERO-GATE-OFF'));
    expect(v.recommendation).toContain('on Kubernetes 1.35 (HPAScaleToZero is alpha in 1.35, off by default; beta and on by default since 1.37)');
    expect(v.violatingConstructs[0].locations).toEqual(['spec.minReplicas']);
  });

  test('kubernetesVersion: "1.37" accepts it', async () => {
    const report = await runAsCdk8s([zeroManifest()], { kubernetesVersion: '1.37' });
    expect(errorRules(report)).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('featureGates: { HPAScaleToZero: true } on 1.36 accepts it', async () => {
    const report = await runAsCdk8s([zeroManifest()], { kubernetesVersion: '1.36', featureGates: { HPAScaleToZero: true } });
    expect(report.success).toBe(true);
  });

  test('a bad version or gate stops the plugin when cdk8s loads it, with the property, the problem and the fix', async () => {
    const file = zeroManifest();
    await expect(runAsCdk8s([file], { kubernetesVersion: '2.0' }))
      .rejects.toThrow('[GuardrailsValidation] kubernetesVersion="2.0": is not a Kubernetes version ("1.<minor>", e.g. "1.37"). Fix: write the minor version, e.g. "1.37"');
    // `kubernetesVersion: 1.30` unquoted in cdk8s.yaml is the number 1.3
    await expect(runAsCdk8s([file], { kubernetesVersion: 1.3 })).rejects.toThrow('[GuardrailsValidation] kubernetesVersion=1.3: is a YAML number, ' +
      'not a version (an unquoted 1.30 reads as 1.3). Fix: quote it in cdk8s.yaml: kubernetesVersion: "1.3".');
    await expect(runAsCdk8s([file], { featureGates: { HPAScaleToZero: 'yes' } })).rejects.toThrow('featureGates["HPAScaleToZero"]="yes": must be true or false');
    await expect(runAsCdk8s([file], { featureGates: { ScaleToZero: true } })).rejects.toThrow(/ScaleToZero/);
  });
});

test('objects spread over several manifests (one per chart) are checked together', async () => {
  const objects = cleanManifests();
  const dup = JSON.parse(JSON.stringify(pick(objects, 'HorizontalPodAutoscaler', 'inference')));
  dup.metadata.name = 'other-chart-hpa';
  const report = await runAsCdk8s([manifestFile('a.k8s.yaml', objects), manifestFile('b.k8s.yaml', [dup])]);
  expect(report.success).toBe(false);
  expect(report.toJson().violations[0].violatingConstructs[0]).toMatchObject({
    manifestPath: path.join(dir, 'b.k8s.yaml'),
    resourceName: 'other-chart-hpa', // a name no other object has: cdk8s maps it to the construct path
  });
});

test('validateSync returns the findings', () => {
  const added: any[] = [];
  let status = '';
  const findings = new GuardrailsValidation().validateSync({
    manifests: [manifestFile('sync.k8s.yaml', cleanManifests())],
    report: { addViolation: v => added.push(v), submit: s => { status = s; } },
  });
  expect(findings).toEqual([]);
  expect(added).toEqual([]);
  expect(status).toBe('success');
});

describe('inside `cdk8s synth`', () => {
  // The real CLI in a child process, with ts-node so it can require the TypeScript plugin module.
  function synth(objects: any[], properties: any = {}): { status: number; output: string } {
    const app = fs.mkdtempSync(path.join(dir, 'app-'));
    fs.writeFileSync(path.join(app, 'manifests.json'), JSON.stringify(objects));
    fs.writeFileSync(path.join(app, 'app.js'), [
      'const fs = require("fs"); const path = require("path");',
      `const { Yaml } = require(${JSON.stringify(require.resolve('cdk8s'))});`,
      'const objects = JSON.parse(fs.readFileSync(path.join(__dirname, "manifests.json"), "utf-8"));',
      'fs.mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true });',
      'Yaml.save(path.join(process.env.CDK8S_OUTDIR, "app.k8s.yaml"), objects);',
    ].join('\n'));
    fs.writeFileSync(path.join(app, 'cdk8s.yaml'), Yaml.stringify({
      language: 'typescript',
      app: `${process.execPath} app.js`,
      output: 'dist',
      validations: [{ package: PLUGIN_MODULE, version: '0.0.0', class: 'GuardrailsValidation', properties }],
    }));
    const cli = path.join(CLI_DIR, 'bin', 'cdk8s');
    const r = child.spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', cli, 'synth'], {
      cwd: app,
      encoding: 'utf-8',
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json'), NODE_PATH: path.join(ROOT, 'node_modules') },
      timeout: 90_000,
    });
    return { status: r.status ?? -1, output: `${r.stdout}\n${r.stderr}` };
  }

  test('a clean app synthesizes', () => {
    const r = synth(cleanManifests());
    expect(r.output).toContain('Validations ended succesfully');
    expect(r.status).toBe(0);
  }, 120_000);

  test('a bad property reaches the `cdk8s synth` user as the check\'s message, and synth fails', () => {
    const r = synth(cleanManifests(), { gpuBudget: -1 });
    expect(r.output).toContain('[GuardrailsValidation] gpuBudget=-1: must be an integer');
    expect(r.output).toContain('Fix: ');
    expect(r.status).not.toBe(0);
  }, 120_000);

  test('an error makes `cdk8s synth` fail', () => {
    const objects = cleanManifests();
    pick(objects, 'ScaledObject', 'worker').spec.triggers[0].metadata.host = 'amqp://user:pass@rabbit:5672';
    const r = synth(objects);
    expect(r.output).toContain('ML-E-CREDENTIALS-IN-MANIFEST');
    expect(r.output).toContain('Validation failed');
    expect(r.status).toBe(2);
  }, 120_000);
});

describe('plugin properties (the `properties:` of cdk8s.yaml) are checked when cdk8s loads the plugin', () => {
  test.each([
    [{ gpuBudget: -1 }, '[GuardrailsValidation] gpuBudget=-1: must be an integer'],
    [{ failOnWarnings: 'true' }, '[GuardrailsValidation] failOnWarnings="true": must be true or false, got a string'],
    [{ gpuBuget: 4 }, 'gpuBudget'],
    [{ disabledRules: ['ML-W-REPLICAS-ON-AUTOSCALE'] }, 'did you mean "ML-W-REPLICAS-ON-AUTOSCALED"?'],
  ])('%j is rejected', async (properties, message) => {
    const file = manifestFile('props.k8s.yaml', cleanManifests());
    await expect(runAsCdk8s([file], properties)).rejects.toThrow(message);
  });

  test('the unknown key is named with the closest known one', () => {
    expect(() => new GuardrailsValidation({ gpuBuget: 4 } as any)).toThrow(/\[GuardrailsValidation\] gpuBuget=4: .*gpuBudget/);
  });
});

describe('manifests are parsed in-process (issue 12)', () => {
  test('no child process is started, whatever the number of files', () => {
    const files = Array.from({ length: 12 }, (_, i) => manifestFile(`many-${i}.k8s.yaml`, cleanManifests().map(o => {
      const c = JSON.parse(JSON.stringify(o));
      c.metadata.name = `${c.metadata.name}-${i}`;
      return c;
    })));
    // the module object cdk8s' Yaml.load calls execFileSync on (a namespace import's bindings cannot be spied on)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const processes = require('child_process');
    const spawned = [jest.spyOn(processes, 'execFileSync'), jest.spyOn(processes, 'spawnSync'), jest.spyOn(processes, 'execSync')];
    try {
      const findings = new GuardrailsValidation().validateSync({ manifests: files, report: { addViolation: () => {}, submit: () => {} } });
      expect(spawned.map(s => s.mock.calls.length)).toEqual([0, 0, 0]);
      expect(findings.map(f => f.ruleId)).not.toContain('ML-E-DUPLICATE-OBJECT'); // all 12 x 8 objects were read, none twice
    } finally {
      spawned.forEach(s => s.mockRestore());
    }
  });

  test('the in-process parse reads what cdk8s\' Yaml.load reads (YAML 1.1 values included)', () => {
    const objects = cleanManifests();
    const d = pick(objects, 'Deployment', 'inference');
    d.metadata.annotations = { a: 'on', b: 'yes', c: '0777', d: '1e3', e: 'null', f: '2024-01-01', g: 'multi\nline' };
    const file = manifestFile('parity.k8s.yaml', objects);
    const seen: any[] = [];
    const plugin = new GuardrailsValidation({ includeSuppressed: true });
    const findings = plugin.validateSync({ manifests: [file], report: { addViolation: v => seen.push(v), submit: () => {} } });
    expect(findings).toEqual(Guardrails.check(Yaml.load(file), { includeSuppressed: true }));
    expect(parseYamlDocuments(fs.readFileSync(file, 'utf-8'))).toEqual(Yaml.load(file));
  });

  test('a manifest that is not YAML is reported with its path', () => {
    const file = path.join(dir, 'broken-syntax.k8s.yaml');
    fs.writeFileSync(file, 'kind: Deployment\nmetadata: {name: [unclosed\n');
    expect(() => new GuardrailsValidation().validateSync({ manifests: [file], report: { addViolation: () => {}, submit: () => {} } }))
      .toThrow(`[GuardrailsValidation] ${file}: not valid YAML`);
  });
});

describe('construct paths in the cdk8s report (issue 12)', () => {
  // cdk8s' construct-metadata.json is keyed by metadata.name only: a Deployment and a Service named
  // "inference" map to one construct path
  function synthApp(): { outdir: string; metadata: string; paths: Record<string, string> } {
    const outdir = fs.mkdtempSync(path.join(dir, 'paths-'));
    const app = new App({ outdir, recordConstructMetadata: true });
    const chart = new Chart(app, 'ml');
    const paths: Record<string, string> = {};
    for (const obj of cleanManifests()) {
      const id = `${obj.kind}-${obj.metadata.name}`;
      if (obj.kind === 'Deployment' && obj.metadata.name === 'inference') obj.spec.replicas = 3; // ML-W-REPLICAS-ON-AUTOSCALED
      if (obj.kind === 'ScaledObject' && obj.metadata.name === 'worker') {
        // a name no other object has, and ML-E-MIN-ABOVE-MAX on it
        Object.assign(obj.metadata, { name: 'worker-scaler' });
        Object.assign(obj.spec, { minReplicaCount: 9, maxReplicaCount: 2 });
      }
      paths[id] = new ApiObject(chart, id, obj).node.path;
    }
    app.synth();
    return { outdir, metadata: path.join(outdir, 'construct-metadata.json'), paths };
  }

  /** Runs the plugin, loaded as cdk8s-cli loads it, over the manifests synthesized into `outdir`. */
  async function validateWithPlugin(outdir: string, metadata: string) {
    const manifests = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).map(f => path.join(outdir, f));
    const { plugin, context } = ValidationPlugin.load(
      { package: PLUGIN_MODULE, version: '0.0.0', class: 'GuardrailsValidation' },
      { manifests, constructMetadata: metadata },
      false,
      new PluginManager(path.join(dir, 'plugins')),
    );
    await plugin.validate(context);
    return context;
  }

  test('a finding on a Deployment that shares its name with a Service does not show another object\'s construct path', async () => {
    const { outdir, metadata, paths } = synthApp();
    // the precondition: cdk8s maps "inference" to one object, not the Deployment
    const recorded = JSON.parse(fs.readFileSync(metadata, 'utf-8')).resources.inference.path;
    expect(recorded).not.toBe(paths['Deployment-inference']);
    const context = await validateWithPlugin(outdir, metadata);
    const v = context.report.toJson().violations.find((x: any) => x.ruleName.startsWith('ML-W-REPLICAS-ON-AUTOSCALED'));
    expect(v.ruleName).toBe('ML-W-REPLICAS-ON-AUTOSCALED (warning) Deployment ml-workloads/inference');
    expect(v.violatingConstructs[0].resourceName).toBe('Deployment/inference');
    expect(v.violatingConstructs[0].constructPath).toBeUndefined();
    const text = context.report.toString();
    expect(text).toContain('Construct Path: N/A');
    expect(text).not.toContain(`Construct Path: ${recorded}`);
  });

  test('a finding on an object with a name of its own shows its construct path', async () => {
    const { outdir, metadata, paths } = synthApp();
    const context = await validateWithPlugin(outdir, metadata);
    const v = context.report.toJson().violations.find((x: any) => x.ruleName.startsWith('ML-E-MIN-ABOVE-MAX'));
    expect(v.ruleName).toBe('ML-E-MIN-ABOVE-MAX (error) ScaledObject ml-workloads/worker-scaler');
    expect(v.violatingConstructs[0]).toMatchObject({ resourceName: 'worker-scaler', constructPath: paths['ScaledObject-worker'] });
  });
});

describe('where cdk8s loads the plugin from (issue 12)', () => {
  // an app directory whose node_modules holds this package, as after `npm install cdk8s-ml-autoscaling`
  function appWithPackage(): string {
    const app = fs.mkdtempSync(path.join(dir, 'installed-'));
    const pkg = path.join(app, 'node_modules', 'cdk8s-ml-autoscaling');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'cdk8s-ml-autoscaling', version: '0.1.0', main: 'index.js' }));
    fs.writeFileSync(path.join(pkg, 'index.js'), `module.exports = require(${JSON.stringify(PLUGIN_MODULE)});`);
    return app;
  }

  function load(app: string, pkg: string) {
    const cwd = jest.spyOn(process, 'cwd').mockReturnValue(app);
    const install = jest.spyOn(PluginManager.prototype, 'installPackage').mockImplementation((name: any, version: any) => {
      throw new Error(`would run npm install ${name}@${version}`);
    });
    try {
      return { loaded: new PluginManager(path.join(app, '.cdk8s', 'plugins')).load({ pkg, version: '0.1.0', class: 'GuardrailsValidation' }), install };
    } finally {
      cwd.mockRestore();
      install.mockRestore();
    }
  }

  test('the documented local form loads the copy in node_modules, installing nothing', () => {
    const app = appWithPackage();
    const { loaded } = load(app, './node_modules/cdk8s-ml-autoscaling');
    expect(loaded.instance).toBeInstanceOf(GuardrailsValidation);
    expect(loaded.package.path).toBe(path.join(app, 'node_modules', 'cdk8s-ml-autoscaling', 'index.js'));
    expect(fs.existsSync(path.join(app, '.cdk8s'))).toBe(false);
  });

  test('the registry form ignores node_modules and installs a second copy from npm', () => {
    const app = appWithPackage();
    expect(() => load(app, 'cdk8s-ml-autoscaling')).toThrow('would run npm install cdk8s-ml-autoscaling@0.1.0');
  });

  test('docs/rules.md shows the local form first', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf-8');
    const packages = [...doc.matchAll(/^\s*-?\s*package: (\S+)/gm)].map(m => m[1]);
    expect(packages[0]).toBe('./node_modules/cdk8s-ml-autoscaling');
    expect(packages).toContain('cdk8s-ml-autoscaling');
  });
});
