import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { authenticationShapes, OBJECT_NAME } from './authentication-shapes';
import { kedaBindings } from './bindings';
import type {
  TriggerAuthenticationSpec,
  TriggerAuthenticationSpecPodIdentityIdentityOwner,
  TriggerAuthenticationSpecPodIdentityProvider,
} from '../../imports/keda.sh';
import { check, objectMeta, propError } from '../errors';
import { checkProps, checkValue } from '../validate/check';
import { Warnings } from '../warnings';

/**
 * The two kinds of KEDA authentication objects.
 */
export enum AuthenticationKind {
  /** Namespaced: must live in the namespace of the ScaledObject/ScaledJob. */
  TRIGGER_AUTHENTICATION = 'TriggerAuthentication',
  /** Cluster-wide: usable from any namespace. */
  CLUSTER_TRIGGER_AUTHENTICATION = 'ClusterTriggerAuthentication',
}

/**
 * Something a trigger can reference in `authenticationRef`.
 */
export interface IKedaAuthentication {
  /** Name of the TriggerAuthentication or ClusterTriggerAuthentication. */
  readonly authenticationName: string;
  /** Its kind. */
  readonly authenticationKind: AuthenticationKind;
  /**
   * Its namespace, when known (ClusterTriggerAuthentications have none).
   */
  readonly authenticationNamespace?: string;
  /**
   * The trigger parameters it provides (e.g. `host`), when known.
   */
  readonly parameters?: string[];
}

/**
 * References to authentication objects that exist already.
 */
export class KedaAuthentication {
  /**
   * An existing TriggerAuthentication (in the namespace of the ScaledObject), by its name (a
   * DNS-1123 subdomain).
   */
  public static fromTriggerAuthenticationName(name: string): IKedaAuthentication {
    checkValue('KedaAuthentication.fromTriggerAuthenticationName', 'name', name, OBJECT_NAME);
    return new ImportedAuthentication(name, AuthenticationKind.TRIGGER_AUTHENTICATION);
  }

  /**
   * An existing ClusterTriggerAuthentication, by its name (a DNS-1123 subdomain).
   */
  public static fromClusterTriggerAuthenticationName(name: string): IKedaAuthentication {
    checkValue('KedaAuthentication.fromClusterTriggerAuthenticationName', 'name', name, OBJECT_NAME);
    return new ImportedAuthentication(name, AuthenticationKind.CLUSTER_TRIGGER_AUTHENTICATION);
  }

  private constructor() {
  }
}

/** A reference by name to an authentication object created elsewhere. */
class ImportedAuthentication implements IKedaAuthentication {
  constructor(public readonly authenticationName: string, public readonly authenticationKind: AuthenticationKind) {
  }
}

/**
 * A trigger parameter read from a key of an existing Secret.
 */
export interface SecretParameter {
  /** The trigger parameter, e.g. `host` for RabbitMQ. */
  readonly parameter: string;
  /** Name of the existing Secret (a DNS-1123 subdomain). */
  readonly secretName: string;
  /** Key in the Secret (letters, digits, '-', '_' and '.'). */
  readonly key: string;
}

/**
 * A trigger parameter read from an environment variable of the scale target's container.
 */
export interface EnvParameter {
  /** The trigger parameter. */
  readonly parameter: string;
  /**
   * Environment variable name. The container must define it: checked against the workload that
   * uses the authentication.
   */
  readonly envName: string;
  /**
   * Container to read it from (must be a container of the workload).
   * @default - the first container (or `envSourceContainerName`)
   */
  readonly containerName?: string;
}

/**
 * Who's identity KEDA uses with AWS pod identity.
 */
export enum AwsIdentityOwner {
  /** KEDA's operator identity. */
  KEDA = 'keda',
  /** The identity (service account) of the scaled workload. */
  WORKLOAD = 'workload',
}

/**
 * Options of AWS pod identity.
 */
export interface AwsPodIdentityOptions {
  /**
   * IAM role KEDA assumes (`arn:aws:iam::<account>:role/<name>`; mutually exclusive with identityOwner).
   * @default - no role: KEDA uses `identityOwner`
   */
  readonly roleArn?: string;
  /**
   * Whose identity KEDA uses (mutually exclusive with roleArn).
   * @default - KEDA's default, the operator's identity
   */
  readonly identityOwner?: AwsIdentityOwner;
}

/**
 * Options of Azure workload identity.
 */
export interface AzureWorkloadIdentityOptions {
  /**
   * Client ID of the managed identity.
   * @default - the identity of the KEDA operator's service account
   */
  readonly identityId?: string;
  /**
   * Tenant ID.
   * @default - the tenant of the KEDA operator's identity
   */
  readonly identityTenantId?: string;
  /**
   * Authority host.
   * @default - the Azure public cloud
   */
  readonly identityAuthorityHost?: string;
}

/**
 * A cloud identity KEDA uses instead of secrets.
 */
export class PodIdentity {
  /**
   * AWS (IRSA or EKS pod identity), e.g. with the role that may read the queue.
   */
  public static aws(options: AwsPodIdentityOptions = {}): PodIdentity {
    const site = 'PodIdentity.aws';
    checkProps(site, 'AwsPodIdentityOptions', authenticationShapes().awsPodIdentity, options);
    check(!(options.roleArn !== undefined && options.identityOwner !== undefined), site, 'roleArn', options.roleArn,
      'is mutually exclusive with identityOwner', 'set either roleArn or identityOwner');
    return new PodIdentity(kedaBindings().TriggerAuthenticationSpecPodIdentityProvider.AWS, options.roleArn, options.identityOwner);
  }

  /**
   * Azure AD workload identity.
   */
  public static azureWorkload(options: AzureWorkloadIdentityOptions = {}): PodIdentity {
    checkProps('PodIdentity.azureWorkload', 'AzureWorkloadIdentityOptions', authenticationShapes().azureWorkloadIdentity, options);
    return new PodIdentity(kedaBindings().TriggerAuthenticationSpecPodIdentityProvider.AZURE_HYPHEN_WORKLOAD, undefined, undefined,
      options.identityId, options.identityTenantId, options.identityAuthorityHost);
  }

  /**
   * GCP workload identity.
   */
  public static gcp(): PodIdentity {
    return new PodIdentity(kedaBindings().TriggerAuthenticationSpecPodIdentityProvider.GCP);
  }

  private constructor(
    /** Provider (`aws`, `azure-workload`, `gcp`). */
    public readonly provider: string,
    /** AWS role. */
    public readonly roleArn?: string,
    /** AWS identity owner. */
    public readonly identityOwner?: AwsIdentityOwner,
    /** Azure identity client ID. */
    public readonly identityId?: string,
    /** Azure tenant. */
    public readonly identityTenantId?: string,
    /** Azure authority host. */
    public readonly identityAuthorityHost?: string) {
  }
}

/**
 * A trigger parameter read from HashiCorp Vault.
 */
export interface VaultSecret {
  /** The trigger parameter. */
  readonly parameter: string;
  /** Secret path, e.g. `secret/data/rabbitmq`. */
  readonly path: string;
  /** Key at that path. */
  readonly key: string;
}

/**
 * HashiCorp Vault with Kubernetes authentication (no token in the manifest).
 */
export interface HashiCorpVaultOptions {
  /** Vault address, e.g. `https://vault.vault.svc:8200`. */
  readonly address: string;
  /** Vault role bound to the service account. */
  readonly role: string;
  /**
   * Auth mount path.
   * @default 'kubernetes'
   */
  readonly mount?: string;
  /**
   * Vault namespace (Enterprise).
   * @default - none
   */
  readonly namespace?: string;
  /**
   * Service account whose token KEDA presents.
   * @default - KEDA's own service account
   */
  readonly serviceAccountName?: string;
  /** Parameters to read. */
  readonly secrets: VaultSecret[];
}

/**
 * Props of `KedaTriggerAuthentication`.
 */
export interface KedaTriggerAuthenticationProps {
  /**
   * Object name.
   * @default - generated
   */
  readonly name?: string;
  /**
   * Namespace (TriggerAuthentication only; it must match the ScaledObject's).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Create a cluster-wide ClusterTriggerAuthentication instead of a namespaced TriggerAuthentication.
   * Its Secrets are then read from KEDA's namespace.
   * @default false
   */
  readonly cluster?: boolean;
  /**
   * Parameters read from existing Secrets (e.g. RabbitMQ `host` from Secret `rabbitmq-auth` key `host`).
   * @default - none
   */
  readonly secretTargetRefs?: SecretParameter[];
  /**
   * Parameters read from environment variables of the scale target.
   * @default - none
   */
  readonly env?: EnvParameter[];
  /**
   * Cloud identity.
   * @default - none
   */
  readonly podIdentity?: PodIdentity;
  /**
   * Parameters read from HashiCorp Vault.
   * @default - none
   */
  readonly hashiCorpVault?: HashiCorpVaultOptions;
  /**
   * Literal secret values by parameter: a Secret is created with them and referenced. The values
   * end up in the manifests (and in git): needs `allowLiteralSecretValues` and produces the warning
   * `ML-W-KEDA-LITERAL-SECRET`. Prefer an existing Secret (`secretTargetRefs`).
   * @default - none
   */
  readonly literalSecretValues?: { [parameter: string]: string };
  /**
   * Opt-in for `literalSecretValues`.
   * @default false
   */
  readonly allowLiteralSecretValues?: boolean;
  /**
   * Name of the Secret created for `literalSecretValues`.
   * @default - the authentication's name
   */
  readonly literalSecretName?: string;
}

/**
 * A KEDA TriggerAuthentication (or ClusterTriggerAuthentication) built from typed sources: existing
 * Secrets, the target's environment, pod identity or HashiCorp Vault. Secrets are referenced, never
 * inlined (unless explicitly allowed).
 */
export class KedaTriggerAuthentication extends Construct implements IKedaAuthentication {
  /** Warning ID for a Secret created from literal values (acknowledge with `Warnings.acknowledge`). */
  public static readonly LITERAL_SECRET_WARNING = 'ML-W-KEDA-LITERAL-SECRET';

  /** The TriggerAuthentication or ClusterTriggerAuthentication (escape hatch). */
  public readonly apiObject: ApiObject;
  /** The Secret created from literal values, if any. */
  public readonly literalSecret?: ApiObject;
  public readonly authenticationName: string;
  public readonly authenticationKind: AuthenticationKind;
  public readonly authenticationNamespace?: string;
  public readonly parameters?: string[];

  /**
   * Every prop is checked (types, enum members, formats of names and keys, unknown keys) before use.
   */
  constructor(scope: Construct, id: string, props: KedaTriggerAuthenticationProps) {
    super(scope, id);
    checkProps(this, 'KedaTriggerAuthenticationProps', authenticationShapes().triggerAuthentication, props);
    const cluster = props.cluster ?? false;
    check(!(cluster && props.namespace !== undefined), this, 'namespace', props.namespace,
      'a ClusterTriggerAuthentication is not namespaced', 'remove namespace, or set cluster: false');

    const secretTargetRef = (props.secretTargetRefs ?? []).map(s => ({ parameter: s.parameter, name: s.secretName, key: s.key }));
    const env = (props.env ?? []).map(e => ({ parameter: e.parameter, name: e.envName, containerName: e.containerName }));

    const literal = props.literalSecretValues;
    if (literal !== undefined) {
      check(props.allowLiteralSecretValues === true, this, 'literalSecretValues', Object.keys(literal).map(k => `${k}=<redacted>`),
        'would write secret values into the manifests', 'reference an existing Secret with secretTargetRefs, or set allowLiteralSecretValues: true');
      check(!cluster, this, 'literalSecretValues', Object.keys(literal), 'a ClusterTriggerAuthentication reads Secrets from KEDA\'s namespace',
        'create the Secret in KEDA\'s namespace yourself and use secretTargetRefs');
    } else {
      check(props.literalSecretName === undefined, this, 'literalSecretName', props.literalSecretName,
        'names the Secret created for literalSecretValues, which are not set', 'remove literalSecretName');
    }

    const pod = props.podIdentity;
    const vault = props.hashiCorpVault;

    const parameters = [
      ...secretTargetRef.map(s => s.parameter), ...env.map(e => e.parameter),
      ...(vault?.secrets ?? []).map(s => s.parameter), ...Object.keys(literal ?? {}),
    ];
    const dup = parameters.find((p, i) => parameters.indexOf(p) !== i);
    check(dup === undefined, this, 'parameters', dup, 'is provided twice', 'provide each trigger parameter from one source');
    if (parameters.length === 0 && !pod) {
      throw propError(this, 'props', {}, 'no authentication source',
        'set secretTargetRefs, env, podIdentity or hashiCorpVault');
    }

    if (literal !== undefined) {
      this.literalSecret = new k8s.KubeSecret(this, 'LiteralSecret', {
        metadata: objectMeta(props.literalSecretName ?? props.name, props.namespace),
        type: 'Opaque',
        stringData: { ...literal },
      });
      for (const parameter of Object.keys(literal)) {
        secretTargetRef.push({ parameter, name: this.literalSecret.name, key: parameter });
      }
      Warnings.add(this, KedaTriggerAuthentication.LITERAL_SECRET_WARNING,
        `Secret "${this.literalSecret.name}" is created from literal values (${Object.keys(literal).join(', ')}): they end up in the ` +
        'manifests and in version control. Create the Secret out of band (sealed-secrets, external-secrets) and use secretTargetRefs.');
    }

    const meta = objectMeta(props.name, cluster ? undefined : props.namespace);
    const spec: TriggerAuthenticationSpec = {
      secretTargetRef: secretTargetRef.length > 0 ? secretTargetRef : undefined,
      env: env.length > 0 ? env : undefined,
      podIdentity: pod ? {
        provider: pod.provider as TriggerAuthenticationSpecPodIdentityProvider,
        roleArn: pod.roleArn,
        identityOwner: pod.identityOwner as unknown as TriggerAuthenticationSpecPodIdentityIdentityOwner | undefined,
        identityId: pod.identityId,
        identityTenantId: pod.identityTenantId,
        identityAuthorityHost: pod.identityAuthorityHost,
      } : undefined,
      hashiCorpVault: vault ? {
        address: vault.address,
        authentication: kedaBindings().TriggerAuthenticationSpecHashiCorpVaultAuthentication.KUBERNETES,
        role: vault.role,
        mount: vault.mount ?? 'kubernetes',
        namespace: vault.namespace,
        credential: vault.serviceAccountName ? { serviceAccountName: vault.serviceAccountName } : undefined,
        secrets: vault.secrets.map(s => ({ parameter: s.parameter, path: s.path, key: s.key })),
      } : undefined,
    };
    // Both kinds share one spec schema; the generated bindings only differ in enum type names.
    const obj = cluster
      ? new (kedaBindings().ClusterTriggerAuthentication)(this, 'Resource', { metadata: meta, spec: spec as any })
      : new (kedaBindings().TriggerAuthentication)(this, 'Resource', { metadata: meta, spec });
    this.apiObject = obj;

    this.authenticationName = obj.name;
    this.authenticationKind = cluster ? AuthenticationKind.CLUSTER_TRIGGER_AUTHENTICATION : AuthenticationKind.TRIGGER_AUTHENTICATION;
    this.authenticationNamespace = cluster ? undefined : (props.namespace ?? obj.metadata.namespace);
    this.parameters = parameters;
  }
}
