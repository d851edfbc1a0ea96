import { IConstruct } from 'constructs';
import { describeValue, propError } from '../errors';

/**
 * The explicit opt-in of the serving constructs for `minReplicas: 0` (HPA or KEDA alike): a
 * synchronous service at zero replicas has no endpoints, so requests fail during the whole cold
 * start unless something buffers them. `scaleToZero: true` without `minReplicas: 0` would do
 * nothing, so it is an error too.
 */
export function checkScaleToZeroOptIn(scope: IConstruct, minReplicas: number, scaleToZero: boolean | undefined): void {
  if (minReplicas === 0 && scaleToZero !== true) {
    throw propError(scope, 'minReplicas', 0,
      'scales a latency-sensitive service to zero: requests fail during the cold start unless they are buffered ' +
      `(scaleToZero is ${scaleToZero === undefined ? 'not set' : describeValue(scaleToZero)})`,
      'set scaleToZero: true to opt in (with request buffering in front, e.g. a queue or the KEDA HTTP add-on), or minReplicas >= 1');
  }
  if (scaleToZero === true && minReplicas !== 0) {
    throw propError(scope, 'scaleToZero', true,
      `does nothing: minReplicas is ${minReplicas}, and only minReplicas: 0 scales to zero`,
      'set minReplicas: 0, or remove scaleToZero');
  }
}
