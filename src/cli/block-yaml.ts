/**
 * Internal: a fast reader for the plain block-style YAML that `cdk8s synth`, `kubectl` and
 * `helm template` write (indented mappings and sequences, plain and simply quoted scalars), with the
 * same values as the YAML 1.1 parser cdk8s bundles. Anything else (flow collections, block scalars,
 * anchors, tags, escapes, multi-line scalars, comments after values, numbers other than plain
 * decimals, any irregular indentation or error) makes it return undefined: the caller then parses
 * the document with the full parser, which also reports the errors. It only ever answers for
 * documents it fully understands.
 */

interface Line {
  indent: number;
  text: string;
}

/** Thrown inside to give up on a document. */
const GIVE_UP = Symbol('give up');

/** YAML 1.1 booleans and nulls (yaml's yaml-1.1 schema): plain scalars that are not strings. */
const TRUE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const FALSE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const NULL = /^(?:~|[Nn]ull|NULL)$/;
/** Plain scalars read as strings when not a boolean or null: no indicator or digit, sign or dot first. */
const PLAIN_STRING_START = /^[A-Za-z_/$(^=;]/;
const DECIMAL_INT = /^-?(?:0|[1-9][0-9]*)$/;
const DECIMAL_FLOAT = /^-?(?:0|[1-9][0-9]*)\.[0-9]+$/;
/** A digit, sign or dot first: a string (`4000m`, `1.0.3`) unless a YAML 1.1 number or timestamp. */
const NUMBER_START = /^[-+.0-9]/;
const NOT_STRING = [
  /^[-+]?0b[0-1_]+$/, /^[-+]?0[0-7_]+$/, /^[-+]?[0-9][0-9_]*$/, /^[-+]?0x[0-9a-fA-F_]+$/, // int
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/, // float
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/, /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/, // sexagesimal, timestamp
];

export interface BlockDocument {
  readonly value: unknown;
  /** 0-based line of the text where the content starts. */
  readonly line: number;
}

/**
 * One block-style YAML document (an optional leading `---` line and comment lines allowed), or
 * undefined when the text is anything this reader does not fully understand.
 */
export function parseBlockYaml(text: string): BlockDocument | undefined {
  if (text.includes('\t') || text.includes('\r')) return undefined;
  const lines: Line[] = [];
  let marker = false;
  let start = -1;
  const raws = text.split('\n');
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i];
    const body = raw.trimStart();
    if (body === '' || body[0] === '#') continue;
    if (raw === '---' && !marker && lines.length === 0) {
      marker = true;
      continue;
    }
    if (raw.startsWith('---') || raw.startsWith('...') || raw[0] === '%') return undefined;
    if (start < 0) start = i;
    lines.push({ indent: raw.length - body.length, text: body.trimEnd() });
  }
  if (lines.length === 0) return marker ? { value: null, line: 0 } : undefined; // comments only: no document
  if (lines[0].indent !== 0) return undefined;
  try {
    const reader = new BlockReader(lines);
    const value = reader.node(0);
    return reader.done() ? { value, line: start } : undefined;
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

class BlockReader {
  private pos = 0;

  constructor(private readonly lines: Line[]) {}

  public done(): boolean {
    return this.pos === this.lines.length;
  }

  /** The block node starting at the current line (indented at least `minIndent`). */
  public node(minIndent: number): unknown {
    const line = this.lines[this.pos];
    if (line.indent < minIndent) throw GIVE_UP;
    return isSequenceItem(line.text) ? this.sequence(line.indent) : this.mapping(line.indent);
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    while (this.pos < this.lines.length && this.lines[this.pos].indent === indent && isSequenceItem(this.lines[this.pos].text)) {
      const line = this.lines[this.pos];
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        this.pos++;
        items.push(this.pos < this.lines.length && this.lines[this.pos].indent > indent ? this.node(indent + 1) : null);
      } else if (isSequenceItem(rest)) {
        throw GIVE_UP; // "- - x": a compact nested sequence
      } else if (splitEntry(rest) !== undefined) {
        // "- key: value": a mapping whose entries line up with "key"
        this.lines[this.pos] = { indent: indent + line.text.length - rest.length, text: rest };
        items.push(this.mapping(this.lines[this.pos].indent));
      } else {
        items.push(scalar(rest));
        this.pos++;
      }
    }
    this.checkDedent(indent);
    return items;
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    while (this.pos < this.lines.length && this.lines[this.pos].indent === indent) {
      const entry = splitEntry(this.lines[this.pos].text);
      if (entry === undefined) throw GIVE_UP;
      const [key, rest] = entry;
      if (key === '<<' || key === '__proto__' || Object.prototype.hasOwnProperty.call(map, key)) throw GIVE_UP;
      this.pos++;
      if (rest !== '') {
        map[key] = scalar(rest);
        continue;
      }
      const next = this.lines[this.pos];
      if (next === undefined || next.indent < indent) map[key] = null;
      else if (next.indent > indent) map[key] = this.node(indent + 1);
      else map[key] = isSequenceItem(next.text) ? this.sequence(indent) : null; // "key:\n- a": same indent
    }
    this.checkDedent(indent);
    return map;
  }

  /** After a block, the next line must belong to an enclosing block (less indented). */
  private checkDedent(indent: number): void {
    if (this.pos < this.lines.length && this.lines[this.pos].indent > indent) throw GIVE_UP;
  }
}

function isSequenceItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** `key: rest` or `key:` as [key, rest]; undefined when the line is not a simple mapping entry. */
function splitEntry(text: string): [string, string] | undefined {
  let key: string;
  let after: number;
  if (text[0] === '"' || text[0] === '\'') {
    const close = text.indexOf(text[0], 1);
    if (close < 0) return undefined;
    key = quoted(text.slice(0, close + 1));
    after = close + 1;
    if (text[after] !== ':') return undefined;
  } else {
    const colon = text.indexOf(': ');
    after = colon >= 0 ? colon : text.endsWith(':') ? text.length - 1 : -1;
    if (after <= 0) return undefined;
    key = text.slice(0, after);
    if (scalar(key) !== key) throw GIVE_UP; // a key that is not a plain string (true, 1, ...)
  }
  const rest = text.slice(after + 1);
  if (rest !== '' && rest[0] !== ' ') throw GIVE_UP;
  return [key, rest.trimStart()];
}

/** A double- or single-quoted scalar without escapes. */
function quoted(text: string): string {
  const q = text[0];
  const inner = text.slice(1, -1);
  if (text.length < 2 || text[text.length - 1] !== q || inner.includes(q) || (q === '"' && inner.includes('\\'))) throw GIVE_UP;
  return inner;
}

/** The value of a scalar on one line, as the YAML 1.1 schema reads it; gives up on anything else. */
function scalar(text: string): unknown {
  if (text.includes(' #')) throw GIVE_UP;
  const c = text[0];
  if (c === '"' || c === '\'') return quoted(text);
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (text.includes(': ') || text.endsWith(':')) throw GIVE_UP;
  if (PLAIN_STRING_START.test(text)) {
    if (TRUE.test(text)) return true;
    if (FALSE.test(text)) return false;
    if (NULL.test(text)) return null;
    return text;
  }
  if (text === '~') return null;
  if (NUMBER_START.test(text) && !isSequenceItem(text)) {
    if (DECIMAL_INT.test(text) || DECIMAL_FLOAT.test(text)) return Number(text);
    if (NOT_STRING.some(re => re.test(text))) throw GIVE_UP;
    return text;
  }
  throw GIVE_UP;
}
