import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSplicedClip } from '../../src/data/synth/write-spliced-clip';
import { frameMapData } from '../../src/jobs/select/frame-map-data';
import { writeReport } from '../../src/report/write-report';
import { checkPage } from './chromium';
import { tempDir } from './helpers';

describe('the report frame map in headless Chromium', () => {
  it('renders with every frame linked, picks and outliers marked, and no console error', async () => {
    const clip = await writeSplicedClip(tempDir(), { frames: 50, foreign: [{ kind: 'black', at: 30, length: 2 }] });
    const map = await frameMapData(clip.video, { crop: 128, picks: [5, 40], heldOut: [{ index: 5, iou: 0.93 }], thumbSize: 64 });
    expect(map.points).toHaveLength(52);
    expect(map.points.filter((p) => p.outlier).map((p) => p.index)).toEqual(clip.foreign);
    const page = await writeReport(join(tempDir(), 'map report'), { video: clip.video, samples: [], map, highlights: [['frames', '52']] });
    const html = readFileSync(page, 'utf8');
    const links = [...html.matchAll(/<a class="map-pt[^"]*" data-frame="(\d+)" href="([^"]+)"/g)];
    expect(links).toHaveLength(52);
    for (const [, , href] of links) expect(existsSync(join(page, '..', decodeURIComponent(href!)))).toBe(true);
    expect(html).toContain('held-out IoU 0.930');
    const check = await checkPage(page);
    expect(check).toEqual({ readyState: 'complete', images: 0, brokenImages: [], svgs: 1, consoleMessages: [] });
  }, 180_000);
});
