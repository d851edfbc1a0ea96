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

  test('--out that is a file, or under a file, fails before the run with one line (was: a stack trace after the whole simulation)', () => {
    const file = path.join(dir, 'taken');
    fs.writeFileSync(file, 'x');
    for (const [out, message] of [
      [file, `simulate: --out ${file}: ${file} is a file, not a directory; pass a directory (created if missing)`],
      [path.join(file, 'sub'), `simulate: --out ${path.join(file, 'sub')}: ${file} is a file, not a directory; pass a directory (created if missing)`],
    ]) {
      const io = capture();
      expect(runSimulateCommand(args(dir, { '--out': out }), io)).toBe(2);
      expect(io.err).toEqual([message, 'run "cdk8s-ml-autoscaling simulate --help" for usage']);
      expect(io.out).toEqual([]);
    }
    const io = capture();
    fs.mkdirSync(path.join(dir, 'out', 'timeline.csv'), { recursive: true });
    expect(runSimulateCommand(args(dir, { '--out': path.join(dir, 'out') }), io)).toBe(2);
    expect(io.err[0]).toBe(`simulate: --out ${path.join(dir, 'out')}: ${path.join(dir, 'out', 'timeline.csv')} exists and is not a file; remove it or pass another directory`);
  });

  test('creates missing --out directories one level at a time', () => {
    const io = capture();
    expect(runSimulateCommand(args(dir, { '--out': path.join(dir, 'a', 'b') }), io)).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a', 'b', 'timeline.csv'), 'utf8')).toMatch(/^time,arrivals,/);
  });

  test.each([
    ['--sync-period', '0s', 'simulate: --sync-period 0s: must be a finite number greater than 0, got a number. Fix: use the controller\'s sync period, e.g. 15.'],
    ['--sync-period', '10ms', 'simulate: --sync-period 10ms: makes the HPA controller review 10,800,360,000 stored recommendations (360,000 syncs, each over the ' +
      'last 300 s of its windows; at most 1,000,000,000 in all). Fix: use at least 0.033 s, or a shorter trace.'],
    ['--initial-replicas', '1.5', 'simulate: --initial-replicas "1.5" must be a whole number'],
  ])('messages name the flag (%s %s), not the option', (flag, value, message) => {
    const io = capture();
    expect(runSimulateCommand(args(dir, { [flag]: value }), io)).toBe(2);
    expect(io.err[0]).toBe(message);
    expect(io.err.join('\n')).not.toMatch(/hpaSyncPeriodSeconds|initialReplicas|Simulator\.fromManifests/);
  });

  test('an autoscaling/v1 HPA is simulated with its targetCPUUtilizationPercentage; a ScaledJob is refused; unreadable metrics warn', () => {
    const manifest = path.join(dir, 'v1.yaml');
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n' +
      '      containers: [{name: app, image: app, resources: {requests: {cpu: "1", nvidia.com/gpu: 1}}}]\n';
    fs.writeFileSync(manifest, deployment + '---\napiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n' +
      '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 10\n  targetCPUUtilizationPercentage: 20\n' +
      '---\napiVersion: keda.sh/v1alpha1\nkind: ScaledJob\nmetadata: {name: batch}\nspec:\n  jobTargetRef: {template: {spec: {containers: [{name: w, image: w}]}}}\n' +
      '  triggers: [{type: rabbitmq, metadata: {queueName: q, value: "5"}}]\n');
    let io = capture();
    expect(runSimulateCommand(args(dir, { '--manifest': manifest, '--target': 'web' }), io)).toBe(0);
    // 8/s against 4/s per replica at a 20% CPU target: 10 replicas (not the 80% default's 3)
    expect(io.out.join('\n')).toMatch(/replicas +1\.\.10,/);

    io = capture();
    expect(runSimulateCommand(args(dir, { '--manifest': manifest, '--target': 'batch' }), io)).toBe(2);
    expect(io.err[0]).toMatch(/^simulate: --target batch: \[ManifestInput\.findTarget\] name="batch": is a KEDA ScaledJob, which the simulator does not simulate/);

    fs.writeFileSync(manifest, deployment + '---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n' +
      '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 10\n' +
      '  metrics: [{type: Resource, resource: {name: nvidia.com/gpu, target: {type: Utilization, averageUtilization: 60}}}]\n');
    io = capture();
    expect(runSimulateCommand(args(dir, { '--manifest': manifest, '--target': 'web' }), io)).toBe(0);
    expect(io.err).toEqual([expect.stringMatching(/^simulate: warning: HPA metric 1 \(Resource nvidia\.com\/gpu\): the resource metrics API \(metrics-server\) reports only cpu and memory/)]);
    expect(io.out.join('\n')).toMatch(/\nwarning +HPA metric 1 \(Resource nvidia\.com\/gpu\)/);
  });

  test('--help states the limits', () => {
    const io = capture();
    expect(runSimulateCommand(['--help'], io)).toBe(0);
    const help = io.out.join('\n');
    expect(help).toContain('trace             at most 366 days (last time <= 31,622,400 s) and 15,000,000 rows');
    expect(help).toContain('steps             at most 20,000,000 syncs + polls + timeline rows + trace rows');
    expect(help).toContain('timeline          at most 2,500,000 rows');
    expect(help).toContain('HPA history       at most 1,000,000,000 stored recommendations');
  });

  test('rejects an unknown option', () => {
    const io = capture();
    expect(runSimulateCommand([...args(dir), '--fast'], io)).toBe(2);
    expect(io.err[0]).toMatch(/unknown option --fast/);
  });

  describe('--kubernetes-version and --feature-gates', () => {
    const zero = (extra: Record<string, string | undefined>) => args(dir, {
      '--manifest': path.join(FIXTURES, 'scale-to-zero-inference.yaml'),
      '--target': 'llm-inference',
      '--trace': path.join(FIXTURES, 'idle-gaps-trace.csv'),
      '--capacity': '5',
      '--cold-start': undefined,
      ...extra,
    });

    test('simulates the HPA of that version and names it in the header, with the cold starts from zero', () => {
      const io = capture();
      expect(runSimulateCommand(zero({ '--kubernetes-version': '1.37' }), io)).toBe(0);
      expect(io.err).toEqual([]);
      expect(io.out[0]).toBe('Will it scale? llm-inference (HPA llm-inference · 5 items/s per ready replica · 60 s cold start · 1 GPU per pod · Kubernetes 1.37)');
      expect(io.out.join('\n')).toContain('cold starts        2 from zero ready replicas, first ready pod after max 75 s; 1,500 items waited through them');
      expect(fs.readFileSync(path.join(dir, 'report.svg'), 'utf8')).toContain('Kubernetes 1.37');
    });

    test('takes gates set differently from the version\'s defaults', () => {
      const io = capture();
      expect(runSimulateCommand(zero({ '--kubernetes-version': '1.36', '--feature-gates': 'HPAScaleToZero=true' }), io)).toBe(0);
      expect(io.out[0]).toMatch(/· Kubernetes 1\.36 with HPAScaleToZero=true\)$/);
      expect(io.out.join('\n')).toContain('cold starts        2 from zero');
    });

    test('the default (1.35) warns that its API server refuses minReplicas 0', () => {
      const io = capture();
      expect(runSimulateCommand(zero({}), io)).toBe(0);
      expect(io.out[0]).toMatch(/· Kubernetes 1\.35\)$/);
      expect(io.err).toEqual([expect.stringMatching(/^simulate: warning: HPA minReplicas 0: the API server of Kubernetes 1\.35 rejects it/)]);
    });

    test.each([
      [{ '--kubernetes-version': '2.1' }, /^simulate: --kubernetes-version "2\.1": is not a Kubernetes version/],
      [{ '--feature-gates': 'HPAScaleToZro=true' }, /^simulate: --feature-gates: "HPAScaleToZro" is not a gate this tool knows .*did you mean HPAScaleToZero\?/],
      [{ '--kubernetes-version': '1.37', '--feature-gates': 'HPAConfigurableTolerance=false' }, /^simulate: --feature-gates HPAConfigurableTolerance=false: cannot be disabled in Kubernetes 1\.37/],
    ])('a bad value is a usage error naming the flag: %o', (extra, message) => {
      const io = capture();
      expect(runSimulateCommand(zero(extra), io)).toBe(2);
      expect(io.err[0]).toMatch(message);
      expect(fs.readdirSync(dir)).toEqual([]); // refused before the run
    });

    test('--help lists both flags', () => {
      const io = capture();
      runSimulateCommand(['--help'], io);
      expect(io.out.join('\n')).toMatch(/--kubernetes-version V[\s\S]*--feature-gates G=B/);
    });
  });
});
