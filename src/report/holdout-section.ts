import type { HoldoutReport } from './holdout-report';
import { figure } from './contact-sheet';
import { escapeHtml } from './escape-html';

/** A held-out prediction shown in a report, with image paths relative to the page. */
export interface HoldoutFigure {
  readonly index: number;
  readonly fold: number;
  readonly iou: number;
  readonly psnr: number;
  readonly input: string;
  readonly output: string;
  readonly edited: string;
}

/**
 * The hold-out section of a report: the expected quality with its spread (IoU, PSNR, SSIM), a table
 * of every held-out pick and its fold, and the held-out predictions next to the hand edits.
 *
 * @example
 * holdoutSectionHtml(holdout, figures);
 */
export function holdoutSectionHtml(report: HoldoutReport, figures: readonly HoldoutFigure[]): string {
  const s = report.summaries;
  const stats = [
    stat('IoU of the non-white region', `${s.iou.mean.toFixed(3)} ± ${s.iou.std.toFixed(3)}`, `min ${s.iou.min.toFixed(3)}`),
    stat('PSNR', `${s.psnr.mean.toFixed(2)} dB ± ${s.psnr.std.toFixed(2)}`, `min ${s.psnr.min.toFixed(2)} dB`),
    stat('SSIM', `${s.ssim.mean.toFixed(3)} ± ${s.ssim.std.toFixed(3)}`, `min ${s.ssim.min.toFixed(3)}`),
  ].join('');
  const rows = report.perFrame
    .map(
      (f) =>
        `<tr${f.iou! < s.iou.mean - s.iou.std ? ' class="weak"' : ''}><td>${f.index}</td><td>${f.fold + 1}</td>` +
        `<td>${bar(f.iou!)} ${f.iou!.toFixed(3)}</td><td>${f.psnr!.toFixed(2)}</td><td>${f.ssim!.toFixed(3)}</td><td>${f.l1!.toFixed(4)}</td></tr>`,
    )
    .join('');
  const cards = figures
    .map(
      (f) =>
        `<div class="card"><div class="card-head">frame ${f.index} <span class="muted">fold ${f.fold + 1} · IoU ${f.iou.toFixed(3)} · ${f.psnr.toFixed(1)} dB</span></div>` +
        `<div class="pair">${figure(f.input, 'input', f.index)}${figure(f.output, 'held-out prediction', f.index)}${figure(f.edited, 'your edit', f.index)}</div></div>`,
    )
    .join('');
  return (
    `<p>${report.k}-fold validation over ${report.perFrame.length} picks: each fold trained a fresh model on the other picks ` +
    `and predicted its own, which it never saw. This is the quality to expect on the frames nobody edited ` +
    `(${escapeHtml(report.seconds.toFixed(0))} s).</p>` +
    `<div class="stats">${stats}</div>` +
    `<table class="scores"><thead><tr><th>frame</th><th>fold</th><th>IoU</th><th>PSNR (dB)</th><th>SSIM</th><th>L1</th></tr></thead><tbody>${rows}</tbody></table>` +
    (cards === '' ? '' : `<h3>Held-out predictions, worst first</h3><div class="sheet">${cards}</div>`)
  );
}

function stat(label: string, value: string, detail: string): string {
  return `<div class="stat"><div class="stat-value">${escapeHtml(value)}</div><div class="stat-label">${escapeHtml(label)}</div><div class="muted">${escapeHtml(detail)}</div></div>`;
}

/** An inline SVG bar of a value in [0, 1]. */
function bar(value: number): string {
  const w = Math.max(0, Math.min(1, value)) * 60;
  return `<svg class="bar" width="60" height="8" viewBox="0 0 60 8" aria-hidden="true"><rect width="60" height="8" class="bar-bg"/><rect width="${w.toFixed(1)}" height="8" class="bar-fg"/></svg>`;
}
