// A child whose stdout is paused with data still in the pipe never reads to its end, so Node's 'close'
// (and FfmpegProcess.exit) never came after a kill: replaceBackground's looped background video hung
// a test run this way (FrameReader reads ahead, pauses, and closes by killing).
import { once } from 'node:events';
import { spawnFfmpeg } from '../../src/stages/ffmpeg/spawn-ffmpeg';
import { FrameReader } from '../../src/stages/ffmpeg/frame-reader';

// Endless raw frames: ffmpeg fills the pipe and waits for a reader that has paused.
const ENDLESS = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=s=64x64:r=10', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];

describe('killing ffmpeg whose output is paused', () => {
  it('settles exit although stdout was paused with unread data', async () => {
    const proc = spawnFfmpeg(ENDLESS);
    proc.stdout.on('data', () => proc.stdout.pause());
    await once(proc.stdout, 'data');
    // Wait until the pipe's data backs up behind the paused stream (however long that takes).
    while (proc.stdout.readableLength < proc.stdout.readableHighWaterMark) await new Promise((resolve) => setTimeout(resolve, 10));
    proc.kill();
    const exit = await proc.exit;
    expect(exit.signal).toBe('SIGKILL');
  });

  it('lets a FrameReader that read ahead and paused close', async () => {
    const reader = new FrameReader(ENDLESS, 64 * 64 * 3, 'testsrc');
    for (let i = 0; i < 5; i++) expect((await reader.read())?.length).toBe(64 * 64 * 3);
    await reader.close();
  });
});
