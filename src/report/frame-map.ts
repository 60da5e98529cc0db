import { escapeHtml, relativeUrl } from './escape-html';

/** One frame on a {@link frameMapSvg}. */
export interface FrameMapPoint {
  readonly index: number;
  /** Position from a 2-D projection (t-SNE); any scale, the map fits them. */
  readonly x: number;
  readonly y: number;
  readonly timeSec: number;
  /** An edited frame (a pick). */
  readonly pick?: boolean;
  /** Flagged by `outlierScores`. */
  readonly outlier?: boolean;
  /** Outlier score (1 = typical). */
  readonly score?: number;
  /** Held-out IoU, for a pick that hold-out validation scored. */
  readonly heldOutIoU?: number;
  /** Relative path of the frame's thumbnail, shown on hover and opened on click. */
  readonly image?: string;
}

/** Options of {@link frameMapSvg}. */
export interface FrameMapOptions {
  /** Size of the SVG in CSS pixels. Default 860 x 520 (the map on the left, the hovered frame on the right). */
  readonly width?: number;
  readonly height?: number;
  /** Frames in the video, for the colour scale of time. Default: the highest index plotted + 1. */
  readonly totalFrames?: number;
}

const PANEL = 220;
const PAD = 24;

/**
 * An inline SVG map of a video's frames (no script): each frame a dot placed by a 2-D projection of
 * its embedding, shaded from light (start) to dark (end) so shots read as trails; edited picks drawn
 * as orange rings, outliers as red crosses, held-out picks coloured by their IoU (red 0 … green 1).
 * Hovering a dot shows the frame in the panel on the right (CSS `:hover`) and its number, time and
 * scores as a tooltip; clicking opens the frame.
 *
 * @example
 * frameMapSvg([{ index: 0, x: 0.1, y: 2, timeSec: 0, image: 'map/000000.png' }, …], { totalFrames: 300 });
 */
export function frameMapSvg(points: readonly FrameMapPoint[], options: FrameMapOptions = {}): string {
  const width = options.width ?? 860;
  const height = options.height ?? 520;
  const plotW = width - PANEL - PAD * 3;
  const plotH = height - PAD * 2 - 20;
  const total = options.totalFrames ?? Math.max(1, ...points.map((p) => p.index + 1));
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => PAD + (x1 > x0 ? ((x - x0) / (x1 - x0)) * plotW : plotW / 2);
  const sy = (y: number) => PAD + 20 + (y1 > y0 ? ((y - y0) / (y1 - y0)) * plotH : plotH / 2);
  const panelX = width - PANEL - PAD;
  const panelY = PAD + 20;
  // Plain dots first, marked frames last, so the marks are drawn on top.
  const order = [...points].sort((a, b) => rank(a) - rank(b) || a.index - b.index);
  const dots = order.map((p) => {
    const cx = sx(p.x).toFixed(1);
    const cy = sy(p.y).toFixed(1);
    const tip = [
      `frame ${p.index} (${p.timeSec.toFixed(1)} s)`,
      p.pick ? 'edited pick' : '',
      p.heldOutIoU === undefined ? '' : `held-out IoU ${p.heldOutIoU.toFixed(3)}`,
      p.outlier ? 'outlier' : '',
      p.score === undefined ? '' : `score ${p.score.toFixed(2)}`,
    ].filter(Boolean);
    const mark = dotMark(p, cx, cy, total);
    const preview =
      p.image === undefined
        ? ''
        : `<g class="map-preview"><image href="${relativeUrl(p.image)}" x="${panelX}" y="${panelY}" width="${PANEL}" height="${PANEL}"/>` +
          `<text x="${panelX}" y="${panelY + PANEL + 16}" class="chart-label">${escapeHtml(tip.join(' · '))}</text></g>`;
    const body = `<title>${escapeHtml(tip.join('\n'))}</title>${mark}${preview}`;
    const cls = `map-pt${p.pick ? ' map-pick' : ''}${p.outlier ? ' map-outlier' : ''}`;
    return p.image === undefined
      ? `<g class="${cls}" data-frame="${p.index}">${body}</g>`
      : `<a class="${cls}" data-frame="${p.index}" href="${relativeUrl(p.image)}">${body}</a>`;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart frame-map" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Map of the video's frames">` +
    `<text x="${PAD}" y="18" class="chart-title">Frames by similarity (t-SNE of the frame embeddings; near = alike)</text>` +
    `<rect x="${PAD / 2}" y="${PAD + 8}" width="${plotW + PAD}" height="${plotH + PAD}" class="chart-frame"/>` +
    `<rect x="${panelX}" y="${panelY}" width="${PANEL}" height="${PANEL}" class="map-panel"/>` +
    `<text x="${panelX + PANEL / 2}" y="${panelY + PANEL / 2}" class="chart-empty map-hint" text-anchor="middle">hover a dot</text>` +
    legend(panelX, panelY + PANEL + 40) +
    dots.join('') +
    '</svg>'
  );
}

function rank(p: FrameMapPoint): number {
  return (p.pick ? 2 : 0) + (p.outlier ? 1 : 0) + (p.heldOutIoU !== undefined ? 2 : 0);
}

function dotMark(p: FrameMapPoint, cx: string, cy: string, total: number): string {
  const shade = Math.round(200 - 150 * Math.min(1, p.index / Math.max(1, total - 1)));
  const base = `<circle cx="${cx}" cy="${cy}" r="4" fill="rgb(${shade - 40},${shade},${Math.min(255, shade + 50)})"/>`;
  const parts = [base];
  if (p.outlier) {
    const [x, y] = [Number(cx), Number(cy)];
    parts.push(`<path d="M${x - 6} ${y - 6}L${x + 6} ${y + 6}M${x - 6} ${y + 6}L${x + 6} ${y - 6}" class="map-x"/>`);
  }
  if (p.pick) {
    const fill = p.heldOutIoU === undefined ? 'none' : iouColour(p.heldOutIoU);
    parts.push(`<circle cx="${cx}" cy="${cy}" r="8" fill="${fill}" class="map-ring"/>`);
  }
  return parts.join('');
}

/** Red (IoU 0.5 or less) through yellow to green (IoU 1). */
function iouColour(iou: number): string {
  const t = Math.max(0, Math.min(1, (iou - 0.5) / 0.5));
  return `hsl(${Math.round(t * 120)}, 75%, 48%)`;
}

function legend(x: number, y: number): string {
  const row = (dy: number, mark: string, label: string) => `<g transform="translate(${x},${y + dy})">${mark}<text x="22" y="4" class="chart-legend">${escapeHtml(label)}</text></g>`;
  return (
    row(0, '<circle cx="8" cy="0" r="4" fill="rgb(160,200,250)"/>', 'frame near the start') +
    row(18, '<circle cx="8" cy="0" r="4" fill="rgb(10,50,100)"/>', 'frame near the end') +
    row(36, '<circle cx="8" cy="0" r="8" fill="none" class="map-ring"/>', 'edited pick') +
    row(54, `<circle cx="8" cy="0" r="8" fill="${iouColour(0.6)}" class="map-ring"/>`, 'held-out pick: red low IoU, green high') +
    row(72, '<path d="M2 -6L14 6M2 6L14 -6" class="map-x"/>', 'outlier')
  );
}
