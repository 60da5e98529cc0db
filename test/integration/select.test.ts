import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { writeSplicedClip, type SplicedClip } from '../../src/data/synth/write-spliced-clip';
import { parsePicks } from '../../src/drill/parse-picks';
import { readRgbImage } from '../../src/eval/read-image';
import { collectFrames } from '../../src/stages/collect-frames';
import { findOutliers } from '../../src/jobs/select/find-outliers';
import { writeCheckpoint } from '../../src/gan/checkpoint';
import { DEFAULT_PRESET, PRESETS } from '../../src/gan/model-options';
import { InvalidOptionError } from '../../src/pipeline/errors';
import { similarFrames } from '../../src/jobs/select/similar-frames';
import { makeFrame } from '../../src/pipeline/frame';
import { embedVideo } from '../../src/select/embed-video';
import { embeddingCachePath } from '../../src/select/embedding-cache';
import { embeddingDistance } from '../../src/select/frame-embedding';
import { decodeVideo } from '../../src/stages/decode-video';
import { psnr, tempDir } from './helpers';

const root = join(__dirname, '..', '..');
const cli = ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'cli', 'main.ts')];
const vidgan = (...args: string[]) => spawnSync(process.execPath, [...cli, ...args], { cwd: root, encoding: 'utf8' });
const CROP = 128;

/** Precision and recall of `found` against the true set. */
function precisionRecall(found: readonly number[], truth: readonly number[]): { precision: number; recall: number } {
  const hits = found.filter((i) => truth.includes(i)).length;
  return { precision: found.length === 0 ? 0 : hits / found.length, recall: hits / truth.length };
}

describe('frame selection on a clip with foreign frames spliced in', () => {
  let clip: SplicedClip;
  beforeAll(async () => {
    // 90 frames of an interview with a 4-frame cutaway to another scene, a 3-frame title card and 3 black frames.
    clip = await writeSplicedClip(tempDir());
  }, 120_000);

  it('outliers finds the foreign frames with precision and recall of at least 0.9, worst first', async () => {
    const report = await findOutliers({ video: clip.video, crop: CROP });
    const { precision, recall } = precisionRecall(report.outliers.map((o) => o.index), clip.foreign);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(report.totalFrames).toBe(100);
    const scores = report.scores.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  }, 120_000);

  it('caches the embeddings beside the video, keyed by the options', async () => {
    const first = await embedVideo(clip.video, { crop: CROP });
    expect(first.cachePath).toBe(embeddingCachePath(clip.video, 'f10-c128'));
    expect(existsSync(first.cachePath!)).toBe(true);
    const again = await embedVideo(clip.video, { crop: CROP });
    expect(again.fromCache).toBe(true);
    expect(again.embeddings).toEqual(first.embeddings);
    const other = await embedVideo(clip.video, { crop: 64 });
    expect(other.fromCache).toBe(false);
    expect(other.embeddings).toHaveLength(100);
  }, 120_000);

  it('vidgan outliers --drop writes the video without them, and --json lists them', async () => {
    const out = join(tempDir(), 'clean.mp4');
    const run = vidgan('outliers', clip.video, '--crop', String(CROP), '--drop', '--out', out, '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout) as { outliers: number[]; scores: Array<{ index: number; score: number }>; written: string };
    expect([...json.outliers].sort((a, b) => a - b)).toEqual(clip.foreign);
    expect(json.scores).toHaveLength(100);
    expect(json.written).toBe(out);
    const kept = await lastValueFrom(decodeVideo(out, { crop: CROP }).pipe(toArray()));
    expect(kept).toHaveLength(90);
    // Frame 30 of the cleaned video is frame 30 + 4 of the source (after the 4-frame cutaway at 20), and
    // frame 80 is 80 + 4 + 3 + 3 (after the cutaway, the title card at 50 and the black frames at 75).
    const source = await collectFrames(clip.video, [34, 90], { crop: CROP });
    expect(psnr(kept[30]!, source.get(34)!)).toBeGreaterThan(30);
    expect(psnr(kept[80]!, source.get(90)!)).toBeGreaterThan(30);
  }, 180_000);

  it('outliers --model scores against the picks the checkpoint names, and says when it names none', async () => {
    const dir = tempDir();
    const picks = join(dir, 'picks.txt');
    writeFileSync(picks, '0 edited/000000.png\n99 edited/000099.png\n');
    const options = { preset: DEFAULT_PRESET, ...PRESETS[DEFAULT_PRESET] };
    const model = join(dir, 'model.safetensors');
    await writeCheckpoint(model, { kind: 'generator', options, step: 0, seed: 0, tensors: [], metadata: { picks } });
    const viaModel = await findOutliers({ video: clip.video, crop: CROP, model });
    const viaPicks = await findOutliers({ video: clip.video, crop: CROP, picks });
    expect(viaModel.picks).toEqual([0, 99]);
    expect(viaModel.scores).toEqual(viaPicks.scores);
    expect(viaModel.scores.find((s) => s.index === 99)).toMatchObject({ distance: 0, nearestPick: 99 });
    expect(viaModel.outliers.map((o) => o.index)).toEqual(expect.arrayContaining([82, 83, 84]));
    // The text, worst first, ends with what to do about them.
    const text = vidgan('outliers', clip.video, '--crop', String(CROP), '--picks', picks);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^\d+ of 100 frames are far from all 2 edited frames \(score >= 3; 1 is typical\)\. Worst first:\n!? frame +\d+/);
    expect(text.stdout).toMatch(/\nIf the first frames show something no edited frame does, edit one of them too and train again\.\n$/);

    const bare = join(dir, 'bare.safetensors');
    await writeCheckpoint(bare, { kind: 'generator', options, step: 0, seed: 0, tensors: [] });
    await expect(findOutliers({ video: clip.video, crop: CROP, model: bare })).rejects.toThrow(
      `Checkpoint ${bare} does not name the picks it was trained on (only models written by vidgan process do). Pass --picks <picks file> instead.`,
    );
    await expect(findOutliers({ video: clip.video, model: bare, picks })).rejects.toBeInstanceOf(InvalidOptionError);
  }, 120_000);

  it('vidgan suggest writes frames named as extract names them, no outliers among them, and a picks skeleton; --add adds more', async () => {
    const out = join(tempDir(), 'to-edit');
    const run = vidgan('suggest', clip.video, '--crop', String(CROP), '--count', '4', '--out', out);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Suggested 4 of 100 frames: \d+, \d+, \d+, \d+ \(left out 10 outlier frames; see vidgan outliers\)\.\n/);
    const skeleton = parsePicks(readFileSync(join(out, 'picks.txt'), 'utf8'));
    const frames = skeleton.map((p) => p.frame);
    expect(frames.filter((f) => clip.foreign.includes(f))).toEqual([]);
    expect(skeleton.map((p) => p.image)).toEqual(frames.map((f) => `edited/${String(f).padStart(6, '0')}.png`));
    expect(readdirSync(out).sort()).toEqual([...frames.map((f) => `${String(f).padStart(6, '0')}.png`), 'edited', 'picks.txt'].sort());
    const decoded = await collectFrames(clip.video, frames, { crop: CROP });
    for (const f of frames) {
      const png = await readRgbImage(join(out, `${String(f).padStart(6, '0')}.png`));
      expect(psnr(makeFrame(f, 0, png.width, png.height, png.data), decoded.get(f)!)).toBeGreaterThan(60);
    }
    // They cover the shot better than as many evenly spaced frames: the other frames are nearer, on
    // average and at worst (in embedding space), to a suggested frame than to an even one.
    const { embeddings } = await embedVideo(clip.video, { crop: CROP });
    const shot = embeddings.map((_, i) => i).filter((i) => !clip.foreign.includes(i));
    const gaps = (picks: readonly number[]) => shot.map((i) => Math.min(...picks.map((p) => embeddingDistance(embeddings[i]!, embeddings[p]!))));
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const even = [12, 37, 62, 87]; // 4 frames evenly spread over the 100, none foreign
    expect(mean(gaps(frames))).toBeLessThan(mean(gaps(even)));
    expect(Math.max(...gaps(frames))).toBeLessThan(Math.max(...gaps(even)));

    const more = join(tempDir(), 'more');
    const add = vidgan('suggest', clip.video, '--crop', String(CROP), '--add', '2', '--picks', join(out, 'picks.txt'), '--out', more);
    expect(add.status).toBe(0);
    const both = parsePicks(readFileSync(join(more, 'picks.txt'), 'utf8'));
    expect(both.slice(0, 4).map((p) => p.frame)).toEqual(frames);
    expect(both.slice(0, 4).map((p) => join(more, p.image))).toEqual(frames.map((f) => join(out, 'edited', `${String(f).padStart(6, '0')}.png`)));
    expect(both).toHaveLength(6);
    expect(readdirSync(more).filter((n) => n.endsWith('.png'))).toHaveLength(2);
  }, 180_000);

  it('the commands say which option is missing, with exit code 2', () => {
    const neither = vidgan('suggest', clip.video, '--out', tempDir());
    expect(neither.status).toBe(2);
    expect(neither.stderr).toBe('vidgan: Pass --count <N> for a first set of frames, or --add <N> --picks <picks file> for more.\n');
    const drop = vidgan('outliers', clip.video, '--drop');
    expect(drop.status).toBe(2);
    expect(drop.stderr).toBe('vidgan: --drop needs --out <file>: where to write the video without the outliers.\n');
  }, 120_000);

  it('similar finds the frames like a frame, or like an image', async () => {
    const black = clip.foreign[clip.foreign.length - 1]!;
    const nearBlack = await similarFrames({ video: clip.video, like: black, count: 2, crop: CROP });
    expect(nearBlack.map((f) => f.index).sort()).toEqual(clip.foreign.slice(-3).filter((i) => i !== black));
    const dir = tempDir();
    const run = vidgan('extract', clip.video, '--crop', String(CROP), '--out', dir);
    expect(run.status).toBe(0);
    const like = await similarFrames({ video: clip.video, like: join(dir, '000042.png'), count: 3, crop: CROP });
    expect(like[0]).toMatchObject({ index: 42 });
    expect(like[0]!.distance).toBeLessThan(like[1]!.distance);
  }, 180_000);
});
