import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** Repository root (bench/ lives one level below it). */
export const ROOT = path.resolve(__dirname, '..');
/** Where the bench writes its private build and profiles (git-ignored). */
export const OUT = path.join(ROOT, 'bench-results');
export const BUILD = path.join(OUT, 'build');

const SOURCE_DIRS = ['src', 'imports', 'vendor', 'bench', 'examples'];

function walk(dir: string, files: string[] = []): string[] {
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, files);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(full);
  }
  return files;
}

/**
 * Transpiles src/, imports/, vendor/, examples/ and bench/ to plain JS under bench-results/build with the
 * library's own compiler options (tsconfig.json, which jsii uses for lib/), so child processes time the same
 * JavaScript the package ships, without ts-node or the TypeScript compiler in their memory. Type
 * checking is left to the build; this only emits, which takes a second or two.
 */
export function buildForBench(): string {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.convertCompilerOptionsFromJson(config.config.compilerOptions, ROOT);
  // Same emit as lib/ (no source maps, as in the package), minus declarations.
  const compilerOptions: ts.CompilerOptions = { ...options, declaration: false, noEmitOnError: false };
  fs.rmSync(BUILD, { recursive: true, force: true });
  for (const dir of SOURCE_DIRS) {
    for (const file of walk(path.join(ROOT, dir))) {
      const rel = path.relative(ROOT, file);
      const out = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
      const target = path.join(BUILD, rel.replace(/\.ts$/, '.js'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, out.outputText);
    }
  }
  return BUILD;
}
