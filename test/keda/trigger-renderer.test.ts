import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { KedaAuthentication, KedaTriggerAuthentication, QueueBatchWorker, Trigger } from '../../src';
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

describe('env references are checked against the workload\'s containers', () => {
  const WORKER = { name: 'worker', env: [{ name: 'MODEL_PATH' }, { name: 'RABBITMQ_URL' }] };
  const SIDECAR = { name: 'sidecar', env: [{ name: 'REDIS_PASSWORD' }] };

  function render(trigger: Trigger, containers = [WORKER, SIDECAR]) {
    const chart = Testing.chart();
    return renderTriggers(chart, 'triggers', [trigger], { owner: 'ScaledObject', containers });
  }

  function error(fn: () => unknown): string {
    try {
      fn();
    } catch (e) {
      expect(e).not.toBeInstanceOf(TypeError);
      return (e as Error).message;
    }
    throw new Error('expected an error');
  }

  test('hostFromEnv must name a variable of the first container (KEDA reads it there)', () => {
    expect(render(Trigger.rabbitmq({ queueName: 'q', value: 1, hostFromEnv: 'RABBITMQ_URL' }))[0].metadata.hostFromEnv).toBe('RABBITMQ_URL');
    expect(error(() => render(Trigger.rabbitmq({ name: 'queue', queueName: 'q', value: 1, hostFromEnv: 'RABBITMQ_HOST' })))).toBe(
      '[test] triggers[0].hostFromEnv="RABBITMQ_HOST": is the environment variable the rabbitmq trigger "queue" reads, but container "worker" does not '
      + 'define it (it defines: MODEL_PATH, RABBITMQ_URL); KEDA fails to build the scaler. '
      + 'Fix: add RABBITMQ_HOST to the container\'s env (env or secretEnv), or fix hostFromEnv.');
  });

  test('any *FromEnv metadata key of a custom trigger', () => {
    expect(error(() => render(Trigger.custom({ type: 'redis', metadata: { listName: 'jobs', addressFromEnv: 'REDIS_ADDR' } }))))
      .toMatch(/^\[test\] triggers\[0\]\.metadata\.addressFromEnv="REDIS_ADDR": is the environment variable the redis trigger reads, but container "worker" does not define it.*Fix: add REDIS_ADDR to the container's env \(env or secretEnv\), or fix addressFromEnv\.$/);
  });

  test('a container with envFrom may define any name', () => {
    expect(() => render(Trigger.rabbitmq({ queueName: 'q', value: 1, hostFromEnv: 'FROM_CONFIG_MAP' }),
      [{ name: 'worker', env: [], envFrom: [{ configMapRef: { name: 'rabbit' } }] } as any])).not.toThrow();
  });

  test('TriggerAuthentication env entries: the container and the variable must exist', () => {
    const chart = Testing.chart();
    const auth = (env: object) => new KedaTriggerAuthentication(chart, `Auth${chart.node.children.length}`, { env: [{ parameter: 'password', ...env } as any] });
    const redis = (a: KedaTriggerAuthentication) => Trigger.custom({ type: 'redis', metadata: { listName: 'jobs' }, authentication: a });

    expect(() => render(redis(auth({ envName: 'REDIS_PASSWORD', containerName: 'sidecar' })))).not.toThrow();
    expect(error(() => render(redis(auth({ envName: 'REDIS_PASSWORD' }))))).toMatch(
      /^\[test\] triggers\[0\]\.authentication\.env\[0\]\.envName="REDIS_PASSWORD": is the environment variable the redis trigger reads parameter "password" from \(env\[0\] of test\/Auth\d\), but container "worker" does not define it \(it defines: MODEL_PATH, RABBITMQ_URL\); KEDA fails to build the scaler\. Fix: add REDIS_PASSWORD to the container's env \(env or secretEnv\), or fix envName in test\/Auth\d\.$/);
    expect(error(() => render(redis(auth({ envName: 'REDIS_PASSWORD', containerName: 'cache' }))))).toMatch(
      /^\[test\] triggers\[0\]\.authentication\.env\[0\]\.containerName="cache": names the container the redis trigger reads parameter "password" from .*but the workload has no such container \(its containers: "worker", "sidecar"\).*Fix: set containerName to one of "worker", "sidecar", or omit it/);
  });

  test('without the containers in the context nothing is checked', () => {
    const chart = Testing.chart();
    expect(() => renderTriggers(chart, 'triggers', [Trigger.rabbitmq({ queueName: 'q', value: 1, hostFromEnv: 'ANY' })], { owner: 'ScaledObject' }))
      .not.toThrow();
  });
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
