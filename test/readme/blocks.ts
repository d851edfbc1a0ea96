/**
 * Code blocks of the documentation, with the directives that say how the README test runs them.
 *
 * Conventions (HTML comments on the lines right before a fence, invisible on GitHub and npm):
 * - `<!-- readme-test: skip: REASON -->`: the block is not run (e.g. it installs packages); the reason is required.
 * - `<!-- readme-test: warnings ML-W-A ML-W-B -->`: the block prints exactly these synth warnings, and the
 *   visible text right before or after the block names each of them. Without it, a block prints none.
 * - `<!-- readme-test: in the repository -->`: the block runs in a checkout of this repository (its paths
 *   are repository paths); otherwise it runs in an empty directory standing for the user's cdk8s app.
 *
 * Blocks of one file run in order in one directory, as a reader following the page would run them.
 * ```ts / ```js blocks are whole programs (imports included); ```sh blocks are bash scripts;
 * ```console blocks are transcripts (`$ command` lines, with `\` continuations, followed by its output).
 * Fences without a language (output samples) and ```yaml blocks are not run.
 */
import * as fs from 'fs';

export type BlockLanguage = 'ts' | 'js' | 'sh' | 'console';

export interface DocBlock {
  /** Markdown file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  /** Reason of a `skip` directive. */
  readonly skip?: string;
  /** Warning IDs of a `warnings` directive. */
  readonly warnings: string[];
  /** `in the repository` directive. */
  readonly inRepository: boolean;
  /** Visible text (directives and other fences removed) between the previous fence and the next one. */
  readonly prose: string;
}

export const RUNNABLE: ReadonlySet<string> = new Set(['ts', 'typescript', 'js', 'javascript', 'sh', 'bash', 'shell', 'console']);

const DIRECTIVE = /^<!--\s*readme-test:\s*(.*?)\s*-->\s*$/;

export function readBlocks(root: string, file: string): DocBlock[] {
  return parseBlocks(file, fs.readFileSync(`${root}/${file}`, 'utf8'));
}

export function parseBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  interface Raw { start: number; end: number; lang: string; directives: string[] }
  const raws: Raw[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    if (end >= lines.length) throw new Error(`${file}:${i + 1}: unclosed code fence`);
    const directives: string[] = [];
    for (let j = i - 1; j >= 0; j--) {
      const d = DIRECTIVE.exec(lines[j]);
      if (!d) break;
      directives.unshift(d[1]);
    }
    raws.push({ start: i, end, lang: open[1], directives });
    i = end;
  }
  return raws.map((raw, k) => {
    const before = k === 0 ? 0 : raws[k - 1].end + 1;
    const after = k === raws.length - 1 ? lines.length : raws[k + 1].start;
    const prose = [...lines.slice(before, raw.start), ...lines.slice(raw.end + 1, after)]
      .filter(l => !DIRECTIVE.test(l))
      .join('\n');
    let skip: string | undefined;
    let warnings: string[] = [];
    let inRepository = false;
    for (const d of raw.directives) {
      let m: RegExpExecArray | null;
      if ((m = /^skip:\s*(\S.*)$/.exec(d))) skip = m[1];
      else if ((m = /^warnings\s+(.+)$/.exec(d))) warnings = m[1].split(/[\s,]+/).filter(Boolean);
      else if (d === 'in the repository') inRepository = true;
      else throw new Error(`${file}:${raw.start + 1}: unknown readme-test directive "${d}"`);
    }
    return {
      file,
      line: raw.start + 1,
      lang: raw.lang,
      code: lines.slice(raw.start + 1, raw.end).join('\n') + '\n',
      skip,
      warnings,
      inRepository,
      prose,
    };
  });
}

/** The commands of a ```console transcript (continuations joined) and the output it shows. */
export function parseTranscript(code: string): { commands: string[]; output: string[] } {
  const commands: string[] = [];
  const output: string[] = [];
  const lines = code.replace(/\n$/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('$ ')) {
      output.push(lines[i]);
      continue;
    }
    let cmd = lines[i].slice(2);
    while (cmd.endsWith('\\') && i + 1 < lines.length) cmd = cmd.slice(0, -1) + ' ' + lines[++i].trim();
    commands.push(cmd);
  }
  return { commands, output };
}

/** Shipped in no npm package: a reader of the README on npm has none of them. */
export const REPOSITORY_ONLY = /\b(?:examples|docs|test|bench)\/(?:[\w*-]+(?:\.[\w*-]+)*\/?)*|\bBENCHMARKS\.md\b/g;

/**
 * Paragraphs (outside code fences and outside `## ` sections about the repository) that mention a
 * repository-only path without saying it is in the repository. Link targets do not count: GitHub and
 * npm resolve relative links to the repository.
 */
export function unqualifiedRepositoryPaths(markdown: string): string[] {
  const out: string[] = [];
  let section = '';
  let inFence = false;
  let current: string[] = [];
  const flush = () => {
    const text = current.join('\n').replace(/\]\([^)]*\)/g, ']');
    current = [];
    if (/repository/i.test(section)) return;
    if (text.match(REPOSITORY_ONLY) && !/\brepository\b/.test(text)) out.push(text);
  };
  for (const line of markdown.split('\n')) {
    if (/^```/.test(line)) { flush(); inFence = !inFence; continue; }
    if (inFence) continue;
    if (/^## /.test(line)) { flush(); section = line; continue; }
    if (line.trim() === '') flush(); else current.push(line);
  }
  flush();
  return out;
}
