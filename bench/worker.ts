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
  | { readonly kind: 'synth'; readonly fixture: 'gpu' | 'queue'; readonly side: 'library' | 'raw'; readonly n: number }
  | { readonly kind: 'check'; readonly fixture: 'gpu' | 'queue'; readonly n: number }
  | { readonly kind: 'load'; readonly target: 'library' | 'cdk8s-plus-28' };

export interface Measurement {
  /** Wall time of the measured work, in milliseconds. */
  readonly ms: number;
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

function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}

/**
 * Builds N services in one chart and synthesizes them exactly as `app.synthYaml()` does for one
 * chart (resolve dependencies, validate, toJson, then YAML), timing the phases separately so the
 * YAML serialization, identical work on both sides, can be left out of the strict comparison.
 */
function synthFleet(fixture: 'gpu' | 'queue', side: 'library' | 'raw', n: number): Measurement {
  const { App, Chart, Yaml } = require('cdk8s');
  const add: (scope: unknown, n: number) => void = side === 'library'
    ? require(FIXTURES[fixture].library).addFleet
    : require(FIXTURES[fixture].raw).addRawFleet;
  const startRssMiB = mib(process.memoryUsage().rss);
  const t0 = performance.now();
  const app = new App();
  const chart = new Chart(app, 'fleet');
  add(chart, n);
  const t1 = performance.now();
  const docs: unknown[] = App._synthChart(chart);
  const t2 = performance.now();
  const peakBeforeYamlMiB = peakRssMiB();
  const yaml: string = Yaml.stringify(...docs);
  const t3 = performance.now();
  return {
    ms: t3 - t0,
    peakRssMiB: peakRssMiB(),
    startRssMiB,
    constructMs: t1 - t0,
    toJsonMs: t2 - t1,
    yamlMs: t3 - t2,
    peakBeforeYamlMiB,
    objects: docs.length,
    yamlBytes: yaml.length,
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
  const t0 = performance.now();
  require(id);
  const ms = performance.now() - t0;
  return { ms, peakRssMiB: peakRssMiB(), startRssMiB };
}

function run(task: Task): unknown {
  switch (task.kind) {
    case 'synth': return synthFleet(task.fixture, task.side, task.n);
    case 'check': return check(task.fixture, task.n);
    case 'load': return load(task.target);
  }
}

if (require.main === module) {
  process.stdout.write(JSON.stringify(run(JSON.parse(process.argv[2]))) + '\n');
}
