/**
 * The known key closest to `key`, when it is close enough to be a typo: within a small edit
 * distance, case-insensitive (`maxReplica` -> `maxReplicas`), or else the only known key that starts
 * with it or that it starts with (`container` -> `containerName`). Undefined for an unrelated name.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(k, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3))) return best;
  const prefixed = known.filter(c => Math.min(k.length, c.length) >= 3 && (c.toLowerCase().startsWith(k) || k.startsWith(c.toLowerCase())));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
