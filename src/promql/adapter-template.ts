/**
 * The Prometheus Adapter's `metricsQuery` Go templates (delimiters `<<` `>>`), rendered with
 * representative values so the PromQL they produce can be parsed offline. The adapter
 * (kubernetes-sigs/prometheus-adapter, pkg/naming/metrics_query.go) passes these fields:
 * `.Series`, `.LabelMatchers`, `.LabelValuesByName` (a map), `.GroupBy` and `.GroupBySlice` (a slice).
 * Supported actions: fields, `index .LabelValuesByName "label"`, variables, `range`, `if`, `with`,
 * `else`, `end`, comments and the `<<-`/`->>` trim markers. Anything else (functions, pipelines) is
 * valid Go but cannot be rendered here: the template is then not checked.
 */
import { PromqlSyntaxError, promqlSyntaxError } from './promql-syntax';
import { excerpt, lineColumn } from './query-text';

/** The fields the adapter fills in, with the values the check renders. */
export const ADAPTER_TEMPLATE_FIELDS: { readonly [field: string]: unknown } = {
  Series: 'my_series',
  LabelMatchers: 'namespace="ns",pod=~"a|b"',
  LabelValuesByName: { namespace: 'ns', pod: 'a|b' },
  GroupBy: 'pod',
  GroupBySlice: ['pod'],
};

const FIELD_LIST = Object.keys(ADAPTER_TEMPLATE_FIELDS).map(f => `.${f}`).join(', ');

/** A problem of a metricsQuery template: a template error, or a PromQL error in what it renders. */
export interface AdapterTemplateError extends PromqlSyntaxError {
  /** The PromQL the template renders with the representative values (when it renders). */
  readonly rendered?: string;
  /** The rendered PromQL's line with a caret under the error, when the error is in the PromQL. */
  readonly renderedExcerpt?: string;
}

class TemplateError extends Error {
  constructor(public readonly offset: number, message: string, public readonly fix: string) {
    super(message);
  }
}

/** Thrown for valid Go template syntax this renderer does not evaluate. */
class Unsupported extends Error {}

interface Segment {
  readonly outFrom: number;
  readonly outTo: number;
  readonly srcFrom: number;
  readonly literal: boolean;
}

interface Action {
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

type Item = { readonly kind: 'text'; readonly text: string; readonly from: number } | { readonly kind: 'action'; readonly action: Action };

/** Splits the template into text and `<<...>>` actions, applying the trim markers. */
function lex(template: string): Item[] {
  const items: Item[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('<<', i);
    if (open < 0) {
      items.push({ kind: 'text', text: template.slice(i), from: i });
      break;
    }
    const close = template.indexOf('>>', open + 2);
    if (close < 0) throw new TemplateError(open, 'unclosed template action "<<" (no ">>" after it)', 'close the action with ">>"');
    let text = template.slice(open + 2, close);
    let before = template.slice(i, open);
    if (/^-\s/.test(text)) {
      text = text.slice(1);
      before = before.trimEnd();
    }
    let next = close + 2;
    if (/\s-$/.test(text)) {
      text = text.slice(0, -1);
      while (next < template.length && /\s/.test(template[next])) next++;
    }
    if (before) items.push({ kind: 'text', text: before, from: i });
    items.push({ kind: 'action', action: { text: text.trim(), from: open, to: close + 2 } });
    i = next;
  }
  return items;
}

/** Renders lexed items with the representative values, recording where each output part came from. */
class Renderer {
  public out = '';
  public readonly segments: Segment[] = [];
  private pos = 0;

  constructor(private readonly items: Item[], private readonly template: string) {}

  public run(): void {
    const vars = new Map<string, unknown>([['$', ADAPTER_TEMPLATE_FIELDS]]);
    const stop = this.block(ADAPTER_TEMPLATE_FIELDS, vars, true);
    if (stop) throw new TemplateError(stop.from, `unexpected <<${stop.text}>> (no open range, if or with)`, `remove <<${stop.text}>>`);
  }

  /** Renders items until `end`/`else` (returned) or the end of the template. */
  private block(dot: unknown, vars: Map<string, unknown>, emit: boolean): Action | undefined {
    while (this.pos < this.items.length) {
      const item = this.items[this.pos++];
      if (item.kind === 'text') {
        if (emit) this.write(item.text, item.from, true);
        continue;
      }
      const a = item.action;
      const words = a.text.split(/\s+/);
      const keyword = words[0];
      if (a.text.startsWith('/*')) continue;
      if (keyword === 'end' || keyword === 'else') return a;
      if (keyword === 'range' || keyword === 'if' || keyword === 'with') {
        this.control(a, keyword, dot, vars, emit);
        continue;
      }
      const value = this.evaluate(a.text, a, dot, vars);
      if (emit) this.write(this.print(value, a), a.from, false);
    }
    return undefined;
  }

  private control(a: Action, keyword: string, dot: unknown, vars: Map<string, unknown>, emit: boolean): void {
    let rest = a.text.slice(keyword.length).trim();
    let names: string[] = [];
    const decl = /^(\$\w*)\s*(?:,\s*(\$\w*)\s*)?:=\s*([\s\S]*)$/.exec(rest);
    if (decl) {
      names = [decl[1], decl[2]].filter((n): n is string => n !== undefined);
      rest = decl[3];
    }
    const value = this.evaluate(rest, a, dot, vars);
    const start = this.pos;
    const runBody = (bodyDot: unknown, bodyVars: Map<string, unknown>, on: boolean) => {
      this.pos = start;
      const stop = this.block(bodyDot, bodyVars, on);
      if (!stop) throw new TemplateError(a.from, `<<${keyword}>> has no <<end>>`, 'add <<end>> after its body');
      return stop;
    };
    if (keyword === 'range') {
      const list = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : undefined;
      if (!list) throw new TemplateError(a.from, `<<${a.text}>> ranges over ${JSON.stringify(value)}, not a list or map`, 'range over .GroupBySlice');
      let stop: Action | undefined;
      list.forEach((v, i) => {
        const scoped = new Map(vars);
        if (names.length === 2) {
          scoped.set(names[0], i);
          scoped.set(names[1], v);
        } else if (names.length === 1) {
          scoped.set(names[0], v);
        }
        stop = runBody(v, scoped, emit);
      });
      if (list.length === 0) stop = runBody(dot, vars, false);
      if (stop!.text === 'else') this.skipTo('end', a);
      return;
    }
    const truthy = !(value === undefined || value === '' || value === 0 || value === false || (Array.isArray(value) && value.length === 0));
    const scoped = new Map(vars);
    if (names.length) scoped.set(names[0], value);
    const stop = runBody(keyword === 'with' && truthy ? value : dot, scoped, emit && truthy);
    if (stop.text === 'else') {
      const end = this.block(dot, vars, emit && !truthy);
      if (!end || end.text !== 'end') throw new TemplateError(a.from, `<<${keyword}>> has no <<end>>`, 'add <<end>> after its body');
    }
  }

  private skipTo(word: string, a: Action): void {
    const stop = this.block(undefined, new Map(), false);
    if (!stop || stop.text !== word) throw new TemplateError(a.from, `<<${a.text}>> has no <<end>>`, 'add <<end>> after its body');
  }

  /** Evaluates one term: `.`, `.Field.key`, `$var.Field`, `index X "key"`, a string or number literal. */
  private evaluate(text: string, a: Action, dot: unknown, vars: Map<string, unknown>): unknown {
    const index = /^index\s+(\S+)\s+"([^"]*)"$/.exec(text);
    if (index) {
      const map = this.evaluate(index[1], a, dot, vars);
      if (!map || typeof map !== 'object' || Array.isArray(map)) throw new Unsupported();
      return (map as { [k: string]: unknown })[index[2]] ?? 'value';
    }
    if (/^"([^"\\]|\\.)*"$/.test(text)) return JSON.parse(text);
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    const path = /^(\$\w*|)((?:\.[A-Za-z_]\w*)*|\.)$/.exec(text);
    if (!path) throw new Unsupported();
    let value: unknown = path[1] ? vars.get(path[1]) : dot;
    if (path[1] && !vars.has(path[1])) throw new TemplateError(a.from, `undefined variable ${path[1]} in <<${a.text}>>`, `declare ${path[1]} in a range, or use a field (${FIELD_LIST})`);
    if (path[2] === '.' || path[2] === '') return value;
    const fields = path[2].slice(1).split('.');
    for (const [i, f] of fields.entries()) {
      const isMap = value === ADAPTER_TEMPLATE_FIELDS.LabelValuesByName;
      if (isMap) {
        value = (value as { [k: string]: unknown })[f] ?? 'value';
      } else if (value && typeof value === 'object' && !Array.isArray(value) && f in (value as object)) {
        value = (value as { [k: string]: unknown })[f];
      } else {
        const root = value === ADAPTER_TEMPLATE_FIELDS && i === 0;
        throw new TemplateError(a.from, root
          ? `unknown placeholder <<${a.text}>> (the adapter's metricsQuery has ${FIELD_LIST})`
          : `<<${a.text}>>: ${fields.slice(0, i).join('.') || 'this value'} has no field ${f}`,
        `use one of ${FIELD_LIST}, e.g. sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)`);
      }
    }
    return value;
  }

  private print(value: unknown, a: Action): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value)) {
      throw new TemplateError(a.from, `<<${a.text}>> prints a Go slice ("[${value.join(' ')}]"), not PromQL`,
        'use <<.GroupBy>>, or <<range $i, $l := .GroupBySlice>><<if $i>>,<<end>><<$l>><<end>>');
    }
    throw new TemplateError(a.from, `<<${a.text}>> prints a Go map, not PromQL`, 'use <<index .LabelValuesByName "label">>');
  }

  private write(text: string, srcFrom: number, literal: boolean): void {
    if (!text) return;
    this.segments.push({ outFrom: this.out.length, outTo: this.out.length + text.length, srcFrom, literal });
    this.out += text;
  }

  /** The template offset an offset of the rendered query comes from. */
  public sourceOffset(offset: number): { offset: number; literal: boolean } {
    for (const s of this.segments) {
      if (offset >= s.outFrom && offset < s.outTo) return { offset: s.literal ? s.srcFrom + offset - s.outFrom : s.srcFrom, literal: s.literal };
    }
    return { offset: this.template.trimEnd().length, literal: true };
  }
}

function located(template: string, offset: number, message: string, fix: string): PromqlSyntaxError {
  const { line, column } = lineColumn(template, offset);
  return { offset, line, column, message, excerpt: excerpt(template, offset), fix };
}

/** The PromQL a metricsQuery template renders with the representative values, or undefined when it cannot be rendered here. */
export function renderAdapterTemplate(template: string): string | undefined {
  try {
    const r = new Renderer(lex(template), template);
    r.run();
    return r.out;
  } catch (e) {
    if (e instanceof TemplateError || e instanceof Unsupported) return undefined;
    throw e;
  }
}

/**
 * The first problem of an adapter metricsQuery template: a template error (unknown placeholder,
 * unclosed `<<`, missing `<<end>>`, a slice or map printed), or the first PromQL syntax error of
 * the query it renders, positioned in the template when the error is in its literal text (at the
 * placeholder otherwise). Undefined when it is fine, or uses template features not rendered here.
 */
export function adapterTemplateError(template: string): AdapterTemplateError | undefined {
  if (template.trim() === '') return located(template, 0, 'empty query', 'write the query, e.g. sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)');
  let r: Renderer;
  try {
    r = new Renderer(lex(template), template);
    r.run();
  } catch (e) {
    if (e instanceof TemplateError) return located(template, e.offset, e.message, e.fix);
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  const error = promqlSyntaxError(r.out);
  if (!error) return undefined;
  const source = r.sourceOffset(error.offset);
  return {
    ...located(template, source.offset, source.literal ? error.message : `${error.message} (in the text this placeholder renders)`, error.fix),
    rendered: r.out,
    renderedExcerpt: error.excerpt,
  };
}
