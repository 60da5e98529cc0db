import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { processVideo } from '../../src/jobs/process-video';
import { ffmpegProcessesWith, fixture, tempDir } from './helpers';

describe('processVideo cleanup', () => {
  it('settles only once the encoder has exited and its partial file is gone when a callback throws mid-stream', async () => {
    const dir = tempDir();
    const out = join(dir, 'applied.mp4');
    const broken = new Error('the progress display broke');
    let atRejection: { files: string[]; encoders: string[] } | undefined;
    const run = processVideo({
      video: fixture('clip-640x480.mp4'),
      model: join(__dirname, '../../models/base.safetensors'),
      out,
      crop: 128,
      onFrame: (p) => {
        if (p.frames === 3) throw broken;
      },
    }).then(
      () => undefined,
      (error: unknown) => {
        // The first thing to run after the job rejects: nothing of the encoder may be left by now.
        atRejection = { files: readdirSync(dir), encoders: ffmpegProcessesWith(dir) };
        return error;
      },
    );
    expect(await run).toBe(broken);
    expect(atRejection).toEqual({ files: [], encoders: [] });
  });
});
