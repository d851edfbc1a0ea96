/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The large manifest set the `lint` CLI figure reads: inference services (Deployment, Service, PDB,
 * HPA) and queue workers (Deployment, ScaledObject) rendered by the raw fixtures, written as one
 * multi-document YAML file in batches (so the generating process never holds the whole text).
 */
import * as fs from 'fs';

/** Objects per inference service and per queue worker in the raw fixtures. */
const PER_SERVICE = 4;
const PER_WORKER = 2;
const BATCH = 500;

export interface LintInput {
  readonly file: string;
  readonly bytes: number;
  readonly objects: number;
}

/**
 * Writes `services` inference services and `workers` queue workers to `file` as YAML. Each batch
 * of names is unique across the file (the fixtures take a first index).
 */
export function writeLintInput(file: string, services: number, workers: number): LintInput {
  const { App, Chart, Yaml } = require('cdk8s');
  const gpu = require('./fixtures/gpu-inference-raw');
  const queue = require('./fixtures/queue-batch-worker-raw');
  const fd = fs.openSync(file, 'w');
  let objects = 0;
  try {
    const write = (add: (scope: unknown, n: number, first: number) => void, total: number) => {
      for (let first = 0; first < total; first += BATCH) {
        const chart = new Chart(new App(), 'lint');
        add(chart, Math.min(BATCH, total - first), first);
        const batch: unknown[] = chart.toJson();
        objects += batch.length;
        fs.writeSync(fd, `${objects > batch.length ? '---\n' : ''}${Yaml.stringify(...batch)}`);
      }
    };
    write(gpu.addRawFleet, services);
    write(queue.addRawFleet, workers);
  } finally {
    fs.closeSync(fd);
  }
  if (objects !== services * PER_SERVICE + workers * PER_WORKER) {
    throw new Error(`expected ${services * PER_SERVICE + workers * PER_WORKER} objects, rendered ${objects}`);
  }
  return { file, bytes: fs.statSync(file).size, objects };
}
