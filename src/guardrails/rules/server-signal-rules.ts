/**
 * Rules about targets and activation of model-server signals (series a server exports only while
 * its pods run): a queue-size target of 0, a KEDA activation above the threshold, and scale to zero
 * with nothing that exists at zero to wake the workload.
 */
import { SignalKind } from '../../model-server/server-catalog';
import { GuardrailSeverity } from '../finding';
import { Autoscaler, HPA, SCALED_OBJECT, hpaMetrics, nameOf, nsFlag, triggersOf } from '../manifest';
import {
  SeriesReading, SignalRead, autoscalerReads, exporterOf, numberOf, quantityOf, workloadServer,
} from '../model-server-facts';
import { RawFinding, Rule, RuleContext } from '../rule';

function confirmScaledObject(obj: any): string {
  return `kubectl get scaledobject ${nameOf(obj)}${nsFlag(obj)} -o jsonpath='{.status.conditions}'`;
}

/** A catalog or declared series: one a model server (or the DCGM exporter, for its pods) exports while the pods run. */
function isServerSeries(k: SeriesReading): boolean {
  return k.via === 'catalog' || k.via === 'declared';
}

function seriesList(readings: readonly SeriesReading[]): string {
  return [...new Set(readings.map(k => k.name))].join(', ');
}

/** The workload an autoscaler scales and what its metrics or triggers read. */
function readsOf(ctx: RuleContext, a: Autoscaler): { w: any; reads: SignalRead[] } {
  const w = ctx.index.targetOf(a);
  return { w, reads: autoscalerReads(ctx.index, a, w) };
}

export const queueTargetZero: Rule = {
  id: 'ML-E-SERVER-QUEUE-TARGET-ZERO',
  severity: GuardrailSeverity.ERROR,
  title: 'A model server\'s queue size is scaled with a target (HPA averageValue/value, KEDA threshold) of 0 or less',
  rationale: 'The target is the waiting requests one replica may hold: with 0 any waiting request is infinitely above ' +
    'target, so the autoscaler would ask for the maximum at the first request and hold it. The API server rejects it ' +
    '(an HPA target must be positive), and so it rejects the HPA KEDA generates from a threshold of 0: nothing scales.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (let ix = 0; ix < ctx.index.autoscalers.length; ix++) {
      const a = ctx.index.autoscalers[ix];
      if (a.kind !== HPA && a.kind !== SCALED_OBJECT) continue;
      const { reads } = readsOf(ctx, a);
      for (const r of reads) {
        const queue = r.known.filter(k => k.signal === SignalKind.QUEUE_SIZE);
        if (r.kind !== 'series' || queue.length === 0 || r.target === undefined) continue;
        const value = a.kind === HPA ? quantityOf(r.target) : numberOf(r.target);
        if (value === undefined || value > 0) continue;
        const field = r.targetLocation!.split('.').pop();
        out.push({
          obj: a.obj,
          location: r.targetLocation,
          problem: `scales on the queue size ${seriesList(queue)} with ${field} ${JSON.stringify(r.target)}: a target of ` +
            `${value < 0 ? 'less than ' : ''}0 waiting requests per replica asks for infinite replicas (the maximum at the ` +
            'first waiting request), and ' + (a.kind === HPA
            ? `the API server rejects the HPA (${field}: must be positive), so the workload is not autoscaled`
            : 'KEDA turns the threshold into the target of the HPA it generates, which the API server rejects (must be ' +
              'positive), so the ScaledObject never scales'),
          fix: `set ${field} to the waiting requests one replica may hold, starting at 3-5 (GKE's best practices for ` +
            'autoscaling LLM inference), e.g. "5"; to keep spare replicas at an empty queue, raise the minimum instead',
          confirm: a.kind === HPA ? `kubectl describe hpa ${nameOf(a.obj)}${nsFlag(a.obj)}` : confirmScaledObject(a.obj),
        });
      }
    }
    return out;
  },
};

/** Whether a ScaledObject can reach zero replicas, and the field that says so. */
function zeroFloor(a: Autoscaler): { location: string; text: string } | undefined {
  if (a.min === 0) return { location: 'spec.minReplicaCount', text: `minReplicaCount ${a.minWritten ? '0' : '0 (default)'}` };
  if (numberOf(a.obj.spec?.idleReplicaCount) === 0) return { location: 'spec.idleReplicaCount', text: 'idleReplicaCount 0' };
  return undefined;
}

export const activationAboveThreshold: Rule = {
  id: 'ML-E-ACTIVATION-ABOVE-THRESHOLD',
  severity: GuardrailSeverity.ERROR,
  title: 'A KEDA trigger on a model-server signal has an activationThreshold above its threshold',
  rationale: 'A server\'s series exist only while its pods run, so the activation never wakes the workload (at zero ' +
    'there is nothing to read): it only decides the 1 -> 0 step. Above the threshold it lets KEDA scale to zero while ' +
    'one replica still holds more than its target: the service parks at zero with work waiting. With a minimum of 1 or ' +
    'more KEDA ignores the activation, and the same value breaks scale to zero the day the minimum drops.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (let ix = 0; ix < ctx.index.autoscalers.length; ix++) {
      const a = ctx.index.autoscalers[ix];
      if (a.kind !== SCALED_OBJECT) continue;
      const triggers = triggersOf(a.obj);
      const { reads } = readsOf(ctx, a);
      reads.forEach((r, i) => {
        const server = r.known.filter(isServerSeries);
        if (r.kind !== 'series' || server.length === 0) return;
        const activation = numberOf(triggers[i]?.metadata?.activationThreshold);
        const threshold = numberOf(triggers[i]?.metadata?.threshold);
        if (activation === undefined || threshold === undefined || activation <= threshold) return;
        const w = ctx.index.targetOf(a);
        const exporter = exporterOf(server[0], workloadServer(ctx.index, w));
        const floor = zeroFloor(a);
        out.push({
          obj: a.obj,
          location: `${r.location}.metadata.activationThreshold`,
          problem: `activationThreshold ${JSON.stringify(triggers[i].metadata.activationThreshold)} is above threshold ` +
            `${JSON.stringify(triggers[i].metadata.threshold)} on ${seriesList(server)}, which ${exporter} exports only while ` +
            'the pods run, so the activation never wakes the workload and only decides the 1 -> 0 step: ' + (floor
            ? `with ${floor.text} KEDA scales to zero while one replica still has up to ${activation} waiting, more than ` +
              `its target of ${threshold}, and parks there`
            : `KEDA ignores it while minReplicaCount is ${a.min}, and it parks the service at zero with up to ${activation} ` +
              `waiting (target ${threshold}) once the minimum is 0`),
          fix: 'set activationThreshold to at most the threshold (e.g. "0": any waiting request keeps a replica), or delete it',
          confirm: confirmScaledObject(a.obj),
        });
      });
    }
    return out;
  },
};

export const serverSignalCannotWake: Rule = {
  id: 'ML-E-SERVER-SIGNAL-CANNOT-WAKE',
  severity: GuardrailSeverity.ERROR,
  title: 'A workload scales to zero on model-server signals only (queue, batch, KV cache, GPU metrics of its pods, with cpu/memory)',
  rationale: 'A model server\'s series (and the GPU metrics of its pods) exist only while its pods run: at zero replicas ' +
    'the query returns no series (KEDA reads it as 0 with ignoreNullValues, the default; an HPA has no value), so ' +
    'nothing wakes the workload and requests wait forever. Unlike ML-E-CPU-MEMORY-SCALE-TO-ZERO, KEDA and the API ' +
    'server accept it: it fails silently, at the first idle period.',
  check(ctx: RuleContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (let ix = 0; ix < ctx.index.autoscalers.length; ix++) {
      const a = ctx.index.autoscalers[ix];
      if (a.kind === SCALED_OBJECT) {
        const floor = zeroFloor(a);
        if (!floor) continue;
        const { w, reads } = readsOf(ctx, a);
        const series = reads.filter(r => r.kind === 'series');
        if (series.length === 0 || !reads.every(r => r.kind === 'cpu' || r.kind === 'memory' ||
          (r.kind === 'series' && r.known.length > 0 && r.unknown.length === 0))) continue;
        const known = series.flatMap(r => r.known);
        const server = workloadServer(ctx.index, w);
        const others = reads.filter(r => r.kind !== 'series').map(r => r.kind);
        out.push({
          obj: a.obj,
          location: floor.location,
          problem: `${floor.text} but every trigger reads ${seriesList(known)}` +
            (others.length ? ` (or ${[...new Set(others)].join('/')})` : '') + `, which ${exporterOf(known[0], server)} ` +
            'exports only while the pods run: at zero pods the query returns no series (read as 0 with ignoreNullValues, ' +
            'the default), so nothing wakes the workload once it is at zero',
          fix: 'add a trigger on a signal that exists at zero: the request queue in front of the server (e.g. the KEDA ' +
            'HTTP add-on\'s request count, a gateway\'s pending requests) or an external queue\'s length; or ' +
            `${floor.location === 'spec.idleReplicaCount' ? 'delete spec.idleReplicaCount' : 'spec.minReplicaCount: 1'}`,
          confirm: confirmScaledObject(a.obj),
        });
      } else if (a.kind === HPA && a.minWritten && a.min === 0) {
        const { w, reads } = readsOf(ctx, a);
        const metrics = hpaMetrics(a.obj);
        // Object/External metrics are what can wake an HPA at zero (without any, ML-E-HPA-ZERO-WITHOUT-EXTERNAL-METRIC)
        const wakers = reads.filter((_r, i) => metrics[i]?.m?.type === 'Object' || metrics[i]?.m?.type === 'External');
        if (wakers.length === 0 || !wakers.every(r => r.known.length > 0 && r.unknown.length === 0)) continue;
        const known = wakers.flatMap(r => r.known);
        out.push({
          obj: a.obj,
          location: 'spec.minReplicas',
          problem: `minReplicas is 0 but its Object/External metrics read only ${seriesList(known)}, which ` +
            `${exporterOf(known[0], workloadServer(ctx.index, w))} exports only while the pods run: at zero pods ` +
            'the metric has no value, so nothing wakes the workload once it is at zero',
          fix: 'add an External metric that exists at zero (the queue or gateway in front of the server, an external ' +
            'queue\'s length), or set minReplicas: 1',
          confirm: `kubectl describe hpa ${nameOf(a.obj)}${nsFlag(a.obj)}`,
        });
      }
    }
    return out;
  },
};
