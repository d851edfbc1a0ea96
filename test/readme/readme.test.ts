/**
 * The README (and the docs) followed word for word: every TypeScript block type-checks and runs as
 * written, prints exactly the warnings its text explains and, when it builds an app, synthesizes it;
 * every shell block runs; every transcript prints what it shows. Conventions: see ./blocks.ts.
 */
import * as child from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { DocBlock, parseTranscript, readBlocks, RUNNABLE } from './blocks';

const ROOT = path.resolve(__dirname, '..', '..');
const FILES = (process.env.README_TEST_FILES ?? 'README.md,docs/simulator.md,docs/rules.md').split(',');
const TS_NODE = require.resolve('ts-node/register', { paths: [ROOT] });
const LIBRARY = path.join(ROOT, 'src', 'index');
/** Top-level entries of the repository that are never in a checkout (build output). */
const BUILD_OUTPUT = new Set(['dist', 'lib', 'coverage', 'test-reports', '.git', '.jsii', 'sim']);

const blocks: DocBlock[] = FILES.flatMap(f => readBlocks(ROOT, f));
const runnable = blocks.filter(b => RUNNABLE.has(b.lang));
const isTs = (b: DocBlock) => ['ts', 'typescript', 'js', 'javascript'].includes(b.lang);
const label = (b: DocBlock) => `${b.file}:${b.line} (${b.lang})`;

let work: string;
/** Stands for the user's cdk8s app: an empty directory with node_modules (the library comes from src/). */
let appDir: string;
/** A checkout of the repository (symlinks to its files; new top-level output lands here). */
let repoDir: string;
let blockDir: string;
let cliShim: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-test-'));
  appDir = path.join(work, 'app');
  repoDir = path.join(work, 'repo');
  blockDir = path.join(work, 'blocks');
  for (const d of [appDir, repoDir, blockDir]) fs.mkdirSync(d);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(appDir, 'node_modules'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(blockDir, 'node_modules'));
  for (const entry of fs.readdirSync(ROOT)) {
    if (!BUILD_OUTPUT.has(entry)) fs.symlinkSync(path.join(ROOT, entry), path.join(repoDir, entry));
  }
  cliShim = path.join(blockDir, 'cli.ts');
  fs.writeFileSync(cliShim, `import { main } from ${JSON.stringify(path.join(ROOT, 'src', 'cli', 'main'))};\n` +
    'process.exitCode = main(process.argv.slice(2));\n');
  for (const b of runnable.filter(isTs)) fs.writeFileSync(blockFile(b), programOf(b));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function blockFile(b: DocBlock): string {
  const ext = b.lang.startsWith('j') ? 'js' : 'ts';
  return path.join(blockDir, `${b.file.replace(/[^A-Za-z0-9]/g, '_')}_${b.line}.${ext}`);
}

/** The block, importing this repository's sources where the reader imports the installed package. */
function programOf(b: DocBlock): string {
  return b.code.replace(/(['"])cdk8s-ml-autoscaling\1/g, JSON.stringify(LIBRARY));
}

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json'), TS_NODE_TRANSPILE_ONLY: 'true' };
  delete e.CDK8S_ML_AUTOSCALING_QUIET; // set by test/setup-env.ts; the reader sees the warnings
  delete e.CDK8S_OUTDIR;
  return e;
}

/** Runs a shell script as a reader would, with the package's bin (from src/) on the path. */
function bash(script: string, cwd: string): child.SpawnSyncReturns<string> {
  const prelude = [
    'set -euo pipefail',
    `cdk8s-ml-autoscaling() { command node -r ${JSON.stringify(TS_NODE)} ${JSON.stringify(cliShim)} "$@"; }`,
    'npx() { "$@"; }', // `npx cdk8s-ml-autoscaling` in an app that depends on the package
    // `node bin/cdk8s-ml-autoscaling` in a clone runs the compiled lib/; the test runs the same from src/
    'node() { if [ "${1:-}" = bin/cdk8s-ml-autoscaling ]; then shift; cdk8s-ml-autoscaling "$@"; else command node "$@"; fi; }',
  ].join('\n');
  return child.spawnSync('bash', ['-c', `${prelude}\n${script}`], { cwd, env: env(), encoding: 'utf8', timeout: 120_000 });
}

function filesUnder(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out.set(f, fs.statSync(p).mtimeMs);
  }
  return out;
}

test('every runnable block is run or skipped with a reason; directives are understood', () => {
  expect(runnable.length).toBeGreaterThan(5);
  for (const b of blocks) {
    if (b.skip !== undefined) expect({ block: label(b), reason: b.skip.length > 10 }).toEqual({ block: label(b), reason: true });
    if (!RUNNABLE.has(b.lang)) {
      // output samples and YAML: never carry run directives
      expect({ block: label(b), directives: b.warnings.length > 0 || b.inRepository }).toEqual({ block: label(b), directives: false });
    }
  }
});

test('every TypeScript block type-checks as written (strict, as the repository compiles)', () => {
  const files = runnable.filter(b => isTs(b) && b.skip === undefined && b.lang.startsWith('t')).map(blockFile);
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.dev.json'), {}, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: d => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  })!;
  const program = ts.createProgram(files, { ...config.options, noEmit: true, rootDir: undefined });
  const messages = files.flatMap(f => ts.getPreEmitDiagnostics(program, program.getSourceFile(f)))
    .map(d => {
      const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  expect(messages).toEqual([]);
}, 120_000);

describe.each(FILES)('%s, followed word for word', file => {
  const own = runnable.filter(b => b.file === file);
  if (own.length === 0) return;
  test.each(own.map(b => [label(b), b] as const))('%s', (_name, b) => {
    if (b.skip !== undefined) return; // listed and justified in the first test
    const cwd = b.inRepository ? repoDir : appDir;
    for (const id of b.warnings) {
      expect({ warning: id, explainedNextToTheBlock: b.prose.includes(id) }).toEqual({ warning: id, explainedNextToTheBlock: true });
    }
    if (isTs(b)) {
      const before = filesUnder(path.join(cwd, 'dist'));
      const r = child.spawnSync(process.execPath, ['-r', TS_NODE, blockFile(b)], {
        cwd, env: { ...env(), CDK8S_OUTDIR: path.join(cwd, 'dist') }, encoding: 'utf8', timeout: 120_000,
      });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.anything() });
      const printed = [...new Set(r.stderr.split('\n').map(l => /^\[WARNING\] (\S+) /.exec(l)?.[1]).filter(Boolean))].sort();
      expect({ warnings: printed }).toEqual({ warnings: [...b.warnings].sort() });
      if (/\bnew App\(/.test(b.code)) {
        const after = filesUnder(path.join(cwd, 'dist'));
        const written = [...after].filter(([f, t]) => before.get(f) !== t).map(([f]) => f);
        expect({ block: label(b), synthesizes: written.length > 0 }).toEqual({ block: label(b), synthesizes: true });
      }
    } else if (b.lang === 'console') {
      const { commands, output } = parseTranscript(b.code);
      expect(commands.length).toBeGreaterThan(0);
      const r = bash(commands.join('\n'), cwd);
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: r.stderr });
      expect(r.stdout.replace(/\n$/, '').split('\n')).toEqual(output);
    } else {
      const r = bash(b.code, cwd);
      expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: r.stdout, stderr: r.stderr });
    }
  }, 180_000);
});
