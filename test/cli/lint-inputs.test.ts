import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { runLintCommand } from '../../src/cli/lint-command';
import { Guardrails } from '../../src/guardrails/guardrails';
import { cleanManifests, pick } from '../guardrails/manifests';

function lint(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runLintCommand(args, { stdout: l => out.push(...l.split('\n')), stderr: l => err.push(...l.split('\n')) });
  return { out, err, code };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-inputs-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

function broken(): any[] {
  const objects = cleanManifests();
  pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.maxReplicas = 1;
  return objects;
}

test.each([
  ['an empty file', 'empty.yaml', '', 'no document'],
  ['--- only', 'dashes.yaml', '---\n---\n', 'only empty documents'],
])('%s: exit 2, no Kubernetes object found, saying what was read', (_, name, text, what) => {
  const p = file(name, text);
  const r = lint(p);
  expect(r.code).toBe(2);
  expect(r.err).toEqual([`lint: no Kubernetes object found; read ${p}: ${text.length} bytes, ${what}`]);
  expect(r.out).toEqual([]);
});

test('an empty directory: exit 2', () => {
  const empty = path.join(dir, 'empty-dir');
  fs.mkdirSync(empty);
  const r = lint(empty);
  expect(r.code).toBe(2);
  expect(r.err[0]).toBe(`lint: no Kubernetes object found; read ${empty}: a directory with no *.yaml, *.yml or *.json file`);
});

test('plain text and documents without kind/apiVersion: exit 2, nothing linted', () => {
  const text = lint(file('readme.yaml', 'This is not a manifest.\n'));
  expect(text.code).toBe(2);
  expect(text.err.join('\n')).toContain('document 1 (line 1): a string ("This is not a manifest."), not an object');
  const values = file('mixed.yaml', `${Yaml.stringify(...broken())}---\nreplicaCount: 3\n`);
  const r = lint(values);
  expect(r.code).toBe(2);
  expect(r.out).toEqual([]); // the broken HPA is not reported: the input is rejected first
  expect(r.err.join('\n')).toContain(`${values}: document 11 (line `);
  expect(r.err.join('\n')).toContain('no apiVersion and no kind (keys: replicaCount)');
});

test('a bare JSON array: every item is linted', () => {
  const p = file('array.json', JSON.stringify(broken()));
  const r = lint(p, '--format', 'json');
  expect(r.code).toBe(1);
  const report = JSON.parse(r.out.join('\n'));
  expect(report.summary).toMatchObject({ errors: 1, objects: 10, files: 1 });
  expect(report.findings[0]).toMatchObject({ ruleId: 'ML-E-MIN-ABOVE-MAX', name: 'inference', file: p });
});

test('kind: List items are counted as objects and linted', () => {
  const p = file('list.yaml', Yaml.stringify({ apiVersion: 'v1', kind: 'List', items: broken() }));
  const r = lint(p);
  expect(r.code).toBe(1);
  expect(r.out.some(l => l.startsWith(`${p}: error ML-E-MIN-ABOVE-MAX HorizontalPodAutoscaler ml-workloads/inference`))).toBe(true);
  expect(r.err).toEqual(['1 error, 0 warnings in 10 objects from 1 file']);
});

test('--disable with an unknown rule ID: exit 2 naming the closest rule ID', () => {
  const p = file('clean.yaml', Yaml.stringify(...cleanManifests()));
  const r = lint(p, '--disable', 'ML-W-PDB-BLOCK-DRAIN');
  expect(r.code).toBe(2);
  expect(r.err[0]).toBe('lint: --disable ML-W-PDB-BLOCK-DRAIN: no such rule ID (closest: ML-W-PDB-BLOCKS-DRAIN; --list-rules prints them all)');
  expect(lint(p, '--disable', 'ml-e-min-above-max').err[0]).toContain('(closest: ML-E-MIN-ABOVE-MAX;');
  // every known ID is accepted, comma-separated too
  const ids = Guardrails.rules().map(rule => rule.id);
  expect(lint(p, '--disable', ids.join(',')).code).toBe(0);
});

test('a directory symlink loop is skipped with a notice', () => {
  const root = path.join(dir, 'loop');
  fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
  Yaml.save(path.join(root, 'sub', 'app.yaml'), broken());
  fs.symlinkSync(root, path.join(root, 'sub', 'again'));
  const r = lint(root);
  expect(r.code).toBe(1);
  expect(r.err[0]).toBe(`lint: skipping ${path.join(root, 'sub', 'again')}: a symlink back to ${fs.realpathSync(root)}, already being read (directory loop)`);
  expect(r.err[1]).toBe('1 error, 0 warnings in 10 objects from 1 file');
});

test('a Helm template that is valid YAML (`{{ x }}`: a mapping as a key): exit 2 with the line and the hint', () => {
  const p = file('hpa.yaml', 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: x\nspec:\n  maxReplicas: {{ .Values.max }}\n');
  const r = lint(p);
  expect(r.code).toBe(2);
  expect(r.err[0]).toMatch(new RegExp(`^lint: ${p.replace(/[.]/g, '\\.')}:6:\\d+: invalid YAML in document 1: `));
  expect(r.err[0]).toContain('a mapping or sequence used as a mapping key');
  expect(r.err).toContain('    maxReplicas: {{ .Values.max }}');
  expect(r.err).toContain('  this looks like an unrendered Helm template: run `helm template` first and lint its output');
});

test('--help documents the exit codes', () => {
  const help = lint('--help').out.join('\n');
  expect(help).toContain('Exit status:\n  0  no error finding');
  expect(help).toContain('\n  1  at least one error finding');
  expect(help).toContain('\n  2  nothing was checked');
});
