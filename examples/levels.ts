/**
 * A custom stage between decode and encode: a levels adjustment in plain arithmetic.
 *
 * Run: node -r ts-node/register examples/levels.ts input.mp4 output.mp4
 * (without arguments it uses the fixture clip; make it with `npm run fixtures`).
 */
import { join } from 'node:path';
import { last, map } from 'rxjs';
import { centerCrop, decodeVideo, encodeVideo, FrameBudget, withPixels, type FrameStage } from '../src';

/**
 * Maps input levels [black, white] to [0, 255] with a gamma, like an image editor's Levels dialog.
 * Frames are immutable: the stage returns new frames.
 */
function levels(black: number, white: number, gamma = 1): FrameStage {
  const table = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    const t = Math.min(Math.max((v - black) / (white - black), 0), 1);
    table[v] = Math.round(255 * t ** (1 / gamma));
  }
  return map((frame) => withPixels(frame, frame.data.map((v) => table[v] as number)));
}

const input = process.argv[2] ?? join(__dirname, '..', 'fixtures', 'videos', 'clip-640x480.mp4');
const output = process.argv[3] ?? 'levels.mp4';

// One budget shared by the source and the sink keeps at most 16 frames in memory.
const budget = new FrameBudget(16);
decodeVideo(input, { fps: 10, budget })
  .pipe(
    centerCrop(400),
    levels(30, 220, 1.2),
    encodeVideo(output, { fps: 10, audioFrom: input, overwrite: true, budget }),
    last(),
  )
  .subscribe({
    next: (report) => console.log(`wrote ${report.path}: ${report.framesWritten} frames, ${report.timeSec} s`),
    error: (error: Error) => {
      console.error(error.message);
      process.exitCode = 1;
    },
  });
