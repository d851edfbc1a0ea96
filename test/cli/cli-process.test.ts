/**
 * The CLI in a real process: exit status, standard input through /dev/fd/0 and /dev/stdin (FIFOs,
 * not regular files), a file over the 10 MiB that cdk8s' Yaml.load child process could return, and
 * `simulate` reading its manifest with lint's strict reader.
 */
import * as child from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { runCli } from './run-cli';
import { cleanManifests, pick } from '../guardrails/manifests';

const SIMULATE_FIXTURES = path.join(__dirname, '..', 'simulate', 'fixtures');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-process-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function brokenYaml(): string {
  const objects = cleanManifests();
  pick(objects, 'HorizontalPodAutoscaler', 'inference').spec.maxReplicas = 1;
  return Yaml.stringify(...objects);
}

describe.each(['/dev/fd/0', '/dev/stdin'])('lint %s', (device) => {
  test('reads a shell pipe (a FIFO, not a regular file)', () => {
    const input = path.join(dir, 'broken.yaml');
    fs.writeFileSync(input, brokenYaml());
    const r = runCli(['lint', device], { pipeFrom: input });
    expect(r.stdout).toContain(`${device}: error ML-E-MIN-ABOVE-MAX HorizontalPodAutoscaler ml-workloads/inference`);
    expect(r.stderr).toContain('1 error, 0 warnings in 10 objects from 1 file');
    expect(r.status).toBe(1);
  }, 90_000);

  test('reads a socket (Node child-process stdin), which cannot be opened again', () => {
    const r = runCli(['lint', device], { input: brokenYaml() });
    expect(r.stdout).toContain(`${device}: error ML-E-MIN-ABOVE-MAX HorizontalPodAutoscaler ml-workloads/inference`);
    expect(r.status).toBe(1);
  }, 90_000);
});

test('lint of a named FIFO', () => {
  const fifo = path.join(dir, 'manifests.fifo');
  const input = path.join(dir, 'fifo-input.yaml');
  fs.writeFileSync(input, brokenYaml());
  expect(child.spawnSync('mkfifo', [fifo]).status).toBe(0);
  // a writer in the background: the CLI's open blocks until it connects
  const writer = child.spawn('bash', ['-c', 'cat -- "$1" > "$2"', 'bash', input, fifo], { stdio: 'ignore' });
  try {
    const r = runCli(['lint', fifo]);
    expect(r.stdout).toContain(`${fifo}: error ML-E-MIN-ABOVE-MAX`);
    expect(r.status).toBe(1);
  } finally {
    writer.kill();
  }
}, 90_000);

test('lint of an empty file exits 2 (a CI step on the wrong path fails)', () => {
  const empty = path.join(dir, 'empty.yaml');
  fs.writeFileSync(empty, '');
  const r = runCli(['lint', empty]);
  expect(r.stderr.trim()).toBe(`lint: no Kubernetes object found; read ${empty}: 0 bytes, no document`);
  expect(r.status).toBe(2);
  const devNull = runCli(['lint', '/dev/null']);
  expect(devNull.stderr.trim()).toBe('lint: no Kubernetes object found; read /dev/null: 0 bytes, no document');
  expect(devNull.status).toBe(2);
}, 120_000);

test('lint of a file over 10 MiB runs in-process and finds the error after the large document', () => {
  const big = path.join(dir, 'big.yaml');
  const blob = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: model-vocab\n  namespace: ml-workloads\ndata:\n  vocab: ${'v'.repeat(11 * 1024 * 1024)}\n`;
  fs.writeFileSync(big, `${blob}---\n${brokenYaml()}`);
  const r = runCli(['lint', big], { timeoutMs: 120_000 });
  expect(r.stderr).not.toContain('ENOBUFS');
  expect(r.stdout).toContain(`${big}: error ML-E-MIN-ABOVE-MAX HorizontalPodAutoscaler ml-workloads/inference`);
  expect(r.stderr).toContain('1 error, 0 warnings in 11 objects from 1 file');
  expect(r.status).toBe(1);
}, 150_000);

test('lint reports the model-server guardrails on hand-written LLM manifests', () => {
  const file = path.join(__dirname, '..', 'guardrails', 'fixtures', 'llm-servers.yaml');
  const r = runCli(['lint', file, '--format', 'json']);
  expect(r.status).toBe(1);
  const ids = JSON.parse(r.stdout).findings.map((f: any) => `${f.ruleId} ${f.name}`);
  expect(ids).toEqual(expect.arrayContaining([
    'ML-E-SERVER-QUEUE-TARGET-ZERO summarizer', 'ML-E-ACTIVATION-ABOVE-THRESHOLD summarizer', 'ML-E-SERVER-SIGNAL-CANNOT-WAKE summarizer',
    'ML-W-LLM-SCALED-ON-UTILIZATION chat', 'ML-W-SERVER-METRIC-NOT-EXPORTED embedder',
  ]));
}, 90_000);

test('lint --help prints the exit codes', () => {
  const r = runCli(['lint', '--help']);
  expect(r.stdout).toMatch(/Exit status:\n {2}0 {2}no error finding[^\n]*\n {2}1 {2}at least one error finding[^\n]*\n {2}2 {2}nothing was checked/);
  expect(r.status).toBe(0);
}, 90_000);

describe('simulate reads its manifest with the same strict reader as lint', () => {
  // one mis-indented line: Yaml.load dropped the first CPU metric and simulate ran a different HPA
  const misIndented = () => {
    const lines = fs.readFileSync(path.join(SIMULATE_FIXTURES, 'article-inference.yaml'), 'utf8').split('\n');
    expect(lines[53]).toBe('    - type: Resource');
    lines[53] = '     - type: Resource';
    const p = path.join(dir, 'mis-indented.yaml');
    fs.writeFileSync(p, lines.join('\n'));
    return p;
  };

  test('simulate exits 2 with the file and line, as lint does', () => {
    const manifest = misIndented();
    const out = path.join(dir, 'out');
    const sim = runCli(['simulate', '--manifest', manifest, '--target', 'ml-inference-service',
      '--trace', path.join(SIMULATE_FIXTURES, 'spike-trace.csv'), '--capacity', '4', '--cold-start', '90s', '--out', out]);
    expect(sim.stderr).toContain(`simulate: --manifest: ${manifest}:55:`);
    expect(sim.stderr).toContain('invalid YAML in document 2');
    expect(sim.status).toBe(2);
    expect(fs.existsSync(path.join(out, 'report.svg'))).toBe(false);
    const lint = runCli(['lint', manifest]);
    expect(lint.stderr).toContain(`lint: ${manifest}:55:`);
    expect(lint.status).toBe(2);
  }, 150_000);
});
