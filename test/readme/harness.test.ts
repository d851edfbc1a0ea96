/**
 * The README test's own checks, on the README as it was before issue 12
 * (fixtures/README-before-issue-12.md): each problem of the issue is caught.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseBlocks, parseTranscript, unqualifiedRepositoryPaths } from './blocks';
import { DocRunner } from './runner';

const BEFORE = fs.readFileSync(path.join(__dirname, 'fixtures', 'README-before-issue-12.md'), 'utf8');
const before = parseBlocks('README-before-issue-12.md', BEFORE);

let runner: DocRunner;
beforeAll(() => { runner = new DocRunner(); });
afterAll(() => runner.dispose());

test('directives: skip with its reason, expected warnings, repository blocks; unknown directives fail', () => {
  const md = [
    'Before.', '',
    '<!-- readme-test: skip: installs packages -->', '```sh', 'npm install x', '```', '',
    'It warns ML-W-A.', '',
    '<!-- readme-test: warnings ML-W-A, ML-W-B -->', '<!-- readme-test: in the repository -->', '```ts', 'x();', '```', '',
    'ML-W-B because.', '',
    '```', 'output', '```',
  ].join('\n');
  const [install, program, sample] = parseBlocks('x.md', md);
  expect(install).toMatchObject({ lang: 'sh', line: 4, skip: 'installs packages', warnings: [], inRepository: false });
  expect(program).toMatchObject({ lang: 'ts', line: 12, code: 'x();\n', warnings: ['ML-W-A', 'ML-W-B'], inRepository: true });
  expect(program.prose).toContain('It warns ML-W-A.');
  expect(program.prose).toContain('ML-W-B because.');
  expect(program.prose).not.toContain('readme-test');
  expect(sample).toMatchObject({ lang: '', skip: undefined });
  expect(() => parseBlocks('x.md', '<!-- readme-test: run twice -->\n```ts\n```\n')).toThrow(/unknown readme-test directive "run twice"/);
});

test('transcripts: commands with continuations, then the output', () => {
  expect(parseTranscript('$ a \\\n    --b c\nout 1\nout 2\n')).toEqual({ commands: ['a  --b c'], output: ['out 1', 'out 2'] });
});

test('the old Quick start synthesizes nothing; synthesized, it prints two warnings its text never mentions', () => {
  const quickStart = before.find(b => b.lang === 'ts')!;
  expect(quickStart.code).toContain('GpuInferenceService');
  const asWritten = runner.run(quickStart);
  expect(asWritten.status).toBe(0);
  expect(asWritten.written).toEqual([]);
  const synthesized = runner.run({ ...quickStart, line: 0, code: quickStart.code + '(chart.node.root as any).synth();\n' });
  expect(synthesized.status).toBe(0);
  expect(synthesized.written).toEqual(['inference.k8s.yaml']);
  expect(synthesized.warnings).toEqual(['ML-W-CUSTOM-METRIC-WITHOUT-ADAPTER-RULE', 'ML-W-GPU-WITHOUT-PLACEMENT']);
  expect(quickStart.prose).not.toMatch(/ML-W-/);
}, 120_000);

test('the old simulate example fails in an app with the package installed (its paths are repository files)', () => {
  const transcript = before.find(b => b.code.startsWith('$ cdk8s-ml-autoscaling simulate'))!;
  const r = runner.run({ ...transcript, lang: 'console' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/simulate: --\w+ test\/simulate\/fixtures\/\S+: no such file/);
}, 120_000);

test('the old README names repository-only paths as if they were in the package', () => {
  const found = unqualifiedRepositoryPaths(BEFORE).join('\n');
  expect(found).toContain('test/simulate/fixtures/spike-trace.csv');
  expect(found).toContain('docs/simulator.md');
  expect(found).toContain('examples/queue-workers.ts');
});

test('the old TypeScript blocks do not compile as written', () => {
  const messages = runner.typeCheck(before.filter(b => b.lang === 'ts'));
  expect(messages.join('\n')).toMatch(/Cannot find name 'chart'/);
  expect(messages.join('\n')).toMatch(/Cannot find name 'same'/);
}, 120_000);
