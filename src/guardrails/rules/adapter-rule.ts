/**
 * "HPA shows <unknown> for custom metrics": a Pods/Object/External metric nobody serves.
 */
import { adapterConfigsOf, adapterServes, customMetricsOf } from '../adapter-config';
import { GuardrailSeverity } from '../finding';
import { HPA, nsOf } from '../manifest';
import { RawFinding, Rule, RuleContext } from '../rule';

export const customMetricWithoutAdapterRule: Rule = {
  id: 'ML-W-CUSTOM-METRIC-WITHOUT-ADAPTER-RULE',
  severity: GuardrailSeverity.WARNING,
  title: 'An HPA reads a custom (Pods/Object) or External metric that no Prometheus Adapter rule in the manifests serves',
  rationale: 'Without an adapter rule the custom/external metrics API has no such metric: the HPA shows ' +
    '<unknown> and never scales on it (the article\'s first "common issue").',
  check(ctx: RuleContext): RawFinding[] {
    const configs = adapterConfigsOf(ctx.index.byKind('ConfigMap'));
    return customMetricsOf(ctx.index.byKind(HPA))
      .filter(m => !adapterServes(configs, m))
      .map(m => {
        const ns = nsOf(m.hpa) || 'default';
        const raw = m.api === 'custom'
          ? (m.type === 'Pods'
            ? `/apis/custom.metrics.k8s.io/v1beta1/namespaces/${ns}/pods/*/${m.name}`
            : `/apis/custom.metrics.k8s.io/v1beta1/namespaces/${ns}/${(m.describedKind ?? 'services').toLowerCase()}s/*/${m.name}`)
          : `/apis/external.metrics.k8s.io/v1beta1/namespaces/${ns}/${m.name}`;
        return {
          obj: m.hpa,
          location: `spec.metrics[${m.index}]`,
          problem: `reads the ${m.type} metric "${m.name}" but no Prometheus Adapter ${m.api === 'custom' ? 'rule' : 'externalRule'} ` +
            'in these manifests serves it: the HPA will show <unknown>',
          fix: 'add a PrometheusAdapterRules construct to the chart (it writes the adapter rules for every custom metric), ' +
            'or add the rule to your adapter\'s config.yaml; if another adapter serves it, suppress with that reason',
          confirm: `kubectl get apiservices | grep ${m.api}.metrics && kubectl get --raw "${raw}" | jq .`,
        };
      });
  },
};
