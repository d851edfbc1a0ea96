/**
 * The README (and the docs) followed word for word: every TypeScript block type-checks and runs as
 * written, prints exactly the warnings its text explains and, when it builds an app, synthesizes it;
 * every shell block runs; every transcript prints what it shows. Conventions: see ./blocks.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DocBlock, readBlocks, REPOSITORY_ONLY, RUNNABLE, unqualifiedRepositoryPaths } from './blocks';
import { DocRunner, isProgram, label, ROOT } from './runner';

/** In this order, in one directory: docs/simulator.md simulates what the README's Quick start synthesized. */
const FILES = ['README.md', 'docs/simulator.md', 'docs/rules.md'];

const blocks: DocBlock[] = FILES.flatMap(f => readBlocks(ROOT, f));
const runnable = blocks.filter(b => RUNNABLE.has(b.lang));

let runner: DocRunner;
beforeAll(() => { runner = new DocRunner(); });
afterAll(() => runner.dispose());

test('every runnable block is run, or skipped with a reason; output samples carry no directives', () => {
  expect(runnable.length).toBeGreaterThan(5);
  for (const b of blocks) {
    if (b.skip !== undefined) expect({ block: label(b), reason: b.skip }).toEqual({ block: label(b), reason: expect.stringMatching(/\w+ \w+ \w+/) });
    if (!RUNNABLE.has(b.lang)) {
      expect({ block: label(b), directives: b.warnings.length > 0 || b.inRepository || b.skip !== undefined })
        .toEqual({ block: label(b), directives: false });
    }
  }
});

test('every TypeScript block type-checks as written (strict, as the repository compiles)', () => {
  expect(runner.typeCheck(runnable.filter(b => isProgram(b) && b.lang.startsWith('t') && b.skip === undefined))).toEqual([]);
}, 120_000);

describe.each(FILES)('%s, followed word for word', file => {
  const own = runnable.filter(b => b.file === file && b.skip === undefined);
  for (const b of runnable.filter(x => x.file === file && x.skip !== undefined)) test.skip(`${label(b)}: ${b.skip}`, () => undefined);
  test.each(own.map(b => [label(b), b] as const))('%s', (_name, b) => {
    for (const id of b.warnings) {
      expect({ warning: id, namedNextToTheBlock: b.prose.includes(id) }).toEqual({ warning: id, namedNextToTheBlock: true });
    }
    const r = runner.run(b);
    expect({ block: label(b), status: r.status, stderr: r.stderr }).toEqual({ block: label(b), status: 0, stderr: r.stderr });
    if (isProgram(b)) {
      expect({ block: label(b), warnings: r.warnings }).toEqual({ block: label(b), warnings: [...b.warnings].sort() });
      if (/\bnew App\(/.test(b.code)) {
        expect({ block: label(b), synthesizes: r.written.length > 0 }).toEqual({ block: label(b), synthesizes: true });
      }
    }
    if (r.shownOutput) expect(r.stdout.replace(/\n$/, '').split('\n')).toEqual(r.shownOutput);
  }, 180_000);

  if (own.some(b => b.lang === 'console' && b.inRepository && b.code.includes('--out sim/'))) {
    test('the report picture in the repository is the one the transcript writes', () => {
      expect(fs.readFileSync(path.join(runner.repoDir, 'sim', 'report.svg'), 'utf8'))
        .toBe(fs.readFileSync(path.join(ROOT, 'docs', 'img', 'report.svg'), 'utf8'));
    });
  }
});

describe('repository paths in the README', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  test('are named as repository files (or are links, which GitHub and npm resolve to the repository)', () => {
    expect(unqualifiedRepositoryPaths(readme)).toEqual([]);
  });

  test('exist in the repository', () => {
    const missing = [...new Set(readme.match(REPOSITORY_ONLY) ?? [])]
      .filter(p => !p.includes('*'))
      .filter(p => !fs.existsSync(path.join(ROOT, p)));
    expect(missing).toEqual([]);
  });
});
