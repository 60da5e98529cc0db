import { lastValueFrom, range, map, concat, throwError, toArray } from 'rxjs';
import { InvalidOptionError } from '../../../src/pipeline/errors';
import { makeFrame, withPixels } from '../../../src/pipeline/frame';
import { mapFrames } from '../../../src/stages/map-frames';

const frames = (n: number) => range(0, n).pipe(map((i) => makeFrame(i, i / 10, 1, 1, new Uint8Array([i, 0, 0]))));
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapFrames', () => {
  it('keeps input order when later frames finish first', async () => {
    let running = 0;
    let maxRunning = 0;
    const out = await lastValueFrom(
      frames(20).pipe(
        mapFrames(
          async (f) => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            // Early frames take longest, so completion order is reversed within each window.
            await delay(((20 - f.index) % 7) * 3);
            running--;
            return withPixels(f, new Uint8Array([f.data[0]! * 2, 0, 0]));
          },
          { concurrency: 4 },
        ),
        toArray(),
      ),
    );
    expect(out.map((f) => f.index)).toEqual([...Array(20).keys()]);
    expect(out.map((f) => f.data[0])).toEqual([...Array(20).keys()].map((i) => i * 2));
    expect(maxRunning).toBe(4);
  });

  it('runs one call at a time by default', async () => {
    let running = 0;
    let maxRunning = 0;
    await lastValueFrom(
      frames(5).pipe(
        mapFrames(async (f) => {
          maxRunning = Math.max(maxRunning, ++running);
          await delay(2);
          running--;
          return f;
        }),
      ),
    );
    expect(maxRunning).toBe(1);
  });

  it('errors when the function rejects', async () => {
    const failing = frames(5).pipe(
      mapFrames(async (f) => {
        if (f.index === 2) throw new Error('model failed on frame 2');
        return f;
      }),
    );
    await expect(lastValueFrom(failing)).rejects.toThrow('model failed on frame 2');
  });

  it('delivers the results of earlier frames before an upstream error', async () => {
    const seen: number[] = [];
    const source = concat(frames(3), throwError(() => new Error('truncated')));
    const run = lastValueFrom(
      source.pipe(
        mapFrames(async (f) => {
          await delay(5);
          return f;
        }, { concurrency: 2 }),
        map((f) => seen.push(f.index)),
      ),
    );
    await expect(run).rejects.toThrow('truncated');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('validates concurrency when built', () => {
    expect(() => mapFrames((f) => f, { concurrency: 0 })).toThrow(InvalidOptionError);
  });
});
