/**
 * Removes from lib/src the type declarations no declaration of the public API reaches from
 * lib/src/index.d.ts (internal modules: rules, the simulator's engine, the CLI, the PromQL checker).
 * The package ships compiled JavaScript for every module and declarations for what TypeScript users
 * can import from the package root; the rest were over 100 KB of the compressed tarball (issue 12's
 * 600 KB target). Runs after `jsii` (post-compile); test/package/package.test.ts checks that every
 * declaration the public API reaches is shipped and no other.
 */
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.join(__dirname, '..', 'lib');

/** Every `.d.ts` under `dir`, as paths relative to lib/ with `/`. */
function declarations(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(path.join(LIB, d), { withFileTypes: true })) {
      const p = path.posix.join(d, e.name);
      if (e.isDirectory()) walk(p); else if (p.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The declarations reachable from `entry` through relative imports (`from './x'`, `import('./x')`). */
export function reachableDeclarations(entry: string, exists: (file: string) => boolean, read: (file: string) => string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of read(file).matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]));
      const found = [`${target}.d.ts`, `${target}/index.d.ts`].find(exists);
      if (found) visit(found);
    }
  };
  visit(entry);
  return seen;
}

if (require.main === module) {
  const all = new Set(declarations('src'));
  const keep = reachableDeclarations('src/index.d.ts', f => all.has(f), f => fs.readFileSync(path.join(LIB, f), 'utf8'));
  let removed = 0;
  for (const f of all) {
    if (keep.has(f)) continue;
    fs.rmSync(path.join(LIB, f));
    removed++;
  }
  console.log(`prune-declarations: kept ${keep.size} declarations the public API reaches, removed ${removed}`);
}
