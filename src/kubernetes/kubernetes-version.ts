/**
 * Kubernetes minor versions as the library reads them: "1.37", also "v1.37" and "1.37.2" (what
 * `kubectl version` prints), normalized to the minor.
 */
import { StringFormat } from '../validate/check';

/**
 * The oldest minor the library renders for: its HPAs are autoscaling/v2 (GA in 1.23) and its
 * PodDisruptionBudgets policy/v1 (1.21).
 */
export const OLDEST_MINOR = 23;

/**
 * The default target: the oldest minor in upstream support on the library's release date
 * (2026-12: 1.35, maintained until 2027-02-28; 1.34 reached end of life on 2026-10-27), so the
 * manifests are valid on every cluster that upstream still supports.
 */
export const DEFAULT_MINOR = 35;

const VERSION = /^v?1\.(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,3}))?$/;

/** The minor of a version string, or undefined when it is not one. */
export function parseMinor(version: string): number | undefined {
  const m = VERSION.exec(version);
  return m ? Number(m[1]) : undefined;
}

/** The format of a target version, for `string({ format })`. */
export const KUBERNETES_VERSION: StringFormat = {
  description: `a Kubernetes version such as "1.37" (1.${OLDEST_MINOR} or later; "v1.37" and "1.37.2" are read as 1.37)`,
  test: v => {
    const minor = parseMinor(v);
    if (minor === undefined) return 'is not a Kubernetes version ("1.<minor>", e.g. "1.37")';
    if (minor < OLDEST_MINOR) return `is older than 1.${OLDEST_MINOR}, where autoscaling/v2 HorizontalPodAutoscalers became GA`;
    return undefined;
  },
  fix: v => (parseMinor(v) !== undefined ? `target 1.${OLDEST_MINOR} or later (upgrade the cluster first)` : 'write the minor version, e.g. "1.37"'),
};
