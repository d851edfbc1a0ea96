import type * as KedaBindings from '../../imports/keda.sh';

let loaded: typeof KedaBindings | undefined;

/**
 * The generated KEDA bindings (imports/keda.sh), loaded on first use: they are over a megabyte of
 * JavaScript, and loading them at `require('cdk8s-ml-autoscaling')` would slow every app that never
 * renders a KEDA object.
 */
export function kedaBindings(): typeof KedaBindings {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('../../imports/keda.sh') as typeof KedaBindings;
  return loaded;
}
