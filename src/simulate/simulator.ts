import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { addonHoldingOf, withAddOnTargets } from './addon-route';
import { findTarget, TargetArgs } from './find-target';
import { hpaV2FromV1 } from './hpa-v1';
import { simulationOptionsCheck, simulationPropsShape } from './options-check';
import { Simulation } from './simulation';
import { SimulationOptions, SimulationProps, SimulationResult } from './simulation-types';
import { targetDeclaredBy } from '../kubernetes/declared-target';
import { checkProps, checkValue, fail, instanceOf } from '../validate/check';

/**
 * Replays a demand trace through the exact HPA/KEDA controllers and a simple queueing model of the workload.
 *
 * The model: ready replicas each complete `capacityPerReplica` items per second (`concurrencyPerReplica`
 * items at once, `serviceTimeSeconds` each); excess demand waits in
 * one FIFO queue (nothing is dropped; with no replica ready, all of it waits); new pods become ready
 * `coldStartSeconds` after creation; scale-down removes starting pods first, as a ReplicaSet does.
 * Controllers read metrics derived from this state. The HPA controller is the one of the Kubernetes
 * version in `kubernetesVersion` (with `featureGates`), including scale to and from zero.
 */
export class Simulator {
  /**
   * Runs one simulation.
   */
  public static run(props: SimulationProps): SimulationResult {
    const site = { scope: 'Simulator.run', prop: 'horizontalPodAutoscaler' };
    const hpa = props !== null && typeof props === 'object' ? hpaV2FromV1(props.horizontalPodAutoscaler, site) : undefined;
    const checked = hpa !== props?.horizontalPodAutoscaler ? { ...props, horizontalPodAutoscaler: hpa } : props;
    checkProps('Simulator.run', 'SimulationProps', simulationPropsShape(), checked);
    return new Simulation(checked, 'Simulator.run', '').run();
  }

  /**
   * Simulates the autoscaler of workload `target` found in `manifests` (e.g. `Yaml.load(file)` or
   * `Testing.synth(chart)`), reading GPUs per pod, CPU/memory requests, the model load time and the
   * model server's metrics (the `ml-autoscaling.io/server-metrics` annotation) from the workload, and
   * the request holding of a KEDA HTTP add-on `HTTPScaledObject` or `InterceptorRoute` routing to it
   * (its per-route timeout), unless `options.requestHolding` is given.
   */
  public static fromManifests(manifests: any[], target: string, options: SimulationOptions): SimulationResult {
    return Simulator.runManifests({ site: 'Simulator.fromManifests', manifests: 'manifests', name: 'target' }, manifests, target, options);
  }

  /**
   * Simulates a construct as it will be deployed: e.g. a `GpuInferenceService`, `HybridMlService` or a
   * consumer-mode `QueueBatchWorker`. Reads the rendered objects of its chart (what `cdk8s synth`
   * writes) and simulates the autoscaler of the construct's workload (its `Resource` child), for the
   * construct's `KubernetesTarget` unless `options` give `kubernetesVersion` or `featureGates`.
   */
  public static fromConstruct(construct: IConstruct, options: SimulationOptions): SimulationResult {
    checkValue('Simulator.fromConstruct', 'construct', construct, instanceOf(v => Construct.isConstruct(v), 'Construct',
      'pass the construct whose workload to simulate, e.g. a GpuInferenceService'));
    checkValue('Simulator.fromConstruct', 'options', options, simulationOptionsCheck());
    let workload: ApiObject;
    try {
      workload = ApiObject.of(construct);
    } catch (e) {
      fail({ scope: 'Simulator.fromConstruct', prop: 'construct' }, construct.node.path, `has no workload to simulate (${(e as Error).message})`,
        'pass a construct with a workload child called "Resource", e.g. a GpuInferenceService or HybridMlService');
    }
    const manifests = Chart.of(construct).node.findAll()
      .filter(c => ApiObject.isApiObject(c))
      .map(c => (c as ApiObject).toJson());
    // The construct's KubernetesTarget reaches the run through its autoscaler's annotations (read in runManifests).
    return Simulator.runManifests({ site: 'Simulator.fromConstruct', manifests: 'construct', name: 'construct' }, manifests, workload.name, options);
  }

  private static runManifests(args: TargetArgs, manifests: any[], target: string, options: SimulationOptions): SimulationResult {
    const site = args.site;
    checkValue(site, 'options', options, simulationOptionsCheck());
    const found = findTarget(args, manifests, target);
    const scaledObject = found.scaledObject;
    const autoscaler = scaledObject ?? found.horizontalPodAutoscaler;
    const autoscalerProp = `${args.manifests}(${autoscaler?.kind}/${autoscaler?.metadata?.name})`;
    const hpa = hpaV2FromV1(found.horizontalPodAutoscaler, { scope: site, prop: autoscalerProp });
    const containers: any[] | undefined = found.workload !== undefined && Array.isArray(found.workload?.spec?.template?.spec?.containers)
      ? found.workload.spec.template.spec.containers : undefined;
    // The cluster the manifests declare (written by the constructs for a KubernetesTarget set in the app),
    // unless the options name one.
    const declared = clusterGiven(options) ? undefined : targetDeclaredBy(autoscaler);
    // The KEDA HTTP add-on's request holding in front of the workload, unless the options say.
    const objects = manifests.flatMap(m => (m && m.kind === 'List' && Array.isArray(m.items) ? m.items : [m]));
    const addon = options.requestHolding !== undefined ? { holding: undefined, warnings: [] as string[] }
      : addonHoldingOf(objects, found.workloadName, found.workload, site, args.manifests);
    // The add-on's scaler reports its route's target per replica, which the trigger does not carry.
    const addOnTargets = withAddOnTargets(scaledObject, objects, addon.warnings);
    return new Simulation({
      ...options,
      ...(declared ? { kubernetesVersion: declared.version, featureGates: declared.featureGates } : {}),
      horizontalPodAutoscaler: hpa,
      scaledObject: addOnTargets.scaledObject,
      signals: { ...addOnTargets.signals, ...options.signals },
      gpusPerReplica: found.gpusPerReplica,
      cpuRequestCores: found.cpuRequestCores > 0 ? found.cpuRequestCores : undefined,
      memoryRequestBytes: found.memoryRequestBytes > 0 ? found.memoryRequestBytes : undefined,
      coldStartSeconds: options.coldStartSeconds ?? found.modelLoadSeconds ?? found.readinessDelaySeconds ?? 0,
      requestHolding: options.requestHolding ?? addon.holding,
    }, site, 'options.', autoscalerProp, containers?.map(c => String(c?.name)), found.serverMetrics, addon.warnings).run();
  }
}

/** Whether the options name the cluster (on the simulation or in `hpaOptions`). */
function clusterGiven(options: SimulationOptions): boolean {
  return options.kubernetesVersion !== undefined || options.featureGates !== undefined ||
    options.hpaOptions?.kubernetesVersion !== undefined || options.hpaOptions?.featureGates !== undefined;
}
