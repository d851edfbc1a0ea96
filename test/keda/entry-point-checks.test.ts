import { Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { KedaAuthentication, KedaTriggerAuthentication, PodIdentity } from '../../src/keda/authentication';
import { metadataNumber } from '../../src/keda/metadata-number';
import { Trigger } from '../../src/keda/trigger';
import { errorOf as error } from '../error-of';

process.env.CDK8S_ML_AUTOSCALING_QUIET = '1';


/** Asserts the message names where, the prop with its value, the problem and the fix. */
function expectMessage(message: string, where: string, propValue: string, problem: string, fix: string): void {
  expect(message.startsWith(`[${where}] ${propValue}: `)).toBe(true);
  expect(message).toContain(problem);
  expect(message).toMatch(new RegExp(`\\. Fix: .*${fix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
}

const js = (v: unknown) => v as any;
const AUTH = KedaAuthentication.fromTriggerAuthenticationName('queue-auth');
const KAFKA = { bootstrapServers: ['kafka:9092'], consumerGroup: 'g', lagThreshold: 10 };
const RABBIT = { queueName: 'q', value: 5, authentication: AUTH };
const SQS = { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', awsRegion: 'us-east-1', queueLength: 2 };
const PROM = { serverAddress: 'http://prom:9090', query: 'sum(x)', threshold: 10 };

describe('Trigger factories: types, null, missing options, unknown keys', () => {
  test('a string for bootstrapServers is reported, not a TypeError from .join', () => {
    expectMessage(error(() => Trigger.kafka(js({ ...KAFKA, bootstrapServers: 'a,b' }))), 'Trigger.kafka', 'bootstrapServers="a,b"',
      'must be an array (each entry a Kafka bootstrap server', 'set bootstrapServers to an array (each entry');
  });

  test('comma-separated servers in one entry are split in the fix', () => {
    expectMessage(error(() => Trigger.kafka({ ...KAFKA, bootstrapServers: ['a:9092,b:9092'] })), 'Trigger.kafka', 'bootstrapServers[0]="a:9092,b:9092"',
      'is not one bootstrap server', 'split it into array entries: ["a:9092","b:9092"]');
  });

  test('null is not "left out"', () => {
    expectMessage(error(() => Trigger.rabbitmq(js({ ...RABBIT, mode: null }))), 'Trigger.rabbitmq', 'mode=null',
      'must be one of', 'leave mode out instead of setting null');
    expectMessage(error(() => Trigger.kafka(js({ ...KAFKA, topic: null }))), 'Trigger.kafka', 'topic=null',
      'must be a non-blank string or left out', 'leave topic out');
    expectMessage(error(() => Trigger.cpuUtilization(70, js(null))), 'Trigger.cpuUtilization', 'options=null',
      'must be a ResourceTriggerOptions object', 'pass an object literal');
  });

  test('missing options name the required props', () => {
    expectMessage(error(() => js(Trigger.kafka)()), 'Trigger.kafka', 'options=undefined', 'must be a KafkaTriggerOptions object',
      'pass an object literal with at least bootstrapServers, consumerGroup, lagThreshold');
    expectMessage(error(() => js(Trigger.awsSqsQueue)('https://sqs...')), 'Trigger.awsSqsQueue', 'options="https://sqs..."',
      'must be a AwsSqsQueueTriggerOptions object', 'queueUrl, awsRegion, queueLength');
    expectMessage(error(() => Trigger.prometheus(js({ serverAddress: 'http://p:9090', query: 'x' }))), 'Trigger.prometheus', 'threshold=undefined',
      'must be a finite number greater than 0', 'set threshold');
  });

  test('unknown keys name the closest known key', () => {
    expectMessage(error(() => Trigger.kafka(js({ ...KAFKA, lagTreshold: 5 }))), 'Trigger.kafka', 'lagTreshold=5',
      'is not a property of KafkaTriggerOptions', 'did you mean "lagThreshold"?');
    expectMessage(error(() => Trigger.awsSqsQueue(js({ ...SQS, queueURL: SQS.queueUrl }))), 'Trigger.awsSqsQueue',
      `queueURL="${SQS.queueUrl}"`, 'is not a property of AwsSqsQueueTriggerOptions', 'did you mean "queueUrl"?');
    expectMessage(error(() => Trigger.memoryUtilization(80, js({ containername: 'worker' }))), 'Trigger.memoryUtilization', 'containername="worker"',
      'is not a property of ResourceTriggerOptions', 'did you mean "containerName"?');
  });

  test('booleans, strings and the authentication reference are typed', () => {
    expectMessage(error(() => Trigger.awsSqsQueue(js({ ...SQS, scaleOnInFlight: 'false' }))), 'Trigger.awsSqsQueue', 'scaleOnInFlight="false"',
      'must be true or false, got a string', 'set scaleOnInFlight to true or false');
    expectMessage(error(() => Trigger.rabbitmq(js({ ...RABBIT, authentication: 'queue-auth' }))), 'Trigger.rabbitmq', 'authentication="queue-auth"',
      'must be an IKedaAuthentication, got a string', 'KedaAuthentication.fromTriggerAuthenticationName(name)');
    expectMessage(error(() => Trigger.rabbitmq(js({ ...RABBIT, authentication: { authenticationName: 'a', authenticationKind: 'Secret' } }))),
      'Trigger.rabbitmq', 'authentication.authenticationKind="Secret"', 'must be one of AuthenticationKind.TRIGGER_AUTHENTICATION', 'AuthenticationKind');
    expectMessage(error(() => Trigger.custom(js({ type: 'redis', metadata: { listName: 'jobs', listLength: 5 } }))), 'Trigger.custom',
      'metadata["listLength"]=5', 'must be a string, got a number', 'set metadata["listLength"] to a string');
    expectMessage(error(() => Trigger.custom(js({ type: 'redis' }))), 'Trigger.custom', 'metadata=undefined', 'must be an object mapping', 'set metadata');
  });
});

describe('Trigger factories: exact enum values, one error listing the allowed ones', () => {
  test.each([
    ['rabbitmq mode', () => Trigger.rabbitmq(js({ ...RABBIT, mode: 'queueLength' })), 'Trigger.rabbitmq', 'mode="queueLength"',
      'must be one of RabbitMqMode.QUEUE_LENGTH ("QueueLength"), RabbitMqMode.MESSAGE_RATE ("MessageRate")', 'use "QueueLength"'],
    ['rabbitmq protocol', () => Trigger.rabbitmq(js({ ...RABBIT, protocol: 'HTTP' })), 'Trigger.rabbitmq', 'protocol="HTTP"',
      'must be one of RabbitMqProtocol.AUTO ("auto"), RabbitMqProtocol.AMQP ("amqp"), RabbitMqProtocol.HTTP ("http")', 'use "http"'],
    ['kafka offsetResetPolicy', () => Trigger.kafka(js({ ...KAFKA, offsetResetPolicy: 'smallest' })), 'Trigger.kafka', 'offsetResetPolicy="smallest"',
      'must be one of KafkaOffsetResetPolicy.LATEST ("latest"), KafkaOffsetResetPolicy.EARLIEST ("earliest")', 'use one of the KafkaOffsetResetPolicy members'],
    ['metricType', () => Trigger.prometheus(js({ ...PROM, metricType: 'averagevalue' })), 'Trigger.prometheus', 'metricType="averagevalue"',
      'must be one of TriggerMetricType.AVERAGE_VALUE ("AverageValue"), TriggerMetricType.VALUE ("Value"), TriggerMetricType.UTILIZATION ("Utilization")',
      'use "AverageValue"'],
  ])('%s', (_, fn, where, propValue, problem, fix) => {
    expectMessage(error(fn), where, propValue, problem, fix);
  });
});

describe('Trigger factories: numbers as KEDA parses them', () => {
  test('cpu/memory utilization is a whole int32 percentage from 1', () => {
    expectMessage(error(() => Trigger.cpuUtilization(70.5)), 'Trigger.cpuUtilization', 'percent=70.5',
      'must be an integer in 1..2147483647, got a number', 'use a whole percentage of the requests, e.g. 70 (KEDA parses it as an int32)');
    expect(error(() => Trigger.memoryUtilization(0))).toContain('[Trigger.memoryUtilization] percent=0: must be an integer in 1..2147483647');
    expect(error(() => Trigger.cpuUtilization(2 ** 31))).toContain('percent=2147483648');
    expect(error(() => Trigger.cpuUtilization(js('70')))).toContain('percent="70": must be an integer in 1..2147483647, got a string');
    expect(error(() => Trigger.cpuUtilization(NaN))).toContain('got NaN');
  });

  test('kafka lag thresholds and SQS queue lengths are whole numbers (int64 in KEDA)', () => {
    expectMessage(error(() => Trigger.kafka({ ...KAFKA, lagThreshold: 1.5 })), 'Trigger.kafka', 'lagThreshold=1.5',
      'must be an integer >= 1', "KEDA's kafka scaler parses it as an integer");
    expectMessage(error(() => Trigger.kafka({ ...KAFKA, activationLagThreshold: 0.5 })), 'Trigger.kafka', 'activationLagThreshold=0.5',
      'must be an integer >= 0', 'set activationLagThreshold to a whole number >= 0');
    expectMessage(error(() => Trigger.awsSqsQueue({ ...SQS, queueLength: 2.5 })), 'Trigger.awsSqsQueue', 'queueLength=2.5',
      'must be an integer >= 1', "KEDA's aws-sqs-queue scaler parses it as an integer");
    expectMessage(error(() => Trigger.awsSqsQueue({ ...SQS, activationQueueLength: 1.5 })), 'Trigger.awsSqsQueue', 'activationQueueLength=1.5',
      'must be an integer >= 0', 'whole number');
    expect(error(() => Trigger.kafka({ ...KAFKA, lagThreshold: 2 ** 53 }))).toContain('lagThreshold=9007199254740992: must be an integer');
    expect(error(() => Trigger.kafka({ ...KAFKA, lagThreshold: 0 }))).toContain('lagThreshold=0: must be an integer >= 1');
  });

  test('float targets must be positive and finite, activations >= 0', () => {
    expectMessage(error(() => Trigger.prometheus({ ...PROM, threshold: -1 })), 'Trigger.prometheus', 'threshold=-1',
      'must be a finite number greater than 0', 'set threshold to the amount one replica should handle');
    expect(error(() => Trigger.rabbitmq({ ...RABBIT, value: Infinity }))).toContain('value=Infinity: must be a finite number greater than 0');
    expectMessage(error(() => Trigger.rabbitmq({ ...RABBIT, activationValue: -0.5 })), 'Trigger.rabbitmq', 'activationValue=-0.5',
      'must be a finite number >= 0', 'set activationValue to 0 or more');
    expect(error(() => Trigger.prometheus(js({ ...PROM, threshold: '70' })))).toContain('threshold="70": must be a finite number greater than 0, got a string');
  });

  test('numbers never render in exponent notation', () => {
    expect(Trigger.rabbitmq({ ...RABBIT, value: 1e21 }).metadata.value).toBe('1000000000000000000000');
    expect(Trigger.prometheus({ ...PROM, threshold: 1e-7, activationThreshold: 2.5e-8 }).metadata)
      .toMatchObject({ threshold: '0.0000001', activationThreshold: '0.000000025' });
    expect(Trigger.kafka({ ...KAFKA, lagThreshold: Number.MAX_SAFE_INTEGER }).metadata.lagThreshold).toBe('9007199254740991');
    expect(Trigger.memoryAverageValue(Size.kibibytes(1.5)).metadata.value).toBe('1536');
  });

  test('property: metadataNumber is plain decimal notation of the same number', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
      const s = metadataNumber(n);
      return !/e/i.test(s) && /^-?\d+(\.\d+)?$/.test(s) && Number(s) === n;
    }), { numRuns: 500 });
  });

  test('cpu and memory average values are more than 0', () => {
    expectMessage(error(() => Trigger.cpuAverageValue(Cpu.millis(0))), 'Trigger.cpuAverageValue', 'cpu=Cpu("0m")',
      'must be more than 0 millicores', 'use Cpu.millis(n) or Cpu.units(n)');
    const memory = error(() => Trigger.memoryAverageValue(Size.mebibytes(0)));
    expect(memory).toMatch(/^\[Trigger\.memoryAverageValue\] memory=0KiB: must be greater than 0\. Fix: use Size\.mebibytes\(n\) or Size\.gibibytes\(n\)/);
    expectMessage(error(() => Trigger.cpuAverageValue(js('500m'))), 'Trigger.cpuAverageValue', 'cpu="500m"', 'must be a Cpu, got a string', 'Cpu.millis(n)');
    expectMessage(error(() => Trigger.memoryAverageValue(js(6))), 'Trigger.memoryAverageValue', 'memory=6', 'must be a Size, got a number', 'Size.gibibytes(n)');
  });
});

describe('names and formats', () => {
  test('trigger names are identifiers a scalingModifiers formula can refer to', () => {
    expectMessage(error(() => Trigger.prometheus({ ...PROM, name: 'gpu-util' })), 'Trigger.prometheus', 'name="gpu-util"',
      'is not a valid trigger name', 'use a name like "gpu_util"');
    expect(error(() => Trigger.cpuUtilization(70, { name: '1cpu' }))).toContain('use a name like "_1cpu"');
    expect(error(() => Trigger.rabbitmq(js({ ...RABBIT, name: 5 })))).toContain('[Trigger.rabbitmq] name=5: must be a trigger name');
    expect(Trigger.prometheus({ ...PROM, name: 'gpu_util' }).name).toBe('gpu_util');
  });

  test('container names are DNS-1123 labels, env var names are checked', () => {
    expectMessage(error(() => Trigger.cpuUtilization(70, { containerName: 'Worker_1' })), 'Trigger.cpuUtilization', 'containerName="Worker_1"',
      'is not a valid DNS-1123 label', 'use a name like "worker-1"');
    expectMessage(error(() => Trigger.rabbitmq({ ...RABBIT, hostFromEnv: 'RABBIT HOST' })), 'Trigger.rabbitmq', 'hostFromEnv="RABBIT HOST"',
      'is not a valid environment variable name', 'use a name like "RABBIT_HOST"');
  });

  test('blank queue names, consumer groups and queries', () => {
    expectMessage(error(() => Trigger.rabbitmq({ ...RABBIT, queueName: '  ' })), 'Trigger.rabbitmq', 'queueName="  "', 'is only whitespace',
      'set queueName to a non-blank string');
    expect(error(() => Trigger.kafka({ ...KAFKA, consumerGroup: ' ' }))).toContain('[Trigger.kafka] consumerGroup=" ": is only whitespace');
    expect(error(() => Trigger.prometheus({ ...PROM, query: '\n' }))).toContain('[Trigger.prometheus] query="\\n": is only whitespace');
  });

  test('URLs, regions and scaler types', () => {
    expect(error(() => Trigger.awsSqsQueue({ ...SQS, awsRegion: 'US East' }))).toContain('[Trigger.awsSqsQueue] awsRegion="US East": is not an AWS region');
    expect(error(() => Trigger.custom({ type: 'Redis', metadata: {} }))).toContain('[Trigger.custom] type="Redis": is not a KEDA scaler type');
    expect(error(() => Trigger.custom({ type: 'redis', metadata: { 'list name': 'x' } }))).toContain('metadata key="list name": is not a KEDA parameter name');
  });

  test('referenced authentication names are DNS-1123 subdomains', () => {
    expectMessage(error(() => KedaAuthentication.fromTriggerAuthenticationName('Rabbit_Auth')), 'KedaAuthentication.fromTriggerAuthenticationName',
      'name="Rabbit_Auth"', 'is not a valid DNS-1123 subdomain', 'use a name like "rabbit-auth"');
    expectMessage(error(() => KedaAuthentication.fromClusterTriggerAuthenticationName(js(undefined))), 'KedaAuthentication.fromClusterTriggerAuthenticationName',
      'name=undefined', 'must be a DNS-1123 subdomain', 'set name');
  });
});

describe('PodIdentity and KedaTriggerAuthentication', () => {
  function auth(props: unknown): string {
    return error(() => new KedaTriggerAuthentication(Testing.chart(), 'Auth', js(props)));
  }

  test('pod identity options', () => {
    expectMessage(error(() => PodIdentity.aws(js({ identityOwner: 'Workload' }))), 'PodIdentity.aws', 'identityOwner="Workload"',
      'must be one of AwsIdentityOwner.KEDA ("keda"), AwsIdentityOwner.WORKLOAD ("workload")', 'use "workload"');
    expectMessage(error(() => PodIdentity.aws(js({ rolearn: 'x' }))), 'PodIdentity.aws', 'rolearn="x"', 'is not a property of AwsPodIdentityOptions',
      'did you mean "roleArn"?');
    expectMessage(error(() => PodIdentity.azureWorkload({ identityAuthorityHost: 'login.microsoftonline.com' })), 'PodIdentity.azureWorkload',
      'identityAuthorityHost="login.microsoftonline.com"', 'must be an http(s) URL', 'set identityAuthorityHost to an http(s) URL');
  });

  test('missing props, unknown keys and a pod identity that is not a PodIdentity', () => {
    expectMessage(auth(undefined), 'test/Auth', 'props=undefined', 'must be a KedaTriggerAuthenticationProps object', 'pass an object literal');
    expectMessage(auth({ secretTargetRef: [] }), 'test/Auth', 'secretTargetRef=[]', 'is not a property of KedaTriggerAuthenticationProps',
      'did you mean "secretTargetRefs"?');
    expectMessage(auth({ podIdentity: { provider: 'aws' } }), 'test/Auth', 'podIdentity={"provider":"aws"}', 'must be a PodIdentity, got an object',
      'use PodIdentity.aws(...)');
    expectMessage(auth({ cluster: 'yes', podIdentity: PodIdentity.gcp() }), 'test/Auth', 'cluster="yes"', 'must be true or false', 'set cluster');
  });

  test('names: object, Secret, key, env var and container', () => {
    expectMessage(auth({ name: 'Rabbit_Auth', podIdentity: PodIdentity.gcp() }), 'test/Auth', 'name="Rabbit_Auth"', 'is not a valid DNS-1123 subdomain',
      'use a name like "rabbit-auth"');
    expectMessage(auth({ secretTargetRefs: [{ parameter: 'host', secretName: 'rabbit', key: 'a/b' }] }), 'test/Auth', 'secretTargetRefs[0].key="a/b"',
      'is not a valid Secret/ConfigMap key', 'set secretTargetRefs[0].key');
    expectMessage(auth({ secretTargetRefs: [{ parameter: 'host', secretName: 'rabbit' }] }), 'test/Auth', 'secretTargetRefs[0].key=undefined',
      'must be a Secret/ConfigMap key', 'set secretTargetRefs[0].key');
    expectMessage(auth({ env: [{ parameter: 'password', envName: '1PASSWORD' }] }), 'test/Auth', 'env[0].envName="1PASSWORD"',
      'is not a valid environment variable name', 'use a name like "_1PASSWORD"');
    expectMessage(auth({ env: [{ parameter: 'password', envName: 'P', containerName: 'Main' }] }), 'test/Auth', 'env[0].containerName="Main"',
      'is not a valid DNS-1123 label', 'use a name like "main"');
    expectMessage(auth({ env: [{ parameter: 'password', envname: 'P' }] }), 'test/Auth', 'env[0].envname="P"', 'is not a property of EnvParameter',
      'did you mean "env[0].envName"?');
    expectMessage(auth({ literalSecretName: 'x', podIdentity: PodIdentity.gcp() }), 'test/Auth', 'literalSecretName="x"',
      'names the Secret created for literalSecretValues, which are not set', 'remove literalSecretName');
  });

  test('Vault', () => {
    expectMessage(auth({ hashiCorpVault: { address: 'https://vault:8200', role: 'r', secrets: [] } }), 'test/Auth', 'hashiCorpVault.secrets=[]',
      'must have at least 1 entry', 'add entries to hashiCorpVault.secrets');
    expectMessage(auth({ hashiCorpVault: { address: 'https://vault:8200', role: 'r', secrets: [{ parameter: 'host', path: 'p', key: 'k' }], token: 't' } }),
      'test/Auth', 'hashiCorpVault.token="t"', 'is not a property of HashiCorpVaultOptions', 'remove it');
  });

  test('a literal secret value of the wrong type is reported without the value', () => {
    const message = auth({ literalSecretValues: { password: 12345678 }, allowLiteralSecretValues: true });
    expectMessage(message, 'test/Auth', 'literalSecretValues["password"]="<redacted>"', 'must be a string, got a number', 'pass the secret value as a string');
    expect(message).not.toContain('12345678');
  });
});
