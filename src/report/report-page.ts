import type { HoldoutReport } from './holdout-report';
import type { LossPoint } from '../drill/train-drill';
import { contactSheetHtml, type ContactSheetRow } from './contact-sheet';
import { escapeHtml } from './escape-html';
import { holdoutSectionHtml, type HoldoutFigure } from './holdout-section';
import { lossChartSvg } from './loss-chart';
import { frameMapSvg, type FrameMapPoint } from './frame-map';
import { FRAME_MAP_CSS, REPORT_CSS } from './report-style';

const BEFORE_AFTER_NOTE =
  '<p class="muted">Frames sampled across the video: input, output, and what the output keeps of the input (grey checks: erased). ' +
  'Edited picks (used for training) are outlined and show your edit instead.</p>';

/** Everything a report page shows; image paths are relative to the page. */
export interface ReportPageData {
  readonly title: string;
  /** A line under the title (the source video, when it ran). */
  readonly subtitle?: string;
  /** Headline figures as label → value (frames, picks, speed, …). */
  readonly highlights: ReadonlyArray<readonly [string, string]>;
  /** The training loss curve; absent when the model was not trained in this run. */
  readonly curve?: readonly LossPoint[];
  readonly holdout?: HoldoutReport;
  readonly holdoutFigures?: readonly HoldoutFigure[];
  readonly sheet: readonly ContactSheetRow[];
  /** The map of the video's frames (image paths relative to the page); absent when not computed. */
  readonly map?: { readonly points: readonly FrameMapPoint[]; readonly totalFrames: number; readonly note?: string };
  /** Phase timings as label → value. */
  readonly timings: ReadonlyArray<readonly [string, string]>;
  /** The options of the run, shown as a table (values as JSON). */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * Builds the self-contained HTML page of a run: headline figures, the training loss curve (inline
 * SVG), hold-out scores, the before/after contact sheet, timings and the options used. It holds no
 * script and loads nothing but the PNGs next to it (relative paths), so it opens from disk without a
 * server.
 *
 * @example
 * writeFileSync('report/index.html', reportPage({ title: 'clip.mp4', highlights: [], sheet: rows, timings: [], options: {} }));
 */
export function reportPage(data: ReportPageData): string {
  const sections = [
    section('Summary', `<div class="stats">${data.highlights.map(([k, v]) => statCard(k, v)).join('')}</div>`),
    data.curve === undefined ? '' : section('Training', lossCharts(data.curve)),
    data.holdout === undefined ? '' : section('Held-out quality', holdoutSectionHtml(data.holdout, data.holdoutFigures ?? [])),
    data.map === undefined ? '' : section('Frame map', frameMap(data.map)),
    data.sheet.length === 0 ? '' : section('Before and after', BEFORE_AFTER_NOTE + contactSheetHtml(data.sheet)),
    section('Timings', keyValueTable(data.timings)),
    section('Options', keyValueTable(Object.entries(data.options).filter(([, v]) => v !== undefined).map(([k, v]) => [k, JSON.stringify(v)]), true)),
  ];
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    // An empty data: icon keeps the browser from asking for /favicon.ico.
    '<link rel="icon" href="data:,">' +
    `<title>${escapeHtml(data.title)}</title><style>${REPORT_CSS}${FRAME_MAP_CSS}</style></head><body>` +
    `<header><h1>${escapeHtml(data.title)}</h1>${data.subtitle ? `<div class="muted">${escapeHtml(data.subtitle)}</div>` : ''}</header>` +
    `<main>${sections.join('')}</main></body></html>\n`
  );
}

function lossCharts(curve: readonly LossPoint[]): string {
  const l1 = lossChartSvg([{ label: 'L1', color: '#1c7ed6', points: curve.map((p) => [p.step, p.l1] as const) }], {
    title: 'Generator L1 loss (the reconstruction error)',
    xLabel: 'step',
  });
  const gan = lossChartSvg(
    [
      { label: 'G (GAN)', color: '#e8590c', points: curve.map((p) => [p.step, p.gan] as const) },
      { label: 'D', color: '#2f9e44', points: curve.map((p) => [p.step, p.d] as const) },
    ],
    { title: 'Adversarial losses', xLabel: 'step' },
  );
  return `<div class="charts">${l1}${gan}</div>`;
}

function frameMap(map: NonNullable<ReportPageData['map']>): string {
  const note = map.note === undefined ? '' : `<p class="muted">${escapeHtml(map.note)}</p>`;
  return note + frameMapSvg(map.points, { totalFrames: map.totalFrames });
}

function section(title: string, body: string): string {
  return `<section><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

function statCard(label: string, value: string): string {
  return `<div class="stat"><div class="stat-value">${escapeHtml(value)}</div><div class="stat-label">${escapeHtml(label)}</div></div>`;
}

function keyValueTable(rows: ReadonlyArray<readonly [string, string]>, code = false): string {
  if (rows.length === 0) return '<p class="muted">None.</p>';
  const cell = (v: string) => (code ? `<code>${escapeHtml(v)}</code>` : escapeHtml(v));
  return `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${cell(v)}</td></tr>`).join('')}</tbody></table>`;
}
