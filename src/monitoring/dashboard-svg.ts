import { DashboardPanel, GRID_COLUMNS, GrafanaDashboard } from './dashboard-api';
import { xmlEscape as esc } from '../xml-escape';

/**
 * The layout of generated dashboards as an SVG (for the README): the 24-column grid with every
 * panel's title, type and unit where `gridPos` puts it, one dashboard under the other. Drawn from
 * the dashboard JSON only, so the picture cannot drift from what Grafana loads; no browser needed.
 * Internal (not exported from the package).
 */

const COLUMN = 40;
const ROW = 22;
const MARGIN = 16;
const HEADER = 34;
const WIDTH = GRID_COLUMNS * COLUMN + 2 * MARGIN;
/** Characters of a 12px title that fit in one column (a rough average glyph width of 6.2 px). */
const CHARS_PER_PX = 1 / 6.2;

/** Splits `text` into at most `max` lines of `width` characters, shortening with "…" what does not fit. */
function wrap(text: string, width: number, max: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= width || !line) {
      line = next;
    } else {
      out.push(line);
      line = word;
    }
  }
  out.push(line);
  const shown = out.slice(0, max).map(l => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
  if (out.length > max) shown[max - 1] = `${shown[max - 1].slice(0, width - 1)}…`;
  return shown;
}

function panelSvg(p: DashboardPanel, top: number): string[] {
  const x = MARGIN + p.gridPos.x * COLUMN;
  const y = top + p.gridPos.y * ROW;
  const w = p.gridPos.w * COLUMN;
  const h = p.gridPos.h * ROW;
  if (p.type === 'row') {
    return [
      `<rect x="${x}" y="${y + 2}" width="${w}" height="${h - 4}" fill="#e8eaf0"/>`,
      `<text x="${x + 8}" y="${y + h / 2 + 4}" font-weight="bold">▾ ${esc(p.title)}</text>`,
    ];
  }
  const chars = Math.floor((w - 16) * CHARS_PER_PX);
  const title = wrap(p.title, chars, 3);
  const steps = p.fieldConfig.defaults.thresholds.steps.filter(s => s.value !== null).map(s => s.value);
  const lines = [
    `<rect x="${x + 3}" y="${y + 3}" width="${w - 6}" height="${h - 6}" rx="4" fill="#ffffff" stroke="#9aa3b5"/>`,
    ...title.map((t, i) => `<text x="${x + 11}" y="${y + 20 + i * 15}" font-weight="bold">${esc(t)}</text>`),
    ...wrap(`series: ${p.targets.map(t => t.legendFormat).join(', ')}`, chars, 2)
      .map((t, i) => `<text x="${x + 11}" y="${y + h / 2 + 6 + i * 15}" fill="#2f5d9e">${esc(t)}</text>`),
    `<text x="${x + 11}" y="${y + h - 30}" fill="#555">${esc(`${p.type}, unit ${p.fieldConfig.defaults.unit}`)}</text>`,
    `<text x="${x + 11}" y="${y + h - 14}" fill="#555">${esc(
      `${p.targets.length} ${p.targets.length === 1 ? 'query' : 'queries'}${steps.length ? `, thresholds ${steps.join(', ')}` : ''}`)}</text>`,
  ];
  return lines;
}

function gridSvg(top: number, rows: number): string[] {
  const out: string[] = [];
  for (let c = 0; c <= GRID_COLUMNS; c++) {
    const x = MARGIN + c * COLUMN;
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${top + rows * ROW}" stroke="#eef0f4"/>`);
  }
  return out;
}

/** The SVG of the dashboards' layouts, stacked. */
export function dashboardsSvg(dashboards: readonly GrafanaDashboard[]): string {
  const body: string[] = [];
  let top = MARGIN;
  for (const d of dashboards) {
    const rows = Math.max(0, ...d.panels.map(p => p.gridPos.y + p.gridPos.h));
    body.push(`<text x="${MARGIN}" y="${top + 20}" font-size="16" font-weight="bold">${esc(d.title)}</text>`);
    body.push(`<text x="${WIDTH - MARGIN}" y="${top + 20}" text-anchor="end" fill="#555">${esc(`uid ${d.uid} · data source $${'{'}datasource}`)}</text>`);
    top += HEADER;
    body.push(...gridSvg(top, rows));
    for (const p of d.panels) body.push(...panelSvg(p, top));
    top += rows * ROW + MARGIN;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" viewBox="0 0 ${WIDTH} ${top}" ` +
      'font-family="Helvetica, Arial, sans-serif" font-size="12">',
    `<rect width="${WIDTH}" height="${top}" fill="#f7f8fa"/>`,
    ...body.map(l => `  ${l}`),
    '</svg>',
    '',
  ].join('\n');
}
