import * as fs from 'fs';
import * as path from 'path';
import { CliIo } from './io';
import { ManifestInputError, readManifests } from './read-manifests';
import { ManifestInput } from '../simulate/manifest-input';
import { SimulationReport } from '../simulate/report-svg';
import { Simulator } from '../simulate/simulate';
import { DemandTrace } from '../simulate/trace';

const USAGE = [
  'usage: cdk8s-ml-autoscaling simulate --manifest FILE.yaml --target WORKLOAD --trace TRACE.csv',
  '         --capacity ITEMS_PER_SECOND_PER_REPLICA [--cold-start 90s] --out DIR',
  '         [--latency-target 5s] [--initial-replicas N] [--sync-period 15s] [--metric-lag 0s]',
  '',
  '  --manifest        YAML with the workload and the HPA or ScaledObject that scales it (multi-document)',
  '  --target          the workload (Deployment) name, or the HPA/ScaledObject name',
  '  --trace           CSV with header "time,arrivals": seconds from start, arrivals per second until the next row;',
  '                    the last row ends the run',
  '  --capacity        work items one ready replica completes per second',
  '  --cold-start      pod start to ready (e.g. 90s, 2m); default: the ml-autoscaling.io/model-load-seconds',
  '                    annotation, else the readiness probe initialDelaySeconds, else 0',
  '  --out             directory for timeline.csv and report.svg (created if missing)',
].join('\n');

const FLAGS = ['manifest', 'target', 'trace', 'capacity', 'cold-start', 'out', 'latency-target', 'initial-replicas', 'sync-period', 'metric-lag'];
const REQUIRED = ['manifest', 'target', 'trace', 'capacity', 'out'];

class UsageError extends Error {}

/**
 * `cdk8s-ml-autoscaling simulate ...` (args without the leading `simulate`). Returns the exit code:
 * 0 on success, 2 for bad arguments or inputs, 1 for anything unexpected.
 */
export function runSimulateCommand(args: string[], io: CliIo): number {
  try {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(USAGE);
      return 0;
    }
    const opts = parseArgs(args);
    const capacity = parseNumber(opts.capacity, '--capacity', false);
    const coldStart = opts['cold-start'] !== undefined ? parseDuration(opts['cold-start'], '--cold-start') : undefined;
    const latencyTarget = opts['latency-target'] !== undefined ? parseDuration(opts['latency-target'], '--latency-target') : undefined;
    const syncPeriod = opts['sync-period'] !== undefined ? parseDuration(opts['sync-period'], '--sync-period') : undefined;
    const metricLag = opts['metric-lag'] !== undefined ? parseDuration(opts['metric-lag'], '--metric-lag') : undefined;
    let initialReplicas: number | undefined;
    if (opts['initial-replicas'] !== undefined) {
      initialReplicas = parseNumber(opts['initial-replicas'], '--initial-replicas', true);
      if (!Number.isInteger(initialReplicas)) throw new UsageError(`--initial-replicas "${opts['initial-replicas']}" must be a whole number`);
    }
    const trace = loadTrace(opts.trace);
    const manifests = loadManifests(opts.manifest);

    let found;
    try {
      found = ManifestInput.findTarget(manifests, opts.target);
    } catch (e) {
      throw new UsageError(`--target ${opts.target}: ${(e as Error).message}`);
    }
    if (coldStart === undefined && found.modelLoadSeconds === undefined && found.readinessDelaySeconds === undefined) {
      io.stderr(`simulate: warning: no --cold-start and no ${'ml-autoscaling.io/model-load-seconds'} annotation or readiness delay on ` +
        `"${found.workloadName}": new pods are assumed ready at once`);
    }
    let result;
    try {
      result = Simulator.fromManifests(manifests, opts.target, {
        trace,
        capacityPerReplica: capacity,
        coldStartSeconds: coldStart,
        latencyTargetSeconds: latencyTarget,
        hpaSyncPeriodSeconds: syncPeriod,
        metricLagSeconds: metricLag,
        initialReplicas,
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }

    fs.mkdirSync(opts.out, { recursive: true });
    const csvPath = path.join(opts.out, 'timeline.csv');
    const svgPath = path.join(opts.out, 'report.svg');
    const scaler = found.scaledObject ? `ScaledObject ${found.scaledObject.metadata?.name}` : `HPA ${found.horizontalPodAutoscaler?.metadata?.name ?? ''}`.trim();
    const cold = coldStart ?? found.modelLoadSeconds ?? found.readinessDelaySeconds ?? 0;
    const title = `Will it scale? ${found.workloadName}`;
    const subtitle = `${scaler} · ${capacity} item${capacity === 1 ? '' : 's'}/s per ready replica · ${cold} s cold start` +
      (found.gpusPerReplica > 0 ? ` · ${found.gpusPerReplica} GPU per pod` : '');
    fs.writeFileSync(csvPath, SimulationReport.toCsv(result));
    fs.writeFileSync(svgPath, SimulationReport.toSvg(result, { title, subtitle, capacityPerReplica: capacity }));

    io.stdout(`${title} (${subtitle})`);
    io.stdout(SimulationReport.summaryText(result));
    io.stdout(`wrote ${csvPath}`);
    io.stdout(`wrote ${svgPath}`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`simulate: ${e.message}`);
      io.stderr('run "cdk8s-ml-autoscaling simulate --help" for usage');
      return 2;
    }
    io.stderr(`simulate: unexpected error: ${(e as Error).stack ?? e}`);
    return 1;
  }
}

function parseArgs(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!FLAGS.includes(name)) throw new UsageError(`unknown option --${name} (known: ${FLAGS.map(fl => `--${fl}`).join(', ')})`);
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      i++;
    }
    if (out[name] !== undefined) throw new UsageError(`--${name} given twice`);
    out[name] = value;
  }
  const missing = REQUIRED.filter(r => out[r] === undefined || out[r] === '');
  if (missing.length > 0) throw new UsageError(`missing ${missing.map(m => `--${m}`).join(', ')}`);
  return out;
}

/** The same strict reader as `lint`: a YAML error or a document that is not an object is a usage error. */
function loadManifests(file: string): any[] {
  try {
    return readManifests([file]).objects;
  } catch (e) {
    if (e instanceof ManifestInputError) throw new UsageError(`--manifest: ${e.message}`);
    throw e;
  }
}

function loadTrace(file: string): DemandTrace {
  if (!fs.existsSync(file)) throw new UsageError(`--trace ${file}: no such file`);
  try {
    return DemandTrace.fromCsv(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--trace ${file}: ${(e as Error).message}`);
  }
}

function parseNumber(text: string, flag: string, allowZero: boolean): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new UsageError(`${flag} "${text}" must be a number ${allowZero ? '>= 0' : 'greater than 0'}`);
  }
  return value;
}

/** "90", "90s", "1.5m", "2m30s", "1h" -> seconds. */
function parseDuration(text: string, flag: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = '';
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n / 1000 : m[2] === 's' ? n : m[2] === 'm' ? n * 60 : n * 3600;
    consumed += m[0];
  }
  if (consumed !== t || t === '') throw new UsageError(`${flag} "${text}" is not a duration (e.g. 90s, 2m, 1m30s)`);
  return total;
}
