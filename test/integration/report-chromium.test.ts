import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FrameSampler } from '../../src/report/frame-sampler';
import { writeReport } from '../../src/report/write-report';
import { makeFrame } from '../../src/pipeline/frame';
import { checkPage } from './chromium';
import { tempDir } from './helpers';

/** A 32x32 frame: a dark square on a gradient (input) or on white (output). */
function frame(index: number, erased: boolean): Uint8Array {
  const out = new Uint8Array(32 * 32 * 3);
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      const inside = x >= 8 + index && x < 20 + index && y >= 10 && y < 22;
      out.fill(inside ? 40 : erased ? 255 : 100 + x * 4, (y * 32 + x) * 3, (y * 32 + x) * 3 + 3);
    }
  }
  return out;
}

describe('report in headless Chromium', () => {
  it('catches a broken image and a console error (the check itself works)', async () => {
    const dir = tempDir();
    const page = join(dir, 'bad.html');
    writeFileSync(page, '<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body><img src="missing.png"><script>console.error("boom")</script></body></html>');
    const check = await checkPage(page);
    expect(check.readyState).toBe('complete');
    expect(check.brokenImages).toEqual(['missing.png']);
    expect(check.consoleMessages).toContain('console.error: boom');
    expect(check.consoleMessages.join('\n')).toMatch(/error: Failed to load resource: net::ERR_FILE_NOT_FOUND \(file:.*missing\.png\)/);
  });

  it('loads with every image and no console error', async () => {
    const dir = join(tempDir(), 'my report');
    const sampler = new FrameSampler([0, 2, 4]);
    for (let i = 0; i < 5; i++) sampler.capture(makeFrame(i, i / 10, 32, 32, frame(i, false)), makeFrame(i, i / 10, 32, 32, frame(i, true)));
    const curve = [10, 20, 30].map((step) => ({ step, seconds: step / 10, gan: 0.7, l1: 3 / step, d: 0.6, total: 30 }));
    const page = await writeReport(dir, {
      video: 'clip #1.mp4',
      samples: sampler.samples,
      edits: new Map([[2, frame(2, true)]]),
      training: { steps: 30, stepsThisRun: 30, trainSeconds: 3, stoppedBy: 'steps', curve },
      highlights: [['frames processed', '5']],
      timings: [['processing', '1.0 s']],
      options: { video: 'clip #1.mp4' },
    });
    expect(sampler.samples.map((s) => s.index)).toEqual([0, 2, 4]);
    const check = await checkPage(page);
    expect(check).toEqual({ readyState: 'complete', images: 9, brokenImages: [], svgs: 2, consoleMessages: [] });
  });
});
