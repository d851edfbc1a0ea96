/**
 * The fast block-YAML reader answers only when it gives exactly what the YAML 1.1 parser cdk8s
 * bundles gives; everything else it leaves to that parser.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { parseBlockYaml } from '../../src/cli/block-yaml';
import { bundledYamlParser } from '../../src/guardrails/yaml-text';
import { cleanManifests } from '../guardrails/manifests';

const full = (text: string) => bundledYamlParser().parseAllDocuments(text, { version: '1.1' })[0].toJSON();

function fixtureDocuments(): string[] {
  const files = [
    path.join(__dirname, '..', 'guardrails', 'fixtures', 'article.yaml'),
    path.join(__dirname, '..', 'simulate', 'fixtures', 'article-inference.yaml'),
    path.join(__dirname, '..', 'simulate', 'fixtures', 'article-batch.yaml'),
  ];
  const texts = [...files.map(f => fs.readFileSync(f, 'utf8')), Yaml.stringify(...cleanManifests())];
  return texts.flatMap(t => t.split(/\n(?=---\n)/));
}

test('the documents of the fixtures and of Yaml.stringify: the full parser\'s values, most read fast', () => {
  const docs = fixtureDocuments();
  expect(docs.length).toBeGreaterThan(20);
  let fast = 0;
  for (const doc of docs) {
    const block = parseBlockYaml(doc);
    if (block === undefined) continue; // e.g. the adapter ConfigMap's block scalar
    fast++;
    expect(block.value).toEqual(full(doc));
  }
  expect(fast).toBeGreaterThan(docs.length * 0.8);
});

test.each([
  ['strings, numbers, booleans, null (YAML 1.1)', 'cpu: 4000m\nversion: 1.0.3\nport: 42\nneg: -7\nratio: 0.5\nflag: yes\nother: Off\ntilde: ~\nnull-word: null\nempty:\nquoted: "8000"\nsingle: \'q\'\npath: /metrics\ndot: .hidden\nplus: +x\nlist: [] \nmap: {}\n'],
  ['nested mappings and sequences, compact "- key:", a sequence at its key\'s indent', 'top:\n  inner:\n    - x\n    - key: 1\n      other: 2\n    -\n      deep: 3\n  same:\n  - 1\n  - 2\nlast: e\n'],
  ['comments, a leading ---, blank lines', '# head\n---\n# doc\nfirst: 1\n\n  # indented comment\nsecond: 2\n'],
  ['an empty document', '---\n'],
])('%s: the full parser\'s values', (_, text) => {
  const fast = parseBlockYaml(text);
  expect(fast).toBeDefined();
  expect(fast!.value).toEqual(full(text));
});

test.each([
  ['octal', 'a: 0755\n'],
  ['hex', 'a: 0x1F\n'],
  ['float with exponent', 'a: 1e3\n'],
  ['sexagesimal', 'a: 1:30\n'],
  ['timestamp', 'a: 2001-12-14\n'],
  ['.inf', 'a: .inf\n'],
  ['number key', '8080: http\n'],
  ['boolean key', 'on: push\n'],
  ['merge key', 'a: &x {b: 1}\nc:\n  <<: *x\n'],
  ['anchor and alias', 'a: &x 1\nb: *x\n'],
  ['tag', 'a: !!str 1\n'],
  ['block scalar', 'a: |\n  line\n'],
  ['folded scalar', 'a: >\n  line\n'],
  ['flow mapping', 'a: {b: 1}\n'],
  ['flow sequence', 'a: [1, 2]\n'],
  ['escape in double quotes', 'a: "x\\ty"\n'],
  ['doubled single quote', 'a: \'it\'\'s\'\n'],
  ['comment after a value', 'a: 1 # one\n'],
  ['multi-line plain scalar', 'a: one\n  two\n'],
  ['tab', 'a:\t1\n'],
  ['CRLF', 'a: 1\r\nb: 2\r\n'],
  ['duplicate key', 'a: 1\na: 2\n'],
  ['mis-indented key', 'a:\n  b: 1\n c: 2\n'],
  ['over-indented key', 'a: 1\n  b: 2\n'],
  ['compact nested sequence', '- - 1\n'],
  ['top-level scalar', 'hello world\n'],
  ['one-letter boolean key (y, n)', 'y: 1\n'],
  ['a second document', 'a: 1\n---\nb: 2\n'],
  ['document end marker', 'a: 1\n...\n'],
  ['directive', '%YAML 1.1\n---\na: 1\n'],
  ['unrendered Helm template', 'a: {{ .Values.x }}\n'],
  ['comments only (no document)', '# nothing\n'],
  ['indented first line', '  a: 1\n'],
  ['__proto__ key', '__proto__: 1\n'],
])('gives up on %s (the full parser decides)', (_, text) => {
  expect(parseBlockYaml(text)).toBeUndefined();
});

test('the line where the content starts, after comments and ---', () => {
  expect(parseBlockYaml('# a\n---\n\n# b\nkind: X\n')).toEqual({ value: { kind: 'X' }, line: 4 });
});

describe('property: on random manifests written by Yaml.stringify, the fast reader agrees with the full parser', () => {
  const tricky = ['yes', 'No', 'on', 'OFF', 'y', 'n', 'null', '~', '', ' lead', 'trail ',
    '0755', '0x1F', '1e3', '1_000', '12:30', '2001-12-14',
    '.inf', '.5', '1.', '-', '- x', '-x', 'a #b', 'a# b', 'x: y', 'x:y', 'http://h:80/p', '4000m', '1.0.3',
    '"q"', '\'s\'', 'tab\tin', 'two\nlines',
    'é', '{{ .Values.x }}', '[a]', '{a}', '&a', '*a', '!t', '%p', '@a', '`b', '|', '>', '?', '<<', 'true', '42', '-7', '0.5', '-0.0', 'ml-workloads', 'nvidia.com/gpu'];
  const scalar = fc.oneof(fc.constantFrom(...tricky), fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: true }),
    fc.boolean(), fc.constant(null));
  const key = fc.oneof(fc.constantFrom(...tricky.filter(k => k !== '')), fc.string({ minLength: 1, maxLength: 8 }));
  const value = fc.letrec(tie => ({
    node: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
    map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    list: fc.array(tie('node'), { maxLength: 3 }),
  })).map;

  test('values agree whenever the fast reader answers', () => {
    let answered = 0;
    fc.assert(fc.property(value, (doc) => {
      const text = Yaml.stringify(doc);
      const block = parseBlockYaml(text);
      if (block === undefined) return;
      answered++;
      expect(block.value).toEqual(full(text));
    }), { numRuns: 500, seed: 12 });
    expect(answered).toBeGreaterThan(50);
  });
});

test('mis-indented lines: the fast reader never accepts what the full parser rejects, nor reads it differently', () => {
  const parser = bundledYamlParser();
  let rejected = 0;
  for (const doc of fixtureDocuments().slice(0, 12)) {
    const lines = doc.split('\n');
    for (let i = 0; i < lines.length; i++) {
      for (const delta of [-2, -1, 1, 2]) {
        const indent = lines[i].length - lines[i].trimStart().length;
        if (lines[i].trim() === '' || indent + delta < 0) continue;
        const mutated = [...lines];
        mutated[i] = ' '.repeat(indent + delta) + lines[i].trimStart();
        const text = mutated.join('\n');
        const docs = parser.parseAllDocuments(text, { version: '1.1' });
        const errors = docs.flatMap((d: any) => d.errors);
        const block = parseBlockYaml(text);
        if (errors.length > 0) {
          rejected++;
          expect(block).toBeUndefined();
        } else if (block !== undefined) {
          expect(block.value).toEqual(docs[0].toJSON());
        }
      }
    }
  }
  expect(rejected).toBeGreaterThan(100);
});
