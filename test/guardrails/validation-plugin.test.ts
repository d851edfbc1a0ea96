import * as child from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import type { Validation } from 'cdk8s-cli/plugins';
import { cleanManifests, pick } from './manifests';
import { GuardrailsValidation } from '../../src/guardrails/validation-plugin';

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
  expect(v.violatingConstructs[0]).toMatchObject({ resourceName: 'inference', manifestPath: file, locations: ['spec.minReplicas'] });
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

test('objects spread over several manifests (one per chart) are checked together', async () => {
  const objects = cleanManifests();
  const dup = JSON.parse(JSON.stringify(pick(objects, 'HorizontalPodAutoscaler', 'inference')));
  dup.metadata.name = 'other-chart-hpa';
  const report = await runAsCdk8s([manifestFile('a.k8s.yaml', objects), manifestFile('b.k8s.yaml', [dup])]);
  expect(report.success).toBe(false);
  expect(report.toJson().violations[0].violatingConstructs[0].manifestPath).toBe(path.join(dir, 'b.k8s.yaml'));
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

  test('an error makes `cdk8s synth` fail', () => {
    const objects = cleanManifests();
    pick(objects, 'ScaledObject', 'worker').spec.triggers[0].metadata.host = 'amqp://user:pass@rabbit:5672';
    const r = synth(objects);
    expect(r.output).toContain('ML-E-CREDENTIALS-IN-MANIFEST');
    expect(r.output).toContain('Validation failed');
    expect(r.status).toBe(2);
  }, 120_000);
});
