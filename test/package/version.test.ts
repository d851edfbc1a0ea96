/**
 * One version: package.json's (set in .projenrc.ts). The CLI prints it, and every pin of this package
 * in the docs (the `version:` of the cdk8s.yaml validation plugin examples, `cdk8s-ml-autoscaling@x.y.z`)
 * names it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, MAIN_USAGE, packageVersion } from '../../src/cli/main';

const ROOT = path.join(__dirname, '..', '..');
const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).version;
const DOCS = ['README.md', 'API.md', 'docs/rules.md'];

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { stdout: l => out.push(l), stderr: l => err.push(l) });
  return { code, out, err };
}

test('package.json has a released version, not projen\'s 0.0.0 placeholder', () => {
  expect(VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  expect(VERSION).not.toBe('0.0.0');
});

test.each(['--version', '-v'])('cdk8s-ml-autoscaling %s prints package.json\'s version', flag => {
  expect(run(flag)).toEqual({ code: 0, out: [VERSION], err: [] });
});

test('--help lists --version', () => {
  expect(MAIN_USAGE).toMatch(/^ {2}-v, --version +print the version of cdk8s-ml-autoscaling$/m);
  expect(run('--help').out.join('\n')).toContain('--version');
});

test('the version is read from the nearest package.json of cdk8s-ml-autoscaling above the code', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-autoscaling-version-'));
  try {
    const cli = path.join(tmp, 'pkg', 'lib', 'src', 'cli');
    fs.mkdirSync(cli, { recursive: true });
    fs.writeFileSync(path.join(tmp, 'pkg', 'package.json'), JSON.stringify({ name: 'cdk8s-ml-autoscaling', version: '9.8.7' }));
    // Another package's package.json on the way up is skipped.
    fs.writeFileSync(path.join(tmp, 'pkg', 'lib', 'package.json'), JSON.stringify({ name: 'other', version: '1.0.0' }));
    expect(packageVersion(cli)).toBe('9.8.7');
    expect(() => packageVersion(path.join(tmp))).toThrow(/no package.json of cdk8s-ml-autoscaling found above/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

/**
 * The pins of this package in a document: the `version:` of each cdk8s.yaml validation entry whose
 * `package:` is cdk8s-ml-autoscaling (undefined when the entry has none), and npm specs
 * `cdk8s-ml-autoscaling@x.y.z`.
 */
function pinsIn(text: string): (string | undefined)[] {
  const lines = text.split('\n');
  const pins: (string | undefined)[] = [];
  lines.forEach((line, i) => {
    const entry = /^([\s*#>]*)(- )?package:\s*\S*cdk8s-ml-autoscaling/.exec(line);
    if (!entry) return;
    let version: string | undefined;
    // The entry's other keys follow with the same indentation (a new `- ` item or a blank line ends it).
    for (const next of lines.slice(i + 1, i + 8)) {
      if (next.trim() === '' || /^[\s*#>]*- /.test(next)) break;
      version ??= /^[\s*#>]*version:\s*["']?([^\s"'#]+)/.exec(next)?.[1];
    }
    pins.push(version);
  });
  pins.push(...[...text.matchAll(/cdk8s-ml-autoscaling@(\d[^\s"'`)]*)/g)].map(m => m[1]));
  return pins;
}

test.each(DOCS)('every version pin of this package in %s is package.json\'s version', doc => {
  const pins = pinsIn(fs.readFileSync(path.join(ROOT, doc), 'utf-8'));
  expect(pins.filter(pin => pin !== VERSION)).toEqual([]);
  if (doc !== 'README.md') expect(pins.length).toBeGreaterThan(0);
});

test('a pin that differs, or a plugin entry without one, is found', () => {
  const yaml = ['validations:', '  - package: cdk8s-ml-autoscaling', '    version: 0.0.9', '    class: GuardrailsValidation',
    '  - package: ./node_modules/cdk8s-ml-autoscaling', '    class: GuardrailsValidation', '',
    ' * validations:', ' *   - package: cdk8s-ml-autoscaling', ' *     version: 1.2.3', '',
    '  - package: other-plugin', '    version: 7.0.0', 'npm install cdk8s-ml-autoscaling@0.0.1'].join('\n');
  expect(pinsIn(yaml)).toEqual(['0.0.9', undefined, '1.2.3', '0.0.1']);
});
