import { summariseHoldout, type HoldoutReport } from '../../../src/jobs/holdout';
import { reportPage } from '../../../src/report/report-page';

const scores = [
  { index: 5, fold: 0, l1: 0.02, psnr: 30, ssim: 0.9, iou: 0.95 },
  { index: 15, fold: 1, l1: 0.05, psnr: 22, ssim: 0.8, iou: 0.6 },
  { index: 25, fold: 0, l1: 0.02, psnr: 30, ssim: 0.9, iou: 0.95 },
];
// Two folds' worth of scores; the fold records themselves do not appear on the page.
const holdout: HoldoutReport = { ...summariseHoldout([], scores, 12), k: 2 };

describe('reportPage', () => {
  const base = {
    title: 'vidgan report: <clip>.mp4',
    highlights: [['frames processed', '120']] as const,
    sheet: [{ index: 0, timeSec: 0, input: 'frames/input-000000.png', output: 'frames/output-000000.png' }],
    timings: [['processing', '4.0 s']] as const,
    options: { video: 'clip.mp4', training: { trainSeconds: 30 }, signal: undefined },
  };

  it('is a complete, self-contained page: inline style, no script, no external URL', () => {
    const html = reportPage(base);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>vidgan report: &lt;clip&gt;.mp4</title>');
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link rel="stylesheet"|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain('<td>training</td><td><code>{&quot;trainSeconds&quot;:30}</code></td>');
    expect(html).not.toContain('signal');
    // No curve and no hold-out: those sections are left out.
    expect(html).not.toContain('<h2>Training</h2>');
    expect(html).not.toContain('<h2>Held-out quality</h2>');
  });

  it('plots the loss curve and shows the hold-out scores with their spread', () => {
    const curve = [1, 2, 3].map((step) => ({ step: step * 10, seconds: step, gan: 0.7, l1: 0.3 / step, d: 0.6, total: 30 }));
    const html = reportPage({
      ...base,
      curve,
      holdout,
      holdoutFigures: [{ index: 15, fold: 1, iou: 0.6, psnr: 22, input: 'holdout/input-000015.png', output: 'holdout/predicted-000015.png', edited: 'holdout/edit-000015.png' }],
    });
    expect(html).toContain('<h2>Training</h2>');
    expect(html.match(/<polyline/g)).toHaveLength(3); // L1, G, D
    // IoU 0.95, 0.6, 0.95: mean 0.8333, population std 0.165; PSNR 30, 22, 30: 27.33 ± 3.77.
    expect(html).toContain('0.833 ± 0.165');
    expect(html).toContain('27.33 dB ± 3.77');
    // Frame 15 is more than one spread below the mean IoU: highlighted; the others are not.
    expect(html).toContain('<tr class="weak"><td>15</td><td>2</td>');
    expect(html.match(/class="weak"/g)).toHaveLength(1);
    expect(html).toContain('src="holdout/predicted-000015.png"');
  });

  it('leaves out the contact sheet when no frame was processed (hold-out only)', () => {
    const html = reportPage({ ...base, sheet: [], holdout });
    expect(html).not.toContain('<h2>Before and after</h2>');
    expect(html).toContain('<h2>Held-out quality</h2>');
  });
});
