/**
 * The buffered chat service of examples/request-buffering.ts on the bursty trace with idle gaps
 * (examples/traces/bursty-idle.csv: 8 hours, five bursts, idle for up to 90 minutes in between),
 * scaled to zero by KEDA on the add-on's request count, with four ways of holding the first requests
 * of each cold start. Prints the README's table: `npx ts-node -P tsconfig.dev.json examples/compare-request-buffering.ts`.
 *
 * The workload model: a replica runs 32 requests at once (`--max-num-seqs 32`), 16 s each (2 requests/s),
 * and takes 120 s to load its model. The simulator reads the hold from the InterceptorRoute (the last row)
 * unless `requestHolding` names another.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { BufferedScaleToZeroChart } from './request-buffering';
import { DemandTrace, RequestHolding, SimulationResult, Simulator } from '../src';

const SIMULATION = {
  trace: DemandTrace.fromCsv(fs.readFileSync(path.join(__dirname, 'traces', 'bursty-idle.csv'), 'utf8')),
  concurrencyPerReplica: 32,
  serviceTimeSeconds: 16,
};

function run(requestHolding?: RequestHolding): SimulationResult {
  const chart = new BufferedScaleToZeroChart(Testing.app(), 'chat');
  return Simulator.fromConstruct(chart.service, { ...SIMULATION, ...(requestHolding ? { requestHolding } : {}) });
}

/** The comparison as Markdown table lines (the README shows them; a test keeps them equal). */
export function requestBufferingComparison(): string[] {
  const rows: [string, SimulationResult][] = [
    ['no holder: clients call the Service directly', run({ enabled: false })],
    ['held 20 s (the add-on\'s wait up to v0.13, and wherever KEDA_CONDITION_WAIT_TIMEOUT is still set)', run({ timeoutSeconds: 20 })],
    ['held 60 s (a 60 s client or proxy timeout)', run({ timeoutSeconds: 60 })],
    ['held 210 s (the library\'s timeouts.readiness: load, startup headroom, scheduling)', run()],
  ];
  const lines = ['| Requests at a cold start | replicas | cold starts from zero | requests held | requests failed | first request\'s wait | p95 wait |',
    '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const [name, r] of rows) {
    const m = r.summary;
    const n = (x: number | undefined) => Math.round(x ?? 0).toLocaleString('en-US');
    lines.push(`| ${name} | ${m.lowestReplicas}..${m.peakReplicas} | ${m.peakReplicas > 0 ? m.coldStartsFromZero : '-'} | ${n(m.requestsHeld)} | ${n(m.requestsFailed)} | ` +
      `${Math.round(m.firstRequestWaitAfterIdleSeconds ?? 0)} s | ${Math.round(m.p95QueueWaitSeconds)} s |`);
  }
  return lines;
}

if (require.main === module) console.log(requestBufferingComparison().join('\n'));
