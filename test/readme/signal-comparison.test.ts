/**
 * The README's "Scale on what the model server knows" table is the output of examples/compare-signals.ts:
 * it changes only with the simulator, the constructs or the examples.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { signalComparison } from '../../examples/compare-signals';
import { SGLANG_SERVICE, SglangWorkerPoolChart, VLLM_SERVICE } from '../../examples/model-servers';

const lines = signalComparison();
const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

test('the README shows the table the comparison prints', () => {
  expect(readme).toContain(lines.join('\n'));
});

test('the comparison says what the README says about it', () => {
  const rows = lines.slice(2).map(l => l.split(' | ').map(c => c.replace(/^\| |\s\|$/g, '')));
  const bySignal = (service: string, signal: string) => rows.find(r => r[0] === service && r[1] === signal)!;
  const vllm = bySignal('vLLM (HPA)', 'queue size, 5 per replica');
  const sglang = bySignal('SGLang (KEDA)', 'queue size, 4 per replica');
  const resnet = bySignal('ResNet on Triton (HPA)', 'DCGM GPU utilization, 70%');
  const batch = bySignal('vLLM (HPA)', 'batch size, 48 per replica (of 64)');
  const pegged = bySignal('vLLM (HPA)', 'DCGM GPU utilization, 70% (reads ~100% at any load)');
  const seconds = (c: string) => Number(c.replace(' s', ''));
  const gpuHours = (r: string[]) => Number(r[6]);
  const peak = (r: string[]) => Number(r[5].split('..')[1]);
  // a queue signal: waits of the order of a model load (180 s) at the burst; the HPA and KEDA alike
  for (const r of [vllm, sglang]) {
    expect(seconds(r[3])).toBeGreaterThan(60);
    expect(seconds(r[3])).toBeLessThan(180 + 60 + 15);
    expect(peak(r)).toBe(8);
  }
  expect(Math.abs(seconds(vllm[2]) - seconds(sglang[2]))).toBeLessThanOrEqual(0.1 * seconds(vllm[2]));
  expect(Math.abs(gpuHours(vllm) - gpuHours(sglang))).toBeLessThanOrEqual(0.1 * gpuHours(vllm));
  // GPU utilization works for the ResNet: short waits
  expect(seconds(resnet[2])).toBeLessThan(seconds(vllm[2]) / 2);
  // the batch size scales before requests queue: shorter waits, here at fewer GPU-hours too
  expect(seconds(batch[2])).toBeLessThan(seconds(vllm[2]) / 2);
  expect(gpuHours(batch)).toBeLessThan(gpuHours(vllm));
  // pegged at 100%: to maxReplicas and held there, no waits, over 1.5 times the queue signal's GPU-hours
  expect(peak(pegged)).toBe(8);
  expect(seconds(pegged[3])).toBe(0);
  expect(gpuHours(pegged)).toBeGreaterThan(1.5 * gpuHours(vllm));
});

test('the README says the section\'s facts about the trace and the services', () => {
  expect(readme).toContain('2 to 8 requests/s through a ramp, a 10-minute burst at 16/s');
  const trace = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'traces', 'llm-day.csv'), 'utf8')
    .split('\n').filter(l => /^\d/.test(l)).map(l => l.split(',').map(Number));
  const rates = trace.slice(0, -1).map(([, r]) => r);
  expect(Math.max(...rates)).toBe(16);
  expect(Math.min(...rates)).toBe(2);
  const burst = trace.findIndex(([, r]) => r === 16);
  expect(trace[burst + 1][0] - trace[burst][0]).toBe(600);
  expect(trace[trace.length - 1][0]).toBe(7200);
  // "a 3-minute model load"
  expect(readme).toContain('a 3-minute model load');
  expect([VLLM_SERVICE.modelLoadTime!.toSeconds(), SGLANG_SERVICE.modelLoadTime!.toSeconds()]).toEqual([180, 180]);
});

test('the KEDA query the README shows is the SGLang example\'s', () => {
  const scaledObject = Testing.synth(new SglangWorkerPoolChart(Testing.app(), 'llm-sglang')).find(m => m.kind === 'ScaledObject');
  const trigger = scaledObject.spec.triggers[0].metadata;
  expect(readme).toContain(`\`${trigger.query}\`, ${trigger.threshold} per replica`);
});
