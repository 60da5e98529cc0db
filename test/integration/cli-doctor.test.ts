import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadBinding } from '../../src/gan/binding';
import { defaultBasePath } from '../../src/gan/default-base';
import { checkBaseModel } from '../../src/jobs/doctor/check-base-model';
import type { DoctorReport } from '../../src/jobs/doctor/doctor-check';
import { resolveFfmpegPath } from '../../src/stages/ffmpeg/ffmpeg-path';
import { tempDir } from './helpers';

const root = join(__dirname, '..', '..');
const cli = ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'cli', 'main.ts')];
const vidgan = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  spawnSync(process.execPath, [...cli, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });

/** A stand-in ffmpeg that prints the given `-version` and `-encoders` output. */
function fakeFfmpeg(version: string, encoders: string): string {
  const path = join(tempDir(), 'ffmpeg');
  writeFileSync(path, `#!/bin/sh\ncase "$*" in\n  *-version*) cat <<'V'\n${version}\nV\n;;\n  *-encoders*) cat <<'E'\n${encoders}\nE\n;;\nesac\n`);
  chmodSync(path, 0o755);
  return path;
}

const legend = ' V..... = Video\n ------';

describe('vidgan doctor', () => {
  it('reports ffmpeg, its encoders, libtorch, CUDA, threads and the base model, all usable (--json)', () => {
    const run = vidgan({ FFMPEG_PATH: '' }, 'doctor', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as DoctorReport;
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual(['ffmpeg', 'encoders', 'libtorch', 'cuda', 'threads', 'base-model', 'guided-base-model']);
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId.ffmpeg).toMatchObject({ status: 'ok', required: true, details: { path: resolveFfmpegPath({}), source: '@ffmpeg-installer/ffmpeg', release: '4.0' } });
    expect(byId.encoders).toMatchObject({ status: 'ok' });
    expect(byId.encoders?.details.formats).toEqual([
      { format: 'mp4-h264', needs: ['libx264', 'aac'], missing: [], required: true },
      { format: 'mov-prores4444', needs: ['prores_ks', 'aac'], missing: [], required: false },
      { format: 'webm-vp9', needs: ['libvpx-vp9', 'libopus'], missing: [], required: false },
    ]);
    const native = loadBinding();
    expect(byId.libtorch).toMatchObject({ status: 'ok', details: { version: native.torchVersion } });
    expect(byId.libtorch?.summary).toMatch(new RegExp(`^libtorch ${native.torchVersion.replace(/[.+]/g, '\\$&')} from (libtorch-dev|LIBTORCH), /`));
    expect(byId.cuda).toMatchObject({ details: { available: native.cudaAvailable() } });
    expect(byId.cuda?.status).toBe(native.cudaAvailable() ? 'ok' : byId.cuda?.details.engineLinksCuda ? 'warn' : 'ok');
    expect(byId.threads).toMatchObject({ status: 'ok', details: { cores: availableParallelism() } });
    expect(byId['base-model']).toMatchObject({ status: 'ok', details: { path: defaultBasePath(), kind: 'generator', preset: 'fast' } });
  });

  it('prints one line per check and says vidgan can run', () => {
    const run = vidgan({ FFMPEG_PATH: '' }, 'doctor');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.slice(0, 18).trimEnd())).toEqual(['ok    ffmpeg', 'ok    encoders', 'ok    libtorch', expect.stringMatching(/^(ok  |warn)  CUDA$/), 'ok    threads', 'ok    base model', 'ok    guided base', expect.stringMatching(/^vidgan can run/)]);
  });

  it('FFMPEG_PATH naming nothing: exit 4, the check fails and names the fix', () => {
    const run = vidgan({ FFMPEG_PATH: '/nonexistent' }, 'doctor', '--json');
    expect(run.status).toBe(4);
    const fix =
      'Set FFMPEG_PATH to an ffmpeg 4.0 or newer executable (e.g. apt-get install ffmpeg, then FFMPEG_PATH=/usr/bin/ffmpeg), ' +
      'or unset it and reinstall the bundled one: npm ci (it comes with @ffmpeg-installer/ffmpeg).';
    expect(run.stderr).toBe(`vidgan: 1 required check failed (ffmpeg). ${fix}\n`);
    const report = JSON.parse(run.stdout) as DoctorReport;
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toEqual({
      id: 'ffmpeg',
      status: 'fail',
      required: true,
      summary: 'ffmpeg binary not found: FFMPEG_PATH names /nonexistent, which does not exist or cannot be run.',
      fix,
      code: 'FFMPEG_FAILED',
      details: { path: '/nonexistent' },
    });
    expect(report.checks.map((c) => c.id)).not.toContain('encoders');
  });

  it('an ffmpeg older than 4.0: exit 4, too old', () => {
    const ffmpeg = fakeFfmpeg('ffmpeg version 3.4.8-0ubuntu0.2 Copyright (c) 2000-2020\nlibavutil      55. 78.100 / 55. 78.100', `${legend}\n V..... libx264  H.264\n A..... aac  AAC`);
    const run = vidgan({ FFMPEG_PATH: ffmpeg }, 'doctor');
    expect(run.status).toBe(4);
    expect(run.stdout).toContain(`FAIL  ffmpeg       ${ffmpeg} (from FFMPEG_PATH) is ffmpeg version 3.4.8-0ubuntu0.2, older than 4.0.\n`);
    expect(run.stderr).toMatch(/^vidgan: 1 required check failed \(ffmpeg\)\. Set FFMPEG_PATH to an ffmpeg 4\.0 or newer/);
  });

  it('an ffmpeg without libx264: exit 4, the encoders it lacks named; a missing VP9 alone is a warning', () => {
    const noX264 = fakeFfmpeg('ffmpeg version 6.1.1 Copyright\nlibavutil      58. 29.100', `${legend}\n VFS... prores_ks  ProRes\n A..... aac  AAC\n A..... libopus  Opus`);
    const failing = vidgan({ FFMPEG_PATH: noX264 }, 'doctor', '--json');
    expect(failing.status).toBe(4);
    const encoders = (JSON.parse(failing.stdout) as DoctorReport).checks.find((c) => c.id === 'encoders');
    expect(encoders).toMatchObject({
      status: 'fail',
      summary: 'mp4-h264: libx264 + aac (missing libx264); mov-prores4444: prores_ks + aac; webm-vp9: libvpx-vp9 + libopus (missing libvpx-vp9).',
      fix: "Use an ffmpeg with libx264, libvpx-vp9 (the bundled @ffmpeg-installer build has them all: unset FFMPEG_PATH; Debian's and Ubuntu's ffmpeg package has them too).",
    });

    const noVp9 = fakeFfmpeg('ffmpeg version 6.1.1 Copyright\nlibavutil      58. 29.100', `${legend}\n V..... libx264  H.264\n VFS... prores_ks  ProRes\n A..... aac  AAC`);
    const warning = vidgan({ FFMPEG_PATH: noVp9 }, 'doctor', '--json');
    expect(warning.status).toBe(0);
    expect((JSON.parse(warning.stdout) as DoctorReport).checks.find((c) => c.id === 'encoders')).toMatchObject({
      status: 'warn',
      required: false,
      summary: expect.stringMatching(/Only webm-vp9 output is unavailable\.$/),
    });
  });
});

describe('checkBaseModel', () => {
  it('fails on a missing base checkpoint and names the fix', async () => {
    const path = join(tempDir(), 'base.safetensors');
    expect(await checkBaseModel(path)).toEqual({
      id: 'base-model',
      status: 'fail',
      required: true,
      summary: `The bundled base checkpoint ${path} is missing.`,
      fix:
        'Reinstall vidgan to restore it (npm ci in a clone, npm install vidgan otherwise); meanwhile `vidgan process` can start ' +
        'from another checkpoint (--base <file>) or from scratch (--base none).',
      code: 'CHECKPOINT_INVALID',
      details: { path },
    });
  });

  it('fails on a file that is not a checkpoint', async () => {
    const path = join(tempDir(), 'base.safetensors');
    writeFileSync(path, 'not a checkpoint');
    expect(await checkBaseModel(path)).toMatchObject({ status: 'fail', code: 'CHECKPOINT_INVALID', summary: expect.stringMatching(`^The bundled base checkpoint ${path} is damaged: `) });
  });
});
