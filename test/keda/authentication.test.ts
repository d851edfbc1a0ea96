import { Testing } from 'cdk8s';
import {
  AuthenticationKind, AwsIdentityOwner, KedaAuthentication, KedaTriggerAuthentication, KedaTriggerAuthenticationProps, PodIdentity,
} from '../../src/keda/authentication';
import { Warnings } from '../../src/warnings';
import { findAll, findOne, synthValid } from '../validate';

process.env.CDK8S_ML_AUTOSCALING_QUIET = '1';

function build(props: KedaTriggerAuthenticationProps) {
  const chart = Testing.chart();
  const auth = new KedaTriggerAuthentication(chart, 'Auth', props);
  return { chart, auth };
}

function spec(props: KedaTriggerAuthenticationProps, kind = 'TriggerAuthentication') {
  return findOne(synthValid(build(props).chart), kind).spec;
}

describe('typed sources', () => {
  test('existing Secret keys', () => {
    expect(spec({ secretTargetRefs: [{ parameter: 'host', secretName: 'rabbitmq-auth', key: 'host' }] }))
      .toEqual({ secretTargetRef: [{ parameter: 'host', name: 'rabbitmq-auth', key: 'host' }] });
  });

  test('environment of the target container', () => {
    expect(spec({ env: [{ parameter: 'password', envName: 'REDIS_PASSWORD', containerName: 'worker' }] }))
      .toEqual({ env: [{ parameter: 'password', name: 'REDIS_PASSWORD', containerName: 'worker' }] });
  });

  test('AWS pod identity with identityOwner workload', () => {
    expect(spec({ podIdentity: PodIdentity.aws({ identityOwner: AwsIdentityOwner.WORKLOAD }) }))
      .toEqual({ podIdentity: { provider: 'aws', identityOwner: 'workload' } });
  });

  test('Azure workload identity', () => {
    expect(spec({ podIdentity: PodIdentity.azureWorkload({ identityId: 'client-id', identityTenantId: 'tenant' }) }))
      .toEqual({ podIdentity: { provider: 'azure-workload', identityId: 'client-id', identityTenantId: 'tenant' } });
  });

  test('GCP workload identity', () => {
    expect(spec({ podIdentity: PodIdentity.gcp() })).toEqual({ podIdentity: { provider: 'gcp' } });
  });

  test('HashiCorp Vault with Kubernetes auth (mount defaults to kubernetes, no token)', () => {
    expect(spec({
      hashiCorpVault: {
        address: 'https://vault.vault.svc:8200',
        role: 'keda',
        serviceAccountName: 'keda-operator',
        secrets: [{ parameter: 'host', path: 'secret/data/rabbitmq', key: 'url' }],
      },
    })).toEqual({
      hashiCorpVault: {
        address: 'https://vault.vault.svc:8200',
        authentication: 'kubernetes',
        role: 'keda',
        mount: 'kubernetes',
        credential: { serviceAccountName: 'keda-operator' },
        secrets: [{ parameter: 'host', path: 'secret/data/rabbitmq', key: 'url' }],
      },
    });
  });

  test('a ClusterTriggerAuthentication has no namespace and is referenced with its kind', () => {
    const chart = Testing.chart();
    const auth = new KedaTriggerAuthentication(chart, 'Auth', { name: 'shared', cluster: true, podIdentity: PodIdentity.gcp() });
    const m = synthValid(chart);
    const cta = findOne(m, 'ClusterTriggerAuthentication', 'shared');
    expect(cta.metadata.namespace).toBeUndefined();
    expect(auth.authenticationKind).toBe(AuthenticationKind.CLUSTER_TRIGGER_AUTHENTICATION);
    expect(auth.authenticationNamespace).toBeUndefined();
  });

  test('the construct exposes its name, kind, namespace and parameters', () => {
    const { auth } = build({ name: 'a', namespace: 'ml', secretTargetRefs: [{ parameter: 'host', secretName: 's', key: 'k' }] });
    expect(auth.authenticationName).toBe('a');
    expect(auth.authenticationKind).toBe(AuthenticationKind.TRIGGER_AUTHENTICATION);
    expect(auth.authenticationNamespace).toBe('ml');
    expect(auth.parameters).toEqual(['host']);
    expect(auth.apiObject.kind).toBe('TriggerAuthentication');
  });

  test('defaults: namespaced TriggerAuthentication, no Secret created, no warning', () => {
    const { chart, auth } = build({ secretTargetRefs: [{ parameter: 'host', secretName: 's', key: 'k' }] });
    const m = synthValid(chart);
    expect(m.map(o => o.kind)).toEqual(['TriggerAuthentication']);
    expect(findAll(m, 'Secret')).toEqual([]);
    expect(auth.literalSecret).toBeUndefined();
    expect(Warnings.of(auth)).toEqual([]);
  });

  test('references to existing objects', () => {
    const ref = KedaAuthentication.fromTriggerAuthenticationName('x');
    expect([ref.authenticationName, ref.authenticationKind]).toEqual(['x', AuthenticationKind.TRIGGER_AUTHENTICATION]);
    expect(KedaAuthentication.fromClusterTriggerAuthenticationName('y').authenticationKind)
      .toBe(AuthenticationKind.CLUSTER_TRIGGER_AUTHENTICATION);
  });
});

describe('literal secrets', () => {
  test('the literal value only appears in the Secret created on opt-in, named by literalSecretName', () => {
    const { chart } = build({
      name: 'auth', literalSecretName: 'auth-values', literalSecretValues: { host: 'amqp://user:pw@rabbit:5672' }, allowLiteralSecretValues: true,
    });
    const m = synthValid(chart);
    const holders = m.filter(o => JSON.stringify(o).includes('user:pw'));
    expect(holders.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['Secret/auth-values']);
    expect(findOne(m, 'TriggerAuthentication').spec.secretTargetRef).toEqual([{ parameter: 'host', name: 'auth-values', key: 'host' }]);
  });

  test('rejects literal values with allowLiteralSecretValues false', () => {
    expect(() => build({ literalSecretValues: { password: 'x' }, allowLiteralSecretValues: false }))
      .toThrow(/literalSecretValues=\["password=<redacted>"\]: would write secret values into the manifests/);
  });

  test('the error message never contains the secret value', () => {
    expect(() => build({ literalSecretValues: { password: 'hunter2' } })).toThrow(/^(?!.*hunter2)/s);
  });

  test('rejects literal values on a ClusterTriggerAuthentication', () => {
    expect(() => build({ cluster: true, literalSecretValues: { password: 'x' }, allowLiteralSecretValues: true }))
      .toThrow(/a ClusterTriggerAuthentication reads Secrets from KEDA's namespace/);
  });
});

describe('errors', () => {
  test('rejects an authentication without any source', () => {
    expect(() => build({})).toThrow('[test/Auth] props={}: no authentication source. Fix: set secretTargetRefs, env, podIdentity or hashiCorpVault.');
  });

  test('rejects roleArn together with identityOwner', () => {
    expect(() => PodIdentity.aws({ roleArn: 'arn:aws:iam::123456789012:role/r', identityOwner: AwsIdentityOwner.KEDA }))
      .toThrow(/^\[PodIdentity\.aws\] roleArn="arn:aws:iam::123456789012:role\/r": is mutually exclusive with identityOwner/);
  });

  test('rejects something that is not a role ARN', () => {
    expect(() => PodIdentity.aws({ roleArn: 'ml-training' })).toThrow(/^\[PodIdentity\.aws\] roleArn="ml-training": is not an IAM role ARN/);
  });

  test('rejects a parameter provided twice', () => {
    expect(() => build({
      secretTargetRefs: [{ parameter: 'host', secretName: 's', key: 'k' }],
      env: [{ parameter: 'host', envName: 'HOST' }],
    })).toThrow(/parameters="host": is provided twice/);
  });

  test('rejects a namespace on a ClusterTriggerAuthentication', () => {
    expect(() => build({ cluster: true, namespace: 'ml', podIdentity: PodIdentity.gcp() }))
      .toThrow(/namespace="ml": a ClusterTriggerAuthentication is not namespaced/);
  });

  test('rejects an invalid Secret name', () => {
    expect(() => build({ secretTargetRefs: [{ parameter: 'host', secretName: 'Rabbit_Auth', key: 'host' }] }))
      .toThrow(/secretTargetRefs\[0\]\.secretName="Rabbit_Auth": is not a valid DNS-1123 subdomain/);
  });

  test('rejects a Vault address that is not a URL', () => {
    expect(() => build({ hashiCorpVault: { address: 'vault:8200', role: 'r', secrets: [{ parameter: 'p', path: 'x', key: 'k' }] } }))
      .toThrow(/hashiCorpVault\.address="vault:8200": must be an http\(s\) URL/);
  });
});
