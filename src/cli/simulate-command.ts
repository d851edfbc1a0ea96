import * as fs from 'fs';
import * as path from 'path';
import { CliIo } from './io';
import { ManifestInputError, readManifests } from './read-manifests';
import { targetDeclaredBy } from '../kubernetes/declared-target';
import { KubernetesTarget } from '../kubernetes/kubernetes-target';
import { TARGET_FLAGS_USAGE, targetFromFlags } from '../kubernetes/target-flags';
import { MAX_CONTROLLER_WORK, MAX_STEPS, MAX_TIMELINE_ROWS, MAX_TRACE_ROWS, MAX_TRACE_SECONDS } from '../simulate/limits';
import { ManifestInput } from '../simulate/manifest-input';
import { SimulationReport } from '../simulate/report-svg';
import { ServiceModel, serviceModelOf } from '../simulate/service-model';
import { Simulator } from '../simulate/simulator';
import { DemandTrace } from '../simulate/trace';

const USAGE = [
  'usage: cdk8s-ml-autoscaling simulate --manifest FILE.yaml --target WORKLOAD --trace TRACE.csv',
  '         (--capacity ITEMS_PER_SECOND_PER_REPLICA | --concurrency N --service-time 2s) [--cold-start 90s] --out DIR',
  '         [--latency-target 5s] [--initial-replicas N] [--sync-period 15s] [--metric-lag 0s]',
  '         [--kubernetes-version 1.37] [--feature-gates HPAScaleToZero=true] [--hold-timeout 120s | --no-holder]',
  '',
  '  --manifest        YAML with the workload and the HPA or ScaledObject that scales it (multi-document)',
  '  --target          the workload (Deployment) name, or the HPA/ScaledObject name',
  '  --trace           CSV with header "time,arrivals": seconds from start, arrivals per second until the next row;',
  '                    the last row ends the run',
  '  --capacity        work items one ready replica completes per second',
  '  --concurrency     work items one ready replica processes at once (e.g. the model server\'s maximum batch)',
  '  --service-time    how long one work item takes (e.g. 2s, 500ms); with --concurrency instead of --capacity',
  '                    (capacity = concurrency / service time); with --capacity, either derives the other,',
  '                    and all three must agree',
  '  --cold-start      pod start to ready (e.g. 90s, 2m); default: the ml-autoscaling.io/model-load-seconds',
  '                    annotation, else the readiness probe initialDelaySeconds, else 0',
  '  --out             directory for timeline.csv and report.svg (created if missing; checked before the run)',
  '  --latency-target  a queue wait above which items count as late (e.g. 5s)',
  '  --initial-replicas  replicas at time 0, all ready; default: the autoscaler\'s minimum (at least 1 for an HPA);',
  '                    0 for an HPA with minReplicas 0 starts the target parked at zero by the HPA',
  '  --sync-period     seconds between HPA syncs (the --horizontal-pod-autoscaler-sync-period), default 15s;',
  '                    also the interval of the timeline rows',
  '  --metric-lag      how old metrics are when the controllers read them (default 0s)',
  '  --hold-timeout    a request holder (the KEDA HTTP add-on\'s interceptor) holds requests that arrive while no pod',
  '                    is ready, up to this long, then they fail; default: the per-route timeout of an HTTPScaledObject',
  '                    or InterceptorRoute routing to the workload in --manifest (none: held until a pod is ready)',
  '  --no-holder       no request holder: requests that arrive while no pod is ready fail at once (no endpoints)',
  ...TARGET_FLAGS_USAGE,
  '                          (how the HPA controller decides, e.g. scale to and from zero)',
  '',
  'Limits (the run is refused beyond them, before it starts):',
  `  trace             at most ${(MAX_TRACE_SECONDS / 86400).toFixed(0)} days (last time <= ${MAX_TRACE_SECONDS.toLocaleString('en-US')} s) ` +
    `and ${MAX_TRACE_ROWS.toLocaleString('en-US')} rows (read as a stream, 16 bytes a row)`,
  `  steps             at most ${MAX_STEPS.toLocaleString('en-US')} syncs + polls + timeline rows + trace rows`,
  `  timeline          at most ${MAX_TIMELINE_ROWS.toLocaleString('en-US')} rows (trace duration / --sync-period)`,
  `  HPA history       at most ${MAX_CONTROLLER_WORK.toLocaleString('en-US')} stored recommendations reviewed in all (syncs x longest`,
  '                    stabilization window or policy period / --sync-period)',
  '  replicas          any int32 count: starting pods are tracked per scale-up, not per pod',
  '',
  'Exit status: 0 done, 2 bad arguments or inputs (one line on stderr), 1 unexpected error.',
].join('\n');

/** The CLI flag of each simulator option, for messages. */
const OPTION_FLAGS: Record<string, string> = {
  trace: 'trace',
  capacityPerReplica: 'capacity',
  concurrencyPerReplica: 'concurrency',
  serviceTimeSeconds: 'service-time',
  coldStartSeconds: 'cold-start',
  latencyTargetSeconds: 'latency-target',
  hpaSyncPeriodSeconds: 'sync-period',
  outputIntervalSeconds: 'sync-period',
  metricLagSeconds: 'metric-lag',
  initialReplicas: 'initial-replicas',
  requestHolding: 'hold-timeout',
};

const FLAGS = ['manifest', 'target', 'trace', 'capacity', 'concurrency', 'service-time', 'cold-start', 'out', 'latency-target', 'initial-replicas', 'sync-period', 'metric-lag',
  'kubernetes-version', 'feature-gates', 'hold-timeout', 'no-holder'];
/** Flags without a value. */
const SWITCHES = ['no-holder'];
const REQUIRED = ['manifest', 'target', 'trace', 'capacity', 'out'];
/** Flags that stand in for --capacity together. */
const CAPACITY_FLAGS = ['capacity', 'concurrency', 'service-time'];

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
    const service = serviceFromFlags(opts);
    const capacity = service.capacity;
    const coldStart = opts['cold-start'] !== undefined ? parseDuration(opts['cold-start'], '--cold-start') : undefined;
    const latencyTarget = opts['latency-target'] !== undefined ? parseDuration(opts['latency-target'], '--latency-target') : undefined;
    const syncPeriod = opts['sync-period'] !== undefined ? parseDuration(opts['sync-period'], '--sync-period') : undefined;
    const metricLag = opts['metric-lag'] !== undefined ? parseDuration(opts['metric-lag'], '--metric-lag') : undefined;
    let requestHolding: { enabled?: boolean; timeoutSeconds?: number } | undefined;
    if (opts['no-holder'] !== undefined && opts['hold-timeout'] !== undefined) {
      throw new UsageError('--hold-timeout and --no-holder exclude each other: give --hold-timeout for a holder, --no-holder for none');
    }
    if (opts['no-holder'] !== undefined) requestHolding = { enabled: false };
    if (opts['hold-timeout'] !== undefined) {
      const timeout = parseDuration(opts['hold-timeout'], '--hold-timeout');
      if (!(timeout > 0)) throw new UsageError(`--hold-timeout "${opts['hold-timeout']}" must be a duration greater than 0 (e.g. 120s, 2m)`);
      requestHolding = { timeoutSeconds: timeout };
    }
    let initialReplicas: number | undefined;
    if (opts['initial-replicas'] !== undefined) {
      initialReplicas = parseNumber(opts['initial-replicas'], '--initial-replicas', true);
      if (!Number.isInteger(initialReplicas)) throw new UsageError(`--initial-replicas "${opts['initial-replicas']}" must be a whole number`);
    }
    let cluster: KubernetesTarget;
    try {
      cluster = targetFromFlags(opts['kubernetes-version'], opts['feature-gates']);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const outDir = prepareOutDir(opts.out);
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
    // Without flags: the cluster the manifests declare (the constructs write it), else the default.
    const flagged = opts['kubernetes-version'] !== undefined || opts['feature-gates'] !== undefined;
    if (!flagged) cluster = targetDeclaredBy(found.scaledObject ?? found.horizontalPodAutoscaler) ?? cluster;
    let result;
    try {
      result = Simulator.fromManifests(manifests, opts.target, {
        trace,
        capacityPerReplica: capacity,
        concurrencyPerReplica: opts.concurrency !== undefined ? service.concurrency : undefined,
        serviceTimeSeconds: opts['service-time'] !== undefined ? service.serviceTime : undefined,
        coldStartSeconds: coldStart,
        latencyTargetSeconds: latencyTarget,
        hpaSyncPeriodSeconds: syncPeriod,
        metricLagSeconds: metricLag,
        initialReplicas,
        requestHolding,
        kubernetesVersion: cluster.version,
        featureGates: Object.keys(cluster.featureGates).length > 0 ? cluster.featureGates : undefined,
      });
    } catch (e) {
      throw new UsageError(withFlags((e as Error).message, opts));
    }

    // written to the checked directory, reported as the user named it
    const csvPath = path.join(outDir, 'timeline.csv');
    const svgPath = path.join(outDir, 'report.svg');
    const shown = (file: string) => path.join(opts.out, path.basename(file));
    const scaler = found.scaledObject ? `ScaledObject ${found.scaledObject.metadata?.name}` : `HPA ${found.horizontalPodAutoscaler?.metadata?.name ?? ''}`.trim();
    const cold = coldStart ?? found.modelLoadSeconds ?? found.readinessDelaySeconds ?? 0;
    const title = `Will it scale? ${found.workloadName}`;
    const perReplica = opts.concurrency !== undefined || opts['service-time'] !== undefined
      ? ` (${round(service.concurrency)} at once, ${round(service.serviceTime)} s each)` : '';
    const subtitle = `${scaler} · ${round(capacity)} item${capacity === 1 ? '' : 's'}/s per ready replica${perReplica} · ${cold} s cold start` +
      (found.gpusPerReplica > 0 ? ` · ${found.gpusPerReplica} GPU per pod` : '') + ` · ${cluster}`;
    writeOutput(opts.out, csvPath, SimulationReport.toCsv(result));
    writeOutput(opts.out, svgPath, SimulationReport.toSvg(result, { title, subtitle, capacityPerReplica: capacity }));

    for (const w of result.summary.warnings ?? []) io.stderr(`simulate: warning: ${w}`);
    io.stdout(`${title} (${subtitle})`);
    io.stdout(SimulationReport.summaryText(result));
    io.stdout(`wrote ${shown(csvPath)}`);
    io.stdout(`wrote ${shown(svgPath)}`);
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
    if (SWITCHES.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      if (out[name] !== undefined) throw new UsageError(`--${name} given twice`);
      out[name] = '';
      continue;
    }
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
  const given = (r: string) => out[r] !== undefined && out[r] !== '';
  const missing = REQUIRED.filter(r => !given(r) && (r !== 'capacity' || !CAPACITY_FLAGS.some(given)));
  if (missing.length > 0) {
    throw new UsageError(`missing ${missing.map(m => (m === 'capacity' ? '--capacity (or --concurrency and --service-time)' : `--${m}`)).join(', ')}`);
  }
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
    return DemandTrace.fromCsvFile(file);
  } catch (e) {
    // "[DemandTrace.fromCsvFile] path (row 3, time)=...: problem" -> "--trace FILE (row 3, time)=...: problem"
    const message = (e as Error).message.replace(/^\[DemandTrace\.fromCsvFile\] path ?/, '');
    throw new UsageError(`--trace ${file}${message.startsWith('(') || message.startsWith('=') ? ' ' : ': '}${message.replace(/^=/, '')}`);
  }
}

/**
 * The simulator's message with the CLI's flags for its option names: "[Simulator.fromManifests]
 * options.hpaSyncPeriodSeconds=0: ..." becomes "--sync-period 0s: ...".
 */
function withFlags(message: string, opts: Record<string, string>): string {
  const m = /^\[Simulator\.fromManifests\] options\.(\w+)(=[^:]*)?:/.exec(message);
  if (m && OPTION_FLAGS[m[1]] !== undefined) {
    const flag = OPTION_FLAGS[m[1]];
    const given = opts[flag] !== undefined ? ` ${opts[flag]}` : ` (default${m[2] ?? ''})`;
    return `--${flag}${given}:${message.slice(m[0].length)}`;
  }
  return message.replace(/^\[Simulator\.fromManifests\] manifests\(/, `--manifest ${opts.manifest} (`)
    .replace(/^\[Simulator\.fromManifests\] target=/, '--target ');
}

/**
 * Checks (and creates) the output directory before the run: one directory level at a time, never
 * `mkdir -p` (which can spin on special file systems such as /proc). Returns the directory.
 */
function prepareOutDir(dir: string): string {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let existing = abs;
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(existing);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new UsageError(`--out ${dir}: cannot read ${existing} (${code})`);
    }
    if (stat !== undefined) {
      if (!stat.isDirectory()) throw new UsageError(`--out ${dir}: ${existing} is a file, not a directory; pass a directory (created if missing)`);
      break;
    }
    const parent = path.dirname(existing);
    if (parent === existing) throw new UsageError(`--out ${dir}: no existing parent directory`);
    missing.unshift(existing);
    existing = parent;
  }
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch (e) {
    throw new UsageError(`--out ${dir}: ${existing} is not writable (${(e as NodeJS.ErrnoException).code}); pass a directory you can write to`);
  }
  for (const m of missing) {
    try {
      fs.mkdirSync(m);
    } catch (e) {
      throw new UsageError(`--out ${dir}: cannot create ${m} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); pass a directory you can write to`);
    }
  }
  for (const name of ['timeline.csv', 'report.svg']) {
    const file = path.join(abs, name);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file);
    } catch {
      continue;
    }
    if (!stat.isFile()) throw new UsageError(`--out ${dir}: ${file} exists and is not a file; remove it or pass another directory`);
    try {
      fs.accessSync(file, fs.constants.W_OK);
    } catch (e) {
      throw new UsageError(`--out ${dir}: ${file} is not writable (${(e as NodeJS.ErrnoException).code}); pass a directory you can write to`);
    }
  }
  return abs;
}

/** Writes one output file: a failure is one line (exit 2), not a stack trace. */
function writeOutput(dir: string, file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`--out ${dir}: cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * The capacity of one replica from --capacity, or --concurrency and --service-time (or all three, when
 * they agree), by the simulator's rules, in the flags' words.
 */
function serviceFromFlags(opts: Record<string, string>): ServiceModel {
  const capacity = opts.capacity !== undefined ? parseNumber(opts.capacity, '--capacity', false) : undefined;
  const concurrency = opts.concurrency !== undefined ? parseNumber(opts.concurrency, '--concurrency', false) : undefined;
  let serviceTime: number | undefined;
  if (opts['service-time'] !== undefined) {
    serviceTime = parseDuration(opts['service-time'], '--service-time');
    if (!(serviceTime > 0)) throw new UsageError(`--service-time "${opts['service-time']}" must be a duration greater than 0 (e.g. 2s, 500ms)`);
  }
  try {
    return serviceModelOf({ capacityPerReplica: capacity, concurrencyPerReplica: concurrency, serviceTimeSeconds: serviceTime }, 'simulate', '');
  } catch (e) {
    // "[simulate] serviceTimeSeconds=undefined: is missing: concurrencyPerReplica=8 alone ..." -> "--service-time is missing: --concurrency 8 alone ..."
    let message = (e as Error).message.replace(/^\[simulate\] /, '').replace(/^(\w+)=undefined:/, '$1');
    for (const [option, flag] of Object.entries(OPTION_FLAGS)) {
      message = message.replace(new RegExp(`\\b${option}=[^:\\s]+`, 'g'), m => `--${flag} ${opts[flag] ?? m.slice(option.length + 1)}`)
        .replace(new RegExp(`\\b${option}\\b`, 'g'), `--${flag}`);
    }
    throw new UsageError(message);
  }
}

/** A number as a person writes it (6 significant digits). */
function round(n: number): string {
  return String(Number(n.toPrecision(6)));
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
