import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { probeVideo } from '../../src/stages/ffmpeg/probe-video';
import { fixture, tempDir } from './helpers';

const root = join(__dirname, '..', '..');
const cli = ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'cli', 'main.ts')];
const vidgan = (...args: string[]) => spawnSync(process.execPath, [...cli, ...args], { cwd: root, encoding: 'utf8' });
const BASE = join(root, 'models', 'base.safetensors');

describe('vidgan process --background', () => {
  it('refuses transparency in an .mp4 with exit code 2 and one paragraph naming the formats with alpha', () => {
    const out = join(tempDir(), 'out.mp4');
    const run = vidgan('process', fixture('small-320x240.mp4'), '--model', BASE, '--out', out, '--background', 'transparent');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/A transparent background needs an output format that stores alpha.*\.mov \(mov-prores4444\), \.webm \(webm-vp9\) or a folder of RGBA PNGs/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('writes VP9 with alpha when --format overrides the name, and the summary names the format', () => {
    const out = join(tempDir(), 'clip.bin');
    const run = vidgan('process', fixture('clip-640x480.mp4'), '--model', BASE, '--out', out, '--format', 'webm-vp9', '--background', 'transparent', '--crop', '128');
    expect(run.stderr).not.toMatch(/vidgan: /);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(`Wrote ${out} (VP9 .webm (alpha), background transparent): 30 frames.`);
  });
});

describe('vidgan batch --format --background', () => {
  it('names the outputs by the format and keeps the alpha', async () => {
    const dir = join(tempDir(), 'videos');
    mkdirSync(dir);
    copyFileSync(fixture('small-320x240.mp4'), join(dir, 'a.mp4'));
    const out = join(tempDir(), 'out');
    const run = vidgan('batch', dir, '--model', BASE, '--out', out, '--crop', '64', '--format', 'mov-prores4444', '--background', 'transparent');
    expect(run.stderr).not.toMatch(/vidgan: /);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`-> ${join(out, 'a.mov')} (ProRes 4444 .mov (alpha), 20 frames, `);
    expect(readdirSync(out)).toContain('a.mov');
    expect((await probeVideo(join(out, 'a.mov'))).videoCodec).toBe('prores');
  });

  it('refuses transparency in the default .mp4 before any job', () => {
    const dir = join(tempDir(), 'videos');
    mkdirSync(dir);
    copyFileSync(fixture('small-320x240.mp4'), join(dir, 'a.mp4'));
    const out = join(tempDir(), 'out');
    const run = vidgan('batch', dir, '--model', BASE, '--out', out, '--background', 'transparent');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/A transparent background needs an output format that stores alpha, and .*a\.mp4 is H\.264 \.mp4/);
    expect(existsSync(join(out, 'a.mp4'))).toBe(false);
  });
});
