import * as child from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * `simulate` in a real process (the inputs that used to hang, run out of heap or crash the process):
 * each must end quickly with its exit status, within a small heap.
 */

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');

interface Run {
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs `cdk8s-ml-autoscaling simulate ...args` through ts-node with a `heapMiB` old-space limit. */
function simulate(args: string[], heapMiB = 400): Run {
  const started = Date.now();
  const r = child.spawnSync(process.execPath, [
    `--max-old-space-size=${heapMiB}`,
    '-r', 'ts-node/register/transpile-only',
    '-e', 'process.exitCode = require("./src/cli/main").main(process.argv.slice(1))',
    'simulate', ...args,
  ], {
    cwd: ROOT,
    encoding: 'utf-8',
    env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.dev.json' },
    timeout: 90_000,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-limits-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const inference = (trace: string, out: string, more: string[] = []): string[] => [
  '--manifest', path.join(FIXTURES, 'article-inference.yaml'), '--target', 'ml-inference-service',
  '--trace', trace, '--capacity', '4', '--cold-start', '90s', '--out', out, ...more,
];

test('a trace ending at epoch milliseconds (1e12) is refused on its row, with the limit (was: heap out of memory)', () => {
  const trace = path.join(dir, 'epoch.csv');
  fs.writeFileSync(trace, 'time,arrivals\n0,5\n1000000000000,0\n');
  const r = simulate(inference(trace, path.join(dir, 'epoch-out')));
  expect(r.signal).toBeNull();
  expect(r.stderr.split('\n')[0]).toBe(`simulate: --trace ${trace} (row 3, time)=1000000000000: is past the longest run the simulator takes, ` +
    '31,622,400 s (366 days). Fix: write seconds from the start of the run, not timestamps (epoch milliseconds? subtract the first time ' +
    'and divide by 1000), or split the trace.');
  expect(r.status).toBe(2);
  expect(fs.existsSync(path.join(dir, 'epoch-out', 'timeline.csv'))).toBe(false);
}, 100_000);

test('--sync-period 1ms is refused at once with the shortest period that fits (was: ~45 min, quadratic)', () => {
  const r = simulate(inference(path.join(FIXTURES, 'spike-trace.csv'), path.join(dir, 'sync-out'), ['--sync-period', '1ms']));
  expect(r.signal).toBeNull();
  expect(r.stderr.split('\n')[0]).toBe('simulate: --sync-period 1ms: makes the HPA controller review 1,080,003,600,000 stored recommendations ' +
    '(3,600,000 syncs, each over the last 300 s of its windows; at most 1,000,000,000 in all). Fix: use at least 0.033 s, or a shorter trace.');
  expect(r.stderr).not.toContain('hpaSyncPeriodSeconds');
  expect(r.status).toBe(2);
}, 100_000);

test('--out /proc/nope fails at once with one line, before the run (was: 100% CPU forever)', () => {
  const r = simulate(inference(path.join(FIXTURES, 'spike-trace.csv'), '/proc/nope'));
  expect(r.signal).toBeNull();
  expect(r.stderr.split('\n')).toEqual([
    'simulate: --out /proc/nope: cannot create /proc/nope (ENOENT); pass a directory you can write to',
    'run "cdk8s-ml-autoscaling simulate --help" for usage',
    '',
  ]);
  expect(r.status).toBe(2);
}, 100_000);

test('maxReplicas 1000000000 (a valid int32) simulates: starting pods are kept per scale-up (was: native crash "invalid size")', () => {
  const manifest = path.join(dir, 'huge.yaml');
  fs.writeFileSync(manifest, [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec:', '  template:', '    spec:',
    '      containers: [{name: app, image: app, resources: {requests: {cpu: "1"}}}]', '---',
    'apiVersion: autoscaling/v2', 'kind: HorizontalPodAutoscaler', 'metadata: {name: web}', 'spec:',
    '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}', '  minReplicas: 1', '  maxReplicas: 1000000000',
    '  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 1}}}]', '',
  ].join('\n'));
  const trace = path.join(dir, 'flood.csv');
  fs.writeFileSync(trace, 'time,arrivals\n0,4000000000\n1200,0\n1500,0\n');
  const out = path.join(dir, 'huge-out');
  const r = simulate(['--manifest', manifest, '--target', 'web', '--trace', trace, '--capacity', '1', '--cold-start', '60s', '--out', out], 300);
  expect(r.signal).toBeNull();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const replicas = /replicas +(\d+)\.\.(\d+), (\d+) scale events/.exec(r.stdout)!;
  // doubling (100% per 15 s) from 1 reaches maxReplicas: far beyond what one array entry per starting pod can hold (2^27 in V8)
  expect(Number(replicas[2])).toBe(1_000_000_000);
  const csv = fs.readFileSync(path.join(out, 'timeline.csv'), 'utf8').trim().split('\n');
  expect(csv).toHaveLength(1 + 1500 / 15);
}, 100_000);
