/**
 * The package as users get it: the jsii build in lib/ (compiled here when missing or older than its
 * sources, so `npx projen test` alone works) and the tarball `npm pack` makes of it.
 */
import * as child from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');

/** Runs a command; throws with its output when it fails; returns stdout. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = child.spawnSync(command, args, {
    cwd, encoding: 'utf-8', env: { ...process.env, ...env }, timeout: 170_000, maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

function newestMtime(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(file).map(f => newestMtime(path.join(file, f))));
}

/** Compiles lib/ with jsii (`projen compile`) unless it is newer than every input of the build. */
export function ensureCompiled(): void {
  const outputs = ['.jsii', 'lib/src/index.js', 'lib/src/cli/main.js', 'lib/imports/keda.sh.js'].map(f => path.join(ROOT, f));
  const inputs = ['src', 'imports', 'package.json', 'tsconfig.json'].map(f => path.join(ROOT, f));
  const built = outputs.every(f => fs.existsSync(f)) ? Math.min(...outputs.map(f => fs.statSync(f).mtimeMs)) : -1;
  if (built >= Math.max(...inputs.map(newestMtime))) return;
  run(path.join(ROOT, 'node_modules', '.bin', 'projen'), ['compile'], ROOT, { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' });
}

/** `npm pack` of the repository into `dir`; returns the tarball's path. */
export function pack(dir: string): string {
  const out = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT);
  return path.join(dir, JSON.parse(out)[0].filename);
}

/** Every file under `dir`, as paths relative to it with '/' separators. */
export function filesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap(e => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, rel) : [rel];
  }).sort();
}
