import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { eventually, ffmpegProcessesWith, fixture, privateCopy, realTimeFfmpeg, tempDir } from './helpers';

const root = join(__dirname, '..', '..');
const cli = ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'cli', 'main.ts')];
const vidgan = (...args: string[]) => spawnSync(process.execPath, [...cli, ...args], { cwd: root, encoding: 'utf8' });

describe('vidgan extract', () => {
  it('writes the sampled, cropped frames as numbered PNGs', async () => {
    const out = join(tempDir(), 'frames');
    const run = vidgan('extract', fixture('clip-640x480.mp4'), '--out', out, '--fps', '5', '--crop', '256');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`Wrote 15 frames to ${out} (5 fps, 256x256).\n`);
    expect(readdirSync(out).sort()).toEqual([...Array(15).keys()].map((i) => `${String(i).padStart(6, '0')}.png`));
    expect(await sharp(join(out, '000014.png')).metadata()).toMatchObject({ width: 256, height: 256 });
  });

  it('maps errors to exit codes and prints one paragraph without a stack', () => {
    const missing = vidgan('extract', '/no/such.mp4', '--out', tempDir());
    expect(missing.status).toBe(3);
    expect(missing.stderr).toBe('vidgan: Video file /no/such.mp4 does not exist. Check the path and its permissions.\n');

    const badCrop = vidgan('extract', fixture('clip-640x480.mp4'), '--out', tempDir(), '--crop', '0');
    expect(badCrop.status).toBe(2);
    expect(badCrop.stderr).toBe('vidgan: Expected integer between 1 and 8192 for crop but received 0\n');

    const noCommand = vidgan();
    expect(noCommand.status).toBe(2);
  });

  it('prints the stack with --verbose', () => {
    const run = vidgan('extract', fixture('audio-only.mp4'), '--out', tempDir(), '--verbose');
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/^vidgan: .*has no video stream/);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('refuses to overwrite frames already in the folder unless --force', () => {
    const out = tempDir();
    expect(vidgan('extract', fixture('small-320x240.mp4'), '--out', out, '--crop', '32').status).toBe(0);
    const again = vidgan('extract', fixture('small-320x240.mp4'), '--out', out, '--crop', '32');
    expect(again.status).toBe(9);
    expect(again.stderr).toMatch(/already holds 20 PNG files .* pass --force\.\n$/);
    expect(vidgan('extract', fixture('small-320x240.mp4'), '--out', out, '--crop', '32', '--force').status).toBe(0);
  });

  it('stops cleanly on Ctrl-C: exit 130, ffmpeg gone, no partial files', async () => {
    const video = privateCopy('long-320x240.mp4');
    const out = join(tempDir(), 'frames');
    // ffmpeg decodes the 40 s clip in real time, so the run is still going whenever the signal comes.
    const env = { ...process.env, FFMPEG_PATH: realTimeFfmpeg() };
    const child = spawn(process.execPath, [...cli, 'extract', video, '--out', out], { cwd: root, env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const pngCount = () => (existsSync(out) ? readdirSync(out).filter((n) => n.endsWith('.png')).length : 0);
    const started = await eventually(() => pngCount() >= 5, 90_000);
    child.kill('SIGINT');
    expect(started).toBe(true);
    expect(await exited).toBe(130);
    expect(stderr).toBe(`vidgan: Decoding ${video} was cancelled.\n`);
    expect(ffmpegProcessesWith(video)).toEqual([]);
    const names = readdirSync(out);
    expect(names.length).toBeGreaterThanOrEqual(5);
    expect(names.length).toBeLessThan(400);
    expect(names.filter((n) => !/^\d{6}\.png$/.test(n))).toEqual([]);
  });
});
