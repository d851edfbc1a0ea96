import { IConstruct } from 'constructs';
import { FeatureGate } from './feature-gate';
import { GATE_STAGES, gateStage } from './gate-stages';
import { KUBERNETES_TARGET_SHAPE } from './kubernetes-target-check';
import { DEFAULT_MINOR, OLDEST_MINOR, parseMinor } from './kubernetes-version';
import { TARGET_CONTEXT_KEY, targetAnnotationValues, targetSetAbove } from './target-context';
import { propError } from '../errors';
import { checkProps, checkValue, enumOf, instanceOf, string } from '../validate/check';

/**
 * Which cluster the manifests are for.
 */
export interface KubernetesTargetProps {
  /**
   * The Kubernetes minor version of the cluster: `"1.37"` (`"v1.37"` and `"1.37.2"` are read as 1.37).
   * Feature gates take that version's defaults.
   * @default "1.35" (`KubernetesTarget.DEFAULT_VERSION`): the oldest minor in upstream support
   * today, so the manifests are valid on every supported cluster
   */
  readonly version?: string;

  /**
   * Feature gates your cluster sets differently from the version's defaults, by gate name
   * (e.g. `{ HPAScaleToZero: true }` on a 1.35 cluster that enables the gate early, on both the API
   * server and the kube-controller-manager). Only the gates of `FeatureGate`.
   * @default - every gate at the version's default
   */
  readonly featureGates?: { [gate: string]: boolean };
}


const CONSTRUCT = instanceOf(v => typeof (v as any)?.node?.tryGetContext === 'function', 'construct',
  'pass the app or a chart');

/**
 * The Kubernetes version (and feature gates) the manifests are for. Every version-dependent
 * behaviour of the library reads it: what the constructs accept and render (`minReplicas: 0` on an
 * HPA, `tolerance` in `ScalingRules`), what the guardrails report, and how the simulator's HPA
 * controller decides.
 *
 * Set it once on the app (or on one chart) before adding constructs:
 * `KubernetesTarget.set(app, { version: '1.37' })`. The CLIs take `--kubernetes-version` and
 * `--feature-gates`, `Guardrails.check` and the validation plugin `kubernetesVersion` and `featureGates`.
 */
export class KubernetesTarget {
  /** The default version: the oldest Kubernetes minor in upstream support (1.35 until 2027-02-28). */
  public static readonly DEFAULT_VERSION = `1.${DEFAULT_MINOR}`;

  /** The oldest version the library renders for (autoscaling/v2 HPAs are GA since 1.23). */
  public static readonly OLDEST_VERSION = `1.${OLDEST_MINOR}`;

  /**
   * Sets the target for every construct under `scope` (the app, or one chart). Call it before adding
   * constructs to `scope`: they read the target when they are created.
   *
   * @param scope the app or a chart
   * @param props version and feature gates
   */
  public static set(scope: IConstruct, props: KubernetesTargetProps): KubernetesTarget {
    checkValue('KubernetesTarget.set', 'scope', scope, CONSTRUCT);
    const target = KubernetesTarget.of(scope).with(props, 'KubernetesTarget.set');
    if (scope.node.children.length > 0) {
      throw propError('KubernetesTarget.set', 'scope', scope.node.path || '<app>',
        `already has children (${scope.node.children.map(c => c.node.id).join(', ')}); constructs read the target when they are created`,
        'call KubernetesTarget.set(scope, ...) right after creating the app or chart, before adding constructs to it');
    }
    scope.node.setContext(TARGET_CONTEXT_KEY, target);
    return target;
  }

  /**
   * The target in effect at `scope`: the nearest one set on it or an ancestor, else the default.
   *
   * @param scope any construct
   */
  public static of(scope: IConstruct): KubernetesTarget {
    checkValue('KubernetesTarget.of', 'scope', scope, CONSTRUCT);
    const found = targetSetAbove(scope);
    return found instanceof KubernetesTarget ? found : KubernetesTarget.DEFAULT;
  }

  /**
   * A target without a construct tree (for `Guardrails.check`, the simulator, tests).
   *
   * @param props version and feature gates
   */
  public static forVersion(props: KubernetesTargetProps = {}): KubernetesTarget {
    return KubernetesTarget.DEFAULT.with(props, 'KubernetesTarget.forVersion');
  }

  private static readonly DEFAULT = new KubernetesTarget(DEFAULT_MINOR, {});

  /** The minor version, e.g. `"1.37"`. */
  public readonly version: string;

  /** The minor number, e.g. 37. */
  public readonly minor: number;

  /** The feature gates set explicitly (the others are at the version's default). */
  public readonly featureGates: { [gate: string]: boolean };

  private constructor(minor: number, featureGates: { [gate: string]: boolean }) {
    this.minor = minor;
    this.version = `1.${minor}`;
    this.featureGates = { ...featureGates };
  }

  /**
   * Whether a feature gate is on: the explicit setting if any, else the version's default.
   *
   * @param gate the gate
   */
  public isEnabled(gate: FeatureGate): boolean {
    checkValue('KubernetesTarget.isEnabled', 'gate', gate, enumOf(FeatureGate, 'FeatureGate'));
    const explicit = this.featureGates[gate];
    if (explicit !== undefined) return explicit;
    return gateStage(gate, this.minor)?.enabled ?? false;
  }

  /**
   * Whether the target is `version` or newer.
   *
   * @param version a version such as "1.27"
   */
  public isAtLeast(version: string): boolean {
    checkValue('KubernetesTarget.isAtLeast', 'version', version, string());
    const minor = parseMinor(version);
    if (minor === undefined) throw propError('KubernetesTarget.isAtLeast', 'version', version, 'is not a Kubernetes version', 'write "1.<minor>", e.g. "1.27"');
    return this.minor >= minor;
  }

  /**
   * The annotations that record this target on a rendered autoscaler
   * (`ml-autoscaling.io/kubernetes-version`, and `ml-autoscaling.io/feature-gates` when gates are set),
   * which `lint` and the validation plugin read when not told a version.
   */
  public toAnnotations(): { [key: string]: string } {
    return targetAnnotationValues(this.version, this.featureGates);
  }

  /** How the target reads in messages: `Kubernetes 1.35` or `Kubernetes 1.35 with HPAScaleToZero=true`. */
  public toString(): string {
    const gates = Object.entries(this.featureGates).map(([g, on]) => `${g}=${on}`);
    return `Kubernetes ${this.version}${gates.length > 0 ? ` with ${gates.join(',')}` : ''}`;
  }

  /** This target with `props` applied: a new version resets the explicit gates unless `props` gives them. */
  private with(props: KubernetesTargetProps, scope: string): KubernetesTarget {
    checkProps(scope, 'KubernetesTargetProps', KUBERNETES_TARGET_SHAPE, props);
    const minor = props.version !== undefined ? parseMinor(props.version)! : this.minor;
    const gates = props.featureGates ?? (props.version !== undefined ? {} : this.featureGates);
    for (const [gate, on] of Object.entries(gates)) {
      const stages = GATE_STAGES[gate as FeatureGate];
      if (on && minor < stages[0].minor) {
        throw propError(scope, `featureGates.${gate}`, on,
          `does not exist in Kubernetes 1.${minor} (it was added in 1.${stages[0].minor})`,
          `remove it, or set version to "1.${stages[0].minor}" or later if the cluster runs it`);
      }
      const stage = gateStage(gate as FeatureGate, minor);
      if (stage?.locked && on !== stage.enabled) {
        throw propError(scope, `featureGates.${gate}`, on,
          `cannot be ${on ? 'enabled' : 'disabled'} in Kubernetes 1.${minor}: the gate is GA there and locked to ${stage.enabled}`,
          `remove it (or set version to the cluster's real version if it is older than 1.${minor})`);
      }
    }
    return new KubernetesTarget(minor, gates);
  }
}
