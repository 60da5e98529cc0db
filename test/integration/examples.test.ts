import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { decodeVideo } from '../../src/stages/decode-video';
import { probeVideo } from '../../src/stages/ffmpeg/probe-video';
import { fixture, tempDir } from './helpers';

const root = join(__dirname, '..', '..');

describe('examples/levels.ts', () => {
  it('runs as a user would run it and writes a brighter 400x400 clip with the audio', async () => {
    const input = fixture('clip-640x480.mp4');
    const output = join(tempDir(), 'levels.mp4');
    // Types are checked by `npm run typecheck` (examples/ is in tsconfig.json); here the example only runs.
    execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'examples', 'levels.ts'), input, output], {
      cwd: root,
      stdio: 'pipe',
      // A hang-catcher, well inside the test's own limit below so that the run's error is what is reported.
      timeout: 240_000,
    });
    const info = await probeVideo(output);
    expect([info.width, info.height]).toEqual([400, 400]);
    expect(info.hasAudio).toBe(true);

    const mean = async (path: string) => {
      const frames = await lastValueFrom(decodeVideo(path, { fps: 10, crop: 400 }).pipe(toArray()));
      let sum = 0;
      let count = 0;
      for (const f of frames) for (const v of f.data) (sum += v), count++;
      return { frames: frames.length, mean: sum / count };
    };
    const [before, after] = await Promise.all([mean(input), mean(output)]);
    expect(after.frames).toBe(before.frames);
    expect(after.mean).toBeGreaterThan(before.mean);
  }, 360_000);
});
