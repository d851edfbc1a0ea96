import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { ManifestInputError, readManifests } from '../../src/cli/read-manifests';
import { cleanManifests } from '../guardrails/manifests';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-manifests-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

function inputError(paths: string[]): string {
  try {
    readManifests(paths);
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestInputError);
    return (e as Error).message;
  }
  throw new Error(`readManifests(${paths.join(', ')}) did not fail`);
}

const cm = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

test('reads the same objects as Yaml.load, with file, document and line of each', () => {
  const objects = cleanManifests();
  const p = file('clean.yaml', Yaml.stringify(...objects));
  const r = readManifests([p]);
  expect(r.objects).toEqual(Yaml.load(p));
  expect(r.files).toEqual([p]);
  expect(r.sources[0]).toEqual({ file: p, document: 1, line: 1 });
  const lines = fs.readFileSync(p, 'utf8').split('\n');
  // every object's line is the line after its `---` separator
  r.sources.slice(1).forEach((s, i) => {
    expect(s.document).toBe(i + 2);
    expect(lines[s.line - 2]).toBe('---');
  });
});

test('YAML 1.1 scalars as cdk8s reads them (octal, yes/no), comments and a leading --- ', () => {
  const r = readManifests([file('scalars.yaml', `# header\n---\n${cm('a', 'data:\n  mode: 0755\n  flag: yes\n')}`)]);
  expect(r.objects[0].data).toEqual({ mode: 493, flag: true });
  expect(r.sources[0]).toMatchObject({ document: 1, line: 3 });
});

test('a --- separator split across two read chunks (1 MiB) is still a separator', () => {
  const head = cm('big', 'data:\n  pad: "');
  const tail = '"\n';
  const first = `${head}${'x'.repeat(1024 * 1024 - 2 - head.length - tail.length)}${tail}`;
  expect(first.length).toBe(1024 * 1024 - 2); // the chunk ends inside "\n---\n"
  const p = file('straddle.yaml', `${first}---\n${cm('second')}---\n${cm('third')}`);
  const r = readManifests([p]);
  expect(r.objects.map(o => o.metadata.name)).toEqual(['big', 'second', 'third']);
  expect(r.objects[0].data.pad).toHaveLength(1024 * 1024 - 2 - head.length - tail.length);
  expect(r.sources.map(s => s.line)).toEqual([1, 8, 13]);
});

test('a file over 10 MiB is read in-process (Yaml.load fails with ENOBUFS)', () => {
  const value = 'y'.repeat(11 * 1024 * 1024);
  const p = file('eleven.yaml', `${cm('huge', `data:\n  blob: ${value}\n`)}---\n${cm('after')}`);
  const r = readManifests([p]);
  expect(r.objects.map(o => o.metadata.name)).toEqual(['huge', 'after']);
  expect(r.objects[0].data.blob.length).toBe(value.length);
});

test('a bare JSON array, a YAML sequence and kind: List are lists of objects', () => {
  const [a, b] = cleanManifests();
  const json = readManifests([file('array.json', JSON.stringify([a, b]))]);
  expect(json.objects).toEqual([a, b]);
  const seq = readManifests([file('seq.yaml', Yaml.stringify([a, b]))]);
  expect(seq.objects).toEqual([a, b]);
  const list = readManifests([file('list.yaml', Yaml.stringify({ apiVersion: 'v1', kind: 'List', items: [a, b] }))]);
  expect(list.objects).toEqual([a, b]);
  const single = readManifests([file('single.json', JSON.stringify(a))]);
  expect(single.objects).toEqual([a]);
});

test('documents without apiVersion or kind are reported with file, document and line, all of them', () => {
  const p = file('values.yaml', `${cm('ok')}---\nreplicaCount: 2\nimage: x\n---\n${cm('ok2')}---\nkind: Deployment\n`);
  const message = inputError([p]);
  expect(message).toContain('2 documents are not Kubernetes objects');
  expect(message).toContain(`${p}: document 2 (line 6): no apiVersion and no kind (keys: replicaCount, image)`);
  expect(message).toContain(`${p}: document 4 (line 14): no apiVersion (keys: kind)`);
});

test('items of arrays and Lists are checked too', () => {
  const [a] = cleanManifests();
  expect(inputError([file('bad-array.json', JSON.stringify([a, { foo: 1 }]))]))
    .toContain('bad-array.json: document 1 (line 1), item 2: no apiVersion and no kind (keys: foo)');
  expect(inputError([file('bad-list.yaml', Yaml.stringify({ apiVersion: 'v1', kind: 'List', items: [a, 'text'] }))]))
    .toContain('bad-list.yaml: document 1 (line 1), List item 2: a string ("text"), not an object');
});

test('plain text and binary files are not manifests', () => {
  expect(inputError([file('notes.txt', 'hello world\n')])).toContain('notes.txt: document 1 (line 1): a string ("hello world"), not an object');
  expect(inputError([file('image.yaml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))]))
    .toBe(`${path.join(dir, 'image.yaml')}: a binary file (NUL byte at offset 4), not YAML or JSON`);
});

test('nothing to read is an error saying what was read', () => {
  expect(inputError([file('empty.yaml', '')])).toBe(`no Kubernetes object found; read ${path.join(dir, 'empty.yaml')}: 0 bytes, no document`);
  expect(inputError([file('dashes.yaml', '---\n')])).toBe(`no Kubernetes object found; read ${path.join(dir, 'dashes.yaml')}: 4 bytes, only empty documents`);
  const empty = path.join(dir, 'empty-dir');
  fs.mkdirSync(empty);
  expect(inputError([empty])).toBe(`no Kubernetes object found; read ${empty}: a directory with no *.yaml, *.yml or *.json file`);
  expect(inputError(['/dev/null'])).toBe('no Kubernetes object found; read /dev/null: 0 bytes, no document');
  expect(inputError([path.join(dir, 'missing.yaml')])).toBe(`cannot read ${path.join(dir, 'missing.yaml')}: no such file`);
});

test('YAML errors are errors, with file, line, column and the line itself', () => {
  const p = file('broken.yaml', `${cm('a')}---\n${cm('b')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n   labels: {}\n`);
  expect(inputError([p])).toBe(`${p}:14:9: invalid YAML in document 3: Nested mappings are not allowed in compact mappings\n    name: c`);
});

test('an unrendered Helm template gets a hint; other YAML errors do not', () => {
  const helm = file('deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\n');
  const message = inputError([helm]);
  expect(message).toMatch(new RegExp(`^${helm.replace(/[.]/g, '\\.')}:4:\\d+: invalid YAML in document 1: `));
  expect(message).toContain('this looks like an unrendered Helm template: run `helm template` first');
  expect(inputError([file('plain-broken.yaml', 'kind: [unclosed\n')])).not.toContain('Helm');
});

test('directories: manifest files in name order, recursively; a symlink loop is skipped with a notice', () => {
  const root = path.join(dir, 'tree');
  fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(root, 'b.yaml'), cm('b'));
  fs.writeFileSync(path.join(root, 'sub', 'a.yml'), cm('a'));
  fs.writeFileSync(path.join(root, 'sub', 'notes.txt'), 'not read');
  fs.symlinkSync('..', path.join(root, 'sub', 'up'));
  const notices: string[] = [];
  const r = readManifests([root], { notice: m => notices.push(m) });
  expect(r.files).toEqual([path.join(root, 'b.yaml'), path.join(root, 'sub', 'a.yml')]);
  expect(r.objects.map(o => o.metadata.name)).toEqual(['b', 'a']);
  expect(notices).toEqual([`skipping ${path.join(root, 'sub', 'up')}: a symlink back to ${fs.realpathSync(root)}, already being read (directory loop)`]);
});
