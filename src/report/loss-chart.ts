import { escapeHtml } from './escape-html';

/** One plotted line of a {@link lossChartSvg}. */
export interface ChartSeries {
  readonly label: string;
  /** CSS colour of the line and its legend swatch. */
  readonly color: string;
  /** Points as [x, y]; non-finite y values are skipped. */
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/** Options of {@link lossChartSvg}. */
export interface LossChartOptions {
  readonly title: string;
  readonly xLabel?: string;
  /** Size of the SVG in CSS pixels. Default 560 x 240. */
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { left: 56, right: 16, top: 28, bottom: 40 };

/**
 * An inline SVG line chart (no script, no external resources) of one or more series sharing the axes:
 * five "nice" ticks per axis, a legend, and a title. Used for the training loss curve of a report.
 * With no finite point it draws the frame and says "no data".
 *
 * @example
 * lossChartSvg([{ label: 'L1', color: '#1f77b4', points: curve.map((p) => [p.step, p.l1]) }], { title: 'L1 loss' });
 */
export function lossChartSvg(series: readonly ChartSeries[], options: LossChartOptions): string {
  const width = options.width ?? 560;
  const height = options.height ?? 240;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const finite = series.flatMap((s) => s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.title)}">`,
    `<text x="${MARGIN.left}" y="18" class="chart-title">${escapeHtml(options.title)}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" class="chart-frame"/>`,
  ];
  if (finite.length === 0) {
    parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH / 2}" text-anchor="middle" class="chart-empty">no data</text>`, '</svg>');
    return parts.join('');
  }
  const xs = niceTicks(Math.min(...finite.map((p) => p[0])), Math.max(...finite.map((p) => p[0])));
  const ys = niceTicks(Math.min(0, ...finite.map((p) => p[1])), Math.max(...finite.map((p) => p[1])));
  const sx = (x: number) => MARGIN.left + ((x - xs[0]!) / (xs[xs.length - 1]! - xs[0]!)) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - ((y - ys[0]!) / (ys[ys.length - 1]! - ys[0]!)) * plotH;
  for (const t of ys) {
    const y = round(sy(t));
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" class="chart-grid"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end" class="chart-tick">${formatTick(t)}</text>`);
  }
  for (const t of xs) {
    parts.push(`<text x="${round(sx(t))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle" class="chart-tick">${formatTick(t)}</text>`);
  }
  if (options.xLabel) {
    parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${height - 6}" text-anchor="middle" class="chart-label">${escapeHtml(options.xLabel)}</text>`);
  }
  series.forEach((s, i) => {
    const points = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    const color = escapeHtml(s.color);
    if (points.length > 0) {
      const path = points.map(([x, y]) => `${round(sx(x))},${round(sy(y))}`).join(' ');
      parts.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="1.8" stroke-linejoin="round"/>`);
    }
    // Legend entries sit in the title row, right-aligned, clear of the lines.
    const lx = MARGIN.left + plotW - 80 * (series.length - i);
    const ly = 18;
    parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="3"/>`);
    parts.push(`<text x="${lx + 24}" y="${ly}" class="chart-legend">${escapeHtml(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * About five round tick values covering [min, max] (1, 2 or 5 times a power of ten apart), first at or
 * below min and last at or above max. A flat range is widened so the axis never has zero length.
 *
 * @example
 * niceTicks(0.013, 0.47); // [0, 0.1, 0.2, 0.3, 0.4, 0.5]
 */
export function niceTicks(min: number, max: number): number[] {
  if (max <= min) {
    const pad = min === 0 ? 1 : Math.abs(min) / 2;
    return niceTicks(min - pad, max + pad);
  }
  const raw = (max - min) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const first = Math.floor(min / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let t = first; t < max + step - 1e-9 * step; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return `${Number((value / 1000).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
