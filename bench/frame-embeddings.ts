/**
 * Which frame embedding separates foreign frames best: for each candidate (bench/embedding-candidates.ts)
 * the outlier scores of `outlierScores` (k-th neighbour distance over the median) on three clips with
 * known foreign frames, and the time per frame:
 *
 * - synthetic: the spliced fixture (`writeSplicedClip`: an interview with a cutaway to another scene,
 *   a title card and black frames), 128x128;
 * - davis: DAVIS scooter-black (../shared/data) with 4 frames of bmx-trees, 3 title-card frames and
 *   2 black frames spliced in, 400x400;
 * - person: the real interview clip (../shared/data/talking) with 3 other people (public-domain
 *   portraits, ../shared/data/people) spliced in, 400x400.
 *
 * Prints per clip and candidate: ROC AUC of the score for "foreign", precision and recall at the
 * default threshold (3), the lowest score of a foreign frame and the highest of the others.
 *
 * Usage: node -r ts-node/register/transpile-only bench/frame-embeddings.ts
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { writeSplicedClip } from '../src/data/synth/write-spliced-clip';
import { readRgbImage } from '../src/eval/read-image';
import { makeFrame, type Frame } from '../src/pipeline/frame';
import { PersonPrior } from '../src/prior/person-prior';
import { embedFrame } from '../src/select/frame-embedding';
import { outlierScores } from '../src/select/outlier-scores';
import { cropFrame } from '../src/stages/center-crop';
import { decodeVideo } from '../src/stages/decode-video';
import { CANDIDATES, embedCandidates } from './embedding-candidates';

const DATA = join(__dirname, '..', '..', 'shared', 'data');

async function decode(video: string, crop: number): Promise<Frame[]> {
  return lastValueFrom(decodeVideo(video, { crop }).pipe(toArray()));
}

/** Inserts `insert` before frame `at` of `frames`, renumbering; returns the inserted positions. */
function splice(frames: Frame[], at: number, insert: readonly Frame[], foreign: number[]): Frame[] {
  const shifted = foreign.map((i) => (i >= at ? i + insert.length : i));
  foreign.splice(0, foreign.length, ...shifted, ...insert.map((_, k) => at + k));
  return [...frames.slice(0, at), ...insert, ...frames.slice(at)].map((f, i) => makeFrame(i, i / 10, f.width, f.height, f.data));
}

function titleCard(size: number): Frame {
  const data = new Uint8Array(size * size * 3);
  for (let p = 0; p < size * size; p++) data.set([27, 42, 74], p * 3);
  for (let line = 0; line < 3; line++) {
    for (let y = Math.round(size * (0.3 + line * 0.15)); y < Math.round(size * (0.33 + line * 0.15)); y++) {
      for (let x = Math.round(size * 0.15); x < Math.round(size * 0.8); x++) if (x % 24 < 18) data.set([240, 240, 240], (y * size + x) * 3);
    }
  }
  return makeFrame(0, 0, size, size, data);
}

async function clips(): Promise<Array<{ name: string; frames: Frame[]; foreign: number[] }>> {
  const synthetic = await writeSplicedClip(mkdtempSync(join(tmpdir(), 'vidgan-embed-')));
  const out = [{ name: 'synthetic', frames: await decode(synthetic.video, 128), foreign: [...synthetic.foreign] }];

  const scooter = await decode(join(DATA, 'davis-dev', 'scooter-black.mp4'), 400);
  const bmx = await decode(join(DATA, 'davis-dev', 'bmx-trees.mp4'), 400);
  const black = makeFrame(0, 0, 400, 400, new Uint8Array(400 * 400 * 3));
  let foreign: number[] = [];
  let frames = splice(scooter, 10, bmx.slice(30, 34), foreign);
  frames = splice(frames, 30, [titleCard(400), titleCard(400), titleCard(400)], foreign);
  frames = splice(frames, 45, [black, black], foreign);
  out.push({ name: 'davis', frames, foreign: foreign.sort((a, b) => a - b) });

  const talk = await decode(join(DATA, 'talking', 'interview-a.mp4'), 400);
  const people = readdirSync(join(DATA, 'people', 'congress')).filter((n) => n.endsWith('.jpg')).slice(0, 3);
  const others: Frame[] = [];
  for (const name of people) {
    const image = await readRgbImage(join(DATA, 'people', 'congress', name));
    others.push(cropFrame(makeFrame(0, 0, image.width, image.height, image.data), 400));
  }
  foreign = [];
  frames = splice(talk, 20, others.slice(0, 1), foreign);
  frames = splice(frames, 35, others.slice(1), foreign);
  out.push({ name: 'person', frames, foreign: foreign.sort((a, b) => a - b) });
  return out;
}

function auc(scores: readonly number[], positive: ReadonlySet<number>): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (!positive.has(i)) return;
    scores.forEach((t, j) => {
      if (positive.has(j)) return;
      pairs++;
      wins += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

async function main() {
  const clean = ['davis-dev/scooter-black.mp4', 'davis-dev/bmx-trees.mp4', 'talking/interview-a.mp4'];
  for (const video of clean) {
    const frames = await decode(join(DATA, video), 400);
    const top = Math.max(...outlierScores(frames.map((f) => embedFrame(f))).map((s) => s.score));
    console.log(`clean ${video}: ${frames.length} frames, highest pooled score ${top.toFixed(2)}`);
  }
  const prior = await PersonPrior.load();
  console.log('clip        embedding       frames  foreign   AUC    precision recall  foreign-min other-max  ms/frame');
  for (const clip of await clips()) {
    const { embeddings, msPerFrame } = await embedCandidates(clip.frames, prior);
    const truth = new Set(clip.foreign);
    for (const name of CANDIDATES) {
      const scores = outlierScores(embeddings[name]);
      const flagged = scores.filter((s) => s.outlier).map((s) => s.index);
      const hits = flagged.filter((i) => truth.has(i)).length;
      const foreignMin = Math.min(...scores.filter((s) => truth.has(s.index)).map((s) => s.score));
      const otherMax = Math.max(...scores.filter((s) => !truth.has(s.index)).map((s) => s.score));
      console.log(
        `${clip.name.padEnd(11)} ${name.padEnd(15)} ${String(clip.frames.length).padStart(6)} ${String(clip.foreign.length).padStart(8)}  ` +
          `${auc(scores.map((s) => s.score), truth).toFixed(3)}  ${(flagged.length ? hits / flagged.length : 0).toFixed(2).padStart(9)} ${(hits / truth.size).toFixed(2).padStart(6)}  ` +
          `${foreignMin.toFixed(2).padStart(11)} ${otherMax.toFixed(2).padStart(9)}  ${msPerFrame[name].toFixed(2).padStart(9)}`,
      );
    }
  }
  prior.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
