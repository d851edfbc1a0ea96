/**
 * The KEDA HTTP add-on's Services (v0.15.0, in the namespace it is installed in, `keda` by default: its
 * Helm chart and manifests) and how a ScaledObject trigger names its scaler: one place for the
 * constructs, the guardrails and the simulator.
 */

/** The interceptor's proxy Service and port: clients reach the add-on through it. */
export const INTERCEPTOR_PROXY_SERVICE = 'keda-add-ons-http-interceptor-proxy';
export const INTERCEPTOR_PROXY_PORT = 8080;

/** The add-on's external scaler Service and port (a trigger's `scalerAddress`). */
export const EXTERNAL_SCALER_SERVICE = 'keda-add-ons-http-external-scaler';
export const EXTERNAL_SCALER_PORT = 9090;

/** Whether a ScaledObject trigger reads the add-on's external scaler (`external-push`/`external` at its address). */
export function isAddOnScalerTrigger(t: any): boolean {
  return (t?.type === 'external-push' || t?.type === 'external')
    && /keda-add-ons-http|http-add-on/.test(String(t?.metadata?.scalerAddress ?? ''));
}
