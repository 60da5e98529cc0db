import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { from, type Observable } from 'rxjs';
import sharp from 'sharp';
import { isTemporaryName } from '../../src/io/write-file-atomic';
import { CleanupTracker } from '../../src/pipeline/cleanup-tracker';
import { OutputError } from '../../src/pipeline/errors';
import { type Frame, makeFrame } from '../../src/pipeline/frame';
import { savePngs } from '../../src/stages/save-pngs';
import { pngFileName, writePngSequence } from '../../src/stages/write-png-sequence';
import { runWithFileSizeLimit } from './file-size-limit';
import { tempDir } from './helpers';

/** `count` frames of seeded noise (noise keeps PNGs large, so writes take a while). */
function noiseFrames(count: number, size: number): Frame[] {
  let seed = 12345;
  return [...Array(count).keys()].map((i) => {
    const data = new Uint8Array(size * size * 3);
    for (let j = 0; j < data.length; j++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      data[j] = seed >>> 24;
    }
    return makeFrame(i, i / 10, size, size, data);
  });
}

/** Subscribes `run` and, when it errors, lists `dir` at that very moment. */
function filesAtError(run: Observable<unknown>, dir: string): Promise<{ error: unknown; files: string[] }> {
  return new Promise((resolve, reject) => {
    run.subscribe({ error: (error: unknown) => resolve({ error, files: readdirSync(dir).sort() }), complete: () => reject(new Error('expected an error')) });
  });
}

describe('writePngSequence cleanup', () => {
  it('gives an OutputError once every write still running has ended, leaving no temporary file', async () => {
    const dir = tempDir();
    const blocked = join(dir, pngFileName(2));
    mkdirSync(blocked); // a folder where frame 2 should go: its rename fails with EISDIR, even as root
    const { error, files } = await filesAtError(from(noiseFrames(6, 128)).pipe(writePngSequence(dir, { concurrency: 3 })), dir);
    expect(error).toBeInstanceOf(OutputError);
    expect(error).toMatchObject({ code: 'OUTPUT_FAILED', errno: 'EISDIR', path: blocked });
    expect((error as Error).message).toBe(
      `Could not write ${blocked}: it is a folder (EISDIR). Nothing half-written was left behind. Free some space, or choose another output folder, and run again.`,
    );
    expect(files.filter(isTemporaryName)).toEqual([]);
    expect(files.slice(0, 3)).toEqual([pngFileName(0), pngFileName(1), pngFileName(2)]);
  });

  it('gives an OutputError and leaves no temporary file when the disk refuses a frame halfway', () => {
    const dir = tempDir();
    // A 256x256 noise frame is a ~200 KB PNG; the file-size limit stops its write at 32 KiB with EFBIG,
    // as a full disk would with ENOSPC.
    const result = runWithFileSizeLimit<{ name: string; code: string; errno: string; files: string[] }>(
      `const { writeFramePng } = require(repo('src/stages/write-png-sequence'));
       const { readdirSync } = require('node:fs');
       const data = new Uint8Array(require('node:crypto').randomBytes(256 * 256 * 3));
       try {
         await writeFramePng({ index: 7, timeSec: 0.7, width: 256, height: 256, data }, ${JSON.stringify(dir)});
         report({ name: 'none', files: readdirSync(${JSON.stringify(dir)}) });
       } catch (e: any) {
         report({ name: e.constructor.name, code: e.code, errno: e.errno, files: readdirSync(${JSON.stringify(dir)}) });
       }`,
      32 * 1024,
    );
    expect(result).toEqual({ name: 'OutputError', code: 'OUTPUT_FAILED', errno: 'EFBIG', files: [] });
  });
});

describe('savePngs cleanup', () => {
  it('hands the writes still running at an unsubscribe to its tracker; once settled no temporary file is left', async () => {
    const dir = tempDir();
    const cleanup = new CleanupTracker();
    await new Promise<void>((resolve, reject) => {
      const subscription = from(noiseFrames(4, 512))
        .pipe(savePngs(dir, { concurrency: 2, cleanup }))
        .subscribe({
          next: () => {
            subscription.unsubscribe();
            resolve();
          },
          error: reject,
        });
    });
    await cleanup.settled();
    const files = readdirSync(dir).sort();
    expect(files.filter(isTemporaryName)).toEqual([]);
    expect(files[0]).toBe(pngFileName(0));
    // Whatever has its final name is a complete PNG.
    for (const name of files) expect((await sharp(join(dir, name)).metadata()).width).toBe(512);
  });
});
