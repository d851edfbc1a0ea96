/**
 * The target an app declares travels with its manifests: the constructs write it on the autoscalers
 * they render (only when the app set one), and `lint`, the validation plugin, `Guardrails.check` and
 * the simulator judge each object for it unless told a version.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import { ScaleToZeroInferenceChart } from '../../examples/scale-to-zero';
import { DemandTrace, Guardrails, HybridMlService, KedaAuthentication, KubernetesTarget, Simulator, Trigger } from '../../src';
import { runLintCommand } from '../../src/cli/lint-command';
import { runSimulateCommand } from '../../src/cli/simulate-command';
import { targetDeclaredBy } from '../../src/kubernetes/declared-target';

const VERSION = 'ml-autoscaling.io/kubernetes-version';
const GATES = 'ml-autoscaling.io/feature-gates';

function hpaOf(manifests: any[]): any {
  return manifests.find(m => m.kind === 'HorizontalPodAutoscaler');
}

describe('the constructs write the declared target on their autoscalers', () => {
  test('an HPA rendered under KubernetesTarget.set carries the version', () => {
    const hpa = hpaOf(Testing.synth(new ScaleToZeroInferenceChart(Testing.app(), 'zero')));
    expect(hpa.metadata.annotations).toEqual({ [VERSION]: '1.37' });
    expect(targetDeclaredBy(hpa)!.toString()).toBe('Kubernetes 1.37');
  });

  test('explicit feature gates are written too; a ScaledObject carries them like an HPA', () => {
    const app = Testing.app();
    KubernetesTarget.set(app, { version: '1.35', featureGates: { HPAScaleToZero: true } });
    const chart = new Chart(app, 'c');
    new HybridMlService(chart, 'S', {
      name: 'svc',
      image: 'reg/model:v1',
      maxReplicas: 3,
      triggers: [Trigger.rabbitmq({ queueName: 'q', value: 5, authentication: KedaAuthentication.fromTriggerAuthenticationName('auth') })],
      keda: { cooldownPeriod: Duration.seconds(300) },
    });
    const so = Testing.synth(chart).find(m => m.kind === 'ScaledObject');
    expect(so.metadata.annotations[VERSION]).toBe('1.35');
    expect(so.metadata.annotations[GATES]).toBe('HPAScaleToZero=true');
  });

  test('nothing is written when the app keeps the default target', () => {
    const chart = new ScaleToZeroInferenceChart(Testing.app(), 'zero');
    const manifests = Testing.synth(chart);
    const app = Testing.app();
    const plain = new Chart(app, 'plain');
    new HybridMlService(plain, 'S', {
      name: 'svc',
      image: 'reg/model:v1',
      maxReplicas: 3,
      triggers: [Trigger.rabbitmq({ queueName: 'q', value: 5, authentication: KedaAuthentication.fromTriggerAuthenticationName('auth') })],
    });
    const so = Testing.synth(plain).find(m => m.kind === 'ScaledObject');
    expect(so.metadata.annotations?.[VERSION]).toBeUndefined();
    expect(hpaOf(manifests).metadata.annotations[VERSION]).toBe('1.37');
  });
});

describe('readers judge each object for the target it declares, unless told a version', () => {
  const manifests = () => Testing.synth(new ScaleToZeroInferenceChart(Testing.app(), 'zero'));

  test('Guardrails.check: no options -> the declared 1.37 (valid); an explicit 1.35 wins', () => {
    expect(Guardrails.check(manifests()).filter(f => f.ruleId === 'ML-E-HPA-ZERO-GATE-OFF')).toEqual([]);
    const findings = Guardrails.check(manifests(), { kubernetesVersion: '1.35' }).filter(f => f.ruleId === 'ML-E-HPA-ZERO-GATE-OFF');
    expect(findings).toHaveLength(1);
    expect(findings[0].problem).toContain('Kubernetes 1.35');
  });

  test('a declared target that does not parse counts as none (the default judges the object)', () => {
    const objects = manifests();
    hpaOf(objects).metadata.annotations[VERSION] = '1.x';
    expect(Guardrails.check(objects).map(f => f.ruleId)).toContain('ML-E-HPA-ZERO-GATE-OFF');
  });

  test('lint FILE: exit 0 on the 1.37 manifests without flags, 1 with --kubernetes-version 1.35', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'declared-'));
    try {
      const file = path.join(dir, 'zero.json');
      fs.writeFileSync(file, JSON.stringify(manifests()));
      const run = (...args: string[]) => runLintCommand(args, { stdout: () => undefined, stderr: () => undefined });
      expect(run(file)).toBe(0);
      expect(run(file, '--kubernetes-version', '1.35')).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Simulator.fromManifests and simulate: the declared 1.37 wakes the service from zero without warnings', () => {
    const trace = DemandTrace.fromCsv('time,arrivals\n0,2\n600,0\n2400,2\n3000,0\n3600,0');
    const result = Simulator.fromManifests(manifests(), 'ml-summarizer', { trace, capacityPerReplica: 2 });
    expect(result.summary.coldStartsFromZero).toBeGreaterThan(0);
    expect(result.summary.warnings ?? []).toEqual([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'declared-sim-'));
    try {
      fs.writeFileSync(path.join(dir, 'zero.json'), JSON.stringify(manifests()));
      fs.writeFileSync(path.join(dir, 'trace.csv'), 'time,arrivals\n0,2\n600,0\n2400,2\n3000,0\n3600,0\n');
      const out: string[] = [];
      const code = runSimulateCommand(['--manifest', path.join(dir, 'zero.json'), '--target', 'ml-summarizer', '--trace', path.join(dir, 'trace.csv'),
        '--capacity', '2', '--out', path.join(dir, 'out')], { stdout: l => out.push(l), stderr: l => out.push(l) });
      expect(code).toBe(0);
      expect(out.join('\n')).toContain('Kubernetes 1.37');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
