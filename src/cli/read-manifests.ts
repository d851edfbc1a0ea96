/**
 * Internal: reads Kubernetes manifests for the CLI commands (`lint`, `simulate --manifest`), strictly
 * and in-process. Files, directories (their *.yaml, *.yml, *.json files, recursively) and standard
 * input (`-`) are read chunk by chunk and parsed document by document with the YAML parser cdk8s
 * bundles (YAML 1.1, as `Yaml.load`), so memory grows with the objects kept, not with a parse tree
 * of the whole text, and there is no size limit.
 *
 * Strict: a YAML syntax error, a binary file, a document that is not a Kubernetes object (no `kind`
 * or `apiVersion`) and finding no object at all are errors (`ManifestInputError`), with the file,
 * document and line. A bare array (JSON or YAML) is a list of objects, like `kind: List`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import { parseBlockYaml } from './block-yaml';
import { bundledYamlParser } from '../guardrails/yaml-text';

/** A problem with the input files: the CLI exits 2. */
export class ManifestInputError extends Error {}

/** Where one object came from. */
export interface ManifestSource {
  readonly file: string;
  /** 1-based document number in the file. */
  readonly document: number;
  /** 1-based line where the document's content starts. */
  readonly line: number;
}

export interface ReadManifestsResult {
  /** Every Kubernetes object read, `List`s and bare arrays expanded, in input order. */
  readonly objects: any[];
  /** `sources[i]` is where `objects[i]` came from. */
  readonly sources: ManifestSource[];
  /** The files read (directories expanded). */
  readonly files: string[];
}

export interface ReadManifestsOptions {
  /** Told about what is skipped (directory symlink loops). */
  readonly notice?: (message: string) => void;
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const CHUNK_BYTES = 1024 * 1024;
/** At most this many "not a Kubernetes object" problems are listed. */
const MAX_PROBLEMS = 20;

/**
 * Reads every object from the paths (`-` is standard input). Throws `ManifestInputError` on a
 * missing path, a YAML error, a document that is not a Kubernetes object, or when no object is found.
 */
export function readManifests(paths: string[], options: ReadManifestsOptions = {}): ReadManifestsResult {
  const notice = options.notice ?? (() => undefined);
  const objects: any[] = [];
  const sources: ManifestSource[] = [];
  const files: string[] = [];
  const problems: string[] = [];
  const read: string[] = [];
  for (const p of paths) {
    const expanded = expandPath(p, notice);
    if (expanded.length === 0) read.push(`${p}: a directory with no *.yaml, *.yml or *.json file`);
    for (const file of expanded) {
      files.push(file);
      let documents = 0;
      const bytes = readDocuments(file, (value, document, line) => {
        documents = document;
        collect(value, { file, document, line }, undefined, objects, sources, problems);
      });
      read.push(`${displayName(file)}: ${bytes} byte${bytes === 1 ? '' : 's'}, ${documents === 0 ? 'no document' : 'only empty documents'}`);
    }
  }
  if (problems.length > 0) {
    const more = problems.length > MAX_PROBLEMS ? [`... and ${problems.length - MAX_PROBLEMS} more`] : [];
    throw new ManifestInputError(
      `${problems.length === 1 ? 'a document is not a Kubernetes object' : `${problems.length} documents are not Kubernetes objects`} ` +
      `(every document needs apiVersion and kind):\n  ${[...problems.slice(0, MAX_PROBLEMS), ...more].join('\n  ')}`);
  }
  if (objects.length === 0) {
    throw new ManifestInputError(`no Kubernetes object found; read ${read.join('; ')}`);
  }
  return { objects, sources, files };
}

function displayName(file: string): string {
  return file === '-' ? 'standard input' : file;
}

/**
 * A path as the files to read: a directory stands for its manifest files (recursively, in name
 * order; a directory reached again through a symlink is skipped with a notice); anything else that
 * exists is read as it is (regular files, FIFOs such as /dev/fd/N, character devices such as /dev/null).
 */
function expandPath(p: string, notice: (message: string) => void): string[] {
  if (p === '-') return [p];
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (e: any) {
    throw new ManifestInputError(`cannot read ${p}: ${e?.code === 'ENOENT' ? 'no such file' : e?.code === 'ELOOP' ? 'symlink loop' : e?.message ?? e}`);
  }
  if (!stat.isDirectory()) return [p];
  const out: string[] = [];
  walk(p, new Set([fs.realpathSync(p)]), out, notice);
  return out;
}

function walk(dir: string, seen: Set<string>, out: string[], notice: (message: string) => void): void {
  for (const entry of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch (e: any) {
      // a dangling or looping symlink: an error for what looks like a manifest, else not ours
      if (MANIFEST_FILE.test(entry)) throw new ManifestInputError(`cannot read ${full}: ${e?.code === 'ENOENT' ? 'dangling symlink' : e?.message ?? e}`);
      continue;
    }
    if (stat.isDirectory()) {
      const real = fs.realpathSync(full);
      if (seen.has(real)) {
        notice(`skipping ${full}: a symlink back to ${real}, already being read (directory loop)`);
        continue;
      }
      walk(full, new Set([...seen, real]), out, notice);
    } else if (stat.isFile() && MANIFEST_FILE.test(entry)) {
      out.push(full);
    }
  }
}

/**
 * Reads one file (or `-`) and calls `visit` with each document's value (null for empty documents),
 * its 1-based number and the line its content starts on. Returns the bytes read.
 */
function readDocuments(file: string, visit: (value: any, document: number, line: number) => void): number {
  // standard input and inherited descriptors are read as they are: opening /dev/fd/N again fails
  // when it is a socket (ENXIO), as Node's child-process pipes are
  const inherited = file === '-' ? ['', '0'] : /^\/dev\/(?:stdin|fd\/(\d+))$/.exec(file);
  let fd: number;
  try {
    fd = inherited ? Number(inherited[1] ?? 0) : fs.openSync(file, 'r');
  } catch (e: any) {
    throw new ManifestInputError(`cannot read ${file}: ${e?.code === 'ENOENT' ? 'no such file' : e?.message ?? e}`);
  }
  let document = 0;
  // a JSON copy of each value: compact objects and fresh strings, instead of substrings that would
  // keep the whole text alive (halves the memory the objects take)
  const next = (value: any, line: number) => visit(value === null ? null : JSON.parse(JSON.stringify(value)), ++document, line);
  try {
    return splitDocuments(file, fd, {
      yaml: (text, line) => {
        const block = parseBlockYaml(text);
        if (block === undefined) parseYamlDocuments(file, text, line, document + 1, next);
        else next(block.value, line + block.line);
      },
      json: (value) => visit(value, ++document, 1), // JSON.parse made it: already compact
    });
  } finally {
    if (!inherited) fs.closeSync(fd);
  }
}

interface DocumentHandlers {
  /** YAML text holding one document (or, after a `...` line, several), starting on `line`. */
  yaml(text: string, line: number): void;
  /** A whole file that was JSON. */
  json(value: any): void;
}

/**
 * Reads the file in chunks and hands over its text one YAML document at a time (split before each
 * `---` line: a `---` line cannot occur inside a document, not even in a block scalar). A text
 * starting with `{` or `[` is read whole and parsed as JSON (if it is not JSON, as YAML).
 */
function splitDocuments(file: string, fd: number, handle: DocumentHandlers): number {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let scanFrom = 0;
  let line = 1;
  let bytes = 0;
  let whole: boolean | undefined;
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null);
    } catch (e: any) {
      if (e?.code === 'EAGAIN') { // non-blocking standard input: wait for more without spinning
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if (e?.code !== 'EOF') throw new ManifestInputError(`cannot read ${displayName(file)}: ${e?.message ?? e}`);
      n = 0;
    }
    if (n === 0) break;
    const nul = buffer.subarray(0, n).indexOf(0);
    if (nul >= 0) throw new ManifestInputError(`${displayName(file)}: a binary file (NUL byte at offset ${bytes + nul}), not YAML or JSON`);
    bytes += n;
    pending += decoder.write(buffer.subarray(0, n));
    if (bytes === n && pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
    if (whole === undefined) {
      const first = /\S/.exec(pending);
      if (first) whole = first[0] === '{' || first[0] === '[';
    }
    if (whole !== false) continue;
    // hand over every complete document; the last one may continue in the next chunk
    const re = /\n---(?=[ \t\r\n])/g;
    re.lastIndex = scanFrom;
    let start = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(pending)) !== null) {
      const end = m.index + 1;
      const text = pending.slice(start, end);
      handle.yaml(text, line);
      line += countLines(text);
      start = end;
    }
    if (start > 0) pending = pending.slice(start);
    scanFrom = Math.max(0, pending.length - 5); // a separator may straddle chunks
  }
  pending += decoder.end();
  if (whole) {
    let value: any;
    try {
      value = JSON.parse(pending);
    } catch {
      handle.yaml(pending, line); // not JSON: YAML flow style, or a syntax error with its line
      return bytes;
    }
    handle.json(value);
  } else if (pending.length > 0) {
    handle.yaml(pending, line);
  }
  return bytes;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Parses the YAML documents of one piece of text (YAML 1.1, as `Yaml.load`), strictly: the first
 * syntax error throws with the file, line and column, and a hint when the document looks like an
 * unrendered Helm template.
 */
function parseYamlDocuments(file: string, text: string, firstLine: number, firstDocument: number,
  next: (value: any, line: number) => void): void {
  const parser = bundledYamlParser();
  if (!parser) throw new Error('the YAML parser cdk8s bundles (yaml) cannot be loaded');
  const lines = new parser.LineCounter();
  const lineAt = (offset: number): number => firstLine - 1 + lines.linePos(offset).line;
  const docs = parser.parseAllDocuments(text, { version: '1.1', prettyErrors: false, lineCounter: lines });
  let document = firstDocument;
  const fail = (doc: any, offset: number, message: string): never => {
    offset = Math.min(offset, text.length);
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const lineEnd = text.indexOf('\n', offset);
    const source = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).replace(/\r$/, '');
    const helm = text.slice(doc.range?.[0] ?? 0, doc.range?.[2] ?? text.length).includes('{{')
      ? '\n  this looks like an unrendered Helm template: run `helm template` first and lint its output'
      : '';
    throw new ManifestInputError(`${displayName(file)}:${lineAt(offset)}:${offset - lineStart + 1}: ` +
      `invalid YAML in document ${document}: ${message}\n  ${source}${helm}`);
  };
  for (const doc of docs) {
    const error = doc.errors?.[0];
    if (error) fail(doc, error.pos?.[0] ?? 0, String(error.message).split('\n')[0]);
    // `key: {{ x }}` is valid YAML (a mapping as a key), never a Kubernetes manifest
    if (text.includes('{')) {
      let key: any;
      parser.visit(doc, {
        Pair: (_: unknown, pair: any) => {
          if (!parser.isCollection(pair.key)) return undefined;
          key = pair.key;
          return parser.visit.BREAK;
        },
      });
      if (key) fail(doc, key.range?.[0] ?? 0, 'a mapping or sequence used as a mapping key');
    }
    const start = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
    next(doc.toJSON() ?? null, lineAt(start));
    document++;
  }
}

/** Adds a document's objects (arrays and `List`s expanded), or says why it is not one. */
function collect(value: any, source: ManifestSource, item: string | undefined, objects: any[], sources: ManifestSource[],
  problems: string[]): void {
  const where = () => `${displayName(source.file)}: document ${source.document} (line ${source.line})${item ?? ''}`;
  if (value === null || value === undefined) {
    if (item !== undefined) problems.push(`${where()}: empty`);
    return; // an empty document
  }
  if (item === undefined && typeof value === 'object' && Object.keys(value).length === 0) return; // {} or []: empty, as for Yaml.load
  if (Array.isArray(value)) {
    value.forEach((v, i) => collect(v, source, `${item ?? ''}, item ${i + 1}`, objects, sources, problems));
    return;
  }
  if (typeof value !== 'object') {
    const text = String(value);
    problems.push(`${where()}: a ${typeof value} ("${text.length > 40 ? `${text.slice(0, 40)}...` : text}"), not an object`);
    return;
  }
  const missing = ['apiVersion', 'kind'].filter(k => typeof value[k] !== 'string' || value[k] === '');
  if (missing.length > 0) {
    const keys = Object.keys(value);
    problems.push(`${where()}: no ${missing.join(' and no ')} (keys: ${keys.length === 0 ? 'none' : keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', ...' : ''})`);
    return;
  }
  if (value.kind.endsWith('List') && Array.isArray(value.items)) {
    value.items.forEach((v: any, i: number) => collect(v, source, `${item ?? ''}, ${value.kind} item ${i + 1}`, objects, sources, problems));
    return;
  }
  objects.push(value);
  sources.push(source);
}
