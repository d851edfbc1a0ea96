import { Testing } from 'cdk8s';
import { Guardrails, GuardrailsValidation } from '../../src';
import { errorOf as message } from '../error-of';


describe('Guardrails inputs are checked at runtime (JavaScript and jsii callers)', () => {
  test('check: objects must be an array', () => {
    expect(message(() => Guardrails.check('x' as any))).toBe(
      '[Guardrails.check] objects="x": must be an array (each entry an object (a Kubernetes manifest)), got a string. Fix: set objects to an array (each entry an object (a Kubernetes manifest)).');
  });

  test('check: options are typed, ranged and have no unknown keys', () => {
    expect(message(() => Guardrails.check([], { gpuBudget: -1 }))).toContain('[Guardrails.check] gpuBudget=-1: must be an integer in 0..2147483647');
    expect(message(() => Guardrails.check([], { gpuBuget: 4 } as any))).toContain('gpuBuget=4: is not a property of GuardrailsOptions. Fix: did you mean "gpuBudget"?');
    expect(message(() => Guardrails.check([], { disabledRules: 'ML-W-X' } as any))).toContain('disabledRules="ML-W-X": must be an array');
    expect(message(() => Guardrails.check([], { disabledRules: ['gpu'] }))).toContain('disabledRules[0]="gpu": is not a rule ID');
    expect(message(() => Guardrails.check([], { includeSuppressed: 'yes' } as any))).toContain('includeSuppressed="yes": must be true or false');
  });

  test('enforce: the scope must be a construct, the options checked on the scope', () => {
    expect(message(() => Guardrails.enforce({} as any))).toContain('[Guardrails.enforce] scope={}: must be a construct');
    const chart = Testing.chart();
    expect(message(() => Guardrails.enforce(chart, { failOnWarnings: 'true' } as any))).toContain('[test] failOnWarnings="true": must be true or false');
  });

  test('the validation plugin checks its cdk8s.yaml properties', () => {
    expect(message(() => new GuardrailsValidation({ gpuBudget: -1 }))).toContain('[GuardrailsValidation] gpuBudget=-1');
    expect(message(() => new GuardrailsValidation({ failOnWarnings: 'true' } as any))).toContain('failOnWarnings="true": must be true or false');
    expect(message(() => new GuardrailsValidation({ failOnWarning: true } as any))).toContain('did you mean "failOnWarnings"?');
    expect(() => new GuardrailsValidation({ gpuBudget: 8, failOnWarnings: true })).not.toThrow();
  });
});
