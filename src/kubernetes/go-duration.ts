/**
 * Go's `time.ParseDuration` format, as Kubernetes' `metav1.Duration` fields and the KEDA HTTP add-on's
 * timeouts take it: a sequence of decimal numbers with units `h`, `m`, `s`, `ms`, `us`/`µs`, `ns`
 * (`"90s"`, `"1m30s"`, `"1.5h"`, `"500ms"`), an optional sign, and the bare `"0"`.
 */
const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, μs: 1e-6, ns: 1e-9 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(h|ms|us|µs|μs|ns|m|s)/y;

/** The duration in seconds, or undefined when `text` is not a Go duration. */
export function parseGoDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  let s = text.trim();
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s.length === 0) return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const at = PART.lastIndex;
    const m = PART.exec(s);
    if (!m || m.index !== at) return undefined;
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
  }
  return sign * total;
}
