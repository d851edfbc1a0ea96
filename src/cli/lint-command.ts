/**
 * `cdk8s-ml-autoscaling lint FILE.yaml... [--format json] [--gpu-budget N] [--kubernetes-version V]`: the
 * guardrails for pipelines.
 */
import { CliIo } from './io';
import { ManifestInputError, ManifestSource, readManifests } from './read-manifests';
import { GuardrailFinding, GuardrailSeverity, GuardrailsOptions } from '../guardrails/finding';
import { Guardrails } from '../guardrails/guardrails';
import { KubernetesTarget } from '../kubernetes/kubernetes-target';
import { TARGET_FLAGS_USAGE, targetFromFlags } from '../kubernetes/target-flags';

export const LINT_USAGE = [
  'Usage: cdk8s-ml-autoscaling lint FILE.yaml|DIR|-... [options]',
  '',
  'Checks Kubernetes and KEDA manifests (multi-document YAML or JSON, e.g. `cdk8s synth` or `helm template`',
  'output) for unsafe ML autoscaling configurations. A directory stands for its *.yaml, *.yml and *.json files',
  '(recursively); - is standard input; FIFOs such as /dev/fd/N are read too. `kind: List` and bare arrays',
  'are lists of objects. Prints one finding per line: file, severity, rule ID, kind, namespace/name,',
  'problem, fix and the kubectl command that confirms it.',
  '',
  'Exit status:',
  '  0  no error finding (warnings only, or none)',
  '  1  at least one error finding (or any warning, with --fail-on-warnings)',
  '  2  nothing was checked: a usage error (unknown option or rule ID), a missing or unreadable file,',
  '     invalid YAML (with file and line), a document that is not a Kubernetes object (no apiVersion or',
  '     kind), or no Kubernetes object found at all (an empty file or directory, only `---`)',
  '',
  'Options:',
  '  --format text|json      output format (default: text)',
  '  --gpu-budget N          warn when autoscaled workloads can claim more than N GPUs at their maximum',
  '  --gpu-resource NAME     count another extended resource as a GPU (repeatable)',
  '  --disable RULE-ID       do not run a rule (repeatable; prefer per-object suppression with a reason)',
  '  --include-suppressed    also list suppressed findings, with their reasons',
  '  --fail-on-warnings      exit 1 on warnings too',
  ...TARGET_FLAGS_USAGE,
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
  /** The cluster the findings are for (--kubernetes-version, --feature-gates). */
  readonly target: KubernetesTarget;
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
  let kubernetesVersion: string | undefined;
  let featureGates: string | undefined;
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
      case '--kubernetes-version':
        kubernetesVersion = value();
        break;
      case '--feature-gates':
        featureGates = value();
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        files.push(arg);
    }
  }
  let target: KubernetesTarget;
  try {
    target = targetFromFlags(kubernetesVersion, featureGates);
  } catch (e: any) {
    throw new UsageError(e.message);
  }
  return {
    files,
    format,
    options: {
      gpuBudget,
      gpuResourceNames,
      disabledRules,
      includeSuppressed,
      // Only when given: otherwise each object is judged for the target it declares, else the default.
      kubernetesVersion: kubernetesVersion !== undefined ? target.version : undefined,
      featureGates: featureGates !== undefined ? target.featureGates : undefined,
    },
    target,
    failOnWarnings,
    help,
    listRules,
  };
}

/** Rule IDs given to --disable must exist: a typo would silently run the rule it meant to disable. */
function checkRuleIds(ids: readonly string[]): void {
  const known = Guardrails.rules().map(r => r.id);
  for (const id of ids) {
    if (known.includes(id)) continue;
    const closest = known.map(k => ({ k, d: editDistance(id.toUpperCase(), k) })).sort((a, b) => a.d - b.d)[0];
    throw new UsageError(`--disable ${id}: no such rule ID (closest: ${closest.k}; --list-rules prints them all)`);
  }
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
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
 * Runs `lint`. Returns the exit status: 1 when any error is found, 0 otherwise, 2 on usage and input
 * problems (see LINT_USAGE).
 */
export function runLintCommand(args: string[], io: CliIo): number {
  let parsed: LintArgs;
  try {
    parsed = parseArgs(args);
    checkRuleIds(parsed.options.disabledRules ?? []);
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

  let objects: any[];
  let sources: ManifestSource[];
  let files: string[];
  try {
    ({ objects, sources, files } = readManifests(parsed.files, { notice: m => io.stderr(`lint: ${m}`) }));
  } catch (e: any) {
    if (!(e instanceof ManifestInputError)) throw e;
    io.stderr(`lint: ${e.message}`);
    return 2;
  }

  // which file each object came from, to say where a finding is
  const fileOf = new Map<string, string>();
  objects.forEach((o, i) => {
    const key = `${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name}`;
    if (!fileOf.has(key)) fileOf.set(key, sources[i].file);
  });
  const findings = Guardrails.check(objects, parsed.options);
  const where = (f: GuardrailFinding) => fileOf.get(`${f.kind}|${f.namespace ?? ''}|${f.name}`);
  const active = findings.filter(f => f.suppressedReason === undefined);
  const errors = active.filter(f => f.severity === GuardrailSeverity.ERROR).length;
  const warnings = active.length - errors;

  if (parsed.format === 'json') {
    io.stdout(JSON.stringify({
      findings: findings.map(f => findingJson(f, where(f))),
      summary: {
        errors,
        warnings,
        suppressed: findings.length - active.length,
        objects: objects.length,
        files: files.length,
        kubernetesVersion: parsed.target.version,
        featureGates: parsed.target.featureGates,
      },
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
