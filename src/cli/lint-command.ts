/**
 * `cdk8s-ml-autoscaling lint FILE.yaml... [--format json] [--gpu-budget N]`: the guardrails for pipelines.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { CliIo } from './io';
import { GuardrailFinding, GuardrailSeverity, GuardrailsOptions } from '../guardrails/finding';
import { Guardrails } from '../guardrails/guardrails';
import { yamlSyntaxError } from '../guardrails/yaml-text';

export const LINT_USAGE = [
  'Usage: cdk8s-ml-autoscaling lint FILE.yaml|DIR|-... [options]',
  '',
  'Checks Kubernetes and KEDA manifests (multi-document YAML, e.g. `cdk8s synth` output) for unsafe ML',
  'autoscaling configurations (a directory: its *.yaml, *.yml, *.json files; -: standard input).',
  'Prints one finding per line: severity, rule ID, kind, namespace/name,',
  'problem, fix and the kubectl command that confirms it. Exit status: 1 when any error is found, else 0',
  '(2 for usage problems: unknown option, unreadable file).',
  '',
  'Options:',
  '  --format text|json      output format (default: text)',
  '  --gpu-budget N          warn when autoscaled workloads can claim more than N GPUs at their maximum',
  '  --gpu-resource NAME     count another extended resource as a GPU (repeatable)',
  '  --disable RULE-ID       do not run a rule (repeatable; prefer per-object suppression with a reason)',
  '  --include-suppressed    also list suppressed findings, with their reasons',
  '  --fail-on-warnings      exit 1 on warnings too',
  '  --list-rules            print every rule ID, severity and title, then exit',
  '  -h, --help              print this help',
  '',
  'Suppress a finding on one object with the annotation:',
  '  ml-autoscaling.io/suppress: "RULE-ID: reason; OTHER-ID: reason"',
].join('\n');

interface LintArgs {
  readonly files: string[];
  readonly format: 'text' | 'json';
  readonly options: GuardrailsOptions;
  readonly failOnWarnings: boolean;
  readonly help: boolean;
  readonly listRules: boolean;
}

class UsageError extends Error {}

function parseArgs(args: string[]): LintArgs {
  const files: string[] = [];
  let format: 'text' | 'json' = 'text';
  let gpuBudget: number | undefined;
  const gpuResourceNames: string[] = [];
  const disabledRules: string[] = [];
  let includeSuppressed = false;
  let failOnWarnings = false;
  let help = false;
  let listRules = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        help = true;
        break;
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not "${v}"`);
        format = v;
        break;
      }
      case '--gpu-budget': {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new UsageError(`--gpu-budget must be a whole number >= 0, not "${v}"`);
        gpuBudget = n;
        break;
      }
      case '--gpu-resource':
        gpuResourceNames.push(value());
        break;
      case '--disable':
        disabledRules.push(...value().split(',').map(s => s.trim()).filter(Boolean));
        break;
      case '--include-suppressed':
        includeSuppressed = true;
        break;
      case '--fail-on-warnings':
        failOnWarnings = true;
        break;
      case '--list-rules':
        listRules = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        files.push(arg);
    }
  }
  return {
    files,
    format,
    options: { gpuBudget, gpuResourceNames, disabledRules, includeSuppressed },
    failOnWarnings,
    help,
    listRules,
  };
}

/** A directory stands for the YAML/JSON manifests under it (recursively, in name order). */
function expandDirectory(file: string): string[] {
  if (file === '-' || !fs.existsSync(file) || !fs.statSync(file).isDirectory()) return [file];
  return fs.readdirSync(file).sort().flatMap(entry => {
    const full = path.join(file, entry);
    if (fs.statSync(full).isDirectory()) return expandDirectory(full);
    return /\.(ya?ml|json)$/i.test(entry) ? [full] : [];
  });
}

function loadFile(file: string): any[] {
  if (file === '-') {
    const text = fs.readFileSync(0, 'utf-8');
    const syntax = yamlSyntaxError(text);
    if (syntax) throw new Error(syntax);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-lint-'));
    const p = path.join(tmp, 'stdin.yaml');
    try {
      fs.writeFileSync(p, text);
      return Yaml.load(p);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`cannot read ${file}: no such file`);
  // Yaml.load skips what it cannot parse: report syntax errors instead of linting half a file
  const syntax = yamlSyntaxError(fs.readFileSync(file, 'utf-8'));
  if (syntax) throw new Error(syntax);
  return Yaml.load(file);
}

function findingJson(f: GuardrailFinding, file: string | undefined): any {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    kind: f.kind,
    namespace: f.namespace ?? null,
    name: f.name,
    apiVersion: f.apiVersion ?? null,
    location: f.location ?? null,
    file: file ?? null,
    problem: f.problem,
    fix: f.fix,
    confirm: f.confirm,
    message: f.message,
    ...(f.suppressedReason !== undefined ? { suppressedReason: f.suppressedReason } : {}),
  };
}

/**
 * Runs `lint`. Returns the exit status: 1 when any error is found, 0 otherwise, 2 on usage problems.
 */
export function runLintCommand(args: string[], io: CliIo): number {
  let parsed: LintArgs;
  try {
    parsed = parseArgs(args);
  } catch (e: any) {
    io.stderr(`lint: ${e.message}`);
    io.stderr(LINT_USAGE);
    return 2;
  }
  if (parsed.help) {
    io.stdout(LINT_USAGE);
    return 0;
  }
  if (parsed.listRules) {
    for (const r of Guardrails.rules()) io.stdout(`${r.id} ${r.severity} ${r.title}`);
    return 0;
  }
  if (parsed.files.length === 0) {
    io.stderr('lint: no manifest files given');
    io.stderr(LINT_USAGE);
    return 2;
  }

  // keep which file each object came from, to say where a finding is
  const objects: any[] = [];
  const fileOf = new Map<string, string>();
  const files = parsed.files.flatMap(expandDirectory);
  for (const file of files) {
    let docs: any[];
    try {
      docs = loadFile(file);
    } catch (e: any) {
      io.stderr(`lint: ${e instanceof UsageError ? e.message : `cannot parse ${file}: ${e?.message ?? e}`}`);
      return 2;
    }
    for (const d of docs) {
      if (!d || typeof d !== 'object') continue;
      objects.push(d);
      const items = typeof d.kind === 'string' && d.kind.endsWith('List') && Array.isArray(d.items) ? d.items : [d];
      for (const o of items) {
        const key = `${o?.kind}|${o?.metadata?.namespace ?? ''}|${o?.metadata?.name}`;
        if (!fileOf.has(key)) fileOf.set(key, file);
      }
    }
  }

  const findings = Guardrails.check(objects, parsed.options);
  const where = (f: GuardrailFinding) => fileOf.get(`${f.kind}|${f.namespace ?? ''}|${f.name}`);
  const active = findings.filter(f => f.suppressedReason === undefined);
  const errors = active.filter(f => f.severity === GuardrailSeverity.ERROR).length;
  const warnings = active.length - errors;

  if (parsed.format === 'json') {
    io.stdout(JSON.stringify({
      findings: findings.map(f => findingJson(f, where(f))),
      summary: { errors, warnings, suppressed: findings.length - active.length, objects: objects.length, files: files.length },
    }, null, 2));
  } else {
    for (const f of findings) {
      const file = where(f);
      io.stdout(file ? `${file}: ${f.message}` : f.message);
    }
    io.stderr(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ` +
      `${objects.length} object${objects.length === 1 ? '' : 's'} from ${files.length} file${files.length === 1 ? '' : 's'}`);
  }
  return errors > 0 || (parsed.failOnWarnings && warnings > 0) ? 1 : 0;
}
