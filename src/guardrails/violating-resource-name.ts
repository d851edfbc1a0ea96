/**
 * Internal: the resource name the validation plugin reports for a finding.
 *
 * cdk8s-cli shows a violating resource's construct path by looking its name up in the app's
 * `construct-metadata.json`, which cdk8s writes keyed by `metadata.name` alone: when a Deployment
 * and a Service share a name (as ours do), both names map to whichever object cdk8s wrote last, and
 * a finding on the Deployment would show the Service's construct path. A name that several objects
 * share is therefore reported as `Kind/name`, which cdk8s does not find (it shows `N/A`, not a wrong
 * path); the violation title names kind, namespace and name either way.
 */
import { nameOf } from './manifest';

/** A function from a finding's kind and name to the name to report, for these objects. */
export function violatingResourceNames(objects: readonly any[]): (kind: string, name: string) => string {
  const count = new Map<string, number>();
  for (let i = 0; i < objects.length; i++) {
    const name = nameOf(objects[i]);
    count.set(name, (count.get(name) ?? 0) + 1);
  }
  return (kind, name) => ((count.get(name) ?? 0) > 1 ? `${kind}/${name}` : name);
}
