/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * One measurement in a fresh process. Run as compiled JS by bench/run.ts:
 *   node bench-results/build/bench/worker.js '<task json>'
 * Prints one JSON line with the result. Modules a task needs are required before its clock starts,
 * except for the `load` task, which times exactly that.
 */
import * as path from 'path';
import { performance } from 'perf_hooks';

export type Task =
  | {
    readonly kind: 'synth';
    readonly fixture: 'gpu' | 'queue';
    readonly side: 'library' | 'raw';
    readonly n: number;
    /** `toJson`: `chart.toJson()` as `Testing.synth` does; `synthYaml`: `app.synthYaml()`, the same validations as `app.synth()`. */
    readonly mode: 'toJson' | 'synthYaml';
    /** Charts the N instances are spread over (app.synthYaml() validates the app 1 + charts times). @default 1 */
    readonly charts?: number;
  }
  | { readonly kind: 'check'; readonly fixture: 'gpu' | 'queue'; readonly n: number }
  | { readonly kind: 'load'; readonly target: 'library' | 'cdk8s-plus-28' }
  | { readonly kind: 'hpa-sync'; readonly syncs: number }
  | { readonly kind: 'simulate-week' }
  /** The one-week simulation of a service the HPA scales to zero (Kubernetes 1.37) over a trace with idle gaps. */
  | { readonly kind: 'simulate-week-zero' }
  /** The `simulate` CLI (in this process) over a trace CSV file, writing its report to `out`. */
  | { readonly kind: 'simulate-trace-file'; readonly trace: string; readonly out: string }
  | { readonly kind: 'lint'; readonly services: number; readonly workers: number }
  /** `cdk8s synth` (the real CLI, a child process) of an app of `charts` files, with or without the validation plugin. */
  | { readonly kind: 'cdk8s-synth'; readonly plugin: boolean; readonly charts: number; readonly perChart: number }
  /** In one process: `app.synth()` of that app, then the plugin's `validateSync` over its files, then `Yaml.load` of them. */
  | { readonly kind: 'plugin-validate'; readonly charts: number; readonly perChart: number }
  | { readonly kind: 'lint-input'; readonly file: string; readonly services: number; readonly workers: number }
  | { readonly kind: 'lint-cli'; readonly file: string };

export interface Measurement {
  /** Wall time of the measured work, in milliseconds. */
  readonly ms: number;
  /**
   * CPU time (user + system, all threads, so GC helpers too) of the measured work, in
   * milliseconds: steadier than wall time when other processes share the machine.
   */
  readonly cpuMs: number;
  /** Peak resident set size of the process, in MiB. */
  readonly peakRssMiB: number;
  /** Resident set size just before the measured work, in MiB. */
  readonly startRssMiB: number;
  readonly [extra: string]: unknown;
}

const FIXTURES = {
  gpu: { library: './fixtures/gpu-inference', raw: './fixtures/gpu-inference-raw' },
  queue: { library: './fixtures/queue-batch-worker', raw: './fixtures/queue-batch-worker-raw' },
};

function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}

/**
 * Builds N instances in one chart, then synthesizes them either as `Testing.synth` does
 * (`chart.toJson()`: resolve dependencies, run the validations once, toJson) or as `cdk8s synth`
 * does (`app.synthYaml()`, which validates the app and then calls `chart.toJson()`, so cdk8s runs
 * every validation twice for a one-chart app, and then writes YAML).
 */
function synthFleet(fixture: 'gpu' | 'queue', side: 'library' | 'raw', n: number, mode: 'toJson' | 'synthYaml', charts: number): Measurement {
  const { App, Chart } = require('cdk8s');
  const add: (scope: unknown, n: number, first?: number) => void = side === 'library'
    ? require(FIXTURES[fixture].library).addFleet
    : require(FIXTURES[fixture].raw).addRawFleet;
  const startRssMiB = mib(process.memoryUsage().rss);
  const c0 = cpuMs();
  const t0 = performance.now();
  const app = new App();
  let chart = new Chart(app, 'fleet');
  add(chart, n / charts);
  for (let i = 1; i < charts; i++) {
    chart = new Chart(app, `fleet-${i}`, { namespace: `fleet-${i}` });
    add(chart, n / charts, i * (n / charts)); // names unique across charts: objects may share a namespace
  }
  const t1 = performance.now();
  const c1 = cpuMs();
  const output: unknown[] | string = mode === 'toJson' ? chart.toJson() : app.synthYaml();
  const t2 = performance.now();
  const c2 = cpuMs();
  return {
    ms: t2 - t0,
    cpuMs: c2 - c0,
    peakRssMiB: peakRssMiB(),
    startRssMiB,
    constructMs: t1 - t0,
    constructCpuMs: c1 - c0,
    synthMs: t2 - t1,
    synthCpuMs: c2 - c1,
    objects: mode === 'toJson' ? (output as unknown[]).length : undefined,
  };
}

function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map(k => [k, sortKeys(value[k])]));
  }
  return value;
}

/** Both sides render the same manifests, in the same order: the comparison is like for like. */
function check(fixture: 'gpu' | 'queue', n: number) {
  const { App, Chart } = require('cdk8s');
  const render = (add: (scope: unknown, n: number) => void) => {
    const app = new App();
    const chart = new Chart(app, 'fleet');
    add(chart, n);
    return chart.toJson().map(sortKeys);
  };
  const library = render(require(FIXTURES[fixture].library).addFleet);
  const raw = render(require(FIXTURES[fixture].raw).addRawFleet);
  const a = JSON.stringify(library);
  const b = JSON.stringify(raw);
  let firstDifference: unknown;
  if (a !== b) {
    const i = library.findIndex((m: unknown, k: number) => JSON.stringify(m) !== JSON.stringify(raw[k]));
    firstDifference = { index: i, library: library[i], raw: raw[i] };
  }
  return { identical: a === b, objects: library.length, firstDifference };
}

function load(target: 'library' | 'cdk8s-plus-28'): Measurement {
  const id = target === 'library' ? path.join(__dirname, '..', 'src', 'index.js') : 'cdk8s-plus-28';
  const startRssMiB = mib(process.memoryUsage().rss);
  const c0 = cpuMs();
  const t0 = performance.now();
  require(id);
  const ms = performance.now() - t0;
  return { ms, cpuMs: cpuMs() - c0, peakRssMiB: peakRssMiB(), startRssMiB };
}

/**
 * `HpaController.sync` in a loop at 15 s steps on the benchmarked service's HPA (3 metrics, 5-minute
 * scale-down window, percent and pods policies), feeding each decision back as the next replica count.
 */
function hpaSync(syncs: number): Measurement {
  const { HpaController } = require('../src/simulate/hpa-controller');
  const spec = require('./fixtures/simulation').serviceHpaSpec();
  const startRssMiB = mib(process.memoryUsage().rss);
  const c0 = cpuMs();
  const t0 = performance.now();
  const hpa = new HpaController(spec);
  let replicas = spec.minReplicas;
  let checksum = 0;
  for (let i = 0; i < syncs; i++) {
    const now = i * 15;
    const daily = 0.5 - 0.5 * Math.cos((now / 86400) * 2 * Math.PI); // 0..1
    replicas = hpa.sync(now, replicas, [30 + 60 * daily, 70, 2 + 25 * daily]);
    checksum += replicas;
  }
  const ms = performance.now() - t0;
  return { ms, cpuMs: cpuMs() - c0, peakRssMiB: peakRssMiB(), startRssMiB, syncs, syncsPerSecond: syncs / (ms / 1000), checksum };
}

/** One week of `Simulator.fromManifests` (HPA syncs every 15 s): what it costs and what it produced. */
function simulateOneWeek(manifests: any[], target: string, trace: any, options: object):
{ ms: number; cpuMs: number; startRssMiB: number; result: any } {
  const { Simulator } = require('../src/simulate/simulator');
  const fixture = require('./fixtures/simulation');
  const startRssMiB = mib(process.memoryUsage().rss);
  const c0 = cpuMs();
  const t0 = performance.now();
  const result = Simulator.fromManifests(manifests, target, {
    trace, capacityPerReplica: fixture.CAPACITY_PER_REPLICA, hpaSyncPeriodSeconds: 15, ...options,
  });
  return { ms: performance.now() - t0, cpuMs: cpuMs() - c0, startRssMiB, result };
}

/** A one-week simulation of the benchmarked service from its manifests. */
function simulateWeek(): Measurement {
  const fixture = require('./fixtures/simulation');
  const week = simulateOneWeek(fixture.serviceManifests(), `svc-${fixture.SIMULATED_SERVICE}`, fixture.weekTrace(), {});
  const s = week.result.summary;
  return {
    ms: week.ms,
    cpuMs: week.cpuMs,
    peakRssMiB: peakRssMiB(),
    startRssMiB: week.startRssMiB,
    timelineRows: week.result.timeline.length,
    scaleEvents: s.scaleEvents,
    peakReplicas: s.peakReplicas,
    p95QueueWaitSeconds: s.p95QueueWaitSeconds,
  };
}

/** A one-week simulation of a service the HPA scales to zero and back (Kubernetes 1.37, nights and lulls idle). */
function simulateWeekZero(): Measurement {
  const fixture = require('./fixtures/simulation');
  const week = simulateOneWeek(fixture.scaleToZeroManifests(), 'llm', fixture.idleWeekTrace(), { kubernetesVersion: '1.37' });
  const s = week.result.summary;
  if (s.coldStartsFromZero === 0 || s.lowestReplicas !== 0) throw new Error('the scale-to-zero week never scaled to zero and back');
  return {
    ms: week.ms,
    cpuMs: week.cpuMs,
    peakRssMiB: peakRssMiB(),
    startRssMiB: week.startRssMiB,
    timelineRows: week.result.timeline.length,
    scaleEvents: s.scaleEvents,
    coldStartsFromZero: s.coldStartsFromZero,
    maxTimeToFirstReadySeconds: s.maxTimeToFirstReadySeconds,
    p95QueueWaitSeconds: s.p95QueueWaitSeconds,
  };
}

/**
 * `cdk8s-ml-autoscaling simulate` of the article inference service over a long trace file, as a user runs it:
 * streams the trace, simulates, writes timeline.csv and report.svg. The peak RSS is the whole process's.
 */
function simulateTraceFile(trace: string, out: string): Measurement {
  const { runSimulateCommand } = require('../src/cli/simulate-command');
  const manifest = path.join(__dirname, '..', '..', '..', 'test', 'simulate', 'fixtures', 'article-inference.yaml');
  const printed: string[] = [];
  const io = { stdout: (l: string) => printed.push(l), stderr: (l: string) => printed.push(l) };
  const startRssMiB = mib(process.memoryUsage().rss);
  const c0 = cpuMs();
  const t0 = performance.now();
  const code = runSimulateCommand(['--manifest', manifest, '--target', 'ml-inference-service', '--trace', trace,
    '--capacity', '4', '--cold-start', '90s', '--out', out], io);
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`simulate exited ${code}:\n${printed.join('\n')}`);
  return {
    ms,
    cpuMs: cpuMs() - c0,
    peakRssMiB: peakRssMiB(),
    startRssMiB,
    fileMiB: mib(require('fs').statSync(trace).size),
    summary: printed.flatMap(l => l.split('\n')).filter(l => /^(simulated|replicas) /.test(l)).map(l => l.replace(/\s+/g, ' ')).join('; '),
  };
}

/**
 * `Guardrails.check` over a list of plain objects: `services` inference services (Deployment,
 * Service, PDB, HPA) and `workers` queue workers (Deployment, ScaledObject), rendered by the raw
 * fixtures (the same JSON the constructs emit, without running the constructs' own synth checks).
 */
function lint(services: number, workers: number): Measurement {
  const { App, Chart } = require('cdk8s');
  const { Guardrails } = require('../src/guardrails/guardrails');
  const chart = new Chart(new App(), 'lint');
  require(FIXTURES.gpu.raw).addRawFleet(chart, services);
  require(FIXTURES.queue.raw).addRawFleet(chart, workers);
  const objects: unknown[] = chart.toJson();
  const startRssMiB = mib(process.memoryUsage().rss);
  const c0 = cpuMs();
  const t0 = performance.now();
  const findings: Array<{ ruleId: string }> = Guardrails.check(objects);
  const ms = performance.now() - t0;
  const byRule: { [id: string]: number } = {};
  for (const f of findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  return { ms, cpuMs: cpuMs() - c0, peakRssMiB: peakRssMiB(), startRssMiB, objects: objects.length, findings: findings.length, byRule };
}

/** The plugin bench's app: `charts` charts (one manifest file each) of `perChart` GpuInferenceServices. */
export function pluginBenchApp(outdir: string | undefined, charts: number, perChart: number): unknown {
  const { App, Chart } = require('cdk8s');
  const app = new App(outdir ? { outdir } : {});
  for (let c = 0; c < charts; c++) require(FIXTURES.gpu.library).addFleet(new Chart(app, `chart-${c}`), perChart, c * perChart);
  return app;
}

/** Children's CPU time so far (user + system of waited-for children, Linux /proc), in ms; NaN elsewhere. */
function childrenCpuMs(): number {
  try {
    const fields = require('fs').readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // after "pid (comm) ": state is field 3, cutime field 16, cstime field 17 (1-based)
    return (Number(fields[13]) + Number(fields[14])) * 10; // clock ticks at USER_HZ 100
  } catch {
    return NaN;
  }
}

/**
 * `cdk8s synth` with the cdk8s CLI in a fresh app directory, the plugin listed in the documented
 * local form (`./node_modules/cdk8s-ml-autoscaling`, here re-exporting this build) or no
 * `validations:` at all. Timed: the whole CLI run (app in its child process, then the plugin).
 */
function cdk8sSynth(plugin: boolean, charts: number, perChart: number): Measurement {
  const fs = require('fs');
  const os = require('os');
  const child = require('child_process');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cdk8s-synth-'));
  try {
    const pkg = path.join(dir, 'node_modules', 'cdk8s-ml-autoscaling');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'cdk8s-ml-autoscaling', version: '0.1.0', main: 'index.js' }));
    fs.writeFileSync(path.join(pkg, 'index.js'), `module.exports = require(${JSON.stringify(path.join(__dirname, '..', 'src', 'index.js'))});\n`);
    fs.writeFileSync(path.join(dir, 'app.js'),
      `require(${JSON.stringify(__filename)}).pluginBenchApp(undefined, ${charts}, ${perChart}).synth();\n`);
    const validations = plugin
      ? 'validations:\n  - package: ./node_modules/cdk8s-ml-autoscaling\n    version: 0.1.0\n    class: GuardrailsValidation\n'
      : '';
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `language: typescript\napp: ${JSON.stringify(`${process.execPath} app.js`)}\noutput: dist\n${validations}`);
    const cli = path.join(path.dirname(require.resolve('cdk8s-cli/package.json')), 'bin', 'cdk8s');
    const env = { ...process.env, CDK8S_CHECK_UPGRADE: 'false', CDK8S_ML_AUTOSCALING_QUIET: '1' };
    const startRssMiB = mib(process.memoryUsage().rss);
    const c0 = childrenCpuMs();
    const t0 = performance.now();
    const r = child.spawnSync(process.execPath, [cli, 'synth'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const ms = performance.now() - t0;
    const cpu = childrenCpuMs() - c0;
    if (r.status !== 0) throw new Error(`cdk8s synth exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
    const files = fs.readdirSync(path.join(dir, 'dist')).filter((f: string) => f.endsWith('.k8s.yaml')).length;
    const validated = plugin ? /Validations ended succesfully/.test(r.stdout + r.stderr) : undefined;
    if (plugin && !validated) throw new Error(`the plugin did not report success:\n${r.stdout}\n${r.stderr}`);
    return { ms, cpuMs: cpu, peakRssMiB: peakRssMiB(), startRssMiB, files, validated };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `app.synth()` of the plugin bench's app, then `validateSync` over the files it wrote, then `Yaml.load` of each (the old reader). */
function pluginValidate(charts: number, perChart: number): Measurement {
  const fs = require('fs');
  const os = require('os');
  const { Yaml } = require('cdk8s');
  const { GuardrailsValidation } = require('../src/guardrails/validation-plugin');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-plugin-'));
  process.env.CDK8S_ML_AUTOSCALING_QUIET = '1';
  try {
    const startRssMiB = mib(process.memoryUsage().rss);
    const c0 = cpuMs();
    const t0 = performance.now();
    (pluginBenchApp(outdir, charts, perChart) as any).synth();
    const synthMs = performance.now() - t0;
    const synthCpuMs = cpuMs() - c0;
    const manifests = fs.readdirSync(outdir).filter((f: string) => f.endsWith('.k8s.yaml')).map((f: string) => path.join(outdir, f));
    const c1 = cpuMs();
    const t1 = performance.now();
    let status = '';
    const report = { addViolation: () => {}, submit: (s: string) => { status = s; } };
    const findings = new GuardrailsValidation().validateSync({ manifests, report });
    const validateMs = performance.now() - t1;
    const validateCpuMs = cpuMs() - c1;
    const t2 = performance.now();
    let objects = 0;
    for (const m of manifests) objects += Yaml.load(m).length;
    const yamlLoadMs = performance.now() - t2;
    return {
      ms: validateMs,
      cpuMs: validateCpuMs,
      peakRssMiB: peakRssMiB(),
      startRssMiB,
      synthMs,
      synthCpuMs,
      yamlLoadMs,
      files: manifests.length,
      objects,
      findings: findings.length,
      status,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The `lint` command on a file, as the CLI runs it (`main(['lint', file])`, the compiled entry
 * point bin/ calls), in this fresh process: reading, parsing and checking, module loading included.
 * Findings are counted, not printed.
 */
function lintCli(file: string): Measurement {
  const startRssMiB = mib(process.memoryUsage().rss);
  const c0 = cpuMs();
  const t0 = performance.now();
  const { main } = require('../src/cli/main');
  let findings = 0;
  let summary = '';
  const status: number = main(['lint', file], { stdout: () => findings++, stderr: (line: string) => { summary = line; } });
  const ms = performance.now() - t0;
  return { ms, cpuMs: cpuMs() - c0, peakRssMiB: peakRssMiB(), startRssMiB, status, findings, summary };
}

function run(task: Task): unknown {
  switch (task.kind) {
    case 'synth': return synthFleet(task.fixture, task.side, task.n, task.mode, task.charts ?? 1);
    case 'check': return check(task.fixture, task.n);
    case 'load': return load(task.target);
    case 'hpa-sync': return hpaSync(task.syncs);
    case 'simulate-week': return simulateWeek();
    case 'simulate-week-zero': return simulateWeekZero();
    case 'simulate-trace-file': return simulateTraceFile(task.trace, task.out);
    case 'lint': return lint(task.services, task.workers);
    case 'cdk8s-synth': return cdk8sSynth(task.plugin, task.charts, task.perChart);
    case 'plugin-validate': return pluginValidate(task.charts, task.perChart);
    case 'lint-input': return require('./lint-input').writeLintInput(task.file, task.services, task.workers);
    case 'lint-cli': return lintCli(task.file);
  }
}

if (require.main === module) {
  process.stdout.write(JSON.stringify(run(JSON.parse(process.argv[2]))) + '\n');
}
