/**
 * Simulator speed: `npx ts-node -P tsconfig.dev.json bench/simulate.ts`. Prints the best of several runs of
 * (a) one week of HpaController syncs every 15 s (40,320 syncs) and (b) a one-week Simulator run.
 */
import { HpaController } from '../src/simulate/hpa-controller';
import { Simulator } from '../src/simulate/simulator';
import { DemandPoint, DemandTrace } from '../src/simulate/trace';

const WEEK = 7 * 24 * 3600;
const hpaSpec = {
  minReplicas: 2,
  maxReplicas: 10,
  metrics: [
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    { type: 'Pods', pods: { metric: { name: 'inference_queue_depth' }, target: { type: 'AverageValue', averageValue: '10' } } },
  ],
  behavior: {
    scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
    scaleUp: {
      stabilizationWindowSeconds: 60,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 30 }, { type: 'Pods', value: 2, periodSeconds: 30 }],
    },
  },
};

/** Best wall-clock and CPU milliseconds over `runs` (CPU time is steadier on a shared machine). */
function best(runs: number, fn: () => void): string {
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn();
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  return `${wall.toFixed(1)} ms wall, ${cpu.toFixed(1)} ms CPU`;
}

const syncs = WEEK / 15;
const hpaMs = best(7, () => {
  const hpa = new HpaController(hpaSpec);
  let replicas = 2;
  for (let i = 0; i < syncs; i++) {
    const load = 0.5 - 0.5 * Math.cos(((i * 15) / 86400) * 2 * Math.PI);
    replicas = hpa.sync(i * 15, replicas, [30 + 60 * load, 70, 2 + 25 * load]);
  }
});

const points: DemandPoint[] = [];
for (let t = 0; t < WEEK; t += 300) points.push({ time: t, arrivalsPerSecond: 5 + 55 * (0.5 - 0.5 * Math.cos(((t % 86400) / 86400) * 2 * Math.PI)) });
points.push({ time: WEEK, arrivalsPerSecond: 0 });
const trace = DemandTrace.fromPoints(points);
const simMs = best(5, () => {
  Simulator.run({ horizontalPodAutoscaler: hpaSpec, trace, capacityPerReplica: 10, coldStartSeconds: 90 });
});

console.log(`HpaController: ${syncs} syncs (one week at 15 s) in ${hpaMs} (best of 7)`);
console.log(`Simulator.run: one week, HPA every 15 s, in ${simMs} (best of 5)`);
