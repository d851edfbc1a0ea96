import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliIo } from '../../src/cli/io';
import { runSimulateCommand } from '../../src/cli/simulate-command';

const FIXTURES = path.join(__dirname, 'fixtures');

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: l => out.push(l), stderr: l => err.push(l) };
}

function args(dir: string, overrides: Record<string, string | undefined> = {}): string[] {
  const base: Record<string, string | undefined> = {
    '--manifest': path.join(FIXTURES, 'article-inference.yaml'),
    '--target': 'ml-inference-service',
    '--trace': path.join(FIXTURES, 'spike-trace.csv'),
    '--capacity': '4',
    '--cold-start': '90s',
    '--out': dir,
    ...overrides,
  };
  return Object.entries(base).filter(([, v]) => v !== undefined).flatMap(([k, v]) => [k, v!]);
}

describe('cdk8s-ml-autoscaling simulate', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('writes timeline.csv and report.svg for the article inference service and prints the summary', () => {
    const io = capture();
    expect(runSimulateCommand(args(dir, { '--latency-target': '5s' }), io)).toBe(0);
    expect(io.err).toEqual([]);
    const printed = io.out.join('\n');
    expect(printed).toMatch(/Will it scale\? ml-inference-service/);
    expect(printed).toMatch(/p95/);
    expect(printed).toMatch(/GPU-hours/);

    const csv = fs.readFileSync(path.join(dir, 'timeline.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('time,arrivals,desired_replicas,ready_replicas,queue_depth,utilization_percent,wait_seconds');
    expect(csv).toHaveLength(1 + 3600 / 15);
    expect(csv[1]).toMatch(/^0,8,2,2,0,/);
    // the spike at 660 s: 30/s against 2-3 replicas of 4/s builds a queue
    const at = (t: number) => csv.find(l => l.startsWith(`${t},`))!.split(',');
    expect(Number(at(720)[4])).toBeGreaterThan(0);
    expect(Number(at(720)[2])).toBeGreaterThan(Number(at(600)[2]));

    const svg = fs.readFileSync(path.join(dir, 'report.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const series of ['demand (arrivals/s)', 'ready capacity', 'desired replicas', 'ready replicas', 'queue depth']) {
      expect(svg).toContain(`data-series="${series}"`);
    }
    expect(svg).toContain('time (minutes)');
    expect(svg).toContain('class="latency-target"');
  });

  test('defaults the cold start to the model-load annotation', () => {
    const io = capture();
    expect(runSimulateCommand(args(dir, { '--cold-start': undefined }), io)).toBe(0);
    expect(io.out[0]).toMatch(/90 s cold start/);
  });

  test.each([
    [{ '--capacity': undefined }, /missing --capacity/],
    [{ '--capacity': 'fast' }, /--capacity "fast" must be a number/],
    [{ '--cold-start': 'soon' }, /--cold-start "soon" is not a duration/],
    [{ '--manifest': '/nonexistent.yaml' }, /no such file/],
    [{ '--target': 'nothing' }, /no HorizontalPodAutoscaler or ScaledObject targets "nothing"/],
    [{ '--trace': path.join(FIXTURES, 'article-inference.yaml') }, /--trace .*header/],
  ])('exits 2 with a clear message for bad arguments (%j)', (overrides, message) => {
    const io = capture();
    expect(runSimulateCommand(args(dir, overrides), io)).toBe(2);
    expect(io.err.join('\n')).toMatch(message);
    expect(fs.existsSync(path.join(dir, 'timeline.csv'))).toBe(false);
  });

  test('prints usage with --help', () => {
    const io = capture();
    expect(runSimulateCommand(['--help'], io)).toBe(0);
    expect(io.out[0]).toMatch(/^usage: cdk8s-ml-autoscaling simulate --manifest FILE.yaml --target WORKLOAD --trace TRACE.csv/);
  });

  test('takes --flag=value and an initial replica count', () => {
    const io = capture();
    const a = args(dir).map((v, i, all) => (i % 2 === 0 ? `${v}=${all[i + 1]}` : undefined)).filter((v): v is string => v !== undefined);
    expect(runSimulateCommand([...a, '--initial-replicas=5'], io)).toBe(0);
    const csv = fs.readFileSync(path.join(dir, 'timeline.csv'), 'utf8').split('\n');
    expect(csv[1]).toMatch(/^0,8,5,5,/);
  });

  test('rejects an unknown option', () => {
    const io = capture();
    expect(runSimulateCommand([...args(dir), '--fast'], io)).toBe(2);
    expect(io.err[0]).toMatch(/unknown option --fast/);
  });
});
