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
  /** The `simulate` CLI (in this process) over a trace CSV file, writing its report to `out`. */
  | { readonly kind: 'simulate-trace-file'; readonly trace: string; readonly out: string }
  | { readonly kind: 'lint'; readonly services: number; readonly workers: number };

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

/** A one-week simulation of the benchmarked service from its manifests (HPA syncs every 15 s). */
function simulateWeek(): Measurement {
  const { Simulator } = require('../src/simulate/simulate');
  const fixture = require('./fixtures/simulation');
  const manifests = fixture.serviceManifests();
  const trace = fixture.weekTrace();
  const startRssMiB = mib(process.memoryUsage().rss);
  const c0 = cpuMs();
  const t0 = performance.now();
  const result = Simulator.fromManifests(manifests, `svc-${fixture.SIMULATED_SERVICE}`, {
    trace, capacityPerReplica: fixture.CAPACITY_PER_REPLICA, hpaSyncPeriodSeconds: 15,
  });
  const ms = performance.now() - t0;
  return {
    ms,
    cpuMs: cpuMs() - c0,
    peakRssMiB: peakRssMiB(),
    startRssMiB,
    timelineRows: result.timeline.length,
    scaleEvents: result.summary.scaleEvents,
    peakReplicas: result.summary.peakReplicas,
    p95QueueWaitSeconds: result.summary.p95QueueWaitSeconds,
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
    summary: printed.filter(l => /^(simulated|replicas) /.test(l)).join('; '),
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

function run(task: Task): unknown {
  switch (task.kind) {
    case 'synth': return synthFleet(task.fixture, task.side, task.n, task.mode, task.charts ?? 1);
    case 'check': return check(task.fixture, task.n);
    case 'load': return load(task.target);
    case 'hpa-sync': return hpaSync(task.syncs);
    case 'simulate-week': return simulateWeek();
    case 'simulate-trace-file': return simulateTraceFile(task.trace, task.out);
    case 'lint': return lint(task.services, task.workers);
  }
}

if (require.main === module) {
  process.stdout.write(JSON.stringify(run(JSON.parse(process.argv[2]))) + '\n');
}
