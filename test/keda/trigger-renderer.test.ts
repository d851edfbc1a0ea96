import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { KedaAuthentication, QueueBatchWorker, Trigger } from '../../src';
import { renderTriggers, triggerRenderer } from '../../src/keda/render-triggers';
import { triggerInstance } from '../../src/keda/trigger-shapes';

const rabbit = (queueName: string) => Trigger.rabbitmq({
  queueName, value: 10, authentication: KedaAuthentication.fromTriggerAuthenticationName('rabbitmq-auth'),
});

test('a trigger list is rendered again only when it changed', () => {
  const chart = Testing.chart();
  const triggers = [rabbit('a')];
  const renderer = triggerRenderer(chart, 'triggers', triggers, { owner: 'ScaledObject' });
  const first = renderer(true);
  expect(renderer()).toBe(first); // the same result object: not rendered again
  triggers.push(rabbit('b'));
  const second = renderer();
  expect(second).not.toBe(first);
  expect(second.map(t => t.metadata.queueName)).toEqual(['a', 'b']);
  expect(renderer()).toBe(second);
  triggers[0] = rabbit('c');
  expect(renderer().map(t => t.metadata.queueName)).toEqual(['c', 'b']);
});

test('an empty list is checked every time (allowed while triggers may still be added, an error at synth)', () => {
  const chart = Testing.chart();
  const renderer = triggerRenderer(chart, 'triggers', [], { owner: 'ScaledObject' });
  expect(renderer(true)).toEqual([]);
  expect(() => renderer()).toThrow(/no triggers to scale on/);
});

test('triggers added between two synths are in the second one', () => {
  const chart = Testing.chart();
  const worker = new QueueBatchWorker(chart, 'Worker', {
    name: 'worker',
    image: 'registry/worker:v1',
    cpuRequest: Cpu.millis(1000),
    memoryRequest: Size.gibibytes(4),
    placement: { requiredInstanceTypes: ['g5.xlarge'] },
    maxReplicas: 5,
    maxProcessingTime: Duration.minutes(5),
    triggers: [rabbit('a')],
  });
  const queues = () => Testing.synth(chart).find(m => m.kind === 'ScaledObject').spec.triggers.map((t: any) => t.metadata.queueName);
  expect(queues()).toEqual(['a']);
  worker.addTrigger(rabbit('b'));
  expect(queues()).toEqual(['a', 'b']);
});

test('something that is not a Trigger is reported, not a TypeError', () => {
  const chart = Testing.chart();
  let message = '';
  try {
    renderTriggers(chart, 'triggers', [{ type: 'kafka', metadata: {} } as any], { owner: 'ScaledObject' });
  } catch (e) {
    expect(e).not.toBeInstanceOf(TypeError);
    message = (e as Error).message;
  }
  expect(message).toMatch(/^\[test\] triggers\[0\]=\{"type":"kafka","metadata":\{\}\}: must be a Trigger, got an object\. Fix: create triggers with Trigger\.rabbitmq/);
});

test('triggerInstance() accepts Triggers only (for props holding triggers)', () => {
  expect(() => triggerInstance().check(rabbit('a'), { scope: 'X', prop: 'triggers[0]' })).not.toThrow();
  expect(() => triggerInstance().check({ type: 'kafka' }, { scope: 'X', prop: 'triggers[0]' }))
    .toThrow(/^\[X\] triggers\[0\]=\{"type":"kafka"\}: must be a Trigger, got an object\. Fix: create triggers with Trigger\.rabbitmq/);
});
