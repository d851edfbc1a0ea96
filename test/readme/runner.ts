/**
 * Runs documentation blocks as a reader would (see ./blocks.ts for the conventions).
 */
import * as child from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { DocBlock, parseTranscript } from './blocks';

export const ROOT = path.resolve(__dirname, '..', '..');
const TS_NODE = require.resolve('ts-node/register', { paths: [ROOT] });
const LIBRARY = path.join(ROOT, 'src', 'index');
/** Top-level entries of the repository that are never in a fresh checkout (build and run output). */
const BUILD_OUTPUT = new Set(['dist', 'lib', 'coverage', 'test-reports', '.git', '.jsii', 'sim']);

export const isProgram = (b: DocBlock) => ['ts', 'typescript', 'js', 'javascript'].includes(b.lang);
export const label = (b: DocBlock) => `${b.file}:${b.line} (${b.lang})`;

export interface BlockRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** IDs of the `[WARNING] ID ...` lines on stderr, sorted, once each. */
  readonly warnings: string[];
  /** Files under `dist/` written or changed by the block. */
  readonly written: string[];
  /** For transcripts: the output the block shows. */
  readonly shownOutput?: string[];
}

export class DocRunner {
  /** Stands for the user's cdk8s app: an empty directory with node_modules (the library comes from src/). */
  public readonly appDir: string;
  /** A checkout of the repository (symlinks to its files; new top-level output lands here). */
  public readonly repoDir: string;
  private readonly blockDir: string;
  private readonly cliShim: string;

  constructor(private readonly work = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-test-'))) {
    this.appDir = path.join(work, 'app');
    this.repoDir = path.join(work, 'repo');
    this.blockDir = path.join(work, 'blocks');
    for (const d of [this.appDir, this.repoDir, this.blockDir]) fs.mkdirSync(d);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(this.appDir, 'node_modules'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(this.blockDir, 'node_modules'));
    for (const entry of fs.readdirSync(ROOT)) {
      if (!BUILD_OUTPUT.has(entry)) fs.symlinkSync(path.join(ROOT, entry), path.join(this.repoDir, entry));
    }
    this.cliShim = path.join(this.blockDir, 'cli.ts');
    fs.writeFileSync(this.cliShim, `import { main } from ${JSON.stringify(path.join(ROOT, 'src', 'cli', 'main'))};\n` +
      'process.exitCode = main(process.argv.slice(2));\n');
  }

  public dispose(): void {
    fs.rmSync(this.work, { recursive: true, force: true });
  }

  public cwdOf(b: DocBlock): string {
    return b.inRepository ? this.repoDir : this.appDir;
  }

  /** Writes a program block to a file, importing this repository's sources where the reader imports the package. */
  public programFile(b: DocBlock): string {
    const ext = b.lang.startsWith('j') ? 'js' : 'ts';
    const file = path.join(this.blockDir, `${b.file.replace(/[^A-Za-z0-9]/g, '_')}_${b.line}.${ext}`);
    fs.writeFileSync(file, b.code.replace(/(['"])cdk8s-ml-autoscaling\1/g, JSON.stringify(LIBRARY)));
    return file;
  }

  /** Type-check messages of the TypeScript blocks, with the repository's strict settings. */
  public typeCheck(bs: DocBlock[]): string[] {
    const files = bs.map(b => this.programFile(b));
    const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.dev.json'), {}, {
      ...ts.sys, onUnRecoverableConfigFileDiagnostic: d => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
    })!;
    const program = ts.createProgram(files, { ...config.options, noEmit: true, rootDir: undefined });
    return files.flatMap((f, i) => ts.getPreEmitDiagnostics(program, program.getSourceFile(f)).map(d => {
      const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0;
      return `${bs[i].file}:${bs[i].line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    }));
  }

  public run(b: DocBlock): BlockRun {
    const cwd = this.cwdOf(b);
    const dist = path.join(cwd, 'dist');
    const before = filesUnder(dist);
    let r: child.SpawnSyncReturns<string>;
    let shownOutput: string[] | undefined;
    if (isProgram(b)) {
      r = child.spawnSync(process.execPath, ['-r', TS_NODE, this.programFile(b)], {
        cwd, env: { ...env(), CDK8S_OUTDIR: dist }, encoding: 'utf8', timeout: 120_000,
      });
    } else if (b.lang === 'console') {
      const t = parseTranscript(b.code);
      shownOutput = t.output;
      r = this.bash(t.commands.join('\n'), cwd);
    } else {
      r = this.bash(b.code, cwd);
    }
    const after = filesUnder(dist);
    return {
      status: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      warnings: [...new Set(r.stderr.split('\n').map(l => /^\[WARNING\] (\S+) /.exec(l)?.[1]).filter((x): x is string => !!x))].sort(),
      written: [...after].filter(([f, t]) => before.get(f) !== t).map(([f]) => f),
      shownOutput,
    };
  }

  /** Runs a shell script as a reader would, with the package's bin (from src/) on the path. */
  private bash(script: string, cwd: string): child.SpawnSyncReturns<string> {
    const prelude = [
      'set -euo pipefail',
      `cdk8s-ml-autoscaling() { command node -r ${JSON.stringify(TS_NODE)} ${JSON.stringify(this.cliShim)} "$@"; }`,
      'npx() { "$@"; }', // `npx cdk8s-ml-autoscaling` in an app that depends on the package
      // `node bin/cdk8s-ml-autoscaling` in a clone runs the compiled lib/; here the same from src/
      'node() { if [ "${1:-}" = bin/cdk8s-ml-autoscaling ]; then shift; cdk8s-ml-autoscaling "$@"; else command node "$@"; fi; }',
    ].join('\n');
    return child.spawnSync('bash', ['-c', `${prelude}\n${script}`], { cwd, env: env(), encoding: 'utf8', timeout: 120_000 });
  }
}

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json'), TS_NODE_TRANSPILE_ONLY: 'true' };
  delete e.CDK8S_ML_AUTOSCALING_QUIET; // set by test/setup-env.ts; the reader sees the warnings
  delete e.CDK8S_OUTDIR;
  return e;
}

function filesUnder(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const st = fs.statSync(path.join(dir, f));
    if (st.isFile()) out.set(f, st.mtimeMs);
  }
  return out;
}
