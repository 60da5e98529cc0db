import { escapeHtml, relativeUrl } from './escape-html';

/** One row of a contact sheet: a frame before and after, with paths relative to the page. */
export interface ContactSheetRow {
  readonly index: number;
  readonly timeSec: number;
  readonly input: string;
  readonly output: string;
  /** The hand-edited frame, for a pick the model was trained on. */
  readonly edited?: string;
  /** What the output keeps of the input (see `cutOutPreview`), shown when there is no edit. */
  readonly cutOut?: string;
}

/**
 * The before/after contact sheet of a report: one card per sampled frame with the input and the
 * output side by side, then the hand edit for frames that were edited picks (marked), else the cut-out.
 *
 * @example
 * contactSheetHtml([{ index: 12, timeSec: 1.2, input: 'frames/input-000012.png', output: 'frames/output-000012.png' }]);
 */
export function contactSheetHtml(rows: readonly ContactSheetRow[]): string {
  if (rows.length === 0) return '<p class="muted">No frames were sampled.</p>';
  const cards = rows.map((row) => {
    const picked = row.edited !== undefined;
    const figures = [figure(row.input, 'input', row.index), figure(row.output, 'output', row.index)];
    if (picked) figures.push(figure(row.edited!, 'your edit', row.index));
    else if (row.cutOut !== undefined) figures.push(figure(row.cutOut, 'cut-out', row.index));
    const badge = picked ? ' <span class="badge" title="This frame was edited by hand and used for training">edited pick</span>' : '';
    return (
      `<div class="card${picked ? ' picked' : ''}" id="frame-${row.index}">` +
      `<div class="card-head">frame ${row.index} <span class="muted">${row.timeSec.toFixed(1)} s</span>${badge}</div>` +
      `<div class="pair">${figures.join('')}</div></div>`
    );
  });
  return `<div class="sheet">${cards.join('')}</div>`;
}

/**
 * One labelled image of a card, its path relative to the page.
 *
 * @example
 * figure('frames/output-000012.png', 'output', 12);
 */
export function figure(src: string, caption: string, index: number): string {
  const alt = escapeHtml(`frame ${index} ${caption}`);
  return `<figure><img src="${relativeUrl(src)}" alt="${alt}" loading="eager"><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}
