/**
 * The trigger names a scalingModifiers formula (an expr-lang expression) refers to: identifiers that
 * are not string contents, member accesses, function calls or language keywords.
 */
const KEYWORDS = new Set([
  'and', 'or', 'not', 'in', 'matches', 'contains', 'startsWith', 'endsWith', 'true', 'false', 'nil',
  'let', 'if', 'else', 'len', 'abs', 'ceil', 'floor', 'round', 'max', 'min', 'float', 'int', 'string',
]);

export function formulaIdentifiers(formula: string): string[] {
  // Drop string literals so their content is not read as identifiers.
  const code = formula.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ');
  const found: string[] = [];
  const re = /[A-Za-z_$][A-Za-z0-9_$]*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) !== null) {
    const id = m[0];
    const before = code.slice(0, m.index).trimEnd();
    const after = code.slice(m.index + id.length).trimStart();
    if (before.endsWith('.') && !before.endsWith('..')) continue; // member access (x.y)
    if (/^\d/.test(code.slice(Math.max(0, m.index - 1), m.index))) continue; // 1e5
    if (after.startsWith('(')) continue; // function call
    if (KEYWORDS.has(id)) continue;
    if (!found.includes(id)) found.push(id);
  }
  return found;
}
