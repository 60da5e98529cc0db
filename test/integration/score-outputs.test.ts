import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { collectFrames } from '../../src/stages/collect-frames';
import { scoreOutputs } from '../../src/jobs/score-outputs';
import { listNumberedImages } from '../../src/eval/list-numbered-images';
import { ssim } from '../../src/eval/ssim';
import { BadInputError } from '../../src/pipeline/errors';
import { pngFileName } from '../../src/stages/write-png-sequence';
import { fixture, tempDir } from './helpers';

const W = 2;
const H = 2;
const white = () => new Uint8Array(W * H * 3).fill(255);

/** A 2x2 RGB image, white except the listed pixels, which are black. */
function withBlack(...pixels: number[]): Uint8Array {
  const out = white();
  for (const p of pixels) out.fill(0, p * 3, p * 3 + 3);
  return out;
}

async function writeRgb(path: string, data: Uint8Array, width = W, height = H): Promise<void> {
  await sharp(data, { raw: { width, height, channels: 3 } }).png().toFile(path);
}

async function writeGrey(path: string, data: Uint8Array): Promise<void> {
  await sharp(data, { raw: { width: W, height: H, channels: 1 } }).png().toFile(path);
}

/** outputs/ 000001..000003, edited/ 1..3 (named by a picks file and a folder), masks/ 00001. */
async function tinySet(): Promise<{ dir: string; outputs: string; edited: string; picks: string; masks: string }> {
  const dir = tempDir();
  const outputs = join(dir, 'outputs');
  const edited = join(dir, 'edited');
  const masks = join(dir, 'masks');
  for (const d of [outputs, edited, masks]) mkdirSync(d);
  await writeRgb(join(outputs, '000001.png'), withBlack(0));
  await writeRgb(join(outputs, '000002.png'), withBlack(2, 3));
  await writeRgb(join(outputs, '000003.png'), withBlack(1));
  await writeRgb(join(outputs, '000009.png'), withBlack(1)); // no reference: read, not scored
  await writeRgb(join(edited, 'frame-1.png'), withBlack(0, 1));
  await writeRgb(join(edited, 'frame-2.png'), withBlack(2, 3));
  await writeRgb(join(edited, 'frame-3.png'), withBlack(3));
  await writeGrey(join(masks, '00001.png'), Uint8Array.from([255, 0, 0, 0]));
  const picks = join(dir, 'picks.txt');
  writeFileSync(picks, '# frame  edited image\n1 edited/frame-1.png\n2 edited/frame-2.png\n3 edited/frame-3.png\n');
  return { dir, outputs, edited, picks, masks };
}

describe('listNumberedImages', () => {
  it('maps frame numbers to files and refuses two files of one frame', async () => {
    const { masks, outputs } = await tinySet();
    expect([...(await listNumberedImages(outputs)).keys()]).toEqual([1, 2, 3, 9]);
    await writeGrey(join(masks, '000001.png'), new Uint8Array(4));
    await expect(listNumberedImages(masks, 'mask folder')).rejects.toThrow(
      new BadInputError(`The mask folder ${masks} holds two images of frame 1: 000001.png and 00001.png. Keep one.`),
    );
  });
});

describe('scoreOutputs', () => {
  it('scores folders against a picks file, by hand on 2x2 images', async () => {
    const { outputs, picks } = await tinySet();
    const report = await scoreOutputs({ outputs, reference: picks, exclude: [3] });
    // Frame 1: one pixel (3 values of 12) differs by 255 → L1 1/4, MSE 255²/4 → PSNR 10·log10(4);
    // non-white regions {0} and {0, 1} → IoU 1/2. Frame 2 is identical: PSNR capped at 100 dB.
    expect(report.frames.map((f) => f.index)).toEqual([1, 2]);
    const [one, two] = report.frames;
    expect(one!.l1).toBeCloseTo(0.25, 12);
    expect(one!.psnr).toBeCloseTo(10 * Math.log10(4), 12);
    expect(one!.iou).toBeCloseTo(0.5, 12);
    expect(one!.ssim).toBeCloseTo(ssim(withBlack(0), withBlack(0, 1), W, H), 12);
    expect(one!.ssim).toBeLessThan(1);
    expect(two).toEqual({ index: 2, l1: 0, psnr: 100, ssim: 1, iou: 1 });
    expect(report.meanIoU).toBeCloseTo(0.75, 12);
    expect(report.meanPSNR).toBeCloseTo((10 * Math.log10(4) + 100) / 2, 12);
    expect(report.meanL1).toBeCloseTo(0.125, 12);
    expect(report.excluded).toEqual([3]);
    expect(report.missing).toEqual([]);
    expect(report.outputFrames).toBe(4);
    expect(report.iouAgainst).toBe('reference');
    // 1→2 and 2→3 are consecutive (9 is not): frame 1 {0} → 2 {2,3}: 3 of 4 pixels flip;
    // 2 {2,3} → 3 {1}: pixels 1, 2, 3 flip.
    expect(report.flickerSteps.map((s) => [s.index, s.maskChange])).toEqual([
      [1, 0.75],
      [2, 0.75],
    ]);
    expect(report.meanMaskChange).toBeCloseTo(0.75, 12);
    expect(report.flicker).toBeNull();
  });

  it('reads a reference folder and takes the IoU against true masks where given', async () => {
    const { outputs, edited, masks } = await tinySet();
    const report = await scoreOutputs({ outputs, reference: edited, masks });
    // Frame 1's true mask is {0}, exactly the output's non-white region; frame 3: {1} vs {3} → 0.
    expect(report.frames.map((f) => [f.index, f.iou])).toEqual([
      [1, 1],
      [2, 1],
      [3, 0],
    ]);
    expect(report.iouAgainst).toBe('masks+reference');
    expect(report.summaries.iou).toMatchObject({ count: 3, min: 0, max: 1 });
  });

  it('honours the mask tolerance', async () => {
    const { dir, outputs } = await tinySet();
    const grey = join(dir, 'grey');
    mkdirSync(grey);
    // A pale grey (235) pixel is background at tolerance 24 (threshold 231) but foreground at 10.
    const pale = withBlack(0);
    pale.fill(235, 3, 6);
    await writeRgb(join(grey, '000001.png'), pale);
    expect((await scoreOutputs({ outputs, reference: grey })).frames[0]!.iou).toBe(1);
    expect((await scoreOutputs({ outputs, reference: grey, tolerance: 10 })).frames[0]!.iou).toBe(0.5);
  });

  it('lists references without outputs, and fails clearly when nothing matches', async () => {
    const { dir, outputs, edited } = await tinySet();
    await writeRgb(join(edited, 'frame-20.png'), white());
    expect((await scoreOutputs({ outputs, reference: edited })).missing).toEqual([20]);
    const other = join(dir, 'other');
    mkdirSync(other);
    await writeRgb(join(other, '000050.png'), white());
    await expect(scoreOutputs({ outputs, reference: other })).rejects.toThrow(/No output frame of .* matches a reference frame or mask \(4 output frames read\)/);
    await expect(scoreOutputs({ outputs })).rejects.toBeInstanceOf(BadInputError);
  });

  it('refuses a reference of another size', async () => {
    const { dir, outputs } = await tinySet();
    const big = join(dir, 'big');
    mkdirSync(big);
    await writeRgb(join(big, '000001.png'), new Uint8Array(4 * 4 * 3), 4, 4);
    await expect(scoreOutputs({ outputs, reference: big })).rejects.toThrow(
      /Frame 1: the reference image .*000001\.png is 4x4 but the output frame is 2x2\./,
    );
  });

  it('decodes an output video and matches its frames by decode order', async () => {
    const video = fixture('small-320x240.mp4');
    const frames = await collectFrames(video, [3, 7], { fps: 10, crop: 64 });
    const reference = tempDir();
    for (const frame of frames.values()) await writeRgb(join(reference, pngFileName(frame.index)), frame.data, 64, 64);
    const report = await scoreOutputs({ outputs: video, reference, crop: 64 });
    expect(report.outputFrames).toBe(20);
    expect(report.frames.map((f) => [f.index, f.psnr, f.iou])).toEqual([
      [3, 100, 1],
      [7, 100, 1],
    ]);
  });

  it('measures more flicker for a jittering mask than for a steady one over the same input', async () => {
    const video = fixture('small-320x240.mp4');
    const size = 32;
    const square = (x: number) => {
      const out = new Uint8Array(size * size * 3).fill(255);
      for (let y = 8; y < 24; y++) for (let px = x; px < x + 10; px++) out.fill(0, (y * size + px) * 3, (y * size + px) * 3 + 3);
      return out;
    };
    const steady = join(tempDir(), 'steady');
    const jitter = join(tempDir(), 'jitter');
    mkdirSync(steady);
    mkdirSync(jitter);
    for (let i = 0; i < 20; i++) {
      await writeRgb(join(steady, pngFileName(i)), square(10), size, size);
      await writeRgb(join(jitter, pngFileName(i)), square(i % 2 === 0 ? 4 : 16), size, size);
    }
    const calm = await scoreOutputs({ outputs: steady, reference: steady, input: video });
    const shaky = await scoreOutputs({ outputs: jitter, reference: jitter, input: video });
    expect(calm.flickerSteps).toHaveLength(19);
    expect(calm.flicker).toBe(0);
    expect(shaky.flicker).toBeGreaterThan(0.05);
    expect(shaky.meanMaskChange).toBeGreaterThan(shaky.flicker!);
    // Each step the square jumps 12 px: 2 x 10 x 16 of the 32 x 32 mask pixels flip, and the flicker is
    // the part of those flips that the input's own change does not explain.
    for (const step of shaky.flickerSteps) {
      expect(step.maskChange).toBeCloseTo(320 / 1024, 12);
      expect(step.inputChange).toBeGreaterThanOrEqual(0);
      expect(step.inputChange).toBeLessThanOrEqual(1);
      expect(step.flicker).toBeLessThanOrEqual(step.maskChange);
      expect(step.flicker).toBeGreaterThanOrEqual(step.maskChange - step.inputChange - 1e-12);
    }
  });
});
