/**
 * Formats seconds for a progress line: `42s`, `3m05s`, `1h02m`; `?` when unknown.
 *
 * @example formatDuration(185) // '3m05s'
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * A text progress bar of `width` cells for a fraction in [0, 1].
 *
 * @example progressBar(0.5, 10) // '[#####-----]'
 */
export function progressBar(fraction: number, width = 24): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
