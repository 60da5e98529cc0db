import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPage } from './chromium';
import { fixture, NO_TIME_LIMIT_S, tempDir, writeWhitenedPicks } from './helpers';

const root = join(__dirname, '..', '..');
const cli = ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'cli', 'main.ts')];
const vidgan = (...args: string[]) => spawnSync(process.execPath, [...cli, ...args], { cwd: root, encoding: 'utf8' });

const CROP = 64;
// Tiny budgets: these tests check the wiring, not the quality (test/native/holdout.test.ts does that).
// Bounded by steps, never by time: the same work on a fast or a loaded machine.
const TRAIN = ['--base', 'none', '--crop', String(CROP), '--steps', '3', '--train-seconds', String(NO_TIME_LIMIT_S), '--batch-size', '1', '--threads', '2'];

describe('vidgan process --holdout --report', () => {
  it('prints the expected quality first, processes, and writes a report that loads in Chromium', async () => {
    const video = fixture('small-320x240.mp4');
    const picks = await writeWhitenedPicks(video, CROP);
    const out = join(tempDir(), 'out.mp4');
    const report = join(tempDir(), 'report');
    const run = vidgan('process', video, '--train-frames', picks, '--out', out, ...TRAIN, '--holdout', '3', '--report', report);
    expect(run.stderr).not.toMatch(/vidgan: /);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^Expected quality \(3-fold hold-out over 3 picks, .*\): IoU \d\.\d{3} ± \d\.\d{3} \(min \d\.\d{3}\), PSNR/);
    expect(lines[1]).toBe(`Wrote ${out} (H.264 .mp4, background white): 20 frames.`);
    expect(run.stdout).toContain(`Report: ${join(report, 'index.html')}`);
    expect(existsSync(out)).toBe(true);

    const html = readFileSync(join(report, 'index.html'), 'utf8');
    expect(html).toContain('<h2>Training</h2>');
    expect(html).toContain('<h2>Held-out quality</h2>');
    expect(html).toContain('3-fold validation over 3 picks');
    // The frame map: every one of the 20 frames, the 3 picks ringed with their held-out IoU.
    expect(html).toContain('<h2>Frame map</h2>');
    expect(html.match(/class="map-pt[^"]*" data-frame=/g)).toHaveLength(20);
    expect(html.match(/<title>frame \d+ \([\d.]+ s\)\nedited pick\nheld-out IoU \d\.\d{3}/g)).toHaveLength(3);
    // 12 frames spread over the 20, plus the picks: every sampled frame has its three pictures.
    const sampled = readdirSync(join(report, 'frames')).filter((n) => n.startsWith('input-')).length;
    expect(sampled).toBeGreaterThanOrEqual(12);
    expect(html.match(/class="card picked"/g)).toHaveLength(readdirSync(join(report, 'frames')).filter((n) => n.startsWith('edit-')).length);
    expect(readdirSync(join(report, 'holdout')).filter((n) => n.startsWith('predicted-'))).toHaveLength(3);

    const check = await checkPage(join(report, 'index.html'));
    expect(check.readyState).toBe('complete');
    expect(check.images).toBe(sampled * 3 + 3 * 3);
    expect(check.brokenImages).toEqual([]);
    expect(check.consoleMessages).toEqual([]);
    expect(check.svgs).toBeGreaterThanOrEqual(2);

    // The report is an output: refused next time unless --overwrite.
    const again = vidgan('process', video, '--train-frames', picks, '--out', join(tempDir(), 'b.mp4'), ...TRAIN, '--report', report);
    expect(again.status).toBe(9);
    expect(again.stderr).toMatch(/index\.html already exists/);
  });

  it('stops after the hold-out with --holdout-only, and eval --holdout prints JSON', async () => {
    const video = fixture('small-320x240.mp4');
    const picks = await writeWhitenedPicks(video, CROP);
    const out = join(tempDir(), 'never.mp4');
    const only = vidgan('process', video, '--train-frames', picks, '--out', out, ...TRAIN, '--holdout', '2', '--holdout-only');
    expect(only.status).toBe(0);
    expect(only.stdout).toMatch(/^Expected quality \(2-fold hold-out over 3 picks/);
    expect(existsSync(out)).toBe(false);

    const run = vidgan('eval', '--holdout', '3', '--video', video, '--reference', picks, ...TRAIN, '--json', '--progress');
    expect(run.status).toBe(0);
    // The guides' pass before the folds shows its progress (the first line is never throttled).
    expect(run.stderr).toMatch(/^guides +\S+ frame 1\/20 +\(your edits carried through the video before training\)$/m);
    const json = JSON.parse(run.stdout);
    expect(json.k).toBe(3);
    expect(json.perFrame.index).toEqual([2, 9, 16]);
    expect(json.perFrame.fold).toEqual([0, 1, 2]);
    expect(json.folds.map((f: { heldOut: number[]; trainPairs: number; steps: number }) => [f.heldOut, f.trainPairs, f.steps])).toEqual([
      [[2], 2, 3],
      [[9], 2, 3],
      [[16], 2, 3],
    ]);
    expect(json.meanIoU).toBeCloseTo(json.perFrame.iou.reduce((a: number, b: number) => a + b, 0) / 3, 12);
    // The spread of the three held-out IoUs (population standard deviation).
    const ious: number[] = json.perFrame.iou;
    const meanIoU = ious.reduce((a, b) => a + b, 0) / ious.length;
    expect(json.stdIoU).toBeCloseTo(Math.sqrt(ious.reduce((a, v) => a + (v - meanIoU) ** 2, 0) / ious.length), 12);
    expect(json.minIoU).toBe(Math.min(...ious));
    expect(json.folds[0].curve).toBeUndefined();

    const badK = vidgan('process', video, '--train-frames', picks, '--out', out, ...TRAIN, '--holdout', '5', '--holdout-only');
    expect(badK.status).toBe(2);
    expect(badK.stderr).toBe('vidgan: Expected integer between 2 and 3 for holdout but received 5\n');
  });
});
