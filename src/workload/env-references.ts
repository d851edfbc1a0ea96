import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { propError } from '../errors';
import { KedaTriggerAuthentication } from '../keda/authentication';
import { Trigger } from '../keda/trigger';

/** Where KEDA reads `...FromEnv` values and TriggerAuthentication `env` entries: the scale target's containers. */
export type PodTemplateSource = () => any;

interface EnvReference {
  readonly prop: string;
  readonly value: string;
  readonly envName: string;
  readonly containerName?: string;
  readonly what: string;
  readonly fix: string;
}

/**
 * The pod template of a rendered object (JSON patches included), for `checkEnvReferences`.
 * @param path where the template is in the object's JSON, e.g. ['spec', 'template']
 */
export function podTemplateOf(obj: ApiObject, path: string[]): PodTemplateSource {
  return () => path.reduce((o: any, k) => o?.[k], obj.toJson());
}

/**
 * Trigger metadata `...FromEnv` values and `KedaTriggerAuthentication` `env` entries name environment
 * variables (and containers) of the scale target; KEDA fails at run time when they do not exist.
 * Containers with `envFrom` are not checked (their variables are not known at synth).
 */
export function checkEnvReferences(scope: IConstruct, prop: string, triggers: Trigger[], template: PodTemplateSource): void {
  const refs: EnvReference[] = [];
  triggers.forEach((t, i) => {
    for (const key of Object.keys(t.metadata)) {
      if (!/FromEnv$/.test(key)) continue;
      refs.push({
        prop: `${prop}[${i}].${key === 'hostFromEnv' ? '' : 'metadata.'}${key}`,
        value: t.metadata[key],
        envName: t.metadata[key],
        what: `KEDA reads the ${t.type} trigger's ${key.replace(/FromEnv$/, '')} from the environment variable "${t.metadata[key]}"`,
        fix: `add ${t.metadata[key]} to env or secretEnv, or fix ${key}`,
      });
    }
    const auth = t.authentication;
    if (auth instanceof KedaTriggerAuthentication) {
      const env: any[] = auth.apiObject.toJson()?.spec?.env ?? [];
      for (const e of env) {
        refs.push({
          prop: `${prop}[${i}].authentication`,
          value: auth.authenticationName,
          envName: e.name,
          containerName: e.containerName,
          what: `the TriggerAuthentication "${auth.authenticationName}" reads parameter "${e.parameter}" from the environment variable "${e.name}"`,
          fix: `add ${e.name} to env or secretEnv, or fix the authentication's env entry for "${e.parameter}"`,
        });
      }
    }
  });
  if (refs.length === 0) return;
  const containers: any[] = template()?.spec?.containers ?? [];
  if (containers.length === 0) return;
  for (const ref of refs) {
    const container = ref.containerName === undefined ? containers[0] : containers.find(c => c.name === ref.containerName);
    if (container === undefined) {
      throw propError(scope, ref.prop, ref.value, `${ref.what} of the container "${ref.containerName}", which the workload does not have `
        + `(its containers: ${containers.map(c => JSON.stringify(c.name)).join(', ')})`, `use containerName "${containers[0].name}", or omit it`);
    }
    if (container.envFrom !== undefined && container.envFrom.length > 0) continue;
    const names: string[] = (container.env ?? []).map((e: any) => e.name);
    if (names.includes(ref.envName)) continue;
    throw propError(scope, ref.prop, ref.value, `${ref.what}, which the container "${container.name}" does not set `
      + `(it sets: ${names.length > 0 ? names.join(', ') : 'none'}); KEDA fails to resolve it`, ref.fix);
  }
}
