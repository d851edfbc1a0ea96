/**
 * Internal: reading PromQL text around a position, for error messages (tokens, open brackets,
 * line:column, an excerpt with a caret).
 */

/** 1-based line and column of `offset` in `text` (columns count UTF-16 code units, like Prometheus' bytes for ASCII). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Longest excerpt line shown; longer lines are cut around the position. */
const EXCERPT_WIDTH = 100;

/**
 * The line of `text` holding `offset` and a caret under it:
 *
 *     sum(rate(x[5m])
 *        ^
 */
export function excerpt(text: string, offset: number): string {
  const start = offset > 0 ? text.lastIndexOf('\n', offset - 1) + 1 : 0;
  const nl = text.indexOf('\n', offset);
  let line = text.slice(start, nl < 0 ? text.length : nl).replace(/\t/g, ' ');
  let col = offset - start;
  if (line.length > EXCERPT_WIDTH) {
    const from = Math.max(0, Math.min(col - EXCERPT_WIDTH / 2, line.length - EXCERPT_WIDTH));
    const cut = line.slice(from, from + EXCERPT_WIDTH);
    line = `${from > 0 ? '...' : ''}${cut}${from + EXCERPT_WIDTH < line.length ? '...' : ''}`;
    col = col - from + (from > 0 ? 3 : 0);
  }
  return `    ${line}\n    ${' '.repeat(Math.max(0, col))}^`;
}

/** The offset of the first non-blank character at or after `offset`. */
export function skipBlank(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

const WORD = /^[A-Za-z0-9_:.$]+/;
const OPERATOR = /^(=~|!~|!=|==|>=|<=|[-+*/%^=<>!@,;()[\]{}])/;

/** The token that starts at `offset` (a word, a quoted string, an operator), or undefined at the end. */
export function tokenAt(text: string, offset: number): string | undefined {
  if (offset >= text.length) return undefined;
  const rest = text.slice(offset, offset + 200);
  const quote = rest[0];
  if (quote === '"' || quote === "'" || quote === '`') {
    for (let i = 1; i < rest.length; i++) {
      if (rest[i] === '\\' && quote !== '`') i++;
      else if (rest[i] === quote) return rest.slice(0, i + 1);
    }
    return rest.length > 40 ? `${rest.slice(0, 40)}...` : rest;
  }
  return WORD.exec(rest)?.[0] ?? OPERATOR.exec(rest)?.[0] ?? rest[0];
}

/** The last token that ends at or before `offset` (skipping blanks), with its offset. */
export function tokenBefore(text: string, offset: number): { token: string; offset: number } | undefined {
  let end = offset;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  if (end === 0) return undefined;
  let start = end - 1;
  if (/[A-Za-z0-9_:.$]/.test(text[start])) {
    while (start > 0 && /[A-Za-z0-9_:.$]/.test(text[start - 1])) start--;
  } else if (start > 0 && /^(=~|!~|!=|==|>=|<=)$/.test(text.slice(start - 1, end))) {
    start--;
  }
  return { token: text.slice(start, end), offset: start };
}

/** A bracket left open before `offset`: which one and where. */
export interface OpenBracket {
  readonly bracket: string;
  readonly offset: number;
}

const CLOSING: { [open: string]: string } = { '(': ')', '[': ']', '{': '}' };

/** The brackets still open at `offset` (innermost last), skipping strings and `#` comments. */
export function openBrackets(text: string, offset: number): OpenBracket[] {
  const stack: OpenBracket[] = [];
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\' && c !== '`') i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (CLOSING[c]) {
      stack.push({ bracket: c, offset: i });
    } else if (c === ')' || c === ']' || c === '}') {
      if (stack.length && CLOSING[stack[stack.length - 1].bracket] === c) stack.pop();
    }
  }
  return stack;
}

/** The closing bracket of an opening one. */
export function closingOf(bracket: string): string {
  return CLOSING[bracket] ?? bracket;
}

/** Characters shown on each side of the position in a one-line excerpt. */
const INLINE_CONTEXT = 40;

/**
 * The text around `offset` on one line, with `<HERE>` at the position (for one-line findings):
 * `sum(<HERE>rate(x[5m])`.
 */
export function inlineExcerpt(text: string, offset: number): string {
  const from = Math.max(0, offset - INLINE_CONTEXT);
  const to = Math.min(text.length, offset + INLINE_CONTEXT);
  const flat = (s: string) => s.replace(/\s*\n\s*/g, ' ');
  return `${from > 0 ? '...' : ''}${flat(text.slice(from, offset))}<HERE>${flat(text.slice(offset, to))}${to < text.length ? '...' : ''}`;
}

/** `text` quoted for a POSIX shell (single quotes). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}
