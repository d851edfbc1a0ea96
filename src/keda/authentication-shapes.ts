import {
  AwsIdentityOwner, AwsPodIdentityOptions, AzureWorkloadIdentityOptions, EnvParameter, HashiCorpVaultOptions, KedaTriggerAuthenticationProps,
  PodIdentity, SecretParameter, VaultSecret,
} from './authentication';
import { HTTP_URL, IAM_ROLE_ARN, NO_WHITESPACE, PARAMETER_NAME } from './keda-formats';
import {
  arrayOf, boolean, Check, enumOf, fail, instanceOf, isPlainObject, optional, Shape, string, struct, typeOf,
} from '../validate/check';
import { DATA_KEY, DNS1123_LABEL_NAME, DNS1123_SUBDOMAIN_NAME, ENV_VAR_NAME } from '../validate/formats';

/**
 * The runtime checks of `KedaAuthentication.*`, `PodIdentity.*` and `KedaTriggerAuthentication`
 * (JavaScript and jsii callers get no compile-time types).
 */

/** The shapes of the authentication options. */
export interface AuthenticationShapes {
  readonly awsPodIdentity: Shape<AwsPodIdentityOptions>;
  readonly azureWorkloadIdentity: Shape<AzureWorkloadIdentityOptions>;
  readonly triggerAuthentication: Shape<KedaTriggerAuthenticationProps>;
}

/** Names of existing TriggerAuthentications, ClusterTriggerAuthentications and Secrets. */
export const OBJECT_NAME = string({ format: DNS1123_SUBDOMAIN_NAME });

/**
 * Literal secret values: parameter names (also the keys of the Secret created) mapped to strings.
 * Values are never shown in messages.
 */
function literalSecretValues(): Check {
  const key = string({ format: DATA_KEY });
  const c: Check = {
    expected: 'an object mapping trigger parameters to string values',
    check(value, site) {
      if (!isPlainObject(value)) fail(site, value, `must be ${c.expected}, got ${typeOf(value)}`, `pass ${site.prop} as { parameter: 'value' }`);
      for (const k of Object.keys(value)) {
        key.check(k, { scope: site.scope, prop: `${site.prop} key` });
        const v = value[k];
        if (typeof v !== 'string') {
          fail({ scope: site.scope, prop: `${site.prop}[${JSON.stringify(k)}]` }, '<redacted>', `must be a string, got ${typeOf(v)}`,
            'pass the secret value as a string');
        }
      }
    },
  };
  return c;
}

let shapes: AuthenticationShapes | undefined;

/** Built on first use: `authentication.ts` and this module import each other. */
export function authenticationShapes(): AuthenticationShapes {
  if (shapes) return shapes;
  const parameter = string({ format: PARAMETER_NAME });
  const secretParameter: Shape<SecretParameter> = {
    parameter,
    secretName: OBJECT_NAME,
    key: string({ format: DATA_KEY }),
  };
  const envParameter: Shape<EnvParameter> = {
    parameter,
    envName: string({ format: ENV_VAR_NAME }),
    containerName: optional(string({ format: DNS1123_LABEL_NAME })),
  };
  const vaultSecret: Shape<VaultSecret> = {
    parameter,
    path: string({ format: NO_WHITESPACE }),
    key: string(),
  };
  const vault: Shape<HashiCorpVaultOptions> = {
    address: string({ format: HTTP_URL }),
    role: string({ format: NO_WHITESPACE }),
    mount: optional(string({ format: NO_WHITESPACE })),
    namespace: optional(string({ format: NO_WHITESPACE })),
    serviceAccountName: optional(OBJECT_NAME),
    secrets: arrayOf(struct<VaultSecret>('VaultSecret', vaultSecret), { minLength: 1 }),
  };
  shapes = {
    awsPodIdentity: {
      roleArn: optional(string({ format: IAM_ROLE_ARN })),
      identityOwner: optional(enumOf(AwsIdentityOwner, 'AwsIdentityOwner')),
    },
    azureWorkloadIdentity: {
      identityId: optional(string({ format: NO_WHITESPACE })),
      identityTenantId: optional(string({ format: NO_WHITESPACE })),
      identityAuthorityHost: optional(string({ format: HTTP_URL })),
    },
    triggerAuthentication: {
      name: optional(OBJECT_NAME),
      namespace: optional(string({ format: DNS1123_LABEL_NAME })),
      cluster: optional(boolean()),
      secretTargetRefs: optional(arrayOf(struct<SecretParameter>('SecretParameter', secretParameter))),
      env: optional(arrayOf(struct<EnvParameter>('EnvParameter', envParameter))),
      podIdentity: optional(instanceOf(v => v instanceof PodIdentity, 'PodIdentity',
        'use PodIdentity.aws(...), PodIdentity.azureWorkload(...) or PodIdentity.gcp()')),
      hashiCorpVault: optional(struct<HashiCorpVaultOptions>('HashiCorpVaultOptions', vault)),
      literalSecretValues: optional(literalSecretValues()),
      allowLiteralSecretValues: optional(boolean()),
      literalSecretName: optional(OBJECT_NAME),
    },
  };
  return shapes;
}
