import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import sharp from 'sharp';
import { BadInputError } from '../../src/pipeline/errors';
import type { Frame } from '../../src/pipeline/frame';
import { FrameBudget } from '../../src/pipeline/frame-budget';
import { decodeVideo } from '../../src/stages/decode-video';
import { mapFrames } from '../../src/stages/map-frames';
import { pngFileName, writePngSequence } from '../../src/stages/write-png-sequence';
import { deferred, type Deferred } from '../deferred';
import { fixture, tempDir } from './helpers';

describe('writePngSequence', () => {
  it('writes one lossless PNG per frame named by its 0-based index, reported in order', async () => {
    const dir = join(tempDir(), 'frames');
    const budget = new FrameBudget(6);
    const source = fixture('clip-640x480.mp4');
    const progress = await lastValueFrom(
      decodeVideo(source, { crop: 400, budget }).pipe(writePngSequence(dir, { budget, concurrency: 3 }), toArray()),
    );
    const names = [...Array(30).keys()].map(pngFileName);
    expect(names.slice(0, 2)).toEqual(['000000.png', '000001.png']);
    expect(readdirSync(dir).sort()).toEqual(names);
    expect(progress.map((p) => [p.index, p.framesWritten, p.path])).toEqual(names.map((n, i) => [i, i + 1, join(dir, n)]));

    const frames = await lastValueFrom(decodeVideo(source, { crop: 400 }).pipe(toArray()));
    for (const i of [0, 17, 29]) {
      const { data, info } = await sharp(join(dir, names[i]!)).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([400, 400, 3]);
      expect(Buffer.compare(data, Buffer.from(frames[i]!.data))).toBe(0);
    }
  });

  it('keeps frame order behind a concurrent stage whose frames finish out of order', async () => {
    const dir = tempDir();
    // The stage before the sink holds each frame until the test lets it go: every four frames
    // (and the last ones) are let go latest first, so they reach the sink's order-keeping in reverse.
    const open: Array<{ index: number; gate: Deferred<void> }> = [];
    const finishOrder: number[] = [];
    let started = 0;
    const hold = async (f: Frame): Promise<Frame> => {
      const gate = deferred();
      open.push({ index: f.index, gate });
      started++;
      if (open.length === 4 || started === 20) {
        for (const held of open.splice(0).reverse()) {
          finishOrder.push(held.index);
          held.gate.resolve();
        }
      }
      await gate.promise;
      return f;
    };
    const progress = await lastValueFrom(
      decodeVideo(fixture('small-320x240.mp4'), { crop: 64 }).pipe(
        mapFrames(hold, { concurrency: 4 }),
        writePngSequence(dir, { concurrency: 4 }),
        toArray(),
      ),
    );
    expect(finishOrder.slice(0, 8)).toEqual([3, 2, 1, 0, 7, 6, 5, 4]);
    expect([...finishOrder].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(progress.map((p) => [p.index, p.framesWritten, p.path])).toEqual(
      [...Array(20).keys()].map((i) => [i, i + 1, join(dir, pngFileName(i))]),
    );
    expect(readdirSync(dir).sort()).toEqual([...Array(20).keys()].map(pngFileName));
  });

  it('reports an output folder that cannot be created', async () => {
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, '');
    const dir = join(blocker, 'frames');
    const run = lastValueFrom(decodeVideo(fixture('clip-640x480.mp4'), { crop: 64 }).pipe(writePngSequence(dir)));
    await expect(run).rejects.toBeInstanceOf(BadInputError);
    await expect(run).rejects.toMatchObject({
      code: 'BAD_INPUT',
      path: dir,
      message: `Cannot write to output folder ${dir} (ENOTDIR). Choose a folder you can write to, or fix its permissions.`,
    });
  });
});
