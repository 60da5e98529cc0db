import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { tempDir } from './helpers';

const root = join(__dirname, '..', '..');
const cli = ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'cli', 'main.ts')];
const vidgan = (...args: string[]) => spawnSync(process.execPath, [...cli, ...args], { cwd: root, encoding: 'utf8' });

/** A 2x2 RGB PNG, white except the listed pixels, which are black. */
async function png(path: string, ...black: number[]): Promise<void> {
  const data = new Uint8Array(12).fill(255);
  for (const p of black) data.fill(0, p * 3, p * 3 + 3);
  await sharp(data, { raw: { width: 2, height: 2, channels: 3 } }).png().toFile(path);
}

async function folders(): Promise<{ outputs: string; reference: string; picks: string }> {
  const dir = tempDir();
  const outputs = join(dir, 'outputs');
  const reference = join(dir, 'reference');
  mkdirSync(outputs);
  mkdirSync(reference);
  await png(join(outputs, '000001.png'), 0);
  await png(join(outputs, '000002.png'), 2, 3);
  await png(join(outputs, '000003.png'), 1);
  await png(join(reference, '00001.png'), 0, 1);
  await png(join(reference, '00002.png'), 2, 3);
  await png(join(reference, '00003.png'), 3);
  const picks = join(dir, 'picks.txt');
  writeFileSync(picks, '3 reference/00003.png\n');
  return { outputs, reference, picks };
}

describe('vidgan eval', () => {
  it('prints the scores as JSON: means, per-frame arrays, flicker', async () => {
    const { outputs, reference } = await folders();
    const run = vidgan('eval', outputs, '--reference', reference, '--exclude', '3', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout);
    // Frame 1: IoU 1/2, PSNR 10·log10(4); frame 2 identical: IoU 1, PSNR capped at 100 dB.
    expect(json.meanIoU).toBeCloseTo(0.75, 12);
    expect(json.meanPSNR).toBeCloseTo((10 * Math.log10(4) + 100) / 2, 12);
    expect(json.meanSSIM).toBeLessThan(1);
    expect(json.flicker).toBeNull();
    expect(json.perFrame.index).toEqual([1, 2]);
    expect(json.perFrame.iou).toEqual([0.5, 1]);
    expect(json.perFrame.l1[0]).toBeCloseTo(0.25, 12);
    expect(json.excluded).toEqual([3]);
    expect(json.flickerPerStep.maskChange).toEqual([0.75, 0.75]);
    expect(json.flickerPerStep.flicker).toEqual([null, null]);
  });

  it('prints a table, per frame on request, and excludes the frames of a picks file', async () => {
    const { outputs, reference, picks } = await folders();
    const run = vidgan('eval', outputs, '--reference', reference, '--exclude', picks, '--per-frame');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Scored 2 of 3 output frames (1 excluded); IoU against the reference's non-white region (tolerance 24).");
    expect(run.stdout).toMatch(/\nIoU\s+0\.750\s+0\.250\s+0\.500\s+1\.000\n/);
    expect(run.stdout).toMatch(/\n\s+1\s+0\.500\s+6\.02\s+\d\.\d{3}\s+0\.2500\n/);
    expect(run.stdout).toContain('Mask change: 75.00% of the pixels per frame');
  });

  it('maps usage mistakes to exit code 2 and bad inputs to 3', async () => {
    const { outputs, reference } = await folders();
    const none = vidgan('eval', outputs);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe('vidgan: Pass --reference <picks file or folder> (or --masks <folder>) to score the outputs against.\n');
    const badList = vidgan('eval', outputs, '--reference', reference, '--exclude', '3,x');
    expect(badList.status).toBe(2);
    expect(badList.stderr).toMatch(/Expected frame indices \(3,17,40-45\) or a picks file for --exclude but received 3,x/);
    const missing = vidgan('eval', '/no/such/dir', '--reference', reference);
    expect(missing.status).toBe(3);
    const noVideo = vidgan('eval', '--holdout', '2', '--reference', reference);
    expect(noVideo.status).toBe(2);
    expect(noVideo.stderr).toMatch(/needs the source video \(--video\)/);
  });
});
