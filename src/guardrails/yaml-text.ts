/**
 * Internal: YAML text parsing with the parser cdk8s bundles (same parser and YAML 1.1 schema as
 * `Yaml.load`, which only reads files, in a child process, and does not report syntax errors).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';

/** The YAML parser cdk8s bundles (same parser and YAML 1.1 schema as `Yaml.load`), when reachable. */
export function bundledYamlParser(): any | undefined {
  for (const id of ['cdk8s/node_modules/yaml', 'yaml']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(id);
      if (typeof mod?.parseAllDocuments === 'function') return mod;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

const parsed = new Map<string, any[]>();

/**
 * Parses YAML or JSON text (multi-document); results are cached by text. Each call returns its own
 * copy: callers may change what they get without changing what the next caller gets.
 */
export function parseYamlText(text: string): any[] {
  let docs = parsed.get(text);
  if (!docs) {
    docs = parseYamlDocuments(text);
    if (parsed.size > 256) parsed.clear();
    parsed.set(text, docs);
  }
  return structuredClone(docs);
}

/** Parses YAML or JSON text (multi-document), uncached: for text read once, such as a manifest file. */
export function parseYamlDocuments(text: string): any[] {
  let docs: any[] | undefined;
  try {
    docs = [JSON.parse(text)];
  } catch {
    const parser = bundledYamlParser();
    if (parser) {
      docs = parser.parseAllDocuments(text, { version: '1.1' }).map((d: any) => {
        if (d.errors?.length) throw new Error(d.errors[0].message);
        return d.toJSON();
      });
    } else {
      // last resort: cdk8s' public loader reads files only
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-autoscaling-'));
      const file = path.join(dir, 'doc.yaml');
      try {
        fs.writeFileSync(file, text);
        docs = Yaml.load(file);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return docs!;
}
