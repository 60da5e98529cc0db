import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeSynthClip, type SynthClip } from '../../src/data/synth/write-synth-clip';
import { maskIoU } from '../../src/eval/mask-iou';
import { nonWhiteMask } from '../../src/eval/non-white-mask';
import { psnr } from '../../src/eval/psnr';
import { processVideo, type ProcessReport } from '../../src/jobs/process-video';
import { Pix2Pix } from '../../src/gan/pix2pix';
import { BadInputError, CancelledError, CheckpointError, OutputExistsError } from '../../src/pipeline/errors';
import { probeVideo } from '../../src/stages/ffmpeg/probe-video';
import { pngFileName } from '../../src/stages/write-png-sequence';
import { fixture, NO_TIME_LIMIT_S, tempDir } from './helpers';

async function rgb(path: string): Promise<Uint8Array> {
  return new Uint8Array(await sharp(path).removeAlpha().raw().toBuffer());
}

async function grey(path: string): Promise<Uint8Array> {
  return new Uint8Array(await sharp(path).greyscale().raw().toBuffer());
}

// One synthetic clip with known ground truth: a person moving over a textured wall, 100 frames at
// 10 fps, 2% of them (frames 25 and 75) edited. Trained once; the tests below read its outputs.
const FRAMES = 100;
let work: string;
let clip: SynthClip;
let report: ProcessReport;

beforeAll(async () => {
  work = tempDir();
  clip = await writeSynthClip(join(work, 'clip'), { frames: FRAMES, seed: 4 });
  report = await processVideo({
    video: clip.video,
    picks: clip.picksFile,
    out: join(work, 'out.mp4'),
    framesOut: join(work, 'frames'),
    base: 'none',
    // A step budget, not a time budget, so the result does not depend on the machine's speed. 256 crops
    // rather than the default whole frames: a third of the step's cost, which keeps CI within its time
    // (whole-frame drills are run by the other tests; drillCropSize by its unit test).
    training: { steps: 150, trainSeconds: NO_TIME_LIMIT_S, seed: 3, cropSize: 256 },
  });
  // The hook's limit only catches a hang: the work is bounded by steps and frames, not by this.
}, 1_800_000);

describe('processVideo', () => {
  it('erases the background of frames it never saw (mean IoU >= 0.9 against the true masks)', async () => {
    const ious: number[] = [];
    const psnrs: number[] = [];
    for (let i = 0; i < FRAMES; i++) {
      if (clip.picks.includes(i)) continue;
      const out = await rgb(join(work, 'frames', pngFileName(i)));
      ious.push(maskIoU(nonWhiteMask(out, 400, 400), await grey(join(clip.masksDir, pngFileName(i)))));
      psnrs.push(psnr(out, await rgb(join(clip.truthDir, pngFileName(i)))));
    }
    const meanIoU = ious.reduce((a, b) => a + b, 0) / ious.length;
    const meanPsnr = psnrs.reduce((a, b) => a + b, 0) / psnrs.length;
    expect(ious).toHaveLength(FRAMES - 2);
    expect(meanIoU).toBeGreaterThanOrEqual(0.9);
    // 22 dB is about 20 grey levels of RMS error: a white background with the person intact scores
    // 25-30 dB here; the unedited input scores about 8 dB.
    expect(meanPsnr).toBeGreaterThanOrEqual(22);
  });

  it('writes every frame to the video and reports the run', async () => {
    expect(report.frames).toBe(FRAMES);
    expect(report.picks).toBe(2);
    expect(report.training?.steps).toBe(150);
    expect(report.training?.stoppedBy).toBe('steps');
    expect(report.training?.curve.length).toBeGreaterThan(10);
    const info = await probeVideo(join(work, 'out.mp4'));
    expect([info.width, info.height]).toEqual([400, 400]);
    expect(existsSync(join(work, 'out.mp4.model.safetensors'))).toBe(true);
    expect(existsSync(join(work, 'frames', pngFileName(FRAMES - 1)))).toBe(true);
  });

  it('measures how well the flow followed the edits, records it in the model and erases strays by it', async () => {
    const flowMiss = report.strays?.flowMiss;
    expect(flowMiss).toBeGreaterThanOrEqual(0);
    expect(flowMiss).toBeLessThanOrEqual(1);
    expect(report.strays?.mode).toBe(flowMiss! <= 0.1 ? 'pixels' : 'regions');
    const metadata = (await Pix2Pix.readCheckpointInfo(report.savedModel!)).metadata;
    expect(metadata.flow_miss).toBe(flowMiss!.toFixed(4));
  });

  it('applies a saved model with --model and keeps the source audio', async () => {
    const out = join(work, 'with-audio.mp4');
    const applied = await processVideo({ video: fixture('clip-640x480.mp4'), model: report.savedModel, out });
    expect(applied.training).toBeUndefined();
    expect(applied.frames).toBe(30);
    // No edits to carry: nothing is erased as a stray.
    expect(applied.strays).toBeUndefined();
    const info = await probeVideo(out);
    expect(info.hasAudio).toBe(true);
    expect([info.width, info.height]).toEqual([400, 400]);
  });

  it('refuses an output that exists unless overwrite', async () => {
    const run = processVideo({ video: clip.video, model: report.savedModel, out: join(work, 'out.mp4') });
    await expect(run).rejects.toBeInstanceOf(OutputExistsError);
    await expect(run).rejects.toThrow(/out\.mp4 already exists\./);
  });

  it('keeps a model trained before unless overwrite or resume', async () => {
    const run = processVideo({ video: clip.video, picks: clip.picksFile, out: join(work, 'again.mp4'), saveModel: report.savedModel, base: 'none' });
    await expect(run).rejects.toBeInstanceOf(OutputExistsError);
    await expect(run).rejects.toThrow(/out\.mp4\.model\.safetensors already exists\./);
    expect(existsSync(join(work, 'again.mp4'))).toBe(false);
  });

  it('refuses a model file that is not a checkpoint', async () => {
    const fake = join(work, 'fake.safetensors');
    writeFileSync(fake, 'not a checkpoint at all');
    const run = processVideo({ video: clip.video, model: fake, out: join(work, 'never.mp4') });
    await expect(run).rejects.toBeInstanceOf(CheckpointError);
    expect(existsSync(join(work, 'never.mp4'))).toBe(false);
  });

  it('checks the picks against the video before training', async () => {
    const dir = join(work, 'bad-picks');
    mkdirSync(join(dir, 'edited'), { recursive: true });
    copyFileSync(join(clip.truthDir, pngFileName(10)), join(dir, 'edited', 'a.png'));
    writeFileSync(join(dir, 'late.txt'), '10 edited/a.png\n250 edited/a.png\n');
    let trainingSteps = 0;
    const run = processVideo({
      video: clip.video,
      picks: join(dir, 'late.txt'),
      out: join(dir, 'o.mp4'),
      base: 'none',
      onTrainProgress: () => trainingSteps++,
    });
    await expect(run).rejects.toBeInstanceOf(BadInputError);
    await expect(run).rejects.toThrow(
      'late.txt line 2: frame 250 is past the end of the video (100 frames at 10 fps, numbered 0 to 99).',
    );
    // Refused before training: not one step, no checkpoint, no output.
    expect(trainingSteps).toBe(0);
    expect(existsSync(join(dir, 'o.mp4.model.safetensors'))).toBe(false);
    expect(existsSync(join(dir, 'o.mp4'))).toBe(false);
  });

  it('stops on a signal with a checkpoint, and --resume continues from it', async () => {
    const dir = join(work, 'resume');
    const controller = new AbortController();
    const options = {
      video: clip.video,
      picks: clip.picksFile,
      out: join(dir, 'o.mp4'),
      base: 'none',
      training: { steps: 10, trainSeconds: NO_TIME_LIMIT_S, seed: 1 },
      // Training alone: the stream after it is the first test's; two more streams of the clip cost CI minutes.
      trainOnly: true,
    };
    mkdirSync(dir, { recursive: true });
    const first = processVideo({
      ...options,
      roundTrip: 2,
      neighbours: 1,
      training: { ...options.training, learningRate: 1e-3 },
      signal: controller.signal,
      onTrainProgress: (p) => {
        if (p.step === 4) controller.abort();
      },
    });
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    await expect(first).rejects.toThrow(/Training stopped at step 4\. The checkpoint is in .*o\.mp4\.model\.safetensors: run again with --resume/);

    const steps: number[] = [];
    const guideProgress: Array<{ frames: number; totalFrames?: number }> = [];
    const info: string[] = [];
    const rates: number[] = [];
    const resumed = await processVideo({
      ...options,
      resume: true,
      onInfo: (message) => info.push(message),
      onTrainProgress: (p) => {
        steps.push(p.step);
        rates.push(p.learningRate);
      },
      onGuideProgress: (p) => guideProgress.push(p),
    });
    expect(steps).toEqual([5, 6, 7, 8, 9, 10]);
    // The guides' pass before training reports every frame it reads, in order, out of the clip's 100.
    expect(guideProgress.map((p) => p.frames)).toEqual([...Array(100).keys()].map((i) => i + 1));
    expect(guideProgress.every((p) => p.totalFrames === 100)).toBe(true);
    expect(resumed.training?.steps).toBe(10);
    expect(resumed.training?.stepsThisRun).toBe(6);
    // The resumed drill trains on the guides the checkpoint records: the round trip and the frames beside the picks of the first run.
    expect(info).toContainEqual(expect.stringMatching(/each also with the guides of a frame 2 away/));
    const metadata = (await Pix2Pix.readCheckpointInfo(join(dir, 'o.mp4.model.safetensors'))).metadata;
    expect(metadata.round_trip).toBe('2');
    expect(metadata.neighbours).toBe('1');
    // And at the first run's learning rate (1e-3, not the default 5e-4): constant until half way, then decaying.
    expect(metadata.learning_rate).toBe('0.001');
    expect(Math.max(...rates)).toBeCloseTo(1e-3, 12);
    expect(resumed.frames).toBe(0);
    expect(existsSync(join(dir, 'o.mp4.model.safetensors'))).toBe(true);
    // Ten training steps and two guide passes over the clip; the limit only catches a hang.
  }, 900_000);
});
