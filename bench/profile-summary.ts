/**
 * Summarizes a V8 CPU profile (from `npm run bench -- --profile`, or `node --cpu-prof`):
 *   npx ts-node -P tsconfig.dev.json bench/profile-summary.ts bench-results/profiles/lint.cpuprofile [rootRegExp] [rows]
 * Prints the functions with the most self time and the most total time, optionally only under the
 * frames matching rootRegExp (e.g. "_synthChart" or "^check src/guardrails").
 */
import * as fs from 'fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: number[];
}

interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

function frameName(node: ProfileNode): string {
  const url = node.callFrame.url.replace(/.*node_modules\//, 'node_modules/').replace(/.*bench-results\/build\//, '');
  return `${node.callFrame.functionName || '(anonymous)'} ${url}:${node.callFrame.lineNumber + 1}`;
}

function summarize(file: string, root: RegExp | undefined, rows: number): string {
  const profile: Profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const sampled = new Map<number, number>();
  profile.samples.forEach((id, i) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  for (const [id, micros] of sampled) {
    const chain: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) chain.push(frameName(byId.get(cur)!));
    const rootIndex = root ? chain.findIndex(f => root.test(f)) : chain.length - 1;
    if (rootIndex < 0) continue;
    all += micros;
    self.set(chain[0], (self.get(chain[0]) ?? 0) + micros);
    for (const f of new Set(chain.slice(0, rootIndex + 1))) total.set(f, (total.get(f) ?? 0) + micros);
  }
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, rows)
    .map(([f, micros]) => `${(micros / 1000).toFixed(0).padStart(7)} ms  ${f}`).join('\n');
  return [`${file}${root ? ` under /${root.source}/` : ''}: ${(all / 1000).toFixed(0)} ms sampled`,
    'self time:', top(self), 'total time:', top(total)].join('\n');
}

const [file, root, rows] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: profile-summary.ts <file.cpuprofile> [rootRegExp] [rows]\n');
  process.exit(1);
}
console.log(summarize(file, root ? new RegExp(root) : undefined, Number(rows ?? 25)));
