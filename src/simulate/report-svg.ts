import { REPORT_OPTIONS, simulationResultCheck } from './options-check';
import { SimulationResult, TimelinePoint } from './simulation-types';
import { checkProps, checkValue } from '../validate/check';
import { xmlEscape as esc } from '../xml-escape';

/**
 * How a report is drawn.
 */
export interface ReportOptions {
  /**
   * The chart's title.
   * @default "Scaling simulation"
   */
  readonly title?: string;
  /**
   * A line under the title (e.g. the autoscaler and the workload model).
   * @default - none
   */
  readonly subtitle?: string;
  /**
   * Items per second one ready replica completes; draws the ready capacity next to the demand.
   * @default - no capacity line
   */
  readonly capacityPerReplica?: number;
}

const WIDTH = 960;
const LEFT = 70;
const RIGHT = 64;
const PLOT_W = WIDTH - LEFT - RIGHT;
const COLORS = {
  demand: '#3b82f6',
  capacity: '#16a34a',
  desired: '#f97316',
  ready: '#1e3a8a',
  queue: '#dc2626',
  wait: '#7c3aed',
  grid: '#e5e7eb',
  axis: '#6b7280',
  text: '#111827',
};

/**
 * Renders simulation results: a CSV timeline, a text summary and an SVG chart.
 */
export class SimulationReport {
  /**
   * The timeline as CSV: `time,arrivals,desired_replicas,ready_replicas,queue_depth,utilization_percent,wait_seconds`
   * (and `active` for a ScaledObject).
   */
  public static toCsv(result: SimulationResult): string {
    checkValue('SimulationReport.toCsv', 'result', result, simulationResultCheck());
    const hasActive = result.timeline.some(r => r.active !== undefined);
    const header = ['time', 'arrivals', 'desired_replicas', 'ready_replicas', 'queue_depth', 'utilization_percent', 'wait_seconds',
      ...(hasActive ? ['active'] : [])];
    const lines = result.timeline.map(r => [
      fmt(r.time), fmt(r.arrivalsPerSecond), String(r.desiredReplicas), String(r.readyReplicas), fmt(r.queueDepth),
      fmt(r.utilizationPercent), fmt(r.waitSeconds), ...(hasActive ? [r.active ? '1' : '0'] : []),
    ].join(','));
    return [header.join(','), ...lines].join('\n') + '\n';
  }

  /**
   * The summary as lines of text for a terminal.
   */
  public static summaryText(result: SimulationResult): string {
    checkValue('SimulationReport.summaryText', 'result', result, simulationResultCheck());
    const s = result.summary;
    const lines = [
      `simulated          ${duration(s.durationSeconds)}`,
      `items              ${round(s.itemsArrived)} arrived, ${round(s.itemsServed)} served, ${round(s.itemsQueuedAtEnd)} still queued`,
      `queue              max ${round(s.maxQueueDepth)} items`,
      `queue wait         max ${secs(s.maxQueueWaitSeconds)}, p95 ${secs(s.p95QueueWaitSeconds)}`,
      ...(s.latencyTargetSeconds !== undefined
        ? [`over target        ${duration(s.secondsOverLatencyTarget)} with waits above ${secs(s.latencyTargetSeconds)}`] : []),
      `replicas           ${s.lowestReplicas}..${s.peakReplicas}, ${s.scaleEvents} scale events`,
      ...(s.podColdStartSeconds !== undefined
        ? [`pod cold start     ${secs(s.podColdStartSeconds)} from creation to Ready, ${s.podsStarted ?? 0} pods started ` +
          '(production: ml_autoscaling:cold_start_seconds:p95)'] : []),
      ...(s.coldStartsFromZero > 0
        ? [`cold starts        ${s.coldStartsFromZero} from zero ready replicas, first ready pod after max ${secs(s.maxTimeToFirstReadySeconds)}; ` +
          `${round(s.itemsWaitedThroughColdStarts)} items waited through them`] : []),
      ...(s.requestsFailed !== undefined
        ? [`held requests      ${round(s.requestsHeld ?? 0)} held while no pod was ready, ${round(s.requestsFailed)} failed; ` +
          `first request after idle waited max ${secs(s.firstRequestWaitAfterIdleSeconds ?? 0)}`] : []),
      `replica-hours      ${s.replicaHours.toFixed(2)}`,
      `GPU-hours          ${s.gpuHours.toFixed(2)}`,
      ...(s.warnings ?? []).map(w => `warning            ${w}`),
    ];
    return lines.join('\n');
  }

  /**
   * A chart of demand (and ready capacity), desired and ready replicas, and the queue with its wait, over time.
   */
  public static toSvg(result: SimulationResult, options: ReportOptions = {}): string {
    checkValue('SimulationReport.toSvg', 'result', result, simulationResultCheck());
    checkProps('SimulationReport.toSvg', 'ReportOptions', REPORT_OPTIONS, options, true);
    const rows = result.timeline;
    const title = options.title ?? 'Scaling simulation';
    const end = Math.max(result.summary.durationSeconds, rows.length > 0 ? rows[rows.length - 1].time : 1, 1);
    const x = (t: number): number => LEFT + (t / end) * PLOT_W;
    const out: string[] = [];
    const panelH = 150;
    const gap = 58;
    const top = options.subtitle ? 112 : 92;
    const height = top + 3 * panelH + 2 * gap + 64;
    out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
      'font-family="Helvetica, Arial, sans-serif" font-size="12">');
    out.push(`<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
    out.push(`<text x="${LEFT}" y="30" font-size="20" font-weight="bold" fill="${COLORS.text}">${esc(title)}</text>`);
    const s = result.summary;
    if (options.subtitle) out.push(`<text x="${LEFT}" y="52" font-size="13" fill="${COLORS.text}">${esc(options.subtitle)}</text>`);
    out.push(`<text x="${LEFT}" y="${options.subtitle ? 72 : 52}" font-size="13" fill="${COLORS.axis}">` +
      esc(`p95 queue wait ${secs(s.p95QueueWaitSeconds)} · max ${secs(s.maxQueueWaitSeconds)} · ` +
      (s.latencyTargetSeconds !== undefined ? `${duration(s.secondsOverLatencyTarget)} over ${secs(s.latencyTargetSeconds)} · ` : '') +
      `${s.lowestReplicas}–${s.peakReplicas} replicas, ${s.scaleEvents} scale events · ` +
      (s.coldStartsFromZero > 0
        ? `${s.coldStartsFromZero} cold start${s.coldStartsFromZero === 1 ? '' : 's'} from zero, first ready after max ${secs(s.maxTimeToFirstReadySeconds)} · ` : '') +
      (s.requestsFailed !== undefined ? `${round(s.requestsHeld ?? 0)} held, ${round(s.requestsFailed)} failed · ` : '') +
      `${s.replicaHours.toFixed(1)} replica-h · ${s.gpuHours.toFixed(1)} GPU-h`) +
      '</text>');

    const ticks = timeTicks(end);
    const panels: Array<{ name: string; unit: string; series: Series[]; right?: Series; rightUnit?: string }> = [
      {
        name: 'Demand',
        unit: 'items/s',
        series: [
          { label: 'demand (arrivals/s)', color: COLORS.demand, values: rows.map(r => r.arrivalsPerSecond), area: true, step: true },
          ...(options.capacityPerReplica !== undefined
            ? [{ label: 'ready capacity', color: COLORS.capacity, values: rows.map(r => r.readyReplicas * options.capacityPerReplica!), dashed: true, step: true }]
            : []),
        ],
      },
      {
        name: 'Replicas',
        unit: 'pods',
        series: [
          { label: 'ready replicas', color: COLORS.ready, values: rows.map(r => r.readyReplicas), area: true, step: true },
          { label: 'desired replicas', color: COLORS.desired, values: rows.map(r => r.desiredReplicas), step: true, width: 2.5 },
        ],
      },
      {
        name: 'Queue',
        unit: 'items',
        series: [{ label: 'queue depth', color: COLORS.queue, values: rows.map(r => r.queueDepth), area: true }],
        right: { label: 'wait of an arriving item (s)', color: COLORS.wait, values: rows.map(r => r.waitSeconds), width: 1.4 },
        rightUnit: 'seconds',
      },
    ];

    panels.forEach((panel, p) => {
      const y0 = top + p * (panelH + gap);
      const maxValue = Math.max(1e-9, ...panel.series.map(se => maxOf(se.values)));
      const yTicks = niceTicks(maxValue, panel.unit === 'pods');
      const yMax = yTicks[yTicks.length - 1];
      const y = (v: number): number => y0 + panelH - (v / yMax) * panelH;
      out.push(`<g class="panel" id="panel-${panel.name.toLowerCase()}">`);
      out.push(`<text x="${LEFT}" y="${y0 - 12}" font-size="14" font-weight="bold" fill="${COLORS.text}">${panel.name}</text>`);
      for (const tv of yTicks) {
        out.push(`<line x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${f(y(tv))}" y2="${f(y(tv))}" stroke="${COLORS.grid}"/>`);
        out.push(`<text x="${LEFT - 8}" y="${f(y(tv) + 4)}" text-anchor="end" fill="${COLORS.axis}">${esc(tickLabel(tv))}</text>`);
      }
      for (const t of ticks.values) out.push(`<line x1="${f(x(t))}" x2="${f(x(t))}" y1="${y0}" y2="${y0 + panelH}" stroke="${COLORS.grid}"/>`);
      out.push(`<text transform="translate(${LEFT - 48},${y0 + panelH / 2}) rotate(-90)" text-anchor="middle" fill="${COLORS.axis}">${panel.unit}</text>`);
      for (const se of panel.series) out.push(...drawSeries(se, rows, x, y, y0 + panelH));
      const right = panel.right;
      const target = result.summary.latencyTargetSeconds;
      if (right && (maxOf(right.values) > 0 || target !== undefined)) {
        const rTicks = niceTicks(Math.max(maxOf(right.values), target ?? 0), false);
        const rMax = rTicks[rTicks.length - 1];
        const ry = (v: number): number => y0 + panelH - (v / rMax) * panelH;
        for (const tv of rTicks) {
          out.push(`<text x="${LEFT + PLOT_W + 8}" y="${f(ry(tv) + 4)}" fill="${right.color}">${esc(tickLabel(tv))}</text>`);
        }
        out.push(`<text transform="translate(${LEFT + PLOT_W + 50},${y0 + panelH / 2}) rotate(90)" text-anchor="middle" fill="${right.color}">${panel.rightUnit}</text>`);
        out.push(...drawSeries(right, rows, x, ry, y0 + panelH));
        if (target !== undefined) {
          out.push(`<line class="latency-target" x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${f(ry(target))}" y2="${f(ry(target))}" ` +
            `stroke="${right.color}" stroke-dasharray="2 3" stroke-width="1"/>`);
          out.push(`<text x="${LEFT + PLOT_W - 4}" y="${f(ry(target) - 4)}" text-anchor="end" fill="${right.color}">` +
            `latency target ${esc(secs(target))}</text>`);
        }
      }
      out.push(`<line x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${y0 + panelH}" y2="${y0 + panelH}" stroke="${COLORS.axis}"/>`);
      out.push(`<line x1="${LEFT}" x2="${LEFT}" y1="${y0}" y2="${y0 + panelH}" stroke="${COLORS.axis}"/>`);
      // Legend, right-aligned above the panel.
      let lx = LEFT + PLOT_W;
      const legend = [...panel.series, ...(right && (maxOf(right.values) > 0 || target !== undefined) ? [right] : [])];
      for (const se of legend.reverse()) {
        const w = se.label.length * 6.6 + 30;
        lx -= w;
        const glyph = se.area
          ? `<rect x="${f(lx)}" y="${y0 - 22}" width="16" height="10" fill="${se.color}" fill-opacity="0.3" stroke="${se.color}"/>`
          : `<line x1="${f(lx)}" x2="${f(lx + 16)}" y1="${y0 - 17}" y2="${y0 - 17}" stroke="${se.color}" stroke-width="${se.width ?? 2}"` +
            `${se.dashed ? ' stroke-dasharray="4 2"' : ''}/>`;
        out.push(`<g class="legend">${glyph}<text x="${f(lx + 21)}" y="${y0 - 13}" fill="${COLORS.text}">${esc(se.label)}</text></g>`);
      }
      out.push('</g>');
    });

    const axisY = top + 3 * panelH + 2 * gap;
    for (const t of ticks.values) {
      out.push(`<text x="${f(x(t))}" y="${axisY + 18}" text-anchor="middle" fill="${COLORS.axis}">${esc(ticks.label(t))}</text>`);
    }
    out.push(`<text x="${LEFT + PLOT_W / 2}" y="${axisY + 40}" text-anchor="middle" fill="${COLORS.axis}">time (${ticks.unit})</text>`);
    out.push('</svg>');
    return out.join('\n') + '\n';
  }
}

interface Series {
  readonly label: string;
  readonly color: string;
  readonly values: number[];
  readonly area?: boolean;
  readonly step?: boolean;
  readonly dashed?: boolean;
  readonly width?: number;
}

/** Draws one series, reduced to at most one min/max pair per pixel column so large runs stay small. */
function drawSeries(se: Series, rows: TimelinePoint[], x: (t: number) => number, y: (v: number) => number, baseY: number): string[] {
  const pts: Array<[number, number]> = [];
  let column = -1;
  let colMin = 0;
  let colMax = 0;
  let colFirst = 0;
  let colLast = 0;
  const flush = (): void => {
    if (column < 0) return;
    pts.push([column, colFirst]);
    if (colMax !== colFirst && colMax !== colLast) pts.push([column, colMax]);
    if (colMin !== colFirst && colMin !== colLast) pts.push([column, colMin]);
    if (colLast !== colFirst) pts.push([column, colLast]);
  };
  rows.forEach((r, i) => {
    const v = se.values[i];
    const cx = Math.round(x(r.time) * 2) / 2;
    if (cx !== column) {
      flush();
      column = cx;
      colMin = colMax = colFirst = colLast = v;
    } else {
      colMin = Math.min(colMin, v);
      colMax = Math.max(colMax, v);
      colLast = v;
    }
  });
  flush();
  if (pts.length === 0) return [];
  const path: string[] = [];
  pts.forEach(([px, v], i) => {
    if (i === 0) {
      path.push(`M${f(px)},${f(y(v))}`);
    } else if (se.step) {
      path.push(`H${f(px)}V${f(y(v))}`);
    } else {
      path.push(`L${f(px)},${f(y(v))}`);
    }
  });
  const lastX = x(rows[rows.length - 1].time);
  const line = path.join('') + (se.step ? `H${f(lastX)}` : '');
  const out: string[] = [];
  if (se.area) {
    out.push(`<path class="area" d="${line}V${f(baseY)}H${f(pts[0][0])}Z" fill="${se.color}" fill-opacity="0.18" stroke="none"/>`);
  }
  out.push(`<path class="series" data-series="${esc(se.label)}" d="${line}" fill="none" stroke="${se.color}" ` +
    `stroke-width="${se.width ?? 1.6}"${se.dashed ? ' stroke-dasharray="6 3"' : ''} stroke-linejoin="round"/>`);
  return out;
}

function maxOf(values: number[]): number {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** 0 and 4-6 round steps (1, 2, 5 x 10^k) covering max. */
function niceTicks(max: number, integers: boolean): number[] {
  const raw = max / 4;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw) ?? 10 * mag;
  if (integers) step = Math.max(1, Math.ceil(step));
  const ticks: number[] = [];
  for (let v = 0; v < max + step - 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks.length < 2) ticks.push(step);
  return ticks;
}

function timeTicks(end: number): { unit: string; values: number[]; label: (t: number) => string } {
  const [unit, div] = end <= 2 * 3600 ? ['minutes', 60] : end <= 3 * 86400 ? ['hours', 3600] : ['days', 86400];
  const span = end / div;
  const step = ([1, 2, 5, 10, 15, 20, 30, 60].find(s => span / s <= 12) ?? Math.ceil(span / 10)) * div;
  const values: number[] = [];
  for (let t = 0; t <= end + 1e-9; t += step) values.push(t);
  return { unit, values, label: t => tickLabel(t / div) };
}

function tickLabel(v: number): string {
  if (v >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (v >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Number(v.toPrecision(4)));
}

function f(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3)));
}

function round(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

function secs(v: number): string {
  return v < 10 ? `${v.toFixed(1)} s` : `${Math.round(v)} s`;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

