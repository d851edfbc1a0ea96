import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliIo } from '../../src/cli/io';
import { runSimulateCommand } from '../../src/cli/simulate-command';

const FIXTURES = path.join(__dirname, '..', 'simulate', 'fixtures');

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: l => out.push(l), stderr: l => err.push(l) };
}

function args(dir: string, capacityFlags: string[]): string[] {
  return ['--manifest', path.join(FIXTURES, 'article-inference.yaml'), '--target', 'ml-inference-service',
    '--trace', path.join(FIXTURES, 'spike-trace.csv'), '--cold-start', '90s', '--out', dir, ...capacityFlags];
}

describe('simulate --concurrency N --service-time S', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-concurrency-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = (flags: string[]) => {
    const io = capture();
    const status = runSimulateCommand(args(dir, flags), io);
    return { status, io, csv: status === 0 ? fs.readFileSync(path.join(dir, 'timeline.csv'), 'utf8') : '' };
  };

  test('8 at once for 2 s is the same run as --capacity 4, and the subtitle says both', () => {
    const byCapacity = run(['--capacity', '4']);
    expect(byCapacity.status).toBe(0);
    expect(byCapacity.io.out[0]).toContain('· 4 items/s per ready replica · 90 s cold start');
    const byConcurrency = run(['--concurrency', '8', '--service-time', '2s']);
    expect(byConcurrency.status).toBe(0);
    expect(byConcurrency.io.err).toEqual([]);
    expect(byConcurrency.io.out[0]).toContain('· 4 items/s per ready replica (8 at once, 2 s each) · 90 s cold start');
    expect(byConcurrency.csv).toBe(byCapacity.csv);
  });

  test('--service-time takes milliseconds; --capacity with one of the two derives the other', () => {
    const r = run(['--concurrency', '2', '--service-time', '500ms']);
    expect(r.status).toBe(0);
    expect(r.io.out[0]).toContain('· 4 items/s per ready replica (2 at once, 0.5 s each)');
    const derived = run(['--capacity', '4', '--service-time', '2s']);
    expect(derived.status).toBe(0);
    expect(derived.io.out[0]).toContain('· 4 items/s per ready replica (8 at once, 2 s each)');
    const agreeing = run(['--capacity', '4', '--concurrency', '8', '--service-time', '2s']);
    expect(agreeing.status).toBe(0);
  });

  test.each([
    [['--concurrency', '8', '--service-time', '2s', '--capacity', '5'],
      'simulate: --capacity 5: disagrees with --concurrency 8 / --service-time 2s = 4 items per second. Fix: give either --capacity or ' +
      '--concurrency and --service-time (leave one of the three out and it is derived), or make capacity = concurrency / service time.'],
    [['--concurrency', '8'],
      'simulate: --service-time is missing: --concurrency 8 alone does not give the capacity of one replica. Fix: give --service-time too ' +
      '(how long one item takes; capacity = concurrency / service time), or --capacity.'],
    [['--service-time', '2s'],
      'simulate: --concurrency is missing: --service-time 2s alone does not give the capacity of one replica. Fix: give --concurrency too ' +
      '(items one replica processes at once, e.g. the engine\'s maximum batch), or --capacity.'],
    [[], 'simulate: missing --capacity (or --concurrency and --service-time)'],
    [['--concurrency', 'eight', '--service-time', '2s'], 'simulate: --concurrency "eight" must be a number greater than 0'],
    [['--concurrency', '0', '--service-time', '2s'], 'simulate: --concurrency "0" must be a number greater than 0'],
    [['--concurrency', '8', '--service-time', 'soon'], 'simulate: --service-time "soon" is not a duration (e.g. 90s, 2m, 1m30s)'],
    [['--concurrency', '8', '--service-time', '0s'], 'simulate: --service-time "0s" must be a duration greater than 0 (e.g. 2s, 500ms)'],
  ])('exits 2 with one line for %j', (flags, message) => {
    const r = run(flags);
    expect(r.status).toBe(2);
    expect(r.io.err[0]).toBe(message);
    expect(fs.existsSync(path.join(dir, 'timeline.csv'))).toBe(false);
  });

  test('the usage names the flags', () => {
    const io = capture();
    expect(runSimulateCommand(['--help'], io)).toBe(0);
    const usage = io.out.join('\n');
    expect(usage).toContain('(--capacity ITEMS_PER_SECOND_PER_REPLICA | --concurrency N --service-time 2s)');
    expect(usage).toMatch(/--concurrency {5}work items one ready replica processes at once/);
    expect(usage).toMatch(/--service-time {4}how long one work item takes/);
  });
});
